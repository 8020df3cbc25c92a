/**
 * Keeping the possibly-stale state current (issue 19 items 1 and 5; docs/living-tests.md): each
 * writer of a requirement's traceability (the sync, the panel's mapping changes, test creation, a
 * review) settles its living record here — when each test was first seen stale (`staleSince`), the
 * test's own `sqaiTestReview` issue property (so stale tests are searchable in JQL), and the record,
 * written only on change.
 *
 * The `sqaiTestReview` property of a TEST issue lists the requirements it is possibly stale for:
 * `{ v: 1, stale: <how many>, requirements: [<requirement issue ids, the first 20>] }`. Many
 * requirements may share a test, so each one's change is a read-modify-write of the app's own copy
 * (`livingtest:<testIssueId>` in the key-value store, the app is the property's only writer), then
 * one write of the property as the app (Jira REST v3 operation `setIssueProperty`, "Sets the value of
 * an issue's property"; docs/living-tests.md), only when the value changes. A failed write leaves the
 * requirement's `listed` mark as it was, so the next save tries again.
 */
import { z } from 'zod';
import { setIssueProperty } from '../clients/jira-writes';
import type { Deadline } from '../clients/upstream';
import { criteriaRecordSchema, type CriteriaRecord } from '../criteria/schema';
import { saveTraceability } from '../criteria/save-traceability';
import { issueIdSchema, traceRecordSchema, type TraceRecord } from '../criteria/state';
import { criteriaKey, readParsed, traceKey } from '../criteria/store';
import { toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import {
  MAX_LIVING_TESTS,
  markReviewed,
  readLiving,
  saveLiving,
  staleTestsOf,
  type LivingRecord,
  type LivingTest,
  type StaleTest,
} from './baselines';

export const TEST_REVIEW_PROPERTY_KEY = 'sqaiTestReview';
export const TEST_REVIEW_PROPERTY_VERSION = 1;
/** The property names at most this many requirements (its `stale` counts them all). */
export const MAX_LISTED_REQUIREMENTS = 20;
/** The app's copy remembers at most this many requirements per test. */
export const MAX_REVIEW_REQUIREMENTS = 500;
/** At most this many test properties are written per save; the rest wait for the next one. */
export const MAX_PROPERTY_WRITES_PER_SAVE = 25;
/** Property writes stop with this much of the budget left. */
const PROPERTY_RESERVE_MS = 3_000;

/** The indexed fields, as the manifest's second `jira:entityProperty` module declares them. */
export const TEST_REVIEW_PROPERTY_INDEX = [
  { path: 'stale', type: 'number', searchAlias: 'sqaiStaleTest' },
] as const;

export const testReviewPropertySchema = z
  .object({
    v: z.literal(TEST_REVIEW_PROPERTY_VERSION),
    stale: z.number().int().min(0),
    requirements: z.array(issueIdSchema).max(MAX_LISTED_REQUIREMENTS),
  })
  .strict();
export type TestReviewProperty = z.infer<typeof testReviewPropertySchema>;

export const testReviewKey = (testIssueId: string): string => `livingtest:${testIssueId}`;
const reviewCopySchema = z.object({ requirements: z.array(issueIdSchema).max(MAX_REVIEW_REQUIREMENTS) });

export function testReviewPropertyOf(requirements: readonly string[]): TestReviewProperty {
  return {
    v: TEST_REVIEW_PROPERTY_VERSION,
    stale: requirements.length,
    requirements: requirements.slice(0, MAX_LISTED_REQUIREMENTS),
  };
}

/**
 * Lists (`stale`) or unlists requirement `issueId` on the test's property. Answers whether the
 * property was written (one Jira request); throws on a failure (the caller keeps its mark).
 */
export async function publishTestReview(
  platform: Pick<Platform, 'kvs' | 'jira'>,
  testIssueId: string,
  issueId: string,
  stale: boolean,
  deadline?: Deadline,
): Promise<boolean> {
  const held = reviewCopySchema.safeParse(await platform.kvs.get(testReviewKey(testIssueId)));
  const before = held.success ? held.data.requirements : [];
  const others = before.filter((id) => id !== issueId);
  const after = (stale ? [...others, issueId] : others).slice(-MAX_REVIEW_REQUIREMENTS);
  if (JSON.stringify(after) === JSON.stringify(before) && held.success) return false;
  const previous = testReviewPropertyOf(before);
  const next = testReviewPropertyOf(after);
  const changed = !held.success || JSON.stringify(previous) !== JSON.stringify(next);
  if (changed) {
    await setIssueProperty(
      platform.jira,
      testIssueId,
      TEST_REVIEW_PROPERTY_KEY,
      testReviewPropertySchema.parse(next),
      { as: 'app', ...(deadline ? { deadline } : {}) },
      'the possibly stale requirements',
    );
  }
  if (after.length === 0) await platform.kvs.delete(testReviewKey(testIssueId));
  else await platform.kvs.set(testReviewKey(testIssueId), { requirements: after });
  return changed;
}

export interface SettleInput {
  issueId: string;
  criteria: CriteriaRecord;
  trace: TraceRecord;
  /** The record as stored (undefined: none). */
  previous: LivingRecord | undefined;
  /** The record to store (baselines already recorded). */
  next: LivingRecord | undefined;
  at: string;
  deadline?: Deadline;
}

export interface Settled {
  living: LivingRecord | undefined;
  stale: StaleTest[];
  /** Test properties written. */
  propertiesWritten: number;
}

/**
 * Marks when each test was first seen stale, lists/unlists the requirement on each test whose state
 * changed (a test that left the record is unlisted), and saves the record on change. Throws only
 * when the record cannot be saved; a property failure is logged and retried by the next save.
 */
export async function settleLiving(
  platform: Pick<Platform, 'kvs' | 'jira' | 'log'>,
  input: SettleInput,
): Promise<Settled> {
  const { issueId, criteria, trace, previous, next, at, deadline } = input;
  if (next === undefined) return { living: next, stale: [], propertiesWritten: 0 };
  const stale = staleTestsOf(criteria, trace, next);
  const staleIds = new Set(stale.map((test) => test.testIssueId));
  const tests = next.tests.map((test): LivingTest => {
    if (staleIds.has(test.testIssueId)) return test.staleSince ? test : { ...test, staleSince: at };
    const { staleSince: _since, ...rest } = test;
    return rest;
  });
  let written = 0;
  const room = () =>
    written < MAX_PROPERTY_WRITES_PER_SAVE &&
    (deadline === undefined || deadline.remainingMs() > PROPERTY_RESERVE_MS);
  const publish = async (testIssueId: string, listed: boolean): Promise<boolean> => {
    if (!room()) return false;
    try {
      if (await publishTestReview(platform, testIssueId, issueId, listed, deadline)) written += 1;
      return true;
    } catch (error) {
      platform.log.warn('Could not record a possibly stale test on its issue; the next sync tries again', {
        issueId,
        testIssueId,
        code: toErrorDto(error).code,
      });
      return false;
    }
  };
  // Tests no longer named: take the requirement off their property.
  const kept = new Set(tests.map((test) => test.testIssueId));
  const gone = (previous?.tests ?? []).filter((test) => test.listed && !kept.has(test.testIssueId));
  const notUnlisted: LivingTest[] = [];
  for (const test of gone) if (!(await publish(test.testIssueId, false))) notUnlisted.push(test);
  const settled: LivingTest[] = [];
  for (const test of tests) {
    const shouldList = staleIds.has(test.testIssueId);
    if (shouldList === (test.listed === true) || !(await publish(test.testIssueId, shouldList))) {
      settled.push(test);
      continue;
    }
    const { listed: _listed, ...rest } = test;
    settled.push(shouldList ? { ...rest, listed: true } : rest);
  }
  // A test whose unlisting failed stays held (without a baseline: it is no longer named, so never
  // stale) and the next save unlists it.
  const living: LivingRecord = {
    ...next,
    updatedAt: at,
    tests: [...settled, ...notUnlisted.map((test) => ({ ...test, criteria: {} }))].slice(0, MAX_LIVING_TESTS),
  };
  await saveLiving(platform, issueId, previous, living);
  return { living, stale, propertiesWritten: written };
}

export interface MarkTestsReviewedInput {
  /** The requirement. */
  issueId: string;
  projectId: string;
  testIssueIds: readonly string[];
  by: 'reviewed' | 'updated';
  deadline?: Deadline;
}

/**
 * People reviewed these tests of the requirement (an applied update, a "still valid" confirmation, a
 * kept obsolete test): each takes the current wording of its criteria and the requirement's version,
 * the record is saved, and the traceability is saved again so the `sqaiCriteria` property, the
 * ranking and the state reflect it. Requests: three storage reads; on change the record's write, one
 * property write per test whose state changed, and the `sqaiCriteria` write when its counts changed.
 */
export async function markTestsReviewed(
  platform: Pick<Platform, 'kvs' | 'jira' | 'log' | 'clock'>,
  input: MarkTestsReviewedInput,
): Promise<Settled> {
  const [criteria, trace, previous] = await Promise.all([
    readParsed(platform.kvs, platform.log, criteriaKey(input.issueId), criteriaRecordSchema),
    readParsed(platform.kvs, platform.log, traceKey(input.issueId), traceRecordSchema),
    readLiving(platform, input.issueId),
  ]);
  if (criteria === undefined || trace === undefined)
    return { living: previous, stale: [], propertiesWritten: 0 };
  const at = platform.clock.now().toISOString();
  const next = markReviewed(previous, criteria, trace, input.testIssueIds, at, input.by);
  const settled = await settleLiving(platform, {
    issueId: input.issueId,
    criteria,
    trace,
    previous,
    next,
    at,
    ...(input.deadline ? { deadline: input.deadline } : {}),
  });
  await saveTraceability(platform, {
    issueId: input.issueId,
    projectId: input.projectId,
    criteria,
    previous: trace,
    trace: { ...trace },
    living: settled.living,
    ...(input.deadline ? { deadline: input.deadline } : {}),
  });
  return settled;
}
