/**
 * "Suggest mappings" (issue 18 item 2; docs/criteria.md "The Criteria view and mappings"): asks SQAI
 * (`POST /v1/coverage:classify`, contract 1.1.0) which criteria the requirement's tests that prove
 * none yet likely prove, and keeps the answers as `suggested` mappings — shown, not counted, until a
 * person confirms them.
 *
 * The tests and their steps / Gherkin / definition come from the context document read as the
 * caller (so only tests they may see are sent): a test whose details the document left out, or
 * that has a counted mapping to a current criterion, is not sent. At most CLASSIFY_LIMITS.tests
 * tests and CLASSIFY_LIMITS.criteria criteria (one request). A pair a person rejected or unmapped is
 * never suggested again; a new answer replaces the earlier suggestions of the tests it classified.
 */
import type { SuggestCriterionMappingsResult } from '../api';
import {
  CLASSIFY_LIMITS,
  type ClassifyRequest,
  classifyTestSchema,
  SQAI_LIMITS,
} from '../clients/sqai-schemas';
import { Deadline } from '../clients/upstream';
import { gatherForUser } from '../context/gather';
import type { ContextDocument } from '../context/schema';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import { loadProjectClients } from '../sync/project-clients';
import {
  criteriaViewOf,
  emptyTrace,
  readCriteriaState,
  issueIdsShownBy,
  type CriteriaCaller,
} from './criteria-view';
import { cannotEdit } from './mappings';
import { saveTraceability } from './save-traceability';
import {
  countsAsCoverage,
  issueIdSchema,
  issueKeySchema,
  MAX_MAPPED_TESTS,
  MAX_MAPPING_PAIRS,
  type TestMapping,
  type TraceRecord,
} from './state';
import { visibleTests } from './visible-tests';

type DocumentTest = ContextDocument['xray']['tests'][number];
type ClassifyTest = ClassifyRequest['tests'][number];

/** The test as the classify contract takes it; undefined when it cannot be sent (nothing to judge). */
export function classifyTestOf(test: DocumentTest): ClassifyTest | undefined {
  if (test.detailsOmitted === true) return undefined;
  const kind = test.testType.kind;
  const known = kind === 'Gherkin' || kind === 'Unstructured' ? kind : 'Steps';
  const candidate = {
    key: test.key,
    summary: (test.summary.trim() || test.key).slice(0, SQAI_LIMITS.titleChars),
    testType: { name: test.testType.name.slice(0, SQAI_LIMITS.testTypeChars), kind: known },
    ...(known === 'Steps' && test.steps && test.steps.length > 0
      ? {
          steps: test.steps.slice(0, SQAI_LIMITS.stepsPerTest).map((step) => ({
            action: step.action.slice(0, SQAI_LIMITS.stepFieldChars),
            ...(step.data === null ? {} : { data: step.data.slice(0, SQAI_LIMITS.stepFieldChars) }),
            ...(step.result === null ? {} : { result: step.result.slice(0, SQAI_LIMITS.stepFieldChars) }),
          })),
        }
      : {}),
    ...(known === 'Gherkin' && test.gherkin
      ? { gherkin: test.gherkin.slice(0, SQAI_LIMITS.definitionChars) }
      : {}),
    ...(known === 'Unstructured' && test.definition
      ? { definition: test.definition.slice(0, SQAI_LIMITS.definitionChars) }
      : {}),
  };
  const parsed = classifyTestSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The record with `answer`'s suggestions (pure): the classified tests' earlier suggestions go, each
 * new pair that is a current criterion, not counted already and not dismissed by a person is kept,
 * grouped per test and confidence (two decimals), most confident first, while the record has room.
 */
export function withSuggestions(
  trace: TraceRecord,
  classified: ReadonlyMap<string, string>,
  answer: readonly { testKey: string; suggestions: readonly { criterionId: string; confidence: number }[] }[],
  current: ReadonlySet<string>,
  at: string,
): { trace: TraceRecord; suggestions: number } {
  const classifiedIds = new Set(classified.values());
  const kept = trace.mappings.filter(
    (mapping) => mapping.source !== 'suggested' || !classifiedIds.has(mapping.testIssueId),
  );
  const counted = new Set(
    kept
      .filter((mapping) => countsAsCoverage(mapping.source))
      .flatMap((mapping) => mapping.criterionIds.map((id) => `${mapping.testIssueId} ${id}`)),
  );
  const dismissed = new Set((trace.dismissed ?? []).map((pair) => `${pair.testIssueId} ${pair.criterionId}`));
  const pairs: { testIssueId: string; testKey: string; criterionId: string; confidence: number }[] = [];
  for (const result of answer) {
    const testIssueId = classified.get(result.testKey);
    if (testIssueId === undefined) continue;
    for (const { criterionId, confidence } of result.suggestions) {
      const pair = `${testIssueId} ${criterionId}`;
      if (!current.has(criterionId) || counted.has(pair) || dismissed.has(pair)) continue;
      if (pairs.some((held) => held.testIssueId === testIssueId && held.criterionId === criterionId))
        continue;
      pairs.push({
        testIssueId,
        testKey: result.testKey,
        criterionId,
        confidence: Math.round(confidence * 100) / 100,
      });
    }
  }
  pairs.sort((a, b) => b.confidence - a.confidence);
  const mappings = [...kept];
  let room = MAX_MAPPING_PAIRS - mappings.reduce((sum, mapping) => sum + mapping.criterionIds.length, 0);
  let suggestions = 0;
  for (const pair of pairs) {
    if (room <= 0) break;
    const group = mappings.find(
      (mapping): mapping is TestMapping =>
        mapping.source === 'suggested' &&
        mapping.testIssueId === pair.testIssueId &&
        mapping.confidence === pair.confidence,
    );
    if (group) group.criterionIds = [...group.criterionIds, pair.criterionId];
    else if (mappings.length < MAX_MAPPED_TESTS) {
      mappings.push({
        testIssueId: pair.testIssueId,
        testKey: pair.testKey,
        criterionIds: [pair.criterionId],
        source: 'suggested',
        confidence: pair.confidence,
      });
    } else continue;
    room -= 1;
    suggestions += 1;
  }
  return { trace: { ...trace, updatedAt: at, mappings, suggestedAt: at }, suggestions };
}

/**
 * Asks SQAI for suggestions for `caller`'s requirement (Edit issues needed: FORBIDDEN otherwise).
 * Requests: the context document as the caller (as a panel send reads it), one SQAI request when
 * there is a test to classify, the `sqaiCriteria` property write when the counts changed (never:
 * suggestions do not count), one Jira bulk read per 100 tests for the view.
 */
export async function suggestCriterionMappings(
  platform: Platform,
  caller: CriteriaCaller,
): Promise<SuggestCriterionMappingsResult> {
  if (!caller.canEdit) throw cannotEdit(caller.issue.key);
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const stored = await readCriteriaState(platform, caller.issue.id);
  const { criteria } = stored;
  const answer = async (trace: TraceRecord | undefined, classified: number, suggestions: number) => {
    const ids = criteria && criteria.criteria.length > 0 ? issueIdsShownBy(trace) : [];
    const visible = await visibleTests(platform, ids, deadline);
    return {
      view: criteriaViewOf({ criteria, trace, living: stored.living }, visible, caller.canEdit),
      classified,
      suggestions,
    };
  };
  if (!criteria || criteria.criteria.length === 0) return answer(stored.trace, 0, 0);
  const current = new Set(criteria.criteria.map((criterion) => criterion.id));
  const at = platform.clock.now().toISOString();
  const previous = stored.trace;
  const trace = previous ?? emptyTrace(caller.issue.key, at);
  const proving = new Set(
    trace.mappings
      .filter(
        (mapping) => countsAsCoverage(mapping.source) && mapping.criterionIds.some((id) => current.has(id)),
      )
      .map((mapping) => mapping.testIssueId),
  );
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const { document } = await gatherForUser(platform, caller, clients, deadline);
  const classified = new Map<string, string>();
  const tests: ClassifyTest[] = [];
  for (const test of document.xray.tests) {
    if (tests.length >= CLASSIFY_LIMITS.tests) break;
    if (!issueIdSchema.safeParse(test.id).success || !issueKeySchema.safeParse(test.key).success) continue;
    if (proving.has(test.id) || classified.has(test.key)) continue;
    const sent = classifyTestOf(test);
    if (!sent) continue;
    tests.push(sent);
    classified.set(test.key, test.id);
  }
  if (tests.length === 0) return answer(previous, 0, 0);
  const request: ClassifyRequest = {
    cloudId: caller.cloudId,
    issueId: caller.issue.id,
    issueKey: caller.issue.key,
    criteria: criteria.criteria.slice(0, CLASSIFY_LIMITS.criteria).map((criterion) => ({
      id: criterion.id,
      text: criterion.text.slice(0, CLASSIFY_LIMITS.criterionTextChars),
    })),
    tests,
  };
  const response = await clients.sqai.classifyCoverage(request);
  const next = withSuggestions(trace, classified, response.results, current, at);
  // A test the last sync did not list (the document is newer) is known from now on.
  const covering = [...(next.trace.covering ?? [])];
  for (const [testKey, testIssueId] of classified) {
    if (covering.length >= MAX_MAPPED_TESTS) break;
    if (!covering.some((test) => test.testIssueId === testIssueId)) covering.push({ testIssueId, testKey });
  }
  const saved = { ...next.trace, covering };
  await saveTraceability(platform, {
    issueId: caller.issue.id,
    projectId: caller.project.id,
    criteria,
    previous,
    trace: saved,
    living: stored.living,
    deadline,
  });
  return answer(saved, tests.length, next.suggestions);
}
