/**
 * Gathers one requirement's context: the Jira issue, its remote links and its Xray coverage, all
 * three requests in parallel (Jira ≤ 2 round trips, Xray 1 for ≤ 100 tests), then builds the document.
 * The linked Confluence pages and the text attachments are read as soon as the issue and its remote
 * links have answered — all at once, beside the Xray read, not after it — so the panel waits one
 * Confluence round trip more only when it is longer than Xray's.
 *
 * Which of the issues Xray names the user may see is asked of Jira (one bulk read as the user) — for
 * the ids Xray named at the last send (`visibilityGuess`) at once, beside the Xray read; for any id
 * Xray names now that was not guessed, once Xray has answered. Every id the document uses is so
 * checked live, as the user, in this gather; a guessed id Xray no longer names is ignored.
 */
// The default import: webpack (the Forge bundler) warns on a JSON module's named imports.
import packageJson from '../../package.json';
import type { SyncTrigger } from '../api';
import type { PageRead } from '../clients/confluence';
import {
  type AttachmentRead,
  BULK_FETCH_LIMIT,
  getIssue,
  getRemoteIssueLinks,
  type JiraIssue,
  type JiraRemoteLink,
} from '../clients/jira-issues';
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
import { platform as invocationPlatform } from '../platform/runtime';
import type { ConfluenceTransport, JiraActor, JiraTransport, KeyValueStore, Log } from '../platform/ports';
import { planAttachments, readAttachments } from './attachments';
import { buildContextDocument } from './build-document';
import { CONTEXT_LIMITS } from './limits';
import { pageLinksOf, readLinkedPages } from './linked-pages';
import { siteOriginOf } from './remote-links';
import type { ContextDocument } from './schema';
import { VISIBILITY_GUESS_LIMIT } from '../sync/state';

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
  /**
   * The issue ids Xray named at the last send of this requirement (its sync state's
   * `namedIssueIds`), or a read of them: which of them the user may see is asked of Jira at once,
   * beside the Xray read, instead of after it (one round trip less while the coverage is the same).
   * Only a guess of what to ask: an id is used only as the live answers of this gather say, and an
   * unreadable guess (or a failed guessed read) only means those ids are asked after Xray answers.
   * Not used for the app (it sees every issue).
   */
  visibilityGuess?: readonly string[] | PromiseLike<readonly string[]>;
}

export interface GatherDeps {
  jira: JiraTransport;
  xray: XrayClient;
  /**
   * The site's Confluence (linked pages are read through it, as the actor). Default: the invocation's
   * platform's — so that every caller (the panel, a send, a scheduled sync) reads the same pages and
   * builds the same document for the same content.
   */
  confluence?: ConfluenceTransport;
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
  /** Confluence page reads (in parallel with the Xray read). */
  confluenceRequests: number;
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
  /**
   * Every distinct issue id Xray named (tests, preconditions, sets, executions, plans, runs'
   * executions) — visible to the actor or not, in Xray's order: what the next send may guess
   * (`visibilityGuess`). Never shown nor sent; kept only as ids.
   */
  namedIssueIds: string[];
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
  // Pages and attachments: once the issue and its links are known, beside the Xray read.
  const contentPromise = Promise.all([issuePromise, remotePromise ?? Promise.resolve(null)]).then(
    ([issue, links]) =>
      readLinkedContent(deps, issue, links, {
        as: input.actor,
        siteUrl: input.siteUrl,
        ...(input.deadline ? { deadline: input.deadline } : {}),
      }),
  );
  const guessing = startGuess(deps.jira, input);
  const kvs = deps.kvs;
  const recordPromise = kvs
    ? readCriteriaRecord(kvs, deps.log ?? { warn: () => undefined }, input.issueId)
    : Promise.resolve(undefined);
  const settled = await Promise.allSettled([
    issuePromise,
    remotePromise ?? Promise.resolve(null),
    // Which of Xray's issues the user may see: read as soon as Xray answers, beside the page reads.
    xrayPromise.then((context) => visibleXray(deps.jira, input, context, guessing)),
    recordPromise,
    contentPromise,
  ]);
  const [issueResult, remoteResult, xrayResult, recordResult, contentResult] = settled;
  if (issueResult.status === 'rejected') throw issueResult.reason;
  if (remoteResult.status === 'rejected') throw remoteResult.reason;
  if (xrayResult.status === 'rejected') throw xrayResult.reason;
  if (recordResult.status === 'rejected') throw recordResult.reason;
  // Only Forge's consent prompt gets here (a page or attachment never fails the read).
  if (contentResult.status === 'rejected') throw contentResult.reason;
  const { pageReads, attachmentReads } = contentResult.value;
  const { xray, jiraRequests, namedIssueIds } = xrayResult.value;
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
    // What leaves Jira (issue 20): the same controls for the preview and what is sent.
    dataControls: input.settings.dataControls,
    actor: input.actor,
    ...(criteria ? { criteria: criteria.criteria } : {}),
    pageReads,
    attachmentReads,
  });
  const { id, key } = issueResult.value.fields.project;
  return {
    document,
    issueProject: { id, key },
    testTypes: xray.testTypes,
    requests: {
      jira: 1 + (includeRemoteLinks ? 1 : 0) + jiraRequests + attachmentReads.size,
      xray: xray.requests,
    },
    confluenceRequests: pageReads.size,
    ...(criteria ? { criteria } : {}),
    planScopes: planScopesOf(xray.tests, MAX_PLAN_SCOPES),
    executionResults: executionResultsOf(xray.tests, MAX_EXECUTION_SCOPES),
    namedIssueIds,
  };
}

/** What `buildContextDocument` takes as `pageReads` and `attachmentReads`. */
export interface LinkedContent {
  pageReads: Map<string, PageRead>;
  attachmentReads: Map<string, AttachmentRead>;
}

/**
 * Reads what the document holds beyond the issue itself: its linked Confluence pages (as `as`, through
 * `deps.confluence`, else the invocation platform's) and its text attachments (as `as`, through Jira),
 * all at once. Every caller that builds a document (the panel, a send, a scheduled or backfill batch)
 * reads them the same way, so the same content hashes the same. Never fails for a page or an
 * attachment (only Forge's consent prompt goes through). `links`: the issue's web links, or `null`
 * when the admin turned them off (then no page is read).
 */
export async function readLinkedContent(
  deps: { jira: JiraTransport; confluence?: ConfluenceTransport },
  issue: JiraIssue,
  links: readonly JiraRemoteLink[] | null,
  options: { as: JiraActor; siteUrl: string | null; deadline?: Deadline },
): Promise<LinkedContent> {
  const site = options.siteUrl ?? siteOriginOf(issue.self);
  const pages = links ? pageLinksOf(links, site, CONTEXT_LIMITS).links : [];
  const attachments = planAttachments(issue.fields.attachment ?? [], CONTEXT_LIMITS).plans;
  const callOptions = { as: options.as, ...(options.deadline ? { deadline: options.deadline } : {}) };
  const confluence = pages.some((page) => page.reason === null)
    ? (deps.confluence ?? invocationPlatform().confluence)
    : undefined;
  const [pageReads, attachmentReads] = await Promise.all([
    readLinkedPages(confluence, pages, callOptions),
    readAttachments(deps.jira, attachments, callOptions, CONTEXT_LIMITS),
  ]);
  return { pageReads, attachmentReads };
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

/** The guessed visibility read, once the guess is known: its ids and Jira's live answer for them. */
interface Guess {
  ids: ReadonlySet<string>;
  /** Null when the read failed: each of `ids` Xray names is then asked again. */
  visible: Promise<((issueId: string) => boolean) | null>;
  requests: number;
}

const bulkReads = (ids: number) => Math.ceil(ids / BULK_FETCH_LIMIT);

/**
 * Starts the guessed visibility read (`input.visibilityGuess`, at most VISIBILITY_GUESS_LIMIT ids) as
 * the user, without waiting for Xray. Never rejects: no guess, an unreadable one or a failed read only
 * leave the ids to the read after Xray's answer.
 */
function startGuess(jira: JiraTransport, input: GatherInput): Promise<Guess | null> {
  const listed = input.visibilityGuess;
  if (input.actor === 'app' || listed === undefined) return Promise.resolve(null);
  return Promise.resolve(listed).then(
    (guessed) => {
      const ids = [...new Set(guessed)].slice(0, VISIBILITY_GUESS_LIMIT);
      if (ids.length === 0) return null;
      const visible = visibleTo({ jira }, input.actor, ids, input.deadline).catch(() => null);
      return { ids: new Set(ids), visible, requests: bulkReads(ids.length) };
    },
    () => null,
  );
}

/**
 * Which of `ids` the user may see, from Jira's live answers: the guessed read's for a guessed id,
 * one bulk read more (started as soon as Xray answered) for the others — and for the guessed ones
 * too if the guessed read failed.
 */
async function visibilityOf(
  jira: JiraTransport,
  input: GatherInput,
  ids: readonly string[],
  guess: Guess | null,
): Promise<{ visible: (issueId: string) => boolean; requests: number }> {
  // No id asked, none visible (`visibleTo` of no id answers "all": never relied on here).
  const check = async (some: readonly string[]): Promise<(issueId: string) => boolean> =>
    some.length === 0 ? () => false : visibleTo({ jira }, input.actor, some, input.deadline);
  if (!guess) return { visible: await check(ids), requests: bulkReads(ids.length) };
  const guessed = ids.filter((id) => guess.ids.has(id));
  const unguessed = ids.filter((id) => !guess.ids.has(id));
  const [fromGuess, fromRest] = await Promise.all([guess.visible, check(unguessed)]);
  const rest = bulkReads(unguessed.length) + guess.requests;
  if (fromGuess) {
    return { visible: (id) => (guess.ids.has(id) ? fromGuess(id) : fromRest(id)), requests: rest };
  }
  const again = await check(guessed);
  return {
    visible: (id) => (guess.ids.has(id) ? again(id) : fromRest(id)),
    requests: rest + bulkReads(guessed.length),
  };
}

/**
 * Xray reads with the project's key, so it names issues the calling user may not see (a test in a
 * restricted project, another team's Test Set). For a user, only what Jira shows them stays: a test
 * they cannot see goes (and leaves the count), and so does any set, execution, plan, precondition or
 * run in a hidden execution. One bulk Jira read per 100 distinct ids (see `visibilityOf` for the
 * guessed ones).
 */
async function visibleXray(
  jira: JiraTransport,
  input: GatherInput,
  xray: XrayRequirementContext,
  guessing: Promise<Guess | null>,
): Promise<{ xray: XrayRequirementContext; jiraRequests: number; namedIssueIds: string[] }> {
  const namedIssueIds = [...new Set(xray.tests.flatMap(issueIdsOf))];
  const guess = await guessing;
  if (input.actor === 'app' || xray.tests.length === 0) {
    return { xray, jiraRequests: guess?.requests ?? 0, namedIssueIds };
  }
  const { visible, requests } = await visibilityOf(jira, input, namedIssueIds, guess);
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
    jiraRequests: requests,
    namedIssueIds,
  };
}

/** The panel's read: the issue's context as the calling user sees it. */
export function gatherForUser(
  platform: {
    jira: JiraTransport;
    confluence?: ConfluenceTransport;
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
  /** The issue ids Xray named at the last send (the sync state's `namedIssueIds`): see `visibilityGuess`. */
  visibilityGuess?: GatherInput['visibilityGuess'],
): Promise<GatheredContext> {
  return gatherContext(
    {
      jira: platform.jira,
      ...(platform.confluence ? { confluence: platform.confluence } : {}),
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
      ...(visibilityGuess === undefined ? {} : { visibilityGuess }),
    },
  );
}
