/**
 * The playground's mini Jira in a real browser: switching the acting user in the header changes
 * what the hosted settings page allows, and the issue view shows a requirement the way Jira does.
 */
import { describeWithBrowser } from './browser';
import { openPage, screenshot, usePlaygroundSession } from './playground';

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
