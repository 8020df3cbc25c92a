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
 * two storage reads, the record's writes and the `sqaiCriteria` property when the counts changed.
 */
import type { Deadline } from '../clients/upstream';
import { emptyTrace, readCriteriaState } from '../criteria/criteria-view';
import { saveTraceability } from '../criteria/save-traceability';
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
    const { criteria, trace: previous } = await readCriteriaState(platform, requirement.issue.id);
    if (!criteria || criteria.criteria.length === 0) return;
    const at = platform.clock.now().toISOString();
    const current = new Set(criteria.criteria.map((criterion) => criterion.id));
    const trace = previous ?? emptyTrace(requirement.issue.key, at);
    const next = withGeneratedMappings(trace, created, current, at);
    if (next === previous) return;
    await saveTraceability(platform, {
      issueId: requirement.issue.id,
      projectId: requirement.project.id,
      criteria,
      previous,
      trace: next,
      ...(deadline ? { deadline } : {}),
    });
  } catch (error) {
    platform.log.warn('Could not record the criteria the created tests prove; the provenance holds them', {
      issueKey: requirement.issue.key,
      code: toErrorDto(error).code,
    });
  }
}
