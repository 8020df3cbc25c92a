/**
 * SQAI's side of deliveries (docs/sqai-contract.md "Deliveries"), as the SQAI simulator sends them:
 * Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`), the body
 * `{type, timestamp, data}`, one `v1,` signature per secret SQAI holds (two during a rotation), and
 * the retry schedule: every answer but a 2xx is retried, with the same id and body and a fresh
 * timestamp and signature, honouring `Retry-After`.
 *
 * The signing here is written from the specification on its own (not with the app's code), so a test
 * that signs here and verifies in the app checks the two against each other.
 */
import { createHmac, randomUUID } from 'node:crypto';

/** Delays before each attempt, in seconds (the Standard Webhooks example schedule; 10 attempts, ~75.6 h). */
export const SQAI_RETRY_SCHEDULE_SECONDS = [0, 5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400];

/** A secret's HMAC key: base64-decoded after `whsec_`; any other text is its UTF-8 bytes. */
function keyBytes(secret: string): Buffer {
  return secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/** `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` per secret, space-separated. */
export function signDelivery(
  secrets: string | readonly string[],
  id: string,
  body: string,
  unixSeconds: number,
): string {
  return (typeof secrets === 'string' ? [secrets] : secrets)
    .map(
      (secret) =>
        `v1,${createHmac('sha256', keyBytes(secret)).update(`${id}.${unixSeconds}.${body}`).digest('base64')}`,
    )
    .join(' ');
}

/** The three headers of one attempt. */
export function deliveryHeaders(
  secrets: string | readonly string[],
  delivery: { id: string; body: string; unixSeconds: number },
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': delivery.id,
    'webhook-timestamp': String(delivery.unixSeconds),
    'webhook-signature': signDelivery(secrets, delivery.id, delivery.body, delivery.unixSeconds),
  };
}

/** The same headers as a Forge web trigger request carries them (each header a list). */
export function webTriggerHeaders(
  secrets: string | readonly string[],
  delivery: { id: string; body: string; unixSeconds: number },
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(deliveryHeaders(secrets, delivery)).map(([name, value]) => [name, [value]]),
  );
}

export const newDeliveryId = (): string => `msg_${randomUUID().replace(/-/g, '')}`;

/** A delivery body: `{type, timestamp, data}`. */
export function deliveryBody(type: string, data: Record<string, unknown>, at: Date = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

export interface DeliveryAttempt {
  attempt: number;
  /** Seconds since the first attempt (the schedule's delays plus any longer `Retry-After`). */
  at: number;
  status: number;
  timestamp: number;
}

export interface DeliverOptions {
  send?: typeof fetch;
  now?: () => Date;
  id?: string;
  /** Waits between attempts (tests pass a fake that advances their clock). */
  sleep?: (seconds: number) => Promise<void>;
  /** Attempts at most (default: the whole schedule). */
  maxAttempts?: number;
}

/**
 * Sends one delivery and retries it on the schedule until an answer is 2xx: the same `webhook-id`
 * and body every time, a new timestamp and signature each attempt. Returns every attempt.
 */
export async function deliverWithRetries(
  url: string,
  secrets: string | readonly string[],
  body: string,
  options: DeliverOptions = {},
): Promise<DeliveryAttempt[]> {
  const send = options.send ?? fetch;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? (async () => undefined);
  const id = options.id ?? newDeliveryId();
  const attempts: DeliveryAttempt[] = [];
  const schedule = SQAI_RETRY_SCHEDULE_SECONDS.slice(
    0,
    options.maxAttempts ?? SQAI_RETRY_SCHEDULE_SECONDS.length,
  );
  let elapsed = 0;
  let retryAfter = 0;
  for (const [index, delay] of schedule.entries()) {
    const wait = Math.max(delay, retryAfter);
    if (wait > 0) await sleep(wait);
    elapsed += wait;
    const unixSeconds = Math.floor(now().getTime() / 1000);
    const response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...deliveryHeaders(secrets, { id, body, unixSeconds }) },
      body,
    });
    attempts.push({ attempt: index + 1, at: elapsed, status: response.status, timestamp: unixSeconds });
    if (response.status >= 200 && response.status < 300) break;
    retryAfter = Number(response.headers.get('retry-after') ?? 0) || 0;
  }
  return attempts;
}

/** A finished generation as the delivery's `data`. */
export interface DeliveredGeneration {
  id: string;
  cloudId: string;
  issueId: string;
  issueKey: string;
  status: 'succeeded' | 'failed';
  tests?: unknown[];
  /** Update mode (1.3.0): a verdict per requested test, as in GET /v1/generations/{id}. */
  updates?: unknown[];
  error?: string;
}

/** One attempt of a delivery of a finished generation (what `SqaiSimulator.deliver` sends). */
export async function deliverGeneration(
  generation: DeliveredGeneration,
  url: string,
  secrets: string | readonly string[],
  options: { send?: typeof fetch; now?: () => Date; id?: string } = {},
): Promise<Response> {
  const send = options.send ?? fetch;
  const now = options.now ?? (() => new Date());
  const type = generation.status === 'failed' ? 'generation.failed' : 'generation.succeeded';
  const data =
    type === 'generation.failed' ? { ...generation } : { ...generation, tests: generation.tests ?? [] };
  const body = deliveryBody(type, data, now());
  const unixSeconds = Math.floor(now().getTime() / 1000);
  return send(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...deliveryHeaders(secrets, { id: options.id ?? newDeliveryId(), body, unixSeconds }),
    },
    body,
  });
}
