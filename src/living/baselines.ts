/**
 * Possibly stale tests (issue 19 items 1 and 5; docs/living-tests.md "Possibly stale tests"): per
 * requirement, the app keeps what each covering test was written or last reviewed against — the
 * wording of each criterion it is mapped to, and the requirement's version — and diffs the current
 * criteria against it.
 *
 * - A test mapped (counted mapping) to a criterion whose wording differs from its baseline is
 *   possibly stale for that criterion (`criterionChanged`, with the wording before → after).
 * - A test whose baseline names a criterion the requirement no longer has: `criterionRemoved`.
 * - A covering test with no counted mapping to a current criterion, baselined against another
 *   requirement version: `requirementChanged` (once per change: reviewing it takes the current version).
 * - Tests of unchanged criteria are never flagged; the wording is compared by its key
 *   (src/criteria/ids.ts `matchKey`), so case, punctuation and whitespace edits are not changes.
 *
 * Stored as one KVS value per requirement, `living:<issueId>` ({@link livingRecordSchema}), bounded
 * so it fits one Forge storage value (240 KiB) at its maximum (test/unit/living/baselines.test.ts).
 * Everything here is pure except `readLiving`, `saveLiving` and (./stale.ts) `markTestsReviewed`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { matchKey } from '../criteria/ids';
import { criterionIdSchema, MAX_CRITERION_TEXT, type CriteriaRecord } from '../criteria/schema';
import {
  countsAsCoverage,
  issueIdSchema,
  issueKeySchema,
  MAX_MAPPED_TESTS,
  type TraceRecord,
} from '../criteria/state';
import type { KeyValueStore, Log, Platform } from '../platform/ports';

export const LIVING_RECORD_VERSION = 1;
/** At most this many tests keep a baseline per requirement (the trace record keeps as many). */
export const MAX_LIVING_TESTS = MAX_MAPPED_TESTS;
/** At most this many criterion wordings are kept (so a reason can say before → after). */
export const MAX_LIVING_TEXTS = 120;
/**
 * At most this many (test, criterion) baselines per requirement: with 120 texts of 500 three-byte
 * characters (≈ 186 KB) and 100 tests, this keeps the record within one storage value.
 */
export const MAX_BASELINE_PAIRS = 700;

export const livingKey = (issueId: string): string => `living:${issueId}`;

const isoDateTime = z.iso.datetime({ offset: true });
export const wordingHashSchema = z
  .string()
  .regex(/^[0-9a-f]{16}$/)
  .describe('First 16 hex digits of the SHA-256 of a criterion key (or of a requirement version)');

export const livingTestSchema = z.object({
  testIssueId: issueIdSchema,
  testKey: issueKeySchema,
  /** What each mapped criterion said when the test was written or last reviewed (wording hash). */
  criteria: z
    .record(criterionIdSchema, wordingHashSchema)
    .refine((criteria) => Object.keys(criteria).length <= 100, 'At most 100 criteria per test'),
  /** The requirement's version (`requirementVersionOf`) when the test was first seen or last reviewed. */
  requirementVersion: wordingHashSchema,
  at: isoDateTime,
  by: z.enum(['generated', 'seen', 'reviewed', 'updated']),
  /** When the app first saw it possibly stale (absent: it is not). */
  staleSince: isoDateTime.optional(),
  /** This requirement is listed in the test's `sqaiTestReview` issue property (./stale.ts). */
  listed: z.literal(true).optional(),
});
export type LivingTest = z.infer<typeof livingTestSchema>;

export const livingTextSchema = z.object({
  id: criterionIdSchema,
  hash: wordingHashSchema,
  text: z.string().min(1).max(MAX_CRITERION_TEXT),
});
export type LivingText = z.infer<typeof livingTextSchema>;

export const livingRecordSchema = z
  .object({
    version: z.literal(LIVING_RECORD_VERSION),
    updatedAt: isoDateTime,
    tests: z.array(livingTestSchema).max(MAX_LIVING_TESTS),
    texts: z.array(livingTextSchema).max(MAX_LIVING_TEXTS),
  })
  .superRefine((record, context) => {
    const pairs = record.tests.reduce((sum, test) => sum + Object.keys(test.criteria).length, 0);
    if (pairs > MAX_BASELINE_PAIRS) {
      context.addIssue({ code: 'custom', message: `${pairs} baselines; at most ${MAX_BASELINE_PAIRS}` });
    }
    const ids = new Set(record.tests.map((test) => test.testIssueId));
    if (ids.size !== record.tests.length)
      context.addIssue({ code: 'custom', message: 'A test is listed twice' });
  });
export type LivingRecord = z.infer<typeof livingRecordSchema>;

// ─── hashes ─────────────────────────────────────────────────────────────────────────────────────────

const sha16 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** The wording of a criterion: its key (case, punctuation and whitespace edits are not changes). */
export function criterionWordingHash(text: string): string {
  return sha16(matchKey(text));
}

/** The requirement's version: the sorted wording hashes of its current criteria (order is not a change). */
export function requirementVersionOf(criteria: readonly { text: string }[]): string {
  return sha16(
    criteria
      .map((criterion) => criterionWordingHash(criterion.text))
      .sort()
      .join('\n'),
  );
}

// ─── stale tests ────────────────────────────────────────────────────────────────────────────────────

/** Why a test is possibly stale (mirrors src/api.ts StaleReasonDto). */
export type StaleReason =
  | { kind: 'criterionChanged'; criterionId: string; number: number; before?: string; after: string }
  | { kind: 'criterionRemoved'; criterionId: string; before?: string }
  | { kind: 'requirementChanged' };

export interface StaleTest {
  testIssueId: string;
  testKey: string;
  reasons: StaleReason[];
  /** When the app first saw it stale. */
  since: string;
}

/** Test id → the current criteria it counts for (counted mappings only: generated, confirmed, manual). */
function countedByTest(trace: TraceRecord, current: ReadonlySet<string>): Map<string, Set<string>> {
  const counted = new Map<string, Set<string>>();
  for (const mapping of trace.mappings) {
    if (!countsAsCoverage(mapping.source)) continue;
    const ids = counted.get(mapping.testIssueId) ?? new Set<string>();
    for (const id of mapping.criterionIds) if (current.has(id)) ids.add(id);
    counted.set(mapping.testIssueId, ids);
  }
  return counted;
}

/** Every test the trace record names as covering the requirement or counted for a criterion, once. */
function testsOf(trace: TraceRecord): { testIssueId: string; testKey: string }[] {
  const seen = new Map<string, string>();
  for (const test of trace.covering ?? [])
    if (!seen.has(test.testIssueId)) seen.set(test.testIssueId, test.testKey);
  for (const mapping of trace.mappings) {
    if (countsAsCoverage(mapping.source) && !seen.has(mapping.testIssueId))
      seen.set(mapping.testIssueId, mapping.testKey);
  }
  return [...seen].map(([testIssueId, testKey]) => ({ testIssueId, testKey }));
}

function textOf(living: LivingRecord, id: string, hash: string): string | undefined {
  return living.texts.find((text) => text.id === id && text.hash === hash)?.text;
}

/**
 * The requirement's possibly stale tests (see the module comment), in the living record's order.
 * Only tests the trace record still names count; no criteria → none.
 */
export function staleTestsOf(
  criteria: CriteriaRecord,
  trace: TraceRecord,
  living: LivingRecord | undefined,
): StaleTest[] {
  if (living === undefined || criteria.criteria.length === 0) return [];
  const current = new Map(criteria.criteria.map((criterion, index) => [criterion.id, { criterion, index }]));
  const hashes = new Map(
    criteria.criteria.map((criterion) => [criterion.id, criterionWordingHash(criterion.text)]),
  );
  const version = requirementVersionOf(criteria.criteria);
  const counted = countedByTest(trace, new Set(current.keys()));
  const named = new Set(testsOf(trace).map((test) => test.testIssueId));
  const stale: StaleTest[] = [];
  for (const test of living.tests) {
    if (!named.has(test.testIssueId)) continue;
    const proves = counted.get(test.testIssueId) ?? new Set<string>();
    const reasons: StaleReason[] = [];
    for (const { criterion, index } of current.values()) {
      const baseline = test.criteria[criterion.id];
      if (baseline === undefined || !proves.has(criterion.id) || baseline === hashes.get(criterion.id))
        continue;
      const before = textOf(living, criterion.id, baseline);
      reasons.push({
        kind: 'criterionChanged',
        criterionId: criterion.id,
        number: index + 1,
        ...(before === undefined ? {} : { before }),
        after: criterion.text,
      });
    }
    for (const [id, baseline] of Object.entries(test.criteria)) {
      if (current.has(id)) continue;
      const removed = criteria.removed.find((held) => held.id === id);
      const before =
        textOf(living, id, baseline) ??
        (removed && criterionWordingHash(removed.text) === baseline ? removed.text : undefined);
      reasons.push({
        kind: 'criterionRemoved',
        criterionId: id,
        ...(before === undefined ? {} : { before }),
      });
    }
    if (reasons.length === 0 && proves.size === 0 && test.requirementVersion !== version) {
      reasons.push({ kind: 'requirementChanged' });
    }
    if (reasons.length > 0) {
      stale.push({
        testIssueId: test.testIssueId,
        testKey: test.testKey,
        reasons,
        since: test.staleSince ?? test.at,
      });
    }
  }
  return stale;
}

/** `${testIssueId} ${criterionId}` of every pair possibly stale for its criterion (criterionChanged). */
export function stalePairsOf(stale: readonly StaleTest[]): Set<string> {
  const pairs = new Set<string>();
  for (const test of stale) {
    for (const reason of test.reasons) {
      if (reason.kind === 'criterionChanged') pairs.add(`${test.testIssueId} ${reason.criterionId}`);
    }
  }
  return pairs;
}

// ─── baselines ──────────────────────────────────────────────────────────────────────────────────────

export function emptyLiving(at: string): LivingRecord {
  return { version: LIVING_RECORD_VERSION, updatedAt: at, tests: [], texts: [] };
}

const pairsIn = (tests: readonly LivingTest[]) =>
  tests.reduce((sum, test) => sum + Object.keys(test.criteria).length, 0);

/**
 * The texts the baselines refer to: those already kept, and the current wording of a criterion whose
 * baseline is its current wording (captured now: once it changes, only this record still has it).
 * Wordings that differ from the current one (what a reason shows as "before") are kept first.
 */
function textsFor(
  living: LivingRecord,
  tests: readonly LivingTest[],
  criteria: CriteriaRecord,
): LivingText[] {
  const currentText = new Map(criteria.criteria.map((criterion) => [criterion.id, criterion.text]));
  const currentHash = new Map(
    criteria.criteria.map((criterion) => [criterion.id, criterionWordingHash(criterion.text)]),
  );
  const wanted = new Map<string, { id: string; hash: string }>();
  for (const test of tests) {
    for (const [id, hash] of Object.entries(test.criteria)) wanted.set(`${id} ${hash}`, { id, hash });
  }
  const before: LivingText[] = [];
  const now: LivingText[] = [];
  for (const { id, hash } of wanted.values()) {
    const text = textOf(living, id, hash) ?? (currentHash.get(id) === hash ? currentText.get(id) : undefined);
    if (text === undefined) continue;
    (currentHash.get(id) === hash ? now : before).push({ id, hash, text });
  }
  return [...before, ...now].slice(0, MAX_LIVING_TEXTS);
}

function withTexts(living: LivingRecord, tests: LivingTest[], criteria: CriteriaRecord): LivingRecord {
  return { ...living, tests, texts: textsFor(living, tests, criteria) };
}

/** A baseline of `ids` at their current wording, within MAX_BASELINE_PAIRS given `others` pairs. */
function currentBaseline(
  ids: Iterable<string>,
  hashes: ReadonlyMap<string, string>,
  room: number,
): Record<string, string> {
  const baseline: Record<string, string> = {};
  let left = room;
  for (const id of ids) {
    const hash = hashes.get(id);
    if (hash === undefined || left <= 0) continue;
    baseline[id] = hash;
    left -= 1;
  }
  return baseline;
}

/**
 * The living record after a sync's traceability rebuild (pure): a covering test first seen gets a
 * baseline — the current wording of the criteria it counts for, and the requirement's version; a test
 * that gained a counted mapping to a criterion not in its baseline gets that criterion's current
 * wording (a person just mapped it); a test the record no longer names goes. No criteria: unchanged.
 */
export function recordBaselines(
  living: LivingRecord | undefined,
  criteria: CriteriaRecord,
  trace: TraceRecord,
  at: string,
): LivingRecord | undefined {
  if (criteria.criteria.length === 0) return living;
  const base = living ?? emptyLiving(at);
  const hashes = new Map(
    criteria.criteria.map((criterion) => [criterion.id, criterionWordingHash(criterion.text)]),
  );
  const version = requirementVersionOf(criteria.criteria);
  const counted = countedByTest(trace, new Set(hashes.keys()));
  const held = new Map(base.tests.map((test) => [test.testIssueId, test]));
  const named = testsOf(trace).slice(0, MAX_LIVING_TESTS);
  let room = MAX_BASELINE_PAIRS - pairsIn(named.flatMap((test) => held.get(test.testIssueId) ?? []));
  const tests = named.map(({ testIssueId, testKey }): LivingTest => {
    const proves = counted.get(testIssueId) ?? new Set<string>();
    const test = held.get(testIssueId);
    if (test === undefined) {
      const criteriaNow = currentBaseline(proves, hashes, room);
      room -= Object.keys(criteriaNow).length;
      return { testIssueId, testKey, criteria: criteriaNow, requirementVersion: version, at, by: 'seen' };
    }
    const added = currentBaseline(
      [...proves].filter((id) => test.criteria[id] === undefined),
      hashes,
      room,
    );
    room -= Object.keys(added).length;
    return { ...test, testKey, criteria: { ...test.criteria, ...added } };
  });
  return withTexts(base, tests, criteria);
}

/**
 * The record after people reviewed `testIssueIds` (pure): each takes the current wording of every
 * criterion it counts for and the current requirement version (`by`: reviewed — confirmed, kept — or
 * updated — an applied update). A test the record does not hold yet is added.
 */
export function markReviewed(
  living: LivingRecord | undefined,
  criteria: CriteriaRecord,
  trace: TraceRecord,
  testIssueIds: readonly string[],
  at: string,
  by: 'reviewed' | 'updated',
): LivingRecord {
  const base = recordBaselines(living, criteria, trace, at) ?? living ?? emptyLiving(at);
  const hashes = new Map(
    criteria.criteria.map((criterion) => [criterion.id, criterionWordingHash(criterion.text)]),
  );
  const version = requirementVersionOf(criteria.criteria);
  const counted = countedByTest(trace, new Set(hashes.keys()));
  const reviewed = new Set(testIssueIds);
  let room = MAX_BASELINE_PAIRS - pairsIn(base.tests.filter((test) => !reviewed.has(test.testIssueId)));
  const tests = base.tests.map((test): LivingTest => {
    if (!reviewed.has(test.testIssueId)) return test;
    const baseline = currentBaseline(counted.get(test.testIssueId) ?? [], hashes, room);
    room -= Object.keys(baseline).length;
    const { staleSince: _since, ...rest } = test;
    return { ...rest, criteria: baseline, requirementVersion: version, at, by };
  });
  return withTexts(base, tests, criteria);
}

/**
 * The record after a person mapped or confirmed (`reset`: the pair's baseline becomes the current
 * wording — they reviewed it) or unmapped (`drop`: the test no longer claims the criterion) one pair.
 */
export function withPairBaseline(
  living: LivingRecord | undefined,
  criteria: CriteriaRecord,
  pair: { testIssueId: string; testKey: string; criterionId: string },
  change: 'reset' | 'drop',
  at: string,
): LivingRecord | undefined {
  const criterion = criteria.criteria.find((held) => held.id === pair.criterionId);
  if (criteria.criteria.length === 0) return living;
  const base = living ?? emptyLiving(at);
  const index = base.tests.findIndex((test) => test.testIssueId === pair.testIssueId);
  const held = base.tests[index];
  if (change === 'drop') {
    if (held?.criteria[pair.criterionId] === undefined) return living;
    const { [pair.criterionId]: _gone, ...rest } = held.criteria;
    const tests = [...base.tests];
    tests[index] = { ...held, criteria: rest };
    return withTexts(base, tests, criteria);
  }
  if (criterion === undefined) return living;
  const hash = criterionWordingHash(criterion.text);
  if (held?.criteria[pair.criterionId] === hash) return living;
  if (held === undefined) {
    if (base.tests.length >= MAX_LIVING_TESTS || pairsIn(base.tests) >= MAX_BASELINE_PAIRS) return living;
    const test: LivingTest = {
      testIssueId: pair.testIssueId,
      testKey: pair.testKey,
      criteria: { [pair.criterionId]: hash },
      requirementVersion: requirementVersionOf(criteria.criteria),
      at,
      by: 'reviewed',
    };
    return withTexts(base, [...base.tests, test], criteria);
  }
  const grows = held.criteria[pair.criterionId] === undefined ? 1 : 0;
  if (pairsIn(base.tests) + grows > MAX_BASELINE_PAIRS) return living;
  const tests = [...base.tests];
  tests[index] = { ...held, criteria: { ...held.criteria, [pair.criterionId]: hash }, at, by: 'reviewed' };
  return withTexts(base, tests, criteria);
}

/**
 * Baselines for tests the app has just created from a generation (`by: generated`): each proves the
 * given criteria as their wording hashes were when generated (`criteria`: id → wording hash). Only
 * current criteria are taken. A test already held keeps what it has.
 */
export function withGeneratedBaselines(
  living: LivingRecord | undefined,
  criteria: CriteriaRecord,
  created: readonly { issueId: string; key: string; criteria: Readonly<Record<string, string>> }[],
  at: string,
): LivingRecord | undefined {
  if (criteria.criteria.length === 0) return living;
  const base = living ?? emptyLiving(at);
  const current = new Set(criteria.criteria.map((criterion) => criterion.id));
  const tests = [...base.tests];
  let room = MAX_BASELINE_PAIRS - pairsIn(tests);
  let changed = false;
  for (const test of created) {
    if (!issueIdSchema.safeParse(test.issueId).success || !issueKeySchema.safeParse(test.key).success)
      continue;
    if (tests.some((held) => held.testIssueId === test.issueId) || tests.length >= MAX_LIVING_TESTS) continue;
    const baseline: Record<string, string> = {};
    for (const [id, hash] of Object.entries(test.criteria)) {
      if (!current.has(id) || !wordingHashSchema.safeParse(hash).success || room <= 0) continue;
      baseline[id] = hash;
      room -= 1;
    }
    tests.push({
      testIssueId: test.issueId,
      testKey: test.key,
      criteria: baseline,
      requirementVersion: requirementVersionOf(criteria.criteria),
      at,
      by: 'generated',
    });
    changed = true;
  }
  return changed ? withTexts(base, tests, criteria) : living;
}

// ─── storage ────────────────────────────────────────────────────────────────────────────────────────

/** Same content, whatever `updatedAt` says. */
export function sameLiving(a: LivingRecord | undefined, b: LivingRecord | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const strip = ({ updatedAt: _u, ...rest }: LivingRecord) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/** The requirement's living record (one storage read): undefined when absent or when it does not parse (logged). */
export async function readLiving(
  platform: { kvs: Pick<KeyValueStore, 'get'>; log: Pick<Log, 'warn'> },
  issueId: string,
): Promise<LivingRecord | undefined> {
  const raw = await platform.kvs.get(livingKey(issueId));
  if (raw === undefined) return undefined;
  const parsed = livingRecordSchema.safeParse(raw);
  if (!parsed.success) {
    platform.log.warn('A stored living-tests record does not parse; treated as absent', { issueId });
    return undefined;
  }
  return parsed.data;
}

/** Writes `next` only when its content differs from `previous`; answers whether it wrote. */
export async function saveLiving(
  platform: Pick<Platform, 'kvs'>,
  issueId: string,
  previous: LivingRecord | undefined,
  next: LivingRecord | undefined,
): Promise<boolean> {
  if (next === undefined || sameLiving(previous, next)) return false;
  await platform.kvs.set(livingKey(issueId), livingRecordSchema.parse(next));
  return true;
}

export { markTestsReviewed } from './stale';
