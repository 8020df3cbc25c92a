/**
 * Gathers one requirement's context: the Jira issue, its remote links and its Xray coverage, all
 * three requests in parallel (Jira ≤ 2 round trips, Xray 1 for ≤ 100 tests), then builds the document.
 */
// The default import: webpack (the Forge bundler) warns on a JSON module's named imports.
import packageJson from '../../package.json';
import type { SyncTrigger } from '../api';
import { BULK_FETCH_LIMIT, getIssue, getRemoteIssueLinks } from '../clients/jira-issues';
import type { Deadline } from '../clients/upstream';
import type { XrayClient } from '../clients/xray/client';
import { planScopesOf, type PlanScope } from '../clients/xray/plan-results';
import {
  getRequirementContext,
  type XrayContextTest,
  type XrayRequirementContext,
} from '../clients/xray/requirement-context';
import { visibleTo } from '../access/authorize';
import type { StoredSettings } from '../config/schema';
import {
  criteriaFieldsToRead,
  criteriaForDocument,
  criteriaInputOf,
  readCriteriaRecord,
  type DocumentCriteria,
} from '../criteria/document-criteria';
import { executionResultsOf, type ExecutionResult } from '../criteria/execution-results';
import { MAX_EXECUTION_SCOPES, MAX_PLAN_SCOPES } from '../criteria/state';
import type { JiraActor, JiraTransport, KeyValueStore, Log } from '../platform/ports';
import { buildContextDocument } from './build-document';
import type { ContextDocument } from './schema';

/** The app's version, as package.json declares it (the one place it is set; the bundle keeps only it). */
export const APP_VERSION: string = packageJson.version;

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
  /**
   * Where the requirement's criteria record is read (`criteria:<issueId>`), so the document's
   * criteria keep their ids across edits; without it they are found with no history.
   */
  kvs?: Pick<KeyValueStore, 'get'>;
  log?: Pick<Log, 'warn'>;
}

export interface GatheredContext {
  document: ContextDocument;
  /** The project Jira says the issue is in (the document's `source.project` is the caller's). */
  issueProject: { id: string; key: string };
  /** The project's Xray test types (read in the same request). */
  testTypes: { name: string; kind: string }[];
  requests: { jira: number; xray: number };
  /** The document's criteria and their record (written by the sync when `updated`; never here). */
  criteria?: DocumentCriteria;
  /**
   * The Test Plans the (visible) covering tests are in, newest first, at most MAX_PLAN_SCOPES: what a
   * sync that keeps criterion state reads results for (src/clients/xray/plan-results.ts). No request.
   */
  planScopes: PlanScope[];
  /**
   * Each (visible) covering test's latest listed run in the newest MAX_EXECUTION_SCOPES Test
   * Executions they ran in (src/criteria/execution-results.ts), from the runs read above. No request.
   */
  executionResults: ExecutionResult[];
}

export async function gatherContext(deps: GatherDeps, input: GatherInput): Promise<GatheredContext> {
  const jiraOptions = { as: input.actor, ...(input.deadline ? { deadline: input.deadline } : {}) };
  const includeRemoteLinks = input.settings.sync.includeRemoteLinks;
  // All three start at once. The Jira read decides visibility: if it fails (the user cannot see the
  // issue), its error wins and nothing from Xray is used.
  const issuePromise = getIssue(
    deps.jira,
    input.issueId,
    jiraOptions,
    criteriaFieldsToRead(input.settings.sync),
  );
  const remotePromise = includeRemoteLinks
    ? getRemoteIssueLinks(deps.jira, input.issueId, jiraOptions)
    : null;
  const xrayPromise = getRequirementContext(deps.xray, input.issueId, {
    projectId: input.project.id,
    includeRuns: input.settings.sync.includeTestRuns,
  });
  const kvs = deps.kvs;
  const recordPromise = kvs
    ? readCriteriaRecord(kvs, deps.log ?? { warn: () => undefined }, input.issueId)
    : Promise.resolve(undefined);
  const settled = await Promise.allSettled([
    issuePromise,
    remotePromise ?? Promise.resolve(null),
    xrayPromise,
    recordPromise,
  ]);
  const [issueResult, remoteResult, xrayResult, recordResult] = settled;
  if (issueResult.status === 'rejected') throw issueResult.reason;
  if (remoteResult.status === 'rejected') throw remoteResult.reason;
  if (xrayResult.status === 'rejected') throw xrayResult.reason;
  if (recordResult.status === 'rejected') throw recordResult.reason;
  const { xray, jiraRequests } = await visibleXray(deps.jira, input, xrayResult.value);
  const criteria = kvs
    ? criteriaForDocument(
        recordResult.value,
        criteriaInputOf(issueResult.value.fields, input.settings.sync),
        input.now.toISOString(),
      )
    : undefined;
  const document = buildContextDocument({
    cloudId: input.cloudId,
    siteUrl: input.siteUrl,
    project: input.project,
    trigger: input.trigger,
    appVersion: APP_VERSION,
    now: input.now,
    issue: issueResult.value,
    remoteLinks: remoteResult.value,
    xray,
    requirementIssueTypes: input.settings.sync.requirementIssueTypes,
    actor: input.actor,
    ...(criteria ? { criteria: criteria.criteria } : {}),
  });
  const { id, key } = issueResult.value.fields.project;
  return {
    document,
    issueProject: { id, key },
    testTypes: xray.testTypes,
    requests: { jira: 1 + (includeRemoteLinks ? 1 : 0) + jiraRequests, xray: xray.requests },
    ...(criteria ? { criteria } : {}),
    planScopes: planScopesOf(xray.tests, MAX_PLAN_SCOPES),
    executionResults: executionResultsOf(xray.tests, MAX_EXECUTION_SCOPES),
  };
}

/** Every issue an Xray test names: itself, its preconditions, sets, executions, plans and runs. */
function issueIdsOf(test: XrayContextTest): string[] {
  const ids = [test.issueId];
  const add = (entity: { issueId?: string | null } | null | undefined) => {
    if (entity?.issueId) ids.push(entity.issueId);
  };
  for (const entity of test.preconditions?.results ?? []) add(entity);
  for (const entity of test.testSets?.results ?? []) add(entity);
  for (const entity of test.testExecutions?.results ?? []) add(entity);
  for (const entity of test.testPlans?.results ?? []) add(entity);
  for (const run of test.testRuns?.results ?? []) add(run?.testExecution);
  return ids;
}

/**
 * Xray reads with the project's key, so it names issues the calling user may not see (a test in a
 * restricted project, another team's Test Set). For a user, only what Jira shows them stays: a test
 * they cannot see goes (and leaves the count), and so does any set, execution, plan, precondition or
 * run in a hidden execution. One bulk Jira read per 100 distinct ids.
 */
async function visibleXray(
  jira: JiraTransport,
  input: GatherInput,
  xray: XrayRequirementContext,
): Promise<{ xray: XrayRequirementContext; jiraRequests: number }> {
  if (input.actor === 'app' || xray.tests.length === 0) return { xray, jiraRequests: 0 };
  const ids = [...new Set(xray.tests.flatMap(issueIdsOf))];
  const visible = await visibleTo({ jira }, input.actor, ids, input.deadline);
  const keep = <T extends { issueId?: string | null } | null>(
    page: { results?: T[] | null } | null | undefined,
  ) =>
    page?.results
      ? { ...page, results: page.results.filter((entity) => !entity?.issueId || visible(entity.issueId)) }
      : page;
  const tests = xray.tests
    .filter((test) => visible(test.issueId))
    .map((test) => ({
      ...test,
      preconditions: keep(test.preconditions),
      testSets: keep(test.testSets),
      testExecutions: keep(test.testExecutions),
      testPlans: keep(test.testPlans),
      testRuns: test.testRuns?.results
        ? {
            ...test.testRuns,
            results: test.testRuns.results.filter(
              (run) => !run?.testExecution?.issueId || visible(run.testExecution.issueId),
            ),
          }
        : test.testRuns,
    }));
  const hidden = xray.tests.length - tests.length;
  return {
    xray: { ...xray, tests, testsTotal: Math.max(tests.length, xray.testsTotal - hidden) },
    jiraRequests: Math.ceil(ids.length / BULK_FETCH_LIMIT),
  };
}

/** The panel's read: the issue's context as the calling user sees it. */
export function gatherForUser(
  platform: {
    jira: JiraTransport;
    clock: { now(): Date };
    kvs?: Pick<KeyValueStore, 'get'>;
    log?: Pick<Log, 'warn'>;
  },
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
    {
      jira: platform.jira,
      xray: clients.xray,
      ...(platform.kvs ? { kvs: platform.kvs } : {}),
      ...(platform.log ? { log: platform.log } : {}),
    },
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
