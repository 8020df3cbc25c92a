/**
 * Jira's time formats.
 *
 * - REST responses carry timestamps like `2026-11-25T10:00:00.000+0000` (millis, numeric offset without a
 *   colon). The store keeps ISO strings; `toJiraTimestamp` converts on output. The simulator's "server"
 *   runs in UTC, so the offset is always `+0000`.
 * - JQL date values (Atlassian, "JQL fields" › Created / Updated,
 *   https://support.atlassian.com/jira-service-management-cloud/docs/jql-fields/):
 *   - `"yyyy/MM/dd HH:mm"`, `"yyyy-MM-dd HH:mm"`, `"yyyy/MM/dd"`, `"yyyy-MM-dd"` — a wall-clock time
 *     (midnight when no time is given) read in the SEARCHING USER's time zone: "the search results will
 *     be relative to your configured time zone". A user without one has the site's default user time
 *     zone (Jira's `TimeZoneManagerImpl.getTimeZoneforUser`; the REST spec's `User.timeZone` says the
 *     same), and so, we take it, has the app's own account, which nobody configures. The caller passes
 *     that zone as `timeZone` (default UTC).
 *   - a period relative to now (`-15m`, `-2h`, `-1d`, `-1w`, `"-1w 2d"`; units w, d, h, m; "the default is
 *     m", so a quoted bare number is minutes) — independent of any time zone;
 *   - an UNQUOTED number: "if you omit the quote-marks, the number you supply will be interpreted as
 *     milliseconds after epoch (1970-1-1)" — independent of any time zone too.
 *   A wall-clock time that a daylight-saving change skips or repeats is resolved with the offset in force
 *   just before the change (the simulator's choice; Jira's was not researched).
 */

/** `2026-11-25T10:00:00.000Z` (or any `Date`-parsable string) → `2026-11-25T10:00:00.000+0000`. */
export function toJiraTimestamp(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`Not a timestamp: ${String(value)}`);
  return date.toISOString().replace(/Z$/, '+0000');
}

/** The site default when nothing else is configured (Jira Cloud names UTC `Etc/UTC` in user records). */
export const UTC_ZONE = 'Etc/UTC';

const ABSOLUTE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const EPOCH_MILLIS = /^-?\d+$/;
const BARE_MINUTES = /^([+-]?)(\d+)$/;
const PERIOD_PART = /([+-]?)(\d+)([wdhm])/gy;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const UNIT_MS: Record<string, number> = { w: 7 * DAY_MS, d: DAY_MS, h: 60 * MINUTE_MS, m: MINUTE_MS };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone the runtime does not know (a test's typo, not a Jira answer). */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at `instant`, in milliseconds (UTC−8 → −28,800,000). */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  const parts = formatter(timeZone).formatToParts(new Date(seconds));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value ?? NaN);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - seconds;
}

/** The instant at which the wall clock in `timeZone` shows the given UTC-encoded wall time. */
function fromWallClock(wall: number, timeZone: string): number {
  // Try the offset of the day before (ahead of any transition near the wall time): right unless the
  // zone changed its offset in between. Then try the new offset: right when the wall time lies after
  // the change; when it does not fit either (a skipped hour), keep the earlier offset.
  const before = zoneOffsetMs(timeZone, wall - DAY_MS);
  const candidate = wall - before;
  const after = zoneOffsetMs(timeZone, candidate);
  if (after === before) return candidate;
  return zoneOffsetMs(timeZone, wall - after) === after ? wall - after : candidate;
}

export interface JqlDateOptions {
  /** The searching user's time zone (IANA id); absolute dates are wall-clock times there. Default UTC. */
  timeZone?: string;
  /** Whether the value was quoted: an unquoted number is epoch milliseconds, a quoted one minutes. */
  quoted?: boolean;
}

/** Milliseconds since the epoch for a JQL date value, or `undefined` when Jira would reject it. */
export function parseJqlDate(value: string, now: Date, options: JqlDateOptions = {}): number | undefined {
  const trimmed = value.trim();
  if (options.quoted === false && EPOCH_MILLIS.test(trimmed)) return Number(trimmed);
  const absolute = ABSOLUTE.exec(trimmed);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = h === undefined ? 0 : Number(h);
    const minute = mi === undefined ? 0 : Number(mi);
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    const check = new Date(wall);
    // Reject 2026-13-45 and friends instead of letting Date roll them over.
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
      return undefined;
    }
    return fromWallClock(wall, options.timeZone ?? UTC_ZONE);
  }
  const bare = BARE_MINUTES.exec(trimmed);
  if (bare) return now.getTime() + (bare[1] === '-' ? -1 : 1) * Number(bare[2]) * MINUTE_MS;
  return parsePeriod(trimmed, now);
}

/** `-15m`, `4w 2d`, `-1w -2d`: the leading sign applies to the parts that carry none. */
function parsePeriod(value: string, now: Date): number | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact === '') return undefined;
  PERIOD_PART.lastIndex = 0;
  let offset = 0;
  let sign = 1;
  let consumed = 0;
  let first = true;
  for (let match = PERIOD_PART.exec(compact); match; match = PERIOD_PART.exec(compact)) {
    const [whole, signText, amount, unit] = match;
    if (signText === '-') sign = -1;
    else if (signText === '+') sign = 1;
    else if (first) sign = 1;
    first = false;
    offset += sign * Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
    consumed += whole.length;
  }
  if (consumed !== compact.length) return undefined;
  return now.getTime() + offset;
}

export const JQL_DATE_FORMATS_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";
