/**
 * Issue panel sync under simulated latency (issue 4's figures): round trips per service for one
 * "Send to SQAI" with a cached Xray token, p50/p95 wall time over 50 syncs, and the ratio of p50 to
 * the floor of 2 sequential round trips (Jira and Xray reads in parallel, then the SQAI push).
 */
import type { ResolverResult, SendToSqaiResult } from '../src/api';
import { createCapturingLog } from '../test/harness/local-platform';
import { demoSettings } from '../test/harness/demo-settings';
import { createWorld } from '../test/harness/world';

const LATENCY_MS = 50;
const RUNS = 50;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

function ok<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

export interface PanelSyncFigures {
  latencyMs: number;
  runs: number;
  roundTrips: { jira: number; xray: number; sqai: number };
  p50Ms: number;
  p95Ms: number;
  floorMs: number;
  ratio: number;
  unchangedResyncSqaiRequests: number;
}

export async function benchPanelSync(): Promise<PanelSyncFigures> {
  const world = createWorld({
    latencyMs: LATENCY_MS,
    log: createCapturingLog(false),
    validateContracts: false,
  });
  ok(await world.invoke('saveSettings', demoSettings('enterprise')));

  ok(await world.invokeIssue('getIssuePanel', {}, 'DEMO-1')); // the Xray token is cached from here on

  const mark = () => ({
    jira: world.jira.requests.length,
    xray: world.xray.requests.length,
    sqai: world.sqai.log.entries.length,
  });
  const before = mark();
  ok(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
  const after = mark();
  const roundTrips = {
    jira: after.jira - before.jira,
    xray: after.xray - before.xray,
    sqai: after.sqai - before.sqai,
  };

  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    ok(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
    times.push(performance.now() - started);
  }
  const unchangedBefore = world.sqai.log.entries.length;
  const unchanged = ok(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
  if (unchanged.outcome !== 'unchanged') throw new Error('An unchanged re-sync pushed again');
  const p50 = percentile(times, 50);
  const floor = 2 * LATENCY_MS;
  return {
    latencyMs: LATENCY_MS,
    runs: RUNS,
    roundTrips,
    p50Ms: Math.round(p50),
    p95Ms: Math.round(percentile(times, 95)),
    floorMs: floor,
    ratio: Math.round((p50 / floor) * 100) / 100,
    unchangedResyncSqaiRequests: world.sqai.log.entries.length - unchangedBefore,
  };
}
