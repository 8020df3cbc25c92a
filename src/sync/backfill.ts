/** Backfills: one sync of every requirement of a project, started by an admin or the first connection. */
import type { SyncRunDto } from '../api';
import { AppError } from '../errors';
import type { Platform } from '../platform/ports';
import { findProjectClients } from './project-clients';
import { RunStore } from './run-store';
import { queueSyncRun, STALE_RUN_MS } from './sync-queue';
import { toRunDto } from './to-dto';

/** After the first successful connection check: sync every requirement once. */
export async function startInitialBackfill(
  platform: Platform,
  cloudId: string,
  project: { id: string; key: string },
): Promise<void> {
  if (await new RunStore(platform.kvs).run(project.id, 'backfill')) return;
  await queueSyncRun(platform, cloudId, project, 'backfill', null);
}

/** An admin's backfill; refused while one is running (and not lost). */
export async function startBackfill(
  platform: Platform,
  cloudId: string,
  project: { id: string; key: string },
): Promise<SyncRunDto> {
  const clients = await findProjectClients(platform, project.id);
  if (!clients) throw new AppError('NOT_CONFIGURED');
  const current = await new RunStore(platform.kvs).run(project.id, 'backfill');
  const now = platform.clock.now();
  if (
    current &&
    (current.status === 'queued' || current.status === 'running') &&
    now.getTime() - Date.parse(current.updatedAt) < STALE_RUN_MS
  ) {
    throw new AppError('VALIDATION', { message: '“Sync all” is already running for this project.' });
  }
  return toRunDto(await queueSyncRun(platform, cloudId, project, 'backfill', null), now);
}
