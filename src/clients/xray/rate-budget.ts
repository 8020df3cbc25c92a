/**
 * Xray Cloud's request budget: 300 (Standard) or 1,000 (Enterprise) requests per 5 minutes per site.
 * A token bucket per site paces the app's own requests so that a long sync spends the budget
 * evenly instead of running into 429s; Xray's 429s are still handled by the client's retries, which
 * wait as long as Retry-After says. Buckets live for the invocation (../../platform/invocation.ts): a
 * queue consumer runs one site at a time, and nothing of one site's budget reaches another's
 * invocation.
 *
 * Traffic is interactive (a person waits: resolvers) or background (sync runs, large creations).
 * Interactive requests never wait for the bucket and are recorded in the site's usage ledger
 * (./usage-ledger.ts); a background bucket reads the ledger every LEDGER_REFRESH_MS and leaves what
 * people used in the last five minutes to them, so the whole site stays within one budget.
 */
import type { XrayTier } from '../../api';
import { invocationMemo, invocationState, type Traffic } from '../../platform/invocation';
import type { KeyValueStore, Platform } from '../../platform/ports';
import { XRAY_BUDGET_PER_5_MIN } from './regions';
import { UsageLedger, type SiteUsage } from './usage-ledger';

const WINDOW_MS = 5 * 60_000;
/** How often a background bucket re-reads what people used. */
export const LEDGER_REFRESH_MS = 15_000;
/** A background run keeps at least this share of the budget, however busy people are. */
const BACKGROUND_FLOOR_SHARE = 0.1;

export interface BudgetClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface BudgetOptions {
  /** Share of the budget the app may use (leaves room for other Xray clients on the site). */
  share?: number;
  windowMs?: number;
  /** Interactive: never waits, recorded in the ledger. Background (default): leaves people's share. */
  traffic?: Traffic;
  ledger?: SiteUsage;
}

export class RateBudget {
  private tokens: number;
  private updatedAt: number;
  private ratePerMs: number;
  private readonly capacity: number;
  private readonly fullRatePerMs: number;
  private readonly floorRatePerMs: number;
  private ledgerReadAt = Number.NEGATIVE_INFINITY;
  readonly traffic: Traffic;
  /** Requests this bucket let through, how long callers waited in all, and what the ledger holds of them. */
  readonly stats = { granted: 0, waitedMs: 0, recorded: 0 };

  constructor(
    readonly limitPerWindow: number,
    private readonly clock: BudgetClock,
    private readonly options: BudgetOptions = {},
  ) {
    const share = options.share ?? 0.9;
    const windowMs = options.windowMs ?? WINDOW_MS;
    this.traffic = options.traffic ?? 'background';
    this.fullRatePerMs = (limitPerWindow * share) / windowMs;
    this.floorRatePerMs = (limitPerWindow * BACKGROUND_FLOOR_SHARE) / windowMs;
    this.ratePerMs = this.fullRatePerMs;
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

  /** A background bucket's rate: the app's share less what people used in the last window. */
  private async followLedger(): Promise<void> {
    const { ledger } = this.options;
    if (!ledger || this.traffic !== 'background') return;
    const now = this.clock.now();
    if (now - this.ledgerReadAt < LEDGER_REFRESH_MS) return;
    this.ledgerReadAt = now;
    const used = await ledger.interactiveRecent();
    const windowMs = this.options.windowMs ?? WINDOW_MS;
    this.ratePerMs = Math.max(this.floorRatePerMs, this.fullRatePerMs - used / windowMs);
  }

  /** Waits until a request may be sent (or the signal aborts); interactive requests never wait. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.traffic === 'interactive') {
      this.stats.granted += 1;
      return;
    }
    await this.followLedger();
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

  /** Interactive: adds the requests not yet recorded to the site's ledger (one read, one write). */
  async record(): Promise<void> {
    const { ledger } = this.options;
    const unrecorded = this.stats.granted - this.stats.recorded;
    if (!ledger || this.traffic !== 'interactive' || unrecorded <= 0) return;
    this.stats.recorded = this.stats.granted;
    await ledger.recordInteractive(unrecorded);
  }
}

/** This invocation's buckets (an invocation serves one site; a warm instance may serve another next). */
const buckets = () => invocationMemo('xray-budgets', () => new Map<XrayTier, RateBudget>());

/**
 * The bucket for the invoked site's Xray tier, shared by every client of this invocation; its
 * traffic is the invocation's (resolvers: interactive; triggers and consumers: background).
 */
export function budgetFor(tier: XrayTier, clock: BudgetClock, kvs?: KeyValueStore): RateBudget {
  let bucket = buckets().get(tier);
  if (!bucket) {
    bucket = new RateBudget(XRAY_BUDGET_PER_5_MIN[tier], clock, {
      traffic: invocationState().traffic ?? 'background',
      ...(kvs ? { ledger: new UsageLedger(kvs, () => clock.now()) } : {}),
    });
    buckets().set(tier, bucket);
  }
  return bucket;
}

/** The invocation's bucket for the site, on the platform's clock, following the site's ledger. */
export function siteBudget(platform: Pick<Platform, 'clock' | 'kvs'>, tier: XrayTier): RateBudget {
  return budgetFor(
    tier,
    {
      now: () => platform.clock.now().getTime(),
      sleep: (ms, signal) => platform.clock.sleep(ms, signal),
    },
    platform.kvs,
  );
}

/** Records this invocation's interactive Xray requests in the site's ledger (resolvers call it last). */
export async function recordInteractiveUse(): Promise<void> {
  await Promise.all([...buckets().values()].map((bucket) => bucket.record()));
}

/** Tests: forget the buckets of code run outside a handler (each invocation starts with its own). */
export function resetBudgets(): void {
  buckets().clear();
}
