import {
  AppError,
  defaultWording,
  hasCode,
  toErrorDto,
  wrongRegionError,
  withPurpose,
} from '../../src/errors';
import type { ErrorCode } from '../../src/api';

const ALL_CODES: ErrorCode[] = [
  'JIRA_UNAUTHORIZED',
  'PROJECT_NOT_FOUND',
  'ISSUE_NOT_FOUND',
  'XRAY_AUTH_FAILED',
  'XRAY_LICENSE_INVALID',
  'XRAY_WRONG_REGION',
  'XRAY_API_ERROR',
  'KEY_EXPIRED',
  'KEY_EXPIRING',
  'SQAI_UNREACHABLE',
  'SQAI_UNAUTHORIZED',
  'SQAI_REJECTED',
  'EGRESS_NOT_ALLOWED',
  'NOT_CONFIGURED',
  'RATE_LIMITED',
  'VALIDATION',
  'FORBIDDEN',
  'INTERNAL',
];

describe('error taxonomy', () => {
  it.each(ALL_CODES)('%s has a message, a remedy and a status', (code) => {
    const wording = defaultWording(code);
    expect(wording.message.length).toBeGreaterThan(10);
    expect(wording.remedy.length).toBeGreaterThan(10);
    expect(wording.status).toBeGreaterThanOrEqual(200);
  });

  it('uses the integration guide wording for the troubleshooting table', () => {
    expect(defaultWording('JIRA_UNAUTHORIZED').message).toMatch(/^Jira Unauthorized/);
    expect(defaultWording('PROJECT_NOT_FOUND').message).toMatch(/^Cannot Find Project/);
    expect(defaultWording('XRAY_AUTH_FAILED').message).toMatch(/^Xray API Error/);
    expect(defaultWording('KEY_EXPIRED').message).toMatch(/^Token Expired/);
  });

  it('maps unknown errors to INTERNAL without leaking their text', () => {
    const dto = toErrorDto(new Error('db password=hunter2 exploded'));
    expect(dto).toEqual({
      code: 'INTERNAL',
      message: defaultWording('INTERNAL').message,
      remedy: defaultWording('INTERNAL').remedy,
    });
  });

  it('never exposes the cause of an AppError', () => {
    const dto = toErrorDto(new AppError('XRAY_AUTH_FAILED', { cause: 'client_secret=abc' }));
    expect(JSON.stringify(dto)).not.toContain('abc');
  });

  it('names the working region for XRAY_WRONG_REGION', () => {
    const dto = toErrorDto(wrongRegionError('eu'));
    expect(dto.code).toBe('XRAY_WRONG_REGION');
    expect(dto.suggestedRegion).toBe('eu');
    expect(dto.message).toContain('European Union');
  });

  it('prefixes purposes and offers predicates', () => {
    const error = withPurpose('PROJECT_NOT_FOUND', 'Failed to read project DEMO');
    expect(error.message).toMatch(/^Failed to read project DEMO: Cannot Find Project/);
    expect(hasCode(error, 'PROJECT_NOT_FOUND', 'FORBIDDEN')).toBe(true);
    expect(hasCode(new Error('x'), 'INTERNAL')).toBe(false);
  });
});
