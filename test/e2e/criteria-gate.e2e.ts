/**
 * The acceptance-criteria workflow gate in the playground (issue 18; docs/criteria.md "Workflow
 * gate"): an admin tries the transition from the issue page, the validator refuses naming the
 * criteria that are not proven; a tester records a passing run in Xray, the issue is synced, and the
 * same transition goes through.
 *
 * The test mapping is stored the way the panel's "map to criterion" action keeps it (source
 * `manual`): which criteria a test proves is the user's word, not something Xray knows.
 */
import { criteriaRecordSchema } from '../../src/criteria/schema';
import { traceRecordSchema } from '../../src/criteria/state';
import { criteriaKey, traceKey } from '../../src/criteria/store';
import { configureThroughPlayground } from '../harness/demo-settings';
import type { World } from '../harness/world';
import { axeFindings } from './axe';
import { describeWithBrowser } from './browser';
import { openPage, screenshot, usePlaygroundSession } from './playground';

/** A panel send of DEMO-1 as its admin (what "Send to SQAI" does): the sync keeps the criterion state. */
async function sendDemo1(world: World): Promise<void> {
  const answer = await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1');
  expect(answer).toMatchObject({ ok: true });
}

/**
 * DEMO-1 connected and sent, with a covering test whose latest run failed mapped to every criterion
 * (every criterion covered, none proven).
 */
async function coveredButFailing(url: string, world: World) {
  expect(await configureThroughPlayground(url)).toMatchObject({ ok: true });
  await world.platform.queue.drain();
  const demo1 = world.jiraStore.issue('DEMO-1');
  if (!demo1) throw new Error('no DEMO-1');

  // The first sync reads DEMO-1's criteria (its description's "Acceptance criteria" list).
  await sendDemo1(world);
  const criteria = criteriaRecordSchema.parse(await world.platform.kvs.get(criteriaKey(demo1.id)));
  expect(criteria.criteria.length).toBeGreaterThan(0);

  // A covering test whose latest run failed; a user maps it to every criterion.
  const failing = world.xrayStore
    .coveringTestIds(demo1.id)
    .map((id) => ({ id, runs: world.xrayStore.runsOfTest(id) }))
    .find(({ runs }) => runs.some((run) => run.status === 'FAILED'));
  const failingKey = failing ? world.jiraStore.issue(failing.id)?.key : undefined;
  if (!failing || !failingKey) throw new Error('DEMO-1 has no failed test');
  const trace = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(demo1.id)));
  await world.platform.kvs.set(traceKey(demo1.id), {
    ...trace,
    mappings: [
      {
        testIssueId: failing.id,
        testKey: failingKey,
        criterionIds: criteria.criteria.map(({ id }) => id),
        source: 'manual',
      },
    ],
  });
  await sendDemo1(world);
  expect(demo1.properties.get('sqaiCriteria')).toMatchObject({
    criteria: criteria.criteria.length,
    proven: 0,
    unproven: criteria.criteria.length,
  });
  return { demo1, criteria, failingKey };
}

describeWithBrowser('the acceptance-criteria workflow gate (playground)', () => {
  const current = usePlaygroundSession();

  it('refuses DEMO-1 naming its unproven criteria, then lets it through once its test passed and it was synced', async () => {
    const { playground } = current();
    const world = playground.world();
    const { demo1, criteria, failingKey } = await coveredButFailing(playground.url, world);

    // The admin tries the transition from the issue page: Jira shows the validator's message.
    const refused = await openPage(current(), '/browse/DEMO-1?as=admin');
    await refused.page.getByRole('button', { name: 'Transition to Done (workflow gate)' }).click();
    const message = refused.page.getByTestId('transition-result');
    await message.getByText(/Jira refused the transition/).waitFor();
    const text = (await message.textContent()) ?? '';
    const [first] = criteria.criteria;
    expect(text).toContain((first?.text ?? '').slice(0, 40));
    expect(text).toContain('(SQAI Connector)');
    // The message names criteria, never tests (other projects' issues).
    expect(text).not.toContain(failingKey);
    await refused.context.close();
    expect(world.jiraStore.statuses.get(demo1.statusId)?.name).not.toBe('Done');

    // A tester records a passing run of the test in Xray (the simulator's control endpoint).
    const run = await fetch(`${playground.url}/__sim/xray/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ test: failingKey, status: 'PASSED' }),
    });
    expect(run.status).toBe(200);
    // Not synced yet: the gate still reads the stored state (it asks nothing of Xray).
    const early = (await (
      await fetch(`${playground.url}/__transition`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ issueKey: 'DEMO-1', as: 'admin' }),
      })
    ).json()) as { moved: boolean };
    expect(early.moved).toBe(false);

    await sendDemo1(world);
    expect(demo1.properties.get('sqaiCriteria')).toMatchObject({ unproven: 0 });
    const allowed = await openPage(current(), '/browse/DEMO-1?as=admin');
    await allowed.page.getByRole('button', { name: 'Transition to Done (workflow gate)' }).click();
    await allowed.page.getByTestId('transition-result').getByText('Transitioned to Done.').waitFor();
    await allowed.context.close();
    expect(world.jiraStore.statuses.get(demo1.statusId)?.name).toBe('Done');
  });
  it('a workflow admin sets the gate to require coverage on its options page, and covered DEMO-1 goes through', async () => {
    const { playground } = current();
    const world = playground.world();
    const { demo1 } = await coveredButFailing(playground.url, world);

    // Adding the rule: the options page opens with the defaults, and Jira's Add button saves them.
    const editor = await openPage(current(), '/workflow/validators/sqai-criteria-gate?as=admin');
    const options = editor.app;
    const proven = options.getByRole('radio', { name: /^Proven/ });
    await proven.waitFor();
    expect(await proven.isChecked()).toBe(true);
    await options.getByRole('radio', { name: /^Covered/ }).check();
    expect(await options.getByTestId('gate-summary').textContent()).toMatch(/at least one test/);
    expect(await axeFindings(editor.page)).toBe('');
    await screenshot(editor.page, 'workflow-gate-options');
    await editor.page.getByRole('button', { name: 'Add' }).click();
    await editor.page
      .getByTestId('gate-saved')
      .getByText(/^Saved: /)
      .waitFor();
    const saved = (await (await fetch(`${playground.url}/__gate-config`)).json()) as {
      configuration: string;
    };
    expect(JSON.parse(saved.configuration)).toEqual({ require: 'covered', whenUnknown: 'refuse' });
    expect(editor.errors).toEqual([]);
    await editor.context.close();

    // Editing it again shows what was saved.
    const again = await openPage(current(), '/workflow/validators/sqai-criteria-gate?as=admin');
    const covered = again.app.getByRole('radio', { name: /^Covered/ });
    await covered.waitFor();
    await again.page.getByRole('button', { name: 'Update' }).waitFor();
    expect(await covered.isChecked()).toBe(true);
    await again.context.close();

    // Its test failed, but every criterion has one: the gate as configured lets DEMO-1 through.
    const issue = await openPage(current(), '/browse/DEMO-1?as=admin');
    await issue.page.getByRole('button', { name: 'Transition to Done (workflow gate)' }).click();
    await issue.page.getByTestId('transition-result').getByText('Transitioned to Done.').waitFor();
    await issue.context.close();
    expect(world.jiraStore.statuses.get(demo1.statusId)?.name).toBe('Done');
  });
});
