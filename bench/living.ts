/**
 * Living tests' costs (issue 19), measured in `npm run bench` against the simulators at 50 ms per
 * upstream request:
 * - DEMO-2 as the browser test leaves it (one criterion reworded, the test mapped to it possibly
 *   stale): Jira, Xray and SQAI requests of "Propose updates" (the start and the polls until SQAI
 *   answered) and of applying the one proposed update;
 * - a large Manual test (98 steps, 100 after the update: the contract's cap per test in update mode)
 *   whose accepted update changes 40 rows, removes 3 and adds 5, applied
 *   through `decideTestUpdates`: wall time, Xray requests, rows written, and whether it finished within
 *   the one call (the resolver's budget, 20 s) or moved on with progress.
 *
 * Alone (`node --import tsx bench/living.ts`) it prints its figures and writes them as `living` into
 * bench/results.json, leaving the other figures as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type {
  CriteriaViewDto,
  DecideTestUpdatesResult,
  GenerationDto,
  ResolverResult,
  TestContentDto,
} from '../src/api';
import { PANEL_BUDGET_MS } from '../src/platform/limits';
import { data, demoSettings } from '../test/harness/demo-settings';
import type { AdfDoc, AdfNode } from '../test/harness/jira-sim/store';
import { createCapturingLog } from '../test/harness/local-platform';
import {
  LIVING_DEMO_ISSUE,
  prepareLivingDemo,
  proposeUpdates,
  reworded,
} from '../test/harness/scenarios/living-tests';
import { createWorld, type World } from '../test/harness/world';
import { countRequests, minus, type PerService } from './faults';
import { writeReliabilityReport } from './report';

const LATENCY_MS = 50;
/** Update mode takes at most 100 steps per test: 98 + 5 added − 3 removed = 100 after the update. */
const LARGE_STEPS = 98;
const CHANGED_ROWS = 40;
const REMOVED_ROWS = 3;
const ADDED_ROWS = 5;

export interface LivingBenchFigures {
  latencyMs: number;
  /** DEMO-2: one stale test (Cucumber). */
  propose: PerService & { polls: number };
  apply: PerService;
  large: {
    steps: number;
    changedRows: number;
    removedRows: number;
    addedRows: number;
    /** Rows the positional plan writes (updates in place, adds at the end, removals). */
    rowsWritten: number;
    wallMs: number;
    xrayRequests: number;
    finishedInOneCall: boolean;
    callsToFinish: number;
    budgetMs: number;
    status: string;
  };
}

function counters(world: World) {
  const all = {
    jira: countRequests(world.jira.log),
    xray: countRequests(world.xray.log),
    sqai: countRequests(world.sqai.log),
  };
  return (): PerService => ({
    jira: all.jira.requests,
    xray: all.xray.requests,
    sqai: all.sqai.requests,
  });
}

function ok<T>(result: ResolverResult<T>): T {
  if (!result.ok)
    throw new Error(
      `${result.error.code}: ${result.error.message} ${JSON.stringify(result.error.fieldErrors ?? {})}`,
    );
  return result.data;
}

async function demoRequirement(): Promise<Pick<LivingBenchFigures, 'propose' | 'apply'>> {
  const world = createWorld({
    latencyMs: LATENCY_MS,
    validateContracts: false,
    log: createCapturingLog(false),
  });
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  const demo = await prepareLivingDemo(world);
  const count = counters(world);
  let before = count();
  let polls = 0;
  const pollCounter = world.sqai.log.record.bind(world.sqai.log);
  world.sqai.log.record = (entry) => {
    if (entry.method === 'GET' && entry.path.includes('/v1/generations/')) polls += 1;
    pollCounter(entry);
  };
  const generation = await proposeUpdates(world);
  if (generation.status !== 'succeeded') throw new Error(`DEMO-2's proposal ${generation.status}`);
  const propose = { ...minus(count(), before), polls };
  before = count();
  const result = ok(
    await world.invokeIssue<DecideTestUpdatesResult>(
      'decideTestUpdates',
      { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
      LIVING_DEMO_ISSUE,
    ),
  );
  if (result.updates[0]?.status !== 'applied')
    throw new Error(`DEMO-2's apply: ${result.updates[0]?.status}`);
  return { propose, apply: minus(count(), before) };
}

const paragraph = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });

async function largeTest(): Promise<LivingBenchFigures['large']> {
  const world = createWorld({
    latencyMs: LATENCY_MS,
    validateContracts: false,
    log: createCapturingLog(false),
  });
  const criteria = ['Refunds are issued within 30 days', 'Receipts list up to 50 items per page'];
  const description: AdfDoc = {
    type: 'doc',
    version: 1,
    content: [
      paragraph('Refunds and receipts.'),
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Acceptance criteria' }] },
      {
        type: 'bulletList',
        content: criteria.map((text) => ({ type: 'listItem', content: [paragraph(text)] })),
      },
    ],
  };
  const requirement = world.jiraStore.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Story',
    summary: 'Refunds and receipts (a 100-step test)',
    description,
  });
  const steps = Array.from({ length: LARGE_STEPS }, (_, j) => ({
    action: `Step ${j + 1}: open refund screen ${j + 1}`,
    data: j % 4 === 0 ? `order ${j + 1}` : null,
    result: j === 1 ? (criteria[0] ?? '') : `Refund screen ${j + 1} is shown`,
  }));
  const test = world.xrayStore.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'Refunds, end to end (100 steps)',
    testType: 'Manual',
    steps,
    coversIssueIds: [requirement.id],
  });
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  ok(await world.invokeIssue('sendToSqai', { force: true }, requirement.key));
  const view = ok(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, requirement.key));
  const criterion = view.criteria.find((each) => each.text.includes('30 days'));
  if (!criterion) throw new Error('The large requirement has no refund criterion');
  ok(
    await world.invokeIssue(
      'changeCriterionMapping',
      { action: 'map', testKey: test.key, criterionId: criterion.id },
      requirement.key,
    ),
  );
  world.jiraStore.updateIssue(requirement.id, {
    description: reworded(description, 'within 30 days', 'within 14 days') as AdfDoc,
  });
  ok(await world.invokeIssue('sendToSqai', { force: true }, requirement.key));
  let generation = ok(await world.invokeIssue<GenerationDto>('proposeTestUpdates', {}, requirement.key));
  for (let poll = 0; poll < 20 && generation.status !== 'succeeded'; poll += 1) {
    generation = ok(await world.invokeIssue<GenerationDto>('pollGeneration', {}, requirement.key));
  }
  const proposal = generation.updates?.find((update) => update.testKey === test.key);
  if (!proposal?.after?.steps) throw new Error(`No update proposed for ${test.key}`);

  // The reviewer's edit: 40 rows reworded, 3 removed, 5 added at the end.
  const base = proposal.after.steps;
  const removed = new Set([30, 60, 90]);
  const target = base
    .map((step, j) =>
      j % 2 === 0 && j < 2 * CHANGED_ROWS ? { ...step, result: `${step.result ?? ''} (checked)` } : step,
    )
    .filter((_, j) => !removed.has(j));
  for (let n = 1; n <= ADDED_ROWS; n += 1) {
    target.push({
      action: `Added step ${n}: print the refund`,
      data: null,
      result: `Refund slip ${n} printed`,
    });
  }
  const edited: TestContentDto = { kind: 'Steps', steps: target };
  const before = proposal.before.steps ?? [];
  const row = (step: { action: string; data: string | null; result: string | null }) =>
    JSON.stringify([step.action, step.data ?? '', step.result ?? '']);
  const common = Math.min(before.length, target.length);
  const rowsWritten =
    before.slice(0, common).filter((step, j) => target[j] === undefined || row(step) !== row(target[j]))
      .length + Math.abs(target.length - before.length);

  const xray = countRequests(world.xray.log);
  const started = performance.now();
  let result = ok(
    await world.invokeIssue<DecideTestUpdatesResult>(
      'decideTestUpdates',
      { generationId: generation.id, decisions: [{ testKey: test.key, action: 'apply', edited }] },
      requirement.key,
    ),
  );
  const wallMs = Math.round(performance.now() - started);
  const first = result.updates.find((update) => update.testKey === test.key)?.status ?? 'missing';
  let calls = 1;
  while (result.running && calls < 10) {
    calls += 1;
    result = ok(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [] },
        requirement.key,
      ),
    );
  }
  const stored = world.xrayStore.tests.get(test.id)?.steps.map(row) ?? [];
  const status = result.updates.find((update) => update.testKey === test.key)?.status ?? 'missing';
  if (JSON.stringify(stored) !== JSON.stringify(target.map(row))) {
    throw new Error(`The 100-step test does not hold the accepted steps after the apply (${status})`);
  }
  return {
    steps: LARGE_STEPS,
    changedRows: CHANGED_ROWS,
    removedRows: REMOVED_ROWS,
    addedRows: ADDED_ROWS,
    rowsWritten,
    wallMs,
    xrayRequests: xray.requests,
    finishedInOneCall: first === 'applied',
    callsToFinish: calls,
    budgetMs: PANEL_BUDGET_MS,
    status,
  };
}

export async function benchLiving(): Promise<LivingBenchFigures> {
  const demo = await demoRequirement();
  const large = await largeTest();
  return { latencyMs: LATENCY_MS, ...demo, large };
}

export function printLiving(figures: LivingBenchFigures): void {
  console.log(`\nLiving tests (${figures.latencyMs} ms latency per upstream request)`);
  console.table({
    'DEMO-2: Propose updates (start + polls)': { ...figures.propose },
    'DEMO-2: apply one update (Gherkin)': { ...figures.apply },
  });
  console.table({ '98 → 100-step test, 40 changed / 3 removed / 5 added': { ...figures.large } });
}

if (require.main === module) {
  process.env.SQAI_QUIET_LOGS = '1';
  benchLiving()
    .then(async (living) => {
      printLiving(living);
      const file = path.join(__dirname, 'results.json');
      const held: Record<string, unknown> = existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
        : { measuredAt: new Date().toISOString() };
      writeFileSync(
        file,
        `${JSON.stringify({ ...held, living: { measuredAt: new Date().toISOString(), ...living } }, null, 2)}\n`,
      );
      console.log(`Wrote living into ${path.relative(process.cwd(), file)}`);
      await writeReliabilityReport();
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
