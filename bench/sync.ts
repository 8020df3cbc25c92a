/**
 * Scheduled sync and backfill at scale (issue 6's figures), against the simulators with 50 ms latency
 * per request and Xray's Standard budget (300 requests / 5 min) enforced. Time is warped while the app
 * waits for its Xray budget (a sleep of S ms takes S / WARP real ms, ./sync-scenarios.ts but S simulated ms), so an
 * 8-minute simulated backfill runs in seconds; every figure is in simulated time.
 */
import { RunStore } from '../src/sync/run-store';
import type { SyncStatusDto } from '../src/api';
import { data } from '../test/harness/demo-settings';
import { DEMO, type World } from '../test/harness/world';
import { type Measure, backfillQueued, changedRequirements, hourly } from './sync-scenarios';

const BUDGET_PER_5_MIN = 300;

export interface SyncFigures {
  scenario: string;
  requirements: number;
  xrayRequests: number;
  requirementsPerXrayRequest: number;
  sqaiRequests: number;
  requirementsPerSqaiRequest: number;
  jiraRequests: number;
  simulatedSeconds: number;
  xrayRateShareOfBudget: number;
  status429: number;
  pushed: number;
  peakRssMb: number;
  /** Growth of the live heap (sampled after a full GC) during the run: the app plus what the simulated services store. */
  liveHeapGrowthMb: number;
  /** What the simulated KVS holds at the end (sync states etc.: Forge storage in production, not memory). */
  kvsMb: number;
}

const kvsBytes = (world: World) =>
  [...world.platform.kvs.data.values()].reduce<number>((sum, value) => sum + JSON.stringify(value).length, 0);

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
}

const measure: Measure<SyncFigures> = async ({ world, clock }, scenario, requirements, run) => {
  gc();
  const heapBase = process.memoryUsage().heapUsed;
  const kvsBase = kvsBytes(world);
  let peakRss = process.memoryUsage().rss;
  let peakLive = heapBase;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    gc();
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  }, 500);
  const before = {
    jira: world.jira.requests.length,
    xray: world.xray.requests.length,
    sqai: world.sqai.log.entries.length,
    status429: world.xray.log.entries.filter((entry) => entry.status === 429).length,
  };
  const started = clock.now().getTime();
  await run();
  const simulatedMs = clock.now().getTime() - started;
  clearInterval(sampler);
  const xray = world.xray.requests.length - before.xray;
  const sqai = world.sqai.log.entries.length - before.sqai;
  const jira = world.jira.requests.length - before.jira;
  const status = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
  const lastRun = scenario.includes('backfill') ? status.backfill : status.lastRun;
  const budgetInWindow = (BUDGET_PER_5_MIN * simulatedMs) / 300_000;
  return {
    scenario,
    requirements,
    xrayRequests: xray,
    requirementsPerXrayRequest: xray > 0 ? Math.round((requirements / xray) * 10) / 10 : requirements,
    sqaiRequests: sqai,
    requirementsPerSqaiRequest: sqai > 0 ? Math.round((requirements / sqai) * 10) / 10 : requirements,
    jiraRequests: jira,
    simulatedSeconds: Math.round(simulatedMs / 100) / 10,
    xrayRateShareOfBudget: budgetInWindow > 0 ? Math.round((xray / budgetInWindow) * 100) / 100 : 0,
    status429: world.xray.log.entries.filter((entry) => entry.status === 429).length - before.status429,
    pushed: lastRun?.pushed ?? 0,
    peakRssMb: mb(peakRss),
    liveHeapGrowthMb: mb(peakLive - heapBase),
    kvsMb: mb(kvsBytes(world) - kvsBase),
  };
};

/** 1,000 changed requirements in an hourly run, then an hourly run with nothing changed. */
export async function benchIncremental(count = 1_000): Promise<SyncFigures[]> {
  const { world, clock } = await changedRequirements(count);
  const changed = await measure({ world, clock }, `incremental: ${count} changed requirements`, count, () =>
    hourly(world),
  );
  clock.advance(60 * 60_000);
  const nothing = await measure({ world, clock }, 'incremental: nothing changed', 0, () => hourly(world));
  if (!(await new RunStore(world.platform.kvs).cursor(DEMO.project.id))) throw new Error('no cursor');
  return [changed, nothing];
}

/** A backfill of `count` requirements (plus the seed) with 10 tests each. */
export async function benchBackfill(count: number): Promise<SyncFigures> {
  const { world, clock, total } = await backfillQueued(count);
  return measure({ world, clock }, `backfill: ${count.toLocaleString('en')} requirements`, total, () =>
    world.platform.queue.drain(),
  );
}
