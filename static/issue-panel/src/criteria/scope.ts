/**
 * The Criteria view's scope choice — "Results from: Latest run | Test Plan DEMO-30 …" — in words,
 * kept free of React so it unit-tests in Node (test/unit/static/criteriaModel.test.ts). Apart from
 * ./model.ts, which the generate form also imports, so this stays in the lazily loaded view.
 */
import type { CriteriaPlanDto, CriteriaViewDto } from '../../../../src/api';

/** The option value of "Latest run" (a Test Plan's is its key). */
export const LATEST_RUN = '';

/** How many Test Plans the app keeps results of per requirement (src/criteria/state.ts MAX_PLAN_SCOPES). */
export const KEPT_PLANS = 4;

export interface ScopeOption {
  label: string;
  value: string;
}

/** "Test Plan DEMO-30 · Release 2.4 regression". */
export function planLabel(plan: CriteriaPlanDto): string {
  return plan.summary ? `Test Plan ${plan.key} · ${plan.summary}` : `Test Plan ${plan.key}`;
}

/**
 * The choices: the latest run, then each kept plan the caller sees; a chosen plan that is no longer
 * kept stays listed (so the choice still shows what was asked for) until another is picked.
 */
export function scopeOptions(
  view: Pick<CriteriaViewDto, 'plans' | 'scope'>,
  chosen: string | undefined,
): ScopeOption[] {
  const options: ScopeOption[] = [
    { label: 'Latest run', value: LATEST_RUN },
    ...view.plans.map((plan) => ({ label: planLabel(plan), value: plan.key })),
  ];
  if (chosen && !view.plans.some((plan) => plan.key === chosen)) {
    options.push({ label: `Test Plan ${chosen}`, value: chosen });
  }
  return options;
}

/** The choice is shown when there is something to choose, or a plan was chosen (to go back). */
export function showsScopeChoice(view: Pick<CriteriaViewDto, 'plans'>, chosen: string | undefined): boolean {
  return view.plans.length > 0 || chosen !== undefined;
}

/**
 * The note under the choice: a chosen plan whose results are not kept (or not visible to the caller)
 * is not shown as "nothing ran in it"; the view falls back to the latest run and says so.
 */
export function scopeNoteText(view: Pick<CriteriaViewDto, 'scope'>): string | undefined {
  const { testPlanKey, kept } = view.scope;
  if (testPlanKey === undefined || kept) return undefined;
  return (
    `No results are kept for ${testPlanKey} yet — the app keeps the newest ${KEPT_PLANS} Test Plans ` +
    'of this requirement’s tests. Showing each test’s latest run instead.'
  );
}
