/**
 * The audit trail's store (src/audit/store.ts): one write per entry, newest first, filters, paging
 * with a cursor bound to its project, retention and the cap pruned in bounded steps, nothing that
 * is not an id, key, count, hash, host or outcome ever stored.
 */
import { auditEntrySchema, documentSources } from '../../../src/audit/entry';
import {
  AUDIT_CAP,
  auditKey,
  auditPrefix,
  listAudit,
  pruneAudit,
  rangePrefixes,
  recordAudit,
  retentionDaysOf,
  type NewAuditEntry,
} from '../../../src/audit/store';
import { isAppError } from '../../../src/errors';
import { createCapturingLog, MemoryKeyValueStore } from '../../harness/local-platform';

const DAY = 86_400_000;

function platformAt(start: string) {
  let now = Date.parse(start);
  const kvs = new MemoryKeyValueStore();
  const log = createCapturingLog();
  return {
    kvs,
    log,
    clock: { now: () => new Date(now), sleep: () => Promise.resolve() },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const entry = (key: string, patch: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  direction: 'sent',
  actor: { kind: 'user', accountId: '5b10a2844c20165700ede21g' },
  requirement: { id: '10001', key },
  sources: ['description', 'tests'],
  redactions: { email: 2 },
  bytes: 1234,
  contentHash: 'a'.repeat(64),
  host: 'api.sqai-suite.com',
  outcome: 'pushed',
  ...patch,
});

describe('audit store', () => {
  it('records one entry with one write and lists entries newest first', async () => {
    const p = platformAt('2026-12-01T10:00:00Z');
    const writes = p.kvs.meter.writes;
    const first = await recordAudit(p, '10000', entry('DEMO-1'));
    expect(p.kvs.meter.writes - writes).toBe(1);
    expect(first).toBeDefined();
    p.advance(1_000);
    await recordAudit(p, '10000', entry('DEMO-2'));
    p.advance(DAY);
    await recordAudit(p, '10000', entry('DEMO-3'));
    const page = await listAudit(p, '10000', {}, undefined, 10);
    expect(page.entries.map((e) => e.requirement.key)).toEqual(['DEMO-3', 'DEMO-2', 'DEMO-1']);
    expect(page.nextCursor).toBeUndefined();
    for (const e of page.entries) expect(auditEntrySchema.safeParse(e).success).toBe(true);
  });

  it('keys sort by time, newest first, across days and within a day', () => {
    const a = auditKey('1', new Date('2026-12-01T23:59:59.999Z'), 'aaaaaaaaaaaa');
    const b = auditKey('1', new Date('2026-12-02T00:00:00.000Z'), 'aaaaaaaaaaaa');
    const c = auditKey('1', new Date('2026-12-02T00:00:00.001Z'), 'aaaaaaaaaaaa');
    expect([a, b, c].sort()).toEqual([c, b, a]);
  });

  it('pages with a cursor, filters by direction, issue key and dates, reading a bounded number of queries', async () => {
    const p = platformAt('2026-11-01T12:00:00Z');
    for (let day = 0; day < 20; day += 1) {
      await recordAudit(p, '10000', entry(`DEMO-${day % 4}`));
      await recordAudit(
        p,
        '10000',
        entry(`DEMO-${day % 4}`, { direction: 'received', actor: { kind: 'sqai' } }),
      );
      p.advance(DAY);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAudit(p, '10000', {}, cursor, 7);
      expect(page.entries.length).toBeLessThanOrEqual(7);
      expect(page.queries).toBeLessThanOrEqual(25);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);

    const received = await listAudit(p, '10000', { direction: 'received' }, undefined, 100);
    expect(received.entries).toHaveLength(20);
    expect(received.entries.every((e) => e.direction === 'received')).toBe(true);
    const byKey = await listAudit(p, '10000', { issueKey: 'demo-1' }, undefined, 100);
    expect(byKey.entries).toHaveLength(10);
    const range = await listAudit(p, '10000', { from: '2026-11-03', to: '2026-11-05' }, undefined, 100);
    expect(range.entries).toHaveLength(6);
    expect(range.entries.every((e) => e.at >= '2026-11-03' && e.at < '2026-11-06')).toBe(true);
  });

  it('a cursor of one project is refused for another, and no other project’s entry is ever listed', async () => {
    const p = platformAt('2026-12-01T10:00:00Z');
    for (let i = 0; i < 5; i += 1) {
      await recordAudit(p, '10000', entry('DEMO-1'));
      await recordAudit(p, '10001', entry('OTHER-1'));
      p.advance(60_000);
    }
    const page = await listAudit(p, '10000', {}, undefined, 2);
    expect(page.nextCursor).toBeDefined();
    const error: unknown = await listAudit(p, '10001', {}, page.nextCursor, 2).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('VALIDATION');
    // A cursor of the same project with other filters is refused too.
    const other: unknown = await listAudit(p, '10000', { direction: 'sent' }, page.nextCursor, 2).catch(
      (e: unknown) => e,
    );
    expect(isAppError(other) && other.code).toBe('VALIDATION');
    // A forged cursor naming this project but carrying another project's store position lists only ours.
    const forged = Buffer.from(
      JSON.stringify({ v: 1, p: '10000', f: '|||', r: [0, 99999], i: 0, c: `${auditPrefix('10001')}` }),
    ).toString('base64url');
    const listed = await listAudit(p, '10000', {}, forged, 100);
    expect(listed.entries.every((e) => e.requirement.key === 'DEMO-1')).toBe(true);
    const all = await listAudit(p, '10000', {}, undefined, 100);
    expect(all.entries).toHaveLength(5);
    expect(all.entries.every((e) => e.requirement.key === 'DEMO-1')).toBe(true);
  });

  it('hides and prunes entries past the retention, in bounded steps, then reads one or two prefixes', async () => {
    const p = platformAt('2026-06-01T10:00:00Z');
    for (let day = 0; day < 40; day += 1) {
      await recordAudit(p, '10000', entry('DEMO-1'));
      p.advance(DAY);
    }
    // 40 days of entries, retention 10 days: the listing shows only the last 10 days.
    const listed = await listAudit(p, '10000', {}, undefined, 100, 10);
    expect(listed.entries).toHaveLength(10);
    const first = await pruneAudit(p, '10000', 10);
    expect(first.retentionDone).toBe(true);
    expect(first.deleted).toBe(30);
    expect([...p.kvs.data.keys()].filter((k) => k.startsWith('audit:10000:'))).toHaveLength(10);
    // The next day's prune reads only the day that expired (plus the cap's sweep).
    await recordAudit(p, '10000', entry('DEMO-1'));
    p.advance(DAY);
    const next = await pruneAudit(p, '10000', 10);
    expect(next.deleted).toBe(1);
    expect(next.queries).toBeLessThanOrEqual(4);
  });

  it('keeps at most the cap: a sweep deletes what is past the newest `cap` entries, never one of them', async () => {
    const p = platformAt('2026-06-01T10:00:00Z');
    const cap = 150;
    const ids: string[] = [];
    for (let i = 0; i < 400; i += 1) {
      const stored = await recordAudit(p, '10000', entry('DEMO-1'));
      if (stored) ids.push(stored.id);
      p.advance(1_000);
    }
    let rounds = 0;
    while ([...p.kvs.data.keys()].filter((k) => k.startsWith('audit:10000:')).length > cap && rounds < 10) {
      await pruneAudit(p, '10000', 90, cap);
      rounds += 1;
    }
    const kept = (await listAudit(p, '10000', {}, undefined, 100)).entries.map((e) => e.id);
    expect([...p.kvs.data.keys()].filter((k) => k.startsWith('audit:10000:'))).toHaveLength(cap);
    expect(kept).toEqual(ids.slice(-100).reverse());
    expect(AUDIT_CAP).toBe(20_000);
  });

  it('refuses to store anything that is not an id, key, count, hash, host or outcome (and never throws)', async () => {
    const p = platformAt('2026-12-01T10:00:00Z');
    const secretish = 'Bearer sk_live_0123456789abcdef jane@example.com';
    const bad: NewAuditEntry[] = [
      entry(secretish),
      entry('DEMO-1', { host: secretish }),
      entry('DEMO-1', { outcome: `failed (${secretish})` }),
      entry('DEMO-1', { redactions: { [secretish]: 1 } }),
      entry('DEMO-1', { contentHash: secretish }),
      entry('DEMO-1', { actor: { kind: 'user', accountId: secretish } }),
    ];
    for (const e of bad) await expect(recordAudit(p, '10000', e)).resolves.toBeUndefined();
    expect([...p.kvs.data.keys()].filter((k) => k.startsWith('audit:'))).toHaveLength(0);
    expect(p.log.lines.join('\n')).not.toContain('sk_live');
    expect(p.log.lines.join('\n')).not.toContain('jane@example.com');
    // A store failure is logged, counted and swallowed.
    p.kvs.set = () => Promise.reject(new Error('KVS down'));
    await expect(recordAudit(p, '10000', entry('DEMO-1'))).resolves.toBeUndefined();
  });

  it('covers a day range with the fewest decimal prefixes, exactly', () => {
    for (const [lo, hi] of [
      [79573, 79663],
      [0, 99999],
      [12345, 12345],
      [79999, 80000],
    ] as const) {
      const prefixes = rangePrefixes(lo, hi);
      const covered = new Set<number>();
      for (const prefix of prefixes) {
        const span = 10 ** (5 - prefix.length);
        const start = prefix === '' ? 0 : Number(prefix) * span;
        for (let n = start; n < start + span; n += 1) covered.add(n);
      }
      expect(covered.size).toBe(hi - lo + 1);
      expect(Math.min(...covered)).toBe(lo);
      expect(Math.max(...covered)).toBe(hi);
      expect(prefixes.length).toBeLessThanOrEqual(90);
    }
    expect(rangePrefixes(0, 99999)).toEqual(['']);
  });

  it('reads the retention from the settings defensively (absent or invalid: 90 days)', () => {
    expect(retentionDaysOf(null)).toBe(90);
    expect(retentionDaysOf({})).toBe(90);
    expect(retentionDaysOf({ dataControls: { auditRetentionDays: 30 } })).toBe(30);
    expect(retentionDaysOf({ dataControls: { auditRetentionDays: -1 } })).toBe(90);
  });

  it('names a document’s non-empty sources', () => {
    expect(
      documentSources({
        requirement: { description: 'x', criteria: [] },
        linkedIssues: [{}],
        remoteLinks: [],
        linkedPages: [{}],
        xray: { tests: [{ latestRun: { status: 'PASSED' } }], testExecutions: [] },
      }),
    ).toEqual(['description', 'linkedIssues', 'linkedPages', 'tests', 'results']);
    expect(documentSources(null)).toEqual([]);
  });
});
