/**
 * The issue panel as the calling user opens it: whether the project is configured (and whether they
 * could configure it), what the app knows of the issue's testing context as Jira lets them see it,
 * and whether SQAI holds that context.
 */
import type { IssuePanelView } from '../api';
import { isProjectAdmin } from '../access/project-admin';
import { Deadline } from '../clients/upstream';
import { keyReminderOf } from '../config/connection-check';
import { gatherForUser } from '../context/gather';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from './issue-ref';
import { findProjectClients } from './project-clients';
import { holdsContent, SyncStateStore, toStateDto } from './state';
import { summarize } from './to-dto';

export async function getIssuePanel(platform: Platform, caller: IssueRef): Promise<IssuePanelView> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const [clients, state] = await Promise.all([
    findProjectClients(platform, caller.project.id, deadline),
    new SyncStateStore(platform.kvs).get(caller.project.id, caller.issue.id),
  ]);
  const base = { project: caller.project, issue: caller.issue, state: toStateDto(state) };
  if (!clients) {
    return {
      ...base,
      configured: false,
      canConfigure: await isProjectAdmin(platform, caller.project.id),
      summary: null,
      upToDate: false,
    };
  }
  const reminder = keyReminderOf(clients.settings, platform.clock.now());
  const [{ document }, isAdmin] = await Promise.all([
    gatherForUser(platform, caller, clients, deadline),
    reminder ? isProjectAdmin(platform, caller.project.id) : Promise.resolve(false),
  ]);
  return {
    ...base,
    ...(reminder && isAdmin ? { keyReminder: reminder } : {}),
    configured: true,
    canConfigure: isAdmin,
    summary: summarize(document),
    upToDate: holdsContent(state, document.contentHash, clients.settings.sqaiSince),
  };
}
