/**
 * Pure wording for the settings page's Sync section: run status, counts, backfill progress (percent,
 * rate, time left), "about" times, retries. No React, no bridge — unit-tested in node
 * (test/unit/static/syncFormat.test.ts).
 */
import type { RetryEntryDto, SyncRunDto, SyncRunKind, SyncStatusDto } from '../../../../src/api';
import { plural, type StatusBadge } from '../../../common/src/format';

/** How often the page re-reads the sync status while a backfill runs. */
export const BACKFILL_POLL_INTERVAL_MS = 2000;

/** "1,234" in the user's locale (English by default, for stable tests). */
const number = (value: number, locale = 'en'): string => value.toLocaleString(locale);

/** Queued or running: the page polls and the "Sync all now" button waits. */
export function isRunActive(run: Pick<SyncRunDto, 'status'> | undefined): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

/** One term per kind of run, everywhere on the page: the hourly "Scheduled sync" and "Sync all". */
export const RUN_KIND_TEXT: Record<SyncRunKind, string> = {
  scheduled: 'Scheduled sync',
  backfill: 'Sync all',
};

/**
 * The run "Last run" shows: the latest to start of the scheduled run and a finished "Sync all" (the
 * backend keeps one record of each; a Sync all still going is shown by its progress instead).
 */
export function lastRunOf(sync: Pick<SyncStatusDto, 'lastRun' | 'backfill'>): SyncRunDto | undefined {
  const candidates = [sync.lastRun, isRunActive(sync.backfill) ? undefined : sync.backfill].filter(
    (run): run is SyncRunDto => run !== undefined,
  );
  return candidates.reduce<SyncRunDto | undefined>(
    (latest, run) => (!latest || Date.parse(run.startedAt) > Date.parse(latest.startedAt) ? run : latest),
    undefined,
  );
}

/** The run's lozenge. A finished run with failed requirements is not plain "Done". */
export function runStatusBadge(run: Pick<SyncRunDto, 'status' | 'failed'>): StatusBadge {
  switch (run.status) {
    case 'queued':
      return { text: 'Queued', appearance: 'new' };
    case 'running':
      return { text: 'Running', appearance: 'inprogress' };
    case 'failed':
      return { text: 'Failed', appearance: 'removed' };
    default:
      return run.failed > 0
        ? { text: 'Done with failures', appearance: 'moved' }
        : { text: 'Done', appearance: 'success' };
  }
}

export interface CountPart {
  key: 'total' | 'pushed' | 'unchanged' | 'failed';
  text: string;
}

/** "12 changed", "9 sent", "2 skipped, unchanged", "1 failed" (all four, zeros included). */
export function runCountParts(
  run: Pick<SyncRunDto, 'total' | 'pushed' | 'unchanged' | 'failed'>,
): CountPart[] {
  return [
    { key: 'total', text: `${number(run.total)} changed` },
    { key: 'pushed', text: `${number(run.pushed)} sent` },
    { key: 'unchanged', text: `${number(run.unchanged)} skipped, unchanged` },
    { key: 'failed', text: `${number(run.failed)} failed` },
  ];
}

/** Percent done (0–100, whole), or null while the total is not known yet (requirements being listed). */
export function progressPercent(run: Pick<SyncRunDto, 'total' | 'done'>): number | null {
  if (!(run.total > 0)) return null;
  const ratio = Math.min(1, Math.max(0, run.done / run.total));
  // Never show 100 % before every requirement is done.
  const percent = Math.floor(ratio * 100);
  return run.done >= run.total ? 100 : Math.min(percent, 99);
}

/** "120 of 480 requirements (25%)", or "Listing requirements…" while the total is unknown. */
export function progressText(run: Pick<SyncRunDto, 'total' | 'done' | 'status'>): string {
  const percent = progressPercent(run);
  if (percent === null) return run.status === 'queued' ? 'Waiting to start…' : 'Listing requirements…';
  const noun = run.total === 1 ? 'requirement' : 'requirements';
  return `${number(run.done)} of ${number(run.total)} ${noun} (${percent}%)`;
}

/** "37 per minute", "2.5 per minute", "less than 1 per minute"; null when nothing was measured yet. */
export function rateText(ratePerMinute: number): string | null {
  if (!Number.isFinite(ratePerMinute) || ratePerMinute <= 0) return null;
  if (ratePerMinute < 0.1) return 'less than 1 per minute';
  const rounded = ratePerMinute >= 10 ? Math.round(ratePerMinute) : Math.round(ratePerMinute * 10) / 10;
  return `${number(rounded)} per minute`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** "about 5 minutes", "about 2 hours", "less than a minute" for a positive duration in ms. */
function aboutDuration(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `about ${plural(minutes, 'minute')}`;
  if (ms < 36 * HOUR) return `about ${plural(Math.round(ms / HOUR), 'hour')}`;
  return `about ${plural(Math.round(ms / (24 * HOUR)), 'day')}`;
}

/** Time left from an ETA: "about 12 minutes left", "less than a minute left", "almost done". */
export function etaText(etaAt: string | undefined, now: Date): string | null {
  if (!etaAt) return null;
  const at = new Date(etaAt).getTime();
  if (Number.isNaN(at)) return null;
  const left = at - now.getTime();
  if (left <= 0) return 'almost done';
  return `${aboutDuration(left)} left`;
}

/**
 * The hourly trigger's next run, approximately (Forge schedules it): "in about 40 minutes",
 * "in less than a minute"; "any minute now" once it is due.
 */
export function nextRunText(nextRunAt: string, now: Date): string {
  const at = new Date(nextRunAt).getTime();
  if (Number.isNaN(at)) return nextRunAt;
  const ms = at - now.getTime();
  if (ms <= 30_000) return 'any minute now';
  return `in ${aboutDuration(ms)}`;
}

/** The backfill's one-line progress details: failures so far, rate, time left. */
export function progressDetails(
  run: Pick<SyncRunDto, 'failed' | 'ratePerMinute' | 'etaAt' | 'total' | 'pausedUntil'>,
  now: Date,
): string[] {
  const parts: string[] = [];
  if (run.failed > 0) parts.push(`${number(run.failed)} failed`);
  const pausedMs = run.pausedUntil ? new Date(run.pausedUntil).getTime() - now.getTime() : Number.NaN;
  if (pausedMs > 0) {
    parts.push(`paused by a rate limit, resumes in ${aboutDuration(pausedMs)}`);
    return parts;
  }
  const rate = rateText(run.ratePerMinute);
  if (rate) parts.push(rate);
  const eta = run.total > 0 ? etaText(run.etaAt, now) : null;
  if (eta) parts.push(eta);
  return parts;
}

/** A finished backfill: "Synced 480 requirements: 420 sent, 57 unchanged, 3 failed". */
export function backfillResultText(
  run: Pick<SyncRunDto, 'done' | 'pushed' | 'unchanged' | 'failed'>,
): string {
  const synced = run.pushed + run.unchanged + run.failed;
  const count = Math.max(run.done, synced);
  return (
    `Synced ${number(count)} ${count === 1 ? 'requirement' : 'requirements'}: ` +
    `${number(run.pushed)} sent, ${number(run.unchanged)} unchanged, ${number(run.failed)} failed`
  );
}

/** The backfill result's appearance: all sent / some failed / the run itself failed. */
export function backfillResultAppearance(
  run: Pick<SyncRunDto, 'status' | 'failed'>,
): 'success' | 'warning' | 'error' {
  if (run.status === 'failed') return 'error';
  return run.failed > 0 ? 'warning' : 'success';
}

/** How a retry entry names its requirement: the issue key, or "Issue 10042" when only the id is known. */
export function retryLabel(entry: Pick<RetryEntryDto, 'issueId' | 'issueKey'>): string {
  const key = entry.issueKey?.trim();
  return key ? key : `Issue ${entry.issueId}`;
}

/**
 * The retry set in words. `size` counts the requirements still being retried (the backend leaves out
 * the ones it gave up on); `retries` is the (possibly cut) list, gave-up entries included.
 * "3 requirements are waiting to be retried; the next run tries them first. Showing 2 of 3. The app
 * gave up on 1 requirement."
 */
export function retrySummaryText(size: number, retries: Pick<RetryEntryDto, 'gaveUp'>[]): string {
  const listedWaiting = retries.filter((entry) => !entry.gaveUp).length;
  const waiting = Math.max(size, listedWaiting);
  const gaveUp = retries.length - listedWaiting;
  const parts: string[] = [];
  if (waiting === 0) parts.push('No requirements are waiting to be retried.');
  else if (waiting === 1) parts.push('1 requirement is waiting to be retried; the next run tries it first.');
  else
    parts.push(`${number(waiting)} requirements are waiting to be retried; the next run tries them first.`);
  if (listedWaiting < waiting) parts.push(`Showing ${number(listedWaiting)} of ${number(waiting)}.`);
  if (gaveUp > 0) parts.push(`The app gave up on ${plural(gaveUp, 'requirement')}.`);
  return parts.join(' ');
}

/** "1 attempt", "3 attempts". */
export function attemptsText(attempts: number): string {
  return plural(attempts, 'attempt');
}

/** "took 42 seconds", "took 3 minutes", "took about 2 hours"; null when the times are unusable. */
export function durationText(startedAt: string, finishedAt: string): string | null {
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < MINUTE) return `took ${plural(Math.max(1, Math.round(ms / 1000)), 'second')}`;
  if (Math.round(ms / MINUTE) < 60) return `took ${plural(Math.round(ms / MINUTE), 'minute')}`;
  return `took ${aboutDuration(ms)}`;
}
