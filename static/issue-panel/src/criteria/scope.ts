/**
 * The Criteria view's scope choice — "Results from: Latest run | Test Plan DEMO-30 … | Test
 * Execution DEMO-87 …" — in words, kept free of React so it unit-tests in Node
 * (test/unit/static/criteriaModel.test.ts). Apart from ./model.ts, which the generate form also
 * imports, so this stays in the lazily loaded view.
 *
 * A scope is one string (the select's value and the query key's last part): `LATEST_RUN`, a Test
 * Plan's key, or `execution:` and a Test Execution's key — so a plan and an execution never share
 * a value, and each option's label says which of the two it is.
 */
import type { CriteriaPlanDto, CriteriaViewDto, GetCriteriaInput } from '../../../../src/api';

/** The option value of "Latest run" (a Test Plan's is its key). */
export const LATEST_RUN = '';

/** How many Test Plans the app keeps results of per requirement (src/criteria/state.ts MAX_PLAN_SCOPES). */
export const KEPT_PLANS = 4;
/** How many Test Executions it keeps (src/criteria/state.ts MAX_EXECUTION_SCOPES). */
export const KEPT_EXECUTIONS = 4;

const EXECUTION = 'execution:';

export interface ScopeOption {
  label: string;
  value: string;
}

type ScopeView = Pick<CriteriaViewDto, 'plans' | 'scope'> & Partial<Pick<CriteriaViewDto, 'executions'>>;

/** "Test Plan DEMO-30 · Release 2.4 regression". */
export function planLabel(plan: CriteriaPlanDto): string {
  return plan.summary ? `Test Plan ${plan.key} · ${plan.summary}` : `Test Plan ${plan.key}`;
}

/** "Test Execution DEMO-87 · Nightly run". */
export function executionLabel(execution: CriteriaPlanDto): string {
  return execution.summary
    ? `Test Execution ${execution.key} · ${execution.summary}`
    : `Test Execution ${execution.key}`;
}

/** The value of a Test Execution's option. */
export const executionValue = (key: string): string => `${EXECUTION}${key}`;

/** What to ask getCriteria for a scope value (absent or LATEST_RUN: the latest run). */
export function scopeInputOf(value: string | undefined): GetCriteriaInput {
  if (!value) return {};
  return value.startsWith(EXECUTION)
    ? { testExecutionKey: value.slice(EXECUTION.length) }
    : { testPlanKey: value };
}

/** The scope value a view answered in (undefined: the latest run). */
export function scopeValueOf(scope: CriteriaViewDto['scope']): string | undefined {
  if (scope.testExecutionKey !== undefined) return executionValue(scope.testExecutionKey);
  return scope.testPlanKey;
}

/**
 * The choices: the latest run, then each kept plan, then each kept execution the caller sees; a
 * chosen scope that is no longer kept stays listed (so the choice still shows what was asked for)
 * until another is picked.
 */
export function scopeOptions(view: ScopeView, chosen: string | undefined): ScopeOption[] {
  const executions = view.executions ?? [];
  const options: ScopeOption[] = [
    { label: 'Latest run', value: LATEST_RUN },
    ...view.plans.map((plan) => ({ label: planLabel(plan), value: plan.key })),
    ...executions.map((execution) => ({
      label: executionLabel(execution),
      value: executionValue(execution.key),
    })),
  ];
  if (chosen && !options.some((option) => option.value === chosen)) {
    const asked = scopeInputOf(chosen);
    options.push(
      asked.testExecutionKey !== undefined
        ? { label: executionLabel({ key: asked.testExecutionKey }), value: chosen }
        : { label: `Test Plan ${chosen}`, value: chosen },
    );
  }
  return options;
}

/** The choice is shown when there is something to choose, or a scope was chosen (to go back). */
export function showsScopeChoice(
  view: Pick<CriteriaViewDto, 'plans'> & Partial<Pick<CriteriaViewDto, 'executions'>>,
  chosen: string | undefined,
): boolean {
  return view.plans.length > 0 || (view.executions ?? []).length > 0 || chosen !== undefined;
}

/**
 * The note under the choice: a chosen plan or execution whose results are not kept (or not visible
 * to the caller) is not shown as "nothing ran in it"; the view falls back to the latest run and
 * says so.
 */
export function scopeNoteText(view: Pick<CriteriaViewDto, 'scope'>): string | undefined {
  const { testPlanKey, testExecutionKey, kept } = view.scope;
  if (kept) return undefined;
  if (testExecutionKey !== undefined) {
    return (
      `No results are kept for ${testExecutionKey} yet — the app keeps the newest ${KEPT_EXECUTIONS} ` +
      'Test Executions this requirement’s tests ran in. Showing each test’s latest run instead.'
    );
  }
  if (testPlanKey === undefined) return undefined;
  return (
    `No results are kept for ${testPlanKey} yet — the app keeps the newest ${KEPT_PLANS} Test Plans ` +
    'of this requirement’s tests. Showing each test’s latest run instead.'
  );
}
