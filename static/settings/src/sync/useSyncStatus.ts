/**
 * The Sync section's server state: the SyncStatusDto (getSyncStatus), starting a backfill
 * (startBackfill), and polling every 2 s while a backfill is queued or running (stopping after
 * MAX_POLL_FAILURES failed reads in a row; "Try again" reads again).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RESOLVERS } from '../../../../src/api';
import type { SyncRunDto, SyncStatusDto } from '../../../../src/api';
import { updateCachedQuery } from '../../../common/src/data/cache';
import { polledLoadOf } from '../../../common/src/data/load';
import { pollErrorOf, pollingQueryOptions } from '../../../common/src/data/polling';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';
import { BACKFILL_POLL_INTERVAL_MS, isRunActive } from './format';

/** Keyed by the settings' `updatedAt`: a save starts a fresh read (the old status stays shown meanwhile). */
const syncStatusKey = (reloadKey: string | undefined) => ['syncStatus', reloadKey ?? null] as const;

/**
 * @param reloadKey re-reads the status when it changes (e.g. the settings' `updatedAt` after a save).
 */
export function useSyncStatus(reloadKey?: string, pollMs = BACKFILL_POLL_INTERVAL_MS) {
  const client = useQueryClient();
  const queryKey = syncStatusKey(reloadKey);
  const query = useQuery({
    queryKey,
    queryFn: () => fetchResolver<SyncStatusDto>(RESOLVERS.getSyncStatus),
    placeholderData: keepPreviousData,
    ...pollingQueryOptions<SyncStatusDto, typeof queryKey>(client, queryKey, {
      intervalMs: pollMs,
      isActive: (sync) => isRunActive(sync?.backfill),
    }),
  });
  /** The id of a backfill this page saw queued or running: its end is announced, not just listed. */
  const [watchedRunId, setWatchedRunId] = useState<string | null>(null);
  const backfill = query.data?.backfill;
  const backfillActive = isRunActive(backfill);
  useEffect(() => {
    if (backfill && backfillActive) setWatchedRunId(backfill.id);
  }, [backfill, backfillActive]);

  const start = useMutation({
    mutationFn: () => fetchResolver<SyncRunDto>(RESOLVERS.startBackfill),
    onSuccess: async (run) => {
      setWatchedRunId(run.id);
      await updateCachedQuery<SyncStatusDto>(client, queryKey, (sync) => ({ ...sync, backfill: run }));
    },
    // E.g. "A backfill is already running": show that one's progress.
    onError: async (error) => {
      if (errorDtoOf(error).code === 'VALIDATION') await client.refetchQueries({ queryKey });
    },
  });

  return {
    load: polledLoadOf(query),
    backfillActive,
    starting: start.isPending,
    startError: start.isError ? errorDtoOf(start.error) : null,
    pollError: pollErrorOf(query),
    watchedRunId,
    reload: () => client.resetQueries({ queryKey }),
    resumePolling: () => void query.refetch(),
    startBackfill: () => start.mutate(),
  };
}

export type SyncStatusController = ReturnType<typeof useSyncStatus>;
