/**
 * People, not account ids (issue 16, item 1), in real headless Chromium: after Send the issue panel
 * names who synced — in the status line and the history — by display name with an avatar, also for
 * another user who opens the issue later; the settings page names who saved last.
 */
import { PEOPLE } from '../harness/fixtures/demo-requirements';
import { configureThroughPlayground } from '../harness/demo-settings';
import { describeWithBrowser } from './browser';
import { connectAndChangeDemo1, openPage, usePlaygroundSession } from './playground';

describeWithBrowser('people by name (browser)', () => {
  const current = usePlaygroundSession();

  it('after Send the status line names the sender (with an avatar), not the account id; so does a later viewer', async () => {
    await connectAndChangeDemo1(current());
    const sender = await openPage(current(), '/browse/DEMO-1?as=member');
    await sender.app.getByTestId('context-summary').waitFor();
    await sender.app.getByRole('button', { name: 'Send to SQAI' }).click();
    await sender.app.getByTestId('sync-status').getByText('Up to date').waitFor();
    const status = sender.app.getByTestId('last-sync');
    await status.getByText(PEOPLE.po.displayName).waitFor();
    expect(await status.textContent()).not.toContain(PEOPLE.po.accountId);
    // The avatar loaded (an image with a size), beside the name.
    const avatar = status.getByTestId('synced-by').locator('img');
    await avatar.waitFor();
    expect(await avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(sender.errors).toEqual([]);
    await sender.context.close();

    // Uma (browse only) opens the issue afterwards: Jira names Priya to her too.
    const viewer = await openPage(current(), '/browse/DEMO-1?as=user');
    const line = viewer.app.getByTestId('last-sync');
    await line.getByText(PEOPLE.po.displayName).waitFor();
    expect(await line.textContent()).not.toMatch(/account-id/);
    expect(viewer.errors).toEqual([]);
    await viewer.context.close();
  });

  it('the history names who pressed Send', async () => {
    await connectAndChangeDemo1(current());
    const { app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=member');
    await app.getByTestId('context-summary').waitFor();
    await app.getByRole('button', { name: 'Send to SQAI' }).click();
    await app.getByTestId('sync-status').getByText('Up to date').waitFor();
    const history = app.getByTestId('history');
    await history.locator('summary').click();
    const first = history.getByTestId('history-entry').first();
    await first.getByTestId('history-by').getByText(PEOPLE.po.displayName).waitFor();
    expect(await history.textContent()).not.toMatch(/account-id/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the settings page says who saved last by name', async () => {
    expect(await configureThroughPlayground(current().playground.url)).toMatchObject({ ok: true });
    const { app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    const saved = app.getByTestId('last-saved');
    await saved.getByText(PEOPLE.admin.displayName).waitFor();
    expect(await saved.textContent()).not.toContain(PEOPLE.admin.accountId);
    await saved.getByTestId('last-saved-by').locator('img').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
