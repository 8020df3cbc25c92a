import { checkKeyExpiry, daysUntil } from '../../../src/config/connection-check';

const now = new Date('2026-11-24T23:00:00Z');

describe('key expiry', () => {
  it('counts calendar days in UTC', () => {
    expect(daysUntil('2026-11-25', now)).toBe(1);
    expect(daysUntil('2026-11-24', now)).toBe(0);
    expect(daysUntil('2026-11-23', now)).toBe(-1);
  });

  it('skips when no date is entered', () => {
    expect(checkKeyExpiry(undefined, now).status).toBe('skipped');
  });

  it('passes when more than 14 days remain', () => {
    expect(checkKeyExpiry('2026-12-09', now)).toMatchObject({ status: 'pass' });
  });

  it('warns with KEY_EXPIRING within 14 days, including the last day', () => {
    expect(checkKeyExpiry('2026-12-08', now)).toMatchObject({
      status: 'warn',
      error: { code: 'KEY_EXPIRING' },
    });
    expect(checkKeyExpiry('2026-11-24', now).error?.message).toContain('expires today');
  });

  it('fails with KEY_EXPIRED once the date has passed', () => {
    expect(checkKeyExpiry('2026-11-23', now)).toMatchObject({
      status: 'fail',
      error: { code: 'KEY_EXPIRED' },
    });
  });
});
