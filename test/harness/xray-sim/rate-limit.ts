/**
 * Xray Cloud's API rate limit ("API Rate Limit": Standard 300, Enterprise 1,000 requests per 5
 * minutes per site), as a sliding window per tenant. Authenticate and GraphQL calls both count;
 * refused calls do not. Xray answers 429 and often sends no Retry-After: this one sends it on every
 * other refusal only, so clients must cope with both.
 */
import { json, type SimResponse } from '../sim-kit';
import { XRAY_RATE_BUDGET, type XrayTenant } from './model';

export const DEFAULT_RATE_WINDOW_MS = 5 * 60_000;

export interface RateUsage {
  used: number;
  limit: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly calls = new Map<string, number[]>();
  private readonly refusals = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    readonly windowMs: number = DEFAULT_RATE_WINDOW_MS,
  ) {}

  private recent(cloudId: string): number[] {
    const cutoff = this.now().getTime() - this.windowMs;
    const kept = (this.calls.get(cloudId) ?? []).filter((at) => at > cutoff);
    this.calls.set(cloudId, kept);
    return kept;
  }

  usage(tenant: XrayTenant): RateUsage {
    return {
      used: this.recent(tenant.cloudId).length,
      limit: XRAY_RATE_BUDGET[tenant.tier],
      windowMs: this.windowMs,
    };
  }

  /** Counts the call, or answers the 429 Xray would. */
  take(tenant: XrayTenant): SimResponse | undefined {
    const recent = this.recent(tenant.cloudId);
    const limit = XRAY_RATE_BUDGET[tenant.tier];
    const nowMs = this.now().getTime();
    if (recent.length < limit) {
      recent.push(nowMs);
      return undefined;
    }
    const refusals = (this.refusals.get(tenant.cloudId) ?? 0) + 1;
    this.refusals.set(tenant.cloudId, refusals);
    const oldest = recent[0] ?? nowMs;
    const retryAfter = Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
    return json(
      429,
      { error: `Too many requests. The rate limit of ${limit} requests per 5 minutes was exceeded.` },
      refusals % 2 === 0 ? { 'Retry-After': String(retryAfter) } : {},
    );
  }

  reset(): void {
    this.calls.clear();
    this.refusals.clear();
  }
}
