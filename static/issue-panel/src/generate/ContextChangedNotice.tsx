/** The requirement changed since the last generation: the next one asks SQAI for tests for the change. */
import { SectionMessage } from '../../../common/src/SectionMessage';

export function ContextChangedNotice() {
  return (
    <SectionMessage appearance="information" testId="context-changed">
      <p>This requirement changed since the last generation. SQAI will propose tests for what changed.</p>
    </SectionMessage>
  );
}
