/**
 * Issue 14 item 3, "JQL time zones": Jira reads an absolute JQL date ("yyyy-MM-dd HH:mm") in the
 * searching user's time zone — for the app, the site's default user time zone. The hourly sync used to
 * send its cursor as a UTC wall-clock time: on a site west of UTC Jira read it hours too late and the
 * Jira side of the sync found nothing, ever; east of UTC it read it hours too early and re-read every
 * change of the last 13 hours each hour. The sync now sends the cursor as epoch milliseconds (an
 * unquoted number), which Jira reads the same in every zone.
 */
import type { SyncStatusDto } from '../../../src/api';
import { RunStore } from '../../../src/sync/run-store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { zoneOffsetMs } from '../../harness/jira-sim/jira-time';
import type { JiraRequest } from '../../harness/jira-sim/simulator';
import { createWorld, DEMO, type World } from '../../harness/world';

const HOUR = 60 * 60_000;
/** A winter day: Los Angeles is on PST (UTC−8); Tonga is UTC+13 all year. */
const START = Date.parse('2026-01-15T18:00:00.000Z');

const SITES = [
  { zone: 'America/Los_Angeles', offsetHours: -8 },
  { zone: 'Pacific/Tongatapu', offsetHours: 13 },
  { zone: 'Etc/UTC', offsetHours: 0 },
] as const;

interface Clock {
  now: () => Date;
  advance(ms: number): void;
}

function fixedClock(start: number): Clock {
  let at = start;
  return {
    now: () => new Date(at),
    advance: (ms) => {
      at += ms;
    },
  };
}

async function hourly(world: World, clock: Clock): Promise<void> {
  clock.advance(HOUR);
  expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
  await world.platform.queue.drain();
}

async function lastRun(world: World): Promise<NonNullable<SyncStatusDto['lastRun']>> {
  const { lastRun: run } = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
  if (!run) throw new Error('no hourly run yet');
  return run;
}

const issueId = (world: World, key: string) => world.jiraStore.issue(key)?.id ?? '';
const version = (world: World, key: string) =>
  world.sqai.contexts.get(`${DEMO.cloudId}/${issueId(world, key)}`)?.version;

/** The JQL of every search the app sends (as the app). */
function recordSearches(world: World): string[] {
  const jql: string[] = [];
  const handle = world.jira.handle.bind(world.jira);
  world.jira.handle = (request: JiraRequest) => {
    if (request.path.startsWith('/rest/api/3/search/jql') && request.body) {
      const body: unknown = JSON.parse(request.body);
      if (typeof body === 'object' && body !== null && 'jql' in body && typeof body.jql === 'string') {
        jql.push(body.jql);
      }
    }
    return handle(request);
  };
  return jql;
}

describeWithContracts('hourly sync on sites west and east of UTC (JQL time zones)', () => {
  let world: World;
  let clock: Clock;

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
    expect(world.platform.queue.failures).toEqual([]);
  });

  async function connectedSite(zone: string): Promise<void> {
    clock = fixedClock(START);
    world = createWorld({ now: clock.now });
    world.jiraStore.defaultTimeZone = zone; // the site's default user time zone: the app's zone
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill
  }

  for (const site of SITES) {
    it(`${site.zone}: a change just after the cursor is found next run; nothing older is re-read`, async () => {
      await connectedSite(site.zone);
      expect(zoneOffsetMs(site.zone, START)).toBe(site.offsetHours * HOUR);
      const searches = recordSearches(world);

      // DEMO-2 changes after the backfill; the first hourly run finds it and sets the cursor.
      clock.advance(20 * 60_000);
      world.jiraStore.updateIssue(issueId(world, 'DEMO-2'), { labels: ['changed-before-the-cursor'] });
      await hourly(world, clock);
      expect(version(world, 'DEMO-2')).toBe(2);
      const cursor = await new RunStore(world.platform.kvs).cursor(DEMO.project.id);
      expect(cursor).toBe(clock.now().toISOString());

      // DEMO-1 changes five minutes after the cursor.
      clock.advance(5 * 60_000);
      world.jiraStore.updateIssue(issueId(world, 'DEMO-1'), { labels: ['changed-after-the-cursor'] });
      await hourly(world, clock);

      // Found and pushed (west of UTC the UTC wall-clock cursor lay hours in the future: nothing found).
      expect(version(world, 'DEMO-1')).toBe(2);
      // Only DEMO-1 was listed: east of UTC the old query also listed DEMO-2 again, changed 45 minutes
      // before the cursor (13 hours of changes re-read every hour; unchanged, so not pushed again).
      expect(await lastRun(world)).toMatchObject({ status: 'done', total: 1, pushed: 1, failed: 0 });
      expect(version(world, 'DEMO-2')).toBe(2);

      // The query names an instant, not a wall-clock time: an unquoted number (epoch milliseconds).
      const last = searches.at(-1) ?? '';
      expect(last).toMatch(/ AND updated >= \d{13} ORDER BY updated ASC$/);
      expect(Number(/updated >= (\d+)/.exec(last)?.[1])).toBe(Date.parse(cursor ?? '') - 10 * 60_000);
    });
  }

  it('a cursor weeks old still finds the change made just after it (Los Angeles)', async () => {
    await connectedSite('America/Los_Angeles');
    await hourly(world, clock);
    clock.advance(5 * 60_000);
    world.jiraStore.updateIssue(issueId(world, 'DEMO-1'), { labels: ['changed-long-ago'] });
    // The trigger does not run for six weeks (e.g. the app was disabled), then runs again.
    clock.advance(6 * 7 * 24 * HOUR);
    await hourly(world, clock);
    expect(version(world, 'DEMO-1')).toBe(2);
    expect(await lastRun(world)).toMatchObject({ status: 'done', total: 1, pushed: 1 });
  });
});
