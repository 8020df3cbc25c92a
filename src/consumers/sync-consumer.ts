/**
 * Queue consumer `sqai-sync`: one project's sync run (scheduled or backfill), resumed as needed;
 * or a disconnected project's sync states being forgotten, a budget at a time.
 */
import { z } from 'zod';
import { Deadline } from '../clients/upstream';
import { CONSUMER_BUDGET_MS } from '../platform/limits';
import { platform } from '../platform/runtime';
import { purgeEventSchema, purgeSyncStates, queueSyncStatePurge } from '../sync/purge-sync-states';
import { runSyncEvent } from '../sync/run-sync-event';
import { syncEventSchema } from '../sync/sync-queue';

const eventBodySchema = z.discriminatedUnion('kind', [syncEventSchema, purgeEventSchema]);

export async function handleSyncEvent(event: unknown): Promise<void> {
  const current = platform();
  const body = eventBodySchema.safeParse(z.object({ body: z.unknown() }).loose().safeParse(event).data?.body);
  if (!body.success) {
    current.log.error('Dropped a malformed sync event', { issues: body.error.issues.slice(0, 3) });
    return;
  }
  if (body.data.kind === 'purge') {
    const progress = await purgeSyncStates(current, body.data, new Deadline(CONSUMER_BUDGET_MS));
    if (progress.next) await queueSyncStatePurge(current, progress.next);
    current.log.info('Sync states purged', {
      projectId: body.data.projectId,
      deleted: progress.deleted,
      kept: progress.kept,
      done: !progress.next,
    });
    return;
  }
  const run = await runSyncEvent(current, body.data);
  current.log.info('Sync consumer ran', { projectId: body.data.projectId, status: run?.status ?? 'no run' });
}
