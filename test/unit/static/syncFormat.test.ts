import type { SyncRunDto } from '../../../src/api';
import {
  attemptsText,
  backfillResultAppearance,
  backfillResultText,
  durationText,
  etaText,
  isRunActive,
  lastRunOf,
  nextRunText,
  progressDetails,
  progressPercent,
  progressText,
  rateText,
  retryLabel,
  retrySummaryText,
  runCountParts,
  runStatusBadge,
} from '../../../static/settings/src/sync/format';

const now = new Date('2026-03-10T12:00:00Z');
const inMs = (ms: number) => new Date(now.getTime() + ms).toISOString();
const MIN = 60_000;

const run = (patch: Partial<SyncRunDto> = {}): SyncRunDto => ({
  id: 'run-1',
  kind: 'backfill',
  status: 'running',
  startedAt: '2026-03-10T11:50:00Z',
  updatedAt: '2026-03-10T11:59:00Z',
  total: 0,
  done: 0,
  pushed: 0,
  unchanged: 0,
  failed: 0,
  ratePerMinute: 0,
  ...patch,
});

describe('isRunActive', () => {
  it.each([
    ['queued', true],
    ['running', true],
    ['done', false],
    ['failed', false],
  ] as const)('%s → %s', (status, active) => {
    expect(isRunActive(run({ status }))).toBe(active);
  });

  it('is false without a run', () => {
    expect(isRunActive(undefined)).toBe(false);
  });
});

describe('runStatusBadge', () => {
  it('names each status with a fitting appearance', () => {
    expect(runStatusBadge(run({ status: 'queued' }))).toEqual({ text: 'Queued', appearance: 'new' });
    expect(runStatusBadge(run({ status: 'running' }))).toEqual({ text: 'Running', appearance: 'inprogress' });
    expect(runStatusBadge(run({ status: 'failed' }))).toEqual({ text: 'Failed', appearance: 'removed' });
    expect(runStatusBadge(run({ status: 'done' }))).toEqual({ text: 'Done', appearance: 'success' });
  });

  it('does not call a run with failed requirements plain "Done"', () => {
    expect(runStatusBadge(run({ status: 'done', failed: 2 }))).toEqual({
      text: 'Done with failures',
      appearance: 'moved',
    });
  });
});

describe('runCountParts', () => {
  it('shows changed (total), sent, skipped as unchanged and failed, zeros included', () => {
    expect(
      runCountParts(run({ total: 1234, pushed: 9, unchanged: 0, failed: 1 })).map((p) => p.text),
    ).toEqual(['1,234 changed', '9 sent', '0 skipped, unchanged', '1 failed']);
  });
});

describe('progressPercent', () => {
  it('is null while the total is unknown (requirements still being listed)', () => {
    expect(progressPercent({ total: 0, done: 0 })).toBeNull();
  });

  it.each([
    [0, 480, 0],
    [120, 480, 25],
    [1, 3, 33],
    [479, 480, 99], // never 100 % before the last one
    [480, 480, 100],
    [500, 480, 100], // clamped
  ])('%i of %i → %i%%', (done, total, percent) => {
    expect(progressPercent({ total, done })).toBe(percent);
  });
});

describe('progressText', () => {
  it('says what happens before the total is known', () => {
    expect(progressText(run({ status: 'running' }))).toBe('Listing requirements…');
    expect(progressText(run({ status: 'queued' }))).toBe('Waiting to start…');
  });

  it('counts done of total with the percent', () => {
    expect(progressText(run({ total: 4800, done: 1200 }))).toBe('1,200 of 4,800 requirements (25%)');
    expect(progressText(run({ total: 1, done: 0 }))).toBe('0 of 1 requirement (0%)');
  });
});

describe('rateText', () => {
  it.each([
    [0, null],
    [Number.NaN, null],
    [-3, null],
    [0.05, 'less than 1 per minute'],
    [2.46, '2.5 per minute'],
    [37.4, '37 per minute'],
    [1500, '1,500 per minute'],
  ])('%p → %p', (rate, text) => {
    expect(rateText(rate)).toBe(text);
  });
});

describe('etaText', () => {
  it.each([
    [30_000, 'less than a minute left'],
    [MIN, 'about 1 minute left'],
    [12 * MIN + 10_000, 'about 12 minutes left'],
    [100 * MIN, 'about 2 hours left'],
    [59 * MIN, 'about 59 minutes left'],
    [3 * 24 * 60 * MIN, 'about 3 days left'],
    [-MIN, 'almost done'],
  ])('%i ms ahead → %s', (ms, text) => {
    expect(etaText(inMs(ms), now)).toBe(text);
  });

  it('is null without a usable ETA', () => {
    expect(etaText(undefined, now)).toBeNull();
    expect(etaText('soon', now)).toBeNull();
  });
});

describe('nextRunText', () => {
  it.each([
    [40 * MIN, 'in about 40 minutes'],
    [59 * MIN + 30_000, 'in about 1 hour'],
    [80 * MIN, 'in about 1 hour'],
    [45_000, 'in less than a minute'],
    [10_000, 'any minute now'],
    [-5 * MIN, 'any minute now'], // Forge runs it late
  ])('%i ms ahead → %s', (ms, text) => {
    expect(nextRunText(inMs(ms), now)).toBe(text);
  });

  it('shows an unreadable value as it is', () => {
    expect(nextRunText('whenever', now)).toBe('whenever');
  });
});

describe('progressDetails', () => {
  it('lists failures, rate and time left once the total is known', () => {
    expect(
      progressDetails(run({ total: 480, failed: 3, ratePerMinute: 37, etaAt: inMs(10 * MIN) }), now),
    ).toEqual(['3 failed', '37 per minute', 'about 10 minutes left']);
  });

  it('leaves out what is not known yet', () => {
    expect(progressDetails(run({ total: 0, etaAt: inMs(10 * MIN) }), now)).toEqual([]);
  });

  it('says a run held back by a rate limit is paused and when it resumes, instead of a rate and an ETA', () => {
    const paused = run({ total: 480, failed: 2, ratePerMinute: 37, etaAt: inMs(10 * MIN) });
    expect(progressDetails({ ...paused, pausedUntil: inMs(40 * MIN) }, now)).toEqual([
      '2 failed',
      'paused by a rate limit, resumes in about 40 minutes',
    ]);
    // A pause that has run out is no longer shown.
    expect(progressDetails({ ...paused, pausedUntil: inMs(-MIN) }, now)).toEqual([
      '2 failed',
      '37 per minute',
      'about 10 minutes left',
    ]);
  });
});

describe('backfillResultText', () => {
  it('summarises a finished backfill', () => {
    expect(backfillResultText(run({ done: 480, pushed: 420, unchanged: 57, failed: 3 }))).toBe(
      'Synced 480 requirements: 420 sent, 57 unchanged, 3 failed',
    );
    expect(backfillResultText(run({ done: 1, pushed: 1 }))).toBe(
      'Synced 1 requirement: 1 sent, 0 unchanged, 0 failed',
    );
  });

  it('never reports fewer synced than its own counts add up to', () => {
    expect(backfillResultText(run({ done: 0, pushed: 2, unchanged: 1 }))).toBe(
      'Synced 3 requirements: 2 sent, 1 unchanged, 0 failed',
    );
  });
});

describe('backfillResultAppearance', () => {
  it('is success, warning with failed requirements, error for a failed run', () => {
    expect(backfillResultAppearance(run({ status: 'done' }))).toBe('success');
    expect(backfillResultAppearance(run({ status: 'done', failed: 1 }))).toBe('warning');
    expect(backfillResultAppearance(run({ status: 'failed' }))).toBe('error');
  });
});

describe('retries', () => {
  it('labels an entry by key, or by id when the key is unknown', () => {
    expect(retryLabel({ issueId: '10042', issueKey: 'DEMO-42' })).toBe('DEMO-42');
    expect(retryLabel({ issueId: '10042' })).toBe('Issue 10042');
    expect(retryLabel({ issueId: '10042', issueKey: ' ' })).toBe('Issue 10042');
  });

  const waiting = (count: number) => Array.from({ length: count }, () => ({ gaveUp: false }));
  const gaveUp = (count: number) => Array.from({ length: count }, () => ({ gaveUp: true }));

  it('summarises the retry set', () => {
    expect(retrySummaryText(0, [])).toBe('No requirements are waiting to be retried.');
    expect(retrySummaryText(1, waiting(1))).toBe(
      '1 requirement is waiting to be retried; the next run tries it first.',
    );
    expect(retrySummaryText(3, waiting(3))).toBe(
      '3 requirements are waiting to be retried; the next run tries them first.',
    );
  });

  it('says when the list is cut', () => {
    expect(retrySummaryText(1057, waiting(50))).toBe(
      '1,057 requirements are waiting to be retried; the next run tries them first. Showing 50 of 1,057.',
    );
  });

  it('counts the requirements the app gave up on apart (the set size leaves them out)', () => {
    expect(retrySummaryText(2, [...waiting(2), ...gaveUp(1)])).toBe(
      '2 requirements are waiting to be retried; the next run tries them first. The app gave up on 1 requirement.',
    );
    expect(retrySummaryText(0, gaveUp(2))).toBe(
      'No requirements are waiting to be retried. The app gave up on 2 requirements.',
    );
  });

  it('counts attempts', () => {
    expect(attemptsText(1)).toBe('1 attempt');
    expect(attemptsText(5)).toBe('5 attempts');
  });
});

describe('durationText', () => {
  it.each([
    ['2026-03-10T12:00:00Z', '2026-03-10T12:00:00.200Z', 'took 1 second'],
    ['2026-03-10T12:00:00Z', '2026-03-10T12:00:42Z', 'took 42 seconds'],
    ['2026-03-10T12:00:00Z', '2026-03-10T12:03:10Z', 'took 3 minutes'],
    ['2026-03-10T12:00:00Z', '2026-03-10T14:05:00Z', 'took about 2 hours'],
  ])('%s → %s: %s', (from, to, text) => {
    expect(durationText(from, to)).toBe(text);
  });

  it('is null for times that do not make a duration', () => {
    expect(durationText('2026-03-10T12:00:00Z', '2026-03-10T11:00:00Z')).toBeNull();
    expect(durationText('x', 'y')).toBeNull();
  });
});

describe('lastRunOf', () => {
  const scheduled = (patch: Partial<SyncRunDto> = {}): SyncRunDto =>
    run({
      id: 'scheduled-1',
      kind: 'scheduled',
      status: 'done',
      startedAt: '2026-03-10T11:00:00Z',
      updatedAt: '2026-03-10T11:01:00Z',
      finishedAt: '2026-03-10T11:01:00Z',
      total: 12,
      done: 12,
      pushed: 9,
      unchanged: 3,
      ...patch,
    });
  const backfill = (patch: Partial<SyncRunDto> = {}): SyncRunDto =>
    run({
      id: 'backfill-1',
      kind: 'backfill',
      status: 'done',
      startedAt: '2026-03-10T09:00:00Z',
      updatedAt: '2026-03-10T09:40:00Z',
      finishedAt: '2026-03-10T09:40:00Z',
      total: 480,
      done: 480,
      pushed: 420,
      unchanged: 57,
      failed: 3,
      ratePerMinute: 12,
      ...patch,
    });

  it('is undefined when nothing has run', () => {
    expect(lastRunOf({})).toBeUndefined();
  });

  it('is the hourly run when there was no Sync all', () => {
    const hourly = scheduled();
    expect(lastRunOf({ lastRun: hourly })).toBe(hourly);
  });

  it('is the finished Sync all when there was no hourly run', () => {
    const all = backfill();
    expect(lastRunOf({ backfill: all })).toBe(all);
  });

  it('is the hourly run when it started after the finished Sync all', () => {
    const hourly = scheduled();
    expect(lastRunOf({ lastRun: hourly, backfill: backfill() })).toBe(hourly);
  });

  it('is the finished Sync all when it started after the hourly run', () => {
    const all = backfill({ startedAt: '2026-03-10T11:30:00Z', updatedAt: '2026-03-10T11:55:00Z' });
    expect(lastRunOf({ lastRun: scheduled(), backfill: all })).toBe(all);
  });

  it('counts a failed Sync all as a finished run', () => {
    const all = backfill({ status: 'failed', startedAt: '2026-03-10T11:30:00Z' });
    expect(lastRunOf({ lastRun: scheduled(), backfill: all })).toBe(all);
  });

  it('compares start times as instants, not as text', () => {
    // 11:30+02:00 is 09:30Z: before the hourly run at 11:00Z, though it sorts after it as a string.
    const all = backfill({ startedAt: '2026-03-10T11:30:00+02:00' });
    const hourly = scheduled();
    expect(lastRunOf({ lastRun: hourly, backfill: all })).toBe(hourly);
  });

  it.each(['queued', 'running'] as const)(
    'does not count a %s Sync all, even one newer than the hourly run',
    (status) => {
      const hourly = scheduled();
      const active = backfill({ status, startedAt: '2026-03-10T11:50:00Z', finishedAt: undefined });
      expect(lastRunOf({ lastRun: hourly, backfill: active })).toBe(hourly);
      expect(lastRunOf({ backfill: active })).toBeUndefined();
    },
  );
});
