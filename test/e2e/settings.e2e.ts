/**
 * The settings page in real headless Chromium, inside the playground shell's iframe, against the
 * real resolver handler and the simulators: an admin connects DEMO and sees the green indicator;
 * a wrong secret is diagnosed; a plain user is turned away; an unapproved SQAI host is approved.
 */
import type { FrameLocator } from 'playwright-core';
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

describeWithBrowser('settings page (browser)', () => {
  const current = usePlaygroundSession();

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
    await app.getByRole('button', { name: /Use European Union/ }).click();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
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
    await app.getByRole('button', { name: 'Sync all now' }).click();
    await result
      .getByText(/Synced 19 requirements: 0 sent, 19 unchanged, 0 failed/)
      .waitFor({ timeout: 20_000 });
    await screenshot(page, 'settings-sync');
    expect(current().playground.world().sqai.contexts.size).toBe(19);
    expect(errors).toEqual([]);
    await context.close();
  });
});
