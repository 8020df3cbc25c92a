/**
 * Choosing a Test Plan's (or a Test Execution's) results in real headless Chromium (issue 18 item 3
 * and the workflow gate;
 * docs/criteria.md "The Criteria view and mappings", "Workflow gate"): DEMO-1's criteria are all
 * proven by one test whose latest run passed, but it failed in Test Plan "Release 2.4 regression".
 * A QA lead switches the panel's Criteria view to that plan and back; a workflow admin scopes the
 * gate to the plan on its options page (a mistyped key is refused there), and the transition is
 * refused — then allowed once the gate names a plan the test passed in.
 *
 * The per-plan results are stored in the trace record directly (as the sync keeps them, `plans`;
 * and `executions`: in Test Execution "Nightly run" the test failed too), so the test does not
 * depend on how the sync reads them from Xray.
 */
import { criteriaRecordSchema } from '../../src/criteria/schema';
import { traceRecordSchema } from '../../src/criteria/state';
import { criteriaKey, traceKey } from '../../src/criteria/store';
import { data } from '../harness/demo-settings';
import type { World } from '../harness/world';
import { accessibilityFindings, appFrame } from './axe';
import { describeWithBrowser } from './browser';
import { openPage, usePlaygroundSession } from './playground';

interface Seeded {
  criteria: number;
  regression: string;
  smoke: string;
  nightly: string;
}

/**
 * DEMO-1 sent (its criteria read), one covering test mapped to every criterion; its latest run
 * passed, in Test Plan "Release 2.4 regression" it failed, in "Smoke" it passed.
 */
async function seed(world: World): Promise<Seeded> {
  await world.platform.queue.drain();
  data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
  const demo1 = world.jiraStore.issue('DEMO-1');
  if (!demo1) throw new Error('no DEMO-1');
  const criteria = criteriaRecordSchema.parse(await world.platform.kvs.get(criteriaKey(demo1.id)));
  const trace = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(demo1.id)));
  const [test] = trace.covering ?? [];
  if (!test || criteria.criteria.length === 0) throw new Error('DEMO-1 has criteria and a covering test');
  const plan = (summary: string) =>
    world.jiraStore.createIssue({ projectIdOrKey: 'DEMO', issueTypeIdOrName: 'Test Plan', summary });
  const regression = plan('Release 2.4 regression');
  const smoke = plan('Smoke');
  const nightly = world.jiraStore.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Test Execution',
    summary: 'Nightly run',
  });
  const at = new Date().toISOString();
  const result = (status: string) => [{ testIssueId: test.testIssueId, status, at }];
  await world.platform.kvs.set(traceKey(demo1.id), {
    ...trace,
    mappings: [{ ...test, criterionIds: criteria.criteria.map(({ id }) => id), source: 'manual' }],
    latest: result('PASSED'),
    plans: [
      { key: regression.key, id: regression.id, results: result('FAILED') },
      { key: smoke.key, id: smoke.id, results: result('PASSED') },
    ],
    executions: [{ key: nightly.key, id: nightly.id, results: result('FAILED') }],
  });
  return {
    criteria: criteria.criteria.length,
    regression: regression.key,
    smoke: smoke.key,
    nightly: nightly.key,
  };
}

async function transition(url: string): Promise<boolean> {
  const response = await fetch(`${url}/__transition`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ issueKey: 'DEMO-1', as: 'admin' }),
  });
  return ((await response.json()) as { moved: boolean }).moved;
}

describeWithBrowser('a Test Plan’s results (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('the Criteria view switches to a Test Plan’s results and back', async () => {
    const world = current().playground.world();
    const seeded = await seed(world);
    const all = `${seeded.criteria} criteria`;

    const { page, app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    const section = app.getByTestId('criteria-section');
    const summary = section.getByTestId('criteria-summary');
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.innerText()).toBe(`${all}: ${seeded.criteria} proven`);

    // "Results from": the latest run, then the kept plans and executions (with their summaries).
    const choice = section.getByLabel('Results from', { exact: true });
    await choice.focus();
    await choice.press('ArrowDown');
    const options = await app.getByRole('option').allInnerTexts();
    expect(options).toEqual([
      'Latest run',
      `Test Plan ${seeded.regression} · Release 2.4 regression`,
      `Test Plan ${seeded.smoke} · Smoke`,
      `Test Execution ${seeded.nightly} · Nightly run`,
    ]);
    await app
      .getByRole('option', { name: `Test Plan ${seeded.regression} · Release 2.4 regression` })
      .click();
    await section.getByText(`${all}: ${seeded.criteria} failing`, { exact: true }).waitFor();
    const results = await section.getByTestId('criterion-test-result').allInnerTexts();
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results)).toEqual(new Set(['FAILED']));

    expect(await accessibilityFindings(page, 'criteria view in a Test Plan')).toEqual([]);

    // Readable at the panel's narrow width: nothing wider than the frame.
    await page.evaluate(() => {
      const iframe = document.querySelector<HTMLIFrameElement>('iframe.app');
      if (iframe) iframe.style.width = '360px';
    });
    const frame = await appFrame(page);
    await page.waitForTimeout(200);
    expect(
      await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);

    // Back to the latest run.
    await choice.focus();
    await choice.press('ArrowDown');
    await app.getByRole('option', { name: 'Latest run' }).click();
    await section.getByText(`${all}: ${seeded.criteria} proven`, { exact: true }).waitFor();
    expect(await section.getByTestId('criteria-scope-note').count()).toBe(0);

    // A plan whose results are no longer kept (a newer plan took its place since the list was read):
    // the view says so and shows the latest run, never "nothing ran".
    const demo1 = world.jiraStore.issue('DEMO-1');
    const trace = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(demo1?.id ?? '')));
    await world.platform.kvs.set(traceKey(demo1?.id ?? ''), {
      ...trace,
      plans: trace.plans.filter((plan) => plan.key !== seeded.smoke),
    });
    await choice.focus();
    await choice.press('ArrowDown');
    await app.getByRole('option', { name: `Test Plan ${seeded.smoke} · Smoke` }).click();
    const note = section.getByTestId('criteria-scope-note');
    await note.waitFor();
    expect(await note.innerText()).toBe(
      `No results are kept for ${seeded.smoke} yet — the app keeps the newest 4 Test Plans of this requirement’s tests. Showing each test’s latest run instead.`,
    );
    expect(await summary.innerText()).toBe(`${all}: ${seeded.criteria} proven`);
    expect(await accessibilityFindings(page, 'criteria view, a plan not kept')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the Criteria view switches to a Test Execution’s results and back', async () => {
    const world = current().playground.world();
    const seeded = await seed(world);
    const all = `${seeded.criteria} criteria`;

    const { page, app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    const section = app.getByTestId('criteria-section');
    const summary = section.getByTestId('criteria-summary');
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.innerText()).toBe(`${all}: ${seeded.criteria} proven`);

    const choice = section.getByLabel('Results from', { exact: true });
    await choice.focus();
    await choice.press('ArrowDown');
    await app.getByRole('option', { name: `Test Execution ${seeded.nightly} · Nightly run` }).click();
    await section.getByText(`${all}: ${seeded.criteria} failing`, { exact: true }).waitFor();
    const results = await section.getByTestId('criterion-test-result').allInnerTexts();
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results)).toEqual(new Set(['FAILED']));
    expect(await accessibilityFindings(page, 'criteria view in a Test Execution')).toEqual([]);

    // An execution no longer kept (a newer one took its place): the view says so, latest run shown.
    const demo1 = world.jiraStore.issue('DEMO-1');
    const trace = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(demo1?.id ?? '')));
    await world.platform.kvs.set(traceKey(demo1?.id ?? ''), { ...trace, executions: [] });
    await choice.focus();
    await choice.press('ArrowDown');
    await app.getByRole('option', { name: 'Latest run' }).click();
    await section.getByText(`${all}: ${seeded.criteria} proven`, { exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // Asked again in a fresh panel, the chosen execution is gone from the list: no choice offered
    // beyond the plans, and the plans still work.
    const again = await openPage(current(), '/browse/DEMO-1?as=admin');
    const againChoice = again.app.getByTestId('criteria-section').getByLabel('Results from', { exact: true });
    await againChoice.waitFor({ timeout: 20_000 });
    await againChoice.focus();
    await againChoice.press('ArrowDown');
    expect(await again.app.getByRole('option').allInnerTexts()).toEqual([
      'Latest run',
      `Test Plan ${seeded.regression} · Release 2.4 regression`,
      `Test Plan ${seeded.smoke} · Smoke`,
    ]);
    expect(again.errors).toEqual([]);
    await again.context.close();
  });

  it('a workflow admin scopes the gate to a Test Plan; the transition follows that plan’s results', async () => {
    const { playground } = current();
    const seeded = await seed(playground.world());

    const editor = await openPage(current(), '/workflow/validators/sqai-criteria-gate?as=admin');
    const options = editor.app;
    const field = options.getByLabel('Test Plan (optional)', { exact: true });
    await field.waitFor();
    expect(await options.getByText(/newest 4 Test Plans/).count()).toBe(1);

    // A mistyped key: the field says so, and Jira's button saves nothing.
    await field.fill('release 2.4');
    await field.blur();
    await options.getByText(/Enter a Test Plan’s issue key, such as DEMO-30/).waitFor();
    await editor.page.getByRole('button', { name: 'Add' }).click();
    await editor.page
      .getByTestId('gate-saved')
      .getByText(/^Not saved: /)
      .waitFor();
    expect(await (await fetch(`${playground.url}/__gate-config`)).json()).not.toMatchObject({
      configuration: expect.stringContaining('release') as unknown,
    });
    expect(await accessibilityFindings(editor.page, 'gate options with a field error')).toEqual([]);

    // The plan's key, typed in lower case: saved in Jira's form, and the summary names it.
    await field.fill(` ${seeded.regression.toLowerCase()} `);
    expect(await options.getByTestId('gate-summary').innerText()).toContain(
      `in its latest run in Test Plan ${seeded.regression}`,
    );
    await editor.page.getByRole('button', { name: 'Add' }).click();
    await editor.page
      .getByTestId('gate-saved')
      .getByText(/^Saved: /)
      .waitFor();
    const saved = (await (await fetch(`${playground.url}/__gate-config`)).json()) as {
      configuration: string;
    };
    expect(JSON.parse(saved.configuration)).toEqual({
      require: 'proven',
      testPlanKey: seeded.regression,
      whenUnknown: 'refuse',
    });
    expect(editor.errors).toEqual([]);
    await editor.context.close();

    // Editing it again shows the saved plan.
    const again = await openPage(current(), '/workflow/validators/sqai-criteria-gate?as=admin');
    await again.page.getByRole('button', { name: 'Update' }).waitFor();
    const shown = again.app.getByLabel('Test Plan (optional)', { exact: true });
    await shown.waitFor();
    // The page reads the saved options from its context (asynchronously).
    let value = await shown.inputValue();
    for (let tries = 0; value !== seeded.regression && tries < 100; tries += 1) {
      await again.page.waitForTimeout(100);
      value = await shown.inputValue();
    }
    expect(value).toBe(seeded.regression);
    await again.context.close();

    // The test failed in that plan (though its latest run passed): the gate refuses.
    expect(await transition(playground.url)).toBe(false);
    // Scoped to a plan it passed in, the same issue goes through.
    await fetch(`${playground.url}/__gate-config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        configuration: JSON.stringify({
          require: 'proven',
          testPlanKey: seeded.smoke,
          whenUnknown: 'refuse',
        }),
      }),
    });
    expect(await transition(playground.url)).toBe(true);
  });
});
