/**
 * What leaves Jira, seen in the issue panel's Preview (issue 20 "Must hold"): the readable Preview of
 * DEMO-1 shows its linked Confluence pages; once the project admin keeps Confluence content in Jira
 * (saved with the settings), the same Preview has none and says what the data controls kept back; an
 * admin pattern's matches show as highlighted placeholders, never as the value. What SQAI would receive
 * is exactly this document (test/unit/context/data-controls.test.ts compares the hashes).
 */
import { defaultDataControls } from '../../src/config/schema';
import { data, demoSettings } from '../harness/demo-settings';
import { accessibilityFindings } from './axe';
import { describeWithBrowser } from './browser';
import { openPage, usePlaygroundSession } from './playground';

describeWithBrowser('data controls in the Preview (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('a source turned off leaves the Preview; a custom pattern redacts what the Preview shows', async () => {
    const world = current().playground.world();
    await world.platform.queue.drain();
    const demo1 = world.jiraStore.issue('DEMO-1');
    if (!demo1) throw new Error('no DEMO-1');
    const description = demo1.description as { type: 'doc'; version: 1; content: unknown[] };
    world.jiraStore.updateIssue(demo1.id, {
      description: {
        ...description,
        content: [
          ...description.content,
          { type: 'paragraph', content: [{ type: 'text', text: 'Escalations: customer CUST-123456.' }] },
        ],
      } as typeof demo1.description,
    });

    const open = async () => {
      const opened = await openPage(current(), '/browse/DEMO-1?as=admin');
      await opened.app.getByTestId('context-summary').waitFor({ timeout: 20_000 });
      await opened.app.getByRole('button', { name: 'Preview' }).click();
      const readable = opened.app.getByTestId('preview-readable');
      await readable.waitFor({ timeout: 20_000 });
      return { ...opened, readable };
    };

    const before = await open();
    await before.readable.getByTestId('preview-pages').waitFor();
    expect(await before.readable.getByTestId('preview-page').count()).toBeGreaterThan(0);
    expect(await before.readable.getByText('CUST-123456').count()).toBe(1);
    await before.context.close();

    const controls = defaultDataControls();
    controls.sources.confluence = false;
    controls.redaction.customPatterns = [{ name: 'customer-id', pattern: 'CUST-[0-9]{6}' }];
    data(await world.invoke('saveSettings', { ...demoSettings('enterprise'), dataControls: controls }));

    const after = await open();
    expect(await after.readable.getByTestId('preview-pages').count()).toBe(0);
    expect(await after.readable.getByTestId('preview-excluded').innerText()).toContain('confluence');
    // The value is gone; its placeholder is marked and read out as what it stands for.
    expect(await after.readable.getByText('CUST-123456').count()).toBe(0);
    const mark = after.readable.locator('mark[data-redaction="customer-id"]').first();
    await mark.waitFor();
    expect(await mark.innerText()).toContain('customer-id');
    expect(await accessibilityFindings(after.page, 'the Preview with redactions')).toEqual([]);
    expect(after.errors).toEqual([]);
    await after.context.close();
  });
});
