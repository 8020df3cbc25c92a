/**
 * Test status and requirement coverage as Xray Cloud computes them ("Requirement coverage" and
 * "Test Environments" in Xray's documentation):
 *
 * - A test's status comes from its latest Test Run; with Test Environments, from the latest run in
 *   each environment, combined: FAILED anywhere wins, then not-run (TODO/EXECUTING), else PASSED.
 *   (Runs of executions without environments form a group of their own.) A test that never ran is TODO. `isFinal` lets an older final result (PASSED/FAILED/ABORTED)
 *   win over a newer non-final one (a fresh TODO run). A Test Plan scope counts only the runs of
 *   the plan's executions; an environment scope only the runs of executions in that environment.
 * - A requirement's coverage: UNCOVERED without covering tests; NOK when any test's status maps to
 *   NOK; else NOTRUN when any test has not run; else UNKNOWN when any status maps to UNKNOWN; else OK.
 */
import type {
  CoverageStatusName,
  XrayRunStatus,
  XrayTestExecution,
  XrayTestPlan,
  XrayTestRun,
} from './model';

export interface StatusScope {
  environment?: string;
  testPlanId?: string;
  isFinal?: boolean;
}

export interface CoverageData {
  runsOfTest(testIssueId: string): XrayTestRun[];
  execution(issueId: string): XrayTestExecution | undefined;
  plan(issueId: string): XrayTestPlan | undefined;
  status(name: string): XrayRunStatus | undefined;
  coveringTestIds(requirementIssueId: string): string[];
}

export interface CoverageResult {
  status: CoverageStatusName;
  tests: { issueId: string; status: string }[];
}

const runTime = (run: XrayTestRun): string => run.finishedOn ?? run.startedOn ?? run.createdAt;

/** Newest first: by execution time, then by creation order. */
export function byRecency(a: XrayTestRun, b: XrayTestRun): number {
  const time = runTime(b).localeCompare(runTime(a));
  return time !== 0 ? time : b.seq - a.seq;
}

function inScope(data: CoverageData, run: XrayTestRun, scope: StatusScope): boolean {
  if (scope.testPlanId) {
    const plan = data.plan(scope.testPlanId);
    if (!plan?.testExecIds.includes(run.testExecIssueId)) return false;
  }
  if (scope.environment) {
    const wanted = scope.environment.toLowerCase();
    const envs = data.execution(run.testExecIssueId)?.testEnvironments ?? [];
    if (!envs.some((env) => env.toLowerCase() === wanted)) return false;
  }
  return true;
}

function environmentKey(data: CoverageData, run: XrayTestRun): string {
  const envs = data.execution(run.testExecIssueId)?.testEnvironments ?? [];
  return [...envs]
    .map((env) => env.toLowerCase())
    .sort()
    .join('\u0000');
}

const UNKNOWN_STATUS: XrayRunStatus = {
  name: 'UNKNOWN',
  description: 'Unknown status',
  color: '#CCCCCC',
  final: false,
  coverageStatus: 'UNKNOWN',
};

function statusRecord(data: CoverageData, name: string): XrayRunStatus {
  return data.status(name) ?? { ...UNKNOWN_STATUS, name };
}

/** The latest-status of one test within a scope, as a status record (TODO when it never ran). */
export function testStatusOf(
  data: CoverageData,
  testIssueId: string,
  scope: StatusScope = {},
): XrayRunStatus {
  const runs = data
    .runsOfTest(testIssueId)
    .filter((run) => inScope(data, run, scope))
    .sort(byRecency);
  if (runs.length === 0) return statusRecord(data, 'TODO');
  const groups = new Map<string, XrayTestRun[]>();
  for (const run of runs) {
    const key = environmentKey(data, run);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const latest: XrayRunStatus[] = [];
  for (const group of groups.values()) {
    const pick = scope.isFinal
      ? (group.find((run) => statusRecord(data, run.status).final) ?? group[0])
      : group[0];
    if (pick) latest.push(statusRecord(data, pick.status));
  }
  return combine(latest) ?? statusRecord(data, 'TODO');
}

/** Several latest statuses (one per environment) → one: NOK first, then NOTRUN, UNKNOWN, OK. */
function combine(statuses: XrayRunStatus[]): XrayRunStatus | undefined {
  const order: XrayRunStatus['coverageStatus'][] = ['NOK', 'NOTRUN', 'UNKNOWN', 'OK'];
  for (const coverage of order) {
    const matching = statuses.filter((status) => status.coverageStatus === coverage);
    if (matching.length > 0) {
      // Prefer the built-in names (FAILED over ABORTED, EXECUTING over TODO) for a stable answer.
      const preferred = ['FAILED', 'EXECUTING', 'PASSED'];
      return matching.find((status) => preferred.includes(status.name)) ?? matching[0];
    }
  }
  return undefined;
}

export function coverageOf(
  data: CoverageData,
  requirementIssueId: string,
  scope: StatusScope = {},
): CoverageResult {
  let testIds = data.coveringTestIds(requirementIssueId);
  if (scope.testPlanId) {
    const planTests = new Set(data.plan(scope.testPlanId)?.testIds ?? []);
    testIds = testIds.filter((id) => planTests.has(id));
  }
  const tests = testIds.map((issueId) => ({ issueId, status: testStatusOf(data, issueId, scope) }));
  if (tests.length === 0) return { status: 'UNCOVERED', tests: [] };
  const order: CoverageStatusName[] = ['NOK', 'NOTRUN', 'UNKNOWN'];
  const status = order.find((name) => tests.some((test) => test.status.coverageStatus === name)) ?? 'OK';
  return { status, tests: tests.map((test) => ({ issueId: test.issueId, status: test.status.name })) };
}
