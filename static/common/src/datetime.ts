/** Date and time formatting shared by the Custom UIs (pure: unit-tested in node). */

/** "25 Nov 2025, 09:02" in the user’s locale; the raw value if it is not a date. */
export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
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
 * backend and the browser — is "just now".
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
