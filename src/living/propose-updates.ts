/**
 * "Propose updates" (issue 19 item 2; docs/living-tests.md "Proposed updates"): asks SQAI, in the
 * generation's update mode (contract 1.3.0), what to do with the requirement's possibly stale tests
 * the caller may see — each one's current content as Xray holds it, the criteria it proves and why it
 * is stale, and the changed criteria before and after — plus new tests for criteria no test proves
 * yet. It goes through the one generation start (src/generate/start-generation.ts): the context is
 * synced as the caller first, pacing and idempotency are the same, and the answer is recorded by the
 * same poll or delivery.
 *
 * What is sent is filtered to the caller: a stale test they may not see is neither sent nor stored
 * with the generation (one bulk visibility read). It is redacted (issue 20): the tests' content and
 * the criteria's wording go through one redactor for the ask, and each item keeps the placeholders
 * sent for it with their values, so SQAI's answer is restored to real values when it is recorded
 * (./update-redaction.ts, ./accept-updates.ts). Requests: those of a start, plus one Xray read of
 * the tests' content (≤ 100 tests) and the visibility read.
 */
import type { GenerationDto, ProposeTestUpdatesInput } from '../api';
import { visibleTo } from '../access/authorize';
import {
  testToUpdateSchema,
  UPDATE_LIMITS,
  type GenerationRequest,
  type TestTypeRef,
} from '../clients/sqai-schemas';
import { readTestContents, type CurrentTest } from '../clients/xray/test-content';
import { Deadline } from '../clients/upstream';
import { readCriteriaState, type CriteriaCaller } from '../criteria/criteria-view';
import { countsAsCoverage } from '../criteria/state';
import type { ContextDocument } from '../context/schema';
import { byteSize } from '../context/content-hash';
import { readCriteriaRecord } from '../criteria/document-criteria';
import { AppError } from '../errors';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import { loadProjectClients } from '../sync/project-clients';
import { kindOf, startGeneration, type UpdateAsk } from '../generate/start-generation';
import { readLiving, staleTestsOf, type StaleTest } from './baselines';
import { fitsOneValue, type TestContent, type UpdateItem } from './update-store';
import { textsOfContent, UpdateRedaction } from './update-redaction';

/** At most this many stale tests go into one ask (the contract's limit). */
export const MAX_TESTS_PER_ASK = 100;
/**
 * The tests' content in one ask, at most (UTF-8 JSON): SQAI's answer repeats each updated test's
 * content and a poll answer is read up to 2 MiB (SQAI_CONTRACT_LIMITS.generationAnswerBytes). Tests
 * beyond it are left for the next ask (they stay flagged).
 */
export const ASK_CONTENT_BYTES = 1_536 * 1024;

type UpdateRequest = NonNullable<GenerationRequest['updates']>;

/** A test's content as Xray holds it, in the shape SQAI is shown and the diff is drawn from. */
export function contentOfCurrent(test: CurrentTest): TestContent {
  switch (test.kind) {
    case 'Gherkin':
      return { kind: 'Gherkin', gherkin: test.gherkin ?? '' };
    case 'Unstructured':
      return { kind: 'Unstructured', definition: test.definition ?? '' };
    default:
      return {
        kind: 'Steps',
        steps: test.steps.map(({ action, data, result }) => ({ action, data, result })),
      };
  }
}

/** A stale test as the update-mode request names it (its current content by its kind). */
function entryOf(
  test: StaleTest,
  before: TestContent,
  testType: TestTypeRef,
  summary: string,
  criterionIds: string[],
): UpdateRequest['tests'][number] {
  return {
    key: test.testKey,
    summary,
    testType,
    criterionIds,
    reasons: test.reasons.map((reason) =>
      reason.kind === 'requirementChanged'
        ? { kind: reason.kind }
        : { kind: reason.kind, criterionId: reason.criterionId },
    ),
    ...(before.kind === 'Steps'
      ? { steps: before.steps.map((step) => ({ ...step })) }
      : before.kind === 'Gherkin'
        ? { gherkin: before.gherkin }
        : { definition: before.definition }),
  };
}

const noneStale = (issueKey: string) =>
  new AppError('VALIDATION', {
    message: `No test of ${issueKey} that you can see is possibly stale: there is nothing to update.`,
    remedy:
      'Send the requirement to SQAI again if you changed its criteria; stale tests show in the Criteria view.',
  });

/**
 * The changed criteria the stale tests name, and the criteria no test proves (new ones), worded as
 * people wrote them — unredacted: the ask redacts them with the tests' content. A new criterion
 * whose wording the criteria record lacks is worded as the document says it (`documentWorded`).
 */
function changedCriteriaOf(
  stale: readonly StaleTest[],
  document: ContextDocument,
  proven: ReadonlySet<string>,
  wordingOf: (criterionId: string) => string | undefined,
): { criteria: UpdateRequest['changedCriteria']; documentWorded: Set<string> } {
  const changed = new Map<string, UpdateRequest['changedCriteria'][number]>();
  const documentWorded = new Set<string>();
  for (const test of stale) {
    for (const reason of test.reasons) {
      if (reason.kind === 'criterionChanged' && !changed.has(reason.criterionId)) {
        changed.set(reason.criterionId, {
          id: reason.criterionId,
          before: reason.before ?? null,
          after: reason.after,
        });
      } else if (reason.kind === 'criterionRemoved' && !changed.has(reason.criterionId)) {
        changed.set(reason.criterionId, {
          id: reason.criterionId,
          before: reason.before ?? null,
          after: null,
        });
      }
    }
  }
  for (const criterion of document.requirement.criteria ?? []) {
    if (!proven.has(criterion.id) && !changed.has(criterion.id)) {
      const wording = wordingOf(criterion.id);
      if (wording === undefined) documentWorded.add(criterion.id);
      changed.set(criterion.id, { id: criterion.id, before: null, after: wording ?? criterion.text });
    }
  }
  return { criteria: [...changed.values()].slice(0, MAX_TESTS_PER_ASK), documentWorded };
}

/** A criterion's wording redacted, within the update mode's limit (a placeholder can be longer). */
function redactWording(redaction: UpdateRedaction, wording: string | null): string | null {
  if (wording === null) return null;
  const redacted = redaction.redact(wording);
  return redacted.length > UPDATE_LIMITS.criterionTextChars
    ? `${redacted.slice(0, UPDATE_LIMITS.criterionTextChars - 1)}…`
    : redacted;
}

/** The caller's possibly stale tests, with their content as Xray holds it (nothing written). */
async function staleTestsToAsk(
  platform: Platform,
  caller: CriteriaCaller,
  input: ProposeTestUpdatesInput,
  deadline: Deadline,
) {
  const { criteria, trace } = await readCriteriaState(platform, caller.issue.id);
  if (!criteria || !trace) throw noneStale(caller.issue.key);
  const living = await readLiving(platform, caller.issue.id);
  const all = staleTestsOf(criteria, trace, living);
  const canSee = await visibleTo(
    platform,
    'user',
    all.map((test) => test.testIssueId),
    deadline,
  );
  const visible = all.filter((test) => canSee(test.testIssueId));
  const wanted = input.testKeys ? new Set(input.testKeys) : undefined;
  if (wanted) {
    const unknown = [...wanted].filter((key) => !visible.some((test) => test.testKey === key));
    if (unknown.length > 0) {
      const one = unknown.length === 1;
      throw new AppError('VALIDATION', {
        fieldErrors: {
          testKeys: `${unknown.join(', ')} ${one ? 'is not a possibly stale test' : 'are not possibly stale tests'} of ${caller.issue.key}, or you cannot see ${one ? 'it' : 'them'}.`,
        },
      });
    }
  }
  const chosen = visible.filter((test) => !wanted || wanted.has(test.testKey)).slice(0, MAX_TESTS_PER_ASK);
  if (chosen.length === 0) throw noneStale(caller.issue.key);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  // What leaves Jira (issue 20): an update needs the tests' content and the criteria's words.
  const controls = clients.settings.dataControls;
  if (!controls.sources.testSteps || !controls.sources.description) {
    throw new AppError('VALIDATION', {
      message:
        'Proposing updates sends the tests’ steps and the criteria’s words to SQAI, and this project’s data controls keep them in Jira.',
      remedy:
        'Update the tests in Xray and press “Mark reviewed”, or ask a project admin to let test steps and the description leave Jira.',
    });
  }
  const contents = await readTestContents(
    clients.xray,
    chosen.map((test) => test.testIssueId),
    deadline,
  );
  const found = chosen.flatMap((test) => {
    const current = contents.get(test.testIssueId);
    // Deleted from Xray since the last sync: nothing to update.
    return current ? [{ test, before: contentOfCurrent(current) }] : [];
  });
  if (found.length === 0) throw noneStale(caller.issue.key);
  // Within the update mode's limits (100 steps, 10,000 characters a field, 32,000 a definition); a
  // larger test stays flagged, for a person to update in Xray and mark reviewed.
  const askable = found.filter(
    ({ test, before }) =>
      testToUpdateSchema.safeParse(
        entryOf(test, before, { name: before.kind, kind: before.kind }, test.testKey, []),
      ).success,
  );
  if (askable.length === 0) {
    throw new AppError('VALIDATION', {
      message: `${found.length === 1 ? 'The possibly stale test is' : `The ${found.length} possibly stale tests are`} too large for SQAI to review (more than 100 steps, a step over 10,000 characters or a definition over 32,000).`,
      remedy: 'Update them in Xray, then press “Mark reviewed” next to each in the Criteria view.',
    });
  }
  const proven = new Set(
    trace.mappings
      .filter((mapping) => countsAsCoverage(mapping.source))
      .flatMap((mapping) => mapping.criterionIds),
  );
  const criterionIdsOf = (testIssueId: string) => [
    ...new Set(
      trace.mappings
        .filter((mapping) => mapping.testIssueId === testIssueId && countsAsCoverage(mapping.source))
        .flatMap((mapping) => mapping.criterionIds),
    ),
  ];
  return { found: askable, proven, criterionIdsOf, policy: controls.redaction };
}

export async function proposeTestUpdates(
  platform: Platform,
  caller: CriteriaCaller,
  input: ProposeTestUpdatesInput,
): Promise<GenerationDto> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  // Everything a refusal depends on is checked before the start syncs (a refused ask writes nothing).
  const { found, proven, criterionIdsOf, policy } = await staleTestsToAsk(platform, caller, input, deadline);
  const ask: UpdateAsk = {
    async build(document, projectTypes) {
      const typeOf = (testIssueId: string, kind: TestContent['kind']): TestTypeRef => {
        const named = document.xray.tests.find((test) => test.id === testIssueId)?.testType.name;
        const known =
          projectTypes.find((type) => type.name === named) ??
          projectTypes.find((type) => kindOf(type.kind) === kind);
        return { name: known?.name ?? named ?? kind, kind };
      };
      // A new criterion's wording as people wrote it (the document's is redacted already).
      const record = await readCriteriaRecord(platform.kvs, platform.log, caller.issue.id);
      const wordings = new Map((record?.criteria ?? []).map((criterion) => [criterion.id, criterion.text]));
      const changed = changedCriteriaOf(
        found.map(({ test }) => test),
        document,
        proven,
        (id) => wordings.get(id),
      );
      // One redactor for the ask (./update-redaction.ts): nothing the policy redacts is sent.
      const redaction = new UpdateRedaction(policy, {
        document: JSON.stringify(document),
        originals: [
          ...found.flatMap(({ before }) => textsOfContent(before)),
          ...changed.criteria.flatMap((criterion) =>
            changed.documentWorded.has(criterion.id) ? [] : [criterion.before ?? '', criterion.after ?? ''],
          ),
        ],
      });
      const changedCriteria = changed.criteria.map((criterion) => ({
        id: criterion.id,
        before: redactWording(redaction, criterion.before),
        after: redactWording(redaction, criterion.after),
      }));
      const criteriaSent = changedCriteria.flatMap((criterion) => [
        criterion.before ?? '',
        criterion.after ?? '',
      ]);
      const items: UpdateItem[] = [];
      const tests: UpdateRequest['tests'] = [];
      let askedBytes = 0;
      for (const { test, before } of found) {
        const testType = typeOf(test.testIssueId, before.kind);
        const criterionIds = criterionIdsOf(test.testIssueId);
        const summary =
          document.xray.tests.find((candidate) => candidate.id === test.testIssueId)?.summary ?? test.testKey;
        const sent = redaction.redactContent(before);
        const entry = entryOf(test, sent, testType, summary, criterionIds);
        const item: UpdateItem = {
          testIssueId: test.testIssueId,
          testKey: test.testKey,
          summary,
          testType: testType.name,
          criterionIds,
          reasons: test.reasons,
          before,
          status: 'asked',
          redaction: redaction.storedFor([...textsOfContent(sent), ...criteriaSent]),
        };
        // Placeholders can be longer than what they replace: a test that outgrows the update mode's
        // limits once redacted stays flagged, like a test too large to begin with.
        if (!testToUpdateSchema.safeParse(entry).success) continue;
        if (!fitsOneValue(item) || askedBytes + byteSize(item.before) > ASK_CONTENT_BYTES) continue;
        askedBytes += byteSize(item.before);
        items.push(item);
        tests.push(entry);
      }
      const newCriteria = changedCriteria.filter((criterion) => criterion.before === null).length;
      const testTypes = [...new Map(tests.map((test) => [test.testType.name, test.testType])).values()];
      return {
        updates: { changedCriteria, tests },
        items,
        testTypes,
        maxTests: Math.min(50, Math.max(1, newCriteria)),
      };
    },
  };
  return startGeneration(
    platform,
    caller,
    { testTypes: [], maxTests: 1, ...(input.replace ? { replace: true } : {}) },
    ask,
  );
}
