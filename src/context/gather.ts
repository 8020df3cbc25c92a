/**
 * Gathers one requirement's context: the Jira issue, its remote links and its Xray coverage, all
 * three requests in parallel (Jira ≤ 2 round trips, Xray 1 for ≤ 100 tests), then builds the document.
 */
import type { SyncTrigger } from '../api';
import { getIssue, getRemoteIssueLinks } from '../clients/jira-issues';
import type { Deadline } from '../clients/upstream';
import type { XrayClient } from '../clients/xray/client';
import { getRequirementContext } from '../clients/xray/requirement-context';
import type { StoredSettings } from '../config/schema';
import type { JiraActor, JiraTransport } from '../platform/ports';
import { buildContextDocument } from './build-document';
import type { ContextDocument } from './schema';

export const APP_VERSION = '0.2.0';

export interface GatherInput {
  cloudId: string;
  siteUrl: string | null;
  project: { id: string; key: string };
  issueId: string;
  actor: JiraActor;
  trigger: SyncTrigger;
  settings: StoredSettings;
  now: Date;
  deadline?: Deadline;
}

export interface GatherDeps {
  jira: JiraTransport;
  xray: XrayClient;
}

export interface GatheredContext {
  document: ContextDocument;
  /** The project's Xray test types (read in the same request). */
  testTypes: { name: string; kind: string }[];
  requests: { jira: number; xray: number };
}

export async function gatherContext(deps: GatherDeps, input: GatherInput): Promise<GatheredContext> {
  const jiraOptions = { as: input.actor, ...(input.deadline ? { deadline: input.deadline } : {}) };
  const includeRemoteLinks = input.settings.sync.includeRemoteLinks;
  // All three start at once. The Jira read decides visibility: if it fails (the user cannot see the
  // issue), its error wins and nothing from Xray is used.
  const issuePromise = getIssue(deps.jira, input.issueId, jiraOptions);
  const remotePromise = includeRemoteLinks
    ? getRemoteIssueLinks(deps.jira, input.issueId, jiraOptions)
    : null;
  const xrayPromise = getRequirementContext(deps.xray, input.issueId, {
    projectId: input.project.id,
    includeRuns: input.settings.sync.includeTestRuns,
  });
  const settled = await Promise.allSettled([
    issuePromise,
    remotePromise ?? Promise.resolve(null),
    xrayPromise,
  ]);
  const [issueResult, remoteResult, xrayResult] = settled;
  if (issueResult.status === 'rejected') throw issueResult.reason;
  if (remoteResult.status === 'rejected') throw remoteResult.reason;
  if (xrayResult.status === 'rejected') throw xrayResult.reason;
  const document = buildContextDocument({
    cloudId: input.cloudId,
    siteUrl: input.siteUrl,
    project: input.project,
    trigger: input.trigger,
    appVersion: APP_VERSION,
    now: input.now,
    issue: issueResult.value,
    remoteLinks: remoteResult.value,
    xray: xrayResult.value,
    requirementIssueTypes: input.settings.sync.requirementIssueTypes,
    actor: input.actor,
  });
  return {
    document,
    testTypes: xrayResult.value.testTypes,
    requests: { jira: 1 + (includeRemoteLinks ? 1 : 0), xray: xrayResult.value.requests },
  };
}

/** The panel's read: the issue's context as the calling user sees it. */
export function gatherForUser(
  platform: { jira: JiraTransport; clock: { now(): Date } },
  ref: {
    cloudId: string;
    siteUrl: string | null;
    project: { id: string; key: string };
    issue: { id: string };
  },
  clients: { xray: XrayClient; settings: StoredSettings },
  deadline: Deadline,
  actor: JiraActor = 'user',
): Promise<GatheredContext> {
  return gatherContext(
    { jira: platform.jira, xray: clients.xray },
    {
      cloudId: ref.cloudId,
      siteUrl: ref.siteUrl,
      project: ref.project,
      issueId: ref.issue.id,
      actor,
      trigger: 'panel',
      settings: clients.settings,
      now: platform.clock.now(),
      deadline,
    },
  );
}
