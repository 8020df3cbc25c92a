/**
 * Builds the `sqai.context/v1` document from what Jira and Xray answered (pure: no I/O), then cuts
 * it to its limits, hashes it and validates it against the schema.
 */
import type { SyncTrigger } from '../api';
import type { JiraIssue, JiraIssueLink, JiraRemoteLink } from '../clients/jira-issues';
import type { XrayContextTest, XrayRequirementContext } from '../clients/xray/requirement-context';
import { AppError } from '../errors';
import { adfToMarkdown, truncateMarkdown } from './adf-markdown';
import { byteSize, contentHashOf } from './content-hash';
import { TruncationLog } from './limits';
import {
  CONTEXT_LIMITS,
  CONTEXT_SCHEMA_ID,
  contextDocumentSchema,
  type ContextDocument,
  type ContextTest,
  type LinkedIssue,
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
}

/** Jira's `2026-11-25T10:00:00.000+0000` → ISO 8601 with a colon in the offset; other values unchanged. */
export function normalizeJiraTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(withColon);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

const nameOf = (value: { name: string } | string | null | undefined): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : value.name;

function linkedIssuesOf(links: JiraIssueLink[], skip: Set<string>, log: TruncationLog): LinkedIssue[] {
  const out: LinkedIssue[] = [];
  for (const link of links) {
    const outward = link.outwardIssue;
    const other = outward ?? link.inwardIssue;
    if (!other || skip.has(other.id)) continue;
    out.push({
      id: other.id,
      key: other.key,
      summary: log.text(
        `linkedIssues.${other.key}.summary`,
        other.fields?.summary ?? '',
        CONTEXT_LIMITS.summaryChars,
      ),
      linkType: link.type.name,
      direction: outward ? 'outward' : 'inward',
      relation: outward ? link.type.outward : link.type.inward,
      status: other.fields?.status?.name ?? null,
      type: other.fields?.issuetype?.name ?? null,
    });
  }
  return out;
}

function remoteLinksOf(links: JiraRemoteLink[]): RemoteLinkEntry[] {
  return links.map((link) => {
    const application = link.application?.name ?? null;
    const isConfluence =
      link.application?.type === 'com.atlassian.confluence' ||
      /confluence/i.test(application ?? '') ||
      /\/wiki\//.test(link.object.url);
    return {
      title: link.object.title,
      url: link.object.url,
      application,
      relationship: link.relationship ?? null,
      isConfluence,
    };
  });
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

function testOf(test: XrayContextTest, includeRuns: boolean, log: TruncationLog): ContextTest {
  const key = keyOf(test, test.issueId);
  const kind = test.testType?.kind ?? 'Steps';
  const path = `xray.tests.${key}`;
  const runs = (test.testRuns?.results ?? []).filter((run): run is XrayRun => run !== null);
  const latest = includeRuns ? latestRunOf(runs) : null;
  const base: ContextTest = {
    id: test.issueId,
    key,
    summary: log.text(`${path}.summary`, test.jira?.summary ?? '', CONTEXT_LIMITS.summaryChars),
    status: nameOf(test.jira?.status),
    testType: { name: test.testType?.name ?? 'Unknown', kind },
    labels: test.jira?.labels ?? [],
    folder: test.folder?.path ?? null,
    preconditions: (test.preconditions?.results ?? []).flatMap((precondition) =>
      precondition?.issueId
        ? [
            {
              id: precondition.issueId,
              key: keyOf(precondition, precondition.issueId),
              summary: precondition.jira?.summary ?? '',
              definition: log.nullableText(
                `${path}.preconditions.definition`,
                precondition.definition,
                CONTEXT_LIMITS.preconditionChars,
              ),
            },
          ]
        : [],
    ),
    latestRun: latest
      ? {
          status: latest.status?.name ?? 'UNKNOWN',
          execution: latest.testExecution?.issueId
            ? { id: latest.testExecution.issueId, key: latest.testExecution.jira?.key ?? null }
            : null,
          startedOn: latest.startedOn ?? null,
          finishedOn: latest.finishedOn ?? null,
        }
      : null,
  };
  if (kind === 'Gherkin') {
    base.gherkin = log.text(`${path}.gherkin`, test.gherkin ?? '', CONTEXT_LIMITS.definitionChars);
    base.scenarioType = test.scenarioType ?? null;
  } else if (kind === 'Unstructured') {
    base.definition = log.text(`${path}.definition`, test.unstructured ?? '', CONTEXT_LIMITS.definitionChars);
  } else {
    base.steps = (test.steps ?? []).flatMap((step, index) =>
      step
        ? [
            {
              action: log.text(
                `${path}.steps.${index}.action`,
                step.action ?? '',
                CONTEXT_LIMITS.stepFieldChars,
              ),
              data: log.nullableText(
                `${path}.steps.${index}.data`,
                step.data || null,
                CONTEXT_LIMITS.stepFieldChars,
              ),
              result: log.nullableText(
                `${path}.steps.${index}.result`,
                step.result || null,
                CONTEXT_LIMITS.stepFieldChars,
              ),
            },
          ]
        : [],
    );
  }
  return base;
}

/** Test sets, executions (with the latest status counts of this requirement's tests) and plans. */
function organisationOf(tests: XrayContextTest[], included: ContextTest[]) {
  const keyById = new Map(included.map((test) => [test.id, test.key]));
  const sets = new Map<string, { id: string; key: string; summary: string; testKeys: string[] }>();
  const executions = new Map<
    string,
    // Counted in a Map: a status named `constructor` or `__proto__` must not meet Object.prototype.
    { id: string; key: string; summary: string; environments: string[]; statusCounts: Map<string, number> }
  >();
  const plans = new Map<string, { id: string; key: string; summary: string }>();
  for (const test of tests) {
    const testKey = keyById.get(test.issueId);
    if (!testKey) continue;
    for (const set of test.testSets?.results ?? []) {
      if (!set?.issueId) continue;
      const entry = sets.get(set.issueId) ?? {
        id: set.issueId,
        key: keyOf(set, set.issueId),
        summary: set.jira?.summary ?? '',
        testKeys: [],
      };
      entry.testKeys.push(testKey);
      sets.set(set.issueId, entry);
    }
    for (const execution of test.testExecutions?.results ?? []) {
      if (!execution?.issueId || executions.has(execution.issueId)) continue;
      executions.set(execution.issueId, {
        id: execution.issueId,
        key: keyOf(execution, execution.issueId),
        summary: execution.jira?.summary ?? '',
        environments: (execution.testEnvironments ?? []).filter(
          (env): env is string => typeof env === 'string',
        ),
        statusCounts: new Map(),
      });
    }
    for (const plan of test.testPlans?.results ?? []) {
      if (!plan?.issueId || plans.has(plan.issueId)) continue;
      plans.set(plan.issueId, {
        id: plan.issueId,
        key: keyOf(plan, plan.issueId),
        summary: plan.jira?.summary ?? '',
      });
    }
    // The latest status of this test in each execution it ran in.
    const byExecution = new Map<string, XrayRun[]>();
    for (const run of test.testRuns?.results ?? []) {
      const executionId = run?.testExecution?.issueId;
      if (!run || !executionId) continue;
      byExecution.set(executionId, [...(byExecution.get(executionId) ?? []), run]);
    }
    for (const [executionId, runs] of byExecution) {
      const execution = executions.get(executionId);
      const status = latestRunOf(runs)?.status?.name;
      if (execution && status)
        execution.statusCounts.set(status, (execution.statusCounts.get(status) ?? 0) + 1);
    }
  }
  return {
    testSets: [...sets.values()],
    testExecutions: [...executions.values()].map((execution) => ({
      ...execution,
      statusCounts: Object.fromEntries(execution.statusCounts),
    })),
    testPlans: [...plans.values()],
  };
}

/** Drops test details from the end until the document fits; the tests stay listed by key. */
function fitToSize(document: Omit<ContextDocument, 'contentHash'>, maxBytes: number, log: TruncationLog) {
  if (byteSize(document) <= maxBytes) return;
  for (let index = document.xray.tests.length - 1; index >= 0; index -= 1) {
    const test = document.xray.tests[index];
    if (!test) continue;
    delete test.steps;
    delete test.gherkin;
    delete test.definition;
    test.preconditions = test.preconditions.map((precondition) => ({ ...precondition, definition: null }));
    test.detailsOmitted = true;
    log.add('xray.tests.details');
    if (byteSize(document) <= maxBytes) return;
  }
  // Still too big (thousands of links): keep the first entries of each list.
  while (
    byteSize(document) > maxBytes &&
    (document.linkedIssues.length > 0 || document.xray.tests.length > 0)
  ) {
    if (document.linkedIssues.length >= document.xray.tests.length) {
      document.linkedIssues = document.linkedIssues.slice(0, Math.floor(document.linkedIssues.length / 2));
      log.add('linkedIssues');
    } else {
      document.xray.tests = document.xray.tests.slice(0, Math.floor(document.xray.tests.length / 2));
      log.add('xray.tests');
    }
  }
}

export function buildContextDocument(input: BuildContextInput): ContextDocument {
  const limits = { ...CONTEXT_LIMITS, ...input.limits };
  const log = new TruncationLog();
  const { issue, xray } = input;
  const fields = issue.fields;
  const links = fields.issuelinks ?? [];

  // Covering tests: the user sees only those Jira shows them among the issue's links.
  const visibleLinkedIds = new Set(links.flatMap((link) => [link.inwardIssue?.id, link.outwardIssue?.id]));
  const visibleTests =
    input.actor === 'user' ? xray.tests.filter((test) => visibleLinkedIds.has(test.issueId)) : xray.tests;
  const hiddenTests = xray.tests.length - visibleTests.length;
  const tests = visibleTests.map((test) => testOf(test, true, log));
  const testIds = new Set(tests.map((test) => test.id));

  const typeName = fields.issuetype.name;
  const isRequirement =
    input.requirementIssueTypes.length > 0
      ? input.requirementIssueTypes.some((name) => name.toLowerCase() === typeName.toLowerCase())
      : xray.coverage !== null || xray.coverableIssueTypeIds.includes(fields.issuetype.id);

  let description = adfToMarkdown(fields.description ?? null);
  if (description.length > limits.descriptionChars) {
    // Cut at a line boundary with any open code fence closed, and say so.
    description = truncateMarkdown(description, limits.descriptionChars);
    log.add('requirement.description');
  }
  const site = input.siteUrl ?? (issue.self ? new URL(issue.self).origin : null);
  const draft: Omit<ContextDocument, 'contentHash'> = {
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
      type: typeName,
      summary: log.text('requirement.summary', fields.summary, limits.summaryChars),
      status: fields.status?.name ?? null,
      statusCategory: fields.status?.statusCategory?.name ?? null,
      priority: fields.priority?.name ?? null,
      labels: fields.labels ?? [],
      components: (fields.components ?? []).map((component) => component.name),
      fixVersions: (fields.fixVersions ?? []).map((version) => version.name),
      reporter: fields.reporter?.displayName ?? null,
      assignee: fields.assignee?.displayName ?? null,
      created: normalizeJiraTime(fields.created),
      updated: normalizeJiraTime(fields.updated),
      url: site ? `${site}/browse/${issue.key}` : null,
      description,
    },
    linkedIssues: linkedIssuesOf(links, testIds, log),
    remoteLinks: input.remoteLinks ? remoteLinksOf(input.remoteLinks) : [],
    xray: {
      isRequirement,
      coverage: { status: xray.coverage?.status ?? null, description: xray.coverage?.description ?? null },
      testsTotal: Math.max(0, xray.testsTotal - hiddenTests),
      tests,
      ...organisationOf(visibleTests, tests),
    },
    truncated: [],
  };
  if (tests.length < draft.xray.testsTotal) log.add('xray.tests');
  fitToSize(draft, limits.documentBytes, log);
  draft.truncated = log.list();
  const document: ContextDocument = { ...draft, contentHash: contentHashOf(draft) };
  const checked = contextDocumentSchema.safeParse(document);
  if (!checked.success) {
    throw new AppError('INTERNAL', {
      message: `The context document of ${issue.key} failed its own schema`,
      cause: checked.error.issues.slice(0, 5),
    });
  }
  return checked.data;
}
