/**
 * Errors for the reader (issue 16, item 2), in real headless Chromium: every error box shows a short
 * title, a detail naming what failed and a remedy the *reader* can act on. A tester (not a project
 * admin) is told to ask a project admin about a configuration problem; an admin gets the change to
 * make. A 404 from SQAI names the request that failed; a 503 from Jira blames Jira, not the app.
 */
import type { FrameLocator } from 'playwright-core';
import { describeWithBrowser } from './browser';
import { openPage, usePlaygroundSession } from './playground';

interface Fault {
  service: 'jira' | 'xray' | 'sqai';
  path?: string;
  method?: string;
  status: number;
  body?: Record<string, unknown>;
  /** 1: every matching request (the app's retries meet the same answer). */
  rate: number;
}

describeWithBrowser('errors for the reader (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  async function inject(fault: Fault): Promise<void> {
    const response = await fetch(`${current().playground.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    expect(response.status).toBe(200);
  }

  /** The box's title, detail and remedy as the reader sees them. */
  async function shown(app: FrameLocator, testId: string) {
    const box = app.getByTestId(testId);
    await box.waitFor({ timeout: 15_000 }).catch(async (error: unknown) => {
      // What the panel shows instead, for whoever reads the failure.
      const text = await app.locator('body').innerText();
      throw new Error(`${String(error)}\nThe panel shows:\n${text.slice(0, 1_500)}`);
    });
    return {
      title: (await box.locator('h2, h3, h4, [role="heading"]').first().textContent()) ?? '',
      detail: (await app.getByTestId(`${testId}--detail`).textContent()) ?? '',
      remedy: (await app.getByTestId(`${testId}--remedy`).textContent()) ?? '',
    };
  }

  /** Opens DEMO-1 as `as`, presses Send while SQAI answers 404 for the context path. */
  async function sendWithSqai404(as: 'member' | 'admin') {
    // DEMO-1 changed since the first sync, so Send really sends.
    const world = current().playground.world();
    await world.platform.queue.drain();
    const demo1 = world.jiraStore.issue('DEMO-1');
    world.jiraStore.updateIssue(demo1?.id ?? '', { labels: ['checkout', 'conversion', 'reviewed'] });
    // An SQAI endpoint that is not the API base: every context upload is a 404. No body is shown.
    await inject({
      service: 'sqai',
      path: '/v1/contexts/',
      method: 'PUT',
      status: 404,
      body: { error: 'no such route (internal router r-17)' },
      rate: 1,
    });
    const opened = await openPage(current(), `/browse/DEMO-1?as=${as}`);
    await opened.app.getByTestId('context-summary').waitFor();
    await opened.app
      .getByRole('button', { name: /Send (to SQAI|anyway)/ })
      .first()
      .click();
    return { opened, error: await shown(opened.app, 'send-error') };
  }

  it('a tester is told to ask a project admin about a wrong SQAI endpoint; the 404 names the request', async () => {
    const { opened, error } = await sendWithSqai404('member');
    expect(error.title).toBe('SQAI Rejected');
    expect(error.detail).toMatch(/SQAI answered 404 Not Found for PUT \/v1\/contexts\/[^/ ]+\/\d+/);
    expect(error.detail).not.toMatch(/Failed to reach|internal router/);
    expect(error.remedy).toMatch(/^Ask a project admin to check the SQAI endpoint URL/);
    expect(error.remedy).not.toMatch(/^Check/);
    await opened.context.close();
  });

  it('a project admin gets the configuration remedy for the same failure', async () => {
    const { opened, error } = await sendWithSqai404('admin');
    expect(error.title).toBe('SQAI Rejected');
    expect(error.detail).toMatch(/SQAI answered 404 Not Found for PUT \/v1\/contexts\//);
    expect(error.remedy).toMatch(/^Check the SQAI endpoint URL \(it should be the API base/);
    await opened.context.close();
  });

  it('a Jira 503 blames Jira, not the app, and asks only to try again', async () => {
    // Jira answers 503 to every permission read: the panel cannot even check who is looking.
    await inject({ service: 'jira', path: '/rest/api/3/mypermissions', status: 503, rate: 1 });
    const { app, context } = await openPage(current(), '/browse/DEMO-1?as=user');
    const error = await shown(app, 'load-error');
    expect(error.title).toBe('Jira Unavailable');
    expect(error.detail).toMatch(/Jira answered 503 Service Unavailable\.$/);
    expect(`${error.title} ${error.detail} ${error.remedy}`).not.toMatch(/inside the app|Unexpected/);
    expect(error.remedy).toMatch(/^Try again in a few minutes/);
    await app.getByRole('button', { name: 'Try again' }).waitFor();
    await context.close();
  });
});
