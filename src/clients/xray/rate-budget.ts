/**
 * Xray Cloud's request budget: 300 (Standard) or 1,000 (Enterprise) requests per 5 minutes per site.
 * A token bucket per site paces the app's own requests so that a long sync spends the budget
 * evenly instead of running into 429s; Xray's 429s (often without Retry-After) are still handled by
 * the client's retries. Buckets live for the invocation (../../platform/invocation.ts): a queue
 * consumer runs one site at a time, and nothing of one site's budget reaches another's invocation.
 */
import type { XrayTier } from '../../api';
import { invocationMemo } from '../../platform/invocation';
import { XRAY_BUDGET_PER_5_MIN } from './regions';

const WINDOW_MS = 5 * 60_000;

export interface BudgetClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class RateBudget {
  private tokens: number;
  private updatedAt: number;
  private readonly ratePerMs: number;
  private readonly capacity: number;
  /** Requests this bucket let through, and how long callers waited in all. */
  readonly stats = { granted: 0, waitedMs: 0 };

  constructor(
    readonly limitPerWindow: number,
    private readonly clock: BudgetClock,
    /** Share of the budget the app may use (leaves room for other Xray clients on the site). */
    share = 0.9,
    windowMs = WINDOW_MS,
  ) {
    this.ratePerMs = (limitPerWindow * share) / windowMs;
    // A small burst: interactive calls are never delayed, long runs settle to the steady rate.
    this.capacity = Math.max(1, Math.floor(limitPerWindow * share * 0.1));
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }

  /** Waits until a request may be sent (or the signal aborts). */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.stats.granted += 1;
        return;
      }
      const waitMs = Math.ceil((1 - this.tokens) / this.ratePerMs);
      this.stats.waitedMs += waitMs;
      await this.clock.sleep(waitMs, signal);
    }
  }

  /** After a 429: spend what is left so the next requests slow down. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }
}

/** This invocation's buckets (an invocation serves one site; a warm instance may serve another next). */
const buckets = () => invocationMemo('xray-budgets', () => new Map<XrayTier, RateBudget>());

/** The bucket for the invoked site's Xray tier, shared by every client of this invocation. */
export function budgetFor(tier: XrayTier, clock: BudgetClock): RateBudget {
  let bucket = buckets().get(tier);
  if (!bucket) {
    bucket = new RateBudget(XRAY_BUDGET_PER_5_MIN[tier], clock);
    buckets().set(tier, bucket);
  }
  return bucket;
}

/** Tests: forget the buckets of code run outside a handler (each invocation starts with its own). */
export function resetBudgets(): void {
  buckets().clear();
}
