/**
 * The issue ids Xray named at a requirement's last send, kept in its sync state (src/sync/state.ts
 * `namedIssueIds`) for the next send's visibility read (src/context/gather.ts `visibilityGuess`):
 * bounded (ids only, VISIBILITY_GUESS_LIMIT of them, VISIBILITY_GUESS_BYTES of JSON), kept across
 * attempts that did not learn them, and never the cause of a state read as "never synced".
 * The property runs with the suite's fixed fast-check seed (printed; test/harness/property-seed.ts).
 */
import fc from 'fast-check';
import { jsonBytes } from '../../../src/platform/storage-bounds';
import {
  boundNamedIssueIds,
  HISTORY_LIMIT,
  SyncStateStore,
  syncStateKey,
  VISIBILITY_GUESS_BYTES,
  VISIBILITY_GUESS_LIMIT,
  type SyncAttempt,
} from '../../../src/sync/state';
import { MemoryKeyValueStore } from '../../harness/local-platform';
import { WORST_CHAR } from '../platform/worst-text';

const PROJECT = '10000';
const ISSUE = '10103';
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

const attempt = (minute: number, extra: Partial<SyncAttempt> = {}): SyncAttempt => ({
  at: new Date(T0 + minute * 60_000),
  trigger: 'panel',
  by: 'account-1',
  contentHash: `sha256:${'a'.repeat(64)}`,
  outcome: 'pushed',
  durationMs: 120,
  ...extra,
});

describe('sync state: the issue ids kept for the next visibility read', () => {
  it(`keeps distinct Jira issue ids in Xray's order, at most ${VISIBILITY_GUESS_LIMIT} and ${VISIBILITY_GUESS_BYTES} bytes of JSON`, () => {
    expect(boundNamedIssueIds(['10129', '10130', '10129', 'DEMO-3', '', '10131', '1'.repeat(20)])).toEqual([
      '10129',
      '10130',
      '10131',
    ]);
    const many = Array.from({ length: 1_000 }, (_, n) => String(10_000 + n));
    const kept = boundNamedIssueIds(many);
    expect(kept).toEqual(many.slice(0, VISIBILITY_GUESS_LIMIT));
    // The longest ids Jira answers (a long: 19 digits) meet the byte bound before the count.
    const longest = Array.from({ length: 1_000 }, (_, n) => String(10n ** 18n + BigInt(n)));
    const keptLongest = boundNamedIssueIds(longest);
    expect(jsonBytes(keptLongest)).toBeLessThanOrEqual(VISIBILITY_GUESS_BYTES);
    expect(keptLongest.length).toBeLessThan(VISIBILITY_GUESS_LIMIT);
    expect(keptLongest).toEqual(longest.slice(0, keptLongest.length));
  });

  it('an attempt that names them replaces them; one that does not (a failed read) keeps the last', async () => {
    const states = new SyncStateStore(new MemoryKeyValueStore());
    await states.record(PROJECT, ISSUE, attempt(0, { namedIssueIds: ['10129', '10130'] }));
    expect((await states.get(PROJECT, ISSUE))?.namedIssueIds).toEqual(['10129', '10130']);
    const failed = await states.record(
      PROJECT,
      ISSUE,
      attempt(1, {
        outcome: 'failed',
        contentHash: '',
        error: { code: 'XRAY_API_ERROR', message: 'Xray answered 503', remedy: 'Try again' },
      }),
    );
    expect(failed.namedIssueIds).toEqual(['10129', '10130']);
    // A scheduled run records without them (src/sync/project-sync.ts): the panel's guess stays.
    await states.record(PROJECT, ISSUE, attempt(2, { trigger: 'scheduled', outcome: 'unchanged' }));
    expect((await states.get(PROJECT, ISSUE))?.namedIssueIds).toEqual(['10129', '10130']);
    await states.record(PROJECT, ISSUE, attempt(3, { namedIssueIds: [] }));
    expect((await states.get(PROJECT, ISSUE))?.namedIssueIds).toEqual([]);
  });

  it('a malformed stored list reads as no guess; the rest of the state stays', async () => {
    const kvs = new MemoryKeyValueStore();
    const states = new SyncStateStore(kvs);
    const stored = await states.record(PROJECT, ISSUE, attempt(0, { namedIssueIds: ['10129'] }));
    for (const bad of [['DEMO-3'], 'x', [1], Array.from({ length: VISIBILITY_GUESS_LIMIT + 1 }, () => '1')]) {
      await kvs.set(syncStateKey(PROJECT, ISSUE), { ...stored, namedIssueIds: bad });
      const read = await states.get(PROJECT, ISSUE);
      expect(read?.contentHash).toBe(stored.contentHash);
      expect(read?.namedIssueIds).toBeUndefined();
      // The next attempt writes a clean state.
      const next = await states.record(PROJECT, ISSUE, attempt(1, { outcome: 'unchanged' }));
      expect(next.namedIssueIds).toBeUndefined();
      expect(await states.get(PROJECT, ISSUE)).toEqual(next);
    }
  });

  it('a state at its longest with the longest ids kept stays under 16 KiB (seed printed)', async () => {
    const worst = WORST_CHAR.repeat(5_000);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 19n - 1n }), { minLength: 0, maxLength: 400 }),
        async (ids) => {
          const kvs = new MemoryKeyValueStore();
          const states = new SyncStateStore(kvs);
          const named = ids.map((id) => id.toString());
          let stored = null;
          for (let n = 0; n < HISTORY_LIMIT + 1; n += 1) {
            stored = await states.record(
              PROJECT,
              ISSUE,
              attempt(n, {
                by: worst,
                contentHash: worst,
                outcome: 'failed',
                error: { code: 'SQAI_REJECTED', message: worst, remedy: worst },
                durationMs: Number.MAX_SAFE_INTEGER,
                namedIssueIds: named,
              }),
            );
          }
          expect(jsonBytes(kvs.data.get(syncStateKey(PROJECT, ISSUE)))).toBeLessThanOrEqual(16 * 1024);
          expect(stored?.namedIssueIds).toEqual(boundNamedIssueIds(named));
          expect(await states.get(PROJECT, ISSUE)).toEqual(stored);
        },
      ),
      { numRuns: 10 },
    );
  });
});
