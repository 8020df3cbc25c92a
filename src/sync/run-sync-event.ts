/**
 * The sync consumer's work on one event: its run, until done or the budget runs low, then queued
 * again. A run that failed is retried a minute later, a bounded number of times without progress;
 * a run an upstream's rate limit stopped waits for it (`waitForRateLimit`), and a Jira hourly quota
 * one invocation learnt is spent pauses every run of the site (`JiraQuotaPause`) without a request.
 */
import { JiraQuotaPause, quotaWaitIn } from '../clients/jira-quota-pause';
import { Deadline } from '../clients/upstream';
import { AppError, isRateLimited, toErrorDto } from '../errors';
import { refreshProjectTotals } from '../criteria/project-index';
import { CONSUMER_BUDGET_MS, MAX_QUEUE_DELAY_S } from '../platform/limits';
import type { Platform } from '../platform/ports';
import { findProjectClients } from './project-clients';
import { ProjectSync } from './project-sync';
import { RunStore, type SyncRun } from './run-store';
import { queueSyncEvent, type SyncEvent } from './sync-queue';

/** A run that failed is retried this many invocations (a minute apart) before it is marked failed. */
const MAX_INVOCATIONS_AFTER_ERROR = 5;
/** A rate-limit wait is at least a minute (and at most Forge's MAX_QUEUE_DELAY_S). */
const MIN_RATE_LIMIT_DELAY_S = 60;
/**
 * Rate-limit waits in a row without progress before the run is marked failed: Jira's hourly quota
 * resets at the top of each UTC hour, so four hours of waiting means something else is wrong.
 */
const MAX_RATE_LIMITED_WAITS = 16;
/** Totals are not recomputed with less than this left (the next run's end does it). */
const TOTALS_RESERVE_MS = 10_000;

export async function runSyncEvent(
  platform: Platform,
  event: SyncEvent,
  budgetMs = CONSUMER_BUDGET_MS,
): Promise<SyncRun | null> {
  const runs = new RunStore(platform.kvs);
  const quotaPause = new JiraQuotaPause(platform.kvs, () => platform.clock.now().getTime());
  const run = await runs.run(event.projectId, event.runKind);
  if (!run || run.id !== event.runId || run.status === 'done' || run.status === 'failed') return run;
  // Another invocation learnt that Jira's hourly quota is spent: wait for the reset, send nothing.
  const quotaPausedMs = await quotaPause.remainingMs();
  if (quotaPausedMs > 0) {
    await waitForRateLimit(platform, runs, event, run, quotaPausedMs, false);
    return run;
  }
  const deadline = new Deadline(budgetMs);
  const clients = await findProjectClients(platform, event.projectId, deadline);
  if (!clients) {
    run.status = 'failed';
    run.error = toErrorDto(new AppError('NOT_CONFIGURED'));
    await runs.saveRun(event.projectId, run);
    return run;
  }
  const sync = new ProjectSync(platform, clients, {
    cloudId: event.cloudId,
    siteUrl: null,
    project: { id: event.projectId, key: event.projectKey },
  });
  const positionBefore = run.position;
  try {
    const more = await sync.work(run, deadline);
    if (run.failures > 0 || run.rateLimitedWaits > 0 || run.pausedUntil) {
      run.failures = 0;
      run.rateLimitedWaits = 0;
      delete run.pausedUntil;
      await runs.saveRun(event.projectId, run);
    }
    if (more) await queueSyncEvent(platform, event);
    // The settings page's acceptance-criteria totals, when an entry changed (never throws).
    else await refreshProjectTotals(platform, event.projectId, deadline, TOTALS_RESERVE_MS);
  } catch (error) {
    if (isRateLimited(error)) {
      const quotaWait = quotaWaitIn(error);
      if (quotaWait) await quotaPause.remember(quotaWait.retryAfterMs);
      await waitForRateLimit(platform, runs, event, run, error.retryAfterMs, run.position > positionBefore);
      return run;
    }
    // Given up only after errors in a row that made no progress: a long run through a flaky
    // upstream keeps going as long as each attempt moves it forward.
    run.failures = run.position > positionBefore ? 1 : run.failures + 1;
    await runs.saveRun(event.projectId, run);
    if (run.failures < MAX_INVOCATIONS_AFTER_ERROR) {
      platform.log.warn('Sync run interrupted; retrying in a minute', {
        projectId: event.projectId,
        kind: run.kind,
        code: toErrorDto(error).code,
      });
      await queueSyncEvent(platform, event, 60);
    } else {
      run.status = 'failed';
      run.error = toErrorDto(error);
      await runs.saveRun(event.projectId, run);
    }
  }
  return run;
}

/**
 * A run an upstream's rate limit stopped (Jira's hourly quota, a burst, Xray's budget): not a
 * failure — it resumes when the upstream said it may (Retry-After), a minute at the least and
 * Forge's 900 s at the most, and is marked failed only after MAX_RATE_LIMITED_WAITS in a row.
 */
async function waitForRateLimit(
  platform: Platform,
  runs: RunStore,
  event: SyncEvent,
  run: SyncRun,
  retryAfterMs: number | undefined,
  progressed: boolean,
): Promise<void> {
  run.rateLimitedWaits = progressed ? 1 : run.rateLimitedWaits + 1;
  run.failures = 0;
  if (run.rateLimitedWaits > MAX_RATE_LIMITED_WAITS) {
    run.status = 'failed';
    await runs.saveRun(event.projectId, run);
    return;
  }
  const delaySeconds = Math.min(
    MAX_QUEUE_DELAY_S,
    Math.max(MIN_RATE_LIMIT_DELAY_S, Math.ceil((retryAfterMs ?? 0) / 1000)),
  );
  // What the settings page shows: when the upstream said it may go on (the queue may deliver
  // earlier, at most 900 s later each time, and the run then waits again without a request).
  const resumesInMs = Math.max(delaySeconds * 1000, retryAfterMs ?? 0);
  run.pausedUntil = new Date(platform.clock.now().getTime() + resumesInMs).toISOString();
  await runs.saveRun(event.projectId, run);
  platform.log.warn('Sync run paused by a rate limit', {
    projectId: event.projectId,
    kind: run.kind,
    delaySeconds,
  });
  await queueSyncEvent(platform, event, delaySeconds);
}
