/**
 * Issue 14 item 4, "Storage bounds", for the sync's stored structures (properties, seed printed):
 * the retry set (split across keys, nothing waiting ever dropped), the per-issue sync state and its
 * history, the run record and the run's work list — each at its maximum (most entries, longest
 * texts in the characters JSON makes largest), each value within Forge's 240 KiB as the in-memory
 * store measures it (it refuses a larger write as Forge does), each read back as written.
 */
import fc from 'fast-check';
import type { KeyValueStore, KeyValuePage } from '../../../src/platform/ports';
import { clipText, ERROR_TEXT_BYTES, jsonBytes } from '../../../src/platform/storage-bounds';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';
import {
  boundRun,
  GAVE_UP_KEPT,
  MAX_ATTEMPTS,
  RETRY_PAGE_BYTES,
  RETRY_TEXT_BYTES,
  RunStore,
  runKeys,
  WORK_CHUNK,
  type RetryEntry,
  type SyncRun,
} from '../../../src/sync/run-store';
import { HISTORY_LIMIT, SyncStateStore, syncStateKey, type SyncAttempt } from '../../../src/sync/state';
import { MemoryKeyValueStore } from '../../harness/local-platform';
import { WORST_CHAR, worstText } from '../platform/worst-text';

const PROJECT = '10000';
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
/** A Jira issue id at its longest (19 digits), one per `n`. */
const issueIdOf = (n: number) => (10n ** 18n + BigInt(n)).toString();

/** A store that fails every write after `writesLeft` (a consumer Forge ends mid-update). */
class CuttableStore implements KeyValueStore {
  writesLeft = Number.POSITIVE_INFINITY;
  constructor(readonly inner: MemoryKeyValueStore) {}
  get(key: string): Promise<unknown> {
    return this.inner.get(key);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.spend();
    await this.inner.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.spend();
    await this.inner.delete(key);
  }
  claim(key: string, value: unknown): Promise<boolean> {
    return this.inner.claim(key, value);
  }
  query(prefix: string, options?: { limit?: number; cursor?: string }): Promise<KeyValuePage> {
    return this.inner.query(prefix, options);
  }
  private spend(): void {
    if (this.writesLeft <= 0) throw new Error('the consumer was ended');
    this.writesLeft -= 1;
  }
}

const retryKeys = (kvs: MemoryKeyValueStore) =>
  [...kvs.data.keys()].filter(
    (key) => key === runKeys.retry(PROJECT) || key.startsWith(`${runKeys.retry(PROJECT)}:`),
  );
const largest = (kvs: MemoryKeyValueStore, keys: string[]) =>
  Math.max(0, ...keys.map((key) => jsonBytes(kvs.data.get(key))));

type Failure = Omit<RetryEntry, 'attempts' | 'gaveUp'>;

const POOL = 3_000;
const failureArb = (minute: number): fc.Arbitrary<Failure> =>
  fc
    .record({
      n: fc.nat({ max: POOL - 1 }),
      key: fc.option(worstText(255), { nil: undefined }),
      // SQAI's reason (≤ 200 characters) in its message, or any other error's text at length.
      message: fc.oneof(
        worstText(200).map((reason) => `SQAI refused DEMO-1: ${reason}`),
        worstText(3_000, { shorter: true }),
      ),
      remedy: fc.oneof(fc.constant('Check the SQAI endpoint URL.'), worstText(1_500)),
    })
    .map(({ n, key, message, remedy }) => ({
      issueId: issueIdOf(n),
      ...(key === undefined ? {} : { issueKey: key }),
      lastError: { code: 'SQAI_REJECTED', message, remedy },
      lastAt: at(minute),
    }));

interface Batch {
  failed: Failure[];
  succeeded: number[];
  removed: number[];
  /** Most successes of what is parked (holes in every page: the pages are packed again). */
  drainKeepEvery?: number;
  cutAfterWrites?: number;
}

const batchesArb: fc.Arbitrary<Batch[]> = fc.array(fc.nat(), { minLength: 1, maxLength: 8 }).chain((seeds) =>
  fc.tuple(
    ...seeds.map((_, minute) =>
      fc.record({
        failed: fc.array(failureArb(minute), { maxLength: 300, size: 'max' }),
        succeeded: fc.array(fc.nat({ max: POOL - 1 }), { maxLength: 100, size: 'max' }),
        removed: fc.array(fc.nat({ max: POOL - 1 }), { maxLength: 30, size: 'max' }),
        drainKeepEvery: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 4 },
          { arbitrary: fc.integer({ min: 2, max: 20 }), weight: 1 },
        ),
        cutAfterWrites: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 2 },
          { arbitrary: fc.nat({ max: 6 }), weight: 1 },
        ),
      }),
    ),
  ),
);

interface Expected {
  attempts: number;
  gaveUp: boolean;
  failure: Failure;
}

describe('storage bounds: the sync retry set (property)', () => {
  it('every page within 240 KiB; every waiting requirement kept, attempts counted; even when a write is cut off (seed printed)', async () => {
    let mostPages = 0;
    let mostEntries = 0;
    let cuts = 0;
    await fc.assert(
      fc.asyncProperty(batchesArb, async (batches) => {
        const memory = new MemoryKeyValueStore();
        const kvs = new CuttableStore(memory);
        const runs = new RunStore(kvs);
        const model = new Map<string, Expected>();
        for (const batch of batches) {
          const failed = [...new Map(batch.failed.map((f) => [f.issueId, f])).values()];
          const failing = new Set(failed.map((f) => f.issueId));
          const parked = [...model.keys()];
          const drained =
            batch.drainKeepEvery === undefined
              ? []
              : parked.filter((_, index) => index % (batch.drainKeepEvery ?? 1) !== 0);
          const succeeded = [...batch.succeeded.map(issueIdOf), ...drained].filter((id) => !failing.has(id));
          const removed = batch.removed.map(issueIdOf).filter((id) => !failing.has(id));
          const outcome = { succeeded, failed, removed };
          const untouched = [...model.entries()].filter(
            ([id]) => !failing.has(id) && !succeeded.includes(id) && !removed.includes(id),
          );

          let cut = false;
          if (batch.cutAfterWrites !== undefined) {
            kvs.writesLeft = batch.cutAfterWrites;
            cut = await runs.updateRetries(PROJECT, outcome).then(
              () => false,
              () => true,
            );
            kvs.writesLeft = Number.POSITIVE_INFINITY;
            if (cut) {
              cuts += 1;
              // Cut off mid-update: nothing the batch did not touch is lost, and the batch is done again.
              const read = new Map((await runs.retries(PROJECT)).map((entry) => [entry.issueId, entry]));
              for (const [id, expected] of untouched) expect(read.get(id)?.attempts).toBe(expected.attempts);
              await runs.updateRetries(PROJECT, outcome);
            }
          } else {
            await runs.updateRetries(PROJECT, outcome);
          }

          for (const id of [...succeeded, ...removed]) model.delete(id);
          for (const failure of failed) {
            const attempts = (model.get(failure.issueId)?.attempts ?? 0) + 1;
            model.set(failure.issueId, { attempts, gaveUp: attempts >= MAX_ATTEMPTS, failure });
          }

          const keys = retryKeys(memory);
          expect(largest(memory, keys)).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
          const entries = await runs.retries(PROJECT);
          const read = new Map(entries.map((entry) => [entry.issueId, entry]));
          expect(read.size).toBe(entries.length);
          expect([...read.keys()].sort()).toEqual([...model.keys()].sort());
          for (const [id, expected] of model) {
            const entry = read.get(id);
            // A batch done twice after a cut may have counted its failures twice.
            const extra = cut && failing.has(id) ? (entry?.attempts ?? 0) - expected.attempts : 0;
            expect(extra === 0 || extra === 1).toBe(true);
            if (extra === 1) model.set(id, { ...expected, attempts: expected.attempts + 1 });
            expect(entry?.attempts).toBe(model.get(id)?.attempts);
            expect(entry?.gaveUp).toBe((model.get(id)?.attempts ?? 0) >= MAX_ATTEMPTS);
            if (failing.has(id)) {
              expect(entry?.lastError.message).toBe(
                clipText(expected.failure.lastError.message, RETRY_TEXT_BYTES.message),
              );
              expect(entry?.lastError.remedy).toBe(
                clipText(expected.failure.lastError.remedy, RETRY_TEXT_BYTES.remedy),
              );
              expect(entry?.issueKey).toBe(
                expected.failure.issueKey === undefined
                  ? undefined
                  : clipText(expected.failure.issueKey, RETRY_TEXT_BYTES.issueKey),
              );
            }
          }
          expect(entries.map((entry) => entry.lastAt)).toEqual(
            entries
              .map((entry) => entry.lastAt)
              .sort()
              .reverse(),
          );
          const summary = await runs.retrySummary(PROJECT);
          const waiting = entries.filter((entry) => !entry.gaveUp).length;
          expect(summary).toMatchObject({ waiting, gaveUp: entries.length - waiting, forgotten: 0 });
          // Pages stay reasonably full: packed again past twice the fewest that could hold them plus
          // one (a packing that would move an entry forward waits for the next update).
          const needed = Math.max(1, Math.ceil(jsonBytes(entries) / RETRY_PAGE_BYTES));
          expect(keys.length).toBeLessThanOrEqual(2 * needed + 3);
          mostPages = Math.max(mostPages, keys.length);
          mostEntries = Math.max(mostEntries, entries.length);
        }
      }),
      { numRuns: 20 },
    );
    // The cases reach sets several values large and cut writes off (packing: the next test).
    expect(mostPages).toBeGreaterThan(2);
    expect(mostEntries).toBeGreaterThan(600);
    expect(cuts).toBeGreaterThan(5);
  }, 120_000);

  it('at its maximum: 5,000 waiting requirements with every text at its bound — 38 pages, each within 240 KiB, all read back', async () => {
    const kvs = new MemoryKeyValueStore();
    const runs = new RunStore(kvs);
    const worst = (bytes: number) => WORST_CHAR.repeat(bytes);
    for (let batch = 0; batch < 10; batch += 1) {
      await runs.updateRetries(PROJECT, {
        succeeded: [],
        failed: Array.from({ length: 500 }, (_, index) => ({
          issueId: issueIdOf(batch * 500 + index),
          issueKey: worst(300),
          lastError: { code: 'SQAI_REJECTED', message: worst(2_000), remedy: worst(1_000) },
          lastAt: at(batch),
        })),
      });
    }
    const keys = retryKeys(kvs);
    expect(largest(kvs, keys)).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
    const entries = await runs.retries(PROJECT);
    expect(entries).toHaveLength(5_000);
    const entryBytes = Math.max(...entries.map((entry) => jsonBytes(entry)));
    // One entry at its largest: the clipped texts and a 19-digit id, 1,820 bytes; 134 to a page.
    expect(entryBytes).toBe(1_820);
    expect(Math.floor((RETRY_PAGE_BYTES - 2) / (entryBytes + 1))).toBe(134);
    expect(keys).toHaveLength(Math.ceil(5_000 / 134));
    expect(await runs.retrySummary(PROJECT)).toMatchObject({ waiting: 5_000, gaveUp: 0 });

    // Retried and delivered: the set shrinks back to one (empty) page; no page key is left behind.
    for (let batch = 0; batch < 10; batch += 1) {
      await runs.updateRetries(PROJECT, {
        succeeded: Array.from({ length: 500 }, (_, index) => issueIdOf(batch * 500 + index)),
        failed: [],
      });
    }
    expect(await runs.retries(PROJECT)).toEqual([]);
    expect(retryKeys(kvs)).toEqual([runKeys.retry(PROJECT)]);
  }, 60_000);

  it('packs emptied pages again; cut off after any number of its writes, it loses no entry', async () => {
    const failure = (n: number): Failure => ({
      issueId: issueIdOf(n),
      issueKey: `DEMO-${n}`,
      lastError: { code: 'SQAI_REJECTED', message: WORST_CHAR.repeat(170), remedy: 'Fix it.' },
      lastAt: at(n),
    });
    const seed = async (kvs: KeyValueStore) => {
      const runs = new RunStore(kvs);
      for (let batch = 0; batch < 6; batch += 1)
        await runs.updateRetries(PROJECT, {
          succeeded: [],
          failed: Array.from({ length: 250 }, (_, n) => failure(batch * 250 + n)),
        });
      return runs;
    };
    // Every tenth requirement is still failing; the rest went through.
    const drain = {
      succeeded: Array.from({ length: 1_500 }, (_, n) => n)
        .filter((n) => n % 10 !== 0)
        .map(issueIdOf),
      failed: [],
    };
    const kept = Array.from({ length: 150 }, (_, n) => issueIdOf(n * 10)).sort();

    const reference = new MemoryKeyValueStore();
    const runs = await seed(reference);
    const before = retryKeys(reference).length;
    expect(before).toBeGreaterThanOrEqual(4);
    const writesBefore = reference.meter.writes;
    await runs.updateRetries(PROJECT, drain);
    const writes = reference.meter.writes - writesBefore;
    expect(retryKeys(reference)).toHaveLength(1);
    expect((await runs.retries(PROJECT)).map((entry) => entry.issueId).sort()).toEqual(kept);

    for (let cutAfter = 0; cutAfter < writes; cutAfter += 1) {
      const memory = new MemoryKeyValueStore();
      const kvs = new CuttableStore(memory);
      const cutRuns = await seed(kvs);
      kvs.writesLeft = cutAfter;
      await expect(cutRuns.updateRetries(PROJECT, drain)).rejects.toThrow('the consumer was ended');
      kvs.writesLeft = Number.POSITIVE_INFINITY;
      const read = new Set((await cutRuns.retries(PROJECT)).map((entry) => entry.issueId));
      for (const id of kept) expect(read.has(id)).toBe(true);
      // The batch done again finishes the job.
      await cutRuns.updateRetries(PROJECT, drain);
      expect((await cutRuns.retries(PROJECT)).map((entry) => entry.issueId).sort()).toEqual(kept);
      expect(largest(memory, retryKeys(memory))).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
    }
  });

  it(`keeps the ${GAVE_UP_KEPT} most recent gave-up requirements, counts the ones let go, never drops a waiting one`, async () => {
    const kvs = new MemoryKeyValueStore();
    const runs = new RunStore(kvs);
    const failure = (n: number, minute: number): Failure => ({
      issueId: issueIdOf(n),
      issueKey: `DEMO-${n}`,
      lastError: { code: 'SQAI_REJECTED', message: 'SQAI refused it', remedy: 'Fix it.' },
      lastAt: at(minute),
    });
    // 700 requirements fail five times (given up on), the first 100 earliest; 300 more once.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await runs.updateRetries(PROJECT, {
        succeeded: [],
        failed: Array.from({ length: 700 }, (_, n) => failure(n, attempt * 10 + (n < 100 ? 0 : 1))),
      });
    }
    await runs.updateRetries(PROJECT, {
      succeeded: [],
      failed: Array.from({ length: 300 }, (_, n) => failure(1_000 + n, 100)),
    });
    const entries = await runs.retries(PROJECT);
    expect(entries.filter((entry) => !entry.gaveUp)).toHaveLength(300);
    const gaveUp = entries
      .filter((entry) => entry.gaveUp)
      .map((entry) => Number(BigInt(entry.issueId) - 10n ** 18n));
    expect(gaveUp).toHaveLength(GAVE_UP_KEPT);
    // The 100 that failed earliest are the ones let go.
    expect(Math.min(...gaveUp)).toBe(100);
    expect(await runs.retrySummary(PROJECT)).toMatchObject({
      waiting: 300,
      gaveUp: GAVE_UP_KEPT,
      forgotten: 100,
    });
  });

  it('reads a retry set stored before pages (one array under retry:<projectId>) and pages it from then on', async () => {
    const kvs = new MemoryKeyValueStore();
    const legacy = Array.from({ length: 600 }, (_, n) => ({
      issueId: issueIdOf(n),
      issueKey: `DEMO-${n}`,
      attempts: 2,
      lastError: {
        code: 'SQAI_REJECTED',
        message: `SQAI refused DEMO-${n}: ${'x'.repeat(100)}`,
        remedy: 'r',
      },
      lastAt: at(0),
      gaveUp: false,
    }));
    await kvs.set(runKeys.retry(PROJECT), legacy);
    const runs = new RunStore(kvs);
    expect(await runs.retries(PROJECT)).toHaveLength(600);
    expect(await runs.retrySummary(PROJECT)).toMatchObject({ waiting: 600, gaveUp: 0 });
    await runs.updateRetries(PROJECT, {
      succeeded: [issueIdOf(0)],
      failed: Array.from({ length: 200 }, (_, n) => ({
        issueId: issueIdOf(1_000 + n),
        lastError: { code: 'SQAI_REJECTED', message: 'm'.repeat(200), remedy: 'r' },
        lastAt: at(1),
      })),
    });
    const entries = await runs.retries(PROJECT);
    expect(entries).toHaveLength(799);
    expect(entries.find((entry) => entry.issueId === issueIdOf(1))?.attempts).toBe(2);
  });
});

describe('storage bounds: per-issue state, run record, work list (property)', () => {
  it(`a sync state with ${HISTORY_LIMIT} attempts of the longest texts stays under 16 KiB and reads back as stored (seed printed)`, async () => {
    const attemptArb: fc.Arbitrary<SyncAttempt> = fc.record({
      at: fc.integer({ min: 0, max: 10_000 }).map((minute) => new Date(T0 + minute * 60_000)),
      trigger: fc.constantFrom('panel' as const, 'scheduled' as const, 'backfill' as const),
      by: fc.oneof(fc.constant('5b10a2844c20165700ede21g'), worstText(2_000)),
      contentHash: fc.oneof(fc.constant(`sha256:${'a'.repeat(64)}`), worstText(1_000)),
      outcome: fc.constantFrom('pushed' as const, 'unchanged' as const, 'failed' as const),
      error: fc.record({
        code: fc.constant('SQAI_REJECTED'),
        message: worstText(5_000),
        remedy: worstText(2_000),
      }),
      durationMs: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      // What SQAI says it holds (its answer: clipped to STATE_ID_BYTES) and the ids Xray named (kept bounded).
      sqaiHolds: fc.oneof(fc.constant(null), worstText(1_000)),
      namedIssueIds: fc.array(fc.bigInt({ min: 10n ** 18n, max: 10n ** 19n - 1n }).map(String), {
        minLength: 0,
        maxLength: 400,
      }),
    });
    let most = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(attemptArb, { minLength: HISTORY_LIMIT, maxLength: HISTORY_LIMIT + 5 }),
        async (attempts) => {
          const kvs = new MemoryKeyValueStore();
          const states = new SyncStateStore(kvs);
          let stored = null;
          for (const attempt of attempts) stored = await states.record(PROJECT, issueIdOf(1), attempt);
          const bytes = jsonBytes(kvs.data.get(syncStateKey(PROJECT, issueIdOf(1))));
          most = Math.max(most, bytes);
          expect(bytes).toBeLessThanOrEqual(16 * 1024);
          expect(stored?.history).toHaveLength(HISTORY_LIMIT);
          expect(await states.get(PROJECT, issueIdOf(1))).toEqual(stored);
        },
      ),
      { numRuns: 30 },
    );
    // The cases reach the bound's neighbourhood (all attempts failed, every text at its longest).
    expect(most).toBeGreaterThan(12 * 1024);
  });

  it('a run record with an error of any length stays under 3 KiB and reads back as stored (seed printed)', async () => {
    await fc.assert(
      fc.asyncProperty(worstText(100_000), worstText(20_000), async (message, remedy) => {
        const kvs = new MemoryKeyValueStore();
        const runs = new RunStore(kvs);
        const run: SyncRun = {
          ...(await runs.createRun(PROJECT, 'backfill', 'r'.repeat(36), new Date(T0))),
          since: at(0),
          finishedAt: at(1),
          status: 'failed',
          error: { code: 'SQAI_UNREACHABLE', message, remedy },
        };
        for (const counter of [
          'total',
          'done',
          'pushed',
          'unchanged',
          'failed',
          'chunks',
          'position',
        ] as const)
          run[counter] = Number.MAX_SAFE_INTEGER;
        await runs.saveRun(PROJECT, run);
        const bytes = jsonBytes(kvs.data.get(runKeys.run(PROJECT, 'backfill')));
        expect(bytes).toBeLessThanOrEqual(3 * 1024);
        expect(await runs.run(PROJECT, 'backfill')).toEqual(boundRun(run));
        expect(boundRun(run).error?.message).toBe(clipText(message, ERROR_TEXT_BYTES.message));
      }),
      { numRuns: 20 },
    );
  });

  it(`a work list: ${WORK_CHUNK} Jira issue ids of 19 digits per chunk fit one value; what is not a Jira id is left out`, async () => {
    const kvs = new MemoryKeyValueStore();
    const runs = new RunStore(kvs);
    const ids = Array.from({ length: 12_345 }, (_, n) => issueIdOf(n));
    const hostile = [WORST_CHAR.repeat(10_000), 'DEMO-1', '', `${'9'.repeat(20)}`];
    const { chunks, total } = await runs.writeWork(PROJECT, 'run-1', [
      ...ids.slice(0, 10),
      ...hostile,
      ...ids.slice(10),
    ]);
    expect({ chunks, total }).toEqual({ chunks: 3, total: 12_345 });
    const read: string[] = [];
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      expect(jsonBytes(kvs.data.get(runKeys.work(PROJECT, 'run-1', chunk)))).toBeLessThanOrEqual(
        WORK_CHUNK * 22 + 1,
      );
      read.push(...(await runs.workChunk(PROJECT, 'run-1', chunk)));
    }
    expect(read).toEqual(ids);
    // 110,001 bytes at most: under half of a value.
    expect(WORK_CHUNK * 22 + 1).toBeLessThan(KVS_MAX_VALUE_BYTES / 2);
  });
});
