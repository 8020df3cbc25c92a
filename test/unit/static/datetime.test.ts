import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import {
  formatDate,
  formatDateTime,
  formatDatesIn,
  formatRelativeTime,
} from '../../../static/common/src/datetime';

describe('formatRelativeTime', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it.each([
    [0, 'just now'],
    [30, 'just now'],
    [-30, 'just now'], // a little in the future: clock skew
    [60, '1 minute ago'],
    [5 * 60, '5 minutes ago'],
    [50 * 60, '50 minutes ago'],
    [58 * 60, '1 hour ago'],
    [3 * 3600, '3 hours ago'],
    [26 * 3600, 'yesterday'],
    [3 * 86400, '3 days ago'],
    [7 * 86400, 'last week'],
    [16 * 86400, '2 weeks ago'],
    [45 * 86400, '2 months ago'],
    [400 * 86400, 'last year'],
  ])('%i seconds ago reads "%s"', (seconds, expected) => {
    expect(formatRelativeTime(ago(seconds), now)).toBe(expected);
  });

  it('says how far in the future a time is when the skew is large', () => {
    expect(formatRelativeTime(ago(-10 * 60), now)).toBe('in 10 minutes');
  });

  it('returns the input when it is not a date', () => {
    expect(formatRelativeTime('not a date', now)).toBe('not a date');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('formats absolute times in the given locale', () => {
    expect(formatDateTime('2026-03-10T12:00:00Z', 'en-US')).toMatch(/Mar 10, 2026/);
  });
});

describe('formatDate', () => {
  it.each([
    ['en-US', '2026-11-01', 'Nov 1, 2026'],
    ['en-GB', '2026-11-01', '1 Nov 2026'],
    ['en-US', '2026-01-31', 'Jan 31, 2026'],
    ['en-GB', '2026-12-31', '31 Dec 2026'],
    ['en-US', '2028-02-29', 'Feb 29, 2028'], // a leap day is a real date
  ])('in %s, %s reads "%s"', (locale, iso, expected) => {
    expect(formatDate(iso, locale)).toBe(expected);
  });

  it.each(['2026-02-31', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-11-00'])(
    'returns the impossible date %s unchanged instead of rolling it over',
    (iso) => {
      expect(formatDate(iso, 'en-US')).toBe(iso);
      expect(formatDate(iso, 'en-GB')).toBe(iso);
    },
  );

  it.each(['', 'not a date', '2026-11-01T10:00:00Z', '2026-1-1', ' 2026-11-01', '2026-11-01 ', '20261101'])(
    'returns %j unchanged: it is not a bare YYYY-MM-DD date',
    (text) => {
      expect(formatDate(text, 'en-US')).toBe(text);
    },
  );

  it('shows the same date part as formatDateTime for a time on that day', () => {
    // A local time (no Z), so the day is that day in whatever zone the test runs in.
    expect(
      formatDateTime('2026-11-01T12:00', 'en-GB').startsWith(`${formatDate('2026-11-01', 'en-GB')},`),
    ).toBe(true);
    expect(
      formatDateTime('2026-11-01T12:00', 'en-US').startsWith(`${formatDate('2026-11-01', 'en-US')},`),
    ).toBe(true);
  });

  // Jest gives each test file a copy of process.env, so setting TZ here would not reach Date/Intl.
  // The module therefore runs in a child node process per zone: the calendar date must read the
  // same day even where midnight UTC is still the day before (UTC-11) or already the day after.
  it('is the same day in any time zone (UTC-11, UTC-7, UTC+14)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'datetime-tz-'));
    try {
      const source = readFileSync(join(__dirname, '../../../static/common/src/datetime.ts'), 'utf8');
      const { code } = transformSync(source, {
        filename: 'datetime.ts',
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      const modulePath = join(dir, 'datetime.cjs');
      writeFileSync(modulePath, code);
      const script = [
        `const m = require(${JSON.stringify(modulePath)});`,
        'console.log(JSON.stringify({',
        '  localDay: new Date(Date.UTC(2026, 10, 1)).getDate(),',
        "  us: m.formatDate('2026-11-01', 'en-US'),",
        "  gb: m.formatDate('2026-11-01', 'en-GB'),",
        "  text: m.formatDatesIn('expires 2026-11-01', 'en-GB'),",
        '}));',
      ].join('\n');
      const run = (tz: string): unknown => {
        const child = spawnSync(process.execPath, ['-e', script], {
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        });
        expect(child.stderr).toBe('');
        return JSON.parse(child.stdout) as unknown;
      };
      const same = { us: 'Nov 1, 2026', gb: '1 Nov 2026', text: 'expires 1 Nov 2026' };
      // localDay proves the zone took effect: midnight UTC is Oct 31 west of Greenwich.
      expect(run('Pacific/Pago_Pago')).toEqual({ localDay: 31, ...same });
      expect(run('America/Los_Angeles')).toEqual({ localDay: 31, ...same });
      expect(run('Pacific/Kiritimati')).toEqual({ localDay: 1, ...same });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formatDatesIn', () => {
  it('formats a calendar date inside backend text in the given locale', () => {
    const text = 'The key expires in 9 days (2026-11-01).';
    expect(formatDatesIn(text, 'en-US')).toBe('The key expires in 9 days (Nov 1, 2026).');
    expect(formatDatesIn(text, 'en-GB')).toBe('The key expires in 9 days (1 Nov 2026).');
  });

  it('formats every date, at the start and the end of the text too', () => {
    expect(formatDatesIn('2026-11-01 to 2026-12-31', 'en-GB')).toBe('1 Nov 2026 to 31 Dec 2026');
  });

  it('leaves text without dates as it is', () => {
    expect(formatDatesIn('No reminder.', 'en-US')).toBe('No reminder.');
    expect(formatDatesIn('', 'en-US')).toBe('');
  });

  it.each([
    ['a timestamp', 'Checked at 2026-11-01T10:00:00Z.'],
    ['a time after a space-less colon', 'at 2026-11-01:10'],
    ['a longer digit run before', 'ref 12026-11-01'],
    ['a longer digit run after', 'ref 2026-11-011'],
    ['a dash-joined run before', 'id 7-2026-11-01'],
    ['a dash-joined run after', 'id 2026-11-01-7'],
  ])('leaves %s alone: %j', (_what, text) => {
    expect(formatDatesIn(text, 'en-US')).toBe(text);
  });

  it('leaves an impossible date in the text unchanged while formatting a real one', () => {
    expect(formatDatesIn('From 2026-02-31 or 2026-03-01', 'en-US')).toBe('From 2026-02-31 or Mar 1, 2026');
  });
});
