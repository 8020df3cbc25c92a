/**
 * One "Send to SQAI" as a timeline: every upstream request (Jira, Confluence, Xray, SQAI) with its
 * start and end relative to the send's start, and the critical path those imply. The requests are
 * recorded at the platform's transports (where the simulated latency is added), so each one's span
 * is its whole round trip.
 *   node --import tsx bench/panel-timeline.ts [ISSUE-KEY ...]
 */
import type { ResolverResult, SendToSqaiResult } from '../src/api';
import type { HttpRequestInit } from '../src/platform/ports';
import { createCapturingLog } from '../test/harness/local-platform';
import { demoSettings } from '../test/harness/demo-settings';
import { createWorld, type World } from '../test/harness/world';

export interface TimedRequest {
  service: 'jira' | 'confluence' | 'xray' | 'sqai' | 'other';
  what: string;
  startMs: number;
  endMs: number;
}

function ok<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

const serviceOfUrl = (url: string): TimedRequest['service'] => {
  const host = new URL(url).hostname;
  if (host.includes('xray')) return 'xray';
  if (host.includes('sqai')) return 'sqai';
  return 'other';
};

const describe = (method: string, target: string, body: unknown): string => {
  const path = target.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? target;
  if (typeof body === 'string' && path.includes('graphql')) {
    const fields = /\{\s*(\w+)/.exec(body.replace(/^[^{]*/, ''))?.[1] ?? '';
    return `${method} ${path} ${fields}`.trim();
  }
  return `${method} ${path}`;
};

/**
 * Records every upstream request of `world` from now on (wraps its platform's transports); returns
 * the list and a function to restart the clock.
 */
export function recordRequests(world: World): { requests: TimedRequest[]; restart(): void } {
  const requests: TimedRequest[] = [];
  let origin = performance.now();
  const platform = world.platform;
  const jira = platform.jira.request.bind(platform.jira);
  const confluence = platform.confluence.request.bind(platform.confluence);
  const fetch = platform.http.fetch.bind(platform.http);
  const timed = async <T>(service: TimedRequest['service'], what: string, call: () => Promise<T>) => {
    const entry: TimedRequest = { service, what, startMs: performance.now() - origin, endMs: 0 };
    try {
      return await call();
    } finally {
      entry.endMs = performance.now() - origin;
      requests.push(entry);
    }
  };
  platform.jira.request = (path, init, options) =>
    timed('jira', describe(init.method ?? 'GET', path, init.body), () => jira(path, init, options));
  platform.confluence.request = (path, init, options) =>
    timed('confluence', describe(init.method ?? 'GET', path, init.body), () =>
      confluence(path, init, options),
    );
  platform.http.fetch = (url: string, init: HttpRequestInit) =>
    timed(serviceOfUrl(url), describe(init.method ?? 'GET', url, init.body), () => fetch(url, init));
  return {
    requests,
    restart() {
      requests.length = 0;
      origin = performance.now();
    },
  };
}

/**
 * The chain of requests the send waited for: from the request that ended last, back through the
 * request that ended last before it started (what it waited for), and so on. Its length is the
 * number of sequential round trips; everything else ran beside them.
 */
export function criticalPath(requests: readonly TimedRequest[], slackMs = 1): TimedRequest[] {
  const byEnd = [...requests].sort((a, b) => a.endMs - b.endMs);
  const path: TimedRequest[] = [];
  let current = byEnd[byEnd.length - 1];
  while (current) {
    path.unshift(current);
    const startedAt = current.startMs;
    current = byEnd.filter((request) => request.endMs <= startedAt + slackMs).pop();
  }
  return path;
}

export async function sendTimeline(
  issueKey: string,
  latencyMs = 50,
): Promise<{ totalMs: number; requests: TimedRequest[]; path: TimedRequest[] }> {
  const world = createWorld({ latencyMs, log: createCapturingLog(false), validateContracts: false });
  ok(await world.invoke('saveSettings', demoSettings('enterprise')));
  ok(await world.invokeIssue('getIssuePanel', {}, issueKey)); // the Xray token is cached from here on
  ok(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, issueKey));
  const recorder = recordRequests(world);
  recorder.restart();
  const started = performance.now();
  ok(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, issueKey));
  const totalMs = performance.now() - started;
  const requests = [...recorder.requests].sort((a, b) => a.startMs - b.startMs);
  return { totalMs, requests, path: criticalPath(requests) };
}

export function printTimeline(
  issueKey: string,
  timeline: { totalMs: number; requests: TimedRequest[]; path: TimedRequest[] },
): void {
  const f = (ms: number) => ms.toFixed(0).padStart(4);
  console.log(`\n"Send to SQAI" on ${issueKey}: ${timeline.totalMs.toFixed(0)} ms`);
  for (const request of timeline.requests) {
    const onPath = timeline.path.includes(request) ? '*' : ' ';
    console.log(
      `${onPath} ${f(request.startMs)} → ${f(request.endMs)}  ${request.service.padEnd(10)} ${request.what}`,
    );
  }
  console.log(`critical path: ${timeline.path.length} sequential round trips (* above)`);
}

const isMain = process.argv[1]?.endsWith('panel-timeline.ts') ?? false;
if (isMain) {
  const keys = process.argv.slice(2);
  void (async () => {
    for (const key of keys.length > 0 ? keys : ['DEMO-1']) printTimeline(key, await sendTimeline(key));
  })();
}
