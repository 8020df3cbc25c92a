/**
 * A local stand-in for Forge's async event queue (`@forge/events`): pushed events are delivered to
 * a dispatcher (the playground and tests dispatch to the consumer handlers in src/index.ts) after
 * their delay, honouring concurrency keys (one running consumer per key at a time, like Forge).
 *
 * Retries as Forge does them (docs/forge-fidelity.md): a consumer that answers with an
 * `InvocationError` (`{ _retry: true, retryOptions }`) gets its event again after `retryAfter`
 * seconds (1–900); one that throws gets it again with exponential backoff up to 15 minutes; either
 * way `retryContext` says how many times, and once the 24-hour retention window is spent the event
 * is dropped (`dropped`). Any other answer ends the event. A retry request Forge would refuse (a
 * reason only the platform may give, `retryData` over 4 KB) is recorded in `violations`.
 */
import { z } from 'zod';
import { forgeRetryAnswer } from '../../src/platform/forge-adapter';
import type { JobQueue, QueueEvent, RetryRequest } from '../../src/platform/ports';

export interface RetryContext {
  retryCount: number;
  retryReason: string;
  retryData?: unknown;
  retentionWindow: { startTime: string; remainingTimeMs: number };
}

export interface DeliveredEvent {
  queueKey: string;
  jobId: string;
  eventId: string;
  body: Record<string, unknown>;
  /** Absent on the first delivery, as on Forge. */
  retryContext?: RetryContext;
}

/** The consumer's answer: an InvocationError-shaped object asks for a retry, anything else ends it. */
export type Dispatcher = (event: DeliveredEvent) => Promise<unknown>;

/** Forge's retention window for an event, and its longest retry interval. */
export const RETENTION_SECONDS = 24 * 60 * 60;
export const MAX_RETRY_AFTER_SECONDS = 900;
const MAX_RETRY_DATA_BYTES = 4 * 1024;
/** The reasons an app may give (the others are set by the platform). */
const APP_RETRY_REASONS = ['FUNCTION_RETRY_REQUEST', 'FUNCTION_UPSTREAM_RATE_LIMITED'] as const;
/** What the platform records for a consumer that threw (not documented by name; the closest code). */
const THROWN_REASON = 'FUNCTION_PLATFORM_UNKNOWN_ERROR';

/** The retry an event will get: when, why, and the data handed back in its retryContext. */
interface PendingRetry {
  afterSeconds: number;
  reason: string;
  data?: unknown;
}

const retryAnswerSchema = z.object({
  _retry: z.literal(true),
  retryOptions: z
    .object({ retryAfter: z.number().optional(), retryReason: z.string(), retryData: z.unknown().optional() })
    .loose(),
});

export class LocalQueue implements JobQueue {
  /** Every event ever pushed (tests inspect what was queued). */
  readonly pushed: { queueKey: string; event: QueueEvent }[] = [];
  readonly failures: { event: DeliveredEvent; error: unknown }[] = [];
  /** Events given up after the retention window (Forge drops them). */
  readonly dropped: DeliveredEvent[] = [];
  /** Retry requests Forge would not accept. */
  readonly violations: string[] = [];
  /** Every delivery, retries included (tests count them). */
  readonly deliveries: DeliveredEvent[] = [];
  private dispatcher: Dispatcher | undefined;
  private pending = new Set<Promise<void>>();
  private readonly running = new Map<string, Promise<undefined>>();
  private nextId = 1;
  /** Seconds of delay are scaled by this (tests use 0 to deliver at once). */
  delayScale = 0;
  /**
   * `true` (the playground): events are delivered as they are pushed. `false` (tests): they wait
   * until `drain()`, so a test decides when background work happens.
   */
  autoDeliver = true;
  private held: { delivered: DeliveredEvent; source: QueueEvent }[] = [];
  /** The most consumers that ever ran at once per concurrency key (tests check the limit held). */
  readonly peakConcurrency = new Map<string, number>();
  private readonly active = new Map<string, number>();
  /** Seconds of the retention window each event has spent waiting for retries. */
  private readonly spentSeconds = new Map<string, number>();

  setDispatcher(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher;
  }

  /** The same answer as on Forge (the adapter's own). */
  retryLater(request: RetryRequest): unknown {
    return forgeRetryAnswer(request);
  }

  async push(queueKey: string, events: QueueEvent[]): Promise<string> {
    if (events.length === 0 || events.length > 50) throw new Error('A push carries 1–50 events');
    if (Buffer.byteLength(JSON.stringify(events)) > 200 * 1024) throw new Error('A push is at most 200 KB');
    // @forge/events refuses a delay outside 0–900 s before sending anything (InvalidPushSettingsError).
    for (const event of events) {
      const delay = event.delayInSeconds;
      if (delay !== undefined && !(Number.isInteger(delay) && delay >= 0 && delay <= 900))
        throw new Error('Delay in seconds must be between 0 and 900.');
    }
    const jobId = `local-job-${this.nextId++}`;
    for (const event of events) {
      this.pushed.push({ queueKey, event });
      const delivered: DeliveredEvent = {
        queueKey,
        jobId,
        eventId: `${jobId}-${this.nextId++}`,
        body: structuredClone(event.body),
      };
      if (this.autoDeliver) this.start(delivered, event);
      else this.held.push({ delivered, source: event });
    }
    return jobId;
  }

  private start(delivered: DeliveredEvent, source: QueueEvent): void {
    const task = this.deliver(delivered, source);
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Events pushed but not delivered yet (held until `drain()` when not auto-delivering). */
  get waiting(): number {
    return this.held.length + this.pending.size;
  }

  private async deliver(event: DeliveredEvent, source: QueueEvent): Promise<void> {
    const delayMs = (source.delayInSeconds ?? 0) * 1000 * this.delayScale;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const key = source.concurrency?.key;
    // Forge runs at most `limit` consumers per concurrency key; locally the limit is 1.
    while (key && this.running.has(key)) await this.running.get(key);
    const run = (async (): Promise<unknown> => {
      if (!this.dispatcher) throw new Error(`No consumer for queue ${event.queueKey}`);
      const counted = key ?? '(none)';
      const now = (this.active.get(counted) ?? 0) + 1;
      this.active.set(counted, now);
      this.peakConcurrency.set(counted, Math.max(now, this.peakConcurrency.get(counted) ?? 0));
      this.deliveries.push(event);
      try {
        return await this.dispatcher(event);
      } finally {
        this.active.set(counted, (this.active.get(counted) ?? 1) - 1);
      }
    })();
    if (key)
      this.running.set(
        key,
        run.then(
          () => undefined,
          () => undefined,
        ),
      );
    let retry: PendingRetry | undefined;
    try {
      const answer = await run;
      retry = this.retryAsked(answer, event);
    } catch (error) {
      this.failures.push({ event, error });
      // An app-level error: retried with backoff (1 s doubling, at most 15 minutes).
      const count = event.retryContext?.retryCount ?? 0;
      retry = { afterSeconds: Math.min(MAX_RETRY_AFTER_SECONDS, 2 ** count), reason: THROWN_REASON };
    } finally {
      if (key && this.running.get(key)) this.running.delete(key);
    }
    if (retry) this.redeliver(event, source, retry);
  }

  /** The retry a consumer's answer asks for, as Forge reads it (undefined: the event is done). */
  private retryAsked(answer: unknown, event: DeliveredEvent): PendingRetry | undefined {
    const parsed = retryAnswerSchema.safeParse(answer);
    if (!parsed.success) return undefined;
    const { retryAfter, retryReason, retryData } = parsed.data.retryOptions;
    if (!(APP_RETRY_REASONS as readonly string[]).includes(retryReason))
      this.violations.push(`${event.queueKey}: retryReason ${retryReason} is not one an app may give`);
    if (retryData !== undefined && Buffer.byteLength(JSON.stringify(retryData) ?? '') > MAX_RETRY_DATA_BYTES)
      this.violations.push(`${event.queueKey}: retryData over 4 KB`);
    const seconds = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter : 1;
    return {
      afterSeconds: Math.min(MAX_RETRY_AFTER_SECONDS, seconds),
      reason: retryReason,
      ...(retryData === undefined ? {} : { data: retryData }),
    };
  }

  /** Delivers `event` again after the retry's delay, or drops it once the retention window is spent. */
  private redeliver(event: DeliveredEvent, source: QueueEvent, retry: PendingRetry): void {
    const spent = (this.spentSeconds.get(event.eventId) ?? 0) + retry.afterSeconds;
    if (spent > RETENTION_SECONDS) {
      this.dropped.push(event);
      this.spentSeconds.delete(event.eventId);
      return;
    }
    this.spentSeconds.set(event.eventId, spent);
    const again: DeliveredEvent = {
      ...event,
      retryContext: {
        retryCount: (event.retryContext?.retryCount ?? 0) + 1,
        retryReason: retry.reason,
        ...(retry.data === undefined ? {} : { retryData: retry.data }),
        retentionWindow: {
          startTime: event.retryContext?.retentionWindow.startTime ?? new Date().toISOString(),
          remainingTimeMs: (RETENTION_SECONDS - spent) * 1000,
        },
      },
    };
    this.start(again, { ...source, delayInSeconds: retry.afterSeconds });
  }

  /** Resolves when every pushed event (and those their consumers pushed) has been handled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0 || this.held.length > 0) {
      for (const { delivered, source } of this.held.splice(0)) this.start(delivered, source);
      await Promise.all([...this.pending]);
    }
  }

  /** Delivers the events held now (not those their consumers push meanwhile) and waits for them. */
  async step(): Promise<void> {
    for (const { delivered, source } of this.held.splice(0)) this.start(delivered, source);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Drops events not delivered yet (a test simulating a lost invocation). */
  discardHeld(): number {
    return this.held.splice(0).length;
  }
}
