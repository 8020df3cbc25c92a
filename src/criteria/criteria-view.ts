/**
 * The issue panel's Criteria view (issue 18; docs/criteria.md "The Criteria view and mappings"):
 * each of the requirement's criteria with its state, the tests that prove it and the tests SQAI
 * suggested for it, the covering tests that prove none, and whether the caller may change mappings.
 *
 * Read from what the app keeps (the criteria and traceability records): no Xray or SQAI request.
 * One Jira request per 100 tests (a bulk read as the caller): a test the caller may not see is left
 * out of every list — its key, summary and result — and counted in `hiddenTests`. The states and the
 * summary are the requirement's (in the latest run's scope, the same counts the `sqaiCriteria`
 * property publishes and the workflow gate decides on; in a Test Plan's, what a gate scoped to it
 * decides on): a test hidden from the caller still counts, so a hidden failing test is never shown
 * as proven.
 *
 * Scope: the latest run overall, or one Test Plan's runs (`testPlanKey`; the trace record keeps the
 * newest MAX_PLAN_SCOPES plans the requirement's tests are in). A Test Plan is another issue, so the
 * same bulk read checks the kept plans too: `plans` lists those the caller sees. A plan the record does
 * not keep — or one the caller may not see, answered the same way — is not read as "nothing ran in it"
 * (every criterion would look not run): the view answers the latest run's states with
 * `scope.kept: false`, and the panel says so. A Test Execution (`testExecutionKey`) is a scope the same
 * way: the record keeps each test's latest listed run in the newest MAX_EXECUTION_SCOPES executions.
 *
 * Possibly stale tests (issue 19, src/living/baselines.ts): each test proving a criterion carries
 * `staleReasons` when it was written or last reviewed against another wording of it, and `staleTests`
 * lists the requirement's possibly stale tests the caller may see, with every reason.
 */
import type {
  CriteriaPlanDto,
  CriteriaSummaryDto,
  CriteriaViewDto,
  CriterionDto,
  StaleReasonDto,
  StaleTestDto,
} from '../api';
import type { Deadline } from '../clients/upstream';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { criteriaRecordSchema, type CriteriaRecord } from './schema';
import {
  countsAsCoverage,
  criterionStates,
  executionResultsIn,
  resultsIn,
  summarizeStates,
  traceRecordSchema,
  type TestResult,
  type TraceRecord,
} from './state';
import { criteriaKey, readParsed, traceKey } from './store';
import { visibleTests, type VisibleTest } from './visible-tests';
import { readLiving, stalePairsOf, staleTestsOf, type LivingRecord } from '../living/baselines';

/** An issue-panel caller, with what their access check learnt: Edit issues on the requirement. */
export type CriteriaCaller = IssueRef & { canEdit: boolean };

export interface StoredCriteriaState {
  criteria: CriteriaRecord | undefined;
  trace: TraceRecord | undefined;
  /** What each test was written or last reviewed against (issue 19); absent: none recorded. */
  living?: LivingRecord | undefined;
}

/** A requirement's criteria, traceability and living records (three storage reads, at once). */
export async function readCriteriaState(
  platform: Pick<Platform, 'kvs' | 'log'>,
  issueId: string,
): Promise<StoredCriteriaState> {
  const [criteria, trace, living] = await Promise.all([
    readParsed(platform.kvs, platform.log, criteriaKey(issueId), criteriaRecordSchema),
    readParsed(platform.kvs, platform.log, traceKey(issueId), traceRecordSchema),
    readLiving(platform, issueId),
  ]);
  return { criteria, trace, living };
}

/** An empty traceability record for a requirement the sync has not traced yet. */
export function emptyTrace(issueKey: string, at: string): TraceRecord {
  return { version: 1, updatedAt: at, issueKey, mappings: [], latest: [], plans: [], omittedTests: 0 };
}

/** Every test the records name: covering ones and mapped ones. */
function onlyTestIdsOf(trace: TraceRecord | undefined): string[] {
  if (!trace) return [];
  return [
    ...new Set([
      ...(trace.covering ?? []).map((test) => test.testIssueId),
      ...trace.mappings.map((mapping) => mapping.testIssueId),
    ]),
  ];
}

/**
 * The issues whose visibility the view reads: every test the records name (covering ones, mapped
 * ones) and the Test Plans whose results are kept (the view lists the ones the caller sees).
 */
export function issueIdsShownBy(trace: TraceRecord | undefined): string[] {
  if (!trace) return [];
  return [
    ...new Set([
      ...onlyTestIdsOf(trace),
      ...trace.plans.map((plan) => plan.id),
      ...(trace.executions ?? []).map((execution) => execution.id),
    ]),
  ];
}

/**
 * The view's scope: the latest run overall (no key), a Test Plan's runs or a Test Execution's (at
 * most one of the two keys; the resolver refuses both).
 */
export interface CriteriaScope {
  testPlanKey?: string | undefined;
  testExecutionKey?: string | undefined;
}

/** The kept scopes the caller sees (`visible` holds their ids when the caller sees them). */
function scopesShown(
  scopes: readonly { key: string; id: string }[],
  visible: ReadonlyMap<string, VisibleTest>,
): CriteriaPlanDto[] {
  return scopes.flatMap((plan) => {
    const seen = visible.get(plan.id);
    if (!seen) return [];
    return [{ key: plan.key, ...(seen.summary ? { summary: seen.summary } : {}) }];
  });
}

const EMPTY_SUMMARY: CriteriaSummaryDto = summarizeStates([]);

/**
 * The view from the stored records and the tests the caller sees (`visible`: id → key, summary).
 * Pure: `getCriteriaView` reads, this shapes.
 */
export function criteriaViewOf(
  stored: StoredCriteriaState,
  visible: ReadonlyMap<string, VisibleTest>,
  canEdit: boolean,
  scope: CriteriaScope = {},
): CriteriaViewDto {
  const { criteria, trace } = stored;
  const plans = scopesShown(trace?.plans ?? [], visible);
  const executions = scopesShown(trace?.executions ?? [], visible);
  const askedPlan = scope.testPlanKey;
  const askedExecution = askedPlan === undefined ? scope.testExecutionKey : undefined;
  const kept =
    askedPlan !== undefined
      ? plans.some((plan) => plan.key === askedPlan)
      : askedExecution === undefined || executions.some((execution) => execution.key === askedExecution);
  const base = {
    unmappedTests: [],
    hiddenTests: 0,
    canEdit,
    plans,
    executions,
    scope: {
      ...(askedPlan === undefined ? {} : { testPlanKey: askedPlan }),
      ...(askedExecution === undefined ? {} : { testExecutionKey: askedExecution }),
      kept,
    },
    ...((trace?.updatedAt ?? criteria?.updatedAt)
      ? { updatedAt: trace?.updatedAt ?? criteria?.updatedAt }
      : {}),
    ...(trace?.suggestedAt ? { suggestedAt: trace.suggestedAt } : {}),
  };
  if (criteria === undefined) return { status: 'notSynced', criteria: [], summary: EMPTY_SUMMARY, ...base };
  if (criteria.criteria.length === 0) {
    return { status: 'noCriteria', criteria: [], summary: EMPTY_SUMMARY, ...base };
  }
  const mappings = trace?.mappings ?? [];
  const inScope = (held: TraceRecord): TestResult[] | undefined =>
    !kept
      ? undefined
      : askedExecution !== undefined
        ? executionResultsIn(held, askedExecution)
        : resultsIn(held, askedPlan);
  const results = trace ? (inScope(trace) ?? trace.latest) : [];
  // Issue 19: possibly stale tests (independent of the scope: a wording is the same in every plan).
  const stale = trace ? staleTestsOf(criteria, trace, stored.living) : [];
  const reasonsOf = new Map(stale.map((test) => [test.testIssueId, test.reasons]));
  const states = criterionStates(criteria.criteria, mappings, results, stalePairsOf(stale));
  const confidence = new Map<string, number>();
  for (const mapping of mappings) {
    if (mapping.source !== 'suggested' || mapping.confidence === undefined) continue;
    for (const id of mapping.criterionIds) confidence.set(`${mapping.testIssueId} ${id}`, mapping.confidence);
  }
  const shown = (testIssueId: string) => visible.get(testIssueId);
  const stored_ = new Map(criteria.criteria.map((criterion) => [criterion.id, criterion]));
  const dtos: CriterionDto[] = states.map((state) => {
    const criterion = stored_.get(state.id);
    const suggested = state.suggested.flatMap(({ testIssueId }) => {
      const test = shown(testIssueId);
      if (!test) return [];
      const sure = confidence.get(`${testIssueId} ${state.id}`);
      return [
        {
          key: test.key,
          ...(test.summary ? { summary: test.summary } : {}),
          ...(sure === undefined ? {} : { confidence: sure }),
        },
      ];
    });
    suggested.sort((a, b) => (b.confidence ?? -1) - (a.confidence ?? -1));
    return {
      id: state.id,
      text: state.text,
      state: state.state,
      revision: criterion?.revision ?? 1,
      since: criterion?.since ?? criteria.updatedAt,
      tests: state.tests.flatMap((test) => {
        const seen = shown(test.testIssueId);
        if (!seen || test.source === 'suggested') return [];
        const staleReasons: StaleReasonDto[] = (reasonsOf.get(test.testIssueId) ?? []).filter(
          (reason) => reason.kind === 'criterionChanged' && reason.criterionId === state.id,
        );
        return [
          {
            key: seen.key,
            ...(seen.summary ? { summary: seen.summary } : {}),
            source: test.source,
            outcome: test.outcome,
            ...(test.status ? { status: test.status } : {}),
            ...(test.at ? { at: test.at } : {}),
            stale: test.stale,
            ...(staleReasons.length > 0 ? { staleReasons } : {}),
          },
        ];
      }),
      suggested,
    };
  });
  const current = new Set(criteria.criteria.map((criterion) => criterion.id));
  const proving = new Set(
    mappings
      .filter(
        (mapping) => countsAsCoverage(mapping.source) && mapping.criterionIds.some((id) => current.has(id)),
      )
      .map((mapping) => mapping.testIssueId),
  );
  const unmappedTests = (trace?.covering ?? []).flatMap(({ testIssueId }) => {
    const test = shown(testIssueId);
    if (!test || proving.has(testIssueId)) return [];
    return [{ key: test.key, ...(test.summary ? { summary: test.summary } : {}) }];
  });
  const hiddenTests = onlyTestIdsOf(trace).filter((id) => !visible.has(id)).length;
  // Only tests the caller sees: a hidden one is left out, reasons and all (its count is the summary's).
  const staleTests: StaleTestDto[] = stale.flatMap((test) => {
    const seen = shown(test.testIssueId);
    if (!seen) return [];
    return [
      {
        key: seen.key,
        ...(seen.summary ? { summary: seen.summary } : {}),
        reasons: test.reasons,
        since: test.since,
      },
    ];
  });
  return {
    status: 'ready',
    criteria: dtos,
    summary: summarizeStates(states, stale.length),
    ...base,
    unmappedTests,
    hiddenTests,
    staleTests,
  };
}

/**
 * The Criteria view for `caller` in `scope` (see the module comment). Requests: one Jira bulk read
 * per 100 issues the records name — tests and kept Test Plans — (none when they name none), plus three
 * storage reads (criteria, traceability, living).
 */
export async function getCriteriaView(
  platform: Pick<Platform, 'kvs' | 'log' | 'jira'>,
  caller: CriteriaCaller,
  deadline?: Deadline,
  scope: CriteriaScope = {},
): Promise<CriteriaViewDto> {
  const stored = await readCriteriaState(platform, caller.issue.id);
  const ids = stored.criteria && stored.criteria.criteria.length > 0 ? issueIdsShownBy(stored.trace) : [];
  const visible = await visibleTests(platform, ids, deadline);
  return criteriaViewOf(stored, visible, caller.canEdit, scope);
}
