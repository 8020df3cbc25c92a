/**
 * The Criteria view's words and choices, kept free of React and Atlaskit so they unit-test in Node
 * (test/unit/static/criteriaModel.test.ts): the summary line, each state's lozenge, a test's result,
 * the notes under the list, and the criteria focus handed to "Generate tests".
 */
import type {
  CriteriaSummaryDto,
  CriteriaViewDto,
  CriterionDto,
  CriterionStateName,
  CriterionTestDto,
} from '../../../../src/api';
import { plural, type StatusBadge } from '../../../common/src/format';

/** Each state's lozenge (docs/criteria.md "Criterion state"). */
export const STATE_BADGES: Record<CriterionStateName, StatusBadge> = {
  proven: { text: 'Proven', appearance: 'success' },
  failing: { text: 'Failing', appearance: 'removed' },
  // Issue 19: a counted test was written against another wording — review it (distinct from "changed": re-run).
  stale: { text: 'Possibly stale', appearance: 'new' },
  changed: { text: 'Changed since tested', appearance: 'moved' },
  notRun: { text: 'Not run', appearance: 'inprogress' },
  noTest: { text: 'No test', appearance: 'default' },
};

/** The summary line's order: the states that need attention after the proven ones. */
const SUMMARY_ORDER: readonly [keyof CriteriaSummaryDto & CriterionStateName, string][] = [
  ['proven', 'proven'],
  ['failing', 'failing'],
  ['stale', 'possibly stale'],
  ['changed', 'changed since tested'],
  ['notRun', 'not run'],
  ['noTest', 'no test'],
];

/** "5 criteria: 2 proven, 1 failing, 1 not run, 1 no test" (states with none left out). */
export function summaryText(summary: CriteriaSummaryDto): string {
  const head = plural(summary.criteria, 'criterion', 'criteria');
  // `stale` is absent from summaries written before issue 19.
  const count = (state: (typeof SUMMARY_ORDER)[number][0]) => summary[state] ?? 0;
  const parts = SUMMARY_ORDER.filter(([state]) => count(state) > 0).map(
    ([state, words]) => `${count(state)} ${words}`,
  );
  return parts.length > 0 ? `${head}: ${parts.join(', ')}` : head;
}

/** A test's latest result as a lozenge: Xray's status name when it ran, "Not run" when it never did. */
export function testResultBadge(test: Pick<CriterionTestDto, 'outcome' | 'status'>): StatusBadge {
  const appearance =
    test.outcome === 'passed' ? 'success' : test.outcome === 'failed' ? 'removed' : 'default';
  const fallback = test.outcome === 'passed' ? 'Passed' : test.outcome === 'failed' ? 'Failed' : 'Not run';
  const status = test.status?.trim();
  return { text: status ? status.replace(/_/g, ' ') : fallback, appearance };
}

/** How the mapping came to be, as the test's row says it. */
export const SOURCE_TEXT: Record<CriterionTestDto['source'], string> = {
  generated: 'generated for it',
  confirmed: 'suggestion confirmed',
  manual: 'mapped by hand',
};

/** "87% sure" for a suggestion's confidence (0–1; tolerant of a percentage); undefined when absent. */
export function confidenceText(confidence: number | undefined): string | undefined {
  if (confidence === undefined || !Number.isFinite(confidence) || confidence < 0) return undefined;
  const percent = Math.round(confidence <= 1 ? confidence * 100 : Math.min(confidence, 100));
  return `${percent}% sure`;
}

/** Tests the caller may not see are counted, never named. */
export function hiddenTestsText(hidden: number): string | undefined {
  if (hidden <= 0) return undefined;
  return hidden === 1
    ? '1 test covering this requirement is in a project or issue you cannot see; it is left out, and so is its result.'
    : `${hidden} tests covering this requirement are in projects or issues you cannot see; they are left out, and so are their results.`;
}

/** What "Suggest mappings" found. */
export function suggestOutcomeText(result: { classified: number; suggestions: number }): string {
  if (result.classified === 0)
    return 'Every test covering this requirement is already mapped: nothing to classify.';
  const sent = `SQAI classified ${plural(result.classified, 'test')}`;
  if (result.suggestions === 0) return `${sent} and suggested no mapping.`;
  return `${sent} and suggested ${plural(result.suggestions, 'mapping')}: confirm or reject them below.`;
}

/** The criteria "Generate tests" is asked to cover (the Criteria view's "Generate tests for uncovered criteria"). */
export interface CriteriaFocus {
  ids: string[];
  texts: string[];
  /** Bumped by every request, so asking again re-opens the form even with the same criteria. */
  serial: number;
}

/** The criteria without a test, in the requirement's order. */
export function uncoveredCriteria(criteria: readonly CriterionDto[]): CriterionDto[] {
  return criteria.filter((criterion) => criterion.state === 'noTest');
}

/** The focus for the criteria without a test (null when every criterion has one). */
export function focusOfUncovered(criteria: readonly CriterionDto[], serial: number): CriteriaFocus | null {
  const uncovered = uncoveredCriteria(criteria);
  if (uncovered.length === 0) return null;
  return { ids: uncovered.map(({ id }) => id), texts: uncovered.map(({ text }) => text), serial };
}

/** The generate form's note: "For 2 criteria without a test". */
export function focusText(focus: Pick<CriteriaFocus, 'ids'>): string {
  return `For ${plural(focus.ids.length, 'criterion', 'criteria')} without a test`;
}

/**
 * The Criteria view's "Generate tests for uncovered criteria" button (issue 18's wording), with the
 * count: "Generate tests for 2 uncovered criteria". The generate form's own button is exactly
 * "Generate tests"; the two names differ as a whole, so look either up by its exact name.
 */
export function generateUncoveredText(count: number): string {
  return count === 1
    ? 'Generate tests for 1 uncovered criterion'
    : `Generate tests for ${count} uncovered criteria`;
}

/** The tests a criterion may be mapped to from the list: those covering the requirement and not already its own. */
export function mappableTests(
  view: Pick<CriteriaViewDto, 'unmappedTests' | 'criteria'>,
  criterion: Pick<CriterionDto, 'tests' | 'suggested'>,
): { key: string; summary?: string }[] {
  const own = new Set([...criterion.tests, ...criterion.suggested].map(({ key }) => key));
  const seen = new Set<string>();
  const candidates: { key: string; summary?: string }[] = [];
  // Tests mapped to other criteria can prove this one too; tests proving none come first.
  const others = view.criteria.flatMap((other) => other.tests);
  for (const test of [...view.unmappedTests, ...others]) {
    if (own.has(test.key) || seen.has(test.key)) continue;
    seen.add(test.key);
    candidates.push(test.summary ? { key: test.key, summary: test.summary } : { key: test.key });
  }
  return candidates;
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9]\d*$/;

/** A typed test key, normalised (" demo-12 " → "DEMO-12"), or an error to show under the field. */
export function typedTestKey(typed: string): { key: string } | { error: string } {
  const key = typed.trim().toUpperCase();
  if (key === '') return { error: 'Enter the key of a test, e.g. DEMO-12.' };
  if (!ISSUE_KEY.test(key)) return { error: `${typed.trim()} is not an issue key (e.g. DEMO-12).` };
  return { key };
}

/** A field error from changeCriterionMapping (VALIDATION), shown under the map field; else undefined. */
export function mappingFieldError(fieldErrors: Record<string, string> | undefined): string | undefined {
  if (!fieldErrors) return undefined;
  return fieldErrors.testKey ?? fieldErrors.criterionId ?? Object.values(fieldErrors)[0];
}
