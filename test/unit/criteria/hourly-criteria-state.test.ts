/**
 * Issue 18, "Must hold": sync keeps criterion state current within one hourly run after a result
 * changes in Xray. A tester records a run in Xray (nothing changes in Jira); the next hourly run
 * brings the criterion's state, the `sqaiCriteria` property and the workflow gate's answer up to
 * date, with no Xray request of its own beyond the run's reads.
 */
import type { CriteriaViewDto } from '../../../src/api';
import { CRITERIA_PROPERTY_KEY } from '../../../src/criteria/issue-property';
import { readTraceabilityByKey } from '../../../src/criteria/store';
import { decideGate, gateOptionsSchema } from '../../../src/criteria/workflow-gate';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { movableClock } from '../../harness/warp-clock';
import { createWorld, type World } from '../../harness/world';

describeWithContracts('criterion state after a result changes in Xray', () => {
  let world: World;
  const clock = movableClock();

  const hourly = async () => {
    clock.advance(60 * 60_000);
    expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
    await world.platform.queue.drain();
  };
  const view = async () => data(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, 'DEMO-1'));

  beforeEach(async () => {
    world = createWorld({ now: clock.now });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill
    await hourly(); // sets the cursor
  });

  it('a failed test passes in Xray: the next hourly run makes its criterion proven, and the gate stops naming it', async () => {
    const demo1 = world.jiraStore.issue('DEMO-1');
    if (!demo1) throw new Error('no DEMO-1');
    // DEMO-1 was read by the backfill: its criteria are known. A QA lead maps a test that last failed.
    const before = await view();
    expect(before.status).toBe('ready');
    const [criterion] = before.criteria;
    const failing = world.xrayStore
      .coveringTestIds(demo1.id)
      .map((id) => ({ id, runs: world.xrayStore.runsOfTest(id) }))
      .find(({ runs }) => runs.some((run) => run.status === 'FAILED'));
    const failingKey = failing ? world.jiraStore.issue(failing.id)?.key : undefined;
    if (!criterion || !failing || !failingKey) throw new Error('DEMO-1 has criteria and a failed test');
    const mapped = data(
      await world.invokeIssue<CriteriaViewDto>(
        'changeCriterionMapping',
        { action: 'map', testKey: failingKey, criterionId: criterion.id },
        'DEMO-1',
      ),
    );
    expect(mapped.criteria[0]?.state).toBe('failing');
    // The gate names it among the criteria that block (the others have no test yet).
    const blocking = async () => {
      const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
      const decision = decideGate(stored, gateOptionsSchema.parse({}));
      return decision.allow ? [] : decision.blocking;
    };
    expect(await blocking()).toContain(criterion.id);

    // The tester records a pass in every execution of that test (Jira's `updated` does not move).
    const updated = demo1.updated;
    const executions = [...world.xrayStore.testExecutions.values()].filter((execution) =>
      execution.testIds.includes(failing.id),
    );
    for (const execution of executions) {
      world.xrayStore.setRunStatus(execution.issueId, failing.id, 'PASSED', { at: clock.now() });
    }
    expect(world.jiraStore.issue('DEMO-1')?.updated).toBe(updated);
    const property = demo1.properties.get(CRITERIA_PROPERTY_KEY);

    const xrayBefore = world.xray.requests.length;
    await hourly();
    const after = await view();
    expect(after.criteria[0]).toMatchObject({ id: criterion.id, state: 'proven' });
    expect(demo1.properties.get(CRITERIA_PROPERTY_KEY)).not.toEqual(property);
    expect(demo1.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({
      proven: (property as { proven: number }).proven + 1,
    });
    expect(await blocking()).not.toContain(criterion.id);
    // The run's own reads (changes, the batch): the criteria state added no Xray request.
    expect(world.xray.requests.length - xrayBefore).toBeLessThanOrEqual(4);
  });
});
