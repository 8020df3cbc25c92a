/**
 * Retention for projects whose sync is off (docs/data-controls.md "Audit trail"): no sync run ends
 * for them, yet their panel sends and SQAI's deliveries are recorded. The hourly trigger prunes
 * their trails here, each at most once a day and at most IDLE_PRUNE_PROJECTS a trigger (the others
 * wait for the next hour), with the same bounded prune as a sync run. Never throws: a failed prune
 * is logged by `pruneAudit` and tried again the next day.
 */
import { SettingsStore } from '../config/settings-store';
import type { Platform } from '../platform/ports';
import { lastPrunedAt, pruneAudit, retentionDaysOf } from './store';

/** Projects pruned per trigger at most (each a few KVS queries). */
export const IDLE_PRUNE_PROJECTS = 10;
/** A project with sync off is pruned at most this often. */
export const IDLE_PRUNE_EVERY_MS = 24 * 60 * 60 * 1000;

export interface IdlePruneResult {
  pruned: string[];
  deleted: number;
  /** Projects due that wait for a later trigger (over IDLE_PRUNE_PROJECTS). */
  deferred: number;
}

export async function pruneIdleAuditTrails(platform: Platform): Promise<IdlePruneResult> {
  const result: IdlePruneResult = { pruned: [], deleted: 0, deferred: 0 };
  const now = platform.clock.now().getTime();
  for (const { projectId, settings } of await new SettingsStore(platform).configuredProjects()) {
    if (settings.sync.enabled) continue;
    const last = await lastPrunedAt(platform, projectId);
    if (last !== undefined && now - last < IDLE_PRUNE_EVERY_MS) continue;
    if (result.pruned.length >= IDLE_PRUNE_PROJECTS) {
      result.deferred += 1;
      continue;
    }
    const pruned = await pruneAudit(platform, projectId, retentionDaysOf(settings));
    result.pruned.push(projectId);
    result.deleted += pruned.deleted;
  }
  return result;
}
