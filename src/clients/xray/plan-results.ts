/**
 * Each covering test's result in the Test Plans a requirement's tests belong to (issue 18: "which
 * Test Plan's results count"), as Xray works it out (`Test.status(testPlan:)`): one request per
 * PLANS_PER_REQUEST (plan, tests) pairs, only for requirements whose tests are in a plan.
 *
 * Which plans: the newest `max` (highest issue id) of those the requirement's tests are in,
 * as the context read lists them — a release's plan is usually the newest one its tests were added to.
 */
import { z } from 'zod';
import type { XrayClient } from './client';
import { PLANS_PER_REQUEST } from './documents';
import type { XrayContextTest } from './requirement-context';

/** Tests read per plan in one alias (Xray's `limit` ceiling). */
const TESTS_PER_PLAN = 100;

/** A run the context read listed: which test, in which execution, when (finished, else started). */
export interface ScopeRun {
  testIssueId: string;
  executionId: string;
  at: string;
}

/**
 * One plan to read: its id and the requirement's tests in it, with the tests' runs the context read
 * listed (to date a test's status in the plan: Xray gives the status without a time).
 */
export interface PlanScope {
  planId: string;
  testIds: string[];
  runs?: ScopeRun[];
}

export interface PlanResult {
  planId: string;
  /** The plan's issue key (absent when Xray did not say). */
  key?: string;
  /** The plan's Test Executions (its first 100). */
  executionIds?: string[];
  /**
   * Each asked test's status name in the plan (Xray: TODO when it never ran there) and, when a listed
   * run of it in one of the plan's executions dates it, the time of the latest such run.
   */
  results: { testIssueId: string; status: string; at?: string }[];
}

/** Issue ids, newest (highest) first. */
export const byNewest = (a: string, b: string) => b.length - a.length || (a < b ? 1 : a > b ? -1 : 0);

/** Xray's time strings that parse (`finishedOn`, `startedOn`). */
export const isTime = (value: string | null | undefined): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** The newest `max` plans the tests are in, each with the tests in it and their runs. Pure. */
export function planScopesOf(tests: readonly XrayContextTest[], max: number): PlanScope[] {
  const testsOfPlan = new Map<string, Set<string>>();
  const runsOf = new Map<string, ScopeRun[]>();
  for (const test of tests) {
    runsOf.set(
      test.issueId,
      (test.testRuns?.results ?? []).flatMap((run) => {
        const executionId = run?.testExecution?.issueId;
        const at = isTime(run?.finishedOn)
          ? run.finishedOn
          : isTime(run?.startedOn)
            ? run.startedOn
            : undefined;
        return executionId && at ? [{ testIssueId: test.issueId, executionId, at }] : [];
      }),
    );
    for (const plan of test.testPlans?.results ?? []) {
      const planId = plan?.issueId;
      if (!planId || !/^\d{1,18}$/.test(planId)) continue;
      let ids = testsOfPlan.get(planId);
      if (!ids) testsOfPlan.set(planId, (ids = new Set()));
      ids.add(test.issueId);
    }
  }
  return [...testsOfPlan.keys()]
    .sort(byNewest)
    .slice(0, max)
    .map((planId) => {
      const testIds = [...(testsOfPlan.get(planId) ?? [])];
      const runs = testIds.flatMap((id) => runsOf.get(id) ?? []);
      return { planId, testIds, ...(runs.length > 0 ? { runs } : {}) };
    });
}

const planSchema = z
  .object({
    issueId: z.string().nullish(),
    jira: z.object({ key: z.string().optional() }).loose().nullish(),
    testExecutions: z
      .object({ results: z.array(z.object({ issueId: z.string() }).loose().nullable()).nullish() })
      .loose()
      .nullish(),
    tests: z
      .object({
        results: z
          .array(
            z
              .object({
                issueId: z.string(),
                status: z.object({ name: z.string().nullish() }).loose().nullish(),
              })
              .loose()
              .nullable(),
          )
          .nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose()
  .nullish();

const answerSchema = z.record(z.string(), planSchema);

/**
 * The scopes of many requirements as one list to read: each plan once, with every requirement's
 * tests in it (runs stay with each requirement's own scope).
 */
export function mergeScopes(scopes: readonly PlanScope[]): PlanScope[] {
  const merged = new Map<string, Set<string>>();
  for (const { planId, testIds } of scopes) {
    const ids = merged.get(planId) ?? new Set<string>();
    for (const id of testIds) ids.add(id);
    merged.set(planId, ids);
  }
  return [...merged].map(([planId, ids]) => ({ planId, testIds: [...ids] }));
}

/**
 * The results `scopes` asked for, out of results read for many requirements at once, each dated by
 * the latest of the scope's listed runs of that test in one of the plan's executions.
 */
export function resultsFor(
  scopes: readonly PlanScope[],
  plans: ReadonlyMap<string, PlanResult>,
): PlanResult[] {
  return scopes.flatMap(({ planId, testIds, runs = [] }) => {
    const plan = plans.get(planId);
    if (!plan) return [];
    const asked = new Set(testIds);
    const inPlan = new Set(plan.executionIds ?? []);
    const latest = new Map<string, string>();
    for (const run of runs) {
      if (!inPlan.has(run.executionId)) continue;
      const held = latest.get(run.testIssueId);
      if (held === undefined || Date.parse(run.at) > Date.parse(held)) latest.set(run.testIssueId, run.at);
    }
    const results = plan.results
      .filter((result) => asked.has(result.testIssueId))
      .map((result) => {
        const at = latest.get(result.testIssueId);
        return at ? { ...result, at } : result;
      });
    return [{ ...plan, results }];
  });
}

/**
 * The results of every scope, merged per plan. Requests go one after another (each is a site budget
 * unit; the scopes of one batch rarely need more than one). No request when there is no scope.
 */
export async function getPlanResults(
  client: XrayClient,
  scopes: readonly PlanScope[],
): Promise<{ plans: Map<string, PlanResult>; requests: number }> {
  const plans = new Map<string, PlanResult>();
  // Split each plan's tests into reads of at most TESTS_PER_PLAN.
  const reads = scopes.flatMap(({ planId, testIds }) => {
    const distinct = [...new Set(testIds)];
    const chunks: PlanScope[] = [];
    for (let start = 0; start < distinct.length; start += TESTS_PER_PLAN) {
      chunks.push({ planId, testIds: distinct.slice(start, start + TESTS_PER_PLAN) });
    }
    return chunks;
  });
  let requests = 0;
  for (let start = 0; start < reads.length; start += PLANS_PER_REQUEST) {
    const group = reads.slice(start, start + PLANS_PER_REQUEST);
    const variables: Record<string, unknown> = {};
    for (let n = 0; n < PLANS_PER_REQUEST; n += 1) {
      const read = group[n];
      variables[`p${n}`] = read?.planId ?? null;
      variables[`t${n}`] = read?.testIds ?? [];
      if (n > 0) variables[`use${n}`] = read !== undefined;
    }
    const answer = await client.graphql(
      'planResults',
      variables,
      answerSchema,
      `Failed to read the Test Plan results of ${group.length} plans`,
    );
    requests += 1;
    group.forEach((read, n) => {
      const plan = answer[`p${n}`];
      const held = plans.get(read.planId) ?? { planId: read.planId, results: [] };
      const key = plan?.jira?.key;
      if (key) held.key = key;
      const executions = (plan?.testExecutions?.results ?? []).flatMap((execution) =>
        execution ? [execution.issueId] : [],
      );
      held.executionIds = [...new Set([...(held.executionIds ?? []), ...executions])];
      const asked = new Set(read.testIds);
      for (const test of plan?.tests?.results ?? []) {
        const name = test?.status?.name;
        if (test && name && asked.has(test.issueId))
          held.results.push({ testIssueId: test.issueId, status: name });
      }
      plans.set(read.planId, held);
    });
  }
  return { plans, requests };
}
