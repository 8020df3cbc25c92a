/** A resolver failure as users see it: the message as the title, the remedy underneath. */
import SectionMessage from '@atlaskit/section-message';
import type { ReactNode } from 'react';
import type { ErrorDto } from '../../../src/api';

export interface ErrorMessageBoxProps {
  error: Pick<ErrorDto, 'message' | 'remedy'>;
  appearance?: 'error' | 'warning';
  testId?: string;
  /** Extra content under the remedy (e.g. a retry button). */
  children?: ReactNode;
}

export function ErrorMessageBox({ error, appearance = 'error', testId, children }: ErrorMessageBoxProps) {
  return (
    <SectionMessage appearance={appearance} title={error.message} testId={testId}>
      {error.remedy ? <p>{error.remedy}</p> : null}
      {children}
    </SectionMessage>
  );
}
