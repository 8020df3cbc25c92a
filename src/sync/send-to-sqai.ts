/**
 * Sends the caller's issue's context to SQAI now (as the caller: only what Jira lets them see);
 * unchanged content is not sent again unless `force`.
 */
import type { SendToSqaiResult } from '../api';
import { Deadline } from '../clients/upstream';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from './issue-ref';
import { loadProjectClients } from './project-clients';
import { toStateDto } from './state';
import { syncAsCaller } from './sync-issue';
import { summarize } from './to-dto';

export async function sendToSqai(
  platform: Platform,
  caller: IssueRef,
  { force }: { force: boolean },
): Promise<SendToSqaiResult> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const result = await syncAsCaller(platform, clients, caller, { force, deadline });
  return {
    outcome: result.outcome,
    state: toStateDto(result.state),
    summary: summarize(result.document),
    durationMs: result.durationMs,
  };
}
