/**
 * How the app calls any upstream: a per-call timeout, a shared deadline, and retries for what is
 * transient only (network failures, timeouts, 429 — honouring Retry-After — and 5xx except 501 Not
 * Implemented and 505 HTTP Version Not Supported, which no retry can fix).
 * Retries come from cockatiel, timeouts from AbortSignal.timeout; this module only decides what counts as transient.
 */
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import type { HttpResponse } from '../platform/ports';

/** An upstream failure before it is mapped to the user-facing taxonomy. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'timeout' | 'http',
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }

  get transient(): boolean {
    if (this.kind !== 'http') return true;
    const status = this.status ?? 0;
    return status === 429 || (status >= 500 && status !== 501 && status !== 505);
  }
}

export const isUpstreamError = (error: unknown): error is UpstreamError => error instanceof UpstreamError;

/** A point in time every call of one operation must finish by (resolvers have 25 s in all). */
export class Deadline {
  private readonly endsAt: number;
  constructor(budgetMs: number) {
    this.endsAt = Date.now() + budgetMs;
  }
  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(response: HttpResponse): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export interface CallOptions {
  /** Timeout of one attempt. */
  timeoutMs: number;
  /**
   * Requests that are not idempotent (creating an issue) must not be repeated when the first attempt
   * may have taken effect (timeout, 5xx): `'unsafe'` retries only a 429, which the server refused.
   */
  requestKind?: 'safe' | 'unsafe';
  /** Attempts in all, including the first. */
  maxAttempts: number;
  deadline?: Deadline;
  /** First backoff delay; doubles per attempt with jitter. */
  initialDelayMs?: number;
}

/** Full-jitter-ish exponential backoff: half fixed, half random, capped at 8 s. */
function backoffMs(attempt: number, initialDelayMs: number): number {
  const exp = Math.min(8_000, initialDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * Runs `attempt` (which receives an AbortSignal) with a timeout per attempt and retries for
 * transient UpstreamErrors. Never waits past the deadline: if a Retry-After or backoff would
 * overrun it, the last error is thrown instead.
 */
export async function callUpstream<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: CallOptions,
): Promise<T> {
  const { deadline } = options;
  let attempts = 0;
  let nextDelayMs = 0;
  const shouldRetry = (error: Error): boolean => {
    if (!isUpstreamError(error) || !error.transient) return false;
    if (options.requestKind === 'unsafe' && error.status !== 429) return false;
    nextDelayMs = error.retryAfterMs ?? backoffMs(attempts, options.initialDelayMs ?? 250);
    return !deadline || nextDelayMs < deadline.remainingMs() - 50;
  };
  const retryPolicy = retry(handleWhen(shouldRetry), {
    maxAttempts: Math.max(0, options.maxAttempts - 1),
    backoff: new DelegateBackoff(() => nextDelayMs),
  });
  const attemptTimeoutMs = () =>
    Math.max(1, Math.min(options.timeoutMs, deadline ? deadline.remainingMs() : options.timeoutMs));
  return retryPolicy.execute(async () => {
    attempts += 1;
    const timeoutSignal = AbortSignal.timeout(attemptTimeoutMs());
    const timedOut = new Promise<never>((_resolve, reject) => {
      timeoutSignal.addEventListener(
        'abort',
        () => reject(new UpstreamError('The request timed out', 'timeout')),
        {
          once: true,
        },
      );
    });
    timedOut.catch(() => undefined); // settled late (after success) must not be an unhandled rejection
    try {
      // Race as well as abort: an attempt that ignores its signal still cannot outlive the timeout.
      return await Promise.race([attempt(timeoutSignal), timedOut]);
    } catch (error) {
      if (timeoutSignal.aborted) throw new UpstreamError('The request timed out', 'timeout');
      throw error;
    }
  });
}

/** Wraps a raw fetch-like failure (TypeError: fetch failed, ECONNRESET, abort) as a network UpstreamError. */
export function asNetworkError(error: unknown): UpstreamError {
  if (isUpstreamError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'AbortError' || name === 'TimeoutError')
    return new UpstreamError('The request timed out', 'timeout');
  return new UpstreamError('The service could not be reached', 'network');
}
