/**
 * THE date and time formatter of both Custom UIs (pure: unit-tested in node). Every date a user
 * reads goes through here, so it shows in one format: the browser's locale, via Intl.DateTimeFormat
 * (`locale` undefined = the user's locale; tests pass one explicitly).
 */

/** `YYYY-MM-DD`, a calendar date without a time (e.g. the Xray API key's expiry date). */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** One cached Intl.DateTimeFormat per locale and style. */
function formatter(kind: 'dateTime' | 'date', locale: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${locale ?? ''}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format =
      kind === 'dateTime'
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
        : // A calendar date is the same day everywhere: formatted in UTC, where it was parsed.
          new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** "25 Nov 2025, 09:02" / "Nov 25, 2025, 9:02 AM" in the user’s locale; the raw value if it is not a date. */
export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter('dateTime', locale).format(date);
}

/**
 * A calendar date (`2026-11-01`) as "1 Nov 2026" / "Nov 1, 2026" in the user’s locale — the same
 * date part formatDateTime shows; the raw value if it is not a real date.
 */
export function formatDate(isoDate: string, locale?: string): string {
  const match = CALENDAR_DATE.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== isoDate) return isoDate;
  return formatter('date', locale).format(date);
}

/**
 * Text from the backend with its calendar dates (`2026-11-01`, written language-neutral) shown in
 * the user's locale: "The key expires in 9 days (2026-11-01)" → "… (Nov 1, 2026)". Timestamps
 * (`2026-11-01T…`) and longer digit runs are left alone.
 */
export function formatDatesIn(text: string, locale?: string): string {
  return text.replace(/(?<![\d-])\d{4}-\d{2}-\d{2}(?![\dT:-])/g, (found) => formatDate(found, locale));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * How long ago `iso` was, relative to `now`: "just now", "5 minutes ago", "yesterday", "3 weeks ago".
 * Anything under 45 seconds — including a little into the future, from clock skew between the
 * backend and the browser — is "just now". (English words, like the rest of the UI's text.)
 */
export function formatRelativeTime(iso: string, now: Date = new Date(), locale = 'en'): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  // The largest unit we are at least ~90% of the way to (so 55 minutes reads "1 hour ago").
  const [unit, size] = UNITS.find(([, length]) => Math.abs(seconds) >= length * 0.9) ?? ['minute', 60];
  const count = Math.max(1, Math.round(Math.abs(seconds) / size));
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.sign(seconds) * count, unit);
}
