/**
 * axe-core in every state of both Custom UIs, light and dark (issue 16 item 11): no critical,
 * serious or moderate finding. Each state is reached as a user would reach it; the findings of all
 * states are collected and compared at the end, so one run names every problem.
 */
import { configureThroughPlayground } from '../harness/demo-settings';
import { accessibilityFindings, setColorMode } from './axe';
import { describeWithBrowser } from './browser';
import { connectAndChangeDemo1, openPage, screenshot, usePlaygroundSession } from './playground';

describeWithBrowser('accessibility (axe, light and dark)', () => {
  const current = usePlaygroundSession();

  it('the settings page: not configured, field errors, a plain user, connected', async () => {
    const findings: string[] = [];
    const admin = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await admin.app.getByRole('button', { name: 'Save', exact: true }).waitFor();
    findings.push(...(await accessibilityFindings(admin.page, 'settings, not configured')));
    await admin.app.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.app.locator('[aria-invalid="true"]').first().waitFor();
    findings.push(...(await accessibilityFindings(admin.page, 'settings, field errors')));
    await admin.context.close();

    const user = await openPage(current(), '/projects/DEMO/settings?as=user');
    await user.app
      .getByText(/project admin/i)
      .first()
      .waitFor();
    findings.push(...(await accessibilityFindings(user.page, 'settings, plain user')));
    await user.context.close();

    expect(await configureThroughPlayground(current().playground.url)).toMatchObject({ ok: true });
    await current().playground.world().platform.queue.drain();
    const connected = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await connected.app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();
    findings.push(...(await accessibilityFindings(connected.page, 'settings, connected')));
    await setColorMode(connected.page, 'dark');
    await screenshot(connected.page, 'settings-dark');
    await connected.context.close();

    expect(findings).toEqual([]);
  });

  it('the issue panel: not configured, the context, the preview (readable and raw), a Test issue, a send error', async () => {
    const findings: string[] = [];
    const before = await openPage(current(), '/browse/DEMO-1?as=admin');
    await before.app.getByRole('button', { name: 'Open SQAI settings' }).waitFor();
    findings.push(...(await accessibilityFindings(before.page, 'panel, not configured')));
    await before.context.close();

    // Changed since the first sync, so that Send really sends.
    await connectAndChangeDemo1(current());
    const { page, app, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    await app.getByTestId('context-summary').waitFor();
    findings.push(...(await accessibilityFindings(page, 'panel, context')));
    await setColorMode(page, 'dark');
    await screenshot(page, 'issue-panel-dark');
    await setColorMode(page, 'light');

    await app.getByRole('button', { name: 'Preview' }).click();
    await app.getByTestId('preview-readable').waitFor();
    findings.push(...(await accessibilityFindings(page, 'panel, preview')));
    // The label, as a user clicks it (Atlaskit's toggle draws its icon over the input).
    await app.getByText('Raw JSON', { exact: true }).click();
    expect(await app.getByLabel('Raw JSON').isChecked()).toBe(true);
    await app.getByRole('region', { name: 'Context document JSON' }).waitFor();
    findings.push(...(await accessibilityFindings(page, 'panel, raw JSON')));

    await fetch(`${current().playground.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'sqai', path: '/v1/contexts/', status: 401, count: 1 }),
    });
    await app.getByRole('button', { name: 'Send to SQAI' }).click();
    await app.getByTestId('send-error').waitFor();
    findings.push(...(await accessibilityFindings(page, 'panel, send error')));
    await context.close();

    const test = await openPage(current(), '/browse/DEMO-23?as=user');
    await test.app.getByTestId('generation-not-offered').waitFor();
    findings.push(...(await accessibilityFindings(test.page, 'panel, a Test issue as a plain user')));
    await test.context.close();

    expect(findings).toEqual([]);
  });
});
