/**
 * Possibly stale tests seen by the hourly sync (issue 19 item 1: "seen by the panel or by the hourly
 * sync"): nobody opens the panel after the product owner rewords a criterion of DEMO-2; the next
 * scheduled run flags exactly the test mapped to it, publishes the counts to JQL, and the workflow gate
 * no longer counts that criterion as proven.
 */
import { readTraceabilityByKey } from '../../../src/criteria/store';
import { decideGate, gateOptionsSchema } from '../../../src/criteria/workflow-gate';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { evaluateJql } from '../../harness/jira-sim/jql';
import {
  criteriaViewOf,
  LIVING_DEMO_ISSUE,
  LIVING_DEMO_TESTS,
  LIVING_REWORD,
  rewordRequirement,
  sendDemo,
} from '../../harness/scenarios/living-tests';
import { movableClock } from '../../harness/warp-clock';
import { createWorld, type World } from '../../harness/world';

describeWithContracts('possibly stale tests through the hourly sync', () => {
  let world: World;
  const clock = movableClock();
  const hourly = async () => {
    clock.advance(60 * 60_000);
    expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
    await world.platform.queue.drain();
  };
  const jql = (query: string) => evaluateJql(world.jiraStore, query).map((issue) => issue.key);

  beforeEach(async () => {
    world = createWorld({ now: clock.now });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill
    await hourly(); // sets the cursor
  });

  it('a criterion reworded in Jira flags its test at the next hourly run; JQL and the gate see it', async () => {
    await sendDemo(world);
    const view = await criteriaViewOf(world);
    const declined = view.criteria.find((criterion) => criterion.text.includes('declined challenge'));
    const requirement = world.jiraStore.issue(LIVING_DEMO_ISSUE);
    const testKeys = (requirement ? world.xrayStore.coveringTestIds(requirement.id) : []).map((id) =>
      world.jiraStore.issues.get(id),
    );
    const declinedTest = testKeys.find((issue) => issue?.summary === LIVING_DEMO_TESTS.declined)?.key;
    if (!declined || !declinedTest) throw new Error('DEMO-2 has the declined-challenge criterion and test');
    // Every covering test proves some criterion, so only a criterion change can flag one.
    for (const issue of testKeys) {
      if (!issue) continue;
      const criterion = issue.key === declinedTest ? declined : view.criteria[0];
      data(
        await world.invokeIssue(
          'changeCriterionMapping',
          { action: 'map', testKey: issue.key, criterionId: criterion?.id ?? '' },
          LIVING_DEMO_ISSUE,
        ),
      );
    }
    expect((await criteriaViewOf(world)).staleTests ?? []).toEqual([]);
    expect(jql('sqaiStaleTests > 0')).toEqual([]);

    rewordRequirement(world, LIVING_REWORD.from, LIVING_REWORD.to);
    await hourly();

    const after = await criteriaViewOf(world);
    expect(after.staleTests?.map((test) => test.key)).toEqual([declinedTest]);
    expect(after.criteria.find((criterion) => criterion.id === declined.id)?.state).toBe('stale');
    expect(jql('sqaiStaleTests > 0')).toEqual([LIVING_DEMO_ISSUE]);
    expect(jql('sqaiStaleTest > 0')).toEqual([declinedTest]);
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, LIVING_DEMO_ISSUE);
    // The gate (proven) does not count the stale criterion as proven, and says why.
    const proven = decideGate(stored, gateOptionsSchema.parse({}));
    expect(proven.allow).toBe(false);
    if (!proven.allow) {
      expect(proven.blocking).toContain(declined.id);
      expect(proven.message).toContain('stale');
    }
  });
});
