/**
 * "Sync status": whether the hourly sync is on, up to when changes are synced, the next run; "Sync all"
 * (a backfill of every requirement through the Forge queue; the page calls it "Sync all" only) with
 * live progress and its result; the last run of either kind; the requirements waiting to be retried.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import type { SyncStatusDto } from '../../../../src/api';
import { formatDateTime } from '../../../common/src/datetime';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { Loaded } from '../../../common/src/Loaded';
import { RelativeTime, useNow } from '../../../common/src/RelativeTime';
import { Section } from '../../../common/src/Section';
import { BackfillProgress } from './BackfillProgress';
import { BackfillResult } from './BackfillResult';
import { isRunActive, lastRunOf, nextRunText } from './format';
import { LastRun } from './LastRun';
import { RetryList } from './RetryList';
import { useSyncStatus, type SyncStatusController } from './useSyncStatus';

function Overview({ sync }: { sync: SyncStatusDto }) {
  const now = useNow(15_000);
  return (
    <Stack space="space.075">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Text weight="semibold">Scheduled sync</Text>
        <Lozenge appearance={sync.enabled ? 'success' : 'default'} testId="sync-enabled">
          {sync.enabled ? 'On' : 'Off'}
        </Lozenge>
        {sync.enabled && sync.nextRunAt ? (
          <Text size="small" color="color.text.subtle" testId="next-run">
            Next run{' '}
            <time dateTime={sync.nextRunAt} title={formatDateTime(sync.nextRunAt)}>
              {nextRunText(sync.nextRunAt, now)}
            </time>
          </Text>
        ) : null}
      </Inline>
      {sync.enabled ? null : (
        <Text as="p" size="small" color="color.text.subtle">
          Changed requirements are not sent to SQAI every hour. Turn on “Scheduled sync” above and save to
          keep SQAI up to date.
        </Text>
      )}
      <Text as="p" testId="synced-up-to">
        {sync.syncedUpTo ? (
          <>
            Synced up to {formatDateTime(sync.syncedUpTo)} (<RelativeTime iso={sync.syncedUpTo} />)
          </>
        ) : (
          'No changes synced by the scheduled sync yet.'
        )}
      </Text>
    </Stack>
  );
}

function Backfill({ sync, controller }: { sync: SyncStatusDto; controller: SyncStatusController }) {
  const { backfill } = sync;
  const active = isRunActive(backfill);
  return (
    <Stack space="space.150">
      <Heading size="xsmall" as="h3">
        Sync all
      </Heading>
      <Text as="p" size="small" color="color.text.subtle">
        Sends the testing context of every requirement in the project to SQAI, in the background. Requirements
        SQAI already holds unchanged are skipped. Use it after connecting the project or changing the sync
        options.
      </Text>
      <Inline space="space.100" alignBlock="center">
        <Button
          isDisabled={active || controller.starting}
          onClick={controller.startBackfill}
          testId="sync-all-now"
        >
          Sync all now
        </Button>
        {controller.starting ? (
          <Inline space="space.050" alignBlock="center" role="status">
            <Spinner size="small" label="" />
            <Text size="small" color="color.text.subtle">
              Starting…
            </Text>
          </Inline>
        ) : null}
      </Inline>
      {controller.startError ? (
        <ErrorMessageBox
          error={controller.startError}
          appearance={controller.startError.code === 'VALIDATION' ? 'warning' : 'error'}
          testId="backfill-error"
        />
      ) : null}
      {backfill && active ? (
        <BackfillProgress
          run={backfill}
          pollError={controller.pollError}
          onResume={controller.resumePolling}
        />
      ) : null}
      {backfill && !active ? (
        <BackfillResult run={backfill} announce={controller.watchedRunId === backfill.id} />
      ) : null}
    </Stack>
  );
}

export interface SyncStatusSectionProps {
  /** Re-reads the status when it changes (the settings' `updatedAt`, after a save). */
  reloadKey?: string | undefined;
}

export function SyncStatusSection({ reloadKey }: SyncStatusSectionProps) {
  const controller = useSyncStatus(reloadKey);
  const { load } = controller;
  return (
    <Section title="Sync status" testId="sync-status-section">
      <Loaded
        load={load}
        loadingText="Loading the sync status…"
        onTryAgain={() => void controller.reload()}
        errorTestId="sync-status-error"
      >
        {(sync) => (
          <>
            <Overview sync={sync} />
            <Backfill sync={sync} controller={controller} />
            <LastRun run={lastRunOf(sync)} />
            <RetryList size={sync.retrySetSize} retries={sync.retries} />
          </>
        )}
      </Loaded>
    </Section>
  );
}
