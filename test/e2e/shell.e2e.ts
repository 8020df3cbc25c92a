/**
 * The playground's mini Jira in a real browser: switching the acting user in the header changes
 * what the hosted settings page allows, and the issue view shows a requirement the way Jira does.
 */
import type { Frame } from 'playwright-core';
import { describeWithBrowser } from './browser';
import { openPage, screenshot, usePlaygroundSession } from './playground';

/** Waits until the app in `frame()` shows `mode` (the frame may be replaced while it starts). */
async function waitForColorMode(frame: () => Frame | undefined, mode: 'light' | 'dark'): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const current = await frame()
      ?.evaluate(() => document.documentElement.dataset.colorMode)
      .catch(() => undefined);
    if (current === mode) return;
    if (Date.now() > until) throw new Error(`the app's colour mode is ${String(current)}, not ${mode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithBrowser('playground shell (browser)', () => {
  const current = usePlaygroundSession();

  it('switching from the project admin to a plain user turns the settings page away', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings');
    await app.getByLabel('Client ID').waitFor();
    await page.getByLabel('Acting user').selectOption('user');
    await page.waitForURL(/as=user/);
    await page
      .frameLocator('iframe.app')
      .getByText(/Only administrators of this project/)
      .waitFor();
    expect(await page.frameLocator('iframe.app').getByLabel('Client ID').count()).toBe(0);
    await page.getByLabel('Acting user').selectOption('admin');
    await page.frameLocator('iframe.app').getByLabel('Client ID').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the theme switch turns the hosted app dark the way Jira does, live and after a reload', async () => {
    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    await app.getByLabel('Client ID').waitFor();
    const appFrame = () => {
      const frame = page.frames().find((candidate) => candidate.url().includes('/ui/settings/'));
      if (!frame) throw new Error('the settings iframe is not there');
      return frame;
    };
    const colorMode = () => appFrame().evaluate(() => document.documentElement.dataset.colorMode);
    /** The app's page background (from the design tokens), as the sum of its RGB channels. */
    const brightness = () =>
      appFrame().evaluate(() => {
        const match = /rgba?\((\d+), (\d+), (\d+)/.exec(getComputedStyle(document.body).backgroundColor);
        return match ? Number(match[1]) + Number(match[2]) + Number(match[3]) : -1;
      });
    expect(await colorMode()).toBe('light');
    expect(await brightness()).toBeGreaterThan(600);

    // Switched live: the shell posts {type: 'forge-theme', colorMode} to the iframe, which keeps its state.
    await app.getByLabel('Client ID').fill('typed-before-the-switch');
    await page.getByLabel('Theme').selectOption('dark');
    await appFrame().waitForFunction(() => document.documentElement.dataset.colorMode === 'dark');
    expect(await brightness()).toBeLessThan(200);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await app.getByLabel('Client ID').inputValue()).toBe('typed-before-the-switch');

    // Remembered: the next page opens dark, from its first paint.
    await page.goto(`${current().playground.url}/browse/DEMO-1?as=admin`);
    await page.frameLocator('iframe.app').locator('body').waitFor();
    const panel = () => page.frames().find((candidate) => candidate.url().includes('/ui/issue-panel/'));
    await page.waitForFunction(() =>
      document.querySelector('iframe.app')?.getAttribute('src')?.includes('theme=dark'),
    );
    await waitForColorMode(panel, 'dark');
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');

    // And back to light.
    await page.getByLabel('Theme').selectOption('light');
    await waitForColorMode(panel, 'light');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows an issue with its ADF description, links and Confluence pages', async () => {
    const { page, context } = await openPage(current(), '/browse/DEMO-1?as=user');
    await page.getByTestId('issue-summary').getByText('Guest checkout with email receipt').waitFor();
    await page.getByRole('heading', { name: 'Acceptance criteria' }).waitFor();
    await page.getByRole('link', { name: 'Checkout flow — product spec' }).waitFor();
    expect(await page.locator('.description table').count()).toBe(1);
    await screenshot(page, 'playground-issue');
    await context.close();
  });
});
