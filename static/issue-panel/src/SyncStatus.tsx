/**
 * The panel's header line: when the issue was last synced and by whom, and a status lozenge
 * (Up to date / Changed since last sync / Never synced / Sync failed). A failed last attempt also
 * shows its message and remedy.
 */
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import type { IssuePanelView } from '../../../src/api';
import { Person } from '../../common/src/Person';
import { RelativeTime } from '../../common/src/RelativeTime';
import { syncedByPerson, syncStatusOf } from './format';

export interface SyncStatusProps {
  view: Pick<IssuePanelView, 'state' | 'upToDate' | 'people'>;
  /** Re-gathering the context (Refresh). */
  refreshing: boolean;
}

export function SyncStatus({ view, refreshing }: SyncStatusProps) {
  const { state } = view;
  const badge = syncStatusOf(view);
  const error = state.status === 'failed' ? state.error : undefined;
  const syncedBy = syncedByPerson(state.syncedBy, view.people);
  return (
    <Stack space="space.075">
      <Inline space="space.100" alignBlock="center" shouldWrap role="status">
        <Lozenge appearance={badge.appearance} testId="sync-status">
          {badge.text}
        </Lozenge>
        <Text size="small" color="color.text.subtle" testId="last-sync">
          {state.syncedAt ? (
            <>
              Synced <RelativeTime iso={state.syncedAt} /> by{' '}
              {syncedBy ? <Person person={syncedBy} testId="synced-by" /> : 'the app'}
            </>
          ) : (
            'Not sent to SQAI yet'
          )}
        </Text>
        {refreshing ? (
          <Inline space="space.050" alignBlock="center" testId="refreshing">
            <Spinner size="small" label="" />
            <Text size="small" color="color.text.subtlest">
              Gathering the testing context…
            </Text>
          </Inline>
        ) : null}
      </Inline>
      {error ? (
        <Stack space="space.025" testId="sync-error">
          <Text size="small" color="color.text.danger" weight="medium">
            {error.message}
          </Text>
          {error.remedy ? (
            <Text size="small" color="color.text.subtle">
              {error.remedy}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
