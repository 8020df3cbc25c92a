/**
 * The connection check through the real saveSettings resolver against the simulators: a key-expiry
 * date in the past keeps the project Connected while Xray still authenticates the key, and says so.
 */
import type {
  ConnectionReport,
  ResolverResult,
  SaveSettingsInput,
  SaveSettingsResult,
} from '../../../src/api';
import { describeWithContracts } from '../../harness/contracts';
import { secretScan } from '../../harness/secret-scan';
import { createWorld, DEMO, type World } from '../../harness/world';

function input(overrides: Partial<SaveSettingsInput> = {}): SaveSettingsInput {
  return {
    xray: { clientId: DEMO.xrayClientId, region: 'global', tier: 'standard' },
    sqai: { endpoint: DEMO.sqaiEndpoint },
    sync: { enabled: true, requirementIssueTypes: [], includeRemoteLinks: true, includeTestRuns: true },
    secrets: { xrayClientSecret: DEMO.xrayClientSecret, sqaiToken: DEMO.sqaiToken },
    ...overrides,
  };
}

function reportOf(result: ResolverResult<SaveSettingsResult>): ConnectionReport {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data.report;
}

const checkOf = (report: ConnectionReport, name: string) => report.checks.find((c) => c.check === name);

describeWithContracts('connection check: key expiry judged with what Xray said', () => {
  let world: World;
  beforeEach(() => {
    world = createWorld();
    secretScan.addSecret('Xray client secret', 'expired-key-secret');
  });

  it('a past expiry date with every other check passing stays Connected and says the key still authenticates', async () => {
    const report = reportOf(
      await world.invoke<SaveSettingsResult>('saveSettings', input({ keyExpiresOn: '2020-01-01' })),
    );
    expect(report.ok).toBe(true);
    expect(checkOf(report, 'xray')?.status).toBe('pass');
    expect(checkOf(report, 'keyExpiry')).toMatchObject({
      status: 'warn',
      error: {
        code: 'KEY_EXPIRED',
        message:
          'The expiry date you entered, 2020-01-01, has passed; the Xray API key still authenticates today — replace it before Xray stops accepting it.',
      },
    });
  });

  it('a past expiry date with Xray refusing the key fails the expiry check too', async () => {
    const report = reportOf(
      await world.invoke<SaveSettingsResult>(
        'saveSettings',
        input({
          keyExpiresOn: '2020-01-01',
          secrets: { xrayClientSecret: 'expired-key-secret', sqaiToken: DEMO.sqaiToken },
        }),
      ),
    );
    expect(report.ok).toBe(false);
    expect(checkOf(report, 'xray')?.error?.code).toBe('XRAY_AUTH_FAILED');
    expect(checkOf(report, 'keyExpiry')).toMatchObject({ status: 'fail', error: { code: 'KEY_EXPIRED' } });
  });
});
