/**
 * Keeps a requirement's criterion state current at each sync (issue 18; docs/criteria.md "Criterion
 * state"): from the context document the sync has just built — its covering tests, the criteria each
 * generated test was made for (`criterionIds`, from the test's `sqai.provenance`), and each test's
 * latest run — it rebuilds the traceability record, keeps the mappings people made (manual,
 * confirmed, suggested) and the generated ones recorded when the app created the tests (the document
 * carries no criterion ids of its own), never brings back a pair a person unmapped, lists every
 * covering test (`covering`, for the Criteria view), and writes the record and the `sqaiCriteria`
 * issue property only when they changed.
 *
 * It also keeps what each covering test was written or last reviewed against (issue 19,
 * src/living/baselines.ts): a test first seen gets a baseline, and possibly stale tests make their
 * criteria `stale` in the counts.
 *
 * No Xray or SQAI request: everything comes from the document (read anyway). Three storage reads per
 * requirement (criteria, traceability, living); writes only on change (the records, the key alias;
 * one Jira request for the property, one per test whose possibly-stale state changed).
 * It never fails the sync: a failure is logged and the next sync tries again (the gate reads a
 * missing or stale record as "unknown").
 */
import { z } from 'zod';
import type { Deadline } from '../clients/upstream';
import { byNewest, type PlanResult } from '../clients/xray/plan-results';
import type { ExecutionResult } from './execution-results';
import type { ContextDocument } from '../context/schema';
import { toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import { criteriaRecordSchema, criterionIdSchema, MAX_CRITERIA, type CriteriaRecord } from './schema';
import {
  issueIdSchema,
  issueKeySchema,
  MAX_MAPPED_TESTS,
  MAX_MAPPING_PAIRS,
  MAX_EXECUTION_SCOPE_BYTES,
  MAX_EXECUTION_SCOPES,
  MAX_PLAN_SCOPES,
  MAX_STATUS_NAME,
  scopeBytes,
  TRACE_RECORD_VERSION,
  traceRecordSchema,
  type TestMapping,
  type TestResult,
  type TraceRecord,
} from './state';
import { saveTraceability } from './save-traceability';
import { criteriaKey, readParsed, traceKey } from './store';
import { readLiving, recordBaselines } from '../living/baselines';
import { settleLiving } from '../living/stale';

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
  planResults?: readonly PlanResult[],
  executionResults?: readonly ExecutionResult[],
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
  // Pairs a person unmapped: the document (a test's provenance) never brings them back.
  const unmapped = new Set(
    (previous?.dismissed ?? [])
      .filter((pair) => pair.kind === 'unmapped')
      .map((pair) => `${pair.testIssueId} ${pair.criterionId}`),
  );
  const withoutUnmapped = (mapping: TestMapping): TestMapping | undefined => {
    const criterionIds = mapping.criterionIds.filter((id) => !unmapped.has(`${mapping.testIssueId} ${id}`));
    return criterionIds.length > 0 ? { ...mapping, criterionIds } : undefined;
  };
  const addGenerated = (mapping: TestMapping) => {
    const kept = withoutUnmapped(mapping);
    if (kept) add(kept);
  };
  for (const test of tests) {
    const ids = criterionIdsOf(test);
    if (ids !== undefined && ids.length > 0) {
      addGenerated({ testIssueId: test.id, testKey: test.key, criterionIds: ids, source: 'generated' });
    } else {
      // The document does not say (it carries no criterion ids, or the test's details were left
      // out): a generated mapping recorded earlier (at creation) stays while the test covers it.
      const kept = previous?.mappings.find(
        (mapping) => mapping.testIssueId === test.id && mapping.source === 'generated',
      );
      if (kept) addGenerated({ ...kept, testKey: test.key });
    }
  }
  // People's mappings stay while the test still covers the requirement (or might: a cut list), and
  // so do generated ones (recorded at creation, the document cannot bring them back).
  for (const mapping of previous?.mappings ?? []) {
    const test = inDocument.get(mapping.testIssueId);
    if (test === undefined) {
      if (partial || omittedTests > 0) {
        const kept = mapping.source === 'generated' ? withoutUnmapped(mapping) : mapping;
        if (kept) add(kept);
      }
    } else if (mapping.source !== 'generated') add({ ...mapping, testKey: test.key });
  }
  const latest = [
    ...tests.flatMap((test) => resultOf(test) ?? []),
    ...(partial ? (previous?.latest ?? []).filter((result) => !inDocument.has(result.testIssueId)) : []),
  ].slice(0, MAX_MAPPED_TESTS);
  const covering = [
    ...tests.flatMap((test) =>
      issueKeySchema.safeParse(test.key).success ? [{ testIssueId: test.id, testKey: test.key }] : [],
    ),
    ...(partial || omittedTests > 0
      ? (previous?.covering ?? []).filter((test) => !inDocument.has(test.testIssueId))
      : []),
  ].slice(0, MAX_MAPPED_TESTS);
  // What people dismissed is remembered while its test may still cover the requirement.
  const mayCover = (testIssueId: string) => partial || omittedTests > 0 || inDocument.has(testIssueId);
  const dismissed = (previous?.dismissed ?? []).filter((pair) => mayCover(pair.testIssueId));
  return {
    version: TRACE_RECORD_VERSION,
    updatedAt: at,
    issueKey: issueKey.data,
    mappings,
    latest,
    plans: plansOf(planResults, previous, inDocument, partial),
    ...executionsOf(executionResults, previous, inDocument, partial),
    omittedTests,
    ...(previous?.indexed ? { indexed: previous.indexed } : {}),
    covering,
    ...(dismissed.length > 0 ? { dismissed } : {}),
    ...(previous?.suggestedAt ? { suggestedAt: previous.suggestedAt } : {}),
  };
}

type Scope = TraceRecord['plans'][number];

/**
 * One kept scope (a Test Plan's or a Test Execution's): the results read for the document's tests,
 * and — for a panel sync (`partial`) — the scope's earlier results of tests hidden from its user.
 * Undefined when the scope has no usable key or id.
 */
function keptScope(
  read: {
    id: string;
    key?: string | undefined;
    results: readonly { testIssueId: string; status: string; at?: string }[];
  },
  held: Scope | undefined,
  inDocument: ReadonlyMap<string, unknown>,
  partial: boolean,
): Scope | undefined {
  const key = issueKeySchema.safeParse(read.key);
  if (!key.success || !issueIdSchema.safeParse(read.id).success) return undefined;
  const hidden = partial ? (held?.results ?? []).filter((result) => !inDocument.has(result.testIssueId)) : [];
  const results = [
    ...read.results
      .filter((result) => inDocument.has(result.testIssueId) && result.status.length > 0)
      .map((result) => {
        const at = timeOf(result.at ?? null);
        return {
          testIssueId: result.testIssueId,
          status: result.status.slice(0, MAX_STATUS_NAME),
          ...(at ? { at } : {}),
        };
      }),
    ...hidden,
  ].slice(0, MAX_MAPPED_TESTS);
  return { key: key.data, id: read.id, results };
}

/**
 * The Test Plan scopes to keep: the plans read with this sync (src/clients/xray/plan-results.ts),
 * each test's status in it. `undefined` — the sync could not read them — keeps the previous scopes as
 * they were (the state is as current as the last sync that read them, like every result).
 */
function plansOf(
  planResults: readonly PlanResult[] | undefined,
  previous: TraceRecord | undefined,
  inDocument: ReadonlyMap<string, unknown>,
  partial: boolean,
): TraceRecord['plans'] {
  if (planResults === undefined) return previous?.plans ?? [];
  return planResults
    .flatMap((plan) => {
      const held = previous?.plans.find((scope) => scope.id === plan.planId);
      return keptScope({ ...plan, id: plan.planId }, held, inDocument, partial) ?? [];
    })
    .slice(0, MAX_PLAN_SCOPES);
}

/**
 * The Test Execution scopes to keep: each test's latest listed run in the newest executions the
 * document's tests ran in (./execution-results.ts; no request). A panel sync (`partial`) also keeps
 * the earlier executions its user does not see (newest first, as many as are kept). `undefined` —
 * not given — keeps the previous scopes. The newest executions that fit MAX_EXECUTION_SCOPE_BYTES
 * whole are kept (an execution cut short would show its missing tests as not run).
 */
function executionsOf(
  executionResults: readonly ExecutionResult[] | undefined,
  previous: TraceRecord | undefined,
  inDocument: ReadonlyMap<string, unknown>,
  partial: boolean,
): Pick<TraceRecord, 'executions'> {
  if (executionResults === undefined) return previous?.executions ? { executions: previous.executions } : {};
  const read = executionResults.flatMap((execution) => {
    const held = previous?.executions?.find((scope) => scope.id === execution.executionId);
    return keptScope({ ...execution, id: execution.executionId }, held, inDocument, partial) ?? [];
  });
  // A panel sync also keeps the executions its user does not see (a hidden one is not listed).
  const readIds = new Set(read.map((scope) => scope.id));
  const unseen = partial ? (previous?.executions ?? []).filter((held) => !readIds.has(held.id)) : [];
  const executions: NonNullable<TraceRecord['executions']> = [];
  for (const scope of [...read, ...unseen].sort((a, b) => byNewest(a.id, b.id))) {
    if (executions.length >= MAX_EXECUTION_SCOPES) break;
    if (scopeBytes([...executions, scope]) > MAX_EXECUTION_SCOPE_BYTES) break;
    executions.push(scope);
  }
  return { executions };
}

export interface TraceabilityOptions {
  deadline?: Deadline;
  /** The criteria record when the caller has it (just updated); read from storage otherwise. */
  criteria?: CriteriaRecord;
  /** The document was read as a user (a panel sync): see `traceFromDocument`. */
  partial?: boolean;
  /** The requirement's tests' results in its Test Plans, when the sync read them. */
  planResults?: readonly PlanResult[];
  /** The requirement's tests' latest listed runs in its newest Test Executions (no request). */
  executionResults?: readonly ExecutionResult[];
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
    const [criteria, previous, living] = await Promise.all([
      options.criteria ?? readParsed(platform.kvs, platform.log, criteriaKey(issueId), criteriaRecordSchema),
      readParsed(platform.kvs, platform.log, traceKey(issueId), traceRecordSchema),
      readLiving(platform, issueId),
    ]);
    if (criteria === undefined) return { outcome: 'noCriteria', propertyWritten };
    const at = platform.clock.now().toISOString();
    const trace = traceFromDocument(
      document,
      previous,
      at,
      options.partial === true,
      options.planResults,
      options.executionResults,
    );
    if (trace === undefined) return { outcome: 'noCriteria', propertyWritten };
    const parsedCriteria = criteriaRecordSchema.parse(criteria);
    // Issue 19: baselines for tests first seen (or newly mapped), and which tests are possibly stale.
    const settled = await settleLiving(platform, {
      issueId,
      criteria: parsedCriteria,
      trace,
      previous: living,
      next: recordBaselines(living, parsedCriteria, trace, at),
      at,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    const saved = await saveTraceability(platform, {
      issueId,
      projectId: document.source.project.id,
      criteria: parsedCriteria,
      previous,
      trace,
      living: settled.living,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    propertyWritten = saved.propertyWritten;
    if (!saved.written) return { outcome: 'unchanged', propertyWritten };
    return { outcome: 'updated', propertyWritten };
  } catch (error) {
    platform.log.warn('Could not update the acceptance-criteria state; the next sync tries again', {
      issueId,
      code: toErrorDto(error).code,
    });
    return { outcome: 'failed', propertyWritten };
  }
}
