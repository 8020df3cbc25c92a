/**
 * The issue panel as the calling user opens it: whether the project is configured (and whether they
 * could configure it), what the app knows of the issue's testing context as Jira lets them see it,
 * and whether SQAI holds that context.
 */
import type { IssuePanelView } from '../api';
import { Deadline } from '../clients/upstream';
import { keyReminderOf } from '../config/connection-check';
import { gatherForUser } from '../context/gather';
import { resolvePeople } from '../people/resolve-people';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Reader } from '../errors';
import type { Platform } from '../platform/ports';
import type { IssueRef } from './issue-ref';
import { findProjectClients } from './project-clients';
import { holdsContent, SyncStateStore, toStateDto } from './state';
import { peopleNamedIn, summarize } from './to-dto';

/**
 * `reader` says whether the caller administers the project (from the same permission check that let
 * them see the issue): it decides the settings link, the key reminder and how stored errors read.
 */
export async function getIssuePanel(
  platform: Platform,
  caller: IssueRef,
  reader: Reader,
): Promise<IssuePanelView> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const [clients, state] = await Promise.all([
    findProjectClients(platform, caller.project.id, deadline),
    new SyncStateStore(platform.kvs).get(caller.project.id, caller.issue.id),
  ]);
  const stateDto = toStateDto(state, reader);
  const base = { project: caller.project, issue: caller.issue, state: stateDto };
  if (!clients) {
    const people = await resolvePeople(platform, peopleNamedIn(stateDto), { deadline });
    return {
      ...base,
      configured: false,
      canConfigure: reader.projectAdmin,
      summary: null,
      upToDate: false,
      people,
    };
  }
  const reminder = keyReminderOf(clients.settings, platform.clock.now());
  const [{ document }, people] = await Promise.all([
    // Which of Xray's issues the viewer sees: asked beside the Xray read for those it named at the last send.
    gatherForUser(platform, caller, clients, deadline, 'user', state?.namedIssueIds),
    // The viewer too: after they send, the state names them.
    resolvePeople(platform, [...peopleNamedIn(stateDto), caller.accountId], { deadline }),
  ]);
  return {
    ...base,
    people,
    ...(reminder && reader.projectAdmin ? { keyReminder: reminder } : {}),
    configured: true,
    canConfigure: reader.projectAdmin,
    summary: summarize(document),
    upToDate: holdsContent(state, document.contentHash, clients.settings.sqaiSince),
  };
}
