/**
 * Turns SQAI's generated tests into proposals the user reviews: each is mapped to one of the
 * project's test types, checked for its kind (Steps need steps with an action, Gherkin must parse,
 * Unstructured needs a definition), and compared with the requirement's existing tests and earlier
 * proposals; likely duplicates are flagged and deselected by default.
 *
 * The duplicate check is bounded (issue 13, item 7): each text is tokenized once, comparisons that
 * cannot matter are skipped on word counts (DuplicateIndex), and it stops when its time budget is
 * spent. A proposal it did not finish comparing says so in `warnings` and is not selected by default:
 * it may duplicate a test nobody compared it with.
 */
import type { GeneratedTest } from '../clients/sqai-schemas';
import { gherkinProblems } from './gherkin';
import { DUPLICATE_THRESHOLD, DuplicateIndex, type Prepared } from './similarity';
import type { Fingerprint, StoredProposal } from './store';

export const ORIGIN_LABEL = 'sqai-generated';

export interface ProjectTestType {
  name: string;
  kind: string;
}

/** The text a duplicate check compares besides the title. */
export function bodyOf(test: {
  steps?: { action: string; result?: string | null }[] | null;
  gherkin?: string | null;
  definition?: string | null;
}): string {
  return [
    ...(test.steps ?? []).map((step) => `${step.action} ${step.result ?? ''}`),
    test.gherkin ?? '',
    test.definition ?? '',
  ].join('\n');
}

function kindProblems(kind: string, test: GeneratedTest): string[] {
  if (kind === 'Steps') {
    const steps = test.steps ?? [];
    if (steps.length === 0) return ['Manual (Steps) tests need at least one step.'];
    const blank = steps.findIndex((step) => step.action.trim() === '');
    return blank >= 0 ? [`Step ${blank + 1} has no action.`] : [];
  }
  if (kind === 'Gherkin') return gherkinProblems(test.gherkin ?? '');
  if (kind === 'Unstructured') {
    return (test.definition ?? '').trim() === '' ? ['Generic (Unstructured) tests need a definition.'] : [];
  }
  return [`The test type kind “${kind}” is not supported.`];
}

/** A test's criterion ids split into those the requirement has (in the test's order, once each) and the rest. */
export function criterionIdsOf(
  named: readonly string[],
  known: readonly string[],
): { known: string[]; unknown: string[] } {
  const ids = new Set(known);
  const unique = [...new Set(named.map((id) => id.trim()))];
  return { known: unique.filter((id) => ids.has(id)), unknown: unique.filter((id) => !ids.has(id)) };
}

/** The note on a test naming criteria the requirement does not have (they are dropped). */
export const unknownCriteria = (ids: readonly string[]): string => {
  const shown = ids.slice(0, 5).map((id) => `“${id.slice(0, 40)}”`);
  const more = ids.length > shown.length ? ` and ${ids.length - shown.length} more` : '';
  return `SQAI said this test proves ${ids.length === 1 ? 'criterion' : 'criteria'} ${shown.join(', ')}${more}, which the requirement does not have (now); ${ids.length === 1 ? 'it was' : 'they were'} left out.`;
};

/** How long the duplicate check of one review may take (a resolver has 25 s for everything). */
export const DUPLICATE_CHECK_BUDGET_MS = 3_000;

/** The clock is read once per this many comparisons. */
const CLOCK_EVERY = 32;

export const duplicateCheckIncomplete = (budgetMs: number): string =>
  `The duplicate check ran out of time (${(budgetMs / 1000).toLocaleString('en')} s) before comparing this test with every existing test and earlier proposal: it may be a duplicate. Review it before you select it.`;

/** What a review adds to a stored proposal. */
export type ReviewedProposal = StoredProposal & {
  /** Worth knowing, but no reason it cannot be created (unlike `problems`). */
  warnings?: string[];
};

interface KnownText {
  entry: Fingerprint;
  prepared?: Prepared;
}

/**
 * The known text most like the selected candidate (the first of equals) if it reaches
 * DUPLICATE_THRESHOLD; `complete` is false when the budget ran out before every text was compared
 * (a match found by then is still a likely duplicate, if not surely the closest).
 */
function closest(
  index: DuplicateIndex,
  known: KnownText[],
  outOfTime: () => boolean,
): { match?: { entry: Fingerprint; score: number }; complete: boolean } {
  let best: { entry: Fingerprint; score: number } | undefined;
  let complete = true;
  let compared = 0;
  for (const item of known) {
    if (compared % CLOCK_EVERY === 0 && outOfTime()) {
      complete = false;
      break;
    }
    compared += 1;
    item.prepared ??= index.prepare({ title: item.entry.summary, body: item.entry.text });
    const score = index.score(item.prepared, Math.max(DUPLICATE_THRESHOLD, best?.score ?? 0));
    if (score !== undefined && (!best || score > best.score)) best = { entry: item.entry, score };
  }
  return { ...(best && best.score >= DUPLICATE_THRESHOLD ? { match: best } : {}), complete };
}

export function reviewProposals(input: {
  tests: GeneratedTest[];
  projectTestTypes: ProjectTestType[];
  /** The requirement's existing tests and earlier proposals. */
  known: Fingerprint[];
  /** The duplicate check stops after this long (ms); proposals it did not finish say so. */
  duplicateCheckMs?: number;
  /** The clock the budget is measured on (ms). */
  now?: () => number;
  /**
   * The ids of the requirement's criteria (the context document's `requirement.criteria`): a test's
   * `criterionIds` outside them are dropped with a warning. Absent: no criteria known, all dropped.
   */
  criterionIds?: readonly string[];
}): ReviewedProposal[] {
  const budgetMs = input.duplicateCheckMs ?? DUPLICATE_CHECK_BUDGET_MS;
  const now = input.now ?? (() => performance.now());
  const endsAt = now() + budgetMs;
  let expired = false;
  const outOfTime = (): boolean => (expired ||= now() >= endsAt);
  const index = new DuplicateIndex();
  const seen: KnownText[] = input.known.map((entry) => ({ entry }));
  const typeNames = input.projectTestTypes.map((type) => type.name).join(', ') || 'none';
  return input.tests.map((test) => {
    const type = input.projectTestTypes.find(
      (candidate) => candidate.name.toLowerCase() === test.testType.toLowerCase(),
    );
    const kind = type?.kind ?? 'Unknown';
    const problems = type
      ? kindProblems(kind, test)
      : [`SQAI proposed the test type “${test.testType}”, which this project does not have (${typeNames}).`];
    const body = bodyOf(test);
    let check: ReturnType<typeof closest> = { complete: false };
    if (!outOfTime()) {
      const prepared = index.prepare({ title: test.title, body });
      index.select(prepared);
      check = closest(index, seen, outOfTime);
      seen.push({
        entry: { key: `proposal “${test.title.slice(0, 60)}”`, summary: test.title, text: body },
        prepared,
      });
    }
    const { match } = check;
    const duplicateOf = match
      ? {
          key: match.entry.key,
          summary: match.entry.summary,
          similarity: Math.round(match.score * 100) / 100,
          ...(match.entry.issueId ? { issueId: match.entry.issueId } : {}),
        }
      : undefined;
    const labels = [...new Set([ORIGIN_LABEL, ...(test.labels ?? [])])];
    const proves = criterionIdsOf(test.criterionIds ?? [], input.criterionIds ?? []);
    const warnings = [
      ...(check.complete ? [] : [duplicateCheckIncomplete(budgetMs)]),
      ...(proves.unknown.length > 0 ? [unknownCriteria(proves.unknown)] : []),
    ];
    return {
      id: test.id,
      title: test.title,
      testType: type?.name ?? test.testType,
      kind,
      priority: test.priority ?? null,
      labels,
      ...(kind === 'Steps'
        ? {
            steps: (test.steps ?? []).map((step) => ({
              action: step.action,
              data: step.data ?? null,
              result: step.result ?? null,
            })),
          }
        : {}),
      ...(kind === 'Gherkin' ? { gherkin: test.gherkin ?? '' } : {}),
      ...(kind === 'Unstructured' ? { definition: test.definition ?? '' } : {}),
      rationale: test.rationale ?? null,
      ...(proves.known.length > 0 ? { criterionIds: proves.known } : {}),
      problems,
      ...(duplicateOf ? { duplicateOf } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
      selectedByDefault: problems.length === 0 && !duplicateOf && check.complete,
    };
  });
}
