/**
 * A requirement's criteria from one reading to the next: finds them (./extract.ts), keeps their ids
 * (./ids.ts) and updates the stored record (./schema.ts). Pure: the caller reads and writes storage.
 *
 * When a configured field holds criteria, they are the requirement's criteria and the description's
 * are not read for them (the site chose where criteria live); otherwise the description's are used.
 */
import { type CriteriaOptions, findCriteria, findCriteriaInField, type FoundCriterion } from './extract';
import { assignCriterionIds } from './ids';
import {
  CRITERIA_RECORD_VERSION,
  MAX_REMOVED,
  MAX_REVISION,
  type CriteriaRecord,
  type Criterion,
  type RemovedCriterion,
  type StoredCriterion,
} from './schema';

export interface CriteriaInput {
  /** The description (ADF). */
  description: unknown;
  /** The configured criteria field's value (string or ADF), when a field is configured. */
  field?: unknown;
  options?: CriteriaOptions;
}

/** The criteria found in a requirement's description or configured field, without ids. */
export function findRequirementCriteria(input: CriteriaInput): FoundCriterion[] {
  const fromField = input.field === undefined ? [] : findCriteriaInField(input.field, input.options);
  return fromField.length > 0 ? fromField : findCriteria(input.description, input.options);
}

export interface CriteriaUpdate {
  record: CriteriaRecord;
  /** The criteria in document order, `changed` set on those whose wording changed in this update. */
  criteria: Criterion[];
  /** The criteria that were removed in this update. */
  removed: RemovedCriterion[];
}

/**
 * The next record of a requirement's criteria. `at` (ISO date-time) is the time of this reading;
 * `inputHash` what it was read from. A criterion whose wording changed gets the next revision.
 */
export function updateCriteria(
  previous: CriteriaRecord | undefined,
  found: readonly FoundCriterion[],
  at: string,
  inputHash?: string,
): CriteriaUpdate {
  const before = previous?.criteria ?? [];
  // Recently removed criteria take part too: one that comes back keeps its old id (and its tests).
  const known: { id: string; text: string; revision: number; since?: string }[] = [
    ...before,
    ...(previous?.removed ?? []),
  ];
  const ids = assignCriterionIds(
    known,
    found.map((criterion) => criterion.text),
  );
  const stored: StoredCriterion[] = [];
  const criteria: Criterion[] = [];
  ids.criteria.forEach((assigned, index) => {
    const source = found[index]?.source ?? 'list';
    const old = assigned.previousIndex === undefined ? undefined : known[assigned.previousIndex];
    const revision =
      old === undefined
        ? 1
        : assigned.status === 'changed'
          ? Math.min(old.revision + 1, MAX_REVISION)
          : old.revision;
    const since = assigned.status === 'same' && old?.since !== undefined ? old.since : at;
    stored.push({ id: assigned.id, text: assigned.text, source, revision, since });
    criteria.push({
      id: assigned.id,
      text: assigned.text,
      source,
      ...(assigned.status === 'changed' ? { changed: true } : {}),
    });
  });
  const keptIds = new Set(stored.map(({ id }) => id));
  const removedNow: RemovedCriterion[] = ids.removed.flatMap(({ id }) => {
    const old = before.find((criterion) => criterion.id === id);
    return old === undefined ? [] : [{ id, text: old.text, revision: old.revision, removedAt: at }];
  });
  const removed = [
    ...removedNow,
    ...(previous?.removed ?? []).filter(({ id }) => !keptIds.has(id) && !removedNow.some((r) => r.id === id)),
  ].slice(0, MAX_REMOVED);
  const record: CriteriaRecord = {
    version: CRITERIA_RECORD_VERSION,
    updatedAt: at,
    ...(inputHash === undefined ? {} : { inputHash }),
    criteria: stored,
    removed,
  };
  return { record, criteria, removed: removedNow };
}
