/**
 * The project's ranking of requirements by unproven criteria (issue 18 item 6;
 * src/criteria/project-index.ts): kept by the one writer (saveTraceability), in key order "most
 * unproven first", moved when counts or project change, dropped on purge, and summed into totals.
 */
import fc from 'fast-check';
import {
  countProjectTotals,
  dirtyKey,
  dropFromRanking,
  placeInRanking,
  rankKey,
  rankPointerKey,
  rankPrefix,
  readProjectTotals,
  refreshProjectTotals,
  totalsKey,
  type RankEntry,
} from '../../../src/criteria/project-index';
import { saveTraceability } from '../../../src/criteria/save-traceability';
import { updateCriteria } from '../../../src/criteria/record';
import { traceRecordSchema, TRACE_RECORD_VERSION, type CriteriaSummary } from '../../../src/criteria/state';
import { forgetTraceability, traceKey, writeTraceability } from '../../../src/criteria/store';
import { data, demoSettings } from '../../harness/demo-settings';
import { createCapturingLog, MemoryKeyValueStore } from '../../harness/local-platform';
import { createWorld, DEMO } from '../../harness/world';

const NOW = new Date('2026-12-04T10:00:00.000Z');
const P = '10000';
const OTHER = '10001';

const counts = (criteria: number, proven: number, failing = 0): CriteriaSummary => ({
  criteria,
  proven,
  failing,
  stale: 0,
  changed: 0,
  notRun: 0,
  noTest: criteria - proven - failing,
  unproven: criteria - proven,
  staleTests: 0,
});

const entry = (issueId: string, c: CriteriaSummary, issueKey = `DEMO-${issueId}`): RankEntry => ({
  issueId,
  issueKey,
  counts: c,
});

const keysOf = async (kvs: MemoryKeyValueStore, prefix: string) =>
  (await kvs.query(prefix, { limit: 100 })).entries.map(({ key }) => key);

function platformOf(kvs: MemoryKeyValueStore) {
  return { kvs, log: createCapturingLog(), clock: { now: () => NOW, sleep: () => Promise.resolve() } };
}

describe('placeInRanking', () => {
  it('writes the entry where its counts rank it, then moves it when they change (the old key goes)', async () => {
    const kvs = new MemoryKeyValueStore();
    expect(await placeInRanking(kvs, P, entry('11', counts(4, 1)), NOW)).toBe(true);
    expect(await keysOf(kvs, rankPrefix(P))).toEqual([`critrank:${P}:996:999:11`]);
    expect(await kvs.get(rankPointerKey('11'))).toEqual({
      key: `critrank:${P}:996:999:11`,
      entry: entry('11', counts(4, 1)),
    });
    expect(await kvs.get(dirtyKey(P))).toMatchObject({ at: NOW.toISOString() });

    expect(await placeInRanking(kvs, P, entry('11', counts(4, 2, 1)), NOW)).toBe(true);
    expect(await keysOf(kvs, rankPrefix(P))).toEqual([`critrank:${P}:997:998:11`]);
    expect(await kvs.get(`critrank:${P}:996:999:11`)).toBeUndefined();
    expect(await kvs.get(`critrank:${P}:997:998:11`)).toEqual(entry('11', counts(4, 2, 1)));
  });

  it('writes nothing when the entry is unchanged (one pointer read)', async () => {
    const kvs = new MemoryKeyValueStore();
    await placeInRanking(kvs, P, entry('11', counts(3, 1)), NOW);
    await kvs.delete(dirtyKey(P));
    const writes = kvs.meter.writes;
    expect(await placeInRanking(kvs, P, entry('11', counts(3, 1)), NOW)).toBe(false);
    expect(kvs.meter.writes).toBe(writes);
    expect(await kvs.get(dirtyKey(P))).toBeUndefined();
  });

  it('rewrites the entry in place when only its key changed, and drops it when no criteria are left', async () => {
    const kvs = new MemoryKeyValueStore();
    await placeInRanking(kvs, P, entry('11', counts(3, 1), 'DEMO-1'), NOW);
    expect(await placeInRanking(kvs, P, entry('11', counts(3, 1), 'DEMO-9'), NOW)).toBe(true);
    expect(await kvs.get(rankKey(P, '11', counts(3, 1)))).toMatchObject({ issueKey: 'DEMO-9' });
    await kvs.delete(dirtyKey(P));
    expect(await placeInRanking(kvs, P, entry('11', counts(0, 0), 'DEMO-9'), NOW)).toBe(true);
    expect(await keysOf(kvs, rankPrefix(P))).toEqual([]);
    expect(await kvs.get(rankPointerKey('11'))).toBeUndefined();
    expect(await kvs.get(dirtyKey(P))).toBeDefined();
  });

  it('moves a requirement moved to another project and marks both projects', async () => {
    const kvs = new MemoryKeyValueStore();
    await placeInRanking(kvs, P, entry('11', counts(3, 1)), NOW);
    await kvs.delete(dirtyKey(P));
    await placeInRanking(kvs, OTHER, entry('11', counts(3, 1), 'OTHER-4'), NOW);
    expect(await keysOf(kvs, rankPrefix(P))).toEqual([]);
    expect(await keysOf(kvs, rankPrefix(OTHER))).toEqual([`critrank:${OTHER}:997:999:11`]);
    expect(await kvs.get(dirtyKey(P))).toBeDefined();
    expect(await kvs.get(dirtyKey(OTHER))).toBeDefined();
  });

  it('orders the ranking by most unproven, then most failing, then issue id', async () => {
    const kvs = new MemoryKeyValueStore();
    await placeInRanking(kvs, P, entry('5', counts(2, 2)), NOW);
    await placeInRanking(kvs, P, entry('6', counts(10, 0)), NOW);
    await placeInRanking(kvs, P, entry('7', counts(5, 2, 0)), NOW);
    await placeInRanking(kvs, P, entry('8', counts(5, 2, 3)), NOW);
    await placeInRanking(kvs, P, entry('9', counts(100, 0)), NOW);
    await placeInRanking(kvs, OTHER, entry('10', counts(50, 0)), NOW);
    const ranked = (await kvs.query(rankPrefix(P), { limit: 100 })).entries.map(
      ({ value }) => (value as RankEntry).issueId,
    );
    expect(ranked).toEqual(['9', '6', '8', '7', '5']);
  });

  it('refuses a project id that is not Jira’s numeric id (it would break the key layout)', async () => {
    const kvs = new MemoryKeyValueStore();
    await expect(placeInRanking(kvs, '10:0', entry('11', counts(1, 0)), NOW)).rejects.toThrow();
    expect(kvs.data.size).toBe(0);
  });
});

describe('dropFromRanking and the purge', () => {
  it('drops the entry from the named project only (an entry another project made meanwhile stays)', async () => {
    const kvs = new MemoryKeyValueStore();
    await placeInRanking(kvs, OTHER, entry('11', counts(3, 1)), NOW);
    await dropFromRanking(kvs, '11', NOW, P);
    expect(await keysOf(kvs, rankPrefix(OTHER))).toHaveLength(1);
    await kvs.delete(dirtyKey(OTHER));
    await dropFromRanking(kvs, '11', NOW, OTHER);
    expect(await keysOf(kvs, rankPrefix(OTHER))).toEqual([]);
    expect(await kvs.get(rankPointerKey('11'))).toBeUndefined();
    expect(await kvs.get(dirtyKey(OTHER))).toBeDefined();
  });

  it('forgetTraceability (disconnect purge) removes the requirement’s ranking entry with its records', async () => {
    const kvs = new MemoryKeyValueStore();
    const log = createCapturingLog();
    const { record } = updateCriteria(undefined, [{ text: 'It works', source: 'list' }], NOW.toISOString());
    const trace = traceRecordSchema.parse({
      version: TRACE_RECORD_VERSION,
      updatedAt: NOW.toISOString(),
      issueKey: 'DEMO-11',
      mappings: [],
      latest: [],
      plans: [],
    });
    await writeTraceability(kvs, { issueId: '11', criteria: record, trace });
    await placeInRanking(kvs, P, entry('11', counts(1, 0)), NOW);
    // The purge of another project leaves this project's entry (the issue moved here meanwhile).
    await forgetTraceability(kvs, log, '11', OTHER);
    expect(await keysOf(kvs, rankPrefix(P))).toHaveLength(1);
    await writeTraceability(kvs, { issueId: '11', criteria: record, trace });
    await forgetTraceability(kvs, log, '11', P);
    expect(await keysOf(kvs, rankPrefix(P))).toEqual([]);
    expect(await keysOf(kvs, 'critrankof:')).toEqual([]);
    expect(await kvs.get(traceKey('11'))).toBeUndefined();
  });
});

describe('project totals', () => {
  async function seeded(n: number) {
    const kvs = new MemoryKeyValueStore();
    for (let i = 1; i <= n; i += 1)
      await placeInRanking(kvs, P, entry(String(i), i % 4 === 0 ? counts(3, 3) : counts(3, 1, 1)), NOW);
    return kvs;
  }

  it('sums every entry, 100 per query, stores them and clears the mark', async () => {
    const kvs = await seeded(250);
    const platform = platformOf(kvs);
    const result = await refreshProjectTotals(platform, P);
    expect(result).toMatchObject({ outcome: 'computed', queries: 3, computedAt: NOW.toISOString() });
    // 62 of 250 have all 3 proven (i % 4 === 0); the other 188: 1 proven, 1 failing, 1 with no test.
    expect(result.totals).toEqual({
      requirements: 250,
      criteria: 750,
      proven: 62 * 3 + 188,
      failing: 188,
      stale: 0,
      changed: 0,
      notRun: 0,
      noTest: 188,
      unproven: 188 * 2,
      staleTests: 0,
    });
    expect(await readProjectTotals(kvs, P)).toEqual({ totals: result.totals, computedAt: NOW.toISOString() });
    expect(await kvs.get(dirtyKey(P))).toBeUndefined();
    expect(await refreshProjectTotals(platform, P)).toMatchObject({ outcome: 'current', queries: 0 });
  });

  it('keeps the mark when an entry changed while it was counting (the next run counts again)', async () => {
    const kvs = await seeded(150);
    const platform = {
      ...platformOf(kvs),
      kvs: Object.assign(Object.create(kvs) as MemoryKeyValueStore, {
        query: async (prefix: string, options?: { limit?: number; cursor?: string }) => {
          const page = await kvs.query(prefix, options);
          if (!options?.cursor) await placeInRanking(kvs, P, entry('151', counts(1, 0)), NOW);
          return page;
        },
      }),
    };
    expect((await refreshProjectTotals(platform, P)).outcome).toBe('computed');
    expect(await kvs.get(dirtyKey(P))).toBeDefined();
    expect((await refreshProjectTotals(platformOf(kvs), P)).totals?.requirements).toBe(151);
  });

  it('stops at the deadline and stores nothing (incomplete), and never throws on a store failure', async () => {
    const kvs = await seeded(120);
    let left = 1;
    const deadline = { remainingMs: () => (left-- > 0 ? 60_000 : 0) };
    const result = await refreshProjectTotals(platformOf(kvs), P, deadline, 1_000);
    expect(result).toMatchObject({ outcome: 'incomplete', queries: 1 });
    expect(result.totals?.requirements).toBe(100);
    expect(await kvs.get(totalsKey(P))).toBeUndefined();

    const broken = {
      ...platformOf(kvs),
      kvs: Object.assign(Object.create(kvs) as MemoryKeyValueStore, {
        get: () => Promise.reject(new Error('KVS down')),
      }),
    };
    expect(await refreshProjectTotals(broken, P)).toEqual({ outcome: 'failed', queries: 0 });
    expect(broken.log.lines.join('\n')).toContain('Could not compute the acceptance-criteria totals');
  });

  it('skips (and reports) an entry that does not parse', async () => {
    const kvs = await seeded(2);
    await kvs.set(`${rankPrefix(P)}000:000:99`, { bad: true });
    const log = createCapturingLog();
    const count = await countProjectTotals(kvs, log, P);
    expect(count.totals.requirements).toBe(2);
    expect(log.lines.join('\n')).toContain('do not parse');
  });
});

describe('saveTraceability keeps the ranking (the one writer)', () => {
  it('places the requirement, moves it when its counts change, and writes nothing when nothing changed', async () => {
    const world = createWorld({ now: () => NOW });
    const requirement = world.jiraStore.issue('DEMO-1');
    if (!requirement) throw new Error('no DEMO-1');
    const { record } = updateCriteria(
      undefined,
      [
        { text: 'A user signs in', source: 'list' },
        { text: 'A wrong password shows an error', source: 'list' },
      ],
      NOW.toISOString(),
    );
    const [first = ''] = record.criteria.map(({ id }) => id);
    const base = {
      version: TRACE_RECORD_VERSION,
      updatedAt: NOW.toISOString(),
      issueKey: 'DEMO-1',
      mappings: [],
      latest: [],
      plans: [],
    };
    const none = traceRecordSchema.parse(base);
    const kvs = world.platform.kvs;
    const saved = await saveTraceability(world.platform, {
      issueId: requirement.id,
      projectId: DEMO.project.id,
      criteria: record,
      previous: undefined,
      trace: none,
      living: undefined,
    });
    expect(saved.rankChanged).toBe(true);
    const key1 = rankKey(DEMO.project.id, requirement.id, counts(2, 0));
    expect(await keysOf(kvs, rankPrefix(DEMO.project.id))).toEqual([key1]);

    // Same content again: no Jira request, no storage write at all.
    const previous = traceRecordSchema.parse(await kvs.get(traceKey(requirement.id)));
    const writes = kvs.meter.writes;
    const again = await saveTraceability(world.platform, {
      issueId: requirement.id,
      projectId: DEMO.project.id,
      criteria: record,
      previous,
      trace: traceRecordSchema.parse({ ...base, ...(previous.indexed ? { indexed: previous.indexed } : {}) }),
      living: undefined,
    });
    expect(again).toMatchObject({ written: false, propertyWritten: false, rankChanged: false });
    expect(kvs.meter.writes).toBe(writes);

    // A passing test proves one criterion: the entry moves (one unproven fewer).
    const testIssue = world.jiraStore.issue('DEMO-5');
    if (!testIssue) throw new Error('no DEMO-5');
    const proved = traceRecordSchema.parse({
      ...base,
      mappings: [
        { testIssueId: testIssue.id, testKey: testIssue.key, criterionIds: [first], source: 'manual' },
      ],
      latest: [{ testIssueId: testIssue.id, status: 'PASSED' }],
      ...(previous.indexed ? { indexed: previous.indexed } : {}),
    });
    const moved = await saveTraceability(world.platform, {
      issueId: requirement.id,
      projectId: DEMO.project.id,
      criteria: record,
      previous,
      trace: proved,
      living: undefined,
    });
    expect(moved).toMatchObject({ written: true, propertyWritten: true, rankChanged: true });
    const key2 = rankKey(DEMO.project.id, requirement.id, { ...counts(2, 1), noTest: 1 });
    expect(await keysOf(kvs, rankPrefix(DEMO.project.id))).toEqual([key2]);
    expect(await kvs.get(key2)).toMatchObject({ issueKey: 'DEMO-1', counts: { proven: 1, unproven: 1 } });
  });
});

describe('through the sync and the disconnect purge', () => {
  it('a backfill ranks every requirement with criteria and computes the totals at its end; the purge forgets both', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain();
    const kvs = world.platform.kvs;
    const ranked = await keysOf(kvs, rankPrefix(DEMO.project.id));
    const withCriteria = [...kvs.data.keys()].filter((key) => key.startsWith('trace:'));
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.length).toBeLessThanOrEqual(withCriteria.length);
    // The end of the run computed the totals and cleared the mark.
    const totals = await readProjectTotals(kvs, DEMO.project.id);
    expect(totals?.totals.requirements).toBe(ranked.length);
    expect(await kvs.get(dirtyKey(DEMO.project.id))).toBeUndefined();

    data(await world.invoke('disconnect', {}));
    await world.platform.queue.drain();
    expect([...kvs.data.keys()].filter((key) => key.startsWith('crit'))).toEqual([]);
    expect(world.platform.queue.failures).toEqual([]);
  });
});

describe('the ranking under any sequence of saves and drops (property; seed printed at the start of the run)', () => {
  const projects = [P, OTHER] as const;
  const countsArbitrary = fc
    .record({ criteria: fc.integer({ min: 0, max: 6 }), proven: fc.nat(6), failing: fc.nat(6) })
    .map(({ criteria, proven, failing }) => {
      const p = Math.min(proven, criteria);
      return counts(criteria, p, Math.min(failing, criteria - p));
    });
  const operation = fc.oneof(
    fc.record({
      kind: fc.constant('place' as const),
      issueId: fc.integer({ min: 1, max: 6 }).map(String),
      project: fc.constantFrom(...projects),
      counts: countsArbitrary,
    }),
    fc.record({
      kind: fc.constant('drop' as const),
      issueId: fc.integer({ min: 1, max: 6 }).map(String),
      project: fc.option(fc.constantFrom(...projects), { nil: undefined }),
    }),
  );

  it('holds exactly the model’s entries, in rank order, with matching pointers and totals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 30 }), async (operations) => {
        const kvs = new MemoryKeyValueStore();
        const model = new Map<string, { project: string; counts: CriteriaSummary }>();
        for (const op of operations) {
          if (op.kind === 'place') {
            await placeInRanking(kvs, op.project, entry(op.issueId, op.counts), NOW);
            if (op.counts.criteria > 0) model.set(op.issueId, { project: op.project, counts: op.counts });
            else model.delete(op.issueId);
          } else {
            await dropFromRanking(kvs, op.issueId, NOW, op.project);
            const held = model.get(op.issueId);
            if (held && (op.project === undefined || held.project === op.project)) model.delete(op.issueId);
          }
        }
        for (const project of projects) {
          const expected = [...model.entries()]
            .filter(([, held]) => held.project === project)
            .sort(
              ([a, x], [b, y]) =>
                y.counts.unproven - x.counts.unproven ||
                y.counts.failing - x.counts.failing ||
                (a < b ? -1 : a > b ? 1 : 0),
            )
            .map(([issueId]) => issueId);
          const stored = (await kvs.query(rankPrefix(project), { limit: 100 })).entries.map(
            ({ value }) => (value as RankEntry).issueId,
          );
          expect(stored).toEqual(expected);
          const { totals } = await countProjectTotals(kvs, createCapturingLog(), project);
          expect(totals.requirements).toBe(expected.length);
          expect(totals.unproven).toBe(
            expected.reduce((sum, issueId) => sum + (model.get(issueId)?.counts.unproven ?? 0), 0),
          );
        }
        const pointers = (await kvs.query('critrankof:', { limit: 100 })).entries.map(({ key }) =>
          key.slice('critrankof:'.length),
        );
        expect(pointers.sort()).toEqual([...model.keys()].sort());
      }),
    );
  });
});
