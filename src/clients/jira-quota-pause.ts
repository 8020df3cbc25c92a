/**
 * Jira's hourly quota, remembered for the whole site. Atlassian: once the quota is spent "all
 * requests are denied until the next hourly reset" ("Rate limiting", docs/jira-fidelity.md J7).
 * One sync invocation learns it from a 429; the site's next sync events (every project's) read this
 * one small record and wait instead of each spending a request to learn it again. A fixed-shape record of well under 100 bytes (docs/reliability.md, storage bounds).
 */
import { z } from 'zod';
import type { KeyValueStore } from '../platform/ports';
import { isQuotaReason, JiraRateLimitWait } from './jira-pacing';

export const JIRA_QUOTA_PAUSE_KEY = 'jira-quota-pause';

const pauseSchema = z.object({ until: z.number().int().nonnegative() });

/** The quota wait behind `error` (an AppError whose cause is the pacer's refusal), if any. */
export function quotaWaitIn(error: unknown): JiraRateLimitWait | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof JiraRateLimitWait) return isQuotaReason(current.reason) ? current : undefined;
    current = current.cause;
  }
  return undefined;
}

export class JiraQuotaPause {
  constructor(
    private readonly kvs: KeyValueStore,
    private readonly now: () => number,
  ) {}

  /** Milliseconds left of a remembered quota pause (0 when there is none, or it is over). */
  async remainingMs(): Promise<number> {
    const parsed = pauseSchema.safeParse(await this.kvs.get(JIRA_QUOTA_PAUSE_KEY));
    return parsed.success ? Math.max(0, parsed.data.until - this.now()) : 0;
  }

  /** Remembers that Jira refuses every request for the next `waitMs`. */
  async remember(waitMs: number): Promise<void> {
    await this.kvs.set(JIRA_QUOTA_PAUSE_KEY, { until: Math.ceil(this.now() + waitMs) });
  }
}
