/**
 * Issue 14 item 1, the sync side: a run Jira's hourly quota stops is paused, not failed. It used to
 * count each quota refusal as a failure a minute apart, so an hour-long quota wait marked a backfill
 * failed after five minutes; and every queued project learnt the quota was spent by spending a
 * request on it. Now the run resumes when Jira said it may (≤ 900 s per queue delay), the site
 * remembers the pause for every invocation, and the backfill finishes after the reset with every
 * requirement sent once.
 */
import type { SyncRunDto } from '../../../src/api';
import { JIRA_QUOTA_PAUSE_KEY } from '../../../src/clients/jira-quota-pause';
import { RunStore } from '../../../src/sync/run-store';
import { toRunDto } from '../../../src/sync/to-dto';
import { data, demoSettings } from '../../harness/demo-settings';
import { addRequirements } from '../../harness/fixtures/bulk-requirements';
import { createCapturingLog } from '../../harness/local-platform';
import { createWorld, DEMO, type World } from '../../harness/world';

const START = Date.parse('2026-03-10T09:20:00.000Z');
const HOUR = 3_600_000;

/** The backfill as the settings page shows it (read from storage: the page itself needs Jira). */
async function backfill(world: World, now: Date): Promise<SyncRunDto> {
  const run = await new RunStore(world.platform.kvs).run(DEMO.project.id, 'backfill');
  if (!run) throw new Error('no backfill');
  return toRunDto(run, now);
}

function quotaWorld() {
  let at = START;
  const clock = { now: () => new Date(at), advanceTo: (ms: number) => (at = Math.max(at, ms)) };
  // Waits of the app's pacer pass on the same clock the simulators read (virtual time).
  const sleep = (ms: number) => Promise.resolve(void clock.advanceTo(at + ms));
  const world = createWorld({
    now: clock.now,
    sleep,
    validateContracts: false,
    log: createCapturingLog(false),
  });
  // 60 more requirements; the quota is small enough that the backfill lasts more than an hour.
  const ids = addRequirements(world, 60, 1, new Date(START));
  world.jira.rateLimits.enable({ pointsPerHour: 100 });
  return { world, clock, ids };
}

describe('a sync run stopped by Jira’s hourly quota', () => {
  it('is paused until the reset (not failed), remembered for the site, and finishes with every requirement sent once', async () => {
    const { world, clock, ids } = quotaWorld();
    data(await world.invoke('saveSettings', demoSettings('standard')));
    await world.platform.queue.step();

    // The first delivery spent the quota: the run waits, with the reason and the time it resumes.
    let run = await backfill(world, clock.now());
    expect(run.status).toBe('running');
    expect(run.error?.code).toBe('RATE_LIMITED');
    expect(run.error?.message).toMatch(/hourly request quota .* used up for the next \d+ min/);
    // It resumes when the quota resets, at the top of the UTC hour.
    const resetAt = Date.parse('2026-03-10T10:00:00.000Z');
    expect(Math.abs(Date.parse(run.pausedUntil ?? '') - resetAt)).toBeLessThanOrEqual(1_000);
    const requeued = world.platform.queue.pushed.at(-1)?.event;
    expect(requeued?.delayInSeconds).toBeGreaterThanOrEqual(60);
    expect(requeued?.delayInSeconds).toBeLessThanOrEqual(900);
    const remembered = world.platform.kvs.data.get(JIRA_QUOTA_PAUSE_KEY) as { until?: unknown } | undefined;
    expect(remembered?.until).toBe(Date.parse(run.pausedUntil ?? ''));

    // Delivered again before the reset: nothing is sent to Jira, the run waits again.
    const sentBefore = world.jira.requests.length;
    await world.platform.queue.step();
    expect(world.jira.requests.length).toBe(sentBefore);
    expect((await backfill(world, clock.now())).status).toBe('running');
    // The settings page, which needs Jira to check the admin's permission, says why and when.
    const status = await world.invoke('getSyncStatus', {});
    expect(status).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(JSON.stringify(status)).toMatch(/hourly request quota .* used up .* resumes by itself/);

    // Time passes as the queue delays say; the run resumes after each hourly reset.
    for (let step = 0; step < 40 && run.status === 'running'; step += 1) {
      const delay = world.platform.queue.pushed.at(-1)?.event.delayInSeconds ?? 0;
      clock.advanceTo(clock.now().getTime() + delay * 1000);
      await world.platform.queue.step();
      run = await backfill(world, clock.now());
    }
    expect(run.status).toBe('done');
    expect(run.error).toBeUndefined();
    expect(clock.now().getTime() - START).toBeGreaterThan(HOUR);
    for (const id of ids) expect(world.sqai.contexts.has(`${DEMO.cloudId}/${id}`)).toBe(true);
    // One refused request per quota window at most: the quota is learnt once, then remembered.
    const refused = world.jira.requests.filter((request) => request.status === 429);
    const hours = Math.ceil((clock.now().getTime() - START) / HOUR);
    expect(refused.length).toBeLessThanOrEqual(hours);
    expect(Object.keys(world.jira.rateLimits.ledger.rejected)).toEqual(['jira-quota-global-based']);
    expect(world.platform.queue.failures).toEqual([]);
  });
});
