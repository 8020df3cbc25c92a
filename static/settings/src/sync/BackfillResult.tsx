/**
 * A finished "Sync all": "Synced N requirements: P sent, U unchanged, F failed", or the run's own
 * error. One this page watched end is announced as a message; an earlier one is a quiet line.
 */
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../../common/src/SectionMessage';
import type { SyncRunDto } from '../../../../src/api';
import { RelativeTime } from '../../../common/src/RelativeTime';
import { backfillResultAppearance, backfillResultText } from './format';

export interface BackfillResultProps {
  run: SyncRunDto;
  /** This page saw the run queued or running (so its end is news). */
  announce: boolean;
}

const FALLBACK_ERROR = {
  message: 'Sync all stopped before it finished.',
  remedy: 'Press “Sync all now” to try again.',
};

function Finished({ run }: { run: SyncRunDto }) {
  const at = run.finishedAt ?? run.updatedAt;
  return (
    <>
      Finished <RelativeTime iso={at} />
    </>
  );
}

export function BackfillResult({ run, announce }: BackfillResultProps) {
  const failed = run.status === 'failed';
  const error = failed ? (run.error ?? FALLBACK_ERROR) : undefined;
  const counts = backfillResultText(run);

  if (announce) {
    return (
      <div data-testid="backfill-result" data-status={run.status}>
        <SectionMessage appearance={backfillResultAppearance(run)} title={error ? error.message : counts}>
          <Stack space="space.050">
            {error?.remedy ? <p>{error.remedy}</p> : null}
            {error && run.done > 0 ? <p>Before it stopped: {counts}.</p> : null}
            {!error && run.failed > 0 ? <p>The requirements that failed are listed under Retries.</p> : null}
            <Text size="small" color="color.text.subtle">
              <Finished run={run} />.
            </Text>
          </Stack>
        </SectionMessage>
      </div>
    );
  }

  return (
    <div data-testid="backfill-result" data-status={run.status}>
      <Text as="p" size="small" color="color.text.subtle">
        Last Sync all: <Finished run={run} /> — {error ? 'stopped' : counts}
      </Text>
      {error ? (
        <Text as="p" size="small" color="color.text.danger">
          {error.message} {error.remedy}
        </Text>
      ) : null}
    </div>
  );
}
