/**
 * The settings resolvers through the REAL resolver handler (src/index.ts → @forge/resolver
 * getDefinitions), with the Forge context built as Forge builds it, against the simulators.
 */
import type {
  ConnectionReport,
  ResolverResult,
  SaveSettingsInput,
  SaveSettingsResult,
  SettingsView,
} from '../../../src/api';
import { storedSettingsSchema, type SecretSlots } from '../../../src/config/schema';
import { keys } from '../../../src/config/settings-store';
import { describeWithContracts } from '../../harness/contracts';
import { cutOffAfterWrites } from '../../harness/cut-off';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';
import { secretScan } from '../../harness/secret-scan';

function input(overrides: Partial<SaveSettingsInput> = {}): SaveSettingsInput {
  return {
    xray: { clientId: DEMO.xrayClientId, region: 'global', tier: 'standard' },
    sqai: { endpoint: DEMO.sqaiEndpoint },
    sync: { enabled: true, requirementIssueTypes: [], includeRemoteLinks: true, includeTestRuns: true },
    secrets: { xrayClientSecret: DEMO.xrayClientSecret, sqaiToken: DEMO.sqaiToken },
    ...overrides,
  };
}

function data<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data;
}

function failure<T>(result: ResolverResult<T>) {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

const checkOf = (report: ConnectionReport, name: string) => {
  const check = report.checks.find((c) => c.check === name);
  if (!check) throw new Error(`no ${name} check`);
  return check;
};

/** The secret slots the stored settings record names. */
function storedSlots(world: World): SecretSlots {
  const record = storedSettingsSchema.parse(world.platform.kvs.data.get(keys.settings(DEMO.project.id)));
  if (!record.secretSlots) throw new Error('the settings record names no secret slots');
  return record.secretSlots;
}

function storeSnapshot(world: World) {
  return JSON.stringify([[...world.platform.kvs.data.entries()], [...world.platform.secrets.data.entries()]]);
}

describeWithContracts('settings resolvers', () => {
  let world: World;

  beforeEach(() => {
    world = createWorld();
    // Typed into a save but refused, so never stored: the suite-wide scan looks for it too.
    secretScan.addSecret('Xray client secret', 'wrong-secret-value');
  });

  afterEach(() => expectWorldWithinContracts(world));

  describe('authorization', () => {
    it('a project admin reads an unconfigured project', async () => {
      const view = data(await world.invoke<SettingsView>('getSettings', {}));
      expect(view).toMatchObject({
        project: DEMO.project,
        settings: null,
        secrets: { xrayClientSecret: 'unset', sqaiToken: 'unset' },
        lastCheck: null,
      });
    });

    it.each(['getSettings', 'saveSettings', 'testConnection', 'disconnect'])(
      'a plain user gets FORBIDDEN from %s and nothing is read or written',
      async (name) => {
        data(await world.invoke('saveSettings', input()));
        const before = storeSnapshot(world);
        const error = failure(await world.invoke(name, name === 'saveSettings' ? input() : {}, DEMO.user));
        expect(error.code).toBe('FORBIDDEN');
        expect(storeSnapshot(world)).toBe(before);
      },
    );

    it('an admin of another project cannot touch this one, whatever the payload says', async () => {
      const error = failure(
        await world.invoke('saveSettings', { ...input(), projectId: DEMO.otherProject.id }, DEMO.otherAdmin),
      );
      expect(error.code).toBe('FORBIDDEN');
      expect(world.platform.kvs.data.size).toBe(0);
    });

    it('the project comes from the Forge context, never from the payload', async () => {
      const error = failure(
        await world.invoke('saveSettings', { ...input(), projectId: DEMO.otherProject.id }),
      );
      expect(error).toMatchObject({
        code: 'VALIDATION',
        fieldErrors: { _form: 'Unknown field(s): projectId' },
      });
      data(await world.invoke('saveSettings', input()));
      expect(world.platform.kvs.data.has(keys.settings(DEMO.project.id))).toBe(true);
      expect(world.platform.kvs.data.has(keys.settings(DEMO.otherProject.id))).toBe(false);
    });

    it('an invocation without a user (anonymous) is FORBIDDEN', async () => {
      const error = failure(await world.invoke('getSettings', {}, ''));
      expect(error.code).toBe('FORBIDDEN');
    });
  });

  describe('saving', () => {
    it('validates, stores secrets apart, and reports a green connection', async () => {
      const result = data(
        await world.invoke<SaveSettingsResult>('saveSettings', input({ keyExpiresOn: '2099-01-31' })),
      );
      expect(result.report.ok).toBe(true);
      expect(result.report.checks.map((c) => [c.check, c.status])).toEqual([
        ['jira', 'pass'],
        ['xray', 'pass'],
        ['sqai', 'pass'],
        ['keyExpiry', 'pass'],
      ]);
      expect(result.view.secrets).toEqual({ xrayClientSecret: 'set', sqaiToken: 'set' });
      expect(result.view.settings?.sqai.endpoint).toBe(DEMO.sqaiEndpoint);
      // The first save fills the spare slots (b) and the settings record names them; slot a is empty.
      const slots = storedSlots(world);
      expect(slots).toEqual({ xray: 'b', sqai: 'b' });
      expect(world.platform.secrets.data.get(keys.xraySecret(DEMO.project.id, 'b'))).toBe(
        DEMO.xrayClientSecret,
      );
      expect(
        JSON.parse(world.platform.secrets.data.get(keys.sqaiSecret(DEMO.project.id, 'b')) ?? '{}'),
      ).toEqual({ token: DEMO.sqaiToken, origin: new URL(DEMO.sqaiEndpoint).origin });
      expect(world.platform.secrets.data.has(keys.xraySecret(DEMO.project.id, 'a'))).toBe(false);
      world.sqai.addToken('rotated-token-value');
      // A new token flips its slot and removes the old copy; the kept secret stays where it was.
      data(await world.invoke('saveSettings', input({ secrets: { sqaiToken: 'rotated-token-value' } })));
      expect(storedSlots(world)).toEqual({ xray: 'b', sqai: 'a' });
      expect(world.platform.secrets.data.has(keys.sqaiSecret(DEMO.project.id, 'b'))).toBe(false);
      expect(
        [...world.platform.secrets.data.values()].filter((value) => value.includes('rotated-token-value')),
      ).toHaveLength(1);
      expect(JSON.stringify([...world.platform.kvs.data.values()])).not.toContain(DEMO.xrayClientSecret);
      const view = data(await world.invoke<SettingsView>('getSettings', {}));
      expect(view.lastCheck?.ok).toBe(true);
      expect(view.updatedBy).toBe(DEMO.admin);
    });

    it('shows field-level errors and stores nothing for a bad payload', async () => {
      const error = failure(
        await world.invoke('saveSettings', {
          ...input(),
          xray: { clientId: ' ', region: 'mars', tier: 'standard' },
          sqai: { endpoint: 'http://localhost:8080' },
        }),
      );
      expect(error.code).toBe('VALIDATION');
      expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual([
        'sqai.endpoint',
        'xray.clientId',
        'xray.region',
      ]);
      expect(world.platform.kvs.data.size).toBe(0);
      expect(world.platform.secrets.data.size).toBe(0);
    });

    it('requires the secrets on first save, keeps them when left empty later', async () => {
      const first = failure(await world.invoke('saveSettings', input({ secrets: {} })));
      expect(first.fieldErrors).toEqual({
        'secrets.xrayClientSecret': 'Enter the Xray Client Secret.',
        'secrets.sqaiToken': 'Enter the SQAI API token.',
      });
      data(await world.invoke('saveSettings', input()));
      const again = data(
        await world.invoke<SaveSettingsResult>(
          'saveSettings',
          input({ secrets: { xrayClientSecret: '', sqaiToken: '' } }),
        ),
      );
      expect(again.report.ok).toBe(true);
      expect(world.platform.secrets.data.get(keys.xraySecret(DEMO.project.id, storedSlots(world).xray))).toBe(
        DEMO.xrayClientSecret,
      );
    });

    it('a new SQAI host needs the token again: a saved token never goes to another host', async () => {
      data(await world.invoke('saveSettings', input()));
      const before = storeSnapshot(world);
      const requestsBefore = world.sqai.log.entries.length;
      const moved = failure(
        await world.invoke(
          'saveSettings',
          input({ sqai: { endpoint: 'https://sqai.example.com' }, secrets: { xrayClientSecret: '' } }),
        ),
      );
      expect(moved.code).toBe('VALIDATION');
      expect(moved.fieldErrors?.['secrets.sqaiToken']).toMatch(/again for the new endpoint/);
      expect(storeSnapshot(world)).toBe(before);
      expect(world.sqai.log.entries.length).toBe(requestsBefore);
      // Another path on the same host keeps the token; a new host with a token entered is fine.
      data(
        await world.invoke(
          'saveSettings',
          input({ sqai: { endpoint: `${DEMO.sqaiEndpoint}/tenant/acme` }, secrets: {} }),
        ),
      );
      data(await world.invoke('saveSettings', input({ sqai: { endpoint: 'https://sqai.example.com' } })));
    });

    // Forge ends a resolver at 25 s wherever it is (issue 12 item 8). Cut off after each possible
    // number of writes, a save leaves either the old configuration or the new one, whole: the
    // connection check passes, a push works, and each SQAI host only ever sees its own token.
    it('a save cut off after any write leaves the old configuration or the new one, never a mix', async () => {
      const tokenB = 'sqai-token-for-the-new-host-0123456789';
      const outcomes: string[] = [];
      for (let writes = 0; ; writes += 1) {
        const w = createWorld();
        w.sqai.addToken(tokenB);
        w.platform.egress.approve('sqai.example.com');
        data(await w.invoke('saveSettings', input()));
        await w.platform.queue.drain();
        const sent: { host: string; token: string | undefined }[] = [];
        const fetch = w.platform.http.fetch.bind(w.platform.http);
        w.platform.http.fetch = (url, init) => {
          const auth = init.headers?.Authorization ?? init.headers?.authorization;
          sent.push({ host: new URL(url).host, token: auth?.replace(/^Bearer /, '') });
          return fetch(url, init);
        };
        const cutOff = cutOffAfterWrites(w.platform, writes);
        const saved = await w.invoke<SaveSettingsResult>(
          'saveSettings',
          input({
            sqai: { endpoint: 'https://sqai.example.com' },
            sync: {
              enabled: true,
              requirementIssueTypes: [],
              includeRemoteLinks: false,
              includeTestRuns: true,
            },
            secrets: { xrayClientSecret: DEMO.xrayClientSecret, sqaiToken: tokenB },
          }),
        );
        cutOff.restore();
        const settings = data(await w.invoke<SettingsView>('getSettings', {})).settings;
        const isNew = settings?.sqai.endpoint === 'https://sqai.example.com';
        outcomes.push(isNew ? 'new' : 'old');
        // Whole: the other settings changed together with the endpoint.
        expect(settings?.sync.includeRemoteLinks).toBe(!isNew);
        expect(data(await w.invoke<ConnectionReport>('testConnection', {})).ok).toBe(true);
        data(await w.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
        const sqaiCalls = sent.filter((call) => call.token !== undefined && !call.host.includes('xray'));
        expect(sqaiCalls.length).toBeGreaterThan(0);
        for (const call of sqaiCalls) {
          expect(call.token).toBe(call.host === 'sqai.example.com' ? tokenB : DEMO.sqaiToken);
        }
        if (!cutOff.cut) {
          expect(saved.ok).toBe(true);
          break;
        }
        if (writes > 40) throw new Error('the save never finished within 40 writes');
      }
      // Both sides of the switch were cut into.
      expect(outcomes).toContain('old');
      expect(outcomes.filter((outcome) => outcome === 'new').length).toBeGreaterThan(1);
    }, 60_000);

    it('disconnect removes settings, secrets, report and cached token', async () => {
      data(await world.invoke('saveSettings', input()));
      expect(world.platform.secrets.data.has(keys.xrayToken(DEMO.project.id))).toBe(true);
      const view = data(await world.invoke<SettingsView>('disconnect', {}));
      expect(view.settings).toBeNull();
      // Only the site's Xray usage ledger stays: request counts of the whole site, no project's data.
      expect([...world.platform.kvs.data.keys()].filter((key) => !key.startsWith('xray-usage:'))).toEqual([]);
      expect(world.platform.secrets.data.size).toBe(0);
    });
  });

  describe('connection check diagnoses', () => {
    it('XRAY_AUTH_FAILED for a wrong Client Secret', async () => {
      const { report } = data(
        await world.invoke<SaveSettingsResult>(
          'saveSettings',
          input({ secrets: { xrayClientSecret: 'wrong-secret-value', sqaiToken: DEMO.sqaiToken } }),
        ),
      );
      expect(report.ok).toBe(false);
      expect(checkOf(report, 'xray')).toMatchObject({ status: 'fail', error: { code: 'XRAY_AUTH_FAILED' } });
      expect(checkOf(report, 'xray').error?.message).toMatch(/^Xray API Error/);
      expect(checkOf(report, 'jira').status).toBe('pass');
      expect(checkOf(report, 'sqai').status).toBe('pass');
    });

    it('XRAY_LICENSE_INVALID when Xray says the license is not valid', async () => {
      world.xray.setLicensed?.(DEMO.cloudId, false);
      const { report } = data(await world.invoke<SaveSettingsResult>('saveSettings', input()));
      expect(checkOf(report, 'xray').error?.code).toBe('XRAY_LICENSE_INVALID');
    });

    it('XRAY_WRONG_REGION names the region that works', async () => {
      world.xray.setRegion?.(DEMO.cloudId, 'eu');
      const { report } = data(await world.invoke<SaveSettingsResult>('saveSettings', input()));
      expect(checkOf(report, 'xray').error).toMatchObject({
        code: 'XRAY_WRONG_REGION',
        suggestedRegion: 'eu',
      });
      const fixed = data(
        await world.invoke<SaveSettingsResult>(
          'saveSettings',
          input({ xray: { clientId: DEMO.xrayClientId, region: 'eu', tier: 'standard' }, secrets: {} }),
        ),
      );
      expect(checkOf(fixed.report, 'xray').status).toBe('pass');
    });

    it('XRAY_API_ERROR carries the message of a GraphQL error', async () => {
      data(await world.invoke('saveSettings', input()));
      world.xray.failNext({
        path: /graphql/,
        status: 200,
        body: JSON.stringify({ errors: [{ message: 'Project 10000 has Xray disabled' }] }),
        contentType: 'application/json',
      });
      const report = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(report, 'xray').error?.code).toBe('XRAY_API_ERROR');
      expect(checkOf(report, 'xray').error?.message).toContain('Project 10000 has Xray disabled');
    });

    it('caches the Xray token and re-authenticates once on 401', async () => {
      data(await world.invoke('saveSettings', input()));
      const authCount = () => world.xray.requests.filter((r) => r.path.endsWith('/authenticate')).length;
      expect(authCount()).toBe(1);
      data(await world.invoke('testConnection', {}));
      expect(authCount()).toBe(1);
      world.xray.failNext({
        path: /graphql/,
        status: 401,
        body: '{"error":"Token expired"}',
        contentType: 'application/json',
      });
      const report = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(report, 'xray').status).toBe('pass');
      expect(authCount()).toBe(2);
    });

    it('PROJECT_NOT_FOUND and JIRA_UNAUTHORIZED from Jira', async () => {
      data(await world.invoke('saveSettings', input()));
      world.jira.failNext({
        path: /\/project\//,
        status: 404,
        body: { errorMessages: ["No project could be found with key '10000'."], errors: {} },
      });
      let report = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(report, 'jira').error?.code).toBe('PROJECT_NOT_FOUND');
      expect(checkOf(report, 'jira').error?.message).toContain('Cannot Find Project');
      world.jira.failNext({
        path: /\/project\//,
        status: 401,
        body: { errorMessages: ['Unauthorized'], errors: {} },
      });
      report = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(report, 'jira').error?.code).toBe('JIRA_UNAUTHORIZED');
    });

    it('SQAI_UNAUTHORIZED, SQAI_REJECTED and SQAI_UNREACHABLE', async () => {
      const { report } = data(
        await world.invoke<SaveSettingsResult>(
          'saveSettings',
          input({ secrets: { xrayClientSecret: DEMO.xrayClientSecret, sqaiToken: 'rotated-token-value' } }),
        ),
      );
      expect(checkOf(report, 'sqai').error?.code).toBe('SQAI_UNAUTHORIZED');

      data(await world.invoke('saveSettings', input()));
      world.sqai.failNext({ path: /health/, status: 404 });
      let again = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(again, 'sqai').error?.code).toBe('SQAI_REJECTED');

      world.sqai.setMode('down');
      again = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(again, 'sqai').error?.code).toBe('SQAI_UNREACHABLE');
    });

    it('EGRESS_NOT_ALLOWED for a host outside the manifest, until an admin approves it', async () => {
      const { report, view } = data(
        await world.invoke<SaveSettingsResult>(
          'saveSettings',
          input({ sqai: { endpoint: 'https://sqai.example.com' } }),
        ),
      );
      expect(checkOf(report, 'sqai').error).toMatchObject({
        code: 'EGRESS_NOT_ALLOWED',
        host: 'sqai.example.com',
      });
      expect(view.sqaiEgress).toEqual({ host: 'sqai.example.com', declared: false });
      world.platform.egress.approve('sqai.example.com');
      // Forge's canFetchFrom still says "not declared" (it reads the manifest only); the proxy lets
      // the fetch through, and the app must trust the fetch, not canFetchFrom.
      expect(world.platform.egress.isDeclared('https://sqai.example.com/v1/health')).toBe(false);
      expect(world.platform.queue.pushed).toHaveLength(0);
      const after = data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(checkOf(after, 'sqai').status).toBe('pass');
      // The save could not connect, so no backfill started; the first passing check starts it, once.
      expect(world.platform.queue.pushed).toHaveLength(1);
      data(await world.invoke<ConnectionReport>('testConnection', {}));
      expect(world.platform.queue.pushed).toHaveLength(1);
      const viewAfter = data(await world.invoke<SettingsView>('getSettings', {}));
      expect(viewAfter.sqaiEgress).toEqual({ host: 'sqai.example.com', declared: false });
      expect(viewAfter.lastCheck?.ok).toBe(true);
    });

    it('a passed expiry date only warns while Xray still authenticates the key; KEY_EXPIRING only warns', async () => {
      const expired = data(
        await world.invoke<SaveSettingsResult>('saveSettings', input({ keyExpiresOn: '2020-01-01' })),
      );
      expect(expired.report.ok).toBe(true);
      expect(checkOf(expired.report, 'keyExpiry')).toMatchObject({
        status: 'warn',
        error: { code: 'KEY_EXPIRED' },
      });
      const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      const expiring = data(
        await world.invoke<SaveSettingsResult>('saveSettings', input({ keyExpiresOn: soon, secrets: {} })),
      );
      expect(expiring.report.ok).toBe(true);
      expect(checkOf(expiring.report, 'keyExpiry')).toMatchObject({
        status: 'warn',
        error: { code: 'KEY_EXPIRING' },
      });
    });

    it('testConnection on an unconfigured project says NOT_CONFIGURED', async () => {
      expect(failure(await world.invoke('testConnection', {})).code).toBe('NOT_CONFIGURED');
    });
  });
});
