/**
 * When a queue consumer asks Forge to deliver its event again, and when it gives up.
 *
 * Forge retries an event whose consumer threw, with backoff, for up to 24 hours and then drops it
 * (docs/forge-fidelity.md): work left `running` in storage would then never finish and never say
 * why. So a consumer catches what it can: an error worth another try (a 429, an upstream that did
 * not answer, an unexpected exception) is retried deliberately, a few times, with a delay Forge
 * honours; anything else, or the last retry, ends the work in a state the user sees and can act on.
 */
import { z } from 'zod';
import { safeParse } from '../clients/safe-parse';
import { hasCode, isAppError } from '../errors';
import { MAX_RETRY_AFTER_S } from '../platform/limits';
import type { RetryRequest } from '../platform/ports';

/** Deliberate retries of one event before the work is marked as stopped. */
export const MAX_CONSUMER_RETRIES = 4;

const retriedEventSchema = z.object({
  retryContext: z.object({ retryCount: z.number().int().positive() }).loose(),
});

/** How many times this delivery was already retried: Forge's `event.retryContext` (absent the first time). */
export function retryCountOf(event: unknown): number {
  const parsed = safeParse(retriedEventSchema, event);
  return parsed.success ? parsed.data.retryContext.retryCount : 0;
}

/** Errors another delivery may get past: rate limits, an upstream (SQAI, Jira) that did not answer, the unexpected. */
export function isWorthRetrying(error: unknown): boolean {
  return (
    !isAppError(error) || hasCode(error, 'RATE_LIMITED', 'SQAI_UNREACHABLE', 'JIRA_UNAVAILABLE', 'INTERNAL')
  );
}

/**
 * The retry to ask Forge for after `error` on the `retryCount`-th retry, or undefined when the
 * work should stop now: the upstream's Retry-After when it gave one, else 30 s doubling, ≤ 900 s.
 */
export function retryFor(error: unknown, retryCount: number): RetryRequest | undefined {
  if (!isWorthRetrying(error) || retryCount >= MAX_CONSUMER_RETRIES) return undefined;
  const asked = isAppError(error) && error.retryAfterMs !== undefined ? error.retryAfterMs / 1000 : undefined;
  const afterSeconds = Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(asked ?? 30 * 2 ** retryCount)));
  return { afterSeconds, reason: hasCode(error, 'RATE_LIMITED') ? 'rate-limited' : 'retry' };
}
