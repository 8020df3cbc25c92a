/**
 * A failure the user can repeat: the error (title, detail, remedy) and a "Try again" button. As a warning it
 * is the "can't reach the server" box shown when polling gave up.
 */
import Button from '@atlaskit/button/new';
import { TRY_AGAIN } from './actions';
import { ErrorMessageBox, type ShownError } from './ErrorMessageBox';

export interface TryAgainBoxProps {
  error: ShownError;
  onTryAgain: () => void;
  appearance?: 'error' | 'warning';
  testId?: string;
}

export function TryAgainBox({ error, onTryAgain, appearance, testId }: TryAgainBoxProps) {
  return (
    <ErrorMessageBox error={error} appearance={appearance} testId={testId}>
      <p>
        <Button onClick={onTryAgain}>{TRY_AGAIN}</Button>
      </p>
    </ErrorMessageBox>
  );
}
