import { isWorthRetrying, MAX_CONSUMER_RETRIES, retryFor } from '../../../src/consumers/retry-policy';
import { AppError } from '../../../src/errors';
import { MAX_RETRY_AFTER_S } from '../../../src/platform/limits';

describe('queue consumer retry policy', () => {
  it.each(['RATE_LIMITED', 'SQAI_UNREACHABLE', 'JIRA_UNAVAILABLE', 'INTERNAL'] as const)(
    'retries %s: another delivery may get past it',
    (code) => {
      expect(isWorthRetrying(new AppError(code))).toBe(true);
      expect(retryFor(new AppError(code), 0)).toEqual({
        afterSeconds: 30,
        reason: code === 'RATE_LIMITED' ? 'rate-limited' : 'retry',
      });
    },
  );

  it.each(['VALIDATION', 'FORBIDDEN', 'XRAY_AUTH_FAILED', 'SQAI_UNAUTHORIZED', 'NOT_CONFIGURED'] as const)(
    'does not retry %s: the same delivery would fail the same way',
    (code) => {
      expect(isWorthRetrying(new AppError(code))).toBe(false);
      expect(retryFor(new AppError(code), 0)).toBeUndefined();
    },
  );

  it('retries an unexpected exception, doubling from 30 s, capped, and stops after the last retry', () => {
    const crash = new TypeError('boom');
    expect(retryFor(crash, 1)?.afterSeconds).toBe(60);
    expect(retryFor(crash, 2)?.afterSeconds).toBe(120);
    expect(retryFor(crash, MAX_CONSUMER_RETRIES - 1)?.afterSeconds).toBeLessThanOrEqual(MAX_RETRY_AFTER_S);
    expect(retryFor(crash, MAX_CONSUMER_RETRIES)).toBeUndefined();
  });

  it("honours the upstream's Retry-After", () => {
    const limited = new AppError('RATE_LIMITED', { retryAfterMs: 12_500 });
    expect(retryFor(limited, 0)).toEqual({ afterSeconds: 13, reason: 'rate-limited' });
  });
});
