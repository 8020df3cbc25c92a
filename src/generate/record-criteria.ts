/**
 * Once generated tests are created, the criteria each one proves become `generated` mappings in the
 * requirement's traceability record (issue 18; docs/criteria.md "The Criteria view and mappings"):
 * the panel's Criteria view shows them at once, and the sync keeps them while the test covers the
 * requirement (the context document does not carry criterion ids: src/criteria/sync-traceability.ts
 * keeps a previous generated mapping of a test it still lists).
 *
 * Only criteria the requirement still has are recorded, through the one writer
 * (src/criteria/save-traceability.ts). Best effort: a failure is logged, never fails the creation
 * (the test's `sqai.provenance` holds the ids anyway). No request when there is nothing new; else
 * three storage reads, the records' writes and the `sqaiCriteria` property when the counts changed.
 *
 * Issue 19: each created test gets its baseline (src/living/baselines.ts) — the wording of the
 * criteria it was generated against, as its provenance's `criteria` records them.
 */
import type { Deadline } from '../clients/upstream';
import { emptyTrace, readCriteriaState } from '../criteria/criteria-view';
import { saveTraceability } from '../criteria/save-traceability';
import { criteriaRecordSchema, type CriteriaRecord } from '../criteria/schema';
import { criteriaKey, readParsed } from '../criteria/store';
import { criterionWordingHash, withGeneratedBaselines } from '../living/baselines';
import { settleLiving } from '../living/stale';
import {
  issueIdSchema,
  issueKeySchema,
  MAX_MAPPED_TESTS,
  MAX_MAPPING_PAIRS,
  type TestMapping,
  type TraceRecord,
} from '../criteria/state';
import { toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';

/** A created test and the criteria its proposal proves. */
export interface CreatedTest {
  issueId: string;
  key: string;
  criterionIds: readonly string[];
  /**
   * The wording hashes of those criteria the test was generated against (its provenance's
   * `criteria`); absent: their current wording.
   */
  criteria?: Readonly<Record<string, string>>;
}

/** Id → wording hash of `criterionIds` that are among `criteria`'s current ones. */
export function wordingHashesOf(
  criteria: CriteriaRecord | undefined,
  criterionIds: readonly string[],
): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const id of criterionIds) {
    const criterion = criteria?.criteria.find((held) => held.id === id);
    if (criterion) hashes[id] = criterionWordingHash(criterion.text);
  }
  return hashes;
}

/** A creation run's generation: what its context's criteria said (`StoredGeneration.criteria`). */
export interface GeneratedFrom {
  criteria?: Readonly<Record<string, string>> | undefined;
}

/**
 * The wording hashes the generation recorded for `criterionIds` (those it names); undefined when it
 * recorded none of them (a generation stored before issue 19).
 */
export function generatedAgainst(
  run: GeneratedFrom,
  criterionIds: readonly string[],
): Record<string, string> | undefined {
  const recorded = run.criteria;
  if (!recorded) return undefined;
  const hashes = Object.fromEntries(
    criterionIds.flatMap((id) => (Object.hasOwn(recorded, id) && recorded[id] ? [[id, recorded[id]]] : [])),
  );
  return Object.keys(hashes).length > 0 ? hashes : undefined;
}

/** One read of the criteria record per creation run (keyed by the run's generation object). */
const criteriaRead = new WeakMap<object, Promise<CriteriaRecord | undefined>>();

/**
 * The `criteria` of a created test's `sqai.provenance` (issue 19): id → wording hash of each
 * criterion it proves, as the requirement words it now — what the test was generated against. One
 * storage read per creation run (`run`: an object that lives as long as it); undefined when the test
 * proves none or the record cannot be read (the provenance is written without it).
 */
export async function provenanceCriteriaOf(
  platform: Pick<Platform, 'kvs' | 'log'>,
  run: GeneratedFrom,
  requirementId: string,
  criterionIds: readonly string[] | undefined,
): Promise<Record<string, string> | undefined> {
  if (!criterionIds || criterionIds.length === 0) return undefined;
  // What the generation's context said (recorded at its start), for the criteria it names.
  const asked = generatedAgainst(run, criterionIds);
  if (asked) return asked;
  let read = criteriaRead.get(run);
  if (read === undefined) {
    read = readParsed(platform.kvs, platform.log, criteriaKey(requirementId), criteriaRecordSchema).catch(
      () => undefined,
    );
    criteriaRead.set(run, read);
  }
  const hashes = wordingHashesOf(await read, criterionIds);
  return Object.keys(hashes).length > 0 ? hashes : undefined;
}

/** The record with `created`'s generated mappings (pure); the same object when nothing is new. */
export function withGeneratedMappings(
  trace: TraceRecord,
  created: readonly CreatedTest[],
  current: ReadonlySet<string>,
  at: string,
): TraceRecord {
  const mappings = [...trace.mappings];
  const covering = [...(trace.covering ?? [])];
  let pairs = mappings.reduce((sum, mapping) => sum + mapping.criterionIds.length, 0);
  let changed = false;
  for (const test of created) {
    if (!issueIdSchema.safeParse(test.issueId).success || !issueKeySchema.safeParse(test.key).success)
      continue;
    const criterionIds = [...new Set(test.criterionIds.filter((id) => current.has(id)))];
    if (criterionIds.length === 0) continue;
    if (!covering.some((held) => held.testIssueId === test.issueId) && covering.length < MAX_MAPPED_TESTS) {
      covering.push({ testIssueId: test.issueId, testKey: test.key });
      changed = true;
    }
    const index = mappings.findIndex(
      (mapping) => mapping.testIssueId === test.issueId && mapping.source === 'generated',
    );
    const held = mappings[index];
    if (held && criterionIds.every((id) => held.criterionIds.includes(id))) continue;
    const mapping: TestMapping = {
      testIssueId: test.issueId,
      testKey: test.key,
      criterionIds: [...new Set([...(held?.criterionIds ?? []), ...criterionIds])],
      source: 'generated',
    };
    const grows = mapping.criterionIds.length - (held?.criterionIds.length ?? 0);
    if (pairs + grows > MAX_MAPPING_PAIRS || (!held && mappings.length >= MAX_MAPPED_TESTS)) continue;
    if (held) mappings[index] = mapping;
    else mappings.push(mapping);
    pairs += grows;
    changed = true;
  }
  return changed ? { ...trace, updatedAt: at, mappings, covering } : trace;
}

/** Records `created`'s mappings for the requirement (see the module comment). Never throws. */
export async function recordGeneratedMappings(
  platform: Pick<Platform, 'kvs' | 'log' | 'jira' | 'clock'>,
  requirement: { project: { id: string }; issue: { id: string; key: string } },
  created: readonly CreatedTest[],
  deadline?: Deadline,
): Promise<void> {
  if (!created.some((test) => test.criterionIds.length > 0)) return;
  try {
    const { criteria, trace: previous, living } = await readCriteriaState(platform, requirement.issue.id);
    if (!criteria || criteria.criteria.length === 0) return;
    const at = platform.clock.now().toISOString();
    const current = new Set(criteria.criteria.map((criterion) => criterion.id));
    const trace = previous ?? emptyTrace(requirement.issue.key, at);
    const next = withGeneratedMappings(trace, created, current, at);
    // Issue 19: each created test's baseline is what it was generated against.
    const baselined = withGeneratedBaselines(
      living,
      criteria,
      created.map((test) => ({
        issueId: test.issueId,
        key: test.key,
        criteria: test.criteria ?? wordingHashesOf(criteria, test.criterionIds),
      })),
      at,
    );
    if (next === previous && baselined === living) return;
    const settled = await settleLiving(platform, {
      issueId: requirement.issue.id,
      criteria,
      trace: next,
      previous: living,
      next: baselined,
      at,
      ...(deadline ? { deadline } : {}),
    });
    await saveTraceability(platform, {
      issueId: requirement.issue.id,
      projectId: requirement.project.id,
      criteria,
      previous,
      trace: next,
      living: settled.living,
      ...(deadline ? { deadline } : {}),
    });
  } catch (error) {
    platform.log.warn('Could not record the criteria the created tests prove; the provenance holds them', {
      issueKey: requirement.issue.key,
      code: toErrorDto(error).code,
    });
  }
}
