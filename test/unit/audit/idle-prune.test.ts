/**
 * Retention for projects whose sync is off (src/audit/idle-prune.ts): the hourly trigger prunes
 * their audit trails once a day each, at most IDLE_PRUNE_PROJECTS a trigger; a project with sync on
 * is left to its sync run's prune.
 */
import { defaultDataControls, type AuditTrailDto, type SendToSqaiResult } from '../../../src/api';
import { IDLE_PRUNE_PROJECTS, pruneIdleAuditTrails } from '../../../src/audit/idle-prune';
import { auditPrefix, pruneStateKey } from '../../../src/audit/store';
import { SettingsStore } from '../../../src/config/settings-store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { movableClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

const DAY = 86_400_000;
type Clock = ReturnType<typeof movableClock>;

async function trail(world: World): Promise<AuditTrailDto> {
  return data(await world.invoke<AuditTrailDto>('getAuditTrail', {}));
}

async function hourly(world: World, clock: Clock, ms = 60 * 60_000): Promise<void> {
  clock.advance(ms);
  expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
}

describeWithContracts('audit retention for projects with sync off', () => {
  let world: World;
  let clock: Clock;

  beforeEach(async () => {
    clock = movableClock();
    world = createWorld({ now: clock.now });
    const settings = demoSettings('enterprise');
    data(
      await world.invoke('saveSettings', {
        ...settings,
        sync: { ...settings.sync, enabled: false },
        dataControls: { ...defaultDataControls(), auditRetentionDays: 7 },
      }),
    );
  });

  it('the hourly trigger forgets a sync-off project’s sends past its retention, and keeps the recent ones', async () => {
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
    clock.advance(3 * DAY);
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-2'));
    expect((await trail(world)).entries.map((entry) => entry.requirement.key)).toEqual(['DEMO-2', 'DEMO-1']);

    // Day 8: DEMO-1's send (day 0) is past the 7 days, DEMO-2's (day 3) is not.
    await hourly(world, clock, 5 * DAY);
    expect((await trail(world)).entries.map((entry) => entry.requirement.key)).toEqual(['DEMO-2']);
    expect(world.platform.log.lines.join('\n')).toContain('Audit trails of projects with sync off pruned');
  });

  it('prunes a project once a day: the next hours only read its prune state', async () => {
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
    const first = await pruneIdleAuditTrails(world.platform);
    expect(first.pruned).toEqual([DEMO.project.id]);
    const state = await world.platform.kvs.get(pruneStateKey(DEMO.project.id));
    clock.advance(60 * 60_000);
    const { reads, writes } = world.platform.kvs.meter;
    const again = await pruneIdleAuditTrails(world.platform);
    expect(again).toEqual({ pruned: [], deleted: 0, deferred: 0 });
    // The configured projects (one query) and the project's prune state: nothing of the trail.
    expect(world.platform.kvs.meter.reads - reads).toBe(2);
    expect(world.platform.kvs.meter.writes).toBe(writes);
    expect(await world.platform.kvs.get(pruneStateKey(DEMO.project.id))).toEqual(state);
    clock.advance(DAY);
    expect((await pruneIdleAuditTrails(world.platform)).pruned).toEqual([DEMO.project.id]);
  });

  it(`prunes at most ${IDLE_PRUNE_PROJECTS} projects a trigger; the rest wait for the next`, async () => {
    const store = new SettingsStore(world.platform);
    const stored = await store.get(DEMO.project.id);
    if (!stored) throw new Error('no stored settings');
    const others = Array.from({ length: IDLE_PRUNE_PROJECTS + 2 }, (_, index) => String(20_000 + index));
    for (const projectId of others) await store.put(projectId, stored);
    const first = await pruneIdleAuditTrails(world.platform);
    expect(first.pruned).toHaveLength(IDLE_PRUNE_PROJECTS);
    expect(first.deferred).toBe(3);
    clock.advance(60 * 60_000);
    const second = await pruneIdleAuditTrails(world.platform);
    expect(second.pruned).toHaveLength(3);
    expect(new Set([...first.pruned, ...second.pruned]).size).toBe(IDLE_PRUNE_PROJECTS + 3);
  });

  it('leaves a project with sync on to its sync run', async () => {
    const settings = demoSettings('enterprise');
    data(await world.invoke('saveSettings', settings));
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
    expect(await pruneIdleAuditTrails(world.platform)).toEqual({ pruned: [], deleted: 0, deferred: 0 });
    expect(
      (await world.platform.kvs.query(auditPrefix(DEMO.project.id), { limit: 10 })).entries,
    ).toHaveLength(1);
  });
});
