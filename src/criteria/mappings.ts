/**
 * A person changes which criterion a test proves, from the issue panel's Criteria view (issue 18;
 * docs/criteria.md "The Criteria view and mappings"):
 *
 * - `map`     — the test proves the criterion (`manual`); a suggestion of the same pair becomes it;
 * - `unmap`   — it does not (any counted mapping of the pair goes) and stays so: the pair is
 *               remembered as `unmapped`, so the next sync does not bring a generated mapping back
 *               from the test's provenance;
 * - `confirm` — a `suggested` pair becomes `confirmed` (it counts from now on);
 * - `reject`  — a `suggested` pair goes and is remembered as `rejected`, so the next suggestion
 *               run does not bring it back.
 *
 * Each action is idempotent: repeating it (a double click, two tabs) changes nothing more. The test
 * must be one the app knows covers the requirement (its last sync, or a mapping) and the caller must
 * see it; otherwise one answer, the same for both, that reveals nothing about a hidden test.
 */
import type { ChangeCriterionMappingInput, CriteriaViewDto } from '../api';
import type { Deadline } from '../clients/upstream';
import { AppError } from '../errors';
import type { Platform } from '../platform/ports';
import {
  criteriaViewOf,
  emptyTrace,
  readCriteriaState,
  issueIdsShownBy,
  type CriteriaCaller,
} from './criteria-view';
import { saveTraceability } from './save-traceability';
import {
  issueKeySchema,
  MAX_DISMISSED,
  MAX_MAPPED_TESTS,
  MAX_MAPPING_PAIRS,
  type DismissedPair,
  type MappingSource,
  type TestMapping,
  type TraceRecord,
} from './state';
import { visibleTests } from './visible-tests';
import { recordBaselines, withPairBaseline } from '../living/baselines';
import { settleLiving } from '../living/stale';

export type MappingAction = ChangeCriterionMappingInput['action'];

/** The pair a change acts on. */
export interface MappingChange {
  action: MappingAction;
  testIssueId: string;
  testKey: string;
  criterionId: string;
}

/** The Edit issues refusal, worded for a mapping change. */
export function cannotEdit(issueKey: string): AppError {
  return new AppError('FORBIDDEN', {
    message: `Forbidden — changing which test proves a criterion of ${issueKey} needs Jira's “Edit Issues” permission on it, which you do not have.`,
    remedy:
      'Ask a Jira admin or the project’s admin to grant you “Edit Issues” in this project’s permission scheme.',
  });
}

const has = (mapping: TestMapping, change: MappingChange) =>
  mapping.testIssueId === change.testIssueId && mapping.criterionIds.includes(change.criterionId);

/** `mappings` without the pair in mappings of the given sources (an emptied mapping goes). */
function without(
  mappings: readonly TestMapping[],
  change: MappingChange,
  sources: readonly MappingSource[],
): TestMapping[] {
  return mappings.flatMap((mapping) => {
    if (!sources.includes(mapping.source) || !has(mapping, change)) return [mapping];
    const criterionIds = mapping.criterionIds.filter((id) => id !== change.criterionId);
    return criterionIds.length === 0 ? [] : [{ ...mapping, criterionIds }];
  });
}

/** `mappings` with the pair added to the test's mapping of `source` (made when it has none). */
function withPair(
  mappings: readonly TestMapping[],
  change: MappingChange,
  source: MappingSource,
): TestMapping[] {
  const index = mappings.findIndex(
    (mapping) => mapping.testIssueId === change.testIssueId && mapping.source === source,
  );
  const held = mappings[index];
  if (held === undefined) {
    return [
      ...mappings,
      {
        testIssueId: change.testIssueId,
        testKey: change.testKey,
        criterionIds: [change.criterionId],
        source,
      },
    ];
  }
  if (held.criterionIds.includes(change.criterionId)) return [...mappings];
  const next = [...mappings];
  next[index] = {
    ...held,
    testKey: change.testKey,
    criterionIds: [...held.criterionIds, change.criterionId],
  };
  return next;
}

function dismissedWith(trace: TraceRecord, change: MappingChange, kind: DismissedPair['kind'] | undefined) {
  const rest = (trace.dismissed ?? []).filter(
    (pair) => pair.testIssueId !== change.testIssueId || pair.criterionId !== change.criterionId,
  );
  const next = kind
    ? [...rest, { testIssueId: change.testIssueId, criterionId: change.criterionId, kind }]
    : rest;
  return next.slice(-MAX_DISMISSED);
}

const COUNTED: readonly MappingSource[] = ['generated', 'confirmed', 'manual'];

/**
 * The record after `change` (pure). VALIDATION (field `testKey`) when a `map` would go past the
 * record's bounds.
 */
export function applyMappingChange(trace: TraceRecord, change: MappingChange, at: string): TraceRecord {
  let mappings: TestMapping[];
  let dismissed: DismissedPair[];
  const counted = trace.mappings.some((mapping) => COUNTED.includes(mapping.source) && has(mapping, change));
  const suggested = trace.mappings.some((mapping) => mapping.source === 'suggested' && has(mapping, change));
  switch (change.action) {
    case 'map':
      mappings = counted
        ? without(trace.mappings, change, ['suggested'])
        : withPair(without(trace.mappings, change, ['suggested']), change, 'manual');
      dismissed = dismissedWith(trace, change, undefined);
      break;
    case 'unmap':
      mappings = without(trace.mappings, change, COUNTED);
      dismissed = dismissedWith(trace, change, 'unmapped');
      break;
    case 'confirm':
      mappings =
        counted || !suggested
          ? without(trace.mappings, change, ['suggested'])
          : withPair(without(trace.mappings, change, ['suggested']), change, 'confirmed');
      dismissed = dismissedWith(trace, change, undefined);
      break;
    case 'reject':
      mappings = without(trace.mappings, change, ['suggested']);
      dismissed = counted ? [...(trace.dismissed ?? [])] : dismissedWith(trace, change, 'rejected');
      break;
  }
  const pairs = mappings.reduce((sum, mapping) => sum + mapping.criterionIds.length, 0);
  if (mappings.length > MAX_MAPPED_TESTS || pairs > MAX_MAPPING_PAIRS) {
    throw new AppError('VALIDATION', {
      fieldErrors: {
        testKey: `This requirement already holds as many mappings as the app keeps (${MAX_MAPPING_PAIRS}); unmap one first.`,
      },
    });
  }
  const { dismissed: _old, ...rest } = trace;
  return { ...rest, updatedAt: at, mappings, ...(dismissed.length > 0 ? { dismissed } : {}) };
}

/** The requirement's test named `testKey` in the records, if any. */
function knownTest(
  trace: TraceRecord,
  testKey: string,
): { testIssueId: string; testKey: string } | undefined {
  const key = testKey.trim().toUpperCase();
  return (
    (trace.covering ?? []).find((test) => test.testKey === key) ??
    trace.mappings.find((mapping) => mapping.testKey === key)
  );
}

/**
 * Applies `input` for `caller` (who must hold Edit issues on the requirement: FORBIDDEN otherwise),
 * saves the record (./save-traceability.ts) and answers the view. `map` and `confirm` also reset
 * the pair's baseline to the current wording (issue 19: the person reviewed it); `unmap` drops it.
 * Requests: one Jira bulk read per 100 tests (visibility, also the view's), the `sqaiCriteria`
 * property write when the counts changed (and a test's `sqaiTestReview` when its possibly-stale
 * state changed), three storage reads and, on change, the records' writes.
 */
export async function changeCriterionMapping(
  platform: Pick<Platform, 'kvs' | 'log' | 'jira' | 'clock'>,
  caller: CriteriaCaller,
  input: ChangeCriterionMappingInput,
  deadline?: Deadline,
): Promise<CriteriaViewDto> {
  if (!caller.canEdit) throw cannotEdit(caller.issue.key);
  const stored = await readCriteriaState(platform, caller.issue.id);
  const { criteria } = stored;
  if (!criteria?.criteria.some((criterion) => criterion.id === input.criterionId)) {
    throw new AppError('VALIDATION', {
      fieldErrors: {
        criterionId: `This is not one of ${caller.issue.key}’s acceptance criteria now; reload the panel.`,
      },
    });
  }
  const at = platform.clock.now().toISOString();
  const previous = stored.trace;
  const trace = previous ?? emptyTrace(caller.issue.key, at);
  const test = knownTest(trace, input.testKey);
  const visible = await visibleTests(platform, [...new Set([...issueIdsShownBy(trace)])], deadline);
  if (!test || !visible.has(test.testIssueId)) {
    throw new AppError('VALIDATION', {
      fieldErrors: {
        testKey: `${input.testKey.trim().toUpperCase()} is not a test covering ${caller.issue.key}, or you cannot see it.`,
      },
    });
  }
  const issueKey = issueKeySchema.safeParse(caller.issue.key);
  const next = applyMappingChange(
    { ...trace, ...(issueKey.success ? { issueKey: issueKey.data } : {}) },
    { action: input.action, criterionId: input.criterionId, ...test },
    at,
  );
  // Issue 19: mapping or confirming a pair is a person's review of it (its baseline becomes the
  // current wording); unmapping takes the pair out of the test's baseline.
  const pair = { testIssueId: test.testIssueId, testKey: test.testKey, criterionId: input.criterionId };
  const reviewed =
    input.action === 'map' || input.action === 'confirm'
      ? withPairBaseline(stored.living, criteria, pair, 'reset', at)
      : input.action === 'unmap'
        ? withPairBaseline(stored.living, criteria, pair, 'drop', at)
        : stored.living;
  const settled = await settleLiving(platform, {
    issueId: caller.issue.id,
    criteria,
    trace: next,
    previous: stored.living,
    next: recordBaselines(reviewed, criteria, next, at),
    at,
    ...(deadline ? { deadline } : {}),
  });
  const saved = await saveTraceability(platform, {
    issueId: caller.issue.id,
    projectId: caller.project.id,
    criteria,
    previous,
    trace: next,
    living: settled.living,
    ...(deadline ? { deadline } : {}),
  });
  const now = saved.written ? next : (previous ?? next);
  return criteriaViewOf({ criteria, trace: now, living: settled.living }, visible, caller.canEdit);
}
