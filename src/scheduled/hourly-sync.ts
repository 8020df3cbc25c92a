/**
 * The hourly scheduled trigger: plans a sync run for every configured project (and logs key-expiry
 * reminders), prunes the audit trails of projects whose sync is off (once a day each), then returns;
 * the queue consumer does the work.
 */
import { pruneIdleAuditTrails } from '../audit/idle-prune';
import { getProject } from '../clients/jira';
import { cloudIdOf } from '../platform/install-context';
import { platform } from '../platform/runtime';
import { scheduleSyncs } from '../sync/schedule-syncs';

/** The plan made, or undefined when the invocation carried no site to plan for. */
export async function runHourlySync(
  context: unknown,
): Promise<{ planned: number; skipped: number } | undefined> {
  const current = platform();
  const installContext =
    typeof context === 'object' && context !== null
      ? (context as { installContext?: unknown }).installContext
      : undefined;
  const cloudId = cloudIdOf(installContext);
  if (!cloudId) {
    current.log.error('Scheduled sync without an install context; nothing planned');
    return undefined;
  }
  const result = await scheduleSyncs(current, cloudId, async (projectId) => {
    const project = await getProject(current.jira, projectId, { as: 'app' });
    return project.key;
  });
  current.log.info('Scheduled sync planned', {
    planned: result.planned.length,
    skipped: result.skipped.length,
  });
  const idle = await pruneIdleAuditTrails(current);
  if (idle.pruned.length > 0 || idle.deferred > 0)
    current.log.info('Audit trails of projects with sync off pruned', {
      projects: idle.pruned.length,
      deleted: idle.deleted,
      deferred: idle.deferred,
    });
  return { planned: result.planned.length, skipped: result.skipped.length };
}
