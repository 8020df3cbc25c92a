/**
 * Living tests in the issue panel (issue 19 items 1, 3, 5) in real headless Chromium. DEMO-2
 * (test/harness/scenarios/living-tests.ts): after a QA lead mapped its tests, one criterion is reworded,
 * and exactly the test mapped to it is flagged (header count, the test's lozenge, the reason with the
 * words that changed marked); "Propose updates" asks SQAI in update mode, the answer is reviewed as a
 * Gherkin diff, edited, and "Apply decisions" writes the edit to Xray. DEMO-1: a steps update reviewed as
 * a steps diff, edited as rows, and rejected. axe with the flags and with the proposals shown.
 */
import type { Locator } from 'playwright-core';
import { defaultDataControls } from '../../src/api';
import { data, demoSettings } from '../harness/demo-settings';
import { CRITERIA_DEMO_ISSUE, prepareCriteriaDemo } from '../harness/scenarios/criteria-view';
import { LIVING_DEMO_ISSUE, prepareLivingDemo, proposeUpdates } from '../harness/scenarios/living-tests';
import { accessibilityFindings } from './axe';
import { describeWithBrowser } from './browser';
import { openPage, sectionScreenshot, usePlaygroundSession } from './playground';
import { eventually } from '../harness/eventually';

describeWithBrowser('living tests in the issue panel (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('DEMO-2: rewording one criterion flags exactly its test; the update is reviewed as a diff, edited and applied', async () => {
    const world = current().playground.world();
    await world.platform.queue.drain();
    const demo = await prepareLivingDemo(world);
    const staleKey = demo.tests.declined;
    const reworded = demo.criterionIds[3] ?? '';
    // Precision: of DEMO-2's mapped tests, exactly the one proving the reworded criterion is flagged.
    const stale = demo.view.staleTests ?? [];
    expect(stale.map(({ key }) => key)).toEqual([staleKey]);

    const { page, app, errors, context } = await openPage(current(), `/browse/${LIVING_DEMO_ISSUE}?as=admin`);
    const section = app.getByTestId('criteria-section');
    await section.getByTestId('criteria-summary').waitFor({ timeout: 20_000 });
    expect(await section.getByTestId('criteria-stale-count').innerText()).toBe('1 test possibly stale');
    const item = section.getByTestId(`criterion-${reworded}`);
    expect(await item.getByTestId('criterion-state').innerText()).toBe('Possibly stale');
    const testRow = item.getByTestId(`criterion-test-${staleKey}`);
    expect(await testRow.getByTestId('criterion-test-stale').innerText()).toBe('Possibly stale');
    // No other test in the view carries the flag.
    expect(await section.getByTestId('criterion-test-stale').count()).toBe(1);
    for (const id of demo.criterionIds.slice(0, 3)) {
      expect(await section.getByTestId(`criterion-${id}`).getAttribute('data-state')).not.toBe('stale');
    }
    const reason = testRow.getByTestId('stale-reason');
    expect(await reason.innerText()).toMatch(
      /^criterion 4 changed: “.*Your bank declined.*” → “.*Your card issuer declined.*”$/,
    );
    // The words that changed are marked, not only coloured.
    expect(await reason.locator('del').allInnerTexts()).toEqual(['bank']);
    expect((await reason.locator('ins').allInnerTexts()).join(' ').trim()).toBe('card issuer');
    const listed = section.getByTestId('stale-tests');
    expect(await listed.getByTestId(`stale-test-${staleKey}`).count()).toBe(1);
    expect(await accessibilityFindings(page, 'criteria view with a possibly stale test')).toEqual([]);
    await sectionScreenshot(page, section, 'living-stale-flag');

    await listed.getByRole('button', { name: 'Propose updates' }).click();
    const generate = app.getByTestId('generate-section');
    const updates = generate.getByTestId('updates-section');
    await updates.or(section.getByTestId('propose-error')).first().waitFor({ timeout: 30_000 });
    expect(await section.getByTestId('propose-error').allInnerTexts()).toEqual([]);
    const card: Locator = updates.getByTestId(`update-${staleKey}`);
    await card.waitFor();
    expect(await updates.getByTestId('updates-summary').innerText()).toMatch(
      /^SQAI answered for \d+ possibly stale tests?: /,
    );
    // Results arrive where the user is: focus moves to the proposals' heading.
    expect(
      await eventually(
        () => app.locator(':root').evaluate(() => document.activeElement?.id ?? ''),
        (id) => id === 'sqai-updates-heading',
      ),
    ).toBe('sqai-updates-heading');
    // The simulator is deterministic: the reworded criterion's test gets an update of its Gherkin,
    // a test flagged only for the requirement's change is still valid.
    expect(await card.getAttribute('data-verdict')).toBe('update');
    const others = stale.filter(({ key }) => key !== staleKey);
    for (const { key } of others) {
      expect(await updates.getByTestId(`update-${key}`).getAttribute('data-verdict')).toBe('valid');
    }
    // Reviewed as a diff, line by line, the changes said in words.
    const diff = card.getByTestId('gherkin-diff');
    expect(await diff.locator('[data-change="removed"] del').allTextContents()).toEqual([
      expect.stringMatching(/^Removed line: .*Your bank declined the payment"$/),
    ]);
    expect(await diff.locator('[data-change="added"] ins').allTextContents()).toEqual([
      expect.stringMatching(/^Added line: .*Your card issuer declined the payment"$/),
    ]);
    expect(await accessibilityFindings(page, 'proposed updates')).toEqual([]);
    await sectionScreenshot(page, card, 'living-update-review');

    // Edit: the proposed Gherkin in a text area; the edit is what the diff shows and what is applied.
    await card.getByRole('button', { name: 'Edit' }).click();
    const editor = card.getByLabel('Gherkin scenario');
    const proposed = await editor.inputValue();
    expect(proposed).toContain('Your card issuer declined the payment');
    await editor.fill(proposed.replace('declined the payment"', 'declined the payment" and a retry button'));
    await card.getByRole('button', { name: 'Use this edit' }).click();
    expect(await card.getByRole('button', { name: 'Edit' }).getAttribute('aria-pressed')).toBe('true');
    expect(await card.getByRole('button', { name: 'Accept' }).getAttribute('aria-pressed')).toBe('false');
    expect(await diff.locator('[data-change="added"] ins').allTextContents()).toEqual([
      expect.stringMatching(/and a retry button$/),
    ]);
    expect(await card.getByTestId('update-decision').innerText()).toBe('Your edit will be applied.');
    for (const { key } of others) {
      await updates.getByTestId(`update-${key}`).getByRole('button', { name: 'Confirm still valid' }).click();
    }
    await updates
      .getByRole('button', {
        name: others.length === 0 ? 'Apply 1 decision' : `Apply ${others.length + 1} decisions`,
      })
      .click();
    await expectStatus(card, ['Applied']);
    for (const { key } of others) {
      await expectStatus(updates.getByTestId(`update-${key}`), ['Confirmed still valid']);
    }
    expect(await updates.getByTestId('updates-statuses').innerText()).toMatch(/^1 applied/);
    // What Xray holds now is the reviewer's edit.
    const testIssue = world.jiraStore.issue(staleKey);
    expect(world.xrayStore.tests.get(testIssue?.id ?? '')?.gherkin).toContain('and a retry button');
    // Reviewed: the tests leave the stale state, and the Criteria view says so once read again.
    await section.getByTestId('stale-tests').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await section.getByTestId('criteria-stale-count').count()).toBe(0);
    expect(await item.getAttribute('data-state')).not.toBe('stale');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"Mark reviewed" clears a possibly stale test without asking SQAI', async () => {
    const world = current().playground.world();
    await world.platform.queue.drain();
    const demo = await prepareLivingDemo(world);
    const { app, errors, context } = await openPage(current(), `/browse/${LIVING_DEMO_ISSUE}?as=admin`);
    const section = app.getByTestId('criteria-section');
    const listed = section.getByTestId('stale-tests');
    await listed.waitFor({ timeout: 20_000 });
    const generations = world.sqai.generations.size;
    await listed.getByRole('button', { name: `Mark reviewed: ${demo.tests.declined}` }).click();
    await listed.waitFor({ state: 'detached', timeout: 20_000 });
    expect(await section.getByTestId('criteria-stale-count').count()).toBe(0);
    expect(await section.getByTestId('criterion-test-stale').count()).toBe(0);
    expect(world.sqai.generations.size).toBe(generations);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("another user's undecided proposals are replaced only after the user confirms it", async () => {
    const world = current().playground.world();
    await world.platform.queue.drain();
    const demo = await prepareLivingDemo(world);
    // The admin asked SQAI; nobody decided its proposals yet.
    const asked = await proposeUpdates(world);
    expect(asked.status).toBe('succeeded');

    const { app, errors, context } = await openPage(current(), `/browse/${LIVING_DEMO_ISSUE}?as=member`);
    const section = app.getByTestId('criteria-section');
    const listed = section.getByTestId('stale-tests');
    await listed.waitFor({ timeout: 20_000 });
    await listed.getByRole('button', { name: 'Propose updates' }).click();
    const question = listed.getByTestId('confirm-replace-updates');
    await question.waitFor({ timeout: 20_000 });
    expect(await question.innerText()).toContain('not been decided yet');
    // Nothing was asked of SQAI meanwhile.
    const generations = world.sqai.generations.size;
    await question.getByRole('button', { name: 'Replace them and propose updates' }).click();
    const card = app.getByTestId('generate-section').getByTestId(`update-${demo.tests.declined}`);
    await card.waitFor({ timeout: 30_000 });
    expect(world.sqai.generations.size).toBe(generations + 1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reviews the update of a steps test as a steps diff, edits it as rows, and rejects it', async () => {
    const world = current().playground.world();
    await world.platform.queue.drain();
    const demo = await prepareCriteriaDemo(world, current().playground.url);
    const stepsKey = demo.tests.invalidEmail;
    // The steps test's data are e-mail addresses: the project's default controls redact them, so SQAI is
    // sent placeholders and its proposal is restored to the addresses (src/living/update-redaction.ts).
    data(
      await world.invoke('saveSettings', {
        ...demoSettings('enterprise'),
        dataControls: defaultDataControls(),
      }),
    );
    // The product owner rewords the criterion the steps test proves; the requirement is sent again.
    const demo1 = world.jiraStore.issue(CRITERIA_DEMO_ISSUE);
    if (!demo1) throw new Error('DEMO-1 is missing');
    world.jiraStore.updateIssue(demo1.id, {
      description: JSON.parse(
        JSON.stringify(demo1.description).split('a valid email address').join('a valid work email address'),
      ) as typeof demo1.description,
    });
    data(await world.invokeIssue('sendToSqai', { force: true }, CRITERIA_DEMO_ISSUE));

    const { page, app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    const section = app.getByTestId('criteria-section');
    await section.getByTestId(`stale-test-${stepsKey}`).waitFor({ timeout: 20_000 });
    await section.getByTestId('stale-tests').getByRole('button', { name: 'Propose updates' }).click();
    const updates = app.getByTestId('generate-section').getByTestId('updates-section');
    const card = updates.getByTestId(`update-${stepsKey}`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-verdict')).toBe('update');

    // The steps table marks the changed row in words, the changed words struck through / underlined.
    const diff = card.getByTestId('steps-diff');
    const changed = diff.locator('tbody tr[data-change="changed"]');
    expect(await changed.count()).toBe(1);
    expect(await changed.locator('th').innerText()).toContain('changed');
    expect(await changed.locator('del').count()).toBe(0);
    expect((await changed.locator('ins').allTextContents()).join('').trim()).toBe('work');
    expect(await changed.innerText()).toContain('Enter a valid work email address');
    expect(await diff.locator('tbody tr[data-change="same"]').count()).toBeGreaterThan(0);
    // The reviewer sees the addresses the test holds, never a placeholder.
    expect(await diff.innerText()).toContain('sam@example.com');
    expect(await diff.innerText()).not.toMatch(/\[email-\d+\]/);
    expect(await accessibilityFindings(page, 'a steps update as a diff')).toEqual([]);

    // Edit: every step's action, data and expected result in its own labelled field.
    await card.getByRole('button', { name: 'Edit' }).click();
    const rows = card.getByTestId('edit-step');
    const count = await rows.count();
    expect(count).toBeGreaterThan(1);
    await card.getByRole('button', { name: 'Add step' }).click();
    expect(await rows.count()).toBe(count + 1);
    // A step without an action is refused.
    await card.getByRole('button', { name: 'Use this edit' }).click();
    expect(await card.getByRole('alert').innerText()).toBe(`Step ${count + 1} needs an action.`);
    await card.getByRole('button', { name: `Remove step ${count + 1}` }).click();
    await rows.first().getByLabel('Action').fill('Start a guest checkout on a phone');
    await card.getByRole('button', { name: 'Use this edit' }).click();
    expect(await diff.locator('tbody tr[data-change="changed"]').count()).toBe(2);
    expect(await accessibilityFindings(page, 'a steps update, edited')).toEqual([]);

    // Rejected: nothing is written; the test stays as it is.
    const before = world.xrayStore.tests
      .get(world.jiraStore.issue(stepsKey)?.id ?? '')
      ?.steps.map(({ action }) => action);
    await card.getByRole('button', { name: 'Reject' }).click();
    await updates.getByRole('button', { name: 'Apply 1 decision' }).click();
    await expectStatus(card, ['Rejected']);
    expect(
      world.xrayStore.tests.get(world.jiraStore.issue(stepsKey)?.id ?? '')?.steps.map(({ action }) => action),
    ).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function expectStatus(card: Locator, expected: string[]): Promise<void> {
  const status = card.getByTestId('update-status');
  await status.waitFor({ timeout: 30_000 });
  const until = Date.now() + 30_000;
  let text = await status.innerText();
  while (!expected.includes(text) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    text = await status.innerText();
  }
  expect(expected).toContain(text);
}
