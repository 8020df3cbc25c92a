/**
 * A local stand-in for Forge's async event queue (`@forge/events`): pushed events are delivered to
 * a dispatcher (the playground and tests dispatch to the consumer handlers in src/index.ts) after
 * their delay, honouring concurrency keys (one running consumer per key at a time, like Forge).
 */
import type { JobQueue, QueueEvent } from '../../src/platform/ports';

export interface DeliveredEvent {
  queueKey: string;
  jobId: string;
  eventId: string;
  body: Record<string, unknown>;
}

export type Dispatcher = (event: DeliveredEvent) => Promise<void>;

export class LocalQueue implements JobQueue {
  /** Every event ever pushed (tests inspect what was queued). */
  readonly pushed: { queueKey: string; event: QueueEvent }[] = [];
  readonly failures: { event: DeliveredEvent; error: unknown }[] = [];
  private dispatcher: Dispatcher | undefined;
  private pending = new Set<Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();
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

  setDispatcher(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher;
  }

  async push(queueKey: string, events: QueueEvent[]): Promise<string> {
    if (events.length === 0 || events.length > 50) throw new Error('A push carries 1–50 events');
    if (Buffer.byteLength(JSON.stringify(events)) > 200 * 1024) throw new Error('A push is at most 200 KB');
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
    const run = (async () => {
      if (!this.dispatcher) throw new Error(`No consumer for queue ${event.queueKey}`);
      const counted = key ?? '(none)';
      const now = (this.active.get(counted) ?? 0) + 1;
      this.active.set(counted, now);
      this.peakConcurrency.set(counted, Math.max(now, this.peakConcurrency.get(counted) ?? 0));
      try {
        await this.dispatcher(event);
      } finally {
        this.active.set(counted, (this.active.get(counted) ?? 1) - 1);
      }
    })();
    if (key)
      this.running.set(
        key,
        run.catch(() => undefined),
      );
    try {
      await run;
    } catch (error) {
      this.failures.push({ event, error });
    } finally {
      if (key && this.running.get(key)) this.running.delete(key);
    }
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
