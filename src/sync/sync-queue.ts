/**
 * Sync runs on the queue `sqai-sync`: the event that names a run, and planning a run (new, or one
 * being resumed) and queueing it. One consumer per site at a time: the Xray budget is the site's.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SyncRunKind } from '../api';
import type { Platform } from '../platform/ports';
import { RunStore, type SyncRun } from './run-store';

export const SYNC_QUEUE = 'sqai-sync';
/** A queued or running run not updated for this long is considered lost and planned again. */
export const STALE_RUN_MS = 30 * 60_000;

export const syncEventSchema = z.object({
  kind: z.literal('sync'),
  cloudId: z.string().min(1),
  projectId: z.string().regex(/^\d+$/),
  projectKey: z.string().min(1),
  runKind: z.enum(['scheduled', 'backfill']),
  runId: z.string().min(1),
});

export type SyncEvent = z.infer<typeof syncEventSchema>;

export async function queueSyncEvent(
  platform: Platform,
  event: SyncEvent,
  delayInSeconds?: number,
): Promise<void> {
  await platform.queue.push(SYNC_QUEUE, [
    {
      body: { ...event },
      concurrency: { key: `sync-${event.cloudId}`, limit: 1 },
      ...(delayInSeconds ? { delayInSeconds } : {}),
    },
  ]);
}

/** Plans a run of `kind` (or resumes the lost run `resume`) and queues it. */
export async function queueSyncRun(
  platform: Platform,
  cloudId: string,
  project: { id: string; key: string },
  kind: SyncRunKind,
  resume: SyncRun | null,
): Promise<SyncRun> {
  const run =
    resume ??
    (await new RunStore(platform.kvs).createRun(project.id, kind, randomUUID(), platform.clock.now()));
  await queueSyncEvent(platform, {
    kind: 'sync',
    cloudId,
    projectId: project.id,
    projectKey: project.key,
    runKind: kind,
    runId: run.id,
  });
  return run;
}
