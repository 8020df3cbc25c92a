/**
 * Scheduling the sync: the hourly trigger only plans (one queued run per configured project, one
 * event each); the queue consumer does the work, one site at a time (queue concurrency key), and
 * requeues itself when its time runs low or a run failed (with a delay, a bounded number of times).
 * Admins start backfills from the settings page and watch their progress here.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SyncRunDto, SyncRunKind, SyncStatusDto } from '../api';
import { JiraQuotaPause, quotaWaitIn } from '../clients/jira-quota-pause';
import { Deadline } from '../clients/upstream';
import { keyReminderOf } from '../config/connection-check';
import { storedSettingsSchema, type StoredSettings } from '../config/schema';
import { AppError, isRateLimited, toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import { findProjectClients } from './project-clients';
import { ProjectSync } from './project-sync';
import { RunStore, type SyncRun } from './run-store';

export const SYNC_QUEUE = 'sqai-sync';
/** Consumer budget: under the function's 900 s timeout. */
export const SYNC_BUDGET_MS = 840_000;
/** A run that failed is retried this many invocations (a minute apart) before it is marked failed. */
const MAX_INVOCATIONS_AFTER_ERROR = 5;
/** A queued or running run not updated for this long is considered lost and planned again. */
const STALE_RUN_MS = 30 * 60_000;
/** Forge queues delay an event by at most 900 s; a rate-limit wait is at least a minute. */
const MIN_RATE_LIMIT_DELAY_S = 60;
const MAX_QUEUE_DELAY_S = 900;
/**
 * Rate-limit waits in a row without progress before the run is marked failed: Jira's hourly quota
 * resets at the top of each UTC hour, so four hours of waiting means something else is wrong.
 */
const MAX_RATE_LIMITED_WAITS = 16;

export const syncEventSchema = z.object({
  kind: z.literal('sync'),
  cloudId: z.string().min(1),
  projectId: z.string().regex(/^\d+$/),
  projectKey: z.string().min(1),
  runKind: z.enum(['scheduled', 'backfill']),
  runId: z.string().min(1),
});

export type SyncEvent = z.infer<typeof syncEventSchema>;

export function toRunDto(run: SyncRun, now: Date): SyncRunDto {
  const elapsedMinutes = Math.max(1 / 60, (Date.parse(run.updatedAt) - Date.parse(run.startedAt)) / 60_000);
  const ratePerMinute = Math.round((run.done / elapsedMinutes) * 10) / 10;
  const remaining = run.total - run.done;
  const running = run.status === 'running' || run.status === 'queued';
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    total: run.total,
    done: run.done,
    pushed: run.pushed,
    unchanged: run.unchanged,
    failed: run.failed,
    ratePerMinute,
    ...(running && ratePerMinute > 0 && remaining > 0
      ? { etaAt: new Date(now.getTime() + (remaining / ratePerMinute) * 60_000).toISOString() }
      : {}),
    ...(running && run.pausedUntil && Date.parse(run.pausedUntil) > now.getTime()
      ? { pausedUntil: run.pausedUntil }
      : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

export class SyncService {
  private readonly runs: RunStore;
  private readonly quotaPause: JiraQuotaPause;

  constructor(private readonly platform: Platform) {
    this.runs = new RunStore(platform.kvs);
    this.quotaPause = new JiraQuotaPause(platform.kvs, () => platform.clock.now().getTime());
  }

  private async enqueue(event: SyncEvent, delayInSeconds?: number): Promise<void> {
    await this.platform.queue.push(SYNC_QUEUE, [
      {
        body: { ...event },
        // One consumer per site at a time: the Xray budget is the site's.
        concurrency: { key: `sync-${event.cloudId}`, limit: 1 },
        ...(delayInSeconds ? { delayInSeconds } : {}),
      },
    ]);
  }

  /** Every configured project: `{ projectId, key?, settings }` (keys come with the run's events). */
  async configuredProjects(): Promise<{ projectId: string; settings: StoredSettings }[]> {
    const out: { projectId: string; settings: StoredSettings }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.platform.kvs.query('settings:', { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const entry of page.entries) {
        const parsed = storedSettingsSchema.safeParse(entry.value);
        if (parsed.success)
          out.push({ projectId: entry.key.slice('settings:'.length), settings: parsed.data });
      }
      cursor = page.cursor;
    } while (cursor);
    return out;
  }

  /** The hourly trigger: plan a scheduled run for every project with sync on; report reminders. */
  async scheduleAll(
    cloudId: string,
    projectKeyOf: (projectId: string) => Promise<string>,
  ): Promise<{ planned: string[]; skipped: string[] }> {
    const now = this.platform.clock.now();
    const planned: string[] = [];
    const skipped: string[] = [];
    for (const { projectId, settings } of await this.configuredProjects()) {
      const reminder = keyReminderOf(settings, now);
      if (reminder) this.platform.log.warn('Xray API key expiry', { projectId, ...reminder });
      if (!settings.sync.enabled) {
        skipped.push(projectId);
        continue;
      }
      // The key saved with the settings spares a Jira request per project and hour.
      const key = settings.projectKey ?? (await projectKeyOf(projectId));
      await this.resumeBrokenBackfill(cloudId, { id: projectId, key }, now);
      const current = await this.runs.run(projectId, 'scheduled');
      const active = current && (current.status === 'queued' || current.status === 'running');
      if (active && now.getTime() - Date.parse(current.updatedAt) < STALE_RUN_MS) {
        skipped.push(projectId);
        continue;
      }
      await this.start(cloudId, { id: projectId, key }, 'scheduled', active ? current : null);
      planned.push(projectId);
    }
    return { planned, skipped };
  }

  /**
   * A backfill that failed (its consumer gave up after repeated errors) or whose consumer was lost is
   * resumed by the next hourly trigger: requirements it had not reached are not changed, so the
   * incremental sync alone would never send them.
   */
  private async resumeBrokenBackfill(
    cloudId: string,
    project: { id: string; key: string },
    now: Date,
  ): Promise<void> {
    const backfill = await this.runs.run(project.id, 'backfill');
    if (!backfill || backfill.status === 'done') return;
    const stale = now.getTime() - Date.parse(backfill.updatedAt) >= STALE_RUN_MS;
    if (backfill.status !== 'failed' && !stale) return;
    backfill.status = 'queued';
    backfill.failures = 0;
    backfill.rateLimitedWaits = 0;
    await this.runs.saveRun(project.id, backfill);
    this.platform.log.info('Resuming an interrupted backfill', {
      projectId: project.id,
      done: backfill.done,
      total: backfill.total,
    });
    await this.start(cloudId, project, 'backfill', backfill);
  }

  /** Plans (or resumes a lost) run and queues it. */
  private async start(
    cloudId: string,
    project: { id: string; key: string },
    kind: SyncRunKind,
    resume: SyncRun | null,
  ): Promise<SyncRun> {
    const run =
      resume ?? (await this.runs.createRun(project.id, kind, randomUUID(), this.platform.clock.now()));
    await this.enqueue({
      kind: 'sync',
      cloudId,
      projectId: project.id,
      projectKey: project.key,
      runKind: kind,
      runId: run.id,
    });
    return run;
  }

  /** After the first successful connection check: sync every requirement once. */
  async startInitialBackfill(cloudId: string, project: { id: string; key: string }): Promise<void> {
    if (await this.runs.run(project.id, 'backfill')) return;
    await this.start(cloudId, project, 'backfill', null);
  }

  async startBackfill(cloudId: string, project: { id: string; key: string }): Promise<SyncRunDto> {
    const clients = await findProjectClients(this.platform, project.id);
    if (!clients) throw new AppError('NOT_CONFIGURED');
    const current = await this.runs.run(project.id, 'backfill');
    const now = this.platform.clock.now();
    if (
      current &&
      (current.status === 'queued' || current.status === 'running') &&
      now.getTime() - Date.parse(current.updatedAt) < STALE_RUN_MS
    ) {
      throw new AppError('VALIDATION', { message: 'A backfill is already running for this project.' });
    }
    return toRunDto(await this.start(cloudId, project, 'backfill', null), now);
  }

  /** The consumer: work on the event's run until done or the budget runs low; requeue as needed. */
  async runEvent(event: SyncEvent, budgetMs = SYNC_BUDGET_MS): Promise<SyncRun | null> {
    const run = await this.runs.run(event.projectId, event.runKind);
    if (!run || run.id !== event.runId || run.status === 'done' || run.status === 'failed') return run;
    // Another invocation learnt that Jira's hourly quota is spent: wait for the reset, send nothing.
    const quotaPausedMs = await this.quotaPause.remainingMs();
    if (quotaPausedMs > 0) {
      await this.waitForRateLimit(event, run, quotaPausedMs, false);
      return run;
    }
    const deadline = new Deadline(budgetMs);
    const clients = await findProjectClients(this.platform, event.projectId, deadline);
    if (!clients) {
      run.status = 'failed';
      run.error = toErrorDto(new AppError('NOT_CONFIGURED'));
      await this.runs.saveRun(event.projectId, run);
      return run;
    }
    const sync = new ProjectSync(this.platform, clients, {
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
        await this.runs.saveRun(event.projectId, run);
      }
      if (more) await this.enqueue(event);
    } catch (error) {
      if (isRateLimited(error)) {
        const quotaWait = quotaWaitIn(error);
        if (quotaWait) await this.quotaPause.remember(quotaWait.retryAfterMs);
        await this.waitForRateLimit(event, run, error.retryAfterMs, run.position > positionBefore);
        return run;
      }
      // Given up only after errors in a row that made no progress: a long run through a flaky
      // upstream keeps going as long as each attempt moves it forward.
      run.failures = run.position > positionBefore ? 1 : run.failures + 1;
      await this.runs.saveRun(event.projectId, run);
      if (run.failures < MAX_INVOCATIONS_AFTER_ERROR) {
        this.platform.log.warn('Sync run interrupted; retrying in a minute', {
          projectId: event.projectId,
          kind: run.kind,
          code: toErrorDto(error).code,
        });
        await this.enqueue(event, 60);
      } else {
        run.status = 'failed';
        run.error = toErrorDto(error);
        await this.runs.saveRun(event.projectId, run);
      }
    }
    return run;
  }

  /**
   * A run an upstream's rate limit stopped (Jira's hourly quota, a burst, Xray's budget): not a
   * failure — it resumes when the upstream said it may (Retry-After), a minute at the least and
   * Forge's 900 s at the most, and is marked failed only after MAX_RATE_LIMITED_WAITS in a row.
   */
  private async waitForRateLimit(
    event: SyncEvent,
    run: SyncRun,
    retryAfterMs: number | undefined,
    progressed: boolean,
  ): Promise<void> {
    run.rateLimitedWaits = progressed ? 1 : run.rateLimitedWaits + 1;
    run.failures = 0;
    if (run.rateLimitedWaits > MAX_RATE_LIMITED_WAITS) {
      run.status = 'failed';
      await this.runs.saveRun(event.projectId, run);
      return;
    }
    const delaySeconds = Math.min(
      MAX_QUEUE_DELAY_S,
      Math.max(MIN_RATE_LIMIT_DELAY_S, Math.ceil((retryAfterMs ?? 0) / 1000)),
    );
    // What the settings page shows: when the upstream said it may go on (the queue may deliver
    // earlier, at most 900 s later each time, and the run then waits again without a request).
    const resumesInMs = Math.max(delaySeconds * 1000, retryAfterMs ?? 0);
    run.pausedUntil = new Date(this.platform.clock.now().getTime() + resumesInMs).toISOString();
    await this.runs.saveRun(event.projectId, run);
    this.platform.log.warn('Sync run paused by a rate limit', {
      projectId: event.projectId,
      kind: run.kind,
      delaySeconds,
    });
    await this.enqueue(event, delaySeconds);
  }

  async status(projectId: string, settings: StoredSettings | null): Promise<SyncStatusDto> {
    const now = this.platform.clock.now();
    const [cursor, scheduled, backfill, retries] = await Promise.all([
      this.runs.cursor(projectId),
      this.runs.run(projectId, 'scheduled'),
      this.runs.run(projectId, 'backfill'),
      // The first retry page only: its head counts the whole set (a page resolver reads a fixed
      // number of keys, however many requirements wait).
      this.runs.retrySummary(projectId),
    ]);
    const lastTick = scheduled ? Date.parse(scheduled.startedAt) : undefined;
    return {
      enabled: settings?.sync.enabled ?? false,
      ...(cursor ? { syncedUpTo: cursor } : {}),
      ...(scheduled ? { lastRun: toRunDto(scheduled, now) } : {}),
      ...(backfill ? { backfill: toRunDto(backfill, now) } : {}),
      ...(settings?.sync.enabled && lastTick
        ? { nextRunAt: new Date(lastTick + 60 * 60_000).toISOString() }
        : {}),
      retrySetSize: retries.waiting,
      retries: retries.sample.slice(0, 50).map((entry) => ({
        issueId: entry.issueId,
        ...(entry.issueKey ? { issueKey: entry.issueKey } : {}),
        attempts: entry.attempts,
        lastError: entry.lastError,
        gaveUp: entry.gaveUp,
      })),
    };
  }
}
