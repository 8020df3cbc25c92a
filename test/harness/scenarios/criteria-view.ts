/**
 * DEMO-1 ("Guest checkout with email receipt") with an acceptance criterion in every state the
 * panel's Criteria view shows (issue 18; docs/criteria.md "Criterion state"), set up the way people
 * get there: the requirement is sent to SQAI (its criteria are read), a tester records runs in Xray,
 * a QA lead maps tests to criteria in the panel, the product owner rewords one criterion, and the
 * requirement is sent again.
 *
 *   “Continue as guest” offered          ← Guest can check out…           PASSED  → proven
 *   valid email before payment           ← Invalid guest email…           FAILED  → failing
 *   receipt within 2 → 5 minutes         ← Guest receives an email receipt PASSED, then reworded and
 *                                          the test reviewed (mapped again)                    → changed
 *   receipt lists every item…  ← Guest can check out… (Firefox)  EXECUTING → not run
 *   Example: receipt for a guest order   (no test)                                 → no test
 *
 * Everything goes through the real resolvers as DEMO's admin, and runs through the playground's
 * Xray control endpoint (`POST /__sim/xray/run`), so the stored state is what the app itself writes.
 */
import type { CriteriaViewDto, CriterionDto, CriterionStateName } from '../../../src/api';
import { data } from '../demo-settings';
import { DEMO, type World } from '../world';
import { reworded } from './living-tests';

export const CRITERIA_DEMO_ISSUE = 'DEMO-1';

/** The demo tests covering DEMO-1 the scenario uses, by summary (test/harness/fixtures/demo-requirements.ts). */
export const CRITERIA_DEMO_TESTS = {
  checkout: 'Guest can check out with only an email address',
  invalidEmail: 'Invalid guest email is rejected before payment',
  receipt: 'Guest receives an email receipt',
  checkoutFirefox: 'Guest can check out with only an email address (Firefox)',
} as const;

/**
 * The states the set-up reaches on DEMO-1 (one criterion each). `stale` (issue 19: a test written
 * against another wording) is not one of them.
 */
export type DemoCriterionState = Exclude<CriterionStateName, 'stale'>;

/** The words that pick each criterion out of DEMO-1's description. */
const CRITERION_WORDS: Record<DemoCriterionState, string> = {
  proven: 'Continue as guest',
  failing: 'valid email address before choosing a payment method',
  changed: 'receives an email receipt within',
  notRun: 'The receipt lists every item',
  noTest: 'receipt for a guest order',
};

/** The reworded criterion: one word changed, so it keeps its id and is marked changed. */
const REWORD = { from: 'within 2 minutes', to: 'within 5 minutes' } as const;

export interface CriteriaDemo {
  /** The criterion in each state, after the set-up. */
  criteria: Record<DemoCriterionState, CriterionDto>;
  /** Test keys by the names of CRITERIA_DEMO_TESTS. */
  tests: Record<keyof typeof CRITERIA_DEMO_TESTS, string>;
  view: CriteriaViewDto;
}

async function send(world: World): Promise<void> {
  data(await world.invokeIssue('sendToSqai', { force: true }, CRITERIA_DEMO_ISSUE));
}

async function criteriaView(world: World): Promise<CriteriaViewDto> {
  return data(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, CRITERIA_DEMO_ISSUE));
}

function criterionWith(view: CriteriaViewDto, words: string): CriterionDto {
  const found = view.criteria.find((criterion) => criterion.text.includes(words));
  if (!found) {
    throw new Error(
      `DEMO-1 has no criterion with “${words}”: ${view.criteria.map(({ text }) => text).join(' | ')}`,
    );
  }
  return found;
}

/** Records a result of `testKey` in its latest Test Execution, as a tester would in Xray. */
export async function recordRun(playgroundUrl: string, testKey: string, status: string): Promise<void> {
  const response = await fetch(`${playgroundUrl}/__sim/xray/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ test: testKey, status }),
  });
  if (response.status !== 200)
    throw new Error(`Recording ${status} for ${testKey}: ${await response.text()}`);
}

/**
 * Puts DEMO-1's criteria into every state. Needs a configured DEMO whose first backfill ran
 * (`configureThroughPlayground`, then `world.platform.queue.drain()`).
 */
export async function prepareCriteriaDemo(world: World, playgroundUrl: string): Promise<CriteriaDemo> {
  const demo1 = world.jiraStore.issue(CRITERIA_DEMO_ISSUE);
  if (!demo1) throw new Error('No DEMO-1 in the demo world');
  const covering = world.xrayStore.coveringTestIds(demo1.id).map((id) => world.jiraStore.issues.get(id));
  const keyOf = (summary: string): string => {
    const test = covering.find((issue) => issue?.summary === summary);
    if (!test) throw new Error(`No test “${summary}” covers DEMO-1`);
    return test.key;
  };
  const tests = {
    checkout: keyOf(CRITERIA_DEMO_TESTS.checkout),
    invalidEmail: keyOf(CRITERIA_DEMO_TESTS.invalidEmail),
    receipt: keyOf(CRITERIA_DEMO_TESTS.receipt),
    checkoutFirefox: keyOf(CRITERIA_DEMO_TESTS.checkoutFirefox),
  };

  // The first send reads the criteria (the description's list and its Given/When/Then example).
  await send(world);
  const first = await criteriaView(world);
  const ids = Object.fromEntries(
    Object.entries(CRITERION_WORDS).map(([state, words]) => [state, criterionWith(first, words).id]),
  ) as Record<DemoCriterionState, string>;

  // A tester's latest results in Xray; the next send brings them in.
  await recordRun(playgroundUrl, tests.checkout, 'PASSED');
  await recordRun(playgroundUrl, tests.invalidEmail, 'FAILED');
  await recordRun(playgroundUrl, tests.receipt, 'PASSED');
  await recordRun(playgroundUrl, tests.checkoutFirefox, 'EXECUTING');
  await send(world);

  // A QA lead maps the tests in the panel.
  const maps: [string, string][] = [
    [tests.checkout, ids.proven],
    [tests.invalidEmail, ids.failing],
    [tests.receipt, ids.changed],
    [tests.checkoutFirefox, ids.notRun],
  ];
  for (const [testKey, criterionId] of maps) {
    data(
      await world.invokeIssue(
        'changeCriterionMapping',
        { action: 'map', testKey, criterionId },
        CRITERIA_DEMO_ISSUE,
        DEMO.admin,
      ),
    );
  }

  // The product owner rewords one criterion after its test passed; the requirement is sent again.
  world.jiraStore.updateIssue(demo1.id, {
    description: reworded(demo1.description, REWORD.from, REWORD.to) as typeof demo1.description,
  });
  await send(world);
  // The receipt test is now possibly stale (issue 19). The QA lead checks it against the new wording
  // and maps it again: it is reviewed, and only its run (older than the wording) is out of date.
  for (const action of ['unmap', 'map'] as const) {
    data(
      await world.invokeIssue(
        'changeCriterionMapping',
        { action, testKey: tests.receipt, criterionId: ids.changed },
        CRITERIA_DEMO_ISSUE,
        DEMO.admin,
      ),
    );
  }

  const view = await criteriaView(world);
  const criteria = Object.fromEntries(
    Object.entries(ids).map(([state, id]) => {
      const criterion = view.criteria.find((candidate) => candidate.id === id);
      if (!criterion) throw new Error(`Criterion ${id} (${state}) is gone after the set-up`);
      return [state, criterion];
    }),
  ) as Record<DemoCriterionState, CriterionDto>;
  return { criteria, tests, view };
}
