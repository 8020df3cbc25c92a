/**
 * Issue 14 item 3: the Jira simulator reads absolute JQL dates ("yyyy-MM-dd HH:mm") in the SEARCHER's
 * time zone, as Jira does — a user's own zone, else the site's default user time zone, which is also the
 * app's — while periods (`-15m`) and unquoted numbers (epoch milliseconds) mean the same everywhere.
 * Source: Atlassian, "JQL fields" › Updated,
 * https://support.atlassian.com/jira-service-management-cloud/docs/jql-fields/
 */
import { z } from 'zod';
import { describeWithContracts } from '../../harness/contracts';
import { SMALL, smallJiraStore } from '../../harness/jira-sim/fixtures';
import { parseJqlDate, zoneOffsetMs } from '../../harness/jira-sim/jira-time';
import { evaluateJql, type JqlOptions } from '../../harness/jira-sim/jql';
import { createJiraSimulator, type JiraRequest } from '../../harness/jira-sim/simulator';
import type { JiraStore } from '../../harness/jira-sim/store';

const LOS_ANGELES = 'America/Los_Angeles'; // UTC−8 in winter (PST), UTC−7 in summer
const TONGA = 'Pacific/Tongatapu'; // UTC+13 all year since 2017
const NOW = SMALL.now; // 2026-11-25T12:00Z; DEMO-1 was last updated at 2026-11-25T10:00Z
const DEMO_1_UPDATED = Date.UTC(2026, 10, 25, 10, 0);
const utc = (iso: string) => Date.parse(iso);

function withTimeZone(store: JiraStore, accountId: string, timeZone: string): void {
  const user = store.users.get(accountId);
  if (!user) throw new Error(`No user ${accountId}`);
  user.timeZone = timeZone;
}

describe('JQL dates: the searcher’s time zone', () => {
  it('the zones the tests rely on have the offsets they claim on the dates used', () => {
    expect(zoneOffsetMs(LOS_ANGELES, DEMO_1_UPDATED)).toBe(-8 * 3_600_000);
    expect(zoneOffsetMs(LOS_ANGELES, utc('2026-07-01T00:00:00Z'))).toBe(-7 * 3_600_000);
    expect(zoneOffsetMs(TONGA, DEMO_1_UPDATED)).toBe(13 * 3_600_000);
    expect(zoneOffsetMs(TONGA, utc('2026-01-15T18:00:00Z'))).toBe(13 * 3_600_000);
    expect(zoneOffsetMs('Etc/UTC', DEMO_1_UPDATED)).toBe(0);
  });

  it('an absolute date is a wall-clock time in the given zone (UTC when none is given)', () => {
    expect(parseJqlDate('2026-11-25 10:00', NOW)).toBe(DEMO_1_UPDATED);
    expect(parseJqlDate('2026-11-25 02:00', NOW, { timeZone: LOS_ANGELES })).toBe(DEMO_1_UPDATED);
    expect(parseJqlDate('2026/11/25 23:00', NOW, { timeZone: TONGA })).toBe(DEMO_1_UPDATED);
    // Date only: midnight there.
    expect(parseJqlDate('2026-11-25', NOW, { timeZone: LOS_ANGELES })).toBe(utc('2026-11-25T08:00:00Z'));
    expect(parseJqlDate('2026-11-25', NOW, { timeZone: TONGA })).toBe(utc('2026-11-24T11:00:00Z'));
    // Summer time in Los Angeles is UTC−7.
    expect(parseJqlDate('2026-07-01 12:00', NOW, { timeZone: LOS_ANGELES })).toBe(
      utc('2026-07-01T19:00:00Z'),
    );
  });

  it('around daylight-saving changes: the new offset after one, the old one in a skipped or doubled hour', () => {
    const la = (wall: string) => parseJqlDate(wall, NOW, { timeZone: LOS_ANGELES });
    // 2026-03-08: 02:00 PST becomes 03:00 PDT.
    expect(la('2026-03-08 01:30')).toBe(utc('2026-03-08T09:30:00Z'));
    expect(la('2026-03-08 02:30')).toBe(utc('2026-03-08T10:30:00Z')); // does not exist: read as PST
    expect(la('2026-03-08 05:00')).toBe(utc('2026-03-08T12:00:00Z'));
    // 2026-11-01: 02:00 PDT becomes 01:00 PST.
    expect(la('2026-11-01 01:30')).toBe(utc('2026-11-01T08:30:00Z')); // happens twice: the first (PDT)
    expect(la('2026-11-01 05:00')).toBe(utc('2026-11-01T13:00:00Z'));
  });

  it('periods and unquoted numbers (epoch milliseconds) do not depend on the zone', () => {
    for (const timeZone of [undefined, LOS_ANGELES, TONGA]) {
      const options = timeZone ? { timeZone } : {};
      expect(parseJqlDate('-90m', NOW, options)).toBe(NOW.getTime() - 90 * 60_000);
      expect(parseJqlDate('-1w 2d', NOW, options)).toBe(NOW.getTime() - 9 * 86_400_000);
      // Quoted, a bare number is minutes ("the default is m")…
      expect(parseJqlDate('-90', NOW, { ...options, quoted: true })).toBe(NOW.getTime() - 90 * 60_000);
      // …unquoted, it is milliseconds after the epoch.
      expect(parseJqlDate(String(DEMO_1_UPDATED), NOW, { ...options, quoted: false })).toBe(DEMO_1_UPDATED);
    }
  });
});

describe('JQL search: whose time zone', () => {
  const store = smallJiraStore();
  withTimeZone(store, SMALL.admin, TONGA);
  const keys = (jql: string, options: JqlOptions) =>
    evaluateJql(store, `project = DEMO AND ${jql}`, { now: () => NOW, ...options }).map((issue) => issue.key);
  const app = { actor: { as: 'app' as const } };
  const uma = { actor: { as: 'user' as const, accountId: SMALL.user } }; // no zone of her own
  const ada = { actor: { as: 'user' as const, accountId: SMALL.admin } }; // Pacific/Tongatapu

  afterEach(() => {
    store.defaultTimeZone = 'Etc/UTC';
  });

  it('the app and users without a zone of their own read absolute dates in the site default', () => {
    expect(keys('updated >= "2026-11-25 02:01"', app)).toEqual(['DEMO-1']); // UTC: 02:01Z
    store.defaultTimeZone = LOS_ANGELES;
    expect(keys('updated >= "2026-11-25 02:00"', app)).toEqual(['DEMO-1']); // 10:00Z
    expect(keys('updated >= "2026-11-25 02:01"', app)).toEqual([]); // 10:01Z
    expect(keys('updated >= "2026-11-25 02:01"', uma)).toEqual([]);
    expect(keys('updated >= "2026-11-25 02:01"', {})).toEqual([]); // no actor: the site default too
  });

  it('a user with a zone of their own reads them in it, whatever the site default', () => {
    store.defaultTimeZone = LOS_ANGELES;
    expect(keys('updated >= "2026-11-25 23:00"', ada)).toEqual(['DEMO-1']); // 10:00Z in Tonga
    expect(keys('updated >= "2026-11-25 23:01"', ada)).toEqual([]);
    // The same text means something else to each: 2026-11-24T10:00Z for Ada (DEMO-6 was updated then),
    // 2026-11-25T07:00Z for the app.
    expect(keys('updated >= "2026-11-24 23:00"', ada)).toEqual(['DEMO-1', 'DEMO-6']);
    expect(keys('updated >= "2026-11-24 23:00"', app)).toEqual(['DEMO-1']);
  });

  it('the same epoch milliseconds or period find the same issues for everyone', () => {
    store.defaultTimeZone = LOS_ANGELES;
    for (const who of [app, uma, ada]) {
      expect(keys(`updated >= ${DEMO_1_UPDATED}`, who)).toEqual(['DEMO-1']);
      expect(keys(`updated >= ${DEMO_1_UPDATED + 1}`, who)).toEqual([]);
      expect(keys(`updated > "${DEMO_1_UPDATED}"`, who)).toEqual([]); // quoted: minutes from now
      expect(keys('updated >= "-120m"', who)).toEqual(['DEMO-1']);
      expect(keys('updated >= "-119m"', who)).toEqual([]);
    }
  });
});

const userShape = z.object({ accountId: z.string(), timeZone: z.string() }).loose();
const searchShape = z.object({ issues: z.array(z.object({ key: z.string() }).loose()) }).loose();

describeWithContracts('Jira simulator over HTTP: time zones', () => {
  const store = smallJiraStore();
  store.defaultTimeZone = LOS_ANGELES;
  withTimeZone(store, SMALL.user, TONGA);
  const sim = createJiraSimulator({ store, now: () => NOW });
  const call = async (actor: JiraRequest['actor'], method: string, path: string, body?: unknown) => {
    const response = await sim.handle({
      method,
      path,
      actor,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    return JSON.parse(response.body) as unknown;
  };

  afterAll(() => {
    expect(sim.violations).toEqual([]);
  });

  it('/myself reports the profile zone, else the site default (the app too)', async () => {
    expect(
      userShape.parse(await call({ as: 'user', accountId: SMALL.user }, 'GET', '/rest/api/3/myself'))
        .timeZone,
    ).toBe(TONGA);
    expect(
      userShape.parse(await call({ as: 'user', accountId: SMALL.admin }, 'GET', '/rest/api/3/myself'))
        .timeZone,
    ).toBe(LOS_ANGELES);
    expect(userShape.parse(await call({ as: 'app' }, 'GET', '/rest/api/3/myself')).timeZone).toBe(
      LOS_ANGELES,
    );
  });

  it('search/jql as the app reads "yyyy-MM-dd HH:mm" in the site default: a UTC cursor misses', async () => {
    const search = async (jql: string) =>
      searchShape
        .parse(await call({ as: 'app' }, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'] }))
        .issues.map((issue) => issue.key);
    // "updated since 09:50 UTC", written in UTC: Jira reads 09:50 in Los Angeles (17:50Z) and finds nothing.
    expect(await search('project = DEMO AND updated >= "2026-11-25 09:50"')).toEqual([]);
    expect(await search('project = DEMO AND updated >= "2026-11-25 01:50"')).toEqual(['DEMO-1']);
    expect(await search(`project = DEMO AND updated >= ${DEMO_1_UPDATED - 10 * 60_000}`)).toEqual(['DEMO-1']);
  });
});
