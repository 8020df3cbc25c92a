/**
 * Jira's rate limits for apps (issue 14 item 1): Jira points per requirement for the panel send, the
 * hourly sync and the backfill, and the 429s Jira answered, with the Jira simulator enforcing the
 * documented limits (test/harness/jira-sim/rate-limits.ts: 65,000 points per hour, burst per endpoint,
 * per-issue writes). Same worlds as ./sync.ts (50 ms latency, Xray Standard budget, warped time).
 *   node --import tsx bench/jira-points.ts [--quick]    (--quick: a 1,000-requirement backfill, not 10,000)
 */
import type { ResolverResult, SendToSqaiResult } from '../src/api';
import { demoSettings } from '../test/harness/demo-settings';
import type { PointsLedger } from '../test/harness/jira-sim/rate-limits';
import { type Measure, backfillQueued, benchWorld, changedRequirements, hourly } from './sync-scenarios';

const POST_READS = new Set(['searchAndReconsileIssuesUsingJqlPost', 'bulkFetchIssues']);

export interface JiraPointsFigures {
  scenario: string;
  requirements: number;
  jiraRequests: number;
  points: number;
  pointsPerRequirement: number;
  /**
   * The same run if reads sent as POST (JQL search, bulk fetch) cost the base 1 point only — the
   * other reading of "Write requests are charged only the base cost" (the simulator charges them per issue).
   */
  pointsIfPostReadsCostBase: number;
  simulatedMinutes: number;
  /** Share of the Tier 1 Global Pool (65,000 points per hour for all the app's sites together). */
  shareOfGlobalPool: number;
  status429: number;
  byOperation: PointsLedger['byOperation'];
}

const measure: Measure<JiraPointsFigures> = async ({ world, clock }, scenario, requirements, run) => {
  world.jira.rateLimits.ledger = {
    points: 0,
    requests: 0,
    byActor: { user: 0, app: 0 },
    byOperation: {},
    rejected: {},
  };
  const requestsBefore = world.jira.requests.length;
  const started = clock.now().getTime();
  await run();
  const minutes = (clock.now().getTime() - started) / 60_000;
  const { ledger } = world.jira.rateLimits;
  const sent = world.jira.requests.slice(requestsBefore);
  const postReads = Object.entries(ledger.byOperation)
    .filter(([operation]) => POST_READS.has(operation))
    .reduce((sum, [, { requests, points }]) => sum + points - requests, 0);
  return {
    scenario,
    requirements,
    jiraRequests: sent.length,
    points: ledger.points,
    pointsPerRequirement: Math.round((ledger.points / Math.max(1, requirements)) * 100) / 100,
    pointsIfPostReadsCostBase: ledger.points - postReads,
    simulatedMinutes: Math.round(minutes * 10) / 10,
    shareOfGlobalPool: Math.round((ledger.points / 65_000) * 1000) / 1000,
    status429: sent.filter((request) => request.status === 429).length,
    byOperation: ledger.byOperation,
  };
};

function ok<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

/** One "Send to SQAI" from the issue panel (the Xray token already cached). */
export async function panelSendPoints(): Promise<JiraPointsFigures> {
  const { world, clock } = benchWorld({ jiraRateLimits: true });
  ok(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  ok(await world.invokeIssue('getIssuePanel', {}, 'DEMO-1'));
  return measure({ world, clock }, 'panel: Send to SQAI (1 requirement)', 1, async () => {
    ok(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
  });
}

/** An hourly run that finds `count` changed requirements, then one that finds none. */
export async function hourlySyncPoints(count = 1_000): Promise<JiraPointsFigures[]> {
  const { world, clock } = await changedRequirements(count, { jiraRateLimits: true });
  const run = () => hourly(world);
  const changed = await measure({ world, clock }, `hourly sync: ${count} changed requirements`, count, run);
  clock.advance(60 * 60_000);
  const nothing = await measure({ world, clock }, 'hourly sync: nothing changed', 0, run);
  return [changed, nothing];
}

/** The first-configuration backfill of `count` requirements (plus the seed) with 10 tests each. */
export async function backfillPoints(count: number): Promise<JiraPointsFigures> {
  const { world, clock, total } = await backfillQueued(count, { jiraRateLimits: true });
  return measure({ world, clock }, `backfill: ${count.toLocaleString('en')} requirements`, total, () =>
    world.platform.queue.drain(),
  );
}

export async function benchJiraPoints(quick: boolean): Promise<JiraPointsFigures[]> {
  const rows = [await panelSendPoints(), ...(await hourlySyncPoints(1_000))];
  rows.push(await backfillPoints(quick ? 1_000 : 10_000));
  return rows;
}

export function printJiraPoints(rows: JiraPointsFigures[]): void {
  console.log(
    "\nJira points (Jira's rate limits for apps enforced by the simulator: 65,000 points / hour, burst per endpoint, per-issue writes)",
  );
  console.table(
    Object.fromEntries(
      rows.map((row) => [
        row.scenario,
        {
          'Jira req': row.jiraRequests,
          points: row.points,
          'points / requirement': row.pointsPerRequirement,
          'points if POST reads cost 1': row.pointsIfPostReadsCostBase,
          'sim. min': row.simulatedMinutes,
          'share of 65,000 / h': row.shareOfGlobalPool,
          'Jira 429s (0)': row.status429,
        },
      ]),
    ),
  );
  for (const row of rows) {
    const parts = Object.entries(row.byOperation).map(
      ([operation, { requests, points }]) => `${operation} ${requests} req / ${points} pts`,
    );
    console.log(`  ${row.scenario}: ${parts.join('; ')}`);
  }
}

if (require.main === module) {
  benchJiraPoints(process.argv.includes('--quick'))
    .then(printJiraPoints)
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
