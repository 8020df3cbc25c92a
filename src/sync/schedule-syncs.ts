/**
 * The hourly trigger's plan: a scheduled run queued for every configured project with sync on (a
 * run still going is left alone, a lost one planned again), an interrupted backfill resumed, and
 * each project's Xray key-expiry reminder logged. The queue consumer does the work.
 */
import { keyReminderOf } from '../config/connection-check';
import { SettingsStore } from '../config/settings-store';
import type { Platform } from '../platform/ports';
import { RunStore } from './run-store';
import { queueSyncRun, STALE_RUN_MS } from './sync-queue';

export async function scheduleSyncs(
  platform: Platform,
  cloudId: string,
  projectKeyOf: (projectId: string) => Promise<string>,
): Promise<{ planned: string[]; skipped: string[] }> {
  const runs = new RunStore(platform.kvs);
  const now = platform.clock.now();
  const planned: string[] = [];
  const skipped: string[] = [];
  for (const { projectId, settings } of await new SettingsStore(platform).configuredProjects()) {
    const reminder = keyReminderOf(settings, now);
    if (reminder) platform.log.warn('Xray API key expiry', { projectId, ...reminder });
    if (!settings.sync.enabled) {
      skipped.push(projectId);
      continue;
    }
    // The key saved with the settings spares a Jira request per project and hour.
    const key = settings.projectKey ?? (await projectKeyOf(projectId));
    await resumeBrokenBackfill(platform, cloudId, { id: projectId, key }, now);
    const current = await runs.run(projectId, 'scheduled');
    const active = current && (current.status === 'queued' || current.status === 'running');
    if (active && now.getTime() - Date.parse(current.updatedAt) < STALE_RUN_MS) {
      skipped.push(projectId);
      continue;
    }
    await queueSyncRun(platform, cloudId, { id: projectId, key }, 'scheduled', active ? current : null);
    planned.push(projectId);
  }
  return { planned, skipped };
}

/**
 * A backfill that failed (its consumer gave up after repeated errors) or whose consumer was lost is
 * resumed by the next hourly trigger: requirements it had not reached are not changed, so the
 * incremental sync alone would never send them.
 */
async function resumeBrokenBackfill(
  platform: Platform,
  cloudId: string,
  project: { id: string; key: string },
  now: Date,
): Promise<void> {
  const runs = new RunStore(platform.kvs);
  const backfill = await runs.run(project.id, 'backfill');
  if (!backfill || backfill.status === 'done') return;
  const stale = now.getTime() - Date.parse(backfill.updatedAt) >= STALE_RUN_MS;
  if (backfill.status !== 'failed' && !stale) return;
  backfill.status = 'queued';
  backfill.failures = 0;
  backfill.rateLimitedWaits = 0;
  await runs.saveRun(project.id, backfill);
  platform.log.info('Resuming an interrupted backfill', {
    projectId: project.id,
    done: backfill.done,
    total: backfill.total,
  });
  await queueSyncRun(platform, cloudId, project, 'backfill', backfill);
}
