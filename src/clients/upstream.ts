/**
 * How the app calls any upstream: a per-call timeout, a shared deadline, and retries for what is
 * transient only (network failures, timeouts, 429 — honouring Retry-After — and 5xx except 501 Not
 * Implemented and 505 HTTP Version Not Supported, which no retry can fix).
 * Retries come from cockatiel, timeouts from AbortSignal.timeout; this module decides what counts as
 * transient and which requests may be repeated, and sends one JSON request (`requestUpstream`) the
 * same way for Jira, Xray and SQAI — each client adds only its hooks and its own error mapping.
 */
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import { withPurpose } from '../errors';
import type { HttpRequestInit, HttpResponse } from '../platform/ports';
import { parseWellFormedJson, type JsonReading } from './well-formed-json';

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
    return this.kind !== 'http' || isTransientStatus(this.status ?? 0);
  }
}

export const isUpstreamError = (error: unknown): error is UpstreamError => error instanceof UpstreamError;

/** A refusal (429) or a server failure another attempt may not meet; 501 and 505 it would. */
export const isTransientStatus = (status: number): boolean =>
  status === 429 || (status >= 500 && status !== 501 && status !== 505);

/**
 * `'unsafe'`: the request is not idempotent (it creates something), so an attempt that may have taken
 * effect (a timeout, a 5xx) is not repeated; only a 429, which the server refused, is.
 */
export type RequestKind = 'safe' | 'unsafe';

/** The one retry policy: a transient failure, and for an unsafe request only a refusal. */
export function mayRetry(error: unknown, requestKind: RequestKind = 'safe'): error is UpstreamError {
  if (!isUpstreamError(error) || !error.transient) return false;
  return requestKind === 'safe' || error.status === 429;
}

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

const STATUS_TEXTS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** A status as HTTP names it, for the words users read: "404 Not Found", "599". */
export function statusLine(status: number): string {
  const text = STATUS_TEXTS[status];
  return text ? `${status} ${text}` : String(status);
}

/**
 * What an upstream's failure was, in words that blame it (never its body): "Jira answered 503
 * Service Unavailable", "SQAI did not answer in time", "the connection to Xray failed".
 */
export function failureOf(upstream: string, error: UpstreamError): string {
  if (error.kind === 'timeout') return `${upstream} did not answer in time`;
  if (error.kind === 'network') return `the connection to ${upstream} failed`;
  return `${upstream} answered ${statusLine(error.status ?? 0)}`;
}

/**
 * The upstream failure behind `error` — itself or one of its causes — as typed data (kind, status):
 * what callers read instead of parsing messages. Undefined when no upstream's answer (or its
 * absence) is behind it.
 */
export function upstreamFailureIn(error: unknown): UpstreamError | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof UpstreamError) return cause;
  }
  return undefined;
}

/** `failureOf` for the upstream failure behind `error`, if there is one: "Jira answered 503 Service Unavailable". */
export function failureIn(upstream: string, error: unknown): string | undefined {
  const failure = upstreamFailureIn(error);
  return failure && failureOf(upstream, failure);
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
  /** Default `'safe'`; `'unsafe'` (creating an issue) retries only a 429 (see `RequestKind`). */
  requestKind?: RequestKind;
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
    if (!mayRetry(error, options.requestKind)) return false;
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
    let onTimeout = (): void => undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      onTimeout = () => reject(new UpstreamError('The request timed out', 'timeout'));
      timeoutSignal.addEventListener('abort', onTimeout, { once: true });
    });
    timedOut.catch(() => undefined); // settled late (after success) must not be an unhandled rejection
    try {
      // Race as well as abort: an attempt that ignores its signal still cannot outlive the timeout.
      return await Promise.race([attempt(timeoutSignal), timedOut]);
    } catch (error) {
      if (timeoutSignal.aborted) throw new UpstreamError('The request timed out', 'timeout');
      throw error;
    } finally {
      // The timer holds the signal until it fires; without its listener the race, and the answer it
      // settled with, are not kept alive for the rest of the timeout.
      timeoutSignal.removeEventListener('abort', onTimeout);
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

/** One JSON request as a client describes it; the attempt adds Accept, Content-Type and the signal. */
export interface JsonRequest {
  method: string;
  /** Sent as JSON; undefined: no body (and no Content-Type). */
  body?: unknown;
  /** Beyond Accept and Content-Type: the client's authorization, an idempotency key. */
  headers?: Record<string, string>;
  /** Xray and SQAI: a redirect is a failure, never a second destination (src/platform/ports.ts). */
  redirect?: 'error';
}

/** How a request reaches its upstream: Forge's `requestJira` (as the user or the app), Forge `fetch`. */
export type Transport = (init: HttpRequestInit) => Promise<HttpResponse>;

/** What a client adds to every attempt; each may throw the client's own error. */
export interface AttemptHooks {
  /** Before each send: Jira's hourly quota, Xray's rate budget (which may wait, until `signal`). */
  beforeSend?: (signal: AbortSignal) => void | Promise<void>;
  /** A send that failed, before it counts as a network failure: Forge's consent, proxy and egress errors. */
  onSendError?: (error: unknown) => void;
  /** Every response, its body read, before a 429 or 5xx is thrown: Jira's pacer, Xray's budget, SQAI's egress. */
  onResponse?: (response: HttpResponse) => void;
}

export interface AttemptOptions extends AttemptHooks {
  /** Who answers, in the UpstreamError's message: "Xray answered 503". */
  upstream: string;
  /** How the answer's strings are read (./well-formed-json.ts); by default made well-formed. */
  loneSurrogates?: JsonReading['loneSurrogates'];
}

/** An answer that was neither a 429 nor a 5xx. */
export interface UpstreamAnswer {
  status: number;
  /** The body, read once. */
  text: string;
  /**
   * The body as JSON, undefined when it is empty or not JSON. Parsed on first use, once: an answer
   * refused for its size is never parsed.
   */
  json(): unknown;
}

/**
 * One attempt of one request: sends it through `transport`, wraps a failed send as a network or
 * timeout UpstreamError, reads the body once, and throws a 429 or 5xx as an http UpstreamError
 * carrying Retry-After (whether it is retried is `mayRetry`'s decision).
 */
export async function attemptUpstream(
  transport: Transport,
  request: JsonRequest,
  signal: AbortSignal,
  options: AttemptOptions,
): Promise<UpstreamAnswer> {
  await options.beforeSend?.(signal);
  const response = await sendOnce(transport, request, signal, options);
  const text = await response.text();
  options.onResponse?.(response);
  if (response.status === 429 || response.status >= 500) {
    throw new UpstreamError(
      `${options.upstream} answered ${response.status}`,
      'http',
      response.status,
      retryAfterMs(response),
    );
  }
  return answerOf(response.status, text, options);
}

/** One request with the app's timeout, deadline and retry policy: `attemptUpstream` under `callUpstream`. */
export function requestUpstream(
  transport: Transport,
  request: JsonRequest,
  options: AttemptOptions & CallOptions,
): Promise<UpstreamAnswer> {
  return callUpstream((signal) => attemptUpstream(transport, request, signal, options), options);
}

/** In a catch block: a 429 that outlasted the retries becomes RATE_LIMITED, with its Retry-After. */
export function throwIfRateLimited(error: unknown, purpose: string): void {
  if (!isUpstreamError(error) || error.status !== 429) return;
  throw withPurpose('RATE_LIMITED', purpose, {
    cause: error,
    ...(error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}

async function sendOnce(
  transport: Transport,
  request: JsonRequest,
  signal: AbortSignal,
  hooks: AttemptHooks,
): Promise<HttpResponse> {
  try {
    // Built in here: a body JSON.stringify refuses fails as the send does.
    return await transport(initOf(request, signal));
  } catch (error) {
    hooks.onSendError?.(error);
    throw asNetworkError(error);
  }
}

function initOf(request: JsonRequest, signal: AbortSignal): HttpRequestInit {
  const hasBody = request.body !== undefined;
  return {
    method: request.method,
    headers: {
      Accept: 'application/json',
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...request.headers,
    },
    ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
    signal,
    ...(request.redirect ? { redirect: request.redirect } : {}),
  };
}

function answerOf(status: number, text: string, reading: JsonReading): UpstreamAnswer {
  let parsed: { json: unknown } | undefined;
  return {
    status,
    text,
    json() {
      parsed ??= { json: readJson(text, reading) };
      return parsed.json;
    },
  };
}

function readJson(text: string, reading: JsonReading): unknown {
  if (!text) return undefined;
  try {
    return parseWellFormedJson(text, reading);
  } catch {
    return undefined; // not JSON (or nested too deep to read)
  }
}
