/**
 * The Sync section's server state: the SyncStatusDto (getSyncStatus), starting a backfill
 * (startBackfill), and polling every 2 s while a backfill is queued or running. Polling survives a
 * failed read or two; after MAX_POLL_FAILURES in a row it stops and keeps the error for "Check again".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { RESOLVERS } from '../../../../src/api';
import type { ErrorDto, SyncRunDto, SyncStatusDto } from '../../../../src/api';
import { callResolver } from '../../../common/src/resolver';
import { BACKFILL_POLL_INTERVAL_MS, isRunActive, MAX_POLL_FAILURES } from './format';

export type SyncStatusLoad =
  { status: 'loading' } | { status: 'ready'; sync: SyncStatusDto } | { status: 'failed'; error: ErrorDto };

/**
 * @param reloadKey re-reads the status when it changes (e.g. the settings' `updatedAt` after a save).
 */
export function useSyncStatus(reloadKey?: string, pollMs = BACKFILL_POLL_INTERVAL_MS) {
  const [load, setLoad] = useState<SyncStatusLoad>({ status: 'loading' });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ErrorDto | null>(null);
  const [pollError, setPollError] = useState<ErrorDto | null>(null);
  /** Re-arms the poll after a failed attempt (the status object itself did not change). */
  const [pollTick, setPollTick] = useState(0);
  /** The id of a backfill this page saw queued or running: its end is announced, not just listed. */
  const [watchedRunId, setWatchedRunId] = useState<string | null>(null);
  const mounted = useRef(true);
  /** Only the newest read counts. */
  const seq = useRef(0);
  const pollFailures = useRef(0);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const adopt = useCallback((sync: SyncStatusDto) => {
    setLoad({ status: 'ready', sync });
    if (sync.backfill && isRunActive(sync.backfill)) setWatchedRunId(sync.backfill.id);
  }, []);

  /** One getSyncStatus read; true when it succeeded (and was still the newest). */
  const read = useCallback(async (): Promise<ResultOf> => {
    const mine = ++seq.current;
    const result = await callResolver<SyncStatusDto>(RESOLVERS.getSyncStatus, {});
    if (!mounted.current || mine !== seq.current) return 'stale';
    if (!result.ok) return result.error;
    adopt(result.data);
    return 'ok';
  }, [adopt]);

  const fetchStatus = useCallback(async (): Promise<void> => {
    const outcome = await read();
    if (typeof outcome === 'object') setLoad({ status: 'failed', error: outcome });
  }, [read]);

  useEffect(() => {
    void fetchStatus();
  }, [fetchStatus, reloadKey]);

  const reload = useCallback(async (): Promise<void> => {
    setLoad({ status: 'loading' });
    setPollError(null);
    pollFailures.current = 0;
    await fetchStatus();
  }, [fetchStatus]);

  const backfill = load.status === 'ready' ? load.sync.backfill : undefined;
  const backfillActive = isRunActive(backfill);

  // Poll while a backfill is queued or running. Every answer is a new object, so this re-arms itself.
  useEffect(() => {
    if (!backfillActive || pollError) return;
    const timer = window.setTimeout(() => {
      void (async () => {
        const outcome = await read();
        if (outcome === 'ok') {
          pollFailures.current = 0;
          return;
        }
        if (outcome === 'stale') return;
        pollFailures.current += 1;
        if (pollFailures.current >= MAX_POLL_FAILURES) setPollError(outcome);
        else setPollTick((tick) => tick + 1);
      })();
    }, pollMs);
    return () => window.clearTimeout(timer);
  }, [backfill, backfillActive, pollError, pollTick, pollMs, read]);

  /** "Check again" after polling gave up. */
  const resumePolling = useCallback(() => {
    pollFailures.current = 0;
    setPollError(null);
  }, []);

  const startBackfill = useCallback(async (): Promise<void> => {
    setStarting(true);
    setStartError(null);
    setPollError(null);
    pollFailures.current = 0;
    try {
      const result = await callResolver<SyncRunDto>(RESOLVERS.startBackfill, {});
      if (!mounted.current) return;
      if (!result.ok) {
        setStartError(result.error);
        // E.g. "A backfill is already running": show that one's progress.
        if (result.error.code === 'VALIDATION') await fetchStatus();
        return;
      }
      const run = result.data;
      setWatchedRunId(run.id);
      if (load.status !== 'ready') {
        // No status shown yet: read all of it (it includes this run).
        await fetchStatus();
        return;
      }
      // Any read still on its way predates this run.
      seq.current += 1;
      setLoad((current) =>
        current.status === 'ready' ? { status: 'ready', sync: { ...current.sync, backfill: run } } : current,
      );
    } finally {
      if (mounted.current) setStarting(false);
    }
  }, [fetchStatus, load.status]);

  return {
    load,
    backfillActive,
    starting,
    startError,
    pollError,
    watchedRunId,
    reload,
    resumePolling,
    startBackfill,
  };
}

type ResultOf = 'ok' | 'stale' | ErrorDto;

export type SyncStatusController = ReturnType<typeof useSyncStatus>;
