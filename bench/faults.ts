/**
 * The chaos run's faults and request counting, shared by its phases (bench/chaos.ts,
 * bench/chaos-living.ts) and the living-tests bench (bench/living.ts).
 */
import type { FaultInjector, RequestLog } from '../test/harness/sim-kit';

/**
 * 20 % of requests fail: 8 % 503, 5 % 429, 3 % dropped connections, 2 % answers lost after the
 * service did the work (the connection drops on the way back), 2 % timeouts (8 s each). Each is
 * drawn independently, so the measured share is a little under 20 %; the report shows it.
 */
export function injectFaults(faults: FaultInjector): void {
  faults.add({ status: 503, rate: 0.08, body: { error: 'Service unavailable' } });
  faults.add({ status: 429, rate: 0.05, body: { error: 'Too many requests' } });
  faults.add({ reset: true, rate: 0.03 });
  faults.add({ lose: true, reset: true, rate: 0.02 });
  faults.add({ timeout: true, rate: 0.02 });
}

export type PerService = { jira: number; xray: number; sqai: number };

export const minus = (a: PerService, b: PerService): PerService => ({
  jira: a.jira - b.jira,
  xray: a.xray - b.xray,
  sqai: a.sqai - b.sqai,
});

/**
 * Counts every request a simulator logs (its log keeps only the newest 5,000 entries, so its length
 * is no count): requests, those a fault answered, and 429s the simulator itself sent (its rate limit).
 */
export interface RequestCounter {
  requests: number;
  faults: number;
  rateLimited: number;
  /** Requests by operation (Xray: GraphQL operation; Jira: operationId; SQAI: route). */
  byOperation: Map<string, number>;
}

export function countRequests(log: RequestLog): RequestCounter {
  const counter: RequestCounter = { requests: 0, faults: 0, rateLimited: 0, byOperation: new Map() };
  const record = log.record.bind(log);
  log.record = (entry) => {
    counter.requests += 1;
    if (entry.fault) counter.faults += 1;
    else if (entry.status === 429) counter.rateLimited += 1;
    const operation = entry.operation ?? `${entry.method} ${entry.path.split('?')[0] ?? ''}`;
    counter.byOperation.set(operation, (counter.byOperation.get(operation) ?? 0) + 1);
    record(entry);
  };
  return counter;
}

/** Whether a request body is a GraphQL request (and then whether it is a mutation, a write). */
function graphqlMutation(body: string): boolean | undefined {
  if (!body.includes('"query"')) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const query =
      typeof parsed === 'object' && parsed !== null ? (parsed as { query?: unknown }).query : undefined;
    return typeof query === 'string' && /^\s*mutation\b/.test(query);
  } catch {
    return undefined;
  }
}

/**
 * Counts the answers a fault lost after the service did the work (`lose`): all of them, and those of
 * writes (Xray GraphQL mutations; Jira and SQAI requests other than GET).
 */
export function countLostAnswers(faults: FaultInjector): { lost: number; lostWrites: number } {
  const counter = { lost: 0, lostWrites: 0 };
  const take = faults.take.bind(faults);
  faults.take = (method, path, body = '') => {
    const fault = take(method, path, body);
    if (fault?.lose) {
      counter.lost += 1;
      const mutation = graphqlMutation(body);
      if (mutation ?? method.toUpperCase() !== 'GET') counter.lostWrites += 1;
    }
    return fault;
  };
  return counter;
}
