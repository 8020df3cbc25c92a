/** Relative times that stay current while the page is open ("just now" becomes "1 minute ago"). */
import { useEffect, useState } from 'react';
import { formatDateTime, formatRelativeTime } from './datetime';

/** The current time, re-read every `intervalMs` (30 s by default). */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "5 minutes ago", with the exact local time as its tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelativeTime(iso, now)}
    </time>
  );
}
