/** A small spinner and what is being loaded, on one line ("Loading the sync status…"). */
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';

export function LoadingLine({ text, testId }: { text: string; testId?: string }) {
  return (
    <Inline space="space.100" alignBlock="center" testId={testId}>
      <Spinner size="small" label="" />
      <Text color="color.text.subtle">{text}</Text>
    </Inline>
  );
}
