/**
 * The issue panel's Criteria view in real headless Chromium (issue 18 item 3; docs/criteria.md):
 * DEMO-1 with a criterion in every state (test/harness/scenarios/criteria-view.ts), each shown with
 * its lozenge and tests; a QA lead maps a test by hand and unmaps it, asks SQAI to suggest mappings
 * and confirms one; "Generate tests for uncovered criteria" opens the generate form focused on those criteria and starts a generation limited to
 * them, whose tests then prove them. axe in light and dark mode; readable at the panel's narrow width.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { CriterionStateName } from '../../src/api';
import { data } from '../harness/demo-settings';
import { acceptanceCriteria, doc, p } from '../harness/fixtures/adf';
import {
  prepareCriteriaDemo,
  type CriteriaDemo,
  type DemoCriterionState,
} from '../harness/scenarios/criteria-view';
import { accessibilityFindings, appFrame } from './axe';
import { describeWithBrowser } from './browser';
import { openPage, sectionScreenshot, usePlaygroundSession, type Session } from './playground';
import { eventually } from '../harness/eventually';

const STATE_TEXT: Record<CriterionStateName, string> = {
  proven: 'Proven',
  failing: 'Failing',
  stale: 'Possibly stale',
  changed: 'Changed since tested',
  notRun: 'Not run',
  noTest: 'No test',
};

async function prepare(session: Session): Promise<CriteriaDemo> {
  const world = session.playground.world();
  await world.platform.queue.drain();
  return prepareCriteriaDemo(world, session.playground.url);
}

/** The Criteria section once it has read DEMO-1's criteria. */
async function criteriaSection(app: FrameLocator): Promise<Locator> {
  const section = app.getByTestId('criteria-section');
  await section.getByTestId('criteria-summary').waitFor({ timeout: 20_000 });
  return section;
}

/** Sets the shell's app iframe to `width` ('' restores it). */
async function frameWidth(page: Page, width: string): Promise<void> {
  await page.evaluate((value) => {
    const iframe = document.querySelector<HTMLIFrameElement>('iframe.app');
    if (iframe) iframe.style.width = value;
  }, width);
}

/** Picks `option` in the Atlaskit select labelled `label` (types to filter, Enter picks). */
async function pick(scope: Locator, label: string, option: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.focus();
  await input.fill(option);
  await input.press('Enter');
}

describeWithBrowser('the Criteria view (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('shows every state on DEMO-1; a test is mapped and unmapped by hand; a suggestion is confirmed', async () => {
    const demo = await prepare(current());
    // The set-up reached every state (else the view below could not show them).
    for (const state of Object.keys(demo.criteria) as DemoCriterionState[]) {
      expect(demo.criteria[state].state).toBe(state);
    }

    const { page, app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    const section = await criteriaSection(app);
    expect(await section.getByTestId('criteria-summary').innerText()).toBe(
      '5 criteria: 1 proven, 1 failing, 1 changed since tested, 1 not run, 1 no test',
    );
    for (const state of Object.keys(demo.criteria) as DemoCriterionState[]) {
      const text = STATE_TEXT[state];
      const item = section.getByTestId(`criterion-${demo.criteria[state].id}`);
      expect(await item.getAttribute('data-state')).toBe(state);
      expect(await item.getByTestId('criterion-state').innerText()).toBe(text);
      expect(await item.getByTestId('criterion-text').innerText()).toBe(demo.criteria[state].text);
    }
    // Each test with its key (a link to the issue) and its latest result.
    const failing = section.getByTestId(`criterion-${demo.criteria.failing.id}`);
    const failingTest = failing.getByTestId(`criterion-test-${demo.tests.invalidEmail}`);
    expect(await failingTest.getByRole('link', { name: demo.tests.invalidEmail }).getAttribute('href')).toBe(
      `/browse/${demo.tests.invalidEmail}`,
    );
    expect(await failingTest.getByTestId('criterion-test-result').innerText()).toBe('FAILED');
    const changed = section.getByTestId(`criterion-${demo.criteria.changed.id}`);
    expect(await changed.getByTestId('criterion-text').innerText()).toContain('within 5 minutes');
    expect(await changed.getByTestId('criterion-reworded').innerText()).toMatch(/run them again/);
    const notRun = section.getByTestId(`criterion-${demo.criteria.notRun.id}`);
    expect(
      await notRun
        .getByTestId(`criterion-test-${demo.tests.checkoutFirefox}`)
        .getByTestId('criterion-test-result')
        .innerText(),
    ).toBe('EXECUTING');
    // One uncovered criterion: generation is offered for it.
    await section.getByRole('button', { name: 'Generate tests for 1 uncovered criterion' }).waitFor();

    expect(await accessibilityFindings(page, 'criteria view')).toEqual([]);
    await sectionScreenshot(page, section, 'criteria-view');

    // Readable at the issue panel's width (a narrow Jira layout): nothing wider than the frame.
    await frameWidth(page, '360px');
    const frame = await appFrame(page);
    expect(
      await eventually(
        () => frame.evaluate(() => document.documentElement.clientWidth),
        (width) => width <= 360,
      ),
    ).toBeLessThanOrEqual(360);
    expect(
      await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await frameWidth(page, '');

    // Map a test by hand to the criterion without a test: its Gherkin is that very scenario.
    const uncovered = section.getByTestId(`criterion-${demo.criteria.noTest.id}`);
    await uncovered.getByRole('button', { name: 'Map a test' }).click();
    // Focus moves into the form that opened.
    expect(
      await eventually(
        () => app.locator(':root').evaluate(() => document.activeElement?.id ?? ''),
        (id) => id.startsWith('sqai-map-test-'),
      ),
    ).toMatch(/^sqai-map-test-/);
    await pick(uncovered, 'Test', demo.tests.receipt);
    await uncovered.getByRole('button', { name: 'Map', exact: true }).click();
    const mapped = uncovered.getByTestId(`criterion-test-${demo.tests.receipt}`);
    await mapped.waitFor();
    expect(await uncovered.getAttribute('data-state')).toBe('proven');
    expect(await mapped.innerText()).toContain('mapped by hand');
    expect(await app.getByTestId('criteria-announcer').innerText()).toBe(
      `${demo.tests.receipt} mapped. The criterion is now proven.`,
    );
    expect(await section.getByTestId('criteria-summary').innerText()).toBe(
      '5 criteria: 2 proven, 1 failing, 1 changed since tested, 1 not run',
    );
    // ... and unmap it: back to no test, focus on the criterion.
    await mapped.getByRole('button', { name: `Unmap ${demo.tests.receipt}` }).click();
    await eventually(
      () => uncovered.getAttribute('data-state'),
      (state) => state === 'noTest',
    );
    expect(await uncovered.getAttribute('data-state')).toBe('noTest');
    expect(await mapped.count()).toBe(0);
    expect(
      await app.locator(':root').evaluate(() => document.activeElement?.getAttribute('data-testid') ?? ''),
    ).toBe('criterion-text');

    // Any other key can be typed; one that is not a test of DEMO-1 is refused under the field.
    await uncovered.getByRole('button', { name: 'Map a test' }).click();
    await pick(uncovered, 'Test', 'Other key');
    const typed = uncovered.getByLabel('Test key', { exact: true });
    await typed.fill('demo-9999');
    await uncovered.getByRole('button', { name: 'Map', exact: true }).click();
    await uncovered.getByText('DEMO-9999 is not a test covering DEMO-1, or you cannot see it.').waitFor();
    expect(await typed.getAttribute('aria-invalid')).toBe('true');
    expect(await uncovered.getAttribute('data-state')).toBe('noTest');
    await uncovered.getByRole('button', { name: 'Cancel' }).click();
    await uncovered.getByRole('button', { name: 'Map a test' }).waitFor();

    // SQAI suggests mappings for the tests nobody mapped; one is confirmed.
    await section.getByRole('button', { name: 'Suggest mappings' }).click();
    const outcome = section.getByTestId('suggest-outcome');
    await outcome.getByText(/^SQAI classified \d+ tests?/).waitFor({ timeout: 20_000 });
    expect(await outcome.innerText()).toMatch(/and suggested \d+ mappings?: confirm or reject them below\.$/);
    const confirm = section.getByTestId('confirm-suggestion').first();
    const label = (await confirm.getAttribute('aria-label')) ?? '';
    const suggestedKey = label.replace(/^Confirm /, '');
    expect(suggestedKey).toMatch(/^DEMO-\d+$/);
    // The criterion the suggestion is under (named before the suggestion row goes away).
    const ownerId =
      (await section
        .locator('li[data-state]')
        .filter({ has: app.getByTestId(`criterion-suggestion-${suggestedKey}`) })
        .first()
        .getAttribute('data-testid')) ?? '';
    const owner = section.getByTestId(ownerId);
    await confirm.click();
    await owner.getByTestId(`criterion-test-${suggestedKey}`).waitFor();
    expect(await owner.getByTestId(`criterion-suggestion-${suggestedKey}`).count()).toBe(0);
    expect(await owner.getByTestId(`criterion-test-${suggestedKey}`).innerText()).toContain(
      'suggestion confirmed',
    );

    expect(await accessibilityFindings(page, 'criteria view, after suggestions')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"Generate tests for uncovered criteria" starts a generation limited to them', async () => {
    const demo = await prepare(current());
    const { app, page, errors, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    const started: unknown[] = [];
    page.on('request', (request) => {
      if (!request.url().endsWith('/__invoke')) return;
      const body = JSON.parse(request.postData() ?? '{}') as { functionKey?: string; payload?: unknown };
      if (body.functionKey === 'startGeneration') started.push(body.payload);
    });
    const section = await criteriaSection(app);
    const generate = app.getByTestId('generate-section');
    await generate.getByRole('button', { name: 'Generate tests', exact: true }).waitFor();

    // The form names the criteria; "Clear focus" goes back to the whole requirement.
    await section.getByRole('button', { name: 'Generate tests for 1 uncovered criterion' }).click();
    const focus = generate.getByTestId('generate-criteria-focus');
    await focus.waitFor();
    expect(await focus.innerText()).toContain('For 1 criterion without a test');
    expect(await focus.innerText()).toContain(demo.criteria.noTest.text);
    expect(
      await eventually(
        () => app.locator(':root').evaluate(() => document.activeElement?.id ?? ''),
        (id) => id === 'sqai-generate-criteria-focus',
      ),
    ).toBe('sqai-generate-criteria-focus');
    await focus.getByRole('button', { name: 'Clear focus' }).click();
    expect(await focus.count()).toBe(0);
    await section.getByRole('button', { name: 'Generate tests for 1 uncovered criterion' }).click();
    await focus.waitFor();

    await generate.getByRole('button', { name: 'Generate tests', exact: true }).click();
    const answered = app.getByTestId('proposals').or(generate.getByTestId('start-error'));
    await answered.first().waitFor({ timeout: 20_000 });
    // A refusal fails here, with what the panel said.
    expect(await generate.getByTestId('start-error').allInnerTexts()).toEqual([]);
    await app.getByTestId('proposals').waitFor({ timeout: 20_000 });
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ criterionIds: [demo.criteria.noTest.id] });
    // The focus was used up: the next form is for the whole requirement.
    expect(await focus.count()).toBe(0);

    // SQAI was asked for tests proving only that criterion.
    const world = current().playground.world();
    const generations = [...world.sqai.generations.values()].filter(
      (generation) => generation.issueKey === 'DEMO-1',
    );
    expect(generations).toHaveLength(1);
    const proves = new Set(
      generations.flatMap((generation) => generation.tests ?? []).flatMap((test) => test.criterionIds ?? []),
    );
    expect([...proves]).toEqual([demo.criteria.noTest.id]);

    // Once created, the tests prove it: the view reads the criteria again and the criterion has tests.
    await app.getByRole('button', { name: /^Create \d+ tests? in Xray$/ }).click();
    await app.getByTestId('creation-summary').waitFor({ timeout: 20_000 });
    const covered = section.getByTestId(`criterion-${demo.criteria.noTest.id}`);
    expect(
      await eventually(
        () => covered.getAttribute('data-state'),
        (state) => state !== 'noTest',
      ),
    ).toBe('notRun');
    expect(await covered.innerText()).toContain('generated for it');
    expect(await section.getByTestId('criteria-summary').innerText()).toBe(
      '5 criteria: 1 proven, 1 failing, 1 changed since tested, 2 not run',
    );
    expect(await section.getByRole('button', { name: /^Generate tests for \d+ uncovered/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks for a send before the criteria are known, lists them after it, is read-only for a browse-only user, and explains how to write criteria', async () => {
    // A story written after DEMO's last sync: the app has not read it yet.
    const world = current().playground.world();
    await world.platform.queue.drain();
    const story = world.jiraStore.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Story',
      summary: 'Gift wrapping at checkout',
      description: doc(
        p('As a shopper I want my order gift-wrapped, so that it can go straight to the recipient.'),
        ...acceptanceCriteria(
          'The basket offers gift wrapping for 3.50 EUR per order',
          'A gift message of up to 200 characters is printed on the card',
          'Prices are hidden on the packing slip of a gift-wrapped order',
        ),
      ),
    });
    const admin = await openPage(current(), `/browse/${story.key}?as=admin`);
    const section = admin.app.getByTestId('criteria-section');
    await section.getByTestId('criteria-not-synced').waitFor({ timeout: 20_000 });
    expect(await section.getByTestId('criteria-not-synced').innerText()).toBe(
      'Send to SQAI to find this requirement’s acceptance criteria.',
    );
    // "Send to SQAI" reads them; the view follows without a reload.
    await admin.app.getByRole('button', { name: 'Send to SQAI' }).click();
    await section.getByTestId('criteria-summary').waitFor({ timeout: 20_000 });
    expect(await section.getByTestId('criteria-summary').innerText()).toBe('3 criteria: 3 no test');
    expect(await section.getByRole('button', { name: 'Map a test' }).count()).toBe(3);
    await section.getByRole('button', { name: 'Generate tests for 3 uncovered criteria' }).waitFor();
    expect(admin.errors).toEqual([]);
    await admin.context.close();

    // A browse-only user sees the same criteria, without the actions that change mappings.
    const user = await openPage(current(), `/browse/${story.key}?as=user`);
    const read = await criteriaSection(user.app);
    expect(await read.getByTestId('criteria-summary').innerText()).toBe('3 criteria: 3 no test');
    expect(await read.getByRole('button', { name: 'Map a test' }).count()).toBe(0);
    expect(await read.getByRole('button', { name: 'Suggest mappings' }).count()).toBe(0);
    await read.getByTestId('criteria-read-only').waitFor();
    expect(user.errors).toEqual([]);
    await user.context.close();

    // A bug report without criteria: how to write them.
    const bug = [...world.jiraStore.issues.values()].find(
      (issue) => issue.summary === 'Expired discount code accepted when the basket is restored',
    );
    if (!bug) throw new Error('No demo bug');
    data(await world.invokeIssue('sendToSqai', { force: true }, bug.key));
    const none = await openPage(current(), `/browse/${bug.key}?as=admin`);
    const explained = none.app.getByTestId('criteria-none');
    await explained.waitFor({ timeout: 20_000 });
    expect(await explained.innerText()).toMatch(/under a heading named “Acceptance criteria”/);
    expect(await explained.innerText()).toMatch(/Given\/When\/Then/);
    expect(await accessibilityFindings(none.page, 'criteria view, no criteria')).toEqual([]);
    expect(none.errors).toEqual([]);
    await none.context.close();
  });
});
