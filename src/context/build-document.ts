/**
 * Builds the `sqai.context/v1.2` document from what Jira and Xray answered (pure: no I/O), keeps it
 * within its limits (src/context/limits.ts), hashes it and validates it against the schema.
 *
 * Within the limits: every list has a cap and every text field a length (cut fields end in a marker).
 * Then the document is filled into its byte cap in order of value (sizes add up, see ./fit.ts): the
 * requirement; each covering test, listed; each test's details (steps, Gherkin, definition,
 * precondition definitions); then test sets, executions and plans, linked Confluence pages (each
 * whole, else with its content cut to what is left, else listed without it), attachments (whole, else
 * listed without their content), linked issues and, last, web links — each of these lists only if the
 * ones before it are whole. So web links go first, then linked issues, then attachments' and pages'
 * content, then the organisation lists, then test details, then tests; only when the
 * requirement alone is over the cap is its description shortened further. The tests are fitted with
 * room kept for what the later lists add to `truncated`/`omitted`, so they come out the same with or
 * without web links and linked issues. Everything cut is listed in `truncated`, every entry left out
 * counted in `omitted`, and the serialized document (with its hash) never passes `documentBytes`.
 */
import type { SyncTrigger } from '../api';
import type { PageRead } from '../clients/confluence';
import type { AttachmentRead, JiraIssue, JiraIssueLink, JiraRemoteLink } from '../clients/jira-issues';
import type { XrayContextTest, XrayRequirementContext } from '../clients/xray/requirement-context';
import type { DataControlsDto } from '../api';
import { applyDataControls } from './data-controls';
import { criteriaForDocument } from '../criteria/document-criteria';
import type { Criterion } from '../criteria/schema';
import { AppError } from '../errors';
import { adfToMarkdown, truncateMarkdown } from './adf-markdown';
import { byteSize, contentHashOf } from './content-hash';
import { ByteBudget, shrinkRequirement, sizeOf } from './fit';
import {
  at,
  CONTEXT_LIMITS,
  type ContextLimits,
  entry,
  type Entry,
  type FieldPath,
  TruncationLog,
  truncateText,
  truncationMarker,
} from './limits';
import {
  attachmentEntries,
  type AttachmentCandidate,
  planAttachments,
  withAttachmentReads,
} from './attachments';
import { linkedPageEntries, type PageCandidate, pageLinksOf, withPageReads } from './linked-pages';
import { remoteLinksOf, siteOriginOf } from './remote-links';
import {
  CONTEXT_SCHEMA_ID,
  contextDocumentSchema,
  contextDocumentSchemaFor,
  type ContextDocument,
  type AttachmentEntry,
  type ContextTest,
  type LinkedIssue,
  type LinkedPage,
  type RemoteLinkEntry,
} from './schema';

export interface BuildContextInput {
  cloudId: string;
  siteUrl: string | null;
  project: { id: string; key: string };
  trigger: SyncTrigger;
  appVersion: string;
  now: Date;
  issue: JiraIssue;
  /** `null` when the admin turned remote links off. */
  remoteLinks: JiraRemoteLink[] | null;
  xray: XrayRequirementContext;
  /** Issue type names the admin declared requirements (empty: Xray's coverable types decide). */
  requirementIssueTypes: string[];
  /**
   * When the document is built for a user, only covering tests the user can see are included: Jira's
   * answer to that user lists exactly the linked issues they may see.
   */
  actor: 'user' | 'app';
  limits?: Partial<Record<keyof typeof CONTEXT_LIMITS, number>>;
  /**
   * The requirement's acceptance criteria with their ids, as the stored criteria record makes them
   * (src/criteria/document-criteria.ts `criteriaForDocument`). Without it they are found in the
   * description with no history: the same ids for criteria never edited since first found.
   */
  criteria?: readonly Criterion[];
  /**
   * What Confluence answered for the linked pages read (page id → answer; src/context/linked-pages.ts
   * `readLinkedPages`). A page the links say to read with no answer here is listed as `unavailable`.
   */
  pageReads?: ReadonlyMap<string, PageRead>;
  /** What Jira answered for the attachments read (attachment id → answer; ./attachments.ts). */
  attachmentReads?: ReadonlyMap<string, AttachmentRead>;
  /**
   * The project admin's data controls (issue 20; ./data-controls.ts): sources kept in Jira, the
   * requirement fields allowed, redaction. Absent: the document as read (tests of the builder itself).
   */
  dataControls?: DataControlsDto;
}

type Draft = Omit<ContextDocument, 'contentHash'>;
type Requirement = Draft['requirement'];
type TestSet = Draft['xray']['testSets'][number];
type TestExecution = Draft['xray']['testExecutions'][number];
type TestPlan = Draft['xray']['testPlans'][number];

/** Jira's `2026-11-25T10:00:00.000+0000` → ISO 8601 with a colon in the offset; other values unchanged. */
export function normalizeJiraTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(withColon);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

const nameOf = (value: { name: string } | string | null | undefined): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : value.name;

/** Short text (names, keys, statuses) cut to `limits.nameChars`. */
const shortText =
  (limits: ContextLimits, log: TruncationLog) =>
  (path: FieldPath | string, value: string | null | undefined): string | null =>
    log.nullableText(path, value, limits.nameChars);

/** The first `limits.labels` names of the list at `pattern` (its `*`s filled by `parts`), each cut to `limits.nameChars`. */
function namesOf(
  pattern: string,
  parts: readonly string[],
  values: readonly string[],
  limits: ContextLimits,
  log: TruncationLog,
): string[] {
  return log
    .capped(at(pattern, ...parts), values, limits.labels)
    .map((value, index) => log.text(at(`${pattern}.*`, ...parts, index), value, limits.nameChars));
}

function linkedIssuesOf(
  links: readonly JiraIssueLink[],
  skip: ReadonlySet<string>,
  limits: ContextLimits,
  log: TruncationLog,
): Entry<LinkedIssue>[] {
  const others = links.flatMap((link) => {
    const outward = link.outwardIssue;
    const other = outward ?? link.inwardIssue;
    return other && !skip.has(other.id) ? [{ link, other, outward: outward !== undefined }] : [];
  });
  return log.capped('linkedIssues', others, limits.linkedIssues).map(({ link, other, outward }) =>
    entry(log, (own) => {
      const name = shortText(limits, own);
      const field = (field: string) => at(`linkedIssues.*.${field}`, other.key);
      return {
        id: name(field('id'), other.id) ?? '',
        key: name(field('key'), other.key) ?? '',
        summary: own.text(field('summary'), other.fields?.summary ?? '', limits.summaryChars),
        linkType: name(field('linkType'), link.type.name) ?? '',
        direction: outward ? 'outward' : 'inward',
        relation: name(field('relation'), outward ? link.type.outward : link.type.inward) ?? '',
        status: name(field('status'), other.fields?.status?.name),
        type: name(field('type'), other.fields?.issuetype?.name),
      };
    }),
  );
}

type XrayRun = NonNullable<NonNullable<NonNullable<XrayContextTest['testRuns']>['results']>[number]>;

const runTime = (run: XrayRun): number => Date.parse(run.finishedOn ?? run.startedOn ?? '') || 0;

/** The most recent run: latest finish (or start); never-run (TODO) runs only when nothing else exists. */
export function latestRunOf(runs: XrayRun[]): XrayRun | null {
  let best: XrayRun | null = null;
  for (const run of runs) {
    if (!best || runTime(run) > runTime(best)) best = run;
  }
  return best;
}

const keyOf = (entity: { issueId?: string | null; jira?: { key?: string } | null }, fallback: string) =>
  entity.jira?.key ?? fallback;

/** One covering test: listed (`stub`, details left out) or whole (`full`, built only when it may fit). */
interface TestCandidate {
  source: XrayContextTest;
  stub: () => Entry<ContextTest>;
  full: () => Entry<ContextTest>;
  /** Fewer bytes than the details add to the listed test (each character is at least one byte). */
  detailsFloor: number;
}

function testCandidate(test: XrayContextTest, limits: ContextLimits, log: TruncationLog): TestCandidate {
  const rawKey = keyOf(test, test.issueId);
  const kind = test.testType?.kind ?? 'Steps';
  const runs = (test.testRuns?.results ?? []).filter((run): run is XrayRun => run !== null);
  const preconditions = (test.preconditions?.results ?? []).flatMap((precondition) =>
    precondition?.issueId ? [{ ...precondition, issueId: precondition.issueId }] : [],
  );

  /** What a listed test holds (the precondition definitions and the details are added by `full`). */
  const base = (own: TruncationLog, withDefinitions: boolean): ContextTest => {
    const name = shortText(limits, own);
    const key = name(at('xray.tests.*.key', rawKey), rawKey) ?? '';
    const path = (field: string, ...parts: (string | number)[]) =>
      at(`xray.tests.*.${field}`, rawKey, ...parts);
    const latest = latestRunOf(runs);
    const value: ContextTest = {
      id: name(path('id'), test.issueId) ?? '',
      key,
      summary: own.text(path('summary'), test.jira?.summary ?? '', limits.summaryChars),
      status: name(path('status'), nameOf(test.jira?.status)),
      testType: {
        name: name(path('testType.name'), test.testType?.name ?? 'Unknown') ?? '',
        kind: name(path('testType.kind'), kind) ?? '',
      },
      labels: namesOf('xray.tests.*.labels', [rawKey], test.jira?.labels ?? [], limits, own),
      folder: own.nullableText(path('folder'), test.folder?.path ?? null, limits.folderChars),
      preconditions: own
        .capped(path('preconditions'), preconditions, limits.preconditionsPerTest)
        .map((precondition, index) => ({
          id: name(path('preconditions.*.id', index), precondition.issueId) ?? '',
          key: name(path('preconditions.*.key', index), keyOf(precondition, precondition.issueId)) ?? '',
          summary: own.text(
            path('preconditions.*.summary', index),
            precondition.jira?.summary ?? '',
            limits.summaryChars,
          ),
          definition: withDefinitions
            ? own.nullableText(
                path('preconditions.*.definition', index),
                precondition.definition,
                limits.preconditionChars,
              )
            : null,
        })),
      latestRun: latest
        ? {
            status: name(path('latestRun.status'), latest.status?.name ?? 'UNKNOWN') ?? '',
            execution: latest.testExecution?.issueId
              ? {
                  id: name(path('latestRun.execution.id'), latest.testExecution.issueId) ?? '',
                  key: name(path('latestRun.execution.key'), latest.testExecution.jira?.key ?? null),
                }
              : null,
            startedOn: name(path('latestRun.startedOn'), latest.startedOn ?? null),
            finishedOn: name(path('latestRun.finishedOn'), latest.finishedOn ?? null),
          }
        : null,
    };
    if (kind === 'Gherkin') value.scenarioType = name(path('scenarioType'), test.scenarioType ?? null);
    return value;
  };

  const details = (own: TruncationLog): ContextTest => {
    const value = base(own, true);
    const path = (field: string, ...parts: (string | number)[]) =>
      at(`xray.tests.*.${field}`, rawKey, ...parts);
    if (kind === 'Gherkin') {
      const { scenarioType = null, ...rest } = value;
      return {
        ...rest,
        gherkin: own.text(path('gherkin'), test.gherkin ?? '', limits.definitionChars),
        scenarioType,
      };
    }
    if (kind === 'Unstructured') {
      value.definition = own.text(path('definition'), test.unstructured ?? '', limits.definitionChars);
      return value;
    }
    const steps = (test.steps ?? []).flatMap((step) => (step ? [step] : []));
    // By its index in the document's `steps` (the first ones are kept).
    value.steps = own.capped(path('steps'), steps, limits.stepsPerTest).map((step, index) => ({
      action: own.text(path('steps.*.action', index), step.action ?? '', limits.stepFieldChars),
      data: own.nullableText(path('steps.*.data', index), step.data || null, limits.stepFieldChars),
      result: own.nullableText(path('steps.*.result', index), step.result || null, limits.stepFieldChars),
    }));
    return value;
  };

  let stub: Entry<ContextTest> | undefined;
  let full: Entry<ContextTest> | undefined;
  return {
    source: test,
    stub: () => (stub ??= entry(log, (own) => ({ ...base(own, false), detailsOmitted: true }))),
    full: () => (full ??= entry(log, details)),
    detailsFloor: detailsFloorOf(test, kind, preconditions, limits),
  };
}

/**
 * A lower bound of the bytes a test's details add to its listed form: the characters of its steps,
 * Gherkin or definition and precondition definitions (a value that will be cut: its marker only),
 * less what only the listed form holds (`"detailsOmitted":true`, a `null` per precondition
 * definition). A test whose floor is over the bytes left is not built whole at all.
 */
function detailsFloorOf(
  test: XrayContextTest,
  kind: string,
  preconditions: readonly { definition?: string | null }[],
  limits: ContextLimits,
): number {
  const chars = (value: string | null | undefined, max: number) => {
    const length = value?.length ?? 0;
    return length <= max ? length : truncationMarker(length).length;
  };
  let floor = 0;
  if (kind === 'Gherkin') floor += chars(test.gherkin, limits.definitionChars);
  else if (kind === 'Unstructured') floor += chars(test.unstructured, limits.definitionChars);
  else {
    const steps = test.steps ?? [];
    for (let index = 0, counted = 0; index < steps.length && counted < limits.stepsPerTest; index += 1) {
      const step = steps[index];
      if (!step) continue;
      counted += 1;
      floor +=
        chars(step.action, limits.stepFieldChars) +
        chars(step.data, limits.stepFieldChars) +
        chars(step.result, limits.stepFieldChars);
    }
  }
  const kept = preconditions.slice(0, limits.preconditionsPerTest);
  for (const precondition of kept) floor += chars(precondition.definition, limits.preconditionChars);
  return floor - STUB_ONLY_BYTES - 4 * kept.length;
}

/** `,"detailsOmitted":true`: what only the listed form of a test holds. */
const STUB_ONLY_BYTES = byteSize({ detailsOmitted: true }) - 1;

/** The smallest listed test there can be (a test smaller than the bytes left cannot fit). */
const MIN_STUB_BYTES = byteSize({
  id: '',
  key: '',
  summary: '',
  status: null,
  testType: { name: '', kind: '' },
  labels: [],
  folder: null,
  preconditions: [],
  latestRun: null,
  detailsOmitted: true,
});

/** A test set, execution or plan as Xray lists it beside a test. */
interface IssueRefSource {
  issueId: string;
  jira?: { key?: string; summary?: string } | null;
}

/** Test sets, executions (with the latest status counts of the kept tests) and plans of the kept tests. */
function organisationOf(
  tests: readonly { source: XrayContextTest; key: string }[],
  limits: ContextLimits,
  log: TruncationLog,
) {
  const sets = new Map<string, { ref: IssueRefSource; testKeys: string[] }>();
  const executions = new Map<
    string,
    {
      ref: IssueRefSource;
      environments: string[];
      // Counted in a Map: a status named `constructor` or `__proto__` must not meet Object.prototype.
      statusCounts: Map<string, number>;
    }
  >();
  const plans = new Map<string, IssueRefSource>();
  for (const { source: test, key: testKey } of tests) {
    for (const set of test.testSets?.results ?? []) {
      if (!set?.issueId) continue;
      const found = sets.get(set.issueId) ?? { ref: { ...set, issueId: set.issueId }, testKeys: [] };
      found.testKeys.push(testKey);
      sets.set(set.issueId, found);
    }
    for (const execution of test.testExecutions?.results ?? []) {
      if (!execution?.issueId || executions.has(execution.issueId)) continue;
      executions.set(execution.issueId, {
        ref: { ...execution, issueId: execution.issueId },
        environments: (execution.testEnvironments ?? []).filter(
          (env): env is string => typeof env === 'string',
        ),
        statusCounts: new Map(),
      });
    }
    for (const plan of test.testPlans?.results ?? []) {
      if (!plan?.issueId || plans.has(plan.issueId)) continue;
      plans.set(plan.issueId, { ...plan, issueId: plan.issueId });
    }
    // The latest status of this test in each execution it ran in.
    const byExecution = new Map<string, XrayRun[]>();
    for (const run of test.testRuns?.results ?? []) {
      const executionId = run?.testExecution?.issueId;
      if (!run || !executionId) continue;
      const runs = byExecution.get(executionId) ?? [];
      runs.push(run);
      byExecution.set(executionId, runs);
    }
    for (const [executionId, runs] of byExecution) {
      const execution = executions.get(executionId);
      const status = latestRunOf(runs)?.status?.name;
      if (execution && status)
        execution.statusCounts.set(status, (execution.statusCounts.get(status) ?? 0) + 1);
    }
  }
  const issueRef = (list: string, ref: IssueRefSource, own: TruncationLog) => {
    const rawKey = keyOf(ref, ref.issueId);
    const name = shortText(limits, own);
    return {
      id: name(at(`${list}.*.id`, rawKey), ref.issueId) ?? '',
      key: name(at(`${list}.*.key`, rawKey), rawKey) ?? '',
      summary: own.text(at(`${list}.*.summary`, rawKey), ref.jira?.summary ?? '', limits.summaryChars),
    };
  };
  return {
    testSets: log
      .capped('xray.testSets', [...sets.values()], limits.testSets)
      .map(({ ref, testKeys }): Entry<TestSet> =>
        entry(log, (own) => ({ ...issueRef('xray.testSets', ref, own), testKeys })),
      ),
    testExecutions: log
      .capped('xray.testExecutions', [...executions.values()], limits.testExecutions)
      .map(({ ref, environments, statusCounts }): Entry<TestExecution> =>
        entry(log, (own) => {
          const rawKey = keyOf(ref, ref.issueId);
          return {
            ...issueRef('xray.testExecutions', ref, own),
            environments: own
              .capped(
                at('xray.testExecutions.*.environments', rawKey),
                environments,
                limits.environmentsPerExecution,
              )
              .map((env, index) =>
                own.text(at('xray.testExecutions.*.environments.*', rawKey, index), env, limits.nameChars),
              ),
            statusCounts: Object.fromEntries(
              cutKeys(statusCounts, (status) =>
                own.text(at('xray.testExecutions.*.statusCounts', rawKey), status, limits.nameChars),
              ),
            ),
          };
        }),
      ),
    testPlans: log
      .capped('xray.testPlans', [...plans.values()], limits.testPlans)
      .map((ref): Entry<TestPlan> => entry(log, (own) => issueRef('xray.testPlans', ref, own))),
  };
}

/** `counts` with each key cut by `cut` (counts of keys that become equal add up). */
function cutKeys(counts: ReadonlyMap<string, number>, cut: (key: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, count] of counts) {
    const name = cut(key);
    out.set(name, (out.get(name) ?? 0) + count);
  }
  return out;
}

/** What the document is made of, each list in order of value, before anything is left out to fit. */
interface Parts {
  skeleton: Draft;
  /** The whole description as Markdown (a further cut counts from it). */
  markdown: string;
  tests: TestCandidate[];
  /** Cuts made building the requirement and the tests. */
  log: TruncationLog;
  /** What goes first when the document is too big, and the cuts made building it. */
  lower: {
    linkedPages: PageCandidate[];
    attachments: AttachmentCandidate[];
    linkedIssues: Entry<LinkedIssue>[];
    remoteLinks: Entry<RemoteLinkEntry>[];
    log: TruncationLog;
  };
}

interface KeptTest {
  candidate: TestCandidate;
  value: ContextTest;
  log: TruncationLog;
}

interface Fitted {
  draft: Draft;
  log: TruncationLog;
  /** Bytes of the budget left unused. */
  slack: number;
  /** The document's size with its `truncated` and `omitted` (added up, not measured again). */
  bytes: number;
}

/**
 * The requirement and the covering tests within `budget` bytes: each test listed, in order, while it
 * fits; then, in order, each test's details while they fit. Shortens the requirement if it alone is
 * over; `null` when even that cannot fit.
 */
function fitRequirementAndTests(parts: Parts, budget: number): (Fitted & { kept: KeptTest[] }) | null {
  const log = parts.log.clone();
  const requirement: Requirement = { ...parts.skeleton.requirement };
  const xray: Draft['xray'] = { ...parts.skeleton.xray };
  const draft: Draft = { ...parts.skeleton, requirement, xray };
  // The lists `truncated` and `omitted` count too, as they stand (what they grow by is the next pass's).
  const measure = () => byteSize(draft) + listsBytes(log);
  if (measure() > budget && !shrinkRequirement(requirement, parts.markdown, budget, measure, log))
    return null;
  const content = byteSize(draft);
  const bytes = new ByteBudget(budget - content - listsBytes(log));
  const start = bytes.remaining;
  const kept: KeptTest[] = [];
  for (const candidate of parts.tests) {
    if (bytes.remaining < MIN_STUB_BYTES) break;
    const stub = candidate.stub();
    if (bytes.spend(ByteBudget.inArray(sizeOf(stub.value), kept.length))) kept.push({ candidate, ...stub });
  }
  log.omit('xray.tests', parts.tests.length - kept.length);
  for (const test of kept) {
    if (test.candidate.detailsFloor > bytes.remaining) continue;
    const full = test.candidate.full();
    if (bytes.spend(sizeOf(full.value) - sizeOf(test.value))) Object.assign(test, full);
  }
  // Not a place in the document: each such test says `detailsOmitted: true`; counted in `omitted`.
  log.count('xray.tests.details', kept.filter((test) => test.value.detailsOmitted).length);
  for (const test of kept) log.merge(test.log);
  xray.tests = kept.map((test) => test.value);
  const size = content + start - bytes.remaining + listsBytes(log);
  return { draft, log, kept, slack: bytes.remaining, bytes: size };
}

/**
 * Adds what is worth less than the tests into what is left of `budget`, most valuable first: test
 * sets, executions and plans of the kept tests, then linked issues, then web links — a list only when
 * the ones before it are whole.
 */
function fitLowerLists(
  upper: Fitted & { kept: KeptTest[] },
  parts: Parts,
  budget: number,
  limits: ContextLimits,
): Fitted & { entries: number } {
  const log = upper.log.clone().merge(parts.lower.log);
  const xray: Draft['xray'] = { ...upper.draft.xray };
  const draft: Draft = { ...upper.draft, xray };
  const content = upper.bytes - listsBytes(upper.log);
  const bytes = new ByteBudget(budget - content - listsBytes(log));
  const start = bytes.remaining;
  const organisation = organisationOf(
    upper.kept.map((test) => ({ source: test.candidate.source, key: test.value.key })),
    limits,
    log,
  );
  // Each list only when every entry of the ones before it fit (within a list, a big entry that does
  // not fit is passed over for smaller ones after it).
  let whole = true;
  const fill = <T extends object>(path: string, entries: readonly Entry<T>[]): T[] => {
    if (!whole) {
      log.omit(path, entries.length);
      return [];
    }
    const kept = bytes.fill(path, entries, log);
    whole = kept.length === entries.length;
    return kept;
  };
  xray.testSets = fill('xray.testSets', organisation.testSets);
  xray.testExecutions = fill('xray.testExecutions', organisation.testExecutions);
  xray.testPlans = fill('xray.testPlans', organisation.testPlans);
  // Pages and attachments: each in the largest form that fits (whole, cut, listed without content).
  const fillForms = <T extends object>(path: string, candidates: readonly Forms<T>[]): T[] => {
    if (!whole) {
      log.omit(path, candidates.length);
      return [];
    }
    const kept = fillShrinking(bytes, path, candidates, log);
    whole = kept.length === candidates.length;
    return kept;
  };
  draft.linkedPages = fillForms('linkedPages', parts.lower.linkedPages.map(pageForms));
  draft.attachments = fillForms('attachments', parts.lower.attachments.map(attachmentForms));
  draft.linkedIssues = fill('linkedIssues', parts.lower.linkedIssues);
  draft.remoteLinks = fill('remoteLinks', parts.lower.remoteLinks);
  const entries =
    xray.testSets.length +
    xray.testExecutions.length +
    xray.testPlans.length +
    draft.linkedPages.length +
    draft.attachments.length +
    draft.linkedIssues.length +
    draft.remoteLinks.length;
  const size = content + start - bytes.remaining + listsBytes(log);
  return { draft, log, entries, slack: bytes.remaining, bytes: size };
}

/** An entry in its forms, largest first, given the bytes left for it; the last one is the smallest. */
interface Forms<T> {
  forms(room: number): Iterable<Entry<T>>;
  /** The size of its smallest form (room kept for it while the entries before it are placed). */
  floor(): number;
}

/** Fewer characters than this of a page's content are not worth sending: the page is listed instead. */
const MIN_PAGE_CUT_CHARS = 500;

/** A page whole; else its content cut to about what `room` holds (up to 3 tries); else listed. */
function pageForms(candidate: PageCandidate): Forms<LinkedPage> {
  let listed: Entry<LinkedPage> | undefined;
  const listedForm = () => (listed ??= candidate.listed());
  return {
    floor: () => sizeOf(listedForm().value),
    *forms(room) {
      yield candidate.full;
      const { cut } = candidate;
      if (cut && candidate.contentChars > 0) {
        const listedBytes = sizeOf(listedForm().value);
        // Bytes per character of the content as serialized (≥ 1; escapes and non-ASCII weigh more).
        const contentBytes = Math.max(1, sizeOf(candidate.full.value) - listedBytes + 12);
        const perChar = Math.max(1, contentBytes / Math.max(1, candidate.full.value.content?.length ?? 1));
        let chars = Math.floor((room - listedBytes - 16) / perChar) - 100;
        for (let tries = 0; tries < 3 && chars >= MIN_PAGE_CUT_CHARS; tries += 1) {
          if (chars < candidate.contentChars) yield cut(chars);
          chars = Math.floor(chars * 0.8);
        }
      }
      yield listedForm();
    },
  };
}

/** An attachment whole, else listed without its content. */
function attachmentForms(candidate: AttachmentCandidate): Forms<AttachmentEntry> {
  let listed: Entry<AttachmentEntry> | undefined;
  const listedForm = () => (listed ??= candidate.listed());
  const hasContent = candidate.full.value.content !== null;
  return {
    floor: () => sizeOf((hasContent ? listedForm() : candidate.full).value),
    *forms() {
      yield candidate.full;
      if (hasContent) yield listedForm();
    },
  };
}

/**
 * The entries that fit into an (empty) array, in order, each in the largest of its forms that fits
 * while room is kept for the smallest forms of the entries after it (so a big entry is cut, not the
 * later ones left out); an entry whose smallest form does not fit even so is passed over. Kept
 * entries' cuts go to `log`; the others are counted as left out of `path`.
 */
function fillShrinking<T extends object>(
  bytes: ByteBudget,
  path: string,
  candidates: readonly Forms<T>[],
  log: TruncationLog,
): T[] {
  const kept: T[] = [];
  const floors = candidates.map((candidate) => candidate.floor());
  let later = floors.reduce((sum, floor) => sum + floor + 1, 0);
  candidates.forEach((candidate, index) => {
    later -= (floors[index] ?? 0) + 1;
    if (bytes.remaining < 2) return;
    const reserve = Math.max(0, later);
    const comma = kept.length > 0 ? 1 : 0;
    let smallest: Entry<T> | undefined;
    for (const form of candidate.forms(bytes.remaining - reserve - comma)) {
      smallest = form;
      const cost = ByteBudget.inArray(sizeOf(form.value), kept.length);
      if (cost > bytes.remaining - reserve || !bytes.spend(cost)) continue;
      kept.push(form.value);
      log.merge(form.log);
      return;
    }
    // Not even the smallest form fits beside the later ones' room: it may still fit alone.
    if (smallest && bytes.spend(ByteBudget.inArray(sizeOf(smallest.value), kept.length))) {
      kept.push(smallest.value);
      log.merge(smallest.log);
    }
  });
  log.omit(path, candidates.length - kept.length);
  return kept;
}

function withLists<T extends { truncated: string[] }>(document: T, log: TruncationLog): T {
  const omitted = log.omitted();
  return { ...document, truncated: log.list(), ...(omitted ? { omitted } : {}) };
}

/** The document as handed out: `truncated` as JSON Pointers into it (entries of lists by index). */
function finalLists<T extends { truncated: string[] }>(document: T, log: TruncationLog): T {
  const omitted = log.omitted();
  return { ...document, truncated: log.list(document), ...(omitted ? { omitted } : {}) };
}

const NO_LISTS = { truncated: [] };
const NO_LISTS_BYTES = byteSize(NO_LISTS);

/** What `truncated` and `omitted` add to a document holding `truncated: []` (JSON sizes add up). */
const listsBytes = (log: TruncationLog): number => byteSize(withLists(NO_LISTS, log)) - NO_LISTS_BYTES;

/**
 * Runs `fit` until the document it makes, with its `truncated` and `omitted`, is at most `limit`
 * bytes. What those two lists grow by while entries are left out is known only afterwards, so a
 * document over the limit is fitted again into the bytes it used less the overshoot: something more
 * is left out each pass (those lists hardly change, so a second pass is nearly always the last).
 * `null` when `canShrink` says a smaller budget cannot help.
 */
function fitWithin<T extends Fitted>(
  limit: number,
  fit: (budget: number) => T | null,
  canShrink: (fitted: T) => boolean = () => true,
): T | null {
  let budget = limit;
  for (let pass = 0; pass < 8; pass += 1) {
    const fitted = fit(budget);
    if (!fitted) return null;
    const over = fitted.bytes - limit;
    if (over <= 0) return fitted;
    if (!canShrink(fitted)) return null;
    budget -= fitted.slack + over;
  }
  return null;
}

/** `"contentHash":"<64 hex>",` — added to the document after it is fitted. */
const HASH_FIELD_BYTES = byteSize({ contentHash: '0'.repeat(64) }) - 2 + 1;

/**
 * Room the requirement and tests leave for what the lower lists add to `truncated` and `omitted`
 * (their list names and counts, the patterns of fields cut in them): the tests are fitted into the
 * cap less this, so they come out the same with or without any web link or linked issue.
 */
const LOWER_LISTS_RESERVE = 2 * 1024;

function fitDocument(parts: Parts, limits: ContextLimits): Draft {
  const total = limits.documentBytes - HASH_FIELD_BYTES;
  for (let reserve = LOWER_LISTS_RESERVE; reserve < total; reserve *= 4) {
    const upper = fitWithin(total - reserve, (budget) => fitRequirementAndTests(parts, budget));
    if (!upper) break;
    const whole = fitWithin(
      total,
      (budget) => fitLowerLists(upper, parts, budget, limits),
      (fitted) => fitted.entries > 0,
    );
    if (whole) return finalLists(whole.draft, whole.log);
  }
  throw new AppError('INTERNAL', {
    message: `The context document of ${parts.skeleton.source.issueKey} cannot fit ${limits.documentBytes} bytes`,
  });
}

export function buildContextDocument(input: BuildContextInput): ContextDocument {
  const limits: ContextLimits = { ...CONTEXT_LIMITS, ...input.limits };
  const log = new TruncationLog(limits.truncatedPaths);
  const { issue, xray } = input;
  const fields = issue.fields;
  const links = fields.issuelinks ?? [];
  const name = shortText(limits, log);

  // Covering tests: the user sees only those Jira shows them among the issue's links.
  const visibleLinkedIds = new Set(links.flatMap((link) => [link.inwardIssue?.id, link.outwardIssue?.id]));
  const visibleTests =
    input.actor === 'user' ? xray.tests.filter((test) => visibleLinkedIds.has(test.issueId)) : xray.tests;
  const hiddenTests = xray.tests.length - visibleTests.length;
  const testsTotal = Math.max(0, xray.testsTotal - hiddenTests);
  if (visibleTests.length < testsTotal) log.add('xray.tests');
  const tests = log
    .capped('xray.tests', visibleTests, limits.tests)
    .map((test) => testCandidate(test, limits, log));

  const typeName = fields.issuetype.name;
  const isRequirement =
    input.requirementIssueTypes.length > 0
      ? input.requirementIssueTypes.some((type) => type.toLowerCase() === typeName.toLowerCase())
      : xray.coverage !== null || xray.coverableIssueTypeIds.includes(fields.issuetype.id);

  const markdown = adfToMarkdown(fields.description ?? null);
  let description = markdown;
  if (description.length > limits.descriptionChars) {
    // Cut at a line boundary with any open code fence closed, and say so.
    description = truncateMarkdown(description, limits.descriptionChars);
    log.add('requirement.description');
  }
  const site = input.siteUrl ?? siteOriginOf(issue.self);
  const skeleton: Draft = {
    schema: CONTEXT_SCHEMA_ID,
    source: {
      cloudId: input.cloudId,
      site,
      project: input.project,
      issueId: issue.id,
      issueKey: issue.key,
      trigger: input.trigger,
      appVersion: input.appVersion,
      syncedAt: input.now.toISOString(),
    },
    requirement: {
      type: name('requirement.type', typeName) ?? '',
      summary: log.text('requirement.summary', fields.summary, limits.summaryChars),
      status: name('requirement.status', fields.status?.name),
      statusCategory: name('requirement.statusCategory', fields.status?.statusCategory?.name),
      priority: name('requirement.priority', fields.priority?.name),
      labels: namesOf('requirement.labels', [], fields.labels ?? [], limits, log),
      components: namesOf(
        'requirement.components',
        [],
        (fields.components ?? []).map((component) => component.name),
        limits,
        log,
      ),
      fixVersions: namesOf(
        'requirement.fixVersions',
        [],
        (fields.fixVersions ?? []).map((version) => version.name),
        limits,
        log,
      ),
      reporter: name('requirement.reporter', fields.reporter?.displayName),
      assignee: name('requirement.assignee', fields.assignee?.displayName),
      created: name('requirement.created', normalizeJiraTime(fields.created)),
      updated: name('requirement.updated', normalizeJiraTime(fields.updated)),
      url: site ? `${site}/browse/${issue.key}` : null,
      description,
      criteria: [
        ...(input.criteria ??
          criteriaForDocument(undefined, { description: fields.description ?? null }, input.now.toISOString())
            .criteria),
      ],
    },
    linkedIssues: [],
    remoteLinks: [],
    linkedPages: [],
    attachments: [],
    xray: {
      isRequirement,
      coverage: {
        status: name('xray.coverage.status', xray.coverage?.status),
        description: log.nullableText(
          'xray.coverage.description',
          xray.coverage?.description,
          limits.summaryChars,
        ),
      },
      testsTotal,
      tests: [],
      testSets: [],
      testExecutions: [],
      testPlans: [],
    },
    truncated: [],
  };
  const lowerLog = log.child();
  const pageLinks = input.remoteLinks
    ? pageLinksOf(input.remoteLinks, site, limits)
    : { links: [], leftOut: 0 };
  lowerLog.omit('linkedPages', pageLinks.leftOut);
  const attachmentPlan = planAttachments(fields.attachment ?? [], limits);
  lowerLog.omit('attachments', attachmentPlan.leftOut);
  const parts: Parts = {
    skeleton,
    markdown,
    tests,
    log,
    lower: {
      linkedPages: linkedPageEntries(withPageReads(pageLinks.links, input.pageReads), limits, lowerLog),
      attachments: attachmentEntries(
        withAttachmentReads(attachmentPlan.plans, input.attachmentReads),
        limits,
        lowerLog,
      ),
      linkedIssues: linkedIssuesOf(
        links,
        new Set(visibleTests.map((test) => test.issueId)),
        limits,
        lowerLog,
      ),
      remoteLinks: input.remoteLinks ? remoteLinksOf(input.remoteLinks, site, limits, lowerLog) : [],
      log: lowerLog,
    },
  };
  const fitted = fitDocument(parts, limits);
  return finish(
    input.dataControls ? withinLimits(applyDataControls(fitted, input.dataControls), limits) : fitted,
    limits,
  );
}

/** A string at `path` of `value`, cut to `max` characters with the truncation marker (a copy on the way). */
function cutAt(value: unknown, path: readonly PropertyKey[], max: number): unknown {
  if (path.length === 0) return typeof value === 'string' ? truncateText(value, max).text : value;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') {
    return value.map((item: unknown, index) => (index === head ? cutAt(item, rest, max) : item));
  }
  if (typeof value === 'object' && value !== null && typeof head === 'string') {
    const record = value as Record<string, unknown>;
    return { ...record, [head]: cutAt(record[head], rest, max) };
  }
  return value;
}

/**
 * After redaction: placeholders can be longer than what they replaced. A string over its field's limit
 * is cut (and listed in `truncated`); a document over its byte cap loses its lowest-priority content
 * first — linked pages' and attachments' text, then the linked issues — as the size budget fills.
 */
function withinLimits(draft: Draft, limits: ContextLimits): Draft {
  const schema = limitsAreDefault(limits) ? contextDocumentSchema : contextDocumentSchemaFor(limits).document;
  let current = draft;
  const checked = schema.safeParse({ ...current, contentHash: '0'.repeat(64) });
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      if (issue.code !== 'too_big' || issue.origin !== 'string') continue;
      const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
      current = cutAt(current, path, Number(issue.maximum)) as Draft;
      current = { ...current, truncated: [...current.truncated, `/${path.join('/')}`] };
    }
  }
  const shrinkers: ((value: Draft) => Draft)[] = [
    (value) => ({
      ...value,
      ...(value.linkedPages
        ? {
            linkedPages: value.linkedPages.map((page) => ({
              ...page,
              content: null,
              reason: page.reason ?? 'budget',
            })),
          }
        : {}),
    }),
    (value) => ({
      ...value,
      ...(value.attachments
        ? {
            attachments: value.attachments.map((attachment) => ({
              ...attachment,
              content: null,
              reason: attachment.reason ?? 'budget',
            })),
          }
        : {}),
    }),
    (value) => ({ ...value, linkedIssues: [] }),
  ];
  for (const shrink of shrinkers) {
    if (byteSize({ ...current, contentHash: '0'.repeat(64) }) <= limits.documentBytes) break;
    current = shrink(current);
  }
  return current;
}

const limitsAreDefault = (limits: ContextLimits): boolean =>
  (Object.keys(CONTEXT_LIMITS) as (keyof ContextLimits)[]).every(
    (key) => limits[key] === CONTEXT_LIMITS[key],
  );

function finish(draft: Draft, limits: ContextLimits): ContextDocument {
  const document: ContextDocument = { ...draft, contentHash: contentHashOf(draft) };
  const schema = limitsAreDefault(limits) ? contextDocumentSchema : contextDocumentSchemaFor(limits).document;
  const checked = schema.safeParse(document);
  if (!checked.success) {
    throw new AppError('INTERNAL', {
      message: `The context document of ${draft.source.issueKey} failed its own schema`,
      cause: checked.error.issues.slice(0, 5),
    });
  }
  // The cap is hard: never hand out a document over it, whatever happened above.
  if (byteSize(checked.data) > limits.documentBytes) {
    throw new AppError('INTERNAL', {
      message: `The context document of ${draft.source.issueKey} is over ${limits.documentBytes} bytes`,
    });
  }
  return checked.data;
}
