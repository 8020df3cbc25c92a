import { formatDateTime, formatRelativeTime } from '../../../static/common/src/datetime';

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
