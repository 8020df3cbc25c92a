/**
 * The local queue retries as Forge's async events do (docs/forge-fidelity.md): an InvocationError
 * answer is delivered again after its retryAfter with a retryContext; a throw is retried with
 * backoff until the 24-hour retention window is spent, then dropped; a first delivery has no
 * retryContext. The answers it reads are the ones `@forge/events` really builds.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { forgeRetryAnswer } from '../../../src/platform/forge-adapter';
import {
  LocalQueue,
  MAX_RETRY_AFTER_SECONDS,
  RETENTION_SECONDS,
  type DeliveredEvent,
} from '../../harness/local-queue';
import { scheduledTriggerOutcome } from '../../harness/playground/triggers';

function queueWith(consumer: (event: DeliveredEvent) => unknown): LocalQueue {
  const queue = new LocalQueue();
  queue.autoDeliver = false;
  queue.setDispatcher(async (event) => consumer(event));
  return queue;
}

describe('local queue: Forge retry semantics', () => {
  it('answers a retry request exactly as @forge/events does (the adapter and the local queue share it)', () => {
    expect(new LocalQueue().retryLater({ afterSeconds: 30, reason: 'rate-limited' })).toEqual(
      forgeRetryAnswer({ afterSeconds: 30, reason: 'rate-limited' }),
    );
    expect(forgeRetryAnswer({ afterSeconds: 30, reason: 'rate-limited' })).toEqual(
      new InvocationError({
        retryAfter: 30,
        retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
      }),
    );
    expect(forgeRetryAnswer({ afterSeconds: 0, reason: 'retry' })).toEqual(
      new InvocationError({ retryAfter: 0, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST }),
    );
  });

  it('delivers again after an InvocationError, with a retryContext that counts, until the consumer is done', async () => {
    const queue = queueWith((event) =>
      (event.retryContext?.retryCount ?? 0) < 2
        ? new InvocationError({
            retryAfter: 60,
            retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
          })
        : undefined,
    );
    await queue.push('q', [{ body: { n: 1 } }]);
    await queue.drain();
    expect(queue.deliveries.map((event) => event.retryContext)).toEqual([
      undefined,
      expect.objectContaining({ retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' }),
      expect.objectContaining({ retryCount: 2, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' }),
    ]);
    expect(queue.deliveries.every((event) => event.eventId === queue.deliveries[0]?.eventId)).toBe(true);
    expect(queue.dropped).toEqual([]);
    expect(queue.violations).toEqual([]);
  });

  it('retries a consumer that throws with backoff up to 15 minutes, and drops the event after 24 hours', async () => {
    const queue = queueWith(() => {
      throw new Error('always');
    });
    await queue.push('q', [{ body: {} }]);
    await queue.drain();
    const waits = queue.deliveries
      .slice(1)
      .map((event) => RETENTION_SECONDS - (event.retryContext?.retentionWindow.remainingTimeMs ?? 0) / 1000);
    expect(queue.dropped).toHaveLength(1);
    expect(queue.failures).toHaveLength(queue.deliveries.length);
    // Waited time only grows, never past the window, in steps of at most 900 s.
    const steps = waits.map((spent, index) => spent - (waits[index - 1] ?? 0));
    expect(Math.max(...steps)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(steps.slice(0, 4)).toEqual([1, 2, 4, 8]);
    expect(waits.at(-1)).toBeLessThanOrEqual(RETENTION_SECONDS);
    expect(waits.at(-1)).toBeGreaterThan(RETENTION_SECONDS - MAX_RETRY_AFTER_SECONDS);
  });

  it('records a retry request Forge would refuse', async () => {
    const queue = queueWith((event) =>
      event.retryContext
        ? undefined
        : {
            _retry: true,
            retryOptions: { retryAfter: 5, retryReason: 'FUNCTION_TIME_OUT', retryData: 'x'.repeat(5000) },
          },
    );
    await queue.push('q', [{ body: {} }]);
    await queue.drain();
    expect(queue.violations).toEqual([
      'q: retryReason FUNCTION_TIME_OUT is not one an app may give',
      'q: retryData over 4 KB',
    ]);
  });

  it('ends an event on any other answer', async () => {
    const queue = queueWith(() => ({ statusCode: 500 }));
    await queue.push('q', [{ body: {} }]);
    await queue.drain();
    expect(queue.deliveries).toHaveLength(1);
  });
});

describe('scheduled trigger answers, as Forge reads them', () => {
  it('204 is success; a 5xx is a failure; an answer without statusCode is recorded as 424', () => {
    expect(scheduledTriggerOutcome({ statusCode: 204 })).toEqual({ ok: true, statusCode: 204 });
    expect(scheduledTriggerOutcome({ statusCode: 500 })).toMatchObject({ ok: false, statusCode: 500 });
    expect(scheduledTriggerOutcome({ planned: 2, skipped: 0 })).toMatchObject({ ok: false, statusCode: 424 });
    expect(scheduledTriggerOutcome(undefined)).toMatchObject({ ok: false, statusCode: 424 });
  });
});
