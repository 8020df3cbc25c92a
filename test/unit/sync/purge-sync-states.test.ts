/**
 * Disconnecting a project: the resolver removes its settings, secrets and runs (a few keys) and
 * leaves the per-issue sync states — one per requirement — to the sync queue, which deletes only
 * those written before the disconnect and goes on from its cursor when its budget runs low.
 */
import type { SettingsView } from '../../../src/api';
import { createCapturingLog, MemoryKeyValueStore } from '../../harness/local-platform';
import { purgeSyncStates, type PurgeEvent } from '../../../src/sync/purge-sync-states';
import { syncStateKey, syncStateSchema } from '../../../src/sync/state';
import { watchKey } from '../../../src/sync/watched-pages';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO } from '../../harness/world';

const syncKeys = (kvs: MemoryKeyValueStore) =>
  [...kvs.data.keys()].filter((key) => key.startsWith(`sync:${DEMO.project.id}:`));

function state(lastAttemptAt: string) {
  return syncStateSchema.parse({
    version: 1,
    status: 'synced',
    contentHash: 'sha256:0f3c',
    syncedAt: lastAttemptAt,
    lastAttemptAt,
    attempts: 0,
    history: [],
  });
}

describeWithContracts('disconnect and the sync-state purge', () => {
  it('disconnect answers after a few writes; the queue then deletes every sync state', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain();
    const synced = syncKeys(world.platform.kvs).length;
    expect(synced).toBeGreaterThanOrEqual(19);

    const view = data(await world.invoke<SettingsView>('disconnect', {}));
    expect(view.settings).toBeNull();
    // Right after the answer only the per-issue records are left (states, and the acceptance
    // criteria the sync found), and the purge is queued. (The site's Xray usage ledger holds
    // request counts of the whole site, no project's data.) The audit trail goes with the purge too,
    // and so does the record of the Confluence pages the documents included (src/sync/watched-pages.ts).
    const perIssue =
      /^(sync|criteria|trace|critkey|critrank|critrankof|critsum|critdirty|living|audit|auditprune|pagewatch):/;
    expect(
      [...world.platform.kvs.data.keys()].filter(
        (key) => !perIssue.test(key) && !key.startsWith('xray-usage:'),
      ),
    ).toEqual([]);
    expect([...world.platform.kvs.data.keys()].some((key) => key.startsWith('criteria:'))).toBe(true);
    expect(syncKeys(world.platform.kvs)).toHaveLength(synced);
    expect(world.platform.secrets.data.size).toBe(0);
    expect(world.platform.queue.pushed.at(-1)?.event.body).toMatchObject({
      kind: 'purge',
      projectId: DEMO.project.id,
    });
    await world.platform.queue.drain();
    expect([...world.platform.kvs.data.keys()].filter((key) => !key.startsWith('xray-usage:'))).toEqual([]);
    expect(world.platform.queue.failures).toEqual([]);
  });

  it('a project connected again before the purge ran keeps what its new sync wrote', async () => {
    let offset = 0;
    const world = createWorld({ now: () => new Date(Date.now() + offset) });
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain();
    const synced = syncKeys(world.platform.kvs).length;
    world.platform.queue.autoDeliver = false;
    data(await world.invoke<SettingsView>('disconnect', {}));
    const purge = world.platform.queue.pushed.at(-1);
    offset += 60_000;
    data(await world.invoke('saveSettings', demoSettings()));
    const pushesBefore = world.sqai.log.entries.length;
    await world.platform.queue.drain();
    // The new backfill pushed everything again: the old states did not count as delivered.
    expect(world.sqai.log.entries.length).toBeGreaterThan(pushesBefore);
    expect(syncKeys(world.platform.kvs)).toHaveLength(synced);
    // Forge does not keep a queue's order: the purge may arrive after the new sync wrote its states.
    if (!purge) throw new Error('disconnect queued no purge');
    expect(purge.event.body).toMatchObject({ kind: 'purge' });
    await world.platform.queue.push(purge.queueKey, [purge.event]);
    await world.platform.queue.drain();
    expect(syncKeys(world.platform.kvs)).toHaveLength(synced);
    // The new sync's record of the Confluence pages its documents include stays too.
    expect(await world.platform.kvs.get(watchKey(DEMO.project.id))).toMatchObject({ version: 1 });
    expect(world.platform.log.lines.filter((line) => line.includes('Sync states purged')).at(-1)).toContain(
      `"kept":${synced}`,
    );
  });

  it('stops when its budget runs low and goes on from its cursor', async () => {
    const kvs = new MemoryKeyValueStore();
    const before = '2026-12-01T10:00:00.000Z';
    for (let index = 0; index < 450; index += 1) {
      await kvs.set(syncStateKey(DEMO.project.id, String(20_000 + index)), state('2026-11-30T09:00:00.000Z'));
    }
    // 50 states written after the disconnect (the project was connected again), one unreadable.
    for (let index = 0; index < 50; index += 1) {
      await kvs.set(syncStateKey(DEMO.project.id, String(30_000 + index)), state('2026-12-01T10:05:00.000Z'));
    }
    await kvs.set(syncStateKey(DEMO.project.id, '39999'), { version: 0 });
    await kvs.set(syncStateKey('10001', '20000'), state('2026-11-30T09:00:00.000Z'));

    let event: PurgeEvent | undefined = { kind: 'purge', projectId: DEMO.project.id, before };
    const invocations: { deleted: number; kept: number }[] = [];
    while (event) {
      let pages = 0;
      // Two pages of budget per invocation.
      const deadline = { remainingMs: () => (pages++ < 2 ? 600_000 : 1_000) };
      const progress = await purgeSyncStates(
        { kvs, log: createCapturingLog(), clock: { now: () => new Date(), sleep: () => Promise.resolve() } },
        event,
        deadline,
      );
      invocations.push({ deleted: progress.deleted, kept: progress.kept });
      event = progress.next;
      if (invocations.length > 10) throw new Error('the purge never finished');
    }
    expect(invocations).toHaveLength(3);
    expect(invocations.reduce((sum, step) => sum + step.deleted, 0)).toBe(451);
    expect(syncKeys(kvs)).toHaveLength(50);
    // Another project's states are not touched.
    expect(kvs.data.has(syncStateKey('10001', '20000'))).toBe(true);
  });
});
