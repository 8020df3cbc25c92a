import type { CriteriaSummaryDto, CriterionDto } from '../../../src/api';
import {
  confidenceText,
  focusOfUncovered,
  focusText,
  generateUncoveredText,
  hiddenTestsText,
  mappableTests,
  mappingFieldError,
  STATE_BADGES,
  suggestOutcomeText,
  summaryText,
  testResultBadge,
  typedTestKey,
  uncoveredCriteria,
} from '../../../static/issue-panel/src/criteria/model';
import {
  KEPT_PLANS,
  LATEST_RUN,
  planLabel,
  scopeNoteText,
  scopeOptions,
  showsScopeChoice,
} from '../../../static/issue-panel/src/criteria/scope';
import { MAX_PLAN_SCOPES } from '../../../src/criteria/state';

const summary = (counts: Partial<CriteriaSummaryDto>): CriteriaSummaryDto => {
  const base = { proven: 0, failing: 0, changed: 0, notRun: 0, noTest: 0, ...counts };
  const criteria = base.proven + base.failing + base.changed + base.notRun + base.noTest;
  return { ...base, criteria, unproven: criteria - base.proven };
};

const criterion = (
  id: string,
  state: CriterionDto['state'],
  extra: Partial<CriterionDto> = {},
): CriterionDto => ({
  id,
  text: `Criterion ${id}`,
  state,
  revision: 1,
  since: '2026-12-01T10:00:00.000Z',
  tests: [],
  suggested: [],
  ...extra,
});

describe('the Criteria view model', () => {
  it('summarises the counts in the states’ order, leaving out states with none', () => {
    expect(summaryText(summary({ proven: 2, failing: 1, notRun: 1, noTest: 1 }))).toBe(
      '5 criteria: 2 proven, 1 failing, 1 not run, 1 no test',
    );
    expect(summaryText(summary({ changed: 1 }))).toBe('1 criterion: 1 changed since tested');
    expect(summaryText(summary({ noTest: 3, proven: 1 }))).toBe('4 criteria: 1 proven, 3 no test');
    expect(summaryText(summary({}))).toBe('0 criteria');
  });

  it('gives each state its lozenge', () => {
    expect(STATE_BADGES.proven).toEqual({ text: 'Proven', appearance: 'success' });
    expect(STATE_BADGES.failing).toEqual({ text: 'Failing', appearance: 'removed' });
    expect(STATE_BADGES.changed).toEqual({ text: 'Changed since tested', appearance: 'moved' });
    expect(STATE_BADGES.notRun.appearance).toBe('inprogress');
    expect(STATE_BADGES.noTest.appearance).toBe('default');
  });

  it('shows a test’s result as Xray’s status name, or its outcome when it never ran', () => {
    expect(testResultBadge({ outcome: 'passed', status: 'PASSED' })).toEqual({
      text: 'PASSED',
      appearance: 'success',
    });
    expect(testResultBadge({ outcome: 'failed', status: 'NEEDS_REWORK' })).toEqual({
      text: 'NEEDS REWORK',
      appearance: 'removed',
    });
    expect(testResultBadge({ outcome: 'notRun' })).toEqual({ text: 'Not run', appearance: 'default' });
    expect(testResultBadge({ outcome: 'notRun', status: 'TODO' }).text).toBe('TODO');
    expect(testResultBadge({ outcome: 'passed', status: '  ' }).text).toBe('Passed');
  });

  it('words a suggestion’s confidence, tolerating a percentage and ignoring nonsense', () => {
    expect(confidenceText(0.874)).toBe('87% sure');
    expect(confidenceText(92)).toBe('92% sure');
    expect(confidenceText(undefined)).toBeUndefined();
    expect(confidenceText(Number.NaN)).toBeUndefined();
    expect(confidenceText(-1)).toBeUndefined();
  });

  it('counts hidden tests without naming them, and says nothing when there are none', () => {
    expect(hiddenTestsText(0)).toBeUndefined();
    expect(hiddenTestsText(1)).toMatch(
      /^1 test covering this requirement is in a project or issue you cannot see/,
    );
    expect(hiddenTestsText(3)).toMatch(/^3 tests covering this requirement are in projects or issues/);
  });

  it('says what "Suggest mappings" found', () => {
    expect(suggestOutcomeText({ classified: 4, suggestions: 2 })).toBe(
      'SQAI classified 4 tests and suggested 2 mappings: confirm or reject them below.',
    );
    expect(suggestOutcomeText({ classified: 1, suggestions: 0 })).toBe(
      'SQAI classified 1 test and suggested no mapping.',
    );
    expect(suggestOutcomeText({ classified: 0, suggestions: 0 })).toMatch(/nothing to classify/);
  });

  it('focuses "Generate tests" on the criteria without a test, in the requirement’s order', () => {
    const criteria = [
      criterion('ac-1', 'noTest'),
      criterion('ac-2', 'proven'),
      criterion('ac-3', 'noTest'),
      criterion('ac-4', 'failing'),
    ];
    expect(uncoveredCriteria(criteria).map(({ id }) => id)).toEqual(['ac-1', 'ac-3']);
    const focus = focusOfUncovered(criteria, 7);
    expect(focus).toEqual({ ids: ['ac-1', 'ac-3'], texts: ['Criterion ac-1', 'Criterion ac-3'], serial: 7 });
    expect(focusText({ ids: ['ac-1', 'ac-3'] })).toBe('For 2 criteria without a test');
    expect(focusText({ ids: ['ac-1'] })).toBe('For 1 criterion without a test');
    expect(focusOfUncovered([criterion('ac-2', 'proven')], 1)).toBeNull();
    expect(generateUncoveredText(1)).toBe('Generate tests for 1 uncovered criterion');
    expect(generateUncoveredText(3)).toBe('Generate tests for 3 uncovered criteria');
  });

  it('offers to map the unmapped tests first, then other criteria’s tests, never the criterion’s own or twice', () => {
    const test = (key: string) => ({
      key,
      summary: `Test ${key}`,
      source: 'manual' as const,
      outcome: 'passed' as const,
      stale: false,
    });
    const own = criterion('ac-1', 'proven', {
      tests: [test('DEMO-10')],
      suggested: [{ key: 'DEMO-13' }],
    });
    const other = criterion('ac-2', 'proven', { tests: [test('DEMO-10'), test('DEMO-11')] });
    const view = {
      criteria: [own, other],
      unmappedTests: [{ key: 'DEMO-12', summary: 'Unmapped' }, { key: 'DEMO-13' }],
    };
    expect(mappableTests(view, own)).toEqual([
      { key: 'DEMO-12', summary: 'Unmapped' },
      { key: 'DEMO-11', summary: 'Test DEMO-11' },
    ]);
    expect(mappableTests(view, other).map(({ key }) => key)).toEqual(['DEMO-12', 'DEMO-13']);
  });

  it('normalises a typed test key and refuses anything that is not one', () => {
    expect(typedTestKey(' demo-12 ')).toEqual({ key: 'DEMO-12' });
    expect(typedTestKey('')).toEqual({ error: 'Enter the key of a test, e.g. DEMO-12.' });
    expect(typedTestKey('DEMO-0')).toHaveProperty('error');
    expect(typedTestKey('12')).toEqual({ error: '12 is not an issue key (e.g. DEMO-12).' });
  });

  it('picks the map field’s message from the server’s field errors', () => {
    expect(mappingFieldError(undefined)).toBeUndefined();
    expect(mappingFieldError({ criterionId: 'Unknown criterion', testKey: 'DEMO-99 is not a test' })).toBe(
      'DEMO-99 is not a test',
    );
    expect(mappingFieldError({ other: 'Something else' })).toBe('Something else');
  });
});

describe('the Criteria view’s scope choice', () => {
  const plans = [{ key: 'DEMO-30', summary: 'Release 2.4 regression' }, { key: 'DEMO-31' }];

  it('offers the latest run, then each kept plan the caller sees', () => {
    expect(scopeOptions({ plans, scope: { kept: true } }, undefined)).toEqual([
      { label: 'Latest run', value: LATEST_RUN },
      { label: 'Test Plan DEMO-30 · Release 2.4 regression', value: 'DEMO-30' },
      { label: 'Test Plan DEMO-31', value: 'DEMO-31' },
    ]);
    expect(planLabel({ key: 'DEMO-31' })).toBe('Test Plan DEMO-31');
  });

  it('keeps a chosen plan that is no longer kept listed, and the choice shown, so the user can go back', () => {
    const view = { plans: [], scope: { testPlanKey: 'DEMO-9', kept: false } };
    expect(scopeOptions(view, 'DEMO-9').map((option) => option.value)).toEqual([LATEST_RUN, 'DEMO-9']);
    expect(showsScopeChoice(view, 'DEMO-9')).toBe(true);
    expect(showsScopeChoice({ plans: [] }, undefined)).toBe(false);
    expect(showsScopeChoice({ plans }, undefined)).toBe(true);
    expect(scopeOptions({ plans, scope: { kept: true } }, 'DEMO-30')).toHaveLength(3);
  });

  it('says when the chosen plan’s results are not kept, and only then', () => {
    expect(scopeNoteText({ scope: { kept: true } })).toBeUndefined();
    expect(scopeNoteText({ scope: { testPlanKey: 'DEMO-30', kept: true } })).toBeUndefined();
    expect(scopeNoteText({ scope: { testPlanKey: 'DEMO-9', kept: false } })).toBe(
      `No results are kept for DEMO-9 yet — the app keeps the newest ${KEPT_PLANS} Test Plans of this requirement’s tests. Showing each test’s latest run instead.`,
    );
    expect(KEPT_PLANS).toBe(MAX_PLAN_SCOPES);
  });
});
