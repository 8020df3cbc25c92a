/**
 * Test Plan scopes (issue 18: "which Test Plan's results count"): a sync of a requirement with
 * criteria reads its tests' status in the newest Test Plans they are in (Xray's `Test.status(testPlan:)`,
 * one request per 8 plans), keeps them in the trace record, and a gate scoped to a plan decides on them.
 */
import type { XrayContextTest } from '../../../src/clients/xray/requirement-context';
import { mergeScopes, planScopesOf, resultsFor } from '../../../src/clients/xray/plan-results';
import { readTraceabilityByKey } from '../../../src/criteria/store';
import { decideGate, gateOptionsSchema } from '../../../src/criteria/workflow-gate';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, type World } from '../../harness/world';

const test = (issueId: string, plans: string[]): XrayContextTest => ({
  issueId,
  jira: { key: `DEMO-${issueId}` },
  testPlans: { results: plans.map((id) => ({ issueId: id, jira: { key: `DEMO-${id}` } })) },
});

describe('planScopesOf / mergeScopes / resultsFor', () => {
  it('keeps the newest plans (highest issue id), each with the tests in it', () => {
    const scopes = planScopesOf(
      [test('1', ['900', '10000', '99']), test('2', ['10000', '1000']), test('3', [])],
      3,
    );
    expect(scopes).toEqual([
      { planId: '10000', testIds: ['1', '2'] },
      { planId: '1000', testIds: ['2'] },
      { planId: '900', testIds: ['1'] },
    ]);
  });

  it('merges many requirements’ scopes per plan and hands each its own tests back', () => {
    const a = [{ planId: '10', testIds: ['1', '2'] }];
    const b = [
      { planId: '10', testIds: ['3'] },
      { planId: '11', testIds: ['3'] },
    ];
    expect(mergeScopes([...a, ...b])).toEqual([
      { planId: '10', testIds: ['1', '2', '3'] },
      { planId: '11', testIds: ['3'] },
    ]);
    const plans = new Map([
      [
        '10',
        {
          planId: '10',
          key: 'DEMO-10',
          results: [
            { testIssueId: '1', status: 'PASSED' },
            { testIssueId: '3', status: 'FAILED' },
          ],
        },
      ],
    ]);
    expect(resultsFor(b, plans)).toEqual([
      { planId: '10', key: 'DEMO-10', results: [{ testIssueId: '3', status: 'FAILED' }] },
    ]);
  });
});

describe('resultsFor dates a status by the test’s latest run in one of the plan’s executions', () => {
  it('ignores runs in executions outside the plan, and leaves a status without such a run undated', () => {
    const scope = {
      planId: '10',
      testIds: ['1', '2'],
      runs: [
        { testIssueId: '1', executionId: '50', at: '2026-12-01T10:00:00.000Z' },
        { testIssueId: '1', executionId: '51', at: '2026-12-02T10:00:00.000Z' },
        { testIssueId: '1', executionId: '99', at: '2026-12-03T10:00:00.000Z' },
        { testIssueId: '2', executionId: '99', at: '2026-12-03T10:00:00.000Z' },
      ],
    };
    const plans = new Map([
      [
        '10',
        {
          planId: '10',
          key: 'DEMO-10',
          executionIds: ['50', '51'],
          results: [
            { testIssueId: '1', status: 'PASSED' },
            { testIssueId: '2', status: 'TODO' },
          ],
        },
      ],
    ]);
    expect(resultsFor([scope], plans)[0]?.results).toEqual([
      { testIssueId: '1', status: 'PASSED', at: '2026-12-02T10:00:00.000Z' },
      { testIssueId: '2', status: 'TODO' },
    ]);
  });
});

describeWithContracts('Test Plan results kept by the sync', () => {
  let world: World;
  const planRequests = () => world.xray.requests.filter((request) => request.operation === 'PlanResults');

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill: every requirement read, as the app
  });

  it('the backfill keeps each requirement’s tests’ status in their plan, as Xray works it out', async () => {
    const demo1 = world.jiraStore.issue('DEMO-1');
    if (!demo1) throw new Error('no DEMO-1');
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    const [plan] = stored?.trace.plans ?? [];
    const planIssue = [...world.xrayStore.testPlans.values()][0];
    if (!plan || !planIssue) throw new Error('DEMO-1’s tests are in a Test Plan');
    expect(plan.id).toBe(planIssue.issueId);
    expect(plan.key).toBe(world.jiraStore.issue(planIssue.issueId)?.key);
    // Each status as Xray works it out in the plan, dated by the test's latest run in one of the
    // plan's executions (Xray gives the status without a time).
    const latestInPlan = (testId: string) =>
      world.xrayStore
        .runsOfTest(testId)
        .filter((run) => planIssue.testExecIds.includes(run.testExecIssueId))
        .map((run) => run.finishedOn ?? run.startedOn)
        .filter((at): at is string => at !== null)
        .sort((a, b) => Date.parse(a) - Date.parse(b))
        .at(-1);
    const expected = world.xrayStore
      .coveringTestIds(demo1.id)
      .map((testId) => {
        const at = latestInPlan(testId);
        return {
          testIssueId: testId,
          status: world.xrayStore.testStatus(testId, { testPlanId: planIssue.issueId }).name,
          ...(at ? { at: new Date(at).toISOString() } : {}),
        };
      })
      .sort((a, b) => a.testIssueId.localeCompare(b.testIssueId));
    expect(expected.some((result) => result.at !== undefined)).toBe(true);
    expect(
      [...plan.results]
        .map((result) => (result.at ? { ...result, at: new Date(result.at).toISOString() } : result))
        .sort((a, b) => a.testIssueId.localeCompare(b.testIssueId)),
    ).toEqual(expected);
    // One plan for the whole batch: one request (8 plans per request).
    expect(planRequests()).toHaveLength(1);
  });

  it('a panel send reads them again only when the content changed; a gate scoped to the plan decides on them', async () => {
    // Unchanged since the backfill pushed it: the plan scope kept stays, no read.
    let before = planRequests().length;
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
    expect(planRequests().length - before).toBe(0);
    // A tester records a run in the plan's latest execution: the content changed, one read.
    const demo1 = world.jiraStore.issue('DEMO-1');
    const planIssue = [...world.xrayStore.testPlans.values()][0];
    const testId = world.xrayStore.coveringTestIds(demo1?.id ?? '')[0];
    const execution = planIssue?.testExecIds.at(-1);
    if (!testId || !execution) throw new Error('DEMO-1 has a test in an execution of the plan');
    world.xrayStore.setRunStatus(execution, testId, 'FAILED', { at: new Date() });
    before = planRequests().length;
    data(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
    expect(planRequests().length - before).toBe(1);
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    const plan = stored?.trace.plans[0];
    if (!stored || !plan) throw new Error('DEMO-1 keeps a plan scope');
    // Map every covering test to every criterion: the plan's results then decide each criterion.
    const all = stored.criteria.criteria.map(({ id }) => id);
    const mapped = {
      ...stored,
      trace: {
        ...stored.trace,
        mappings: (stored.trace.covering ?? []).map((test) => ({
          ...test,
          criterionIds: all,
          source: 'manual' as const,
        })),
      },
    };
    const inPlan = decideGate(mapped, gateOptionsSchema.parse({ testPlanKey: plan.key }));
    const allPassedInPlan = plan.results.every((result) => result.status === 'PASSED');
    expect(inPlan.allow).toBe(allPassedInPlan);
    // A plan the app keeps no results for: nothing ran in it, nothing is proven.
    expect(decideGate(mapped, gateOptionsSchema.parse({ testPlanKey: 'DEMO-9999' }))).toMatchObject({
      allow: false,
      reason: 'blocked',
    });
  });

  it('a requirement without criteria costs no plan read', async () => {
    const before = planRequests().length;
    const bug = [...world.jiraStore.issues.values()].find(
      (issue) => world.jiraStore.issueTypes.get(issue.issueTypeId)?.name === 'Bug',
    );
    if (!bug) throw new Error('the demo has a bug');
    await world.invokeIssue('sendToSqai', { force: true }, bug.key);
    expect(planRequests().length - before).toBe(0);
  });
});
