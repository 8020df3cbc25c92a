/**
 * The issue panel in real headless Chromium inside the playground's issue view: a user opens
 * DEMO-1, sees what will be sent, sends it, and the SQAI simulator holds a document that validates
 * against the published JSON Schema and carries the covering tests' steps.
 */
import type { ContextDocument } from '../../src/context/schema';
import { validateAgainstPublishedSchema } from '../unit/sync/published-schema';
import { describeWithBrowser } from './browser';
import { connectAndChangeDemo1, openPage, screenshot, usePlaygroundSession } from './playground';

describeWithBrowser('issue panel (browser)', () => {
  const current = usePlaygroundSession();

  it('before setup, an admin is offered the settings page and a plain user is told to ask', async () => {
    const admin = await openPage(current(), '/browse/DEMO-1?as=admin');
    await admin.app.getByText("SQAI isn't set up for this project yet.").waitFor();
    await admin.app.getByRole('button', { name: 'Open SQAI settings' }).click();
    await admin.page.waitForURL(/\/projects\/DEMO\/settings/);
    await admin.context.close();

    const user = await openPage(current(), '/browse/DEMO-1?as=user');
    await user.app.getByText(/Ask a project admin/).waitFor();
    expect(await user.app.getByRole('button', { name: 'Open SQAI settings' }).count()).toBe(0);
    await user.context.close();
  });

  const receivedFor = async (key: string) => {
    const all = (await (await fetch(`${current().playground.url}/__sim/sqai/contexts`)).json()) as {
      contexts: { document: ContextDocument; version: number }[];
      received: unknown[];
    };
    return {
      context: all.contexts.find((entry) => entry.document.source.issueKey === key),
      received: all.received.length,
    };
  };

  it('sends DEMO-1 to SQAI: summary, send, flag, up to date; SQAI holds a schema-valid document with the steps', async () => {
    await connectAndChangeDemo1(current());
    const before = await receivedFor('DEMO-1');
    expect(before.context?.version).toBe(1); // from the backfill
    const { page, app, errors, context } = await openPage(current(), '/browse/DEMO-1?as=user');
    const summary = app.getByTestId('context-summary');
    await summary.waitFor();
    await summary
      .getByText(/Manual/)
      .first()
      .waitFor();
    await app.getByTestId('sync-status').getByText('Changed since last sync').waitFor();

    await app.getByRole('button', { name: 'Send to SQAI' }).click();
    await app
      .getByTestId('send-outcome')
      .getByText(/Sent to SQAI/)
      .waitFor();
    await app.getByTestId('sync-status').getByText('Up to date').waitFor();
    await page.locator('#flags').getByText('Sent to SQAI').waitFor();
    await screenshot(page, 'issue-panel-sent');

    const sent = await receivedFor('DEMO-1');
    expect(sent.context?.version).toBe(2);
    expect(sent.received).toBe(before.received + 1);
    const document = sent.context?.document;
    validateAgainstPublishedSchema(document);
    expect(document?.source.issueKey).toBe('DEMO-1');
    const steps = document?.xray.tests.flatMap((test) => test.steps ?? []) ?? [];
    expect(steps.map((step) => step.action)).toContain('Choose "Continue as guest" and enter the email');

    // Nothing changed: a second click sends nothing.
    await app.getByRole('button', { name: 'Send to SQAI' }).click();
    await app
      .getByTestId('send-outcome')
      .getByText(/Already up to date/)
      .waitFor();
    await app.getByRole('button', { name: 'Send anyway' }).waitFor();
    expect((await receivedFor('DEMO-1')).received).toBe(sent.received);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('previews the exact document and shows SQAI failures with their remedy', async () => {
    await connectAndChangeDemo1(current());
    const { app, context } = await openPage(current(), '/browse/DEMO-1?as=admin');
    await app.getByTestId('context-summary').waitFor();
    await app.getByRole('button', { name: 'Preview' }).click();
    const preview = app.getByTestId('context-preview');
    await preview.getByTestId('preview-readable').waitFor();
    await preview.getByText('Raw JSON', { exact: true }).click();
    await preview.getByText(/"schema": "sqai\.context\/v1\.\d+"/).waitFor();

    await fetch(`${current().playground.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'sqai', path: '/v1/contexts/', status: 401, count: 1 }),
    });
    await app.getByRole('button', { name: 'Send to SQAI' }).click();
    const error = app.getByTestId('send-error');
    await error.getByText(/SQAI Unauthorized/).waitFor();
    await error.getByText(/Create a new API token/).waitFor();
    await context.close();
  });
});
