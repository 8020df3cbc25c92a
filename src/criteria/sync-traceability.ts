/**
 * Keeps a requirement's criterion state current at each sync (issue 18; docs/criteria.md "Criterion
 * state"): from the context document the sync has just built — its covering tests, the criteria each
 * generated test was made for (`criterionIds`, from the test's `sqai.provenance`), and each test's
 * latest run — it rebuilds the traceability record, keeps the mappings people made (manual,
 * confirmed, suggested), and writes the record and the `sqaiCriteria` issue property only when they
 * changed.
 *
 * No Xray or SQAI request: everything comes from the document (read anyway). Two storage reads per
 * requirement; writes only on change (the record, the key alias; one Jira request for the property).
 * It never fails the sync: a failure is logged and the next sync tries again (the gate reads a
 * missing or stale record as "unknown").
 */
import { z } from 'zod';
import type { Deadline } from '../clients/upstream';
import type { ContextDocument } from '../context/schema';
import { toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import { criteriaPropertyOf, writeCriteriaProperty } from './issue-property';
import { criteriaRecordSchema, criterionIdSchema, MAX_CRITERIA, type CriteriaRecord } from './schema';
import {
  issueIdSchema,
  issueKeySchema,
  MAX_MAPPED_TESTS,
  MAX_MAPPING_PAIRS,
  MAX_STATUS_NAME,
  TRACE_RECORD_VERSION,
  traceRecordSchema,
  type CriteriaProperty,
  type TestMapping,
  type TestResult,
  type TraceRecord,
} from './state';
import { criteriaKey, issueKeyAlias, traceKey } from './store';
import { gateSummary } from './workflow-gate';

export { CRITERIA_PROPERTY_PURPOSE } from './issue-property';

export type TraceabilityOutcome =
  /** The app holds no criteria record for the requirement yet: nothing to trace. */
  | 'noCriteria'
  /** Record and property were already current: nothing written. */
  | 'unchanged'
  | 'updated'
  /** Something could not be read or written (logged); the next sync tries again. */
  | 'failed';

export interface TraceabilityResult {
  outcome: TraceabilityOutcome;
  /** Whether the issue property was written (one Jira request). */
  propertyWritten: boolean;
}

const isoDateTime = z.iso.datetime({ offset: true });
/** H6 adds `criterionIds` to a generated test's entry; read defensively (absent or invalid → none). */
const generatedFor = z.object({ criterionIds: z.array(z.unknown()) });

function criterionIdsOf(test: unknown): string[] | undefined {
  const parsed = generatedFor.safeParse(test);
  if (!parsed.success) return undefined;
  const ids = parsed.data.criterionIds.filter((id): id is string => criterionIdSchema.safeParse(id).success);
  return [...new Set(ids)].slice(0, MAX_CRITERIA);
}

function timeOf(value: string | null): string | undefined {
  return value !== null && isoDateTime.safeParse(value).success ? value : undefined;
}

type DocumentTest = ContextDocument['xray']['tests'][number];

function resultOf(test: DocumentTest): TestResult | undefined {
  const run = test.latestRun;
  if (run === null || run.status.length === 0) return undefined;
  const at = timeOf(run.finishedOn) ?? timeOf(run.startedOn);
  return {
    testIssueId: test.id,
    status: run.status.slice(0, MAX_STATUS_NAME),
    ...(at ? { at } : {}),
  };
}

/**
 * The traceability record the document implies, keeping `previous`'s mappings made by people (and a
 * generated mapping of a test whose details were left out of the document). `partial`: the document
 * is what one user sees (a panel sync) — a test absent from it may only be hidden from them, so its
 * previous mappings and result stay (a user's view can never drop a failing test). Pure.
 */
export function traceFromDocument(
  document: ContextDocument,
  previous: TraceRecord | undefined,
  at: string,
  partial = false,
): TraceRecord | undefined {
  const issueKey = issueKeySchema.safeParse(document.source.issueKey);
  if (!issueKey.success) return undefined;
  const tests = document.xray.tests.filter((test) => issueIdSchema.safeParse(test.id).success);
  const inDocument = new Map(tests.map((test) => [test.id, test]));
  const omittedTests = Math.max(0, document.xray.testsTotal - document.xray.tests.length);
  const mappings: TestMapping[] = [];
  let pairs = 0;
  const add = (mapping: TestMapping) => {
    if (mappings.length >= MAX_MAPPED_TESTS || pairs + mapping.criterionIds.length > MAX_MAPPING_PAIRS)
      return;
    if (!issueKeySchema.safeParse(mapping.testKey).success) return;
    mappings.push(mapping);
    pairs += mapping.criterionIds.length;
  };
  for (const test of tests) {
    const ids = criterionIdsOf(test);
    if (ids !== undefined && ids.length > 0) {
      add({ testIssueId: test.id, testKey: test.key, criterionIds: ids, source: 'generated' });
    } else if (ids === undefined && test.detailsOmitted === true) {
      const kept = previous?.mappings.find(
        (mapping) => mapping.testIssueId === test.id && mapping.source === 'generated',
      );
      if (kept) add({ ...kept, testKey: test.key });
    }
  }
  // People's mappings stay while the test still covers the requirement (or might: a cut list).
  for (const mapping of previous?.mappings ?? []) {
    const test = inDocument.get(mapping.testIssueId);
    if (test === undefined) {
      if (partial || (omittedTests > 0 && mapping.source !== 'generated')) add(mapping);
    } else if (mapping.source !== 'generated') add({ ...mapping, testKey: test.key });
  }
  const latest = [
    ...tests.flatMap((test) => resultOf(test) ?? []),
    ...(partial ? (previous?.latest ?? []).filter((result) => !inDocument.has(result.testIssueId)) : []),
  ].slice(0, MAX_MAPPED_TESTS);
  return {
    version: TRACE_RECORD_VERSION,
    updatedAt: at,
    issueKey: issueKey.data,
    mappings,
    latest,
    plans: [],
    omittedTests,
    ...(previous?.indexed ? { indexed: previous.indexed } : {}),
  };
}

/** Same content, whatever `updatedAt` and `indexed` say. */
function sameTrace(a: TraceRecord | undefined, b: TraceRecord): boolean {
  if (a === undefined) return false;
  const strip = ({ updatedAt: _u, indexed: _i, ...rest }: TraceRecord) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

async function readValid<T>(
  platform: Pick<Platform, 'kvs' | 'log'>,
  key: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const raw = await platform.kvs.get(key);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) platform.log.warn('A stored criteria record does not parse; rebuilt', { key });
  return parsed.success ? parsed.data : undefined;
}

export interface TraceabilityOptions {
  deadline?: Deadline;
  /** The criteria record when the caller has it (just updated); read from storage otherwise. */
  criteria?: CriteriaRecord;
  /** The document was read as a user (a panel sync): see `traceFromDocument`. */
  partial?: boolean;
}

/**
 * Updates the requirement's traceability record and its `sqaiCriteria` property from `document`.
 * Never throws: a failure is logged and answered as `failed`.
 */
export async function keepTraceability(
  platform: Pick<Platform, 'kvs' | 'log' | 'jira' | 'clock'>,
  document: ContextDocument,
  options: TraceabilityOptions = {},
): Promise<TraceabilityResult> {
  const issueId = document.source.issueId;
  let propertyWritten = false;
  try {
    if (!issueIdSchema.safeParse(issueId).success) return { outcome: 'noCriteria', propertyWritten };
    const [criteria, previous] = await Promise.all([
      options.criteria ?? readValid(platform, criteriaKey(issueId), criteriaRecordSchema),
      readValid(platform, traceKey(issueId), traceRecordSchema),
    ]);
    if (criteria === undefined) return { outcome: 'noCriteria', propertyWritten };
    const at = platform.clock.now().toISOString();
    const trace = traceFromDocument(document, previous, at, options.partial === true);
    if (trace === undefined) return { outcome: 'noCriteria', propertyWritten };
    const property: CriteriaProperty = criteriaPropertyOf(
      gateSummary({ issueId, criteria: criteriaRecordSchema.parse(criteria), trace }, {}),
    );
    const traceChanged = !sameTrace(previous, trace);
    // Written as the app (a requirement's watchers need not be able to edit it), only when changed.
    if (await writeCriteriaProperty(platform.jira, issueId, property, previous?.indexed, options.deadline)) {
      propertyWritten = true;
      trace.indexed = property;
    }
    if (!traceChanged && !propertyWritten) return { outcome: 'unchanged', propertyWritten };
    await platform.kvs.set(traceKey(issueId), traceRecordSchema.parse(trace));
    await platform.kvs.set(issueKeyAlias(trace.issueKey), { issueId });
    // The issue's key changed (moved to another project): its old alias goes (it would read as
    // unknown anyway, the record naming the new key).
    if (previous !== undefined && previous.issueKey !== trace.issueKey) {
      await platform.kvs.delete(issueKeyAlias(previous.issueKey));
    }
    return { outcome: 'updated', propertyWritten };
  } catch (error) {
    platform.log.warn('Could not update the acceptance-criteria state; the next sync tries again', {
      issueId,
      code: toErrorDto(error).code,
    });
    return { outcome: 'failed', propertyWritten };
  }
}
