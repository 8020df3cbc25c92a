/**
 * Issue 14 item 4, "Storage bounds", for generation's stored structures (properties, seed printed):
 * the generation record at its maximum (50 creation items, more rejected tests than fit, the
 * longest instructions, errors of any length), the duplicate-check fingerprints (200 of the longest)
 * and the proposals (one key each) — every value within Forge's 240 KiB as the in-memory store
 * measures it, read back as stored, and nothing a creation resumes from changed.
 */
import fc from 'fast-check';
import type { ErrorCode } from '../../../src/api';
import { SQAI_LIMITS } from '../../../src/clients/sqai-schemas';
import {
  boundGeneration,
  GENERATION_BOUNDS,
  generationKeys,
  GenerationStore,
  proposalSchema,
  REVIEW_LIMITS,
  reviewEditsSchema,
  type CreationItem,
  type Fingerprint,
  type StoredGeneration,
  type StoredProposal,
} from '../../../src/generate/store';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';
import { clipText, jsonBytes } from '../../../src/platform/storage-bounds';
import { MemoryKeyValueStore } from '../../harness/local-platform';
import { WORST_CHAR, worstText } from '../platform/worst-text';

const PROJECT = '10000';
const ISSUE = '1000000000000000001';
const errorArb = (message: number, remedy: number) =>
  fc.record({
    code: fc.constantFrom('XRAY_API_ERROR' as ErrorCode, 'JIRA_UNAUTHORIZED' as ErrorCode),
    message: worstText(message),
    remedy: worstText(remedy),
  });
const idArb = fc.bigInt({ min: 10n ** 18n, max: 10n ** 19n - 1n }).map(String);

const itemArb: fc.Arbitrary<CreationItem> = fc.record({
  proposalId: worstText(100),
  title: worstText(SQAI_LIMITS.titleChars),
  status: fc.constantFrom('pending' as const, 'created' as const, 'failed' as const),
  step: fc.constantFrom('none' as const, 'created' as const, 'linked' as const, 'done' as const),
  attempted: fc.boolean(),
  issueId: idArb,
  key: worstText(255),
  error: errorArb(5_000, 2_000),
});

const generationArb: fc.Arbitrary<StoredGeneration> = fc
  .record({
    instructions: worstText(2_000),
    testTypes: fc.array(worstText(60), { minLength: 10, maxLength: 10 }),
    error: errorArb(20_000, 5_000),
    rejected: fc.array(fc.record({ id: worstText(100), reason: worstText(2_000) }), {
      minLength: SQAI_LIMITS.testsPerGeneration,
      maxLength: 120,
    }),
    items: fc.array(itemArb, { minLength: 50, maxLength: 50 }),
    errors: fc.array(errorArb(3_000, 1_000), { maxLength: 60 }),
    summary: worstText(255),
    folder: worstText(255),
    key: worstText(255),
    by: worstText(128),
    issueId: idArb,
  })
  .map((g): StoredGeneration => ({
    version: 1,
    id: 'gen-2f6c0a1e-8f0e-4c53-9d7e-3b9b9a1c2d4e',
    status: 'succeeded',
    project: { id: PROJECT, key: 'DEMO' },
    issue: { id: ISSUE, key: 'DEMO-1' },
    requestedAt: '2026-03-01T00:00:00.000Z',
    requestedBy: g.by,
    contentHash: `sha256:${'a'.repeat(64)}`,
    previousContentHash: `sha256:${'b'.repeat(64)}`,
    testTypes: g.testTypes,
    maxTests: 50,
    instructions: g.instructions,
    error: g.error,
    proposalCount: 50,
    rejected: g.rejected,
    userSlot: { slot: 3, holder: g.by },
    creation: {
      status: 'partial',
      destination: {
        testSet: { mode: 'new', summary: g.summary },
        testExecution: { mode: 'existing', key: g.key },
        testPlan: { key: g.key },
        folder: g.folder,
      },
      authorized: {
        by: g.by,
        at: '2026-03-01T00:01:00.000Z',
        testExecution: { key: g.key, issueId: g.issueId },
        testPlan: { key: g.key, issueId: g.issueId },
      },
      items: g.items,
      organised: {
        testSet: { key: g.key, issueId: g.issueId, created: true, attempted: true, done: false },
        testExecution: { key: g.key, issueId: g.issueId, created: false, done: true },
        testPlan: { key: g.key, issueId: g.issueId, created: false, done: false },
        folder: { path: g.folder, done: false },
      },
      errors: g.errors,
      startedAt: '2026-03-01T00:01:00.000Z',
      startedBy: g.by,
      queued: true,
    },
  }));

/** What a creation resumes from: never changed by the bound. */
const resumable = (generation: StoredGeneration) => ({
  id: generation.id,
  status: generation.status,
  proposalCount: generation.proposalCount,
  userSlot: generation.userSlot,
  creation: generation.creation && {
    status: generation.creation.status,
    queued: generation.creation.queued,
    items: generation.creation.items.map(({ proposalId, status, step, attempted, issueId }) => ({
      proposalId,
      status,
      step,
      attempted,
      issueId,
    })),
    organised: Object.fromEntries(
      (['testSet', 'testExecution', 'testPlan'] as const).map((which) => {
        const entry = generation.creation?.organised[which];
        return [which, entry && { issueId: entry.issueId, created: entry.created, done: entry.done }];
      }),
    ),
    authorized: [
      generation.creation.authorized?.testExecution?.issueId,
      generation.creation.authorized?.testPlan?.issueId,
    ],
  },
});

describe('storage bounds: generation (property)', () => {
  it('a generation at its maximum stays within 240 KiB, reads back as stored, and keeps what a creation resumes from (seed printed)', async () => {
    let most = 0;
    await fc.assert(
      fc.asyncProperty(generationArb, async (generation) => {
        const kvs = new MemoryKeyValueStore();
        const store = new GenerationStore(kvs);
        await store.put(PROJECT, ISSUE, generation);
        const bytes = jsonBytes(kvs.data.get(generationKeys.generation(PROJECT, ISSUE)));
        most = Math.max(most, bytes);
        expect(bytes).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);

        const bounded = boundGeneration(generation);
        expect(await store.get(PROJECT, ISSUE)).toEqual(bounded);
        // Bounding what was read back changes nothing (a generation is read, changed and put again).
        expect(boundGeneration(bounded)).toEqual(bounded);
        expect(resumable(bounded)).toEqual(resumable(generation));

        // Rejected tests: a prefix, reasons clipped, the rest counted in one last entry.
        const { rejected } = bounded;
        const last = rejected.at(-1);
        const summed = last?.id === undefined && /^… and (\d+) more/.exec(last?.reason ?? '');
        const listed = summed ? rejected.slice(0, -1) : rejected;
        expect(listed).toEqual(
          generation.rejected
            .slice(0, listed.length)
            .map((entry) => ({ ...entry, reason: clipText(entry.reason, GENERATION_BOUNDS.rejectedReason) })),
        );
        expect(listed.length + (summed ? Number(summed[1]) : 0)).toBe(generation.rejected.length);
        // Organising errors: the most recent.
        const errors = bounded.creation?.errors ?? [];
        expect(errors.map((error) => error.code)).toEqual(
          (generation.creation?.errors ?? []).slice(-errors.length || Infinity).map((error) => error.code),
        );
        expect(bounded.instructions).toBe(generation.instructions);
      }),
      { numRuns: 15 },
    );
    // The cases come near the limit: the budgets are what keeps them under it.
    expect(most).toBeGreaterThan(180 * 1024);
  }, 120_000);

  it('fingerprints: 200 of the longest, added 50 at a time, stay within 240 KiB; the newest come first (seed printed)', async () => {
    const fingerprintArb: fc.Arbitrary<Fingerprint> = fc.record({
      key: worstText(300),
      summary: worstText(255),
      text: worstText(2_500),
      issueId: idArb,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fingerprintArb, { minLength: 50, maxLength: 50 }), { minLength: 4, maxLength: 4 }),
        async (calls) => {
          const kvs = new MemoryKeyValueStore();
          const store = new GenerationStore(kvs);
          for (const added of calls) {
            await store.addFingerprints(PROJECT, ISSUE, added);
            const stored = kvs.data.get(generationKeys.fingerprints(PROJECT, ISSUE));
            expect(jsonBytes(stored)).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
            const read = await store.fingerprints(PROJECT, ISSUE);
            expect(read).toEqual(stored);
            expect(read.length).toBeGreaterThan(0);
            // The newest first, each as added (texts cut to 2,000 characters, labels clipped).
            const newest = added.slice(0, read.length).map((entry) => ({
              ...entry,
              key: clipText(entry.key, 2_048),
              summary: clipText(entry.summary, 2_048),
              text: entry.text.slice(0, 2_000),
            }));
            expect(read.slice(0, newest.length)).toEqual(newest);
          }
        },
      ),
      { numRuns: 10 },
    );
  }, 60_000);

  it('proposals: one key each; at SQAI’s limits in ASCII one fits, in 3-byte text it does not — the service rejects it whole (what it measures is what is stored)', async () => {
    const proposal = (char: string): StoredProposal & { extra: string } => ({
      id: 'p'.repeat(100),
      title: char.repeat(SQAI_LIMITS.titleChars),
      testType: 'Manual',
      kind: 'manual',
      priority: 'High',
      labels: Array.from({ length: SQAI_LIMITS.labels }, () => 'l'.repeat(255)),
      steps: Array.from({ length: SQAI_LIMITS.stepsPerTest }, () => ({
        action: char.repeat(SQAI_LIMITS.stepFieldChars),
        data: char.repeat(SQAI_LIMITS.stepFieldChars),
        result: char.repeat(SQAI_LIMITS.stepFieldChars),
      })),
      rationale: char.repeat(SQAI_LIMITS.rationaleChars),
      problems: [],
      warnings: ['The duplicate check ran out of time.'],
      duplicateOf: { key: 'DEMO-9', summary: char.repeat(255), similarity: 0.93, issueId: '10009' },
      selectedByDefault: true,
      // A reviewed proposal carries more than is stored: the service measures the larger.
      extra: 'x'.repeat(100),
    });
    const ascii = proposal('x');
    const cjk = proposal('中');
    expect(jsonBytes(proposalSchema.parse(ascii))).toBeLessThan(jsonBytes(ascii));
    expect(jsonBytes(ascii)).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
    expect(jsonBytes(cjk)).toBeGreaterThan(KVS_MAX_VALUE_BYTES);
    expect(jsonBytes(proposal(WORST_CHAR))).toBeGreaterThan(KVS_MAX_VALUE_BYTES);

    const kvs = new MemoryKeyValueStore();
    const store = new GenerationStore(kvs);
    await store.putProposals(PROJECT, ISSUE, [ascii], 0);
    expect(await store.proposals(PROJECT, ISSUE, 1)).toEqual([proposalSchema.parse(ascii)]);
    // What the service would have let through never reaches the store otherwise: the store refuses it.
    await expect(store.putProposals(PROJECT, ISSUE, [cjk], 1)).rejects.toThrow(/MAX_SIZE/);
  });

  it('a reviewer’s edits at their maximum — 50 proposals, the longest ids, titles and destination — stay within 240 KiB', async () => {
    const worst = (length: number) => WORST_CHAR.repeat(length);
    const ids = Array.from({ length: REVIEW_LIMITS.proposals }, (_, index) =>
      `${index}`.padEnd(REVIEW_LIMITS.id, WORST_CHAR),
    );
    const choice = {
      mode: 'new' as const,
      key: worst(REVIEW_LIMITS.key),
      summary: worst(REVIEW_LIMITS.summary),
      keyTyped: true,
    };
    const edits = {
      generationId: worst(REVIEW_LIMITS.id),
      selected: Object.fromEntries(ids.map((id) => [id, false])),
      titles: Object.fromEntries(ids.map((id) => [id, worst(REVIEW_LIMITS.title)])),
      destination: {
        testSet: choice,
        testExecution: choice,
        testPlan: { mode: 'existing' as const, key: worst(REVIEW_LIMITS.key), keyTyped: true },
        folder: worst(REVIEW_LIMITS.folder),
      },
    };
    const kvs = new MemoryKeyValueStore();
    await new GenerationStore(kvs).putReview(PROJECT, ISSUE, 'account', edits);
    const stored = kvs.data.get(generationKeys.review(PROJECT, ISSUE, 'account'));
    expect(jsonBytes(stored)).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
    expect(await new GenerationStore(kvs).review(PROJECT, ISSUE, 'account')).toEqual(edits);
    // One more proposal, or a longer title, is refused rather than stored.
    expect(() => reviewEditsSchema.parse({ ...edits, titles: { ...edits.titles, extra: 'x' } })).toThrow();
    expect(() =>
      reviewEditsSchema.parse({ ...edits, titles: { [ids[0] ?? '']: worst(REVIEW_LIMITS.title + 1) } }),
    ).toThrow();
  });
});
