/**
 * The record of watched Confluence pages (src/sync/watched-pages.ts): what a build's page reads
 * become, how a batch replaces and drops requirements, the caps (pages and bytes) and what happens
 * past them, the zod check of what is read back, and the look's verdicts (edited, gone, back, reread).
 */
import type { PageRead } from '../../../src/clients/confluence';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';
import type { ConfluenceTransport } from '../../../src/platform/ports';
import { jsonBytes } from '../../../src/platform/storage-bounds';
import {
  applyBatch,
  MAX_WATCHED_PAGES,
  NOT_READABLE,
  pageStatesOf,
  READ_FAILED,
  WATCH_MAX_BYTES,
  watchKey,
  WatchedPages,
  type PageState,
  type WatchRecord,
} from '../../../src/sync/watched-pages';
import { createConfluenceSimulator } from '../../harness/confluence-sim/simulator';
import { ConfluenceStore } from '../../harness/confluence-sim/store';
import { doc, p } from '../../harness/fixtures/adf';
import { createCapturingLog, MemoryKeyValueStore, toHttpResponse } from '../../harness/local-platform';

const empty = (): WatchRecord => ({ version: 1, requirements: {}, refused: 0 });
const page = (id: string, version?: number): PageRead => ({
  ok: true,
  page: { id, title: id, spaceId: '1', updated: null, adf: null, ...(version ? { version } : {}) },
});

describe('pageStatesOf', () => {
  it('a read page at its version; 404/no access not readable; no answer read-failed; too large at its version if known', () => {
    const reads = new Map<string, PageRead>([
      ['30', page('30', 4)],
      ['10', { ok: false, reason: 'notFoundOrRestricted' }],
      ['11', { ok: false, reason: 'noAccess' }],
      ['12', { ok: false, reason: 'unavailable' }],
      ['13', { ok: false, reason: 'tooLarge', version: 7 }],
      ['14', { ok: false, reason: 'tooLarge' }],
      ['15', page('15')],
    ]);
    expect(pageStatesOf(reads)).toEqual([
      ['10', NOT_READABLE],
      ['11', NOT_READABLE],
      ['12', READ_FAILED],
      ['13', 7],
      ['15', READ_FAILED],
      ['30', 4],
    ]);
  });
});

describe('applyBatch', () => {
  it('replaces a rebuilt requirement’s pages, drops one with none or removed, keeps the rest', () => {
    const record: WatchRecord = {
      version: 1,
      requirements: { '1': [['100', 1]], '2': [['100', 1]], '3': [['200', 5]] },
      refused: 0,
    };
    const next = applyBatch(
      record,
      new Map<string, PageState[]>([
        ['1', [['100', 2]]],
        ['2', []],
        ['4', [['300', 1]]],
      ]),
      ['3'],
    );
    expect(next).toEqual({
      record: { version: 1, requirements: { '1': [['100', 2]], '4': [['300', 1]] }, refused: 0 },
      refusedNow: 0,
    });
  });

  it(`at most ${MAX_WATCHED_PAGES} distinct pages: a requirement adding more is not watched (counted), one reusing watched pages is`, () => {
    const built = new Map<string, PageState[]>(
      Array.from({ length: MAX_WATCHED_PAGES }, (_, i) => [String(i + 1), [[String(100_000 + i), 1]]]),
    );
    const full = applyBatch(empty(), built, []);
    expect(Object.keys(full.record.requirements)).toHaveLength(MAX_WATCHED_PAGES);
    const next = applyBatch(
      full.record,
      new Map<string, PageState[]>([
        ['5000', [['999999', 1]]],
        ['5001', [['100000', 1]]],
      ]),
      [],
    );
    expect(next.refusedNow).toBe(1);
    expect(next.record.refused).toBe(1);
    expect(next.record.requirements['5000']).toBeUndefined();
    expect(next.record.requirements['5001']).toEqual([['100000', 1]]);
    // A requirement that leaves with the one page only it used makes room again (requirement 1's page
    // 100000 is still used by 5001).
    const room = applyBatch(next.record, new Map([['5000', [['999999', 1]] as PageState[]]]), ['2']);
    expect(room.record.requirements['5000']).toEqual([['999999', 1]]);
  });

  it(`the record stays under Forge’s 240 KiB: the longest ids, 10 pages each, stop at ${WATCH_MAX_BYTES} bytes`, async () => {
    const pages: PageState[] = Array.from({ length: 10 }, (_, i) => [
      String(8_999_999_999_999_999_000n + BigInt(i)),
      2_147_483_647,
    ]);
    const built = new Map<string, PageState[]>(
      Array.from({ length: 1_000 }, (_, i) => [String(1_000_000_000_000_000_000n + BigInt(i)), pages]),
    );
    const { record, refusedNow } = applyBatch(empty(), built, []);
    const kept = Object.keys(record.requirements).length;
    expect(kept).toBeGreaterThan(600);
    expect(refusedNow).toBe(1_000 - kept);
    expect(jsonBytes(record)).toBeLessThanOrEqual(WATCH_MAX_BYTES);
    expect(jsonBytes(record)).toBeGreaterThan(WATCH_MAX_BYTES - 400);
    // Forge's store (the harness refuses what Forge refuses) takes it.
    const kvs = new MemoryKeyValueStore();
    const log = createCapturingLog();
    const stored = await new WatchedPages(kvs, log).recordBatch('10000', built);
    expect(jsonBytes(await kvs.get(watchKey('10000')))).toBeLessThan(KVS_MAX_VALUE_BYTES);
    expect(stored.refused).toBe(refusedNow);
    expect(log.lines.join('\n')).toMatch(/not watched: the record is full/);
  });
});

describe('WatchedPages', () => {
  function setUp() {
    const store = new ConfluenceStore('https://demo-site.atlassian.net');
    store.addSpace({ id: '1', key: 'S', name: 'S' });
    for (const id of ['101', '102', '103', '104', '105']) {
      store.addPage({
        id,
        spaceId: '1',
        title: id,
        adf: doc(p(id)),
        authorId: 'a',
        createdAt: '2026-01-01T00:00:00.000Z',
        version: { number: 3, createdAt: '2026-01-01T00:00:00.000Z', authorId: 'a' },
      });
    }
    const sim = createConfluenceSimulator({ store });
    const confluence: ConfluenceTransport = {
      request: async (path, init) =>
        toHttpResponse(await sim.handle({ method: init.method ?? 'GET', path, actor: { as: 'app' } })),
    };
    const kvs = new MemoryKeyValueStore();
    const log = createCapturingLog();
    return { store, sim, confluence, kvs, log, watched: new WatchedPages(kvs, log) };
  }

  it('nothing watched: no request', async () => {
    const { sim, confluence, watched } = setUp();
    expect(await watched.changedByPages('10000', confluence)).toEqual({ changed: [], pages: 0, requests: 0 });
    expect(sim.requests).toEqual([]);
  });

  it('edited, gone, back and reread: each requirement once, with its first changed page', async () => {
    const { store, sim, confluence, watched } = setUp();
    await watched.recordBatch(
      '10000',
      new Map<string, PageState[]>([
        ['1', [['101', 3]]],
        [
          '2',
          [
            ['102', 3],
            ['103', 3],
          ],
        ],
        ['3', [['104', NOT_READABLE]]],
        ['4', [['105', READ_FAILED]]],
        ['5', [['101', 4]]],
        ['6', [['999', NOT_READABLE]]],
      ]),
    );
    store.editPage('101', { at: new Date('2026-02-01T00:00:00Z') });
    store.deletePage('103');
    const look = await watched.changedByPages('10000', confluence);
    expect(look).toEqual({
      changed: [
        { issueId: '1', pageId: '101', change: 'edited' },
        { issueId: '2', pageId: '103', change: 'gone' },
        { issueId: '3', pageId: '104', change: 'back' },
        { issueId: '4', pageId: '105', change: 'reread' },
      ],
      pages: 6,
      requests: 1,
    });
    // Requirement 5 read version 4 (the one there is now); 6's page is still not there.
    expect(sim.violations).toEqual([]);
  });

  it('a failed look changes nothing and says so; an unreadable record is read as empty', async () => {
    const { sim, confluence, kvs, log, watched } = setUp();
    await watched.recordBatch('10000', new Map<string, PageState[]>([['1', [['101', 1]]]]));
    sim.failNext({ status: 500, count: 2 });
    expect(await watched.changedByPages('10000', confluence)).toEqual({ changed: [], pages: 1, requests: 1 });
    expect(log.lines.join('\n')).toMatch(/Could not look at the linked Confluence pages/);
    await kvs.set(watchKey('10000'), { version: 1, requirements: { '1': [['not-an-id', 1]] }, refused: 0 });
    expect(await watched.read('10000')).toEqual(empty());
  });
});
