/**
 * The Jira simulator's rate limits for apps (test/harness/jira-sim/rate-limits.ts), after Atlassian's
 * "Rate limiting" page: the points-based hourly quota, the burst limit per endpoint and method, and
 * the per-issue write limit, each a 429 with `Retry-After` and its `RateLimit-Reason`.
 */
import { SMALL, smallJiraStore } from '../../harness/jira-sim/fixtures';
import { DOCUMENTED_LIMITS } from '../../harness/jira-sim/rate-limits';
import { createJiraSimulator, type JiraSimulator } from '../../harness/jira-sim/simulator';

const app = { as: 'app' } as const;
const admin = { as: 'user', accountId: SMALL.admin } as const;

function world(start = SMALL.now.getTime()): { sim: JiraSimulator; clock: { ms: number } } {
  const clock = { ms: start };
  const sim = createJiraSimulator({ store: smallJiraStore(), now: () => new Date(clock.ms), spec: null });
  return { sim, clock };
}

const getIssue = (
  sim: JiraSimulator,
  key = 'DEMO-1',
  actor: { as: 'app' | 'user'; accountId?: string } = app,
) => sim.handle({ method: 'GET', path: `/rest/api/3/issue/${key}?fields=summary`, actor });

const setProperty = (sim: JiraSimulator, key: string, value: unknown = { v: 1 }) =>
  sim.handle({
    method: 'PUT',
    path: `/rest/api/3/issue/${key}/properties/sqai.note`,
    actor: app,
    body: JSON.stringify(value),
    headers: { 'Content-Type': 'application/json' },
  });

describe('Jira rate limits for apps (simulator)', () => {
  it('is off by default: no 429, no rate-limit headers, nothing in the ledger', async () => {
    const { sim } = world();
    for (let i = 0; i < 300; i += 1) expect((await getIssue(sim)).status).toBe(200);
    const response = await getIssue(sim);
    expect(response.headers['RateLimit-Policy']).toBeUndefined();
    expect(sim.rateLimits.ledger.points).toBe(0);
  });

  it('documents the published defaults', () => {
    expect(DOCUMENTED_LIMITS.pointsPerHour).toBe(65_000);
    expect(DOCUMENTED_LIMITS.burstPerSecond).toMatchObject({ GET: 100, POST: 100, PUT: 50, DELETE: 50 });
    expect(DOCUMENTED_LIMITS.perIssueWrites).toEqual([
      { limit: 20, windowMs: 2_000 },
      { limit: 100, windowMs: 30_000 },
    ]);
  });

  describe('points', () => {
    it('charges a GET of one issue 1 (base) + 1 issue = 2 points, and a write the base cost only', async () => {
      const { sim } = world();
      sim.rateLimits.enable();
      await getIssue(sim);
      expect(sim.rateLimits.ledger.points).toBe(2);
      await setProperty(sim, 'DEMO-2');
      expect(sim.rateLimits.ledger.points).toBe(3);
      expect(sim.rateLimits.ledger.byOperation).toEqual({
        getIssue: { requests: 1, points: 2 },
        setIssueProperty: { requests: 1, points: 1 },
      });
    });

    it('charges identity & access objects 2 points each (permissions)', async () => {
      const { sim } = world();
      sim.rateLimits.enable();
      await sim.handle({
        method: 'GET',
        path: `/rest/api/3/mypermissions?projectId=${SMALL.project.id}&permissions=BROWSE_PROJECTS,EDIT_ISSUES`,
        actor: admin,
      });
      expect(sim.rateLimits.ledger.points).toBe(1 + 2 * 2);
      expect(sim.rateLimits.ledger.byActor).toEqual({ user: 5, app: 0 });
    });

    it('charges a JQL search 1 + 1 per issue returned, or the base cost when configured so', async () => {
      const { sim } = world();
      sim.rateLimits.enable();
      const search = () =>
        sim.handle({
          method: 'POST',
          path: '/rest/api/3/search/jql',
          actor: app,
          body: JSON.stringify({ jql: `project = ${SMALL.project.key}`, fields: ['id'], maxResults: 100 }),
          headers: { 'Content-Type': 'application/json' },
        });
      const found = (JSON.parse((await search()).body) as { issues: unknown[] }).issues.length;
      expect(found).toBeGreaterThan(1);
      expect(sim.rateLimits.ledger.points).toBe(1 + found);
      sim.rateLimits.enable({ readsByPostCostBaseOnly: true });
      sim.rateLimits.reset();
      await search();
      expect(sim.rateLimits.ledger.points).toBe(1);
    });
  });

  describe('the hourly points quota', () => {
    it('answers every request 429 jira-quota-global-based once spent, until the top of the UTC hour', async () => {
      const { sim, clock } = world(Date.parse('2026-11-25T12:59:00.000Z'));
      sim.rateLimits.enable({ pointsPerHour: 5 });
      expect((await getIssue(sim)).status).toBe(200); // 2
      expect((await getIssue(sim)).status).toBe(200); // 4
      const near = await getIssue(sim); // 6: over, but admitted while points remained
      expect(near.status).toBe(200);
      expect(near.headers).toMatchObject({
        'RateLimit-Policy': '"global-app-quota";q=5;w=3600',
        RateLimit: '"global-app-quota";r=0;t=60',
        'X-RateLimit-NearLimit': 'true',
      });
      const refused = await setProperty(sim, 'DEMO-2');
      expect(refused.status).toBe(429);
      expect(refused.headers).toMatchObject({
        'Retry-After': '60',
        'RateLimit-Reason': 'jira-quota-global-based',
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': '2026-11-25T13:00:00Z',
      });
      expect(sim.rateLimits.ledger.rejected).toEqual({ 'jira-quota-global-based': 1 });
      expect(sim.rateLimits.ledger.points).toBe(6); // refused requests cost nothing

      clock.ms = Date.parse('2026-11-25T13:00:00.000Z');
      const fresh = await getIssue(sim);
      expect(fresh.status).toBe(200);
      expect(fresh.headers.RateLimit).toBe('"global-app-quota";t=3600'); // r only near the limit
    });

    it('names the per-tenant pool jira-quota-tenant-based', async () => {
      const { sim } = world();
      sim.rateLimits.enable({ pointsPerHour: 1, pool: 'tenant' });
      await getIssue(sim);
      const refused = await getIssue(sim);
      expect(refused.headers['RateLimit-Reason']).toBe('jira-quota-tenant-based');
      expect(refused.headers['RateLimit-Policy']).toBe('"tenant-app-quota";q=1;w=3600');
    });
  });

  describe('the burst limit', () => {
    it('is a token bucket per endpoint and method: 429 jira-burst-based for that endpoint only', async () => {
      const { sim, clock } = world();
      sim.rateLimits.enable({
        burstPerSecond: { GET: 3, POST: 3, PUT: 2, PATCH: 2, DELETE: 2 },
        burstOverrides: {},
      });
      for (let i = 0; i < 3; i += 1) expect((await getIssue(sim, `DEMO-${i + 1}`)).status).toBe(200);
      const refused = await getIssue(sim, 'DEMO-4');
      expect(refused.status).toBe(429);
      expect(refused.headers).toMatchObject({
        'Retry-After': '1',
        'RateLimit-Reason': 'jira-burst-based',
        'X-RateLimit-Limit': '3',
        'X-RateLimit-Remaining': '0',
      });
      // Another endpoint (and another method on an issue path) is unaffected.
      expect((await setProperty(sim, 'DEMO-2')).status).toBeLessThan(300);
      expect(
        (await sim.handle({ method: 'GET', path: `/rest/api/3/project/${SMALL.project.key}`, actor: app }))
          .status,
      ).toBe(200);
      // The bucket refills at the steady rate: one token per 1/3 s.
      clock.ms += 334;
      expect((await getIssue(sim)).status).toBe(200);
      expect((await getIssue(sim)).status).toBe(429);
    });

    it('uses the documented custom rate for GET issue (150/s) over the GET default (100/s)', async () => {
      const { sim } = world();
      sim.rateLimits.enable();
      let admitted = 0;
      for (let i = 0; i < 160; i += 1) if ((await getIssue(sim)).status === 200) admitted += 1;
      expect(admitted).toBe(150);
    });
  });

  describe('the per-issue write limit', () => {
    it('refuses the 21st write to one issue within 2 s with jira-per-issue-on-write; other issues are unaffected', async () => {
      const { sim, clock } = world();
      sim.rateLimits.enable({
        burstPerSecond: { GET: 1000, POST: 1000, PUT: 1000, PATCH: 1000, DELETE: 1000 },
      });
      for (let i = 0; i < 20; i += 1) {
        expect((await setProperty(sim, 'DEMO-2', { i })).status).toBeLessThan(300);
        clock.ms += 10;
      }
      const refused = await setProperty(sim, 'DEMO-2');
      expect(refused.status).toBe(429);
      expect(refused.headers).toMatchObject({
        'RateLimit-Reason': 'jira-per-issue-on-write',
        'Retry-After': '2',
        'X-RateLimit-Limit': '20',
      });
      // By id or by key, the same issue.
      const id = sim.store.issue('DEMO-2')?.id ?? '';
      expect((await setProperty(sim, id)).status).toBe(429);
      expect((await setProperty(sim, 'DEMO-3')).status).toBeLessThan(300);
      expect((await getIssue(sim, 'DEMO-2')).status).toBe(200); // reads are not writes
      clock.ms += 2_000;
      expect((await setProperty(sim, 'DEMO-2')).status).toBeLessThan(300);
    });

    it('refuses the 101st write to one issue within 30 s', async () => {
      const { sim, clock } = world();
      sim.rateLimits.enable({
        burstPerSecond: { GET: 1000, POST: 1000, PUT: 1000, PATCH: 1000, DELETE: 1000 },
      });
      for (let i = 0; i < 100; i += 1) {
        expect((await setProperty(sim, 'DEMO-2', { i })).status).toBeLessThan(300);
        clock.ms += 200; // 10 per 2 s: within the short window
      }
      const refused = await setProperty(sim, 'DEMO-2');
      expect(refused.status).toBe(429);
      expect(refused.headers['X-RateLimit-Limit']).toBe('100');
      expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    });

    it('counts a new link as a write to both of its issues', async () => {
      const { sim } = world();
      sim.rateLimits.enable({
        perIssueWrites: [{ limit: 1, windowMs: 2_000 }],
      });
      const link = await sim.handle({
        method: 'POST',
        path: '/rest/api/3/issueLink',
        actor: app,
        body: JSON.stringify({
          type: { name: 'Relates' },
          inwardIssue: { key: 'DEMO-2' },
          outwardIssue: { key: 'DEMO-3' },
        }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(link.status).toBe(201);
      expect((await setProperty(sim, 'DEMO-3')).headers['RateLimit-Reason']).toBe('jira-per-issue-on-write');
    });
  });
});
