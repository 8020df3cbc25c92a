/**
 * Issue panel "Send to SQAI" under simulated latency (issues 4 and 20): for a requirement without
 * linked Confluence pages and for one with them (DEMO-1 links two), the round trips per service of
 * one send with a cached Xray token, p50/p95 wall time over 50 sends, and p50 against two floors:
 *
 * - the goal's floor (issue 4, extended by issue 20): the round trips no send can avoid — the Jira
 *   and Xray reads in parallel, then the SQAI push (2); with pages, the Confluence reads wait for
 *   the issue's remote links that name them (Jira → Confluence, beside Xray → SQAI: 3);
 * - the measured dependency chain: the sequential round trips one send actually waits for
 *   (bench/panel-timeline.ts). The caller's permission check runs beside the reads; which of Xray's
 *   issues the caller may see is asked of Jira beside the Xray read too, for the issues Xray named at
 *   the requirement's last send (src/context/gather.ts `visibilityGuess`) — so the first send
 *   (`firstSend…`: nothing guessed yet) waits one round trip more, for that read after Xray's answer.
 */
import type { ResolverResult, SendToSqaiResult } from '../src/api';
import { createCapturingLog } from '../test/harness/local-platform';
import { demoSettings } from '../test/harness/demo-settings';
import { createWorld, type World } from '../test/harness/world';
import { criticalPath, recordRequests, type TimedRequest } from './panel-timeline';

const LATENCY_MS = 50;
const RUNS = 50;

/** A requirement without linked pages, and one with two (test/harness/fixtures/demo-requirements.ts). */
export const PANEL_CASES = {
  plain: { issueKey: 'DEMO-3', goalFloorRoundTrips: 2 },
  withConfluence: { issueKey: 'DEMO-1', goalFloorRoundTrips: 3 },
} as const;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const ratio = (value: number, floor: number) => Math.round((value / floor) * 100) / 100;

function ok<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

export interface PanelCaseFigures {
  issueKey: string;
  /** Of the first send after the panel opened (its content changed: Test Plan results are read too). */
  roundTrips: { jira: number; xray: number; sqai: number; confluence: number };
  /**
   * That first send's wall time (one run) and the round trips it waited for: besides the push it
   * waits for the criterion state kept alongside it (the Test Plan results read, then the
   * `sqaiCriteria` property written) — src/sync/sync-issue.ts awaits it before answering.
   */
  firstSendMs: number;
  firstSendDependencyRoundTrips: number;
  firstSendChain: string[];
  /** Of a send whose content did not change since the last one (forced). */
  roundTripsResend: { jira: number; xray: number; sqai: number; confluence: number };
  p50Ms: number;
  p95Ms: number;
  /** The goal's floor: `goalFloorRoundTrips` × latency. */
  floorMs: number;
  goalFloorRoundTrips: number;
  /** p50 / floorMs (goal ≤ 1.3). */
  ratio: number;
  /** Sequential round trips one (forced re-)send waited for, and the requests on that chain. */
  dependencyRoundTrips: number;
  dependencyChain: string[];
  /** p50 / (dependencyRoundTrips × latency): what is left beyond the waits themselves. */
  ratioToDependencyChain: number;
}

export interface PanelSyncFigures extends PanelCaseFigures {
  latencyMs: number;
  runs: number;
  unchangedResyncSqaiRequests: number;
  /** The same figures for a requirement with linked Confluence pages (issue 20). */
  withConfluence: PanelCaseFigures;
}

/** A request as the chain names it: `Jira GET issue/{id}`, `Xray POST graphql`, `SQAI PUT contexts/…`. */
const label = (request: TimedRequest): string => {
  const service = { jira: 'Jira', confluence: 'Confluence', xray: 'Xray', sqai: 'SQAI', other: '?' }[
    request.service
  ];
  const what = request.what
    .replace(/\/(rest\/api\/3|wiki\/api\/v2|api\/v2|v1)\//, ' ')
    .replace(/\/[^/\s]*\d[^/\s]*/g, '/{id}')
    .replace(/ (contexts|pages|issue)\/\{id\}\/\{id\}/, ' $1/{id}')
    .replace(/\s+/, ' ')
    .replace('demo-cloud-id', '{cloudId}');
  return `${service} ${what}`;
};

const countsOf = (requests: readonly TimedRequest[]) => {
  const count = (service: TimedRequest['service']) => requests.filter((r) => r.service === service).length;
  return { jira: count('jira'), xray: count('xray'), sqai: count('sqai'), confluence: count('confluence') };
};

/** How a send is made: through the resolver, or with the access check beside the reads. */
type Send = (world: World, issueKey: string) => Promise<ResolverResult<SendToSqaiResult>>;

const throughResolver: Send = (world, issueKey) =>
  world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, issueKey);

async function benchCase(
  world: World,
  recorder: ReturnType<typeof recordRequests>,
  issueKey: string,
  goalFloorRoundTrips: number,
  send: Send = throughResolver,
): Promise<PanelCaseFigures> {
  ok(await world.invokeIssue('getIssuePanel', {}, issueKey)); // the Xray token is cached from here on

  recorder.restart();
  const firstStarted = performance.now();
  ok(await send(world, issueKey));
  const firstSendMs = Math.round(performance.now() - firstStarted);
  const roundTrips = countsOf(recorder.requests);
  const firstChain = criticalPath(recorder.requests);

  recorder.restart();
  ok(await send(world, issueKey));
  const roundTripsResend = countsOf(recorder.requests);
  const chain = criticalPath(recorder.requests);

  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    ok(await send(world, issueKey));
    times.push(performance.now() - started);
  }
  const p50 = percentile(times, 50);
  const floorMs = goalFloorRoundTrips * LATENCY_MS;
  return {
    issueKey,
    roundTrips,
    firstSendMs,
    firstSendDependencyRoundTrips: firstChain.length,
    firstSendChain: firstChain.map(label),
    roundTripsResend,
    p50Ms: Math.round(p50),
    p95Ms: Math.round(percentile(times, 95)),
    floorMs,
    goalFloorRoundTrips,
    ratio: ratio(p50, floorMs),
    dependencyRoundTrips: chain.length,
    dependencyChain: chain.map(label),
    ratioToDependencyChain: ratio(p50, chain.length * LATENCY_MS),
  };
}

export async function benchPanelSync(): Promise<PanelSyncFigures> {
  const world = createWorld({
    latencyMs: LATENCY_MS,
    log: createCapturingLog(false),
    validateContracts: false,
  });
  ok(await world.invoke('saveSettings', demoSettings('enterprise')));
  const recorder = recordRequests(world);

  const plain = await benchCase(
    world,
    recorder,
    PANEL_CASES.plain.issueKey,
    PANEL_CASES.plain.goalFloorRoundTrips,
  );
  const unchangedBefore = world.sqai.log.entries.length;
  const unchanged = ok(
    await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, PANEL_CASES.plain.issueKey),
  );
  if (unchanged.outcome !== 'unchanged') throw new Error('An unchanged re-sync pushed again');
  const unchangedResyncSqaiRequests = world.sqai.log.entries.length - unchangedBefore;

  const withConfluence = await benchCase(
    world,
    recorder,
    PANEL_CASES.withConfluence.issueKey,
    PANEL_CASES.withConfluence.goalFloorRoundTrips,
  );
  if (withConfluence.roundTrips.confluence === 0) {
    throw new Error(`${PANEL_CASES.withConfluence.issueKey} read no Confluence page`);
  }
  return {
    latencyMs: LATENCY_MS,
    runs: RUNS,
    ...plain,
    unchangedResyncSqaiRequests,
    withConfluence,
  };
}
