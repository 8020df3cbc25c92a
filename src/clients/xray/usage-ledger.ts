/**
 * One Xray budget for the whole site. Xray counts every request of the site's API keys in one
 * window ("300 / 1,000 requests per 5 minutes"), but each Forge invocation paces itself with its own
 * bucket. So interactive calls (the panel, the settings page) record what they spent in a small
 * per-minute ledger in the key-value store, and background runs (the sync, large creations) read
 * the last five minutes of it and leave that share to them: people are served first.
 *
 * The ledger is a ring of LEDGER_SLOTS keys (one per minute, reused), so it never grows. Two
 * invocations recording in the same instant may lose one update (the store has no atomic add); the
 * share the app leaves free (rate-budget.ts) absorbs that.
 */
import { z } from 'zod';
import type { KeyValueStore } from '../../platform/ports';

const MINUTE_MS = 60_000;
/** Minutes a background run looks back: Xray's window. */
export const LEDGER_WINDOW_MINUTES = 5;
const LEDGER_SLOTS = 10;

const slotSchema = z.object({ minute: z.number().int(), interactive: z.number().int().nonnegative() });

export const ledgerKey = (minute: number) =>
  `xray-usage:${((minute % LEDGER_SLOTS) + LEDGER_SLOTS) % LEDGER_SLOTS}`;

const minuteOf = (nowMs: number) => Math.floor(nowMs / MINUTE_MS);

/** What a bucket needs of the ledger. */
export interface SiteUsage {
  recordInteractive(count: number): Promise<void>;
  interactiveRecent(): Promise<number>;
}

export class UsageLedger implements SiteUsage {
  constructor(
    private readonly kvs: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /** Adds `count` interactive requests to this minute's slot. */
  async recordInteractive(count: number): Promise<void> {
    if (count <= 0) return;
    const minute = minuteOf(this.now());
    const key = ledgerKey(minute);
    const current = slotSchema.safeParse(await this.kvs.get(key));
    const before = current.success && current.data.minute === minute ? current.data.interactive : 0;
    await this.kvs.set(key, { minute, interactive: before + count });
  }

  /** Interactive requests of the site in the last LEDGER_WINDOW_MINUTES minutes (this one included). */
  async interactiveRecent(): Promise<number> {
    const minute = minuteOf(this.now());
    const minutes = Array.from({ length: LEDGER_WINDOW_MINUTES }, (_, back) => minute - back);
    const slots = await Promise.all(minutes.map((m) => this.kvs.get(ledgerKey(m))));
    return slots.reduce<number>((sum, raw, index) => {
      const slot = slotSchema.safeParse(raw);
      return slot.success && slot.data.minute === minutes[index] ? sum + slot.data.interactive : sum;
    }, 0);
  }
}
