/**
 * The scheduled sync and backfills of one project, as the queue consumer runs them (acting as the
 * app). A run first lists its work — the requirements changed since the cursor (Jira `updated`, and
 * Xray tests, runs, sets and plans mapped to the requirements they cover) plus the retry set, or every
 * requirement for a backfill — then works through it in batches of 25: one Jira search, one Xray
 * request, remote links, then one SQAI batch push of what changed. Progress is saved after every batch,
 * so a run cut off at any point resumes where it stopped; a content hash SQAI already holds is never
 * pushed again. The cursor moves only when a scheduled run has delivered or parked everything it found.
 */
import {
  bulkFetchIssues,
  getRemoteIssueLinks,
  type JiraIssue,
  type JiraRemoteLink,
} from '../clients/jira-issues';
import { searchIssues } from '../clients/jira-writes';
import type { Deadline } from '../clients/upstream';
import { changedRequirementsSince } from '../clients/xray/changes';
import { getXrayProjectSettings } from '../clients/xray/project-settings';
import {
  getPlanResults,
  mergeScopes,
  planScopesOf,
  resultsFor,
  type PlanResult,
  type PlanScope,
} from '../clients/xray/plan-results';
import type { XrayRequirementContext } from '../clients/xray/requirement-context';
import { BATCH_REQUIREMENTS, getRequirementsBatch } from '../clients/xray/requirements-batch';
import { buildContextDocument } from '../context/build-document';
import {
  criteriaFieldsToRead,
  criteriaInputOf,
  keepDocumentCriteria,
  type DocumentCriteria,
} from '../criteria/document-criteria';
import { executionResultsOf, type ExecutionResult } from '../criteria/execution-results';
import { MAX_EXECUTION_SCOPES, MAX_PLAN_SCOPES } from '../criteria/state';
import { keepTraceability } from '../criteria/sync-traceability';
import { byteSize } from '../context/content-hash';
import { APP_VERSION, readLinkedContent, type LinkedContent } from '../context/gather';
import type { ContextDocument } from '../context/schema';
import { SQAI_CONTRACT_LIMITS } from '../clients/sqai-schemas';
import { AppError, toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import type { ProjectClients } from './project-clients';
import { RunStore, WORK_CHUNK, type SyncRun } from './run-store';
import { appViewSent, heldBySqai, holdsContent, SyncStateStore, type SyncState } from './state';
import { forgetIssue } from './sync-issue';
import { pageStatesOf, WatchedPages, type PageState } from './watched-pages';
import { auditSend, outcomeOfError } from '../audit/hooks';
import { pruneAudit, retentionDaysOf } from '../audit/store';

/** Changes are looked for from this long before the cursor (Jira's `updated` is minute-precise, clocks drift). */
export const CURSOR_OVERLAP_MS = 10 * 60_000;
/** Stop taking new batches when less than this is left (a batch takes seconds; saving takes less). */
const BATCH_RESERVE_MS = 60_000;
const SQAI_BATCH_DOCUMENTS = SQAI_CONTRACT_LIMITS.batchDocuments;
/** The contract's one body limit (4 MiB): a batch's body is measured exactly, envelope included. */
const SQAI_BATCH_BYTES = SQAI_CONTRACT_LIMITS.requestBodyBytes;
/** `{"items":[` + `]}`; each item adds `{"document":…,"ifMatch":"<64 hex>"}` at most, and a comma. */
const BATCH_ENVELOPE_BYTES = byteSize({ items: [] });
const ITEM_ENVELOPE_BYTES = byteSize({ document: null, ifMatch: '0'.repeat(64) }) - byteSize(null) + 1;
const REMOTE_LINK_PARALLELISM = 10;

export interface ProjectRef {
  cloudId: string;
  siteUrl: string | null;
  project: { id: string; key: string };
}

interface Failure {
  issueId: string;
  issueKey: string;
  error: unknown;
}

export interface RunCounters {
  jira: number;
  xray: number;
  sqai: number;
  /** `getPages` looks at the watched Confluence pages (./watched-pages.ts); page reads are not counted. */
  confluence: number;
}

/** JQL for the project's requirements (the admin's types, else Xray's coverable types). */
export function requirementJql(projectId: string, typeNames: string[], typeIds: string[]): string {
  const quoted = (values: string[]) =>
    values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(', ');
  const types = typeNames.length > 0 ? quoted(typeNames) : typeIds.length > 0 ? typeIds.join(', ') : '';
  // By id: a renamed project keeps its id.
  return `project = ${projectId}${types ? ` AND issuetype in (${types})` : ''}`;
}

/**
 * `updated >= since` in JQL. Jira reads a "yyyy-MM-dd HH:mm" date in the searching user's time zone —
 * for the app, the site's default user time zone — so a UTC wall-clock time lands hours off on any site
 * not at UTC (west of it the changes are missed, east of it hours of them are read again). An unquoted
 * number is "milliseconds after epoch" (Atlassian, "JQL fields" › Updated): the same instant in every
 * zone, to the millisecond, and — unlike a period such as "-65m" — fixed while the result is paged.
 */
const updatedSince = (since: Date) => `updated >= ${Math.floor(since.getTime())}`;

async function listIds(
  platform: Platform,
  jql: string,
  counters: RunCounters,
  deadline: Deadline,
): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await searchIssues(
      platform.jira,
      { jql, fields: ['id'], maxResults: 5_000, ...(nextPageToken ? { nextPageToken } : {}) },
      { as: 'app', deadline },
    );
    counters.jira += 1;
    ids.push(...page.issues.map((issue) => issue.id));
    if (page.issues.length === 0) break; // an empty page ends the list, whatever its token says
    nextPageToken =
      page.isLast === false || page.nextPageToken ? (page.nextPageToken ?? undefined) : undefined;
  } while (nextPageToken);
  return ids;
}

export class ProjectSync {
  private readonly runs: RunStore;
  private readonly states: SyncStateStore;
  private readonly watched: WatchedPages;
  readonly counters: RunCounters = { jira: 0, xray: 0, sqai: 0, confluence: 0 };

  constructor(
    private readonly platform: Platform,
    private readonly clients: ProjectClients,
    private readonly ref: ProjectRef,
  ) {
    this.runs = new RunStore(platform.kvs);
    this.states = new SyncStateStore(platform.kvs);
    this.watched = new WatchedPages(platform.kvs, platform.log);
  }

  private async requirementTypes(): Promise<{ names: string[]; ids: string[] }> {
    const names = this.clients.settings.sync.requirementIssueTypes;
    if (names.length > 0) return { names, ids: [] };
    // Xray's coverable types come with the change query; for a backfill ask Xray's settings directly.
    const settings = await getXrayProjectSettings(this.clients.xray, this.ref.project.id);
    this.counters.xray += 1;
    return { names: [], ids: settings?.coverableIssueTypeIds ?? [] };
  }

  /** Every requirement of the project (a backfill's list). */
  private async allRequirementIds(deadline: Deadline): Promise<string[]> {
    const types = await this.requirementTypes();
    return listIds(
      this.platform,
      requirementJql(this.ref.project.id, types.names, types.ids),
      this.counters,
      deadline,
    );
  }

  private async enumerate(run: SyncRun, deadline: Deadline): Promise<void> {
    const projectId = this.ref.project.id;
    const retries = (await this.runs.retries(projectId))
      .filter((entry) => !entry.gaveUp)
      .map((entry) => entry.issueId);
    let ids: string[];
    if (run.kind === 'backfill') {
      ids = await this.allRequirementIds(deadline);
    } else {
      // No cursor yet (the first hourly run after configuration): the first backfill read everything
      // changed before it started, so look from there — not from this run's start, which would miss
      // what changed between the two.
      const cursor =
        (await this.runs.cursor(projectId)) ?? (await this.runs.run(projectId, 'backfill'))?.startedAt;
      const since = new Date(Date.parse(cursor ?? run.startedAt) - CURSOR_OVERLAP_MS);
      run.since = since.toISOString();
      const xray = await changedRequirementsSince(this.clients.xray, projectId, since.toISOString());
      this.counters.xray += xray.requests;
      const names = this.clients.settings.sync.requirementIssueTypes;
      if (!xray.complete) {
        // Xray's list of changed tests was cut at its 10,000-item window: which requirements they
        // cover is unknown, so this run reads every requirement, as a backfill does (unchanged
        // content is not pushed again).
        ids = await this.allRequirementIds(deadline);
      } else {
        const jql = `${requirementJql(this.ref.project.id, names, names.length > 0 ? [] : xray.coverableIssueTypeIds)} AND ${updatedSince(since)} ORDER BY updated ASC`;
        const changed = await listIds(this.platform, jql, this.counters, deadline);
        // A linked Confluence page edited (or gone) since the document was built: Jira's `updated`
        // does not move for it, so the watched pages' versions are looked at (one request per 250).
        const pages = await this.watched.changedByPages(projectId, this.platform.confluence, deadline);
        this.counters.confluence += pages.requests;
        if (pages.changed.length > 0) {
          this.platform.log.info('Linked Confluence pages changed', {
            projectId,
            requirements: pages.changed.length,
            edited: pages.changed.filter((change) => change.change === 'edited').length,
            gone: pages.changed.filter((change) => change.change === 'gone').length,
          });
        }
        ids = [...changed, ...xray.requirementIds, ...pages.changed.map((change) => change.issueId)];
      }
    }
    const unique = [...new Set([...retries, ...ids])];
    const work = await this.runs.writeWork(projectId, run.id, unique);
    run.chunks = work.chunks;
    run.total = work.total;
    run.position = 0;
    run.phase = 'process';
  }

  /**
   * Works on the run until it is finished or the deadline is near. Returns `true` when the run still
   * has work (the caller requeues it).
   */
  async work(run: SyncRun, deadline: Deadline): Promise<boolean> {
    const projectId = this.ref.project.id;
    run.status = 'running';
    run.invocations += 1;
    try {
      if (run.phase === 'enumerate') {
        await this.enumerate(run, deadline);
        await this.save(run);
      }
      while (run.position < run.total) {
        if (deadline.remainingMs() < BATCH_RESERVE_MS) {
          await this.save(run);
          return true;
        }
        const chunk = Math.floor(run.position / WORK_CHUNK);
        const offset = run.position % WORK_CHUNK;
        const ids = (await this.runs.workChunk(projectId, run.id, chunk)).slice(
          offset,
          offset + BATCH_REQUIREMENTS,
        );
        if (ids.length === 0) break;
        await this.processBatch(run, ids, deadline);
        run.position += ids.length;
        run.done = run.position;
        await this.save(run);
      }
    } catch (error) {
      // A failure of the run itself (Jira, Xray or SQAI down for a whole batch): stop here, keep the
      // position and the cursor, and let the next invocation resume.
      run.error = toErrorDto(error);
      await this.save(run);
      throw error;
    }
    await this.finish(run);
    return false;
  }

  private async save(run: SyncRun): Promise<void> {
    run.updatedAt = this.platform.clock.now().toISOString();
    await this.runs.saveRun(this.ref.project.id, run);
  }

  private async finish(run: SyncRun): Promise<void> {
    const projectId = this.ref.project.id;
    run.phase = 'finished';
    run.status = 'done';
    delete run.error;
    run.finishedAt = this.platform.clock.now().toISOString();
    if (run.kind === 'scheduled') await this.runs.setCursor(projectId, run.startedAt);
    await this.runs.dropWork(projectId, run.id, run.chunks);
    await this.save(run);
    // The audit trail's retention and cap, a bounded step per run (src/audit/store.ts; never throws).
    await pruneAudit(this.platform, projectId, retentionDaysOf(this.clients.settings));
    this.platform.log.info('Sync run finished', {
      projectId,
      kind: run.kind,
      total: run.total,
      pushed: run.pushed,
      unchanged: run.unchanged,
      failed: run.failed,
      requests: this.counters,
    });
  }

  /** One batch: Jira fields, Xray coverage and remote links → documents → one SQAI push of what changed. */
  private async processBatch(run: SyncRun, ids: string[], deadline: Deadline): Promise<void> {
    const projectId = this.ref.project.id;
    const settings = this.clients.settings;
    const fetched = await bulkFetchIssues(
      this.platform.jira,
      ids,
      { as: 'app', deadline },
      criteriaFieldsToRead(settings.sync),
    );
    this.counters.jira += 1;
    // Moved to another project: not this project's requirement any more.
    const issues = fetched.filter((issue) => issue.fields.project.id === projectId);
    const found = new Set(issues.map((issue) => issue.id));
    // Gone (deleted, moved to another project, or no longer visible to the app): nothing to send;
    // SQAI forgets it (`DELETE /v1/contexts/…`, when it may hold it) and so does the app.
    const gone = ids.filter((id) => !found.has(id));
    for (const id of gone) {
      if (await forgetIssue(this.platform, this.clients, this.ref.cloudId, projectId, id))
        this.counters.sqai += 1;
    }

    const [xray, remote] = await Promise.all([
      issues.length > 0
        ? getRequirementsBatch(this.clients.xray, [...found], {
            projectId,
            includeRuns: settings.sync.includeTestRuns,
          })
        : Promise.resolve({ contexts: new Map<string, XrayRequirementContext>(), requests: 0 }),
      this.linksAndContentOf(issues, settings.sync.includeRemoteLinks, deadline),
    ]);
    this.counters.xray += xray.requests;
    await this.watchPages(issues, xray.contexts, remote.content, gone);

    const now = this.platform.clock.now();
    const changed: { document: ContextDocument; state: SyncState | null }[] = [];
    const failures: Failure[] = [];
    const built: {
      issue: JiraIssue;
      document: ContextDocument;
      criteria: DocumentCriteria;
      scopes: PlanScope[];
      executions: ExecutionResult[];
    }[] = [];
    let unchanged = 0;
    for (const issue of issues) {
      const context = xray.contexts.get(issue.id);
      if (!context) continue;
      try {
        // The criteria keep their ids from the stored record, as in a panel send (else the two views
        // would carry different ids for an edited criterion and hash differently).
        const criteria = await keepDocumentCriteria(
          this.platform,
          issue.id,
          criteriaInputOf(issue.fields, settings.sync),
          now.toISOString(),
        );
        const document = buildContextDocument({
          criteria: criteria.criteria,
          cloudId: this.ref.cloudId,
          siteUrl: this.ref.siteUrl,
          project: this.ref.project,
          trigger: run.kind,
          appVersion: APP_VERSION,
          now,
          issue,
          remoteLinks: settings.sync.includeRemoteLinks ? (remote.links.get(issue.id) ?? []) : null,
          // Linked Confluence pages and text attachments, read as the app (as the panel reads them as
          // the user): the two builds of one requirement must agree, or they would re-push each other.
          ...remote.content.get(issue.id),
          xray: context,
          requirementIssueTypes: settings.sync.requirementIssueTypes,
          dataControls: settings.dataControls,
          actor: 'app',
        });
        // Test Plan results are read only for requirements with criteria (the gate's plan scopes).
        const scopes =
          criteria.criteria.length > 0 && settings.sync.includeTestRuns
            ? planScopesOf(context.tests, MAX_PLAN_SCOPES)
            : [];
        // Test Execution results come from the runs read with the batch (no request).
        const executions =
          criteria.criteria.length > 0 ? executionResultsOf(context.tests, MAX_EXECUTION_SCOPES) : [];
        built.push({ issue, document, criteria, scopes, executions });
      } catch (error) {
        failures.push({ issueId: issue.id, issueKey: issue.key, error });
      }
    }
    const plans = await this.planResultsOf(built.flatMap(({ scopes }) => scopes));
    for (const { issue, document, criteria, scopes, executions } of built) {
      try {
        // Criterion state for the workflow gate and JQL (never fails the sync).
        const traced = await keepTraceability(this.platform, document, {
          deadline,
          criteria: criteria.record,
          ...(plans ? { planResults: resultsFor(scopes, plans) } : {}),
          executionResults: executions,
        });
        if (traced.propertyWritten) this.counters.jira += 1;
        const state = await this.states.get(projectId, issue.id);
        const since = this.clients.settings.sqaiSince;
        // Unchanged: SQAI holds it, or holds a panel send made since the app's view last changed.
        if (
          holdsContent(state, document.contentHash, since) ||
          appViewSent(state, document.contentHash, since)
        )
          unchanged += 1;
        else changed.push({ document, state });
      } catch (error) {
        failures.push({ issueId: issue.id, issueKey: issue.key, error });
      }
    }
    const pushed = await this.push(run, changed, failures);
    run.pushed += pushed.length;
    run.unchanged += unchanged;
    run.failed += failures.length;
    await this.runs.updateRetries(projectId, {
      succeeded: issues
        .filter((issue) => !failures.some((f) => f.issueId === issue.id))
        .map((issue) => issue.id),
      failed: failures.map(({ issueId, issueKey, error }) => ({
        issueId,
        issueKey,
        lastError: toErrorDto(error),
        lastAt: now.toISOString(),
      })),
      removed: gone,
    });
  }

  /**
   * Records which Confluence pages the batch's documents include, at which version (./watched-pages.ts):
   * a requirement built from this batch's reads replaces its entry (no pages: it drops out), one Xray
   * does not know or that is gone drops out. Never fails the batch (logged).
   */
  private async watchPages(
    issues: readonly JiraIssue[],
    contexts: ReadonlyMap<string, XrayRequirementContext>,
    content: ReadonlyMap<string, LinkedContent>,
    gone: readonly string[],
  ): Promise<void> {
    const built = new Map<string, PageState[]>();
    const removed = [...gone];
    for (const issue of issues) {
      const read = content.get(issue.id);
      if (contexts.has(issue.id) && read) built.set(issue.id, pageStatesOf(read.pageReads));
      else removed.push(issue.id);
    }
    try {
      await this.watched.recordBatch(this.ref.project.id, built, removed, this.platform.clock.now());
    } catch (error) {
      this.platform.log.warn('Could not record the linked Confluence pages', {
        projectId: this.ref.project.id,
        code: toErrorDto(error).code,
      });
    }
  }

  /**
   * The batch's tests' results in their Test Plans: one Xray request per 8 plans, none without a
   * plan. Undefined when the read failed (logged; each criterion state keeps its previous plan
   * scopes until the next sync reads them — the sync itself goes on).
   */
  private async planResultsOf(scopes: PlanScope[]): Promise<Map<string, PlanResult> | undefined> {
    if (scopes.length === 0) return new Map();
    try {
      const { plans, requests } = await getPlanResults(this.clients.xray, mergeScopes(scopes));
      this.counters.xray += requests;
      return plans;
    } catch (error) {
      this.platform.log.warn('Could not read the Test Plan results; the next sync tries again', {
        code: toErrorDto(error).code,
      });
      return undefined;
    }
  }

  /**
   * Each issue's remote links (when the sync includes them), then at once what they and its attachments
   * hold (`readLinkedContent`: Confluence pages, text attachments) — REMOTE_LINK_PARALLELISM issues at a
   * time, beside the batch's Xray read.
   */
  private async linksAndContentOf(
    issues: JiraIssue[],
    includeRemoteLinks: boolean,
    deadline: Deadline,
  ): Promise<{ links: Map<string, JiraRemoteLink[]>; content: Map<string, LinkedContent> }> {
    const links = new Map<string, JiraRemoteLink[]>();
    const content = new Map<string, LinkedContent>();
    let next = 0;
    const worker = async () => {
      while (next < issues.length) {
        const issue = issues[next++];
        if (!issue) break;
        let remote: JiraRemoteLink[] | null = null;
        if (includeRemoteLinks) {
          remote = await getRemoteIssueLinks(this.platform.jira, issue.id, { as: 'app', deadline });
          links.set(issue.id, remote);
          this.counters.jira += 1;
        }
        const read = await readLinkedContent(
          { jira: this.platform.jira, confluence: this.platform.confluence },
          issue,
          remote,
          { as: 'app', siteUrl: this.ref.siteUrl, deadline },
        );
        this.counters.jira += read.attachmentReads.size;
        content.set(issue.id, read);
      }
    };
    await Promise.all(Array.from({ length: Math.min(REMOTE_LINK_PARALLELISM, issues.length) }, worker));
    return { links, content };
  }

  /**
   * Pushes documents in SQAI batches (≤ 50 items, ≤ 4 MiB of body, measured exactly) and records each
   * outcome; returns the pushed ids. Each item is a conditional write (If-Match the version the app
   * last saw SQAI accept); one SQAI refuses because it holds another version is recorded with what
   * SQAI holds and retried by the next run, which reads the issue again (never written over blindly
   * with what this run read).
   */
  private async push(
    run: SyncRun,
    documents: { document: ContextDocument; state: SyncState | null }[],
    failures: Failure[],
  ): Promise<string[]> {
    const projectId = this.ref.project.id;
    const pushed: string[] = [];
    const groups: ContextDocument[][] = [];
    const heldOf = new Map(
      documents.map(({ document, state }) => [
        document.source.issueId,
        heldBySqai(state, this.clients.settings.sqaiSince),
      ]),
    );
    let group: ContextDocument[] = [];
    let bytes = BATCH_ENVELOPE_BYTES;
    for (const { document } of documents) {
      const size = byteSize(document) + ITEM_ENVELOPE_BYTES;
      if (group.length >= SQAI_BATCH_DOCUMENTS || (group.length > 0 && bytes + size > SQAI_BATCH_BYTES)) {
        groups.push(group);
        group = [];
        bytes = BATCH_ENVELOPE_BYTES;
      }
      group.push(document);
      bytes += size;
    }
    if (group.length > 0) groups.push(group);
    for (const batch of groups) {
      // The audit trail (src/audit): one entry per document of the batch, written together after it.
      const audit = (document: ContextDocument, outcome: string) =>
        auditSend(
          this.platform,
          projectId,
          document,
          { kind: 'schedule' },
          this.clients.settings.sqai.endpoint,
          outcome,
        );
      let results: Awaited<ReturnType<typeof this.clients.sqai.pushBatch>>;
      try {
        results = await this.clients.sqai.pushBatch(
          batch.map((document) => ({ document, held: heldOf.get(document.source.issueId) ?? 'nothing' })),
        );
      } catch (error) {
        await Promise.all(batch.map((document) => audit(document, outcomeOfError(error))));
        throw error;
      }
      this.counters.sqai += 1;
      const audits: Promise<void>[] = [];
      const at = this.platform.clock.now();
      for (const document of batch) {
        const found = results.get(document.source.issueId);
        // A result counts only for the content it echoes.
        const result = found?.contentHash === document.contentHash ? found : undefined;
        const attempt = { at, trigger: run.kind, contentHash: document.contentHash, durationMs: 0 } as const;
        if (result && result.status !== 'failed') {
          await this.states.record(projectId, document.source.issueId, { ...attempt, outcome: 'pushed' });
          pushed.push(document.source.issueId);
          audits.push(audit(document, 'pushed'));
        } else {
          const error = new AppError('SQAI_REJECTED', {
            message: `SQAI refused ${document.source.issueKey}: ${result?.error ?? 'no result for it'}`,
          });
          await this.states.record(projectId, document.source.issueId, {
            ...attempt,
            outcome: 'failed',
            error: toErrorDto(error),
            ...(result?.problem === 'precondition-failed' ? { sqaiHolds: result.current ?? null } : {}),
          });
          failures.push({ issueId: document.source.issueId, issueKey: document.source.issueKey, error });
          audits.push(audit(document, result?.problem ? `refused (${result.problem})` : 'refused'));
        }
      }
      await Promise.all(audits);
    }
    return pushed;
  }
}
