import type { CheckResult } from '../../../src/api';
import {
  checkKeyExpiry,
  daysUntil,
  keyReminderOf,
  xrayKeyStateOf,
} from '../../../src/config/connection-check';

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

  it('passes when more than 14 days remain, naming the Xray API key', () => {
    expect(checkKeyExpiry('2026-12-09', now)).toMatchObject({
      status: 'pass',
      detail: 'The Xray API key is valid until 2026-12-09 (15 days).',
    });
  });

  it('warns with KEY_EXPIRING within 14 days, including the last day', () => {
    expect(checkKeyExpiry('2026-12-08', now)).toMatchObject({
      status: 'warn',
      error: { code: 'KEY_EXPIRING' },
    });
    expect(checkKeyExpiry('2026-11-24', now).error?.message).toContain('expires today');
  });

  it('a passed date while Xray still authenticates the key is a warning that says so, not a failure', () => {
    const outcome = checkKeyExpiry('2026-11-23', now, 'accepted');
    expect(outcome.status).toBe('warn');
    expect(outcome.error?.code).toBe('KEY_EXPIRED');
    expect(outcome.error?.message).toBe(
      'The expiry date you entered, 2026-11-23, has passed; the Xray API key still authenticates today — replace it before Xray stops accepting it.',
    );
    // Nothing claims that syncing fails or that the key is expired.
    expect(outcome.detail).not.toMatch(/fail|Token Expired|expired on/i);
  });

  it('a passed date fails the check only when Xray refused the key', () => {
    const outcome = checkKeyExpiry('2026-11-23', now, 'refused');
    expect(outcome).toMatchObject({ status: 'fail', error: { code: 'KEY_EXPIRED' } });
    expect(outcome.detail).toContain('Xray refused the Xray API key');
  });

  it('a passed date with the Xray answer unknown warns without guessing', () => {
    const outcome = checkKeyExpiry('2026-11-23', now);
    expect(outcome.status).toBe('warn');
    expect(outcome.detail).toContain('was not checked');
  });

  it('reads the key state from the Xray check', () => {
    const xray = (
      status: CheckResult['status'],
      code?: 'XRAY_AUTH_FAILED' | 'XRAY_API_ERROR',
    ): CheckResult => ({
      check: 'xray',
      label: 'Xray API',
      status,
      detail: '',
      durationMs: 1,
      ...(code ? { error: { code, message: 'm', remedy: 'r' } } : {}),
    });
    expect(xrayKeyStateOf(xray('pass'))).toBe('accepted');
    expect(xrayKeyStateOf(xray('fail', 'XRAY_AUTH_FAILED'))).toBe('refused');
    expect(xrayKeyStateOf(xray('fail', 'XRAY_API_ERROR'))).toBe('unknown');
    expect(xrayKeyStateOf(undefined)).toBe('unknown');
  });

  it('the reminder: none far ahead, expiring within 14 days, expired once the date passed', () => {
    expect(keyReminderOf({ keyExpiresOn: '2026-12-09' }, now)).toBeUndefined();
    expect(keyReminderOf({}, now)).toBeUndefined();
    expect(keyReminderOf({ keyExpiresOn: '2026-12-08' }, now)).toEqual({
      status: 'expiring',
      expiresOn: '2026-12-08',
      days: 14,
    });
    expect(keyReminderOf({ keyExpiresOn: '2026-11-20' }, now)).toEqual({
      status: 'expired',
      expiresOn: '2026-11-20',
      days: -4,
    });
  });
});
