/**
 * Each covering test's latest run in the Test Executions a requirement's tests ran in (issue 18:
 * "latest status in the chosen Test Execution"), from the runs the context read already lists
 * (`XrayContextTest.testRuns`): no request of its own.
 *
 * Which executions: the newest `max` (highest issue id) of those the listed runs are in — a release's
 * execution is usually the newest one its tests ran in. A test's run list is the context read's (its
 * newest runs, up to the read's limit): a test whose run in an execution is not listed has no result
 * there (not run), as in Xray's own execution view of a test that is not in it.
 */
import { byNewest, isTime } from '../clients/xray/plan-results';
import type { XrayContextTest } from '../clients/xray/requirement-context';

/** A test's latest listed run in one Test Execution. */
export interface ExecutionTestResult {
  testIssueId: string;
  /** Xray's run status name (PASSED, FAILED, TODO, EXECUTING, ABORTED or a custom one). */
  status: string;
  /** When the run finished (or started, when it has not finished). */
  at?: string;
}

/** One Test Execution and each of the requirement's tests' latest run in it. */
export interface ExecutionResult {
  executionId: string;
  /** The execution's issue key (absent when Xray did not say). */
  key?: string;
  results: ExecutionTestResult[];
}

const ISSUE_ID = /^[1-9][0-9]{0,17}$/;

/** Is `a` a later run than `b`? A run without a time is older than any with one. */
function later(a: ExecutionTestResult, b: ExecutionTestResult): boolean {
  if (a.at === undefined || b.at === undefined) return a.at !== undefined && b.at === undefined;
  return Date.parse(a.at) > Date.parse(b.at);
}

/**
 * The newest `max` Test Executions the tests' listed runs are in, each with each test's latest run
 * in it (status and time), tests in the order given. Runs without an execution id or a status are
 * ignored. Pure.
 */
export function executionResultsOf(tests: readonly XrayContextTest[], max: number): ExecutionResult[] {
  const executions = new Map<string, { key?: string; byTest: Map<string, ExecutionTestResult> }>();
  for (const test of tests) {
    if (!ISSUE_ID.test(test.issueId)) continue;
    for (const run of test.testRuns?.results ?? []) {
      const executionId = run?.testExecution?.issueId;
      const status = run?.status?.name;
      if (!executionId || !ISSUE_ID.test(executionId) || !status) continue;
      const at = isTime(run.finishedOn) ? run.finishedOn : isTime(run.startedOn) ? run.startedOn : undefined;
      let execution = executions.get(executionId);
      if (!execution) executions.set(executionId, (execution = { byTest: new Map() }));
      const key = run.testExecution?.jira?.key;
      if (key && execution.key === undefined) execution.key = key;
      const result: ExecutionTestResult = { testIssueId: test.issueId, status, ...(at ? { at } : {}) };
      const held = execution.byTest.get(test.issueId);
      if (held === undefined || later(result, held)) execution.byTest.set(test.issueId, result);
    }
  }
  return [...executions.keys()]
    .sort(byNewest)
    .slice(0, Math.max(0, max))
    .map((executionId) => {
      const execution = executions.get(executionId);
      return {
        executionId,
        ...(execution?.key ? { key: execution.key } : {}),
        results: [...(execution?.byTest.values() ?? [])],
      };
    });
}
