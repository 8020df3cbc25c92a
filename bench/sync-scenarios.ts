/**
 * The sync scenarios the benchmarks measure, set up once for all of them: a world at 50 ms latency per
 * request with warped waits, and the runs — the first-configuration backfill, an hourly run that finds
 * `count` changed requirements, an hourly run that finds none. ./sync.ts measures requests, time and
 * memory on them; ./jira-points.ts the Jira points they cost with Jira's rate limits on.
 */
import { data, demoSettings } from '../test/harness/demo-settings';
import { addRequirements } from '../test/harness/fixtures/bulk-requirements';
import { createCapturingLog } from '../test/harness/local-platform';
import { warpClock, type WarpClock } from '../test/harness/warp-clock';
import { createWorld, DEMO, type World } from '../test/harness/world';

export const LATENCY_MS = 50;
/** A wait of S ms takes S / WARP real ms (the app waiting for its Xray budget or Jira's limits). */
export const WARP = 50;
/** Requirements in the demo seed, synced along with the generated ones. */
export const SEEDED_REQUIREMENTS = 19;

export interface BenchWorld {
  world: World;
  clock: WarpClock;
}

export function benchWorld(options: { jiraRateLimits?: boolean } = {}): BenchWorld {
  const clock = warpClock(WARP);
  const world = createWorld({
    now: () => clock.now(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    latencyMs: LATENCY_MS,
    validateContracts: false,
    sqaiKeepsDocuments: false,
    log: createCapturingLog(false),
  });
  if (options.jiraRateLimits) world.jira.rateLimits.enable();
  return { world, clock };
}

/** Measures one run of a scenario (`requirements`: how many it syncs) into figures `F`. */
export type Measure<F> = (
  bench: BenchWorld,
  scenario: string,
  requirements: number,
  run: () => Promise<void>,
) => Promise<F>;

/** One scheduled run and the queue work it starts. */
export async function hourly(world: World): Promise<void> {
  await world.runScheduledTrigger();
  await world.platform.queue.drain();
}

/**
 * A project with `count` requirements (10 tests each) whose backfill is done and whose cursor is set,
 * then every generated requirement changed half an hour later: the next `hourly` run finds them all.
 */
export async function changedRequirements(count: number, options: { jiraRateLimits?: boolean } = {}) {
  const bench = benchWorld(options);
  const { world, clock } = bench;
  addRequirements(world, count, 10, clock.now());
  data(await world.invoke('saveSettings', demoSettings('standard')));
  await world.platform.queue.drain(); // the first-configuration backfill
  clock.advance(60 * 60_000);
  await hourly(world); // sets the cursor
  const generated = world.jiraStore
    .issuesOfProject(DEMO.project.id)
    .filter((issue) => issue.summary.startsWith('Generated requirement'));
  clock.advance(30 * 60_000);
  for (const issue of generated) world.jiraStore.updateIssue(issue.id, { labels: ['changed'] });
  clock.advance(30 * 60_000);
  return bench;
}

/** A project with `count` requirements (plus the seed), configured: its backfill is queued. */
export async function backfillQueued(
  count: number,
  options: { jiraRateLimits?: boolean } = {},
): Promise<BenchWorld & { total: number }> {
  const bench = benchWorld(options);
  addRequirements(bench.world, count, 10, bench.clock.now());
  data(await bench.world.invoke('saveSettings', demoSettings('standard')));
  return { ...bench, total: count + SEEDED_REQUIREMENTS };
}
