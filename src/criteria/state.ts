/**
 * Which acceptance criterion each test proves, and what its latest result says (issue 18, items 3–5;
 * docs/criteria.md "Criterion state"). Pure: the caller reads the criteria record (./schema.ts), the
 * tests mapped to them and the tests' results, and gets one state per criterion and a summary.
 *
 * A criterion is, in this order of precedence:
 * - `noTest`   — no test counts for it (a *suggested* mapping does not count until a user confirms it);
 * - `failing`  — a test that counts for it failed (Xray maps the run status to NOK: FAILED, ABORTED);
 * - `stale`    — a test that counts for it is possibly stale for it: it was written or last reviewed
 *                against another wording of the criterion (issue 19, src/living/baselines.ts; the
 *                caller passes those pairs);
 * - `changed`  — its wording changed (revision > 1) after a test that counts for it last passed;
 * - `notRun`   — a test that counts for it has no final result (no run, TODO, EXECUTING, a status
 *                Xray maps to NOTRUN or UNKNOWN, or a custom status without a known mapping);
 * - `proven`   — every test that counts for it passed (Xray maps the status to OK), after its wording.
 */
import { z } from 'zod';
import { criterionIdSchema, MAX_CRITERIA, type StoredCriterion } from './schema';

/** How a test came to be mapped to criteria; only `suggested` does not count as coverage. */
export const MAPPING_SOURCES = ['generated', 'suggested', 'confirmed', 'manual'] as const;
export const mappingSourceSchema = z
  .enum(MAPPING_SOURCES)
  .describe(
    'generated: SQAI generated the test for these criteria; suggested: SQAI classified an existing test, not confirmed; confirmed: a user confirmed a suggestion; manual: a user mapped it by hand',
  );
export type MappingSource = z.infer<typeof mappingSourceSchema>;

/** Does a mapping of this source count as coverage? */
export const countsAsCoverage = (source: MappingSource): boolean => source !== 'suggested';

/** At most this many tests per requirement are kept in the traceability record. */
export const MAX_MAPPED_TESTS = 100;
/** At most this many (test, criterion) pairs per requirement. */
export const MAX_MAPPING_PAIRS = 2_000;
/** At most this many Test Plans' results are kept besides the latest run overall. */
export const MAX_PLAN_SCOPES = 4;
/** At most this many Test Executions' results are kept besides the latest run overall. */
export const MAX_EXECUTION_SCOPES = 4;
/**
 * The kept Test Executions' results take at most this many bytes of the record (as JSON): the record
 * is one Forge storage value, and the other fields at their maximum leave about this much room. The
 * sync keeps the newest executions that fit whole (realistic names and times: 4 x ~65 tests).
 */
export const MAX_EXECUTION_SCOPE_BYTES = 20_000;
/** Xray run status names are short; a longer one is cut (and then is not a built-in name). */
export const MAX_STATUS_NAME = 40;
export const MAX_ISSUE_KEY = 50;

export const TRACE_RECORD_VERSION = 1;

const isoDateTime = z.iso.datetime({ offset: true });
export const issueIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,17}$/)
  .describe('Jira issue id');
export const issueKeySchema = z
  .string()
  .max(MAX_ISSUE_KEY)
  .regex(/^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/)
  .describe('Jira issue key, e.g. DEMO-12');

/** One test and the criteria it proves. */
export const testMappingSchema = z.object({
  testIssueId: issueIdSchema,
  testKey: issueKeySchema,
  criterionIds: z.array(criterionIdSchema).min(1).max(MAX_CRITERIA),
  source: mappingSourceSchema,
  /** How sure SQAI was of a `suggested` mapping (0–1), when it said. */
  confidence: z.number().min(0).max(1).optional(),
});
export type TestMapping = z.infer<typeof testMappingSchema>;

/** Xray's coverage mapping of a run status (each status, built-in or custom, maps to one). */
export const XRAY_COVERAGE = ['OK', 'NOK', 'NOTRUN', 'UNKNOWN'] as const;

/** A test's latest result in one scope (the latest run overall, or in one Test Plan). */
export const testResultSchema = z.object({
  testIssueId: issueIdSchema,
  /** Xray's run status name: PASSED, FAILED, TODO, EXECUTING, ABORTED or a custom one. */
  status: z.string().min(1).max(MAX_STATUS_NAME),
  /** How Xray maps the status to coverage; needed for a custom status, optional for built-in ones. */
  coverage: z.enum(XRAY_COVERAGE).optional(),
  /** When the run finished (or started, or was created, when it has not finished). */
  at: isoDateTime.optional(),
});
export type TestResult = z.infer<typeof testResultSchema>;

const resultsSchema = z.array(testResultSchema).max(MAX_MAPPED_TESTS);

/** One scope besides the latest run: a Test Plan or a Test Execution, and its tests' results. */
const scopeSchema = z.object({ key: issueKeySchema, id: issueIdSchema, results: resultsSchema });
export type ScopeResults = z.infer<typeof scopeSchema>;

/** The bytes a list of scopes takes in the stored record (JSON, UTF-8). */
export const scopeBytes = (scopes: readonly ScopeResults[]): number =>
  new TextEncoder().encode(JSON.stringify(scopes)).length;

/** At most this many (test, criterion) pairs people unmapped or rejected are remembered. */
export const MAX_DISMISSED = 500;

/** A test covering the requirement (as of the last sync), mapped or not. */
export const coveringTestSchema = z.object({ testIssueId: issueIdSchema, testKey: issueKeySchema });
export type CoveringTest = z.infer<typeof coveringTestSchema>;

/**
 * A (test, criterion) pair a person took away: `unmapped` — a generated (or any) mapping removed by
 * hand, so the next sync does not bring it back from the test's provenance; `rejected` — a
 * suggestion refused, so the next suggestion run does not bring it back.
 */
export const dismissedPairSchema = z.object({
  testIssueId: issueIdSchema,
  criterionId: criterionIdSchema,
  kind: z.enum(['unmapped', 'rejected']),
});
export type DismissedPair = z.infer<typeof dismissedPairSchema>;

/**
 * What the app keeps per requirement about its tests (besides the criteria record): the mappings,
 * each test's latest result overall and in up to MAX_PLAN_SCOPES Test Plans. `omittedTests`: tests
 * that did not fit (then the state is incomplete and the gate treats it as unknown).
 */
export const traceRecordSchema = z
  .object({
    version: z.literal(TRACE_RECORD_VERSION),
    updatedAt: isoDateTime,
    issueKey: issueKeySchema,
    mappings: z.array(testMappingSchema).max(MAX_MAPPED_TESTS),
    latest: resultsSchema,
    plans: z.array(scopeSchema).max(MAX_PLAN_SCOPES),
    /**
     * Each test's latest listed run in the newest Test Executions it ran in (at most
     * MAX_EXECUTION_SCOPES, MAX_EXECUTION_SCOPE_BYTES); absent: recorded before they were kept.
     */
    executions: z.array(scopeSchema).max(MAX_EXECUTION_SCOPES).optional(),
    omittedTests: z.number().int().min(0).max(1_000_000).default(0),
    /** The issue property value last written (./issue-property.ts), so it is written only on change. */
    indexed: z.lazy(() => criteriaPropertySchema).optional(),
    /** Every test covering the requirement at the last sync, run or not (absent: recorded before). */
    covering: z.array(coveringTestSchema).max(MAX_MAPPED_TESTS).optional(),
    /** Pairs people unmapped or rejected, newest last (bounded: the oldest are forgotten). */
    dismissed: z.array(dismissedPairSchema).max(MAX_DISMISSED).optional(),
    /** The last time SQAI was asked to suggest mappings. */
    suggestedAt: isoDateTime.optional(),
  })
  .superRefine((record, context) => {
    const pairs = record.mappings.reduce((sum, mapping) => sum + mapping.criterionIds.length, 0);
    if (pairs > MAX_MAPPING_PAIRS) {
      context.addIssue({ code: 'custom', message: `${pairs} mapping pairs; at most ${MAX_MAPPING_PAIRS}` });
    }
    const executionBytes = record.executions ? scopeBytes(record.executions) : 0;
    if (executionBytes > MAX_EXECUTION_SCOPE_BYTES) {
      context.addIssue({
        code: 'custom',
        message: `${executionBytes} bytes of Test Execution results; at most ${MAX_EXECUTION_SCOPE_BYTES}`,
      });
    }
  });
export type TraceRecord = z.infer<typeof traceRecordSchema>;

// ─── outcomes ───────────────────────────────────────────────────────────────────────────────────────

export type TestOutcome = 'passed' | 'failed' | 'notRun';

/** Xray's built-in run statuses and their coverage mapping (Xray Cloud defaults). */
const BUILT_IN: Readonly<Record<string, (typeof XRAY_COVERAGE)[number]>> = {
  PASSED: 'OK',
  FAILED: 'NOK',
  ABORTED: 'NOK',
  TODO: 'NOTRUN',
  EXECUTING: 'NOTRUN',
};

/**
 * What a result says: OK passed, NOK failed, anything else (no result, NOTRUN, UNKNOWN, a custom
 * status without a mapping) not run — an unknown status never proves a criterion.
 */
export function outcomeOf(result: TestResult | undefined): TestOutcome {
  if (result === undefined) return 'notRun';
  const coverage =
    result.coverage ?? (Object.hasOwn(BUILT_IN, result.status) ? BUILT_IN[result.status] : undefined);
  if (coverage === 'OK') return 'passed';
  if (coverage === 'NOK') return 'failed';
  return 'notRun';
}

const SEVERITY: Record<TestOutcome, number> = { failed: 2, notRun: 1, passed: 0 };

/** Positive when `a` is later than `b`; a missing time is earlier than any. */
function compareTimes(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  return Date.parse(a) - Date.parse(b);
}

/**
 * One result per test from a list that may name a test twice: the one with the latest `at` (a result
 * without a time is older than any with one), and of equally recent ones the worst — so the answer
 * does not depend on the list's order.
 */
export function latestByTest(results: readonly TestResult[]): Map<string, TestResult> {
  const chosen = new Map<string, TestResult>();
  for (const result of results) {
    const held = chosen.get(result.testIssueId);
    if (held === undefined) {
      chosen.set(result.testIssueId, result);
      continue;
    }
    const newer = compareTimes(result.at, held.at);
    const worse = SEVERITY[outcomeOf(result)] - SEVERITY[outcomeOf(held)];
    // Same time and outcome: the smaller status name, for a stable answer.
    if (newer > 0 || (newer === 0 && (worse > 0 || (worse === 0 && result.status < held.status)))) {
      chosen.set(result.testIssueId, result);
    }
  }
  return chosen;
}

// ─── criterion state ────────────────────────────────────────────────────────────────────────────────

export const CRITERION_STATES = ['proven', 'failing', 'stale', 'changed', 'notRun', 'noTest'] as const;
export type CriterionStateName = (typeof CRITERION_STATES)[number];

export interface CriterionTest {
  testIssueId: string;
  testKey: string;
  source: MappingSource;
  outcome: TestOutcome;
  status?: string;
  at?: string;
  /** It passed before the criterion's current wording (so it proved the old one). */
  stale: boolean;
  /** It was written or last reviewed against another wording of this criterion (issue 19). */
  possiblyStale: boolean;
}

export interface CriterionState {
  id: string;
  text: string;
  state: CriterionStateName;
  /** The tests that count for it (generated, confirmed, manual), in test key order. */
  tests: CriterionTest[];
  /** Tests SQAI suggested for it that a user has not confirmed (not coverage). */
  suggested: { testIssueId: string; testKey: string }[];
}

export type StateCriterion = Pick<StoredCriterion, 'id' | 'text' | 'revision' | 'since'>;

function compareKeys(a: string, b: string): number {
  const [pa = '', na = '0'] = a.split(/-(?=\d+$)/);
  const [pb = '', nb = '0'] = b.split(/-(?=\d+$)/);
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
}

/** Did this passing result come before the criterion's current wording? */
function passedBefore(criterion: StateCriterion, result: TestResult | undefined): boolean {
  if (criterion.revision <= 1) return false;
  if (result?.at === undefined) return true;
  return Date.parse(result.at) < Date.parse(criterion.since);
}

/**
 * The state of each criterion (in the criteria's order) from the mappings and one result per test
 * (`results`: the latest run overall, or the runs of a chosen Test Plan). Mappings to criteria that
 * are not in `criteria` (removed ones) are ignored; a test mapped twice counts once, as counted if
 * any of its mappings counts. `stalePairs`: `${testIssueId} ${criterionId}` of the tests possibly
 * stale for a criterion (src/living/baselines.ts `stalePairsOf`; none by default).
 */
export function criterionStates(
  criteria: readonly StateCriterion[],
  mappings: readonly TestMapping[],
  results: readonly TestResult[],
  stalePairs: ReadonlySet<string> = new Set(),
): CriterionState[] {
  const latest = latestByTest(results);
  // criterion id → test id → { key, counted source (or the suggested one) }
  const byCriterion = new Map<string, Map<string, { testKey: string; source: MappingSource }>>();
  for (const mapping of mappings) {
    for (const id of mapping.criterionIds) {
      let tests = byCriterion.get(id);
      if (tests === undefined) {
        tests = new Map();
        byCriterion.set(id, tests);
      }
      const held = tests.get(mapping.testIssueId);
      // A counted source wins over `suggested`; of two counted ones, the first in MAPPING_SOURCES order.
      const better =
        held === undefined ||
        (countsAsCoverage(mapping.source) && !countsAsCoverage(held.source)) ||
        (countsAsCoverage(mapping.source) === countsAsCoverage(held.source) &&
          MAPPING_SOURCES.indexOf(mapping.source) < MAPPING_SOURCES.indexOf(held.source));
      if (better) tests.set(mapping.testIssueId, { testKey: mapping.testKey, source: mapping.source });
    }
  }
  return criteria.map((criterion) => {
    const mapped = [
      ...(
        byCriterion.get(criterion.id) ?? new Map<string, { testKey: string; source: MappingSource }>()
      ).entries(),
    ].sort(([, a], [, b]) => compareKeys(a.testKey, b.testKey));
    const tests: CriterionTest[] = [];
    const suggested: { testIssueId: string; testKey: string }[] = [];
    for (const [testIssueId, { testKey, source }] of mapped) {
      if (!countsAsCoverage(source)) {
        suggested.push({ testIssueId, testKey });
        continue;
      }
      const result = latest.get(testIssueId);
      const outcome = outcomeOf(result);
      tests.push({
        testIssueId,
        testKey,
        source,
        outcome,
        ...(result ? { status: result.status } : {}),
        ...(result?.at ? { at: result.at } : {}),
        stale: outcome === 'passed' && passedBefore(criterion, result),
        possiblyStale: stalePairs.has(`${testIssueId} ${criterion.id}`),
      });
    }
    return { id: criterion.id, text: criterion.text, state: stateOf(tests), tests, suggested };
  });
}

function stateOf(tests: readonly CriterionTest[]): CriterionStateName {
  if (tests.length === 0) return 'noTest';
  if (tests.some((test) => test.outcome === 'failed')) return 'failing';
  if (tests.some((test) => test.possiblyStale)) return 'stale';
  if (tests.some((test) => test.stale)) return 'changed';
  if (tests.some((test) => test.outcome === 'notRun')) return 'notRun';
  return 'proven';
}

// ─── summary ────────────────────────────────────────────────────────────────────────────────────────

export const criteriaSummarySchema = z.object({
  criteria: z.number().int().min(0),
  proven: z.number().int().min(0),
  failing: z.number().int().min(0),
  /** Criteria a counted test of which is possibly stale (issue 19; absent in values stored before: 0). */
  stale: z.number().int().min(0).default(0),
  changed: z.number().int().min(0),
  notRun: z.number().int().min(0),
  noTest: z.number().int().min(0),
  /** criteria − proven. */
  unproven: z.number().int().min(0),
  /** The requirement's possibly stale tests (issue 19; absent in values stored before: 0). */
  staleTests: z.number().int().min(0).default(0),
});
export type CriteriaSummary = z.infer<typeof criteriaSummarySchema>;

export const CRITERIA_PROPERTY_VERSION = 1;
/** The `sqaiCriteria` issue property's value (./issue-property.ts): the version, then the counts. */
export const criteriaPropertySchema = criteriaSummarySchema
  .extend({ v: z.literal(CRITERIA_PROPERTY_VERSION) })
  .strict();
export type CriteriaProperty = z.infer<typeof criteriaPropertySchema>;

/**
 * Counts per state; `unproven` is every criterion that is not proven; `staleTests` the requirement's
 * possibly stale tests (src/living/baselines.ts `staleTestsOf`).
 */
export function summarizeStates(
  states: readonly Pick<CriterionState, 'state'>[],
  staleTests = 0,
): CriteriaSummary {
  const summary: CriteriaSummary = {
    criteria: states.length,
    proven: 0,
    failing: 0,
    stale: 0,
    changed: 0,
    notRun: 0,
    noTest: 0,
    unproven: 0,
    staleTests,
  };
  for (const { state } of states) summary[state] += 1;
  summary.unproven = summary.criteria - summary.proven;
  return summary;
}

/** The results a scope names: the latest run overall, or a Test Plan's (none when it is not kept). */
export function resultsIn(trace: TraceRecord, testPlanKey?: string): TestResult[] | undefined {
  if (testPlanKey === undefined) return trace.latest;
  return trace.plans.find((plan) => plan.key === testPlanKey)?.results;
}

/** The results of a kept Test Execution (none when it is not kept). */
export function executionResultsIn(trace: TraceRecord, testExecutionKey: string): TestResult[] | undefined {
  return trace.executions?.find((execution) => execution.key === testExecutionKey)?.results;
}
