/** The settings page's sync status of a project: its runs, when the next is due, and its retry set. */
import type { SyncStatusDto } from '../api';
import type { StoredSettings } from '../config/schema';
import type { Platform } from '../platform/ports';
import { RunStore } from './run-store';
import { toRunDto } from './to-dto';

export async function getSyncStatus(
  platform: Platform,
  projectId: string,
  settings: StoredSettings | null,
): Promise<SyncStatusDto> {
  const runs = new RunStore(platform.kvs);
  const now = platform.clock.now();
  const [cursor, scheduled, backfill, retries] = await Promise.all([
    runs.cursor(projectId),
    runs.run(projectId, 'scheduled'),
    runs.run(projectId, 'backfill'),
    // The first retry page only: its head counts the whole set (a page resolver reads a fixed
    // number of keys, however many requirements wait).
    runs.retrySummary(projectId),
  ]);
  const lastTick = scheduled ? Date.parse(scheduled.startedAt) : undefined;
  return {
    enabled: settings?.sync.enabled ?? false,
    ...(cursor ? { syncedUpTo: cursor } : {}),
    ...(scheduled ? { lastRun: toRunDto(scheduled, now) } : {}),
    ...(backfill ? { backfill: toRunDto(backfill, now) } : {}),
    ...(settings?.sync.enabled && lastTick
      ? { nextRunAt: new Date(lastTick + 60 * 60_000).toISOString() }
      : {}),
    retrySetSize: retries.waiting,
    retries: retries.sample.slice(0, 50).map((entry) => ({
      issueId: entry.issueId,
      ...(entry.issueKey ? { issueKey: entry.issueKey } : {}),
      attempts: entry.attempts,
      lastError: entry.lastError,
      gaveUp: entry.gaveUp,
    })),
  };
}
