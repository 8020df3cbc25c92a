/**
 * DEMO-2 ("Pay with a saved card (3-D Secure)") with a possibly stale test, set up the way people get
 * there (issue 19): the requirement is sent to SQAI (its four criteria are read), a QA lead maps its
 * three tests in the panel, the product owner rewords ONE criterion, and the requirement is sent again.
 *
 *   1 Saved cards are listed with brand…       ← Saved cards are listed and expired ones disabled (+ its
 *   2 Expired cards are shown but…             ←   Firefox and mobile Safari variants)
 *   3 When the issuer requires 3-D Secure…     ← 3-D Secure challenge approved
 *   4 A declined challenge … "Your bank …"     ← 3-D Secure challenge declined      (reworded: bank → card issuer)
 *
 * Exactly the test mapped to criterion 4 is then possibly stale. Everything goes through the real
 * resolvers as DEMO's admin, so the stored state is what the app itself writes.
 */
import type { CriteriaViewDto, GenerationDto } from '../../../src/api';
import { defaultDataControls } from '../../../src/api';
import { data, demoSettings } from '../demo-settings';
import { DEMO, type World } from '../world';

export const LIVING_DEMO_ISSUE = 'DEMO-2';

export const LIVING_DEMO_TESTS = {
  savedCards: 'Saved cards are listed and expired ones disabled',
  approved: '3-D Secure challenge approved',
  declined: '3-D Secure challenge declined',
} as const;

/** The reworded criterion: one word changed, so it keeps its id and its wording hash changes. */
export const LIVING_REWORD = {
  from: 'Your bank declined the payment',
  to: 'Your card issuer declined the payment',
};

/** Words that pick each criterion out of DEMO-2's description, in document order. */
const CRITERION_WORDS = [
  'brand, last four digits',
  'Expired cards are shown',
  'issuer requires 3-D Secure',
  'declined challenge',
];

export interface LivingDemo {
  /** Test keys by the names of LIVING_DEMO_TESTS. */
  tests: Record<keyof typeof LIVING_DEMO_TESTS, string>;
  /** The four criteria's ids, in document order. */
  criterionIds: string[];
  /** The Criteria view after the reword. */
  view: CriteriaViewDto;
}

export async function sendDemo(world: World, issueKey = LIVING_DEMO_ISSUE): Promise<void> {
  data(await world.invokeIssue('sendToSqai', { force: true }, issueKey));
}

export async function criteriaViewOf(
  world: World,
  issueKey = LIVING_DEMO_ISSUE,
  as: string = DEMO.admin,
): Promise<CriteriaViewDto> {
  return data(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, issueKey, as));
}

/** Replaces `from` with `to` in every text node of an ADF document (a JSON value). */
export function reworded(document: unknown, from: string, to: string): unknown {
  if (typeof document === 'string') return document.split(from).join(to);
  if (Array.isArray(document)) return document.map((item) => reworded(item, from, to));
  if (typeof document === 'object' && document !== null) {
    return Object.fromEntries(
      Object.entries(document).map(([key, value]) => [key, reworded(value, from, to)]),
    );
  }
  return document;
}

/** Rewords DEMO-2's description in Jira, as its product owner would. */
export function rewordRequirement(
  world: World,
  from: string,
  to: string,
  issueKey = LIVING_DEMO_ISSUE,
): void {
  const issue = world.jiraStore.issue(issueKey);
  if (!issue) throw new Error(`No ${issueKey} in the demo world`);
  world.jiraStore.updateIssue(issue.id, {
    description: reworded(issue.description, from, to) as typeof issue.description,
  });
}

/** Needs a configured DEMO whose first backfill ran. */
export async function prepareLivingDemo(world: World): Promise<LivingDemo> {
  // DEMO-2's tests use the payment provider's test cards (Luhn-valid numbers): the project's default
  // data controls redact them, and an update is proposed with placeholders SQAI's answer is restored
  // from (src/living/update-redaction.ts).
  data(
    await world.invoke('saveSettings', {
      ...demoSettings('enterprise'),
      dataControls: defaultDataControls(),
    }),
  );
  await world.platform.queue.drain();
  const demo2 = world.jiraStore.issue(LIVING_DEMO_ISSUE);
  if (!demo2) throw new Error('No DEMO-2 in the demo world');
  const covering = world.xrayStore.coveringTestIds(demo2.id).map((id) => world.jiraStore.issues.get(id));
  const keyOf = (summary: string): string => {
    const test = covering.find((issue) => issue?.summary === summary);
    if (!test) throw new Error(`No test “${summary}” covers DEMO-2`);
    return test.key;
  };
  const tests = {
    savedCards: keyOf(LIVING_DEMO_TESTS.savedCards),
    approved: keyOf(LIVING_DEMO_TESTS.approved),
    declined: keyOf(LIVING_DEMO_TESTS.declined),
  };
  await sendDemo(world);
  const first = await criteriaViewOf(world);
  const criterionIds = CRITERION_WORDS.map((words) => {
    const found = first.criteria.find((criterion) => criterion.text.includes(words));
    if (!found) throw new Error(`DEMO-2 has no criterion with “${words}”`);
    return found.id;
  });
  const [c1, c2, c3, c4] = criterionIds as [string, string, string, string];
  // The saved-cards test's browser variants prove the same criteria.
  const variants = covering
    .filter((issue) => issue?.summary.startsWith(`${LIVING_DEMO_TESTS.savedCards} (`))
    .map((issue) => issue?.key ?? '');
  const maps: [string, string][] = [
    ...[tests.savedCards, ...variants].flatMap((key): [string, string][] => [
      [key, c1],
      [key, c2],
    ]),
    [tests.approved, c3],
    [tests.declined, c4],
  ];
  for (const [testKey, criterionId] of maps) {
    data(
      await world.invokeIssue(
        'changeCriterionMapping',
        { action: 'map', testKey, criterionId },
        LIVING_DEMO_ISSUE,
      ),
    );
  }
  rewordRequirement(world, LIVING_REWORD.from, LIVING_REWORD.to);
  await sendDemo(world);
  return { tests, criterionIds, view: await criteriaViewOf(world) };
}

/** Asks SQAI to propose updates and polls until it answered. */
export async function proposeUpdates(
  world: World,
  payload: Record<string, unknown> = {},
): Promise<GenerationDto> {
  let generation = data(
    await world.invokeIssue<GenerationDto>('proposeTestUpdates', payload, LIVING_DEMO_ISSUE),
  );
  for (
    let poll = 0;
    poll < 10 && generation.status !== 'succeeded' && generation.status !== 'failed';
    poll += 1
  ) {
    generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, LIVING_DEMO_ISSUE));
  }
  return generation;
}
