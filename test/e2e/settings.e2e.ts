/**
 * The settings page in real headless Chromium, inside the playground shell's iframe, against the
 * real resolver handler and the simulators: an admin connects DEMO and sees the green indicator;
 * a wrong secret is diagnosed; a plain user is turned away; an unapproved SQAI host is approved.
 */
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { accessibilityFindings } from './axe';
import { describeWithBrowser } from './browser';
import { invokeAsDemoAdmin, openPage, screenshot, usePlaygroundSession } from './playground';

async function fillConnection(
  app: FrameLocator,
  values: { clientSecret?: string; endpoint?: string; token?: string } = {},
): Promise<void> {
  await app.getByLabel('Client ID').fill('DEMO-CLIENT-ID');
  await app.getByLabel('Client Secret').fill(values.clientSecret ?? 'demo-client-secret-value');
  await app.getByLabel('SQAI endpoint').fill(values.endpoint ?? 'https://api.sqai-suite.com');
  await app.getByLabel('SQAI API token').fill(values.token ?? 'sqai-demo-token');
}

/** DEMO's stored settings as the admin reads them through the playground (null: none saved). */
async function storedSettings(playgroundUrl: string): Promise<unknown> {
  const answer = (await invokeAsDemoAdmin(playgroundUrl, 'getSettings')) as { data: { settings: unknown } };
  return answer.data.settings;
}

/** The settings app's frame (for reading focus and computed state). */
function settingsFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate.url().includes('/ui/settings/'));
  if (!frame) throw new Error('the settings iframe is not there');
  return frame;
}

/** Whether the focused element of the app is `testId` or inside it. */
async function focusIsIn(page: Page, testId: string): Promise<boolean> {
  return settingsFrame(page).evaluate(
    (id) =>
      document.activeElement?.closest(`[data-testid="${id}"]`) != null ||
      document.activeElement?.querySelector(`[data-testid="${id}"]`) != null,
    testId,
  );
}

/** Types a key-expiry date and moves on, as a person does (the picker takes it when focus leaves). */
async function typeExpiry(app: FrameLocator, typed: string): Promise<void> {
  await app.getByTestId('expiry-loading').waitFor({ state: 'detached' });
  const expiry = app.getByLabel('Key expiry date');
  await expiry.click();
  await expiry.pressSequentially(typed);
  await app.getByLabel('Client ID').click();
}

describeWithBrowser('settings page (browser)', () => {
  const current = usePlaygroundSession();

  it('with hourly sync on, Save stores nothing while any field has an error (client or server found)', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    expect(await app.getByLabel('Scheduled sync').isChecked()).toBe(true);
    const save = app.getByRole('button', { name: 'Save', exact: true });

    // Not a URL: the field says so, takes the focus, and nothing is stored.
    await fillConnection(app, { endpoint: 'not a url' });
    await save.click();
    await app.getByText('Enter a full URL, e.g. https://api.sqai-suite.com').waitFor();
    expect(await settingsFrame(page).evaluate(() => document.activeElement?.id)).toBe(
      'sqai-field-sqaiEndpoint',
    );
    expect(await storedSettings(current().playground.url)).toBeNull();

    // Editing another field (sync off and on again) and saving with Enter still stores nothing.
    const syncToggle = app.getByText('Scheduled sync', { exact: true });
    await syncToggle.click();
    expect(await app.getByLabel('Scheduled sync').isChecked()).toBe(false);
    await syncToggle.click();
    expect(await app.getByLabel('Scheduled sync').isChecked()).toBe(true);
    await app.getByLabel('Client ID').press('Enter');
    await app.getByText('Enter a full URL, e.g. https://api.sqai-suite.com').waitFor();
    expect(await storedSettings(current().playground.url)).toBeNull();

    // A URL only the server refuses (an IP address): its field error, and still nothing stored.
    await app.getByLabel('SQAI endpoint').fill('https://127.0.0.1');
    await save.click();
    await app.getByText(/not an IP address/).waitFor();
    expect(await storedSettings(current().playground.url)).toBeNull();
    expect(await app.getByTestId('save-success').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the save result sits beside Save with the focus; the check is marked out of date while the form is edited', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    // Placeholders are examples, never values: the secret boxes are empty, the URL box says "e.g.".
    expect(await app.getByLabel('SQAI endpoint').getAttribute('placeholder')).toBe(
      'e.g. https://api.sqai-suite.com',
    );
    await fillConnection(app);
    const save = app.getByRole('button', { name: 'Save', exact: true });
    await save.click();
    const result = app.getByTestId('save-success');
    await result.getByText('Settings saved — every connection check passed.').waitFor();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();

    // Beside the button: on its row, not a screen away.
    const [saveBox, resultBox] = await Promise.all([save.boundingBox(), result.boundingBox()]);
    if (!saveBox || !resultBox) throw new Error('Save or its result is not visible');
    expect(Math.abs(resultBox.y + resultBox.height / 2 - (saveBox.y + saveBox.height / 2))).toBeLessThan(24);
    expect(resultBox.x - (saveBox.x + saveBox.width)).toBeLessThan(400);
    // The focus went to it (not to the top of the page), and it is in a live region.
    expect(await focusIsIn(page, 'save-success')).toBe(true);
    expect(await app.getByTestId('action-result-region').getAttribute('role')).toBe('status');
    for (const name of ['Client Secret', 'SQAI API token']) {
      expect(await app.getByLabel(name).getAttribute('placeholder')).toBeNull();
    }

    // An edit: the shown check no longer describes the form.
    const stale = app.getByTestId('connection-stale');
    expect(await stale.count()).toBe(0);
    await app.getByLabel('Requirement issue types').fill('Story');
    await stale.getByText('Settings changed since this check — save to check again').waitFor();
    expect(await result.count()).toBe(0);
    const findings = await accessibilityFindings(page, 'settings, unsaved edits after a save');
    // Undoing the edit: nothing unsaved, no marker.
    await app.getByLabel('Requirement issue types').fill('');
    await stale.waitFor({ state: 'detached' });
    await app.getByLabel('Requirement issue types').fill('Story');
    await stale.waitFor();
    await save.click();
    await result.waitFor();
    expect(await stale.count()).toBe(0);
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    findings.push(...(await accessibilityFindings(page, 'settings, saved')));

    // Test connection: its result takes the same place, and the focus.
    await app.getByRole('button', { name: 'Test connection' }).click();
    await app
      .getByTestId('test-result')
      .getByText('Connection checked — every connection check passed.')
      .waitFor();
    expect(await focusIsIn(page, 'test-result')).toBe(true);
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Disconnect asks, then confirms what it removed and what it kept, with the focus on that', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app);
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    await app.getByRole('button', { name: 'Disconnect', exact: true }).click();
    const ask = app.getByTestId('disconnect-confirm');
    await ask.getByText(/This removes the project’s Xray and SQAI settings/).waitFor();
    await ask.getByRole('button', { name: 'Disconnect', exact: true }).click();

    const done = app.getByTestId('disconnect-result');
    await done.getByText('Project DEMO disconnected').waitFor();
    await done
      .getByText(
        /^Removed: the project’s Xray and SQAI settings; the stored Xray API key \(its Client Secret\)/,
      )
      .waitFor();
    await done.getByText(/^Kept: the Xray tests, test sets and links already created in Jira/).waitFor();
    expect(await focusIsIn(page, 'disconnect-result')).toBe(true);
    expect(
      await settingsFrame(page).evaluate(
        () => document.querySelector('[data-testid="disconnect-result"]')?.closest('[role="status"]') != null,
      ),
    ).toBe(true);
    await app.getByTestId('connection-status').getByText('Not configured', { exact: true }).waitFor();
    expect(await storedSettings(current().playground.url)).toBeNull();
    expect(await accessibilityFindings(page, 'settings, disconnected')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a key-expiry date that has passed, with every check passing, stays Connected and says what is known', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app);
    await typeExpiry(app, '2020-01-01');
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    const expiry = app.getByTestId('check-keyExpiry');
    // The date in the user's locale (the browser's), like every other date on the page.
    const shown = await settingsFrame(page).evaluate(() =>
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(Date.UTC(2020, 0, 1)),
      ),
    );
    await expiry
      .getByText(
        `The expiry date you entered, ${shown}, has passed; the Xray API key still authenticates today — replace it before Xray stops accepting it.`,
      )
      .waitFor();
    expect(await expiry.getByText('Warning', { exact: true }).count()).toBe(1);
    // Nothing on the page claims the key no longer works.
    const text = await settingsFrame(page).evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/Token Expired|Syncing and test generation fail|Not connected/);
    expect(text).not.toContain('2020-01-01');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an admin connects DEMO and sees Connected; a wrong secret shows the Xray API Error', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app);
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    await app.getByTestId('save-success').waitFor();
    await screenshot(page, 'settings-connected');

    // The secret fields are write-only: empty again, and the page says a secret is stored.
    expect(await app.getByLabel('Client Secret').inputValue()).toBe('');

    // Now a wrong Client Secret: the Xray check fails with the guide's wording.
    await app.getByLabel('Client Secret').fill('not-the-right-secret');
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app.getByTestId('connection-status').getByText('Not connected', { exact: true }).waitFor();
    const xray = app.getByTestId('check-xray');
    await xray.getByText(/Xray API Error — the Client ID or Client Secret is wrong/).waitFor();
    await screenshot(page, 'settings-xray-error');

    // The secrets never reach the app's page: not in its DOM, whatever the user typed before.
    const appFrame = page.frames().find((frame) => frame.url().includes('/ui/settings/'));
    const appHtml = (await appFrame?.content()) ?? '';
    expect(appHtml).toContain('Client Secret');
    expect(appHtml).not.toContain('not-the-right-secret');
    expect(appHtml).not.toContain('demo-client-secret-value');
    expect(appHtml).not.toContain('sqai-demo-token');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows field-level errors beside the fields and stores nothing', async () => {
    const { app, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app, { endpoint: 'http://localhost:8080' });
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app
      .getByText(/https:\/\//)
      .first()
      .waitFor();
    expect(await storedSettings(current().playground.url)).toBeNull();
    await context.close();
  });

  it('an impossible key-expiry date is a field error, not a guessed date (2026-02-31, 1)', async () => {
    const { app, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    const expiry = app.getByLabel('Key expiry date');
    // The date picker loads after the form's first paint (issue 16 item 14).
    await app.getByTestId('expiry-loading').waitFor({ state: 'detached' });
    for (const typed of ['2026-02-31', '1']) {
      await expiry.click();
      await expiry.pressSequentially(typed);
      // Focus leaves the field (as a person clicking the next field): the typed text is committed or refused.
      await app.getByLabel('Client ID').click();
      await app.getByText(`“${typed}” is not a date. Use YYYY-MM-DD.`).waitFor();
    }
    // The field never took a rolled-over or guessed date.
    expect(await app.getByText('2026-03-03').count()).toBe(0);
    expect(await app.getByText('2001-01-01').count()).toBe(0);
    // And with the rest of the form valid, Save stores nothing while the date is wrong.
    await fillConnection(app);
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app.getByText('“1” is not a date. Use YYYY-MM-DD.').waitFor();
    expect(await storedSettings(current().playground.url)).toBeNull();
    await context.close();
  });

  it('a plain user is told that only project admins can change the settings', async () => {
    const { page, app, context } = await openPage(current(), '/projects/DEMO/settings?as=user');
    await app.getByText(/Only administrators of this project/).waitFor();
    expect(await app.getByLabel('Client Secret').count()).toBe(0);
    await screenshot(page, 'settings-forbidden');
    await context.close();
  });

  it('the wrong region is diagnosed and fixed with one click', async () => {
    current().playground.world().xray.setRegion('demo-cloud-id', 'eu');
    const { app, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app);
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app
      .getByTestId('check-xray')
      .getByText(/lives in European Union/)
      .waitFor();
    const region = app.getByRole('group', { name: 'Region' });
    expect(await region.getByRole('radio', { name: /^Global/ }).isChecked()).toBe(true);
    await app.getByRole('button', { name: /Use European Union/ }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    // The one-click fix is saved and shown in the form: the radios now say European Union.
    expect(await region.getByRole('radio', { name: /^European Union/ }).isChecked()).toBe(true);
    expect(await region.getByRole('radio', { name: /^Global/ }).isChecked()).toBe(false);
    await context.close();
  });

  it('an SQAI host outside the manifest is diagnosed, approved by an admin, then used by the sync', async () => {
    const { page, app, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app, { endpoint: 'https://sqai.example.com' });
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app
      .getByTestId('check-sqai')
      .getByText(/Host Not Approved/)
      .first()
      .waitFor();
    await app.getByRole('button', { name: 'Approve host' }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    // The approval lives in Forge's proxy, not in the app's declared egress: after a reload the page
    // still shows Connected and offers no approval, and the backfill reaches SQAI through that host.
    const world = current().playground.world();
    expect(world.platform.egress.isDeclared('https://sqai.example.com/v1/health')).toBe(false);
    await world.platform.queue.drain();
    await page.reload();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    expect(await app.getByRole('button', { name: 'Approve host' }).count()).toBe(0);
    expect(world.sqai.contexts.size).toBe(19);
    expect(
      world.platform.fetched.some(({ url }) => url.startsWith('https://sqai.example.com/v1/contexts')),
    ).toBe(true);
    await context.close();
  });

  it('after connecting, every requirement is synced once; "Sync all now" runs again with visible progress', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByText('Not configured').waitFor();
    await fillConnection(app);
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    const section = app.getByTestId('sync-status-section');
    await section.waitFor();
    // The first-configuration backfill has run in the playground's queue.
    await current().playground.world().platform.queue.drain();
    await page.reload();
    const result = app.getByTestId('backfill-result');
    await result.getByText(/Synced 19 requirements: 19 sent, 0 unchanged, 0 failed/).waitFor();
    // "Last run" is the Sync all that just finished, not "No sync has run yet".
    const lastRun = app.getByTestId('last-run');
    await lastRun.getByText('Sync all', { exact: true }).waitFor();
    expect(await lastRun.getByTestId('last-run-status').innerText()).toBe('Done');
    expect(await lastRun.getByText(/No sync has run yet/).count()).toBe(0);
    await lastRun.getByText('19 sent').waitFor();
    await app.getByRole('button', { name: 'Sync all now' }).click();
    await result
      .getByText(/Synced 19 requirements: 0 sent, 19 unchanged, 0 failed/)
      .waitFor({ timeout: 20_000 });
    await lastRun.getByText('19 skipped, unchanged').waitFor();
    // One term for it on the whole page: "Sync all", never "backfill".
    expect(await settingsFrame(page).evaluate(() => document.body.innerText)).not.toMatch(/backfill/i);
    await screenshot(page, 'settings-sync');
    expect(current().playground.world().sqai.contexts.size).toBe(19);
    expect(errors).toEqual([]);
    await context.close();
  });
});
