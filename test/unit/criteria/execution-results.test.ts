/**
 * Test Execution scopes (issue 18 item 3: "latest status in the chosen Test Execution"): each
 * covering test's latest listed run in the newest Test Executions it ran in, taken from the runs the
 * context read already lists — kept by the sync with no Xray request of its own, bounded in bytes.
 */
import type { XrayContextTest } from '../../../src/clients/xray/requirement-context';
import { executionResultsOf } from '../../../src/criteria/execution-results';
import {
  MAX_EXECUTION_SCOPE_BYTES,
  MAX_EXECUTION_SCOPES,
  traceRecordSchema,
  type TraceRecord,
} from '../../../src/criteria/state';
import { readTraceabilityByKey, traceKey } from '../../../src/criteria/store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, type World } from '../../harness/world';

type Run = { execution?: string | null; status?: string | null; startedOn?: string; finishedOn?: string };

const test = (issueId: string, runs: Run[]): XrayContextTest => ({
  issueId,
  jira: { key: `DEMO-${issueId}` },
  testRuns: {
    results: runs.map((run) => ({
      status: run.status === null ? null : { name: run.status ?? 'PASSED' },
      ...(run.startedOn ? { startedOn: run.startedOn } : {}),
      ...(run.finishedOn ? { finishedOn: run.finishedOn } : {}),
      testExecution:
        run.execution === null
          ? null
          : { issueId: run.execution ?? '700', jira: { key: `EX-${run.execution}` } },
    })),
  },
});

describe('executionResultsOf (pure)', () => {
  it('keeps the newest executions (highest issue id), each test’s latest run in it', () => {
    const tests = [
      test('11', [
        { execution: '900', status: 'FAILED', finishedOn: '2026-12-01T10:00:00.000Z' },
        { execution: '900', status: 'PASSED', finishedOn: '2026-12-02T10:00:00.000Z' },
        { execution: '1000', status: 'EXECUTING', startedOn: '2026-12-03T10:00:00.000Z' },
        { execution: '99', status: 'PASSED', finishedOn: '2026-12-04T10:00:00.000Z' },
      ]),
      test('12', [
        { execution: '900', status: 'TODO' },
        { execution: '900', status: 'ABORTED', finishedOn: '2026-11-30T10:00:00.000Z' },
        { execution: '950', status: 'PASSED', finishedOn: '2026-12-01T10:00:00.000Z' },
        // Not a run the scope can place: no execution, no status, not an issue id.
        { execution: null, status: 'FAILED' },
        { execution: '960', status: null },
        { execution: 'x1', status: 'FAILED' },
      ]),
    ];
    expect(executionResultsOf(tests, 3)).toEqual([
      {
        executionId: '1000',
        key: 'EX-1000',
        results: [{ testIssueId: '11', status: 'EXECUTING', at: '2026-12-03T10:00:00.000Z' }],
      },
      {
        executionId: '950',
        key: 'EX-950',
        results: [{ testIssueId: '12', status: 'PASSED', at: '2026-12-01T10:00:00.000Z' }],
      },
      {
        executionId: '900',
        key: 'EX-900',
        results: [
          { testIssueId: '11', status: 'PASSED', at: '2026-12-02T10:00:00.000Z' },
          // A dated run is later than an undated one, whatever the list's order.
          { testIssueId: '12', status: 'ABORTED', at: '2026-11-30T10:00:00.000Z' },
        ],
      },
    ]);
    expect(executionResultsOf(tests, 0)).toEqual([]);
    expect(executionResultsOf([], MAX_EXECUTION_SCOPES)).toEqual([]);
  });

  it('the record refuses Test Execution results over their byte bound', () => {
    const results = Array.from({ length: 100 }, (_, index) => ({
      testIssueId: String(100_000_000_000_000_000 + index).slice(0, 18),
      status: '測'.repeat(40),
      at: '2026-12-04T13:08:48.123+05:30',
    }));
    const record: TraceRecord = {
      version: 1,
      updatedAt: '2026-12-04T10:00:00.000Z',
      issueKey: 'DEMO-1',
      mappings: [],
      latest: [],
      plans: [],
      omittedTests: 0,
      executions: [{ key: 'DEMO-87', id: '10087', results }],
    };
    const refused = traceRecordSchema.safeParse(record);
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain(`at most ${MAX_EXECUTION_SCOPE_BYTES}`);
    // An older record (no executions) still reads.
    const { executions: _dropped, ...older } = record;
    expect(traceRecordSchema.parse(older).executions).toBeUndefined();
  });
});

describeWithContracts('Test Execution results kept by the sync', () => {
  let world: World;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill: every requirement read, as the app
  });
  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  /** Each covering test's latest run per execution, newest executions first, as Xray holds them. */
  function expectedOf(requirementKey: string) {
    const requirement = world.jiraStore.issue(requirementKey);
    if (!requirement) throw new Error(`no ${requirementKey}`);
    const byExecution = new Map<string, Map<string, { status: string; at?: string }>>();
    for (const testId of world.xrayStore.coveringTestIds(requirement.id)) {
      for (const run of world.xrayStore.runsOfTest(testId)) {
        const at = run.finishedOn ?? run.startedOn ?? undefined;
        const tests =
          byExecution.get(run.testExecIssueId) ?? new Map<string, { status: string; at?: string }>();
        const held = tests.get(testId);
        if (!held || (at && (!held.at || Date.parse(at) > Date.parse(held.at))))
          tests.set(testId, { status: run.status, ...(at ? { at: new Date(at).toISOString() } : {}) });
        byExecution.set(run.testExecIssueId, tests);
      }
    }
    return [...byExecution]
      .sort(([a], [b]) => b.length - a.length || (a < b ? 1 : -1))
      .slice(0, MAX_EXECUTION_SCOPES)
      .map(([id, tests]) => ({
        key: world.jiraStore.issue(id)?.key,
        id,
        results: [...tests]
          .map(([testIssueId, result]) => ({ testIssueId, ...result }))
          .sort((a, b) => a.testIssueId.localeCompare(b.testIssueId)),
      }));
  }

  const keptOf = async (requirementKey: string) => {
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, requirementKey);
    return (stored?.trace.executions ?? []).map((execution) => ({
      ...execution,
      results: execution.results
        .map((result) => (result.at ? { ...result, at: new Date(result.at).toISOString() } : result))
        .sort((a, b) => a.testIssueId.localeCompare(b.testIssueId)),
    }));
  };

  it('the backfill keeps each test’s latest run in the newest executions it ran in', async () => {
    const expected = expectedOf('DEMO-1');
    expect(expected.length).toBeGreaterThan(0);
    expect(await keptOf('DEMO-1')).toEqual(expected);
  });

  it('a panel send keeps a new run in a new execution, with no Xray request of its own', async () => {
    const demo1 = world.jiraStore.issue('DEMO-1');
    const testId = world.xrayStore.coveringTestIds(demo1?.id ?? '')[0];
    if (!demo1 || !testId) throw new Error('DEMO-1 has a covering test');
    const execution = world.xrayStore.createTestExecution({
      projectIdOrKey: 'DEMO',
      summary: 'Nightly 2026-12-04',
      testIssueIds: [testId],
    });
    world.xrayStore.setRunStatus(execution.id, testId, 'FAILED', { at: new Date() });
    const before = world.xray.requests.length;
    const plansBefore = world.xray.requests.filter((request) => request.operation === 'PlanResults').length;
    data(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
    const operations = world.xray.requests.slice(before).map((request) => request.operation);
    const planReads = world.xray.requests.filter((request) => request.operation === 'PlanResults').length;
    // The context read and the plan read (the content changed): nothing for the executions.
    expect(operations.filter((operation) => operation !== 'PlanResults')).toHaveLength(1);
    expect(operations.length).toBe(1 + planReads - plansBefore);
    const kept = await keptOf('DEMO-1');
    expect(kept[0]).toMatchObject({ id: execution.id, key: execution.key });
    expect(kept[0]?.results).toEqual([expect.objectContaining({ testIssueId: testId, status: 'FAILED' })]);
    expect(kept).toEqual(expectedOf('DEMO-1'));
  });

  it('a panel sync keeps the earlier results its user cannot see; an older record without them reads', async () => {
    const demo1 = world.jiraStore.issue('DEMO-1');
    if (!demo1) throw new Error('no DEMO-1');
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    if (!stored) throw new Error('DEMO-1 is traced');
    // An execution only someone else sees, with a test's result in it: a panel send keeps it.
    const hidden = {
      key: 'DEMO-9001',
      id: '999999999',
      results: [{ testIssueId: '999999998', status: 'FAILED' }],
    };
    const { executions: _older, ...withoutExecutions } = stored.trace;
    await world.platform.kvs.set(traceKey(demo1.id), {
      ...withoutExecutions,
      executions: [hidden, ...(stored.trace.executions ?? [])].slice(0, MAX_EXECUTION_SCOPES),
    });
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
    expect((await keptOf('DEMO-1')).map((execution) => execution.id)).toContain(hidden.id);
    // Without earlier ones to keep, a send keeps exactly what Xray lists.
    await world.platform.kvs.set(traceKey(demo1.id), withoutExecutions);
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
    expect(await keptOf('DEMO-1')).toEqual(expectedOf('DEMO-1'));
  });
});
