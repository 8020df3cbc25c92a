import type { CheckResult, ConnectionReport } from '../../../src/api';
import {
  connectionStatusOf,
  egressRequestFor,
  hostNeedingApproval,
  STATUS_TEXT,
} from '../../../static/settings/src/connection';

const check = (overrides: Partial<CheckResult>): CheckResult => ({
  check: 'sqai',
  label: 'SQAI endpoint',
  status: 'pass',
  detail: 'ok',
  durationMs: 1,
  ...overrides,
});
const report = (ok: boolean, checks: CheckResult[] = []): ConnectionReport => ({
  ok,
  checkedAt: '2026-01-01T00:00:00.000Z',
  checks,
});

describe('connectionStatusOf', () => {
  it('names the states the page shows', () => {
    expect(STATUS_TEXT[connectionStatusOf(true, report(true), false)]).toBe('Connected');
    expect(STATUS_TEXT[connectionStatusOf(true, report(false), false)]).toBe('Not connected');
    expect(STATUS_TEXT[connectionStatusOf(false, null, false)]).toBe('Not configured');
    expect(STATUS_TEXT[connectionStatusOf(true, report(true), true)]).toBe('Checking…');
    expect(connectionStatusOf(true, null, false)).toBe('not-checked');
  });
});

describe('hostNeedingApproval', () => {
  const egressFailure = check({
    status: 'fail',
    error: {
      code: 'EGRESS_NOT_ALLOWED',
      message: 'Host Not Approved',
      remedy: 'approve',
      host: 'sqai.example.org',
    },
  });
  it('takes the host from a failed SQAI check first', () => {
    expect(
      hostNeedingApproval(report(false, [egressFailure]), { host: 'other.example.org', declared: true }),
    ).toBe('sqai.example.org');
  });
  it('offers an undeclared host until a check reaches SQAI through it', () => {
    const undeclared = { host: 'sqai.example.org', declared: false };
    expect(hostNeedingApproval(null, undeclared)).toBe('sqai.example.org');
    expect(hostNeedingApproval(report(false, [check({ status: 'skipped' })]), undeclared)).toBe(
      'sqai.example.org',
    );
    // Approved by an admin: Forge let the check's fetch through, so nothing is offered again.
    expect(hostNeedingApproval(report(true, [check({})]), undeclared)).toBeUndefined();
    expect(
      hostNeedingApproval(report(true, [check({})]), { host: 'api.sqai-suite.com', declared: true }),
    ).toBeUndefined();
    expect(hostNeedingApproval(null, null)).toBeUndefined();
  });
});

describe('egressRequestFor', () => {
  it('is the payload @forge/bridge permissions.egress.set takes for a backend fetch', () => {
    expect(egressRequestFor('sqai.example.org')).toEqual({
      egresses: [
        {
          key: 'sqai-endpoint',
          description: 'SQAI Suite API endpoint',
          configured: [{ domain: 'sqai.example.org', type: ['FETCH_BACKEND_SIDE'] }],
        },
      ],
    });
  });
});
