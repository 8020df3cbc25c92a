/**
 * The living-tests phase of `npm run chaos` (issue 19, "Must hold"): in a fresh world, 200
 * requirements of the OTHER project, each with three acceptance criteria and two or three covering
 * tests (Manual, Cucumber, Generic) mapped to them, have one criterion reworded ("within 30 days" →
 * "within 14 days"); SQAI proposes updates of the tests mapped to it. A person then edits some of
 * those tests in Xray (their edit must survive: a conflict), a reviewer edits some proposals (steps
 * added and removed), and every accepted update is applied while Jira, Xray and SQAI fail 20 % of
 * requests — the panel pressing "Apply" again after each failed call and while the answer says
 * `running`. The faults then stop and the panel presses again until every decision is final.
 *
 * What is checked is what the Xray simulator holds, not what the app recorded: per test, its
 * content equals the accepted target (applied), the person's edit (conflict), or the original
 * (everything else) — row by row for steps.
 *
 * CHAOS_LIVING_REQUIREMENTS=<n> sizes it (default 200); CHAOS_DEBUG=1 prints each test that is not
 * as expected.
 */
import type {
  CriteriaViewDto,
  DecideTestUpdatesInput,
  DecideTestUpdatesResult,
  GenerationDto,
  ResolverResult,
  TestContentDto,
  TestUpdateProposalDto,
} from '../src/api';
import type { AdfDoc, AdfNode } from '../test/harness/jira-sim/store';
import { data, demoSettings } from '../test/harness/demo-settings';
import { createCapturingLog } from '../test/harness/local-platform';
import { reworded } from '../test/harness/scenarios/living-tests';
import { createWorld, DEMO, type World } from '../test/harness/world';
import { countLostAnswers, countRequests, injectFaults, type RequestCounter } from './faults';

const OTHER = { id: DEMO.otherProject.id, key: DEMO.otherProject.key };
const AS = DEMO.otherAdmin;
/** Panels working at once (different requirements); a timeout is a real 8-second wait. */
const CONCURRENCY = 16;
/** Presses of "Apply" per requirement while the faults last, and after they stop. */
const PRESSES_UNDER_FAULTS = 8;
const PRESSES_AFTER_HEALING = 10;

type Kind = 'Manual' | 'Cucumber' | 'Generic';
type Decision = DecideTestUpdatesInput['decisions'][number];

interface SeededTest {
  id: string;
  key: string;
  kind: Kind;
  /** Indexes (0–2) of the requirement's criteria it proves. */
  criteria: number[];
}

interface SeededRequirement {
  index: number;
  id: string;
  key: string;
  criteria: string[];
  /** The criterion reworded, and its wording after. */
  reworded: number;
  after: string;
  tests: SeededTest[];
}

/** A deterministic LCG (the subsets are the same every run). */
function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function criteriaOf(i: number): { texts: string[]; rewordings: [string, string][] } {
  const items = 10 + (i % 40);
  const hours = 2 + (i % 6);
  return {
    texts: [
      `Refunds for order ${i} are issued within 30 days`,
      `Receipts for order ${i} list up to ${items} items per page`,
      `Support answers questions about order ${i} within ${hours} hours`,
    ],
    rewordings: [
      ['within 30 days', 'within 14 days'],
      [`up to ${items} items`, `up to ${items + 5} items`],
      [`within ${hours} hours`, `within ${hours + 1} hours`],
    ],
  };
}

const paragraph = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });

function descriptionOf(i: number, criteria: string[]): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: [
      paragraph(`Order ${i}: refunds, receipts and support.`),
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Acceptance criteria' }] },
      {
        type: 'bulletList',
        content: criteria.map((text) => ({ type: 'listItem', content: [paragraph(text)] })),
      },
    ],
  };
}

const kindOf = (i: number, t: number): Kind =>
  (['Manual', 'Manual', 'Manual', 'Cucumber', 'Generic'] as const)[(i * 3 + t) % 5] ?? 'Manual';

function seed(world: World, count: number): SeededRequirement[] {
  const out: SeededRequirement[] = [];
  for (let i = 0; i < count; i += 1) {
    const { texts, rewordings } = criteriaOf(i);
    const requirement = world.jiraStore.createIssue({
      projectIdOrKey: OTHER.key,
      issueTypeIdOrName: 'Story',
      summary: `Order ${i}: refunds, receipts and support`,
      description: descriptionOf(i, texts),
    });
    const r = i % 3;
    const [from, to] = rewordings[r] ?? ['', ''];
    // Test 0 proves the reworded criterion, test 1 it and the next, test 2 (every other requirement) another.
    const mapped = [[r], [r, (r + 1) % 3], [(r + 2) % 3]].slice(0, 2 + (i % 2));
    const tests = mapped.map((criteria, t): SeededTest => {
      const kind = kindOf(i, t);
      const said = criteria.map((c) => texts[c] ?? '');
      const summary = `Check ${t} of order ${i}`;
      const common = { projectIdOrKey: OTHER.key, summary, coversIssueIds: [requirement.id] };
      let test;
      if (kind === 'Manual') {
        const count = 3 + ((i * 7 + t * 5) % 10);
        const steps = Array.from({ length: count }, (_, j) => ({
          action: `Step ${j + 1} of check ${t} for order ${i}: open screen ${j + 1}`,
          data: j % 3 === 0 ? `order ${i}, screen ${j + 1}` : null,
          result: said[j - 1] ?? `Screen ${j + 1} of order ${i} is shown`,
        }));
        test = world.xrayStore.createTest({ ...common, testType: 'Manual', steps });
      } else if (kind === 'Cucumber') {
        const gherkin = [
          `Scenario: ${summary}`,
          `  Given order ${i} was delivered`,
          '  When the shopper opens it',
          ...said.map((text) => `  Then ${text}`),
        ].join('\n');
        test = world.xrayStore.createTest({
          ...common,
          testType: 'Cucumber',
          gherkin,
          scenarioType: 'scenario',
        });
      } else {
        const unstructured = `Verify for order ${i}: ${said.join('; ')}. Use the support console.`;
        test = world.xrayStore.createTest({ ...common, testType: 'Generic', unstructured });
      }
      return { id: test.id, key: test.key, kind, criteria };
    });
    out.push({
      index: i,
      id: requirement.id,
      key: requirement.key,
      criteria: texts,
      reworded: r,
      after: (texts[r] ?? '').replace(from, to),
      tests,
    });
  }
  return out;
}

/** Runs `work` on each item, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A test's content in the Xray simulator's store, as compared: rows `[action, data, result]` or text. */
function contentInXray(world: World, testId: string): string {
  const test = world.xrayStore.tests.get(testId);
  if (!test) return 'deleted';
  const kind = world.xrayStore.testTypeOf(test)?.kind;
  if (kind === 'Gherkin') return JSON.stringify({ gherkin: test.gherkin ?? '' });
  if (kind === 'Unstructured') return JSON.stringify({ definition: test.unstructured ?? '' });
  return JSON.stringify({
    rows: test.steps.map((step) => [step.action, step.data ?? '', step.result ?? '']),
  });
}

function contentOfDto(content: TestContentDto): string {
  if (content.kind === 'Gherkin') return JSON.stringify({ gherkin: content.gherkin ?? '' });
  if (content.kind === 'Unstructured') return JSON.stringify({ definition: content.definition ?? '' });
  return JSON.stringify({
    rows: (content.steps ?? []).map((step) => [step.action, step.data ?? '', step.result ?? '']),
  });
}

const rowsOf = (content: string): string[] => {
  const parsed = JSON.parse(content) as { rows?: unknown[] };
  return (parsed.rows ?? []).map((row) => JSON.stringify(row));
};

/** Rows of the target that Xray holds more often than the target has them (a step added twice). */
function rowsAddedTwice(current: string, target: string): number {
  const count = (rows: string[]) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row, (counts.get(row) ?? 0) + 1);
    return counts;
  };
  const have = count(rowsOf(current));
  let extra = 0;
  for (const [row, wanted] of count(rowsOf(target))) extra += Math.max(0, (have.get(row) ?? 0) - wanted);
  return extra;
}

/** A person edits the test in Xray (the first step's action, or a line / sentence added). */
function personEdits(world: World, test: SeededTest): void {
  const stored = world.xrayStore.tests.get(test.id);
  if (!stored) return;
  if (test.kind === 'Manual') {
    const step = stored.steps[0];
    if (step) world.xrayStore.updateTestStep(step.id, { action: `${step.action} (as QA wrote it)` });
  } else if (test.kind === 'Cucumber') {
    world.xrayStore.updateDefinition(test.id, {
      gherkin: `${stored.gherkin ?? ''}\n  And QA notes the case id`,
    });
  } else {
    world.xrayStore.updateDefinition(test.id, {
      unstructured: `${stored.unstructured ?? ''} QA: also check the audit log.`,
    });
  }
}

/** The reviewer's edit of SQAI's steps: alternately two added and one removed, or one added and two removed. */
function reviewerEdit(after: TestContentDto, variant: number, i: number): TestContentDto {
  const steps = [...(after.steps ?? [])];
  const extra = (n: number) => ({
    action: `Reviewer step ${n} for order ${i}`,
    data: null,
    result: `Reviewer check ${n} holds`,
  });
  if (variant % 2 === 0) {
    steps.splice(0, 1);
    steps.push(extra(1), extra(2));
  } else {
    steps.splice(0, 2);
    steps.push(extra(1));
  }
  return { kind: 'Steps', steps };
}

const FINAL = new Set(['applied', 'conflict', 'rejected', 'kept', 'unlinked', 'confirmed']);

interface Panel {
  requirement: SeededRequirement;
  generationId: string;
  decisions: Decision[];
  status: Map<string, TestUpdateProposalDto['status']>;
  /** The accepted content of each test decided `apply`. */
  targets: Map<string, string>;
}

export interface LivingChaosFigures {
  requirements: number;
  tests: number;
  staleTestsFlagged: number;
  proposals: { update: number; valid: number; obsolete: number };
  personEdited: number;
  reviewerEdited: number;
  faultRate: number;
  applied: number;
  conflicts: number;
  confirmed: number;
  notFinal: number;
  stepsAddedTwice: number;
  personEditsOverwritten: number;
  halfUpdated: number;
  notAsDecided: number;
  stillStaleAfterApply: number;
  resolverCalls: number;
  resolverCallsFailedUnderFaults: number;
  decisionsFinalUnderFaults: number;
  requestsOfApply: { jira: number; xray: number; sqai: number };
  failedRequestsOfApply: { jira: number; xray: number; sqai: number };
  /** Answers lost after the service did the work (the connection dropped on the way back). */
  lostAnswersOfApply: { jira: number; xray: number; sqai: number };
  /** Of those, Xray writes (step updates / adds / removals, definitions) that took effect unseen. */
  xrayWritesWithLostAnswers: number;
  xrayRequestsPerAppliedTest: number;
  secondsUnderFaults: number;
  secondsAfterHealing: number;
}

export async function runLivingChaos(
  count = Number(process.env.CHAOS_LIVING_REQUIREMENTS ?? 200),
): Promise<LivingChaosFigures> {
  const world = createWorld({
    latencyMs: 2,
    validateContracts: false,
    sqaiKeepsDocuments: true,
    log: createCapturingLog(false),
    // Xray's rate limit is not the subject here (bench/run.ts measures the budget): a 1-second window.
    xrayRateWindowMs: 1_000,
  });
  const requirements = seed(world, count);
  const call = <T>(name: string, payload: unknown, key: string): Promise<ResolverResult<T>> =>
    world.invokeIssue<T>(name, payload, key, AS);

  data(await world.invoke('saveSettings', demoSettings('enterprise'), AS, OTHER));
  await world.platform.queue.drain();

  // Map each test to its criteria, as the project's admin does in the Criteria view.
  await pool(requirements, CONCURRENCY, async (requirement) => {
    let view = data(await call<CriteriaViewDto>('getCriteria', {}, requirement.key));
    if (view.status !== 'ready') {
      data(await call('sendToSqai', { force: true }, requirement.key));
      view = data(await call<CriteriaViewDto>('getCriteria', {}, requirement.key));
    }
    const idOf = (c: number) => {
      const found = view.criteria.find((criterion) =>
        criterion.text.includes(requirement.criteria[c] ?? '?'),
      );
      if (!found) throw new Error(`${requirement.key} has no criterion “${requirement.criteria[c]}”`);
      return found.id;
    };
    for (const test of requirement.tests) {
      for (const c of test.criteria) {
        data(
          await call(
            'changeCriterionMapping',
            { action: 'map', testKey: test.key, criterionId: idOf(c) },
            requirement.key,
          ),
        );
      }
    }
  });

  // The product owner rewords one criterion of each; the requirement is sent again.
  for (const requirement of requirements) {
    const issue = world.jiraStore.issues.get(requirement.id);
    if (!issue) continue;
    const before = requirement.criteria[requirement.reworded] ?? '';
    world.jiraStore.updateIssue(requirement.id, {
      description: reworded(issue.description, before, requirement.after) as typeof issue.description,
    });
  }
  let staleTestsFlagged = 0;
  await pool(requirements, CONCURRENCY, async (requirement) => {
    data(await call('sendToSqai', { force: true }, requirement.key));
    const view = data(await call<CriteriaViewDto>('getCriteria', {}, requirement.key));
    staleTestsFlagged += view.summary.staleTests ?? 0;
  });

  // Proposals (no faults yet), then the person's and the reviewer's edits.
  const random = lcg(19);
  const shuffled = [...requirements].sort(() => random() - 0.5);
  const subset = Math.max(1, Math.round(count / 10));
  const personSet = new Set(shuffled.slice(0, subset).map((requirement) => requirement.key));
  const reviewerSet = new Set(
    shuffled
      .slice(subset)
      .filter((requirement) => requirement.tests[0]?.kind === 'Manual')
      .slice(0, 4 * subset)
      .map((requirement) => requirement.key),
  );
  const proposals = { update: 0, valid: 0, obsolete: 0 };
  const panels: Panel[] = [];
  const original = new Map<string, string>();
  const personal = new Map<string, string>();
  let reviewerEdited = 0;
  // One person has at most 3 generations waiting for SQAI: two panels at a time.
  await pool(requirements, 2, async (requirement) => {
    let generation = data(await call<GenerationDto>('proposeTestUpdates', {}, requirement.key));
    for (
      let poll = 0;
      poll < 20 && generation.status !== 'succeeded' && generation.status !== 'failed';
      poll += 1
    ) {
      generation = data(await call<GenerationDto>('pollGeneration', {}, requirement.key));
    }
    if (generation.status !== 'succeeded')
      throw new Error(`${requirement.key}: proposal ${generation.status}`);
    const panel: Panel = {
      requirement,
      generationId: generation.id,
      decisions: [],
      status: new Map(),
      targets: new Map(),
    };
    for (const update of generation.updates ?? []) {
      proposals[update.verdict] += 1;
      panel.status.set(update.testKey, update.status);
      if (update.verdict === 'update' && update.after) {
        const first = update.testKey === requirement.tests[0]?.key;
        const edited =
          first && reviewerSet.has(requirement.key) && update.after.kind === 'Steps'
            ? reviewerEdit(update.after, requirement.index, requirement.index)
            : undefined;
        if (edited) reviewerEdited += 1;
        panel.decisions.push({ testKey: update.testKey, action: 'apply', ...(edited ? { edited } : {}) });
        panel.targets.set(update.testKey, contentOfDto(edited ?? update.after));
      } else if (update.verdict === 'obsolete') {
        panel.decisions.push({ testKey: update.testKey, action: 'keep' });
      } else {
        panel.decisions.push({ testKey: update.testKey, action: 'confirm' });
      }
    }
    panels.push(panel);
  });
  for (const requirement of requirements) {
    for (const test of requirement.tests) original.set(test.id, contentInXray(world, test.id));
    if (personSet.has(requirement.key)) {
      const test = requirement.tests[0];
      if (test) {
        personEdits(world, test);
        personal.set(test.id, contentInXray(world, test.id));
      }
    }
  }

  // Apply under faults, pressing again as the panel does; then heal and press until all is final.
  const counters = {
    jira: countRequests(world.jira.log),
    xray: countRequests(world.xray.log),
    sqai: countRequests(world.sqai.log),
  };
  const snapshot = (pick: (counter: RequestCounter) => number) => ({
    jira: pick(counters.jira),
    xray: pick(counters.xray),
    sqai: pick(counters.sqai),
  });
  let resolverCalls = 0;
  let failedUnderFaults = 0;
  let faulty = true;
  const press = async (panel: Panel, presses: number) => {
    for (let attempt = 0; attempt < presses; attempt += 1) {
      const open = panel.decisions.filter((decision) => {
        const status = panel.status.get(decision.testKey);
        return status === 'proposed' || status === 'failed';
      });
      const applying = [...panel.status.values()].some((status) => status === 'applying');
      if (open.length === 0 && !applying) return;
      resolverCalls += 1;
      const answer = await call<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: panel.generationId, decisions: open },
        panel.requirement.key,
      );
      if (answer.ok) {
        for (const update of answer.data.updates) panel.status.set(update.testKey, update.status);
        continue;
      }
      if (faulty) failedUnderFaults += 1;
      if (process.env.CHAOS_DEBUG)
        console.log(panel.requirement.key, answer.error.code, answer.error.message);
      // The panel reloads the proposals after an error (which may fail too).
      resolverCalls += 1;
      const reload = await call<GenerationDto>('pollGeneration', {}, panel.requirement.key);
      if (reload.ok)
        for (const update of reload.data.updates ?? []) panel.status.set(update.testKey, update.status);
      else if (faulty) failedUnderFaults += 1;
    }
  };
  const isFinal = (panel: Panel) => [...panel.status.values()].every((status) => FINAL.has(status));

  const lost = {
    jira: countLostAnswers(world.jira.faults),
    xray: countLostAnswers(world.xray.faults),
    sqai: countLostAnswers(world.sqai.faults),
  };
  const requestsBefore = snapshot((counter) => counter.requests);
  const faultsBefore = snapshot((counter) => counter.faults);
  for (const faults of [world.jira.faults, world.xray.faults, world.sqai.faults]) injectFaults(faults);
  const started = Date.now();
  await pool(panels, CONCURRENCY, (panel) => press(panel, PRESSES_UNDER_FAULTS));
  const decisionsFinalUnderFaults = panels.reduce(
    (sum, panel) => sum + [...panel.status.values()].filter((status) => FINAL.has(status)).length,
    0,
  );
  for (const faults of [world.jira.faults, world.xray.faults, world.sqai.faults]) faults.clear();
  faulty = false;
  const healedAt = Date.now();
  await pool(panels, CONCURRENCY, async (panel) => {
    for (let round = 0; round < 3 && !isFinal(panel); round += 1) {
      await press(panel, PRESSES_AFTER_HEALING);
      // A lease left by a call that died holds for up to 30 s: wait it out once.
      if (!isFinal(panel)) await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  });
  const finishedAt = Date.now();
  const requestsAfter = snapshot((counter) => counter.requests);
  const faultsAfter = snapshot((counter) => counter.faults);

  // Verify against Xray's store.
  let stepsAddedTwice = 0;
  let personEditsOverwritten = 0;
  let halfUpdated = 0;
  let notAsDecided = 0;
  let applied = 0;
  let conflicts = 0;
  let confirmed = 0;
  let notFinal = 0;
  const allApplied: Panel[] = [];
  for (const panel of panels) {
    const statuses = [...panel.status.values()];
    notFinal += statuses.filter((status) => !FINAL.has(status)).length;
    if (statuses.every((status) => status === 'applied' || status === 'confirmed' || status === 'kept'))
      allApplied.push(panel);
    for (const test of panel.requirement.tests) {
      const current = contentInXray(world, test.id);
      const base = original.get(test.id) ?? '';
      const edit = personal.get(test.id);
      const target = panel.targets.get(test.key);
      const status = panel.status.get(test.key);
      if (status === 'applied') applied += 1;
      if (status === 'conflict') conflicts += 1;
      if (status === 'confirmed') confirmed += 1;
      if (target !== undefined) stepsAddedTwice += rowsAddedTwice(current, target);
      const known = [base, target, edit].filter((content) => content !== undefined);
      if (!known.includes(current)) halfUpdated += 1;
      if (edit !== undefined && current !== edit) personEditsOverwritten += 1;
      const expected = edit ?? (status === 'applied' ? target : base);
      if (current !== expected || (edit !== undefined && status !== 'conflict' && target !== undefined)) {
        notAsDecided += 1;
        if (process.env.CHAOS_DEBUG)
          console.log(test.key, status, {
            current,
            expected: expected ?? null,
            base,
            target: target ?? null,
          });
      }
    }
  }

  // Applied tests leave the stale state (after the requirement is sent again).
  let stillStaleAfterApply = 0;
  await pool(allApplied, CONCURRENCY, async (panel) => {
    data(await call('sendToSqai', { force: true }, panel.requirement.key));
    const view = data(await call<CriteriaViewDto>('getCriteria', {}, panel.requirement.key));
    if ((view.summary.staleTests ?? 0) > 0) stillStaleAfterApply += 1;
  });

  const requestsOfApply = {
    jira: requestsAfter.jira - requestsBefore.jira,
    xray: requestsAfter.xray - requestsBefore.xray,
    sqai: requestsAfter.sqai - requestsBefore.sqai,
  };
  return {
    requirements: count,
    tests: requirements.reduce((sum, requirement) => sum + requirement.tests.length, 0),
    staleTestsFlagged,
    proposals,
    personEdited: personal.size,
    reviewerEdited,
    faultRate: 0.2,
    applied,
    conflicts,
    confirmed,
    notFinal,
    stepsAddedTwice,
    personEditsOverwritten,
    halfUpdated,
    notAsDecided,
    stillStaleAfterApply,
    resolverCalls,
    resolverCallsFailedUnderFaults: failedUnderFaults,
    decisionsFinalUnderFaults,
    requestsOfApply,
    failedRequestsOfApply: {
      jira: faultsAfter.jira - faultsBefore.jira,
      xray: faultsAfter.xray - faultsBefore.xray,
      sqai: faultsAfter.sqai - faultsBefore.sqai,
    },
    lostAnswersOfApply: {
      jira: lost.jira.lost,
      xray: lost.xray.lost,
      sqai: lost.sqai.lost,
    },
    xrayWritesWithLostAnswers: lost.xray.lostWrites,
    xrayRequestsPerAppliedTest: applied > 0 ? Math.round((10 * requestsOfApply.xray) / applied) / 10 : 0,
    secondsUnderFaults: Math.round((healedAt - started) / 1000),
    secondsAfterHealing: Math.round((finishedAt - healedAt) / 1000),
  };
}

if (require.main === module) {
  process.env.SQAI_QUIET_LOGS = '1';
  runLivingChaos()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
