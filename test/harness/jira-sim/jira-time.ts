/**
 * Jira's time formats.
 *
 * - REST responses carry timestamps like `2026-11-25T10:00:00.000+0000` (millis, numeric offset without a
 *   colon). The store keeps ISO strings; `toJiraTimestamp` converts on output. The simulator's "server"
 *   runs in UTC, so the offset is always `+0000`.
 * - JQL date values: `"yyyy/MM/dd HH:mm"`, `"yyyy-MM-dd HH:mm"`, `"yyyy/MM/dd"`, `"yyyy-MM-dd"`, or a
 *   period relative to now (`-15m`, `-2h`, `-1d`, `-1w`, `"-1w 2d"`; units w, d, h, m). Jira interprets
 *   absolute JQL dates in the searching user's time zone; the simulator uses UTC for every user.
 */

/** `2026-11-25T10:00:00.000Z` (or any `Date`-parsable string) → `2026-11-25T10:00:00.000+0000`. */
export function toJiraTimestamp(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`Not a timestamp: ${String(value)}`);
  return date.toISOString().replace(/Z$/, '+0000');
}

const ABSOLUTE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD_PART = /([+-]?)(\d+)([wdhm])/gy;
const UNIT_MS: Record<string, number> = {
  w: 7 * 24 * 60 * 60_000,
  d: 24 * 60 * 60_000,
  h: 60 * 60_000,
  m: 60_000,
};

/** Milliseconds since the epoch for a JQL date value, or `undefined` when Jira would reject it. */
export function parseJqlDate(value: string, now: Date): number | undefined {
  const trimmed = value.trim();
  const absolute = ABSOLUTE.exec(trimmed);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = h === undefined ? 0 : Number(h);
    const minute = mi === undefined ? 0 : Number(mi);
    const ms = Date.UTC(year, month - 1, day, hour, minute);
    const check = new Date(ms);
    // Reject 2026-13-45 and friends instead of letting Date roll them over.
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
      return undefined;
    }
    return ms;
  }
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
