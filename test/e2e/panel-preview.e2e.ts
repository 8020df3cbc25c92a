/**
 * The context preview as a reader wants it (issue 16 item 8): the requirement, its description as
 * text sections, the covering tests as tables with their steps; the raw JSON one click away; and
 * no "Generate tests" on Xray's own issue types.
 */
import { configureThroughPlayground } from '../harness/demo-settings';
import { describeWithBrowser } from './browser';
import { openPage, usePlaygroundSession } from './playground';

describeWithBrowser('issue panel preview (browser)', () => {
  const current = usePlaygroundSession();

  beforeEach(async () => {
    expect(await configureThroughPlayground(current().playground.url)).toMatchObject({ ok: true });
    await current().playground.world().platform.queue.drain();
  });

  it('shows the document readably, tests as tables, and the raw JSON on request', async () => {
    const { page, app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    await app.getByTestId('context-summary').waitFor();
    await app.getByRole('button', { name: 'Preview' }).click();
    const readable = app.getByTestId('preview-readable');
    await readable.waitFor();

    const demo1 = current().playground.world().jiraStore.issue('DEMO-1');
    await readable.getByRole('heading', { name: `DEMO-1 ${demo1?.summary ?? ''}` }).waitFor();
    // The description's Markdown headings are headings, its emphasis is not shown as asterisks.
    const description = readable.getByTestId('description-text');
    expect(await description.getByRole('heading').count()).toBeGreaterThan(0);
    expect(await description.innerText()).not.toMatch(/\*\*|^#+ /m);
    // Every covering test is a row; a steps test shows its steps as a table.
    const tests = readable.getByTestId('preview-tests');
    expect(await tests.getByRole('rowheader').count()).toBeGreaterThan(0);
    await tests
      .getByRole('table', { name: /^Steps of DEMO-/ })
      .first()
      .waitFor();
    await tests.getByRole('columnheader', { name: 'Expected result' }).first().waitFor();
    // No JSON until asked for.
    expect(await app.getByText(/"schema": "sqai\.context\/v1\.\d+"/).count()).toBe(0);

    const rawToggle = app.getByLabel('Raw JSON');
    expect(await rawToggle.isChecked()).toBe(false);
    // The label, as a user clicks it (Atlaskit's toggle draws its icon over the input).
    await app.getByText('Raw JSON', { exact: true }).click();
    expect(await rawToggle.isChecked()).toBe(true);
    await app.getByText(/"schema": "sqai\.context\/v1\.\d+"/).waitFor();
    expect(await app.getByTestId('preview-readable').count()).toBe(0);

    // The scrollable JSON is reached with the keyboard and shows Atlaskit's focus ring.
    const json = app.getByRole('region', { name: 'Context document JSON' });
    await app.getByRole('button', { name: 'Copy JSON' }).focus();
    await page.keyboard.press('Tab');
    expect(await json.evaluate((element) => element === document.activeElement)).toBe(true);
    const outline = await json.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).toBe('solid');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers "Generate tests" on a requirement but not on a Test issue', async () => {
    const story = await openPage(current(), '/browse/DEMO-1?as=admin');
    await story.app.getByTestId('context-summary').waitFor();
    await story.app
      .getByRole('button', { name: /Generate tests/ })
      .first()
      .waitFor();
    await story.context.close();

    const test = await openPage(current(), '/browse/DEMO-23?as=admin');
    await test.app.getByTestId('context-summary').waitFor();
    const notOffered = test.app.getByTestId('generation-not-offered');
    await notOffered.getByText(/DEMO-23 is a Test/).waitFor();
    expect(await test.app.getByRole('button', { name: /Generate tests/ }).count()).toBe(0);
    await test.context.close();
  });
});
