/**
 * Forgetting a disconnected project's per-issue sync states (and with each, the requirement's
 * acceptance-criteria records), on the sync queue: there is one `sync:<projectId>:<issueId>` key per
 * requirement, and deleting 10,000 of them takes far longer
 * than the 25 s Forge gives the disconnect resolver (and more writes than a minute of KVS allows).
 * Only states last written before the disconnect go: a project connected again in the meantime
 * keeps what its new sync wrote. Each invocation works until its budget runs low, then queues the
 * rest from its cursor.
 */
import { forgetAuditStep, pruneStateKey } from '../audit/store';
import { z } from 'zod';
import type { Deadline } from '../clients/upstream';
import { forgetProjectTotals } from '../criteria/project-index';
import { forgetTraceability } from '../criteria/store';
import type { Platform } from '../platform/ports';
import { syncStateKey, syncStateSchema } from './state';
import { SYNC_QUEUE } from './sync-queue';
import { forgetWatchedPages } from './watched-pages';

export const purgeEventSchema = z.object({
  kind: z.literal('purge'),
  projectId: z.string().regex(/^\d+$/),
  /** When the project was disconnected: states last written before then are deleted. */
  before: z.iso.datetime(),
  /** Where the previous invocation stopped (a KVS query cursor). */
  cursor: z.string().min(1).optional(),
});

export type PurgeEvent = z.infer<typeof purgeEventSchema>;

const PAGE = 100;
/** Stop taking pages when less than this is left of the budget. */
const RESERVE_MS = 30_000;

export interface PurgeProgress {
  deleted: number;
  kept: number;
  /** Set when the budget ran out first: the event to queue to go on. */
  next?: PurgeEvent;
}

const lastWrittenAt = (value: unknown): number => {
  const state = syncStateSchema.safeParse(value);
  // A record that is not a sync state any more is nobody's: it goes too.
  return state.success ? Date.parse(state.data.lastAttemptAt) : Number.NEGATIVE_INFINITY;
};

export async function purgeSyncStates(
  platform: Pick<Platform, 'kvs' | 'log' | 'clock'>,
  event: PurgeEvent,
  deadline: Pick<Deadline, 'remainingMs'>,
): Promise<PurgeProgress> {
  const before = Date.parse(event.before);
  const prefix = syncStateKey(event.projectId, '');
  let cursor = event.cursor;
  const progress: PurgeProgress = { deleted: 0, kept: 0 };
  do {
    if (deadline.remainingMs() < RESERVE_MS) {
      progress.next = { ...event, ...(cursor ? { cursor } : {}) };
      return progress;
    }
    const page = await platform.kvs.query(prefix, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    const stale = page.entries.filter((entry) => lastWrittenAt(entry.value) < before);
    await Promise.all(
      stale.map(async (entry) => {
        // The requirement's acceptance-criteria records go with its state.
        await forgetTraceability(platform.kvs, platform.log, entry.key.slice(prefix.length), event.projectId);
        await platform.kvs.delete(entry.key);
      }),
    );
    progress.deleted += stale.length;
    progress.kept += page.entries.length - stale.length;
    cursor = page.cursor;
  } while (cursor);
  // The project's acceptance-criteria totals (its ranking entries went with each requirement).
  await forgetProjectTotals(platform.kvs, event.projectId);
  // Its audit trail goes with the rest of its data (issue 20): no retention, no cap, in bounded
  // steps; a purge that runs out of time is queued again and goes on from here.
  // Each step deletes something before the budget is checked, so every invocation makes progress.
  for (;;) {
    if ((await forgetAuditStep(platform, event.projectId)) === 0) break;
    if (deadline.remainingMs() < RESERVE_MS) {
      progress.next = { ...event };
      return progress;
    }
  }
  await platform.kvs.delete(pruneStateKey(event.projectId));
  // The Confluence pages its documents included (./watched-pages.ts), unless written since.
  await forgetWatchedPages(platform.kvs, event.projectId, before);
  return progress;
}

/** Queues (the rest of) a purge on the sync queue. */
export async function queueSyncStatePurge(
  platform: Pick<Platform, 'queue'>,
  event: PurgeEvent,
): Promise<void> {
  await platform.queue.push(SYNC_QUEUE, [{ body: { ...event } }]);
}
