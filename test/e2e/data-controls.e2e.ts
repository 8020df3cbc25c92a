/**
 * "What leaves Jira" on the settings page in real headless Chromium (issue 20 item 4): the admin
 * turns a source off and adds a custom pattern; "Try it" shows the redacted sample, and a pattern that
 * could hang is refused with its reason; Save; after a reload the choices are still there. Axe finds
 * nothing in the section, with an error shown.
 */
import type { Page } from 'playwright-core';
import { accessibilityFindings } from './axe';
import { describeWithBrowser } from './browser';
import { invokeAsDemoAdmin, openPage, screenshot, usePlaygroundSession } from './playground';

/** DEMO's stored data controls as the admin reads them (getSettings). */
async function storedControls(playgroundUrl: string): Promise<unknown> {
  const answer = (await invokeAsDemoAdmin(playgroundUrl, 'getSettings')) as {
    data: { settings: { dataControls?: unknown } | null };
  };
  return answer.data.settings?.dataControls;
}

async function activeId(page: Page): Promise<string | undefined> {
  const frame = page.frames().find((candidate) => candidate.url().includes('/ui/settings/'));
  if (!frame) throw new Error('the settings iframe is not there');
  return frame.evaluate(() => document.activeElement?.id);
}

describeWithBrowser('What leaves Jira (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('the admin turns a source off and adds a custom pattern; Try it; save; the choices are kept', async () => {
    const url = current().playground.url;
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    const section = app.getByTestId('data-controls');
    await section.waitFor();
    await app.getByTestId('connection-status').getByText('Connected', { exact: true }).waitFor();

    // Every source on, by default.
    const linked = section.getByLabel('Linked issues’ text');
    expect(await linked.isChecked()).toBe(true);
    await section.getByText('Linked issues’ text', { exact: true }).click();
    expect(await linked.isChecked()).toBe(false);

    // A custom pattern, and a sample to try it on.
    await section.getByRole('button', { name: 'Add a pattern' }).click();
    const row = section.getByTestId('custom-pattern-0');
    await row.waitFor();
    expect(await activeId(page)).toBe('sqai-field-dataControls.redaction.customPatterns.0.name');
    await row.getByLabel('Name', { exact: true }).fill('customer-id');
    await row.getByLabel('Pattern', { exact: true }).fill('CUST-[0-9]{6}');
    await section
      .getByLabel('Sample text for “Try it”')
      .fill('Customer CUST-123456 called about CUST-654321, then CUST-123456 again.');
    await row.getByRole('button', { name: 'Try it on custom pattern 1' }).click();
    const redacted = row.getByTestId('redacted-sample');
    await redacted.waitFor();
    expect(await redacted.textContent()).toBe(
      'Customer [customer-id-1] called about [customer-id-2], then [customer-id-1] again.',
    );
    await row.getByText('3 matches', { exact: false }).waitFor();
    expect(await row.getByTestId('try-result-0').getAttribute('role')).toBe('status');

    // A second pattern that could hang: Try it says why it is refused, and Save is refused on its field.
    await section.getByRole('button', { name: 'Add a pattern' }).click();
    const slow = section.getByTestId('custom-pattern-1');
    await slow.getByLabel('Name', { exact: true }).fill('slow');
    await slow.getByLabel('Pattern', { exact: true }).fill('(a+)+$');
    await slow.getByRole('button', { name: 'Try it on custom pattern 2' }).click();
    const refused = slow.getByTestId('pattern-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/This pattern is refused.*backtrack/i);
    await screenshot(page, 'data-controls-try-it');

    const save = app.getByRole('button', { name: 'Save', exact: true });
    await save.click();
    const fieldError = app.locator(
      '#sqai-field-dataControls\\.redaction\\.customPatterns\\.1\\.pattern-error',
    );
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/backtrack/i);
    // The error is tied to its field, which has the focus; nothing was stored.
    const input = slow.getByLabel('Pattern', { exact: true });
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain(
      'sqai-field-dataControls.redaction.customPatterns.1.pattern-error',
    );
    expect(await activeId(page)).toBe('sqai-field-dataControls.redaction.customPatterns.1.pattern');
    expect(await storedControls(url)).toMatchObject({
      sources: { linkedIssues: true },
      redaction: { customPatterns: [] },
    });
    const findings = await accessibilityFindings(page, 'settings, what leaves Jira with a refused pattern');

    // Remove it; save; the choices are stored.
    await slow.getByRole('button', { name: 'Remove custom pattern 2' }).click();
    await slow.waitFor({ state: 'detached' });
    await save.click();
    await app.getByTestId('save-success').waitFor();
    expect(await storedControls(url)).toMatchObject({
      sources: { linkedIssues: false, description: true },
      redaction: { customPatterns: [{ name: 'customer-id', pattern: 'CUST-[0-9]{6}' }] },
      auditRetentionDays: 90,
    });

    // Reload: the page shows what was saved.
    await page.reload();
    const again = app.getByTestId('data-controls');
    await again.waitFor();
    await again.getByTestId('custom-pattern-0').waitFor();
    expect(await again.getByLabel('Linked issues’ text').isChecked()).toBe(false);
    expect(await again.getByLabel('Description', { exact: true }).isChecked()).toBe(true);
    expect(await again.getByTestId('custom-pattern-0').getByLabel('Name', { exact: true }).inputValue()).toBe(
      'customer-id',
    );
    expect(
      await again.getByTestId('custom-pattern-0').getByLabel('Pattern', { exact: true }).inputValue(),
    ).toBe('CUST-[0-9]{6}');
    expect(await again.getByTestId('custom-pattern-1').count()).toBe(0);
    findings.push(...(await accessibilityFindings(page, 'settings, what leaves Jira saved')));
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
