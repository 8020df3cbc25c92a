/**
 * The settings page's "Audit trail" section in real headless Chromium (issue 20 item 6): a send of
 * DEMO-1 from the issue panel is listed (who, DEMO-1, sent, pushed), the issue-key filter narrows the
 * list, the section passes axe in light and dark mode, and the CSV and JSON exports download files
 * holding that entry.
 */
import { readFile } from 'node:fs/promises';
import type { FrameLocator, Page } from 'playwright-core';
import { DEMO } from '../harness/world';
import { accessibilityFindings } from './axe';
import { describeWithBrowser } from './browser';
import { invokeAsDemoAdmin, openPage, usePlaygroundSession } from './playground';

async function downloaded(
  page: Page,
  app: FrameLocator,
  testId: string,
): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    app.getByTestId(testId).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

describeWithBrowser('the audit trail on the settings page (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('lists a send of DEMO-1 from the panel, filters by issue key, and exports it as CSV and JSON', async () => {
    const session = current();
    // The first-configuration backfill runs first (its documents are the schedule's entries).
    await session.playground.world().platform.queue.drain();

    const panel = await openPage(session, '/browse/DEMO-1?as=admin');
    await panel.app.getByTestId('context-summary').waitFor({ timeout: 30_000 });
    await panel.app.getByRole('button', { name: 'Send to SQAI' }).click();
    await panel.app.getByTestId('send-outcome').waitFor({ timeout: 30_000 });
    // A panel send is pushed even when unchanged only with "Send anyway".
    const anyway = panel.app.getByRole('button', { name: 'Send anyway' });
    if (await anyway.isVisible()) {
      await anyway.click();
      await panel.app
        .getByTestId('send-outcome')
        .getByText(/Sent to SQAI/)
        .waitFor({ timeout: 30_000 });
    }
    await panel.context.close();

    const settings = (await invokeAsDemoAdmin(session.playground.url, 'getSettings')) as {
      data?: { people?: Record<string, { displayName: string }> };
    };
    const adminName = settings.data?.people?.[DEMO.admin]?.displayName ?? DEMO.admin;

    const { page, app, errors, context } = await openPage(session, '/projects/DEMO/settings?as=admin');
    const section = app.getByTestId('audit-section');
    await section.getByTestId('audit-table').waitFor({ timeout: 30_000 });
    await section.getByLabel('Issue key').fill('DEMO-1');
    await section.getByTestId('audit-filter-apply').click();
    const rows = section.getByTestId('audit-row');
    await rows.first().waitFor();
    await section
      .locator('[data-testid="audit-row"]:not([data-key="DEMO-1"])')
      .first()
      .waitFor({ state: 'detached' });
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let index = 0; index < count; index += 1) {
      expect(await rows.nth(index).getAttribute('data-key')).toBe('DEMO-1');
    }
    const first = rows.first();
    expect(await first.getByTestId('audit-who').innerText()).toBe(adminName);
    expect(await first.getByTestId('audit-requirement').innerText()).toBe('DEMO-1');
    expect(await first.getByTestId('audit-direction').innerText()).toBe('sent');
    expect(await first.getByTestId('audit-outcome').innerText()).toBe('pushed');

    // Accessible in light and dark mode (axe), with the filtered table shown.
    expect(await accessibilityFindings(page, 'audit trail')).toEqual([]);

    const csv = await downloaded(page, app, 'audit-export-csv');
    expect(csv.name).toMatch(/^sqai-audit-DEMO-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.text.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toContain('"requirementKey"');
    expect(lines.length - 1).toBe(count);
    expect(lines[1]).toContain('"DEMO-1"');
    expect(lines[1]).toContain('"pushed"');
    expect(lines[1]).toContain(`"${DEMO.admin}"`);

    const json = await downloaded(page, app, 'audit-export-json');
    expect(json.name).toMatch(/\.json$/);
    const parsed = JSON.parse(json.text) as {
      entries: {
        requirement: { key: string };
        direction: string;
        outcome: string;
        actor: { accountId?: string };
      }[];
    };
    expect(parsed.entries).toHaveLength(count);
    expect(parsed.entries[0]).toMatchObject({
      requirement: { key: 'DEMO-1' },
      direction: 'sent',
      outcome: 'pushed',
      actor: { accountId: DEMO.admin },
    });
    await app
      .getByTestId('audit-export-status')
      .getByText(/Exported/)
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
