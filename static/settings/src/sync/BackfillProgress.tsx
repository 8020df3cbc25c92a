/**
 * A "Sync all" in progress: what it is doing (queued / listing / syncing), a progress bar with
 * "done of total", failures so far, rate and time left. If polling gave up after repeated
 * failures, the error and "Try again".
 */
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import type { ErrorDto, SyncRunDto } from '../../../../src/api';
import { TryAgainBox } from '../../../common/src/TryAgainBox';
import { useNow } from '../../../common/src/RelativeTime';
import { progressDetails, progressPercent, progressText } from './format';
import { ProgressBar } from './ProgressBar';

export interface BackfillProgressProps {
  run: SyncRunDto;
  pollError: ErrorDto | null;
  onResume: () => void;
}

export function BackfillProgress({ run, pollError, onResume }: BackfillProgressProps) {
  const now = useNow(5000);
  const percent = progressPercent(run);
  const progress = progressText(run);
  const details = progressDetails(run, now);
  return (
    <Stack space="space.100" testId="backfill-progress">
      <Inline space="space.100" alignBlock="center" role="status">
        <Spinner size="small" label="" />
        <Text weight="medium">
          {run.status === 'queued' ? 'Sync all queued…' : 'Sync all: syncing every requirement…'}
        </Text>
      </Inline>
      <ProgressBar percent={percent} label="Sync all progress" valueText={progress} testId="backfill-bar" />
      <Inline space="space.100" shouldWrap>
        <Text size="small" testId="backfill-progress-text">
          {progress}
        </Text>
        {details.length > 0 ? (
          <Text size="small" color="color.text.subtle" testId="backfill-progress-details">
            {details.join(' · ')}
          </Text>
        ) : null}
      </Inline>
      <Text size="small" color="color.text.subtlest">
        You can leave this page: Sync all continues in the background.
      </Text>
      {pollError ? (
        <TryAgainBox
          error={pollError}
          appearance="warning"
          onTryAgain={onResume}
          testId="backfill-poll-error"
        />
      ) : null}
    </Stack>
  );
}
