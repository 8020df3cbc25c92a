/** Queue consumer `sqai-sync`: one project's sync run (scheduled or backfill), resumed as needed. */
import { z } from 'zod';
import { platform } from '../platform/runtime';
import { syncEventSchema, SyncService } from '../sync/sync-service';

export async function handleSyncEvent(event: unknown): Promise<void> {
  const current = platform();
  const body = syncEventSchema.safeParse(z.object({ body: z.unknown() }).loose().safeParse(event).data?.body);
  if (!body.success) {
    current.log.error('Dropped a malformed sync event', { issues: body.error.issues.slice(0, 3) });
    return;
  }
  const run = await new SyncService(current).runEvent(body.data);
  current.log.info('Sync consumer ran', { projectId: body.data.projectId, status: run?.status ?? 'no run' });
}
