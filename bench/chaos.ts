/**
 * `npm run chaos`: the seeded DEMO project and a generated 2,000-requirement project (OTHER) are
 * synced while Jira, Xray and SQAI fail 20 % of requests (5xx, 429, dropped connections, timeouts),
 * through several hourly runs with requirements and tests changing in between; a generation's tests
 * are created meanwhile. Then the faults heal and hourly runs continue until nothing is left to do.
 * Prints (and writes to bench/chaos.json) what changed, what SQAI received, what was delivered twice,
 * what was lost, what was created twice, how many requests failed, and how long convergence took.
 *
 * A second phase (bench/chaos-living.ts) rewords a criterion of 200 requirements and applies the
 * proposed test updates under the same faults: no step added twice, no person's edit overwritten, no
 * test left half-updated; its figures are `living` in bench/chaos.json.
 *
 * CHAOS_REQUIREMENTS=<n> sizes the generated project; CHAOS_DEBUG=1 prints each convergence run's
 * status and, for every document the verification backfill changed, the fields that differ.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CreationDto, GenerationDto, SyncStatusDto } from '../src/api';
import { SyncStateStore } from '../src/sync/state';
import { data, demoSettings } from '../test/harness/demo-settings';
import { createCapturingLog } from '../test/harness/local-platform';
import { createWorld, DEMO, type World } from '../test/harness/world';
import { runLivingChaos } from './chaos-living';
import { injectFaults, minus, type PerService } from './faults';
import { writeReliabilityReport } from './report';

const GENERATED = Number(process.env.CHAOS_REQUIREMENTS ?? 2_000);
const FAULTY_RUNS = 4;
const OTHER = { id: DEMO.otherProject.id, key: DEMO.otherProject.key };

function clock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

function seedOther(world: World, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const requirement = world.jiraStore.createIssue({
      projectIdOrKey: OTHER.key,
      issueTypeIdOrName: 'Story',
      summary: `Chaos requirement ${i}`,
      description: {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: `Rule ${i}.` }] }],
      },
    });
    for (let t = 0; t < 3; t += 1) {
      world.xrayStore.createTest({
        projectIdOrKey: OTHER.key,
        summary: `Check ${t} of chaos requirement ${i}`,
        testType: 'Manual',
        steps: [{ action: `Step ${t}`, result: 'ok' }],
        coversIssueIds: [requirement.id],
      });
    }
  }
}

/** Random edits: Jira fields, a test step, a run result. Returns the requirements whose context changed. */
function mutate(world: World, requirements: string[], count: number, seed: number, at: Date): Set<string> {
  const changed = new Set<string>();
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  for (let i = 0; i < count; i += 1) {
    const id = requirements[Math.floor(random() * requirements.length)] ?? '';
    const roll = random();
    if (roll < 0.5) {
      world.jiraStore.updateIssue(id, { labels: [`edit-${seed}-${i}`] });
    } else {
      const testId = world.xrayStore.coveringTestIds(id).find((candidate) => {
        const test = world.xrayStore.tests.get(candidate);
        return test !== undefined && world.xrayStore.testTypeOf(test)?.kind === 'Steps';
      });
      if (!testId) continue;
      world.xrayStore.addTestStep(testId, { action: `Extra step ${seed}-${i}`, result: 'ok' });
    }
    changed.add(id);
  }
  for (const id of changed) {
    const issue = world.jiraStore.issues.get(id);
    if (issue && Date.parse(issue.updated) > at.getTime()) issue.updated = at.toISOString();
  }
  return changed;
}

async function hourly(world: World, time: ReturnType<typeof clock>): Promise<void> {
  time.advance(60 * 60_000);
  await world.runScheduledTrigger();
  await world.platform.queue.drain();
}

/** Requests each simulator received, and how many of them it answered with an injected fault. */
function requestCounts(world: World): { requests: PerService; faults: PerService } {
  const logs = { jira: world.jira.log.entries, xray: world.xray.log.entries, sqai: world.sqai.log.entries };
  const count = (pick: (entries: { fault?: boolean }[]) => number): PerService => ({
    jira: pick(logs.jira),
    xray: pick(logs.xray),
    sqai: pick(logs.sqai),
  });
  return {
    requests: count((entries) => entries.length),
    faults: count((entries) => entries.filter((entry) => entry.fault).length),
  };
}

/** How long Jira's search lags writes in the chaos run. */
const SEARCH_LAG_MS = 5_000;

export async function runChaos() {
  const time = clock();
  const log = createCapturingLog(false);
  const world = createWorld({
    now: time.now,
    latencyMs: 5,
    validateContracts: false,
    sqaiKeepsDocuments: true, // SQAI generates from the document it holds
    log,
  });
  // Jira's search shows writes only after a delay ("a few seconds to minutes"): on for the whole run.
  world.jiraStore.indexLagMs = SEARCH_LAG_MS;
  seedOther(world, GENERATED);
  // Requirements: what Xray treats as coverable (Story, Epic) in both projects.
  const requirements = [DEMO.project.id, OTHER.id].flatMap((projectId) =>
    world.jiraStore
      .issuesOfProject(projectId)
      .filter((issue) =>
        ['Story', 'Epic'].includes(world.jiraStore.issueTypes.get(issue.issueTypeId)?.name ?? ''),
      )
      .map((issue) => issue.id),
  );

  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  data(await world.invoke('saveSettings', demoSettings('enterprise'), DEMO.otherAdmin, OTHER));

  const beforeFaults = requestCounts(world);
  for (const faults of [world.jira.faults, world.xray.faults, world.sqai.faults]) injectFaults(faults);
  const started = Date.now();
  const edited = new Set<string>();
  await world.platform.queue.drain();

  // A generation's tests are created while everything keeps failing (a user pressing "Continue").
  const underFaults = await generateAndCreate(world, 10);

  for (let run = 1; run <= FAULTY_RUNS; run += 1) {
    for (const id of mutate(world, requirements, 150, run, time.now())) edited.add(id);
    await hourly(world, time);
  }
  const duringFaults = requestCounts(world);
  for (const faults of [world.jira.faults, world.xray.faults, world.sqai.faults]) faults.clear();
  const healedAt = Date.now();
  // The user comes back and finishes the creation (a resumed creation, not a new one).
  const afterHealing =
    underFaults.creation === 'not started'
      ? await generateAndCreate(world, 10)
      : { ...underFaults, creation: await finishCreation(world, underFaults.creation) };
  const generated = generatedTestsInJira(world);

  // Heal: hourly runs until a run pushes nothing and nothing waits for a retry.
  let convergenceRuns = 0;
  for (;;) {
    convergenceRuns += 1;
    await hourly(world, time);
    const demo = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
    const other = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}, DEMO.otherAdmin, OTHER));
    if (process.env.CHAOS_DEBUG)
      console.log(
        JSON.stringify({
          demo: demo.lastRun,
          other: other.lastRun,
          retries: [demo.retrySetSize, other.retrySetSize],
        }),
      );
    const quiet = [demo, other].every(
      (status) =>
        status.lastRun?.status === 'done' && status.lastRun.pushed === 0 && status.retrySetSize === 0,
    );
    if (quiet || convergenceRuns >= 10) break;
  }
  const convergedAt = Date.now();

  // Lost: a requirement whose current content SQAI does not hold. A final backfill without faults
  // would push exactly those; count them by comparing the stored state with what SQAI holds.
  const states = new SyncStateStore(world.platform.kvs);
  let lost = 0;
  for (const id of requirements) {
    const projectId = world.jiraStore.issues.get(id)?.projectId ?? '';
    const state = await states.get(projectId, id);
    const held = world.sqai.contexts.get(`${DEMO.cloudId}/${id}`)?.contentHash;
    if (!state?.contentHash || state.contentHash !== held) lost += 1;
  }
  const before = world.sqai.log.entries.length;
  const held = new Map([...world.sqai.contexts].map(([k, v]) => [k, JSON.stringify(v.document)]));
  data(await world.invoke('startBackfill', {}));
  data(await world.invoke('startBackfill', {}, DEMO.otherAdmin, OTHER));
  await world.platform.queue.drain();
  const demoFinal = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
  const otherFinal = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}, DEMO.otherAdmin, OTHER));
  if (process.env.CHAOS_DEBUG)
    console.log(JSON.stringify({ demo: demoFinal.backfill, other: otherFinal.backfill }));
  if (process.env.CHAOS_DEBUG) {
    for (const [k, v] of world.sqai.contexts) {
      const a = JSON.parse(held.get(k) ?? '{}') as Record<string, unknown>;
      const b = v.document;
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
          console.log(
            k,
            key,
            JSON.stringify(a[key])?.slice(-900),
            '\n  →',
            JSON.stringify(b[key])?.slice(-900),
          );
    }
  }
  const pushedByFinalBackfill = (demoFinal.backfill?.pushed ?? 0) + (otherFinal.backfill?.pushed ?? 0);

  const repeats = [...world.sqai.deliveries.values()].filter((count) => count > 1).length;
  const duplicateVersions = [...world.sqai.versionsStored.values()].filter((count) => count > 1).length;
  const figures = {
    requirements: requirements.length,
    faultRate: 0.2,
    faultyRuns: FAULTY_RUNS,
    searchLagSeconds: SEARCH_LAG_MS / 1000,
    // Every requirement is new to SQAI (first-configuration backfill under faults); these were then edited.
    requirementsEditedUnderFaults: edited.size,
    deliveredToSqai: world.sqai.contexts.size,
    deliveredTwiceSameHash: duplicateVersions,
    repeatedSendsAbsorbedByIdempotency: repeats,
    lost,
    pushedByVerificationBackfill: pushedByFinalBackfill,
    sqaiRequestsOfVerificationBackfill: world.sqai.log.entries.length - before,
    generatedTestsProposed: afterHealing.proposals,
    generatedTestsCreated: generated.created,
    generatedTestsCreatedTwice: generated.duplicates,
    creationFinishedUnderFaults: underFaults.creation === 'done',
    creationStatusAfterHealing: afterHealing.creation,
    resolverCallsFailedUnderFaults: underFaults.failedCalls,
    requestsUnderFaults: minus(duringFaults.requests, beforeFaults.requests),
    failedRequestsUnderFaults: minus(duringFaults.faults, beforeFaults.faults),
    hourlyRunsToConvergeAfterHealing: convergenceRuns,
    secondsUnderFaults: Math.round((healedAt - started) / 1000),
    secondsToConvergeAfterHealing: Math.round((convergedAt - healedAt) / 1000),
    syncRunRetries: log.lines.filter((line) => line.includes('Sync run interrupted')).length,
    backfillsResumed: log.lines.filter((line) => line.includes('Resuming an interrupted backfill')).length,
    queueFailures: world.platform.queue.failures.length,
  };
  return figures;
}

interface GenerationOutcome {
  proposals: number;
  creation: CreationDto['status'] | 'not started';
  /** Resolver calls that answered with an error (each retried by the "user"). */
  failedCalls: number;
}

/**
 * A user on DEMO-3: generate, then create every valid proposal into a new Test Set, pressing
 * "Continue" after each failure — as the panel does. Under faults it may not finish; the caller
 * finishes it after healing.
 */
async function generateAndCreate(world: World, attempts: number): Promise<GenerationOutcome> {
  let failedCalls = 0;
  const call = async <T>(name: string, payload: unknown): Promise<T | undefined> => {
    const result = await world.invokeIssue<T>(name, payload, 'DEMO-3');
    if (result.ok) return result.data;
    failedCalls += 1;
    return undefined;
  };
  let generation: GenerationDto | undefined;
  for (let attempt = 0; attempt < attempts && !generation; attempt += 1) {
    generation = await call<GenerationDto>('startGeneration', {
      testTypes: ['Manual', 'Cucumber', 'Generic'],
      maxTests: 10,
    });
  }
  for (let poll = 0; poll < attempts && generation?.status !== 'succeeded'; poll += 1) {
    generation = (await call<GenerationDto>('pollGeneration', {})) ?? generation;
  }
  if (!generation || generation.status !== 'succeeded') {
    return { proposals: 0, creation: 'not started', failedCalls };
  }
  if (process.env.CHAOS_DEBUG) {
    console.log(
      JSON.stringify({
        problems: generation.proposals.map((proposal) => proposal.problems),
        rejected: generation.rejected,
        error: generation.error,
      }),
    );
  }
  const selections = generation.proposals
    .filter((proposal) => proposal.problems.length === 0)
    .map((proposal) => ({ id: proposal.id }));
  let creation = await call<CreationDto>('createGeneratedTests', {
    selections,
    destination: { testSet: { mode: 'new', summary: 'Chaos set' } },
  });
  for (let attempt = 0; attempt < attempts && creation?.status !== 'done'; attempt += 1) {
    creation = (await call<CreationDto>('continueCreation', {})) ?? creation;
  }
  return { proposals: selections.length, creation: creation?.status ?? 'not started', failedCalls };
}

async function finishCreation(world: World, status: CreationDto['status']): Promise<CreationDto['status']> {
  for (let attempt = 0; attempt < 10 && status !== 'done'; attempt += 1) {
    const result = await world.invokeIssue<CreationDto>('continueCreation', {}, 'DEMO-3');
    if (result.ok) status = result.data.status;
  }
  return status;
}

/** Tests carrying a generated test's label: how many distinct, how many extra copies. */
function generatedTestsInJira(world: World): { created: number; duplicates: number } {
  const labels = [...world.jiraStore.issues.values()].flatMap((issue) =>
    issue.labels.filter((label) => label.startsWith('sqai-t-')),
  );
  return { created: new Set(labels).size, duplicates: labels.length - new Set(labels).size };
}

if (require.main === module) {
  // Errors are the point of this run: keep them out of the output (the figures count them).
  process.env.SQAI_QUIET_LOGS = '1';
  (async () => {
    const figures = await runChaos();
    // The living-tests phase (issue 19) in its own world, after the sync phase.
    const living = await runLivingChaos();
    return { ...figures, living };
  })()
    .then(async (figures) => {
      console.table(
        Object.fromEntries(
          Object.entries(figures).map(([key, value]) => [
            key,
            typeof value === 'object' ? JSON.stringify(value) : value,
          ]),
        ),
      );
      const file = path.join(__dirname, 'chaos.json');
      writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), figures }, null, 2)}\n`);
      console.log(`Wrote ${path.relative(process.cwd(), file)}`);
      await writeReliabilityReport();
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
