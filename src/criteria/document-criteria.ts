/**
 * The criteria a context document carries (`requirement.criteria`, `sqai.context/v1.1`; docs/sqai-contract.md)
 * and the stored criteria record they come from (`criteria:<issueId>`, ./store.ts).
 *
 * The document's criteria are a function of the requirement's description (and configured field and
 * section names) and of the stored record only — never of the time — so the document of an unchanged
 * requirement hashes the same on every sync, whoever builds it (the sync, which writes the record, or
 * a panel read, which does not):
 *
 * - the criteria are found in the description (or field) every time; the record remembers the hash of
 *   what was found (`inputHash`): while that is unchanged, the criteria are the record's, and nothing
 *   is written;
 * - otherwise they are matched with the record's (./record.ts `updateCriteria`: ids kept across
 *   reordering and small edits), and the new record is written by the sync (`saveDocumentCriteria`).
 *
 * `changed` says a criterion's wording changed at the last change of the criteria: a stored criterion
 * with `revision > 1` whose `since` is the record's `updatedAt` (a record is only rewritten when its
 * criteria changed, so it stays `changed` until the next such change — not only for one sync, which
 * would make the next document hash differently).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../context/content-hash';
import type { KeyValueStore, Log } from '../platform/ports';
import type { FoundCriterion } from './extract';
import { findRequirementCriteria, updateCriteria, type CriteriaInput } from './record';
import { criteriaRecordSchema, type CriteriaRecord, type Criterion } from './schema';
import { criteriaKey, readParsed } from './store';

/** Where a project's settings say criteria are: a configured text field, and the section names. */
export interface CriteriaSettings {
  criteriaField?: string;
  criteriaTitles?: readonly string[];
}

/** The Jira fields to read besides the context document's: the configured criteria field, if any. */
export function criteriaFieldsToRead(settings: CriteriaSettings): string[] {
  return settings.criteriaField ? [settings.criteriaField] : [];
}

/**
 * What criteria are found in, for an issue read with `criteriaFieldsToRead`: its description and, when
 * a field is configured, that field's value (absent or empty: the description is read, so a requirement
 * written before the field was introduced keeps its criteria), with the configured section names.
 */
export function criteriaInputOf(
  fields: { description?: unknown } & Record<string, unknown>,
  settings: CriteriaSettings,
): CriteriaInput {
  const field = settings.criteriaField ? fields[settings.criteriaField] : undefined;
  const titles = settings.criteriaTitles ?? [];
  return {
    description: fields.description ?? null,
    ...(field !== undefined && field !== null ? { field } : {}),
    ...(titles.length > 0 ? { options: { titles } } : {}),
  };
}

export interface DocumentCriteria {
  /** In document order, as the context document carries them. */
  criteria: Criterion[];
  /** The record they come from (the stored one when `updated` is false). */
  record: CriteriaRecord;
  /** The record differs from the stored one and should be written. */
  updated: boolean;
}

/**
 * SHA-256 (hex) of the criteria as found (texts and sources, in order): the record's `inputHash`.
 * Hashing what was found rather than the raw description means an edit elsewhere in the description
 * leaves the record (and each criterion's `changed`) as it is, and no deep ADF is ever serialized.
 */
export function criteriaInputHash(found: readonly FoundCriterion[]): string {
  const value = found.map(({ text, source }) => [text, source]);
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** The criteria of a record as a document carries them. */
export function criteriaOfRecord(record: CriteriaRecord): Criterion[] {
  return record.criteria.map((criterion) => ({
    id: criterion.id,
    text: criterion.text,
    source: criterion.source,
    ...(criterion.revision > 1 && criterion.since === record.updatedAt ? { changed: true } : {}),
  }));
}

/**
 * The document's criteria given the stored record (`previous`, if any) and the requirement's input.
 * Pure. `at` (ISO date-time) dates a new record; it never shows in the criteria.
 */
export function criteriaForDocument(
  previous: CriteriaRecord | undefined,
  input: CriteriaInput,
  at: string,
): DocumentCriteria {
  const found = findRequirementCriteria(input);
  const inputHash = criteriaInputHash(found);
  if (previous?.inputHash === inputHash) {
    return { criteria: criteriaOfRecord(previous), record: previous, updated: false };
  }
  const { record } = updateCriteria(previous, found, at, inputHash);
  return { criteria: criteriaOfRecord(record), record, updated: true };
}

/** The stored criteria record of an issue; undefined when there is none or it does not parse (logged). */
export function readCriteriaRecord(
  kvs: Pick<KeyValueStore, 'get'>,
  log: Pick<Log, 'warn'>,
  issueId: string,
): Promise<CriteriaRecord | undefined> {
  return readParsed(kvs, log, criteriaKey(issueId), criteriaRecordSchema);
}

/**
 * Writes the record a sync built its document with, when it changed (the sync's only criteria write;
 * a panel read never writes). Answers whether it wrote.
 */
export async function saveDocumentCriteria(
  kvs: Pick<KeyValueStore, 'set'>,
  issueId: string,
  criteria: DocumentCriteria | undefined,
): Promise<boolean> {
  if (criteria === undefined || !criteria.updated) return false;
  await kvs.set(criteriaKey(issueId), criteriaRecordSchema.parse(criteria.record));
  return true;
}

/**
 * Reads the issue's criteria record, makes the document's criteria from it and `input`, and
 * writes the record when it changed: what a sync that builds documents itself (the scheduled sync's
 * batches) does per requirement before `buildContextDocument({ …, criteria: result.criteria })`.
 * One storage read; one write only when the criteria changed.
 */
export async function keepDocumentCriteria(
  platform: { kvs: Pick<KeyValueStore, 'get' | 'set'>; log: Pick<Log, 'warn'> },
  issueId: string,
  input: CriteriaInput,
  at: string,
): Promise<DocumentCriteria> {
  const previous = await readCriteriaRecord(platform.kvs, platform.log, issueId);
  const criteria = criteriaForDocument(previous, input, at);
  await saveDocumentCriteria(platform.kvs, issueId, criteria);
  return criteria;
}
