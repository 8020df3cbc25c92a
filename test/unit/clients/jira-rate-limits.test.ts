/**
 * How the Jira client meets Jira's rate limits for apps (src/clients/jira-pacing.ts): one reaction per
 * `RateLimit-Reason` — burst: that endpoint only; per-issue: that issue only; quota: stop, surface
 * RATE_LIMITED with the wait — and pacing that keeps a steady run free of 429s.
 */
import { AppError } from '../../../src/errors';
import { getProject } from '../../../src/clients/jira';
import { getIssueBasics } from '../../../src/clients/jira-issues';
import { JiraPacer, quotaFromHeaders, writtenIssues } from '../../../src/clients/jira-pacing';
import { setIssueProperty } from '../../../src/clients/jira-writes';
import type { HttpRequestInit, HttpResponse, JiraActor, JiraTransport } from '../../../src/platform/ports';
import { SMALL, smallJiraStore } from '../../harness/jira-sim/fixtures';
import { createJiraSimulator, type JiraSimulator } from '../../harness/jira-sim/simulator';
import { toHttpResponse } from '../../harness/local-platform';

/**
 * Virtual time: a sleep is recorded and resolves when the clock reaches its end; the clock jumps to
 * the earliest pending end once the callers have run (one timer per macrotask, in time order).
 */
function virtualClock(start = SMALL.now.getTime()) {
  const timers: { at: number; resolve: () => void }[] = [];
  let scheduled = false;
  const pump = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) return;
      clock.ms = Math.max(clock.ms, next.at);
      next.resolve();
      if (timers.length > 0) pump();
    });
  };
  const clock = {
    ms: start,
    sleeps: [] as number[],
    now: () => clock.ms,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      return new Promise<void>((resolve) => {
        timers.push({ at: clock.ms + ms, resolve });
        pump();
      });
    },
  };
  return clock;
}

interface Sent {
  method: string;
  path: string;
  at: number;
}

/** A transport answering from `answer` (429s first, then 200), recording what was sent and when. */
function scriptedJira(clock: { ms: number }, answer: (sent: Sent, index: number) => Response) {
  const sent: Sent[] = [];
  const transport: JiraTransport = {
    request(path: string, init: HttpRequestInit): Promise<HttpResponse> {
      const request = { method: init.method ?? 'GET', path, at: clock.ms };
      sent.push(request);
      return Promise.resolve(answer(request, sent.length - 1));
    },
  };
  return { transport, sent };
}

const tooMany = (reason: string, retryAfter: string) =>
  new Response(JSON.stringify({ errorMessages: ['Rate limit exceeded.'] }), {
    status: 429,
    headers: { 'Retry-After': retryAfter, 'RateLimit-Reason': reason, 'X-RateLimit-Remaining': '0' },
  });

const project = () =>
  new Response(JSON.stringify({ id: '10000', key: 'DEMO', name: 'Demo' }), { status: 200 });
const issue = () =>
  new Response(
    JSON.stringify({
      id: '10001',
      key: 'DEMO-1',
      fields: { summary: 's', issuetype: { id: '1', name: 'Story' }, project: { id: '10000', key: 'DEMO' } },
    }),
    {
      status: 200,
    },
  );

function simulatorTransport(sim: JiraSimulator): JiraTransport {
  return {
    async request(path: string, init: HttpRequestInit, options: { as: JiraActor }): Promise<HttpResponse> {
      const response = await sim.handle({
        method: init.method ?? 'GET',
        path,
        ...(init.headers ? { headers: init.headers } : {}),
        ...(init.body === undefined ? {} : { body: init.body }),
        actor: options.as === 'app' ? { as: 'app' } : { as: 'user', accountId: SMALL.admin },
      });
      return toHttpResponse(response);
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Jira rate limits: the client', () => {
  it('quota (jira-quota-global-based): not retried; RATE_LIMITED with Retry-After; later calls are not sent', async () => {
    const clock = virtualClock();
    const pacer = new JiraPacer(clock);
    const { transport, sent } = scriptedJira(clock, () => tooMany('jira-quota-global-based', '1'));
    const error = await rejection(getProject(transport, 'DEMO', { as: 'app', pacer }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(1_000);
    expect(sent).toHaveLength(1);

    clock.ms += 400;
    const next = await rejection(
      setIssueProperty(transport, 'DEMO-1', 'sqai.note', {}, { as: 'app', pacer }),
    );
    expect(next.code).toBe('RATE_LIMITED');
    expect(next.retryAfterMs).toBe(600);
    expect(sent).toHaveLength(1); // refused by the pacer, never sent
  });

  it('quota without Retry-After: waits for the top of the UTC hour', async () => {
    const clock = virtualClock(Date.parse('2026-11-25T12:45:00.000Z'));
    const pacer = new JiraPacer(clock);
    const { transport } = scriptedJira(
      clock,
      () => new Response('{}', { status: 429, headers: { 'RateLimit-Reason': 'jira-quota-tenant-based' } }),
    );
    const error = await rejection(getProject(transport, 'DEMO', { as: 'app', pacer }));
    expect(error.retryAfterMs).toBe(15 * 60_000);
  });

  it('burst (jira-burst-based): retried after Retry-After; that endpoint alone waits out the block', async () => {
    const clock = virtualClock();
    const pacer = new JiraPacer(clock);
    const { transport, sent } = scriptedJira(clock, (request, index) =>
      index === 0
        ? tooMany('jira-burst-based', '1')
        : request.path.includes('/project/')
          ? project()
          : issue(),
    );
    await getProject(transport, 'DEMO', { as: 'app', pacer }); // 429, then retried: 2 requests
    expect(sent).toHaveLength(2);
    clock.sleeps.length = 0;

    await getIssueBasics(transport, 'DEMO-1', { as: 'app', pacer }); // another endpoint: at once
    expect(clock.sleeps).toEqual([]);
    await getProject(transport, 'DEMO', { as: 'app', pacer }); // the limited endpoint: after the block
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(900);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1_000);
  });

  it('per issue (jira-per-issue-on-write): writes to that issue wait; other issues and reads do not', async () => {
    const clock = virtualClock();
    const pacer = new JiraPacer(clock);
    const { transport, sent } = scriptedJira(clock, (_request, index) =>
      index === 0 ? tooMany('jira-per-issue-on-write', '2') : new Response(null, { status: 204 }),
    );
    await setIssueProperty(transport, 'DEMO-1', 'sqai.note', {}, { as: 'app', pacer });
    expect(sent).toHaveLength(2);
    clock.sleeps.length = 0;
    await setIssueProperty(transport, 'DEMO-2', 'sqai.note', {}, { as: 'app', pacer });
    expect(clock.sleeps).toEqual([]);
    await setIssueProperty(transport, 'DEMO-1', 'sqai.note', {}, { as: 'app', pacer });
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(1_900);
  });

  it('a wait longer than the deadline is not waited: RATE_LIMITED at once with the wait', async () => {
    const clock = virtualClock();
    const pacer = new JiraPacer(clock);
    const { transport } = scriptedJira(clock, (_request, index) =>
      index === 0 ? tooMany('jira-per-issue-on-write', '1') : new Response(null, { status: 204 }),
    );
    await setIssueProperty(transport, 'DEMO-1', 'p', {}, { as: 'app', pacer });
    pacer.onRateLimited(
      { operation: 'setIssueProperty', method: 'PUT', issues: ['DEMO-1'] },
      'jira-per-issue-on-write',
      60_000,
    );
    const { Deadline } = await import('../../../src/clients/upstream');
    const error = await rejection(
      setIssueProperty(transport, 'DEMO-1', 'p', {}, { as: 'app', pacer, deadline: new Deadline(5_000) }),
    );
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
  });

  describe('pacing against the simulator with the documented limits', () => {
    function simulated() {
      const clock = virtualClock();
      const sim = createJiraSimulator({ store: smallJiraStore(), now: () => new Date(clock.ms), spec: null });
      return { clock, sim, transport: simulatorTransport(sim), pacer: new JiraPacer(clock) };
    }

    it('60 writes in a row to one issue: 0 × 429 (at most 20 per 2 s and 100 per 30 s)', async () => {
      const { sim, transport, pacer } = simulated();
      sim.rateLimits.enable();
      for (let i = 0; i < 60; i += 1)
        await setIssueProperty(transport, 'DEMO-2', 'sqai.note', { i }, { as: 'app', pacer });
      expect(sim.rateLimits.ledger.rejected).toEqual({});
      expect(sim.requests.filter((request) => request.status === 429)).toHaveLength(0);
    });

    it('300 reads of one endpoint at once: 0 × 429 (half the steady burst rate)', async () => {
      const { sim, transport, pacer } = simulated();
      sim.rateLimits.enable();
      await Promise.all(
        Array.from({ length: 300 }, () => getProject(transport, SMALL.project.key, { as: 'app', pacer })),
      );
      expect(sim.rateLimits.ledger.rejected).toEqual({});
    });

    it('near the hourly quota: spreads what is left until the reset instead of running into 429', async () => {
      const { sim, transport, pacer, clock } = simulated();
      sim.rateLimits.enable({ pointsPerHour: 50 });
      for (let i = 0; i < 40; i += 1) await getProject(transport, SMALL.project.key, { as: 'app', pacer });
      expect(sim.rateLimits.ledger.rejected).toEqual({});
      expect(clock.ms - SMALL.now.getTime()).toBeGreaterThanOrEqual(60 * 60_000); // waited for the next hour
    });
  });

  it('reads the quota entry of the structured RateLimit header', () => {
    const headers = (value: string) => new Headers({ RateLimit: value });
    expect(quotaFromHeaders(headers('"global-app-quota";r=11000;t=600'))).toEqual({
      remaining: 11_000,
      resetSeconds: 600,
    });
    expect(quotaFromHeaders(headers('"jira-burst-based";r=90;t=1, "tenant-app-quota";t=200'))).toEqual({
      resetSeconds: 200,
    });
    expect(quotaFromHeaders(new Headers())).toBeUndefined();
  });

  it('knows which issues a write changes', () => {
    expect(writtenIssues('setIssueProperty', '/rest/api/3/issue/DEMO-1/properties/x', {})).toEqual([
      'DEMO-1',
    ]);
    expect(
      writtenIssues('linkIssues', '/rest/api/3/issueLink', {
        inwardIssue: { key: 'A-1' },
        outwardIssue: { id: '7' },
      }),
    ).toEqual(['A-1', '7']);
    expect(writtenIssues('getIssue', '/rest/api/3/issue/DEMO-1', undefined)).toEqual([]);
  });
});
