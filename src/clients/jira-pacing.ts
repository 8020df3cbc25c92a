/**
 * The app's pacing for Jira's rate limits for apps (enforced since 2 March 2026; Atlassian, "Rate
 * limiting" and "Build an app that respects rate limits", developer.atlassian.com/cloud/jira/platform):
 * three independent limits, each with its own scope, each answered 429 with a `RateLimit-Reason`.
 *
 * - Burst (`jira-burst-based`): "One tenant, one endpoint, one HTTP method" — a token bucket per
 *   operation here, at half of Jira's documented steady rate (GET/POST 100/s, PUT/DELETE 50/s, GET
 *   issue 150/s); a burst 429 blocks that operation alone for `Retry-After`.
 * - Per-issue writes (`jira-per-issue-on-write`): 20 per 2 s and 100 per 30 s on one issue — a bucket
 *   per issue written (10 at once, then 2.5/s: at most 15 in any 2 s and 85 in any 30 s); a per-issue
 *   429 blocks writes to that issue alone.
 * - The hourly points quota (`jira-quota-global-based`, `jira-quota-tenant-based`): "Pause all API
 *   requests until the window resets" — after a quota 429 every Jira call of the invocation fails at
 *   once with RATE_LIMITED and the wait (`retryAfterMs`), without being sent, so a queue consumer
 *   reschedules instead of hammering. Before that, the structured `RateLimit` header names what is
 *   left (`r`, only once less than 20 % remains) and when it resets (`t`): the pacer then spreads the
 *   remaining points over the time to the reset.
 *
 * One pacer per invocation (../platform/invocation.ts), on the platform's clock: Forge may run the
 * next invocation for another site, and a pacer only knows what its own requests were told.
 */
import { invocationMemo } from '../platform/invocation';
import { platform } from '../platform/runtime';
import type { HttpResponse } from '../platform/ports';
import type { JiraOperationName } from './jira-operations';

export type JiraRateLimitReason =
  'jira-quota-global-based' | 'jira-quota-tenant-based' | 'jira-burst-based' | 'jira-per-issue-on-write';

export const isQuotaReason = (reason: string | null | undefined): boolean =>
  reason === 'jira-quota-global-based' || reason === 'jira-quota-tenant-based';

export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** One request as the pacer sees it. */
export interface PacedRequest {
  operation: JiraOperationName;
  method: string;
  /** Issues a write changes (empty for reads). */
  issues: readonly string[];
}

/** Jira's documented steady-state burst rates (requests per second per endpoint and method). */
const JIRA_BURST_PER_SECOND: Record<string, number> = { GET: 100, POST: 100, PUT: 50, PATCH: 50, DELETE: 50 };
const JIRA_BURST_OVERRIDES: Partial<Record<JiraOperationName, number>> = { getIssue: 150 };

export interface PacerOptions {
  /** Share of Jira's steady burst rate the app uses per endpoint (default 0.5). */
  burstShare?: number;
  /** Writes to one issue at once, then `issueWritesPerSecond` (defaults 10 and 2.5). */
  issueWriteBurst?: number;
  issueWritesPerSecond?: number;
}

/** Thrown by the pacer instead of sending: the wait Jira asked for (or the pacer needs) is too long. */
export class JiraRateLimitWait extends Error {
  constructor(
    readonly reason: JiraRateLimitReason,
    readonly retryAfterMs: number,
  ) {
    super(`Jira's rate limit (${reason}) asks to wait ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'JiraRateLimitWait';
  }
}

class Bucket {
  private tokens: number;
  private at: number;
  /** Nothing may go before this time (a 429 asked us to wait). */
  blockedUntil = 0;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  /** Reserves the next slot and says how long to wait for it (concurrent callers queue up). */
  reserve(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
    this.tokens -= 1;
    const refillWait = this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
    return Math.max(refillWait, this.blockedUntil - now);
  }

  block(until: number, now: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
    this.tokens = Math.min(this.tokens, 0);
    this.at = now;
  }
}

/** The issues a write changes, from the operation's path or body (the simulator uses the same rule). */
export function writtenIssues(operation: JiraOperationName, path: string, body: unknown): string[] {
  if (operation === 'setIssueProperty') {
    const match = /\/issue\/([^/?]+)\//.exec(path);
    return match?.[1] ? [decodeURIComponent(match[1])] : [];
  }
  if (operation === 'linkIssues' && typeof body === 'object' && body !== null) {
    const ends = [
      (body as Record<string, unknown>).inwardIssue,
      (body as Record<string, unknown>).outwardIssue,
    ];
    return ends
      .map((end) => (typeof end === 'object' && end !== null ? (end as Record<string, unknown>) : {}))
      .map((end) => end.id ?? end.key)
      .filter((ref): ref is string => typeof ref === 'string');
  }
  return [];
}

/** `"global-app-quota";r=11000;t=600, "jira-burst-based";r=90;t=1` → the quota entry's r and t. */
export function quotaFromHeaders(
  headers: HttpResponse['headers'],
): { remaining?: number; resetSeconds: number } | undefined {
  const value = headers.get('ratelimit');
  if (!value) return undefined;
  for (const entry of value.split(',')) {
    const [name, ...attributes] = entry.trim().split(';');
    if (name !== '"global-app-quota"' && name !== '"tenant-app-quota"') continue;
    const attribute = (key: string) => {
      const found = attributes.find((pair) => pair.trim().startsWith(`${key}=`));
      const parsed = found === undefined ? Number.NaN : Number(found.trim().slice(key.length + 1));
      return Number.isFinite(parsed) ? parsed : undefined;
    };
    const resetSeconds = attribute('t');
    if (resetSeconds === undefined) return undefined;
    const remaining = attribute('r');
    return remaining === undefined ? { resetSeconds } : { remaining, resetSeconds };
  }
  return undefined;
}

export class JiraPacer {
  /** The latest time a wait of this pacer ended: its time never stands behind the time it waited. */
  private wokeUntil = 0;
  private readonly endpoints = new Map<string, Bucket>();
  private readonly issues = new Map<string, Bucket>();
  private quotaPausedUntil = 0;
  private quotaReason: JiraRateLimitReason = 'jira-quota-global-based';
  /** Near the quota: the earliest time of the next request (spreads what is left to the reset). */
  private nextQuotaSlot = 0;
  private quotaSpacingMs = 0;
  private lastRemaining: number | undefined;
  /** What the pacer did: time waited, 429s seen by reason, requests refused without sending. */
  readonly stats = {
    waitedMs: 0,
    rateLimited: {} as Partial<Record<JiraRateLimitReason, number>>,
    refused: 0,
  };

  constructor(
    private readonly clock: PacerClock,
    private readonly options: PacerOptions = {},
  ) {}

  /**
   * Waits until `request` may be sent, or throws JiraRateLimitWait when the hourly quota is spent
   * or the wait would outlast `budgetMs` (the caller's deadline).
   */
  async acquire(request: PacedRequest, budgetMs?: number, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    this.checkQuota(now);
    let waitMs = this.endpoint(request, now).reserve(now);
    for (const issue of request.issues) waitMs = Math.max(waitMs, this.issue(issue, now).reserve(now));
    if (this.quotaSpacingMs > 0) {
      const slot = Math.max(now, this.nextQuotaSlot);
      this.nextQuotaSlot = slot + this.quotaSpacingMs;
      waitMs = Math.max(waitMs, slot - now);
    }
    if (waitMs <= 0) return;
    if (budgetMs !== undefined && waitMs >= budgetMs) {
      this.stats.refused += 1;
      throw new JiraRateLimitWait(
        request.issues.length > 0 ? 'jira-per-issue-on-write' : 'jira-burst-based',
        waitMs,
      );
    }
    this.stats.waitedMs += waitMs;
    await this.clock.sleep(waitMs, signal);
    this.wokeUntil = Math.max(this.wokeUntil, now + waitMs);
    this.checkQuota(this.now());
  }

  /**
   * The pacer's time: the clock's, but never behind the end of a wait it has done. A clock that
   * stands still while sleeps pass (a test's fixed "now") would otherwise never refill a bucket.
   */
  private now(): number {
    return Math.max(this.clock.now(), this.wokeUntil);
  }

  /** Throws when the hourly quota is known to be spent (no request is sent then). */
  checkQuota(now = this.now()): void {
    if (now < this.quotaPausedUntil) {
      this.stats.refused += 1;
      throw new JiraRateLimitWait(this.quotaReason, this.quotaPausedUntil - now);
    }
  }

  /** Reads the quota headers of any answer: near the limit, spreads the rest until the reset. */
  observe(headers: HttpResponse['headers']): void {
    const quota = quotaFromHeaders(headers);
    if (!quota) return;
    const now = this.now();
    const previous = this.lastRemaining;
    this.lastRemaining = quota.remaining;
    if (quota.remaining === undefined) {
      this.quotaSpacingMs = 0;
      return;
    }
    if (quota.remaining <= 0) {
      this.quotaPausedUntil = Math.max(this.quotaPausedUntil, now + quota.resetSeconds * 1000);
      return;
    }
    // What one request costs, from how far `r` fell since the last answer (at least 1 point).
    const cost = previous !== undefined && previous > quota.remaining ? previous - quota.remaining : 1;
    this.quotaSpacingMs = (quota.resetSeconds * 1000 * cost) / quota.remaining;
    this.nextQuotaSlot = Math.max(this.nextQuotaSlot, now + this.quotaSpacingMs);
  }

  /** After a 429: blocks what the reason names — one endpoint, one issue, or every request. */
  onRateLimited(request: PacedRequest, reason: string | null, retryAfterMs: number | undefined): void {
    const now = this.now();
    const known = reason as JiraRateLimitReason | null;
    if (known) this.stats.rateLimited[known] = (this.stats.rateLimited[known] ?? 0) + 1;
    if (isQuotaReason(reason)) {
      // Without Retry-After: quotas reset at the top of each UTC hour.
      const untilHour = (Math.floor(now / 3_600_000) + 1) * 3_600_000 - now;
      this.quotaPausedUntil = now + (retryAfterMs ?? untilHour);
      this.quotaReason = known ?? 'jira-quota-global-based';
      return;
    }
    // A 429 naming no documented limit is left to the caller's retry (which honours Retry-After).
    if (reason !== 'jira-burst-based' && reason !== 'jira-per-issue-on-write') return;
    const until = now + (retryAfterMs ?? 1_000);
    if (reason === 'jira-per-issue-on-write' && request.issues.length > 0) {
      for (const issue of request.issues) this.issue(issue, now).block(until, now);
      return;
    }
    this.endpoint(request, now).block(until, now);
  }

  private endpoint(request: PacedRequest, now: number): Bucket {
    const key = `${request.method} ${request.operation}`;
    let bucket = this.endpoints.get(key);
    if (!bucket) {
      const jiraRate = JIRA_BURST_OVERRIDES[request.operation] ?? JIRA_BURST_PER_SECOND[request.method] ?? 50;
      const rate = Math.max(1, jiraRate * (this.options.burstShare ?? 0.5));
      bucket = new Bucket(rate, rate / 1000, now);
      this.endpoints.set(key, bucket);
    }
    return bucket;
  }

  private issue(issue: string, now: number): Bucket {
    let bucket = this.issues.get(issue);
    if (!bucket) {
      bucket = new Bucket(
        this.options.issueWriteBurst ?? 10,
        (this.options.issueWritesPerSecond ?? 2.5) / 1000,
        now,
      );
      this.issues.set(issue, bucket);
    }
    return bucket;
  }
}

/** This invocation's pacer, on the platform's clock. */
export function jiraPacer(): JiraPacer {
  return invocationMemo(
    'jira-pacer',
    () =>
      new JiraPacer({
        now: () => platform().clock.now().getTime(),
        sleep: (ms, signal) => platform().clock.sleep(ms, signal),
      }),
  );
}
