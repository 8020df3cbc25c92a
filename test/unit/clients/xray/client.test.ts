/**
 * The app's Xray client over real HTTP against the Xray simulator served on a local port, which
 * answers in Xray's documented shapes: a JSON string token (a JWT with `exp`), 401
 * `{"error":"Authentication failed. Invalid client credentials!"}`, a text/plain licence error,
 * the "another region" 401, GraphQL errors as HTTP 200. The client's requests travel through Node's
 * fetch with the real Xray host names rewritten to the local port (the region goes in a header).
 */
import type { Http } from '../../../../src/platform/ports';
import { clearXrayTokenCache, jwtExpiry, XrayClient } from '../../../../src/clients/xray/client';
import { getXrayProjectSettings } from '../../../../src/clients/xray/project-settings';
import { getRequirementContext } from '../../../../src/clients/xray/requirement-context';
import type { AppError } from '../../../../src/errors';
import { MemorySecretStore } from '../../../harness/local-platform';
import type { ServedSimulator } from '../../../harness/sim-kit';
import { describeWithContracts } from '../../../harness/contracts';
import { FIX, fixture, seedCoverage, type Fixture } from '../../../harness/xray-sim/fixtures';

function httpTo(served: ServedSimulator, calls: string[]): Http {
  return {
    async fetch(url, init) {
      const target = new URL(url);
      const region = /^(us|eu|au)\./.exec(target.hostname)?.[1] ?? 'global';
      calls.push(`${init.method ?? 'GET'} ${target.hostname}${target.pathname}`);
      return fetch(`${served.url}${target.pathname}`, {
        method: init.method ?? 'GET',
        headers: { ...init.headers, 'x-sim-region': region },
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    },
  };
}

describeWithContracts('XrayClient against Xray over HTTP', () => {
  let fx: Fixture;
  let served: ServedSimulator;
  let calls: string[];
  let http: Http;

  beforeEach(async () => {
    clearXrayTokenCache();
    fx = fixture();
    served = await fx.sim.serve();
    calls = [];
    http = httpTo(served, calls);
  });

  afterEach(async () => {
    await served.close();
  });

  const client = (
    overrides: { clientSecret?: string; region?: 'global' | 'eu' } = {},
    secrets = new MemorySecretStore(),
  ) =>
    new XrayClient(
      { http, now: fx.clock.now, tokenStore: { secrets, key: 'secret:10000:xray-token' } },
      {
        clientId: FIX.clientId,
        clientSecret: overrides.clientSecret ?? FIX.clientSecret,
        region: overrides.region ?? 'global',
      },
    );

  const failureOf = async (promise: Promise<unknown>): Promise<AppError> => {
    try {
      await promise;
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected a failure');
  };

  it('authenticates once, reads a JWT with exp, and caches the token across clients and invocations', async () => {
    const secrets = new MemorySecretStore();
    const first = client({}, secrets);
    const [a, b] = await Promise.all([first.token(), first.token()]);
    expect(a).toBe(b);
    expect(jwtExpiry(a)).toBeGreaterThan(fx.clock.now().getTime());
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(1);

    // A new invocation (memory cache gone) finds the token in secret storage.
    clearXrayTokenCache();
    await client({}, secrets).token();
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(1);

    // Near expiry it authenticates again.
    fx.clock.advance(24 * 60 * 60 * 1000);
    clearXrayTokenCache();
    await client({}, secrets).token();
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(2);
  });

  it('reads the project settings with one GraphQL call', async () => {
    const settings = await getXrayProjectSettings(client(), FIX.project.id);
    expect(settings?.testTypes.map((type) => `${type.name}:${type.kind}`)).toEqual([
      'Manual:Steps',
      'Cucumber:Gherkin',
      'Generic:Unstructured',
    ]);
    expect(calls).toEqual([
      'POST xray.cloud.getxray.app/api/v2/authenticate',
      'POST xray.cloud.getxray.app/api/v2/graphql',
    ]);
  });

  it('maps Xray’s 401 "Invalid client credentials" to XRAY_AUTH_FAILED', async () => {
    const error = await failureOf(client({ clientSecret: 'wrong-secret' }).token());
    expect(error.code).toBe('XRAY_AUTH_FAILED');
    expect(error.message).not.toContain('wrong-secret');
    // "400 BAD_REQUEST : text/plain : Wrong request syntax" (an empty Client ID) reads the same way.
    const empty = new XrayClient(
      { http, now: fx.clock.now },
      { clientId: '', clientSecret: FIX.clientSecret, region: 'global' },
    );
    expect((await failureOf(empty.token())).code).toBe('XRAY_AUTH_FAILED');
  });

  it('maps the text/plain licence refusal to XRAY_LICENSE_INVALID', async () => {
    fx.sim.setLicensed(FIX.cloudId, false);
    expect((await failureOf(client().token())).code).toBe('XRAY_LICENSE_INVALID');
  });

  it('maps "Xray data is in another region" to XRAY_WRONG_REGION', async () => {
    fx.sim.setRegion(FIX.cloudId, 'eu');
    expect((await failureOf(getXrayProjectSettings(client(), FIX.project.id))).code).toBe(
      'XRAY_WRONG_REGION',
    );
    const settings = await getXrayProjectSettings(client({ region: 'eu' }), FIX.project.id);
    expect(settings?.projectId).toBe(FIX.project.id);
    expect(calls.at(-1)).toBe('POST eu.xray.cloud.getxray.app/api/v2/graphql');
  });

  it('re-authenticates once when Xray answers 401 to a cached token, and only once', async () => {
    const xray = client();
    await getXrayProjectSettings(xray, FIX.project.id);
    fx.sim.failNext({
      path: /graphql/,
      status: 401,
      body: { error: 'Authentication failed. The token has expired.' },
    });
    await getXrayProjectSettings(xray, FIX.project.id);
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(2);

    fx.sim.faults.add({ path: /graphql/, status: 401, body: { error: 'Unauthorized' }, count: 5 });
    expect((await failureOf(getXrayProjectSettings(xray, FIX.project.id))).code).toBe('XRAY_AUTH_FAILED');
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(3);
  });

  it('a token Xray revoked before its exp: concurrent requests share ONE re-authentication', async () => {
    const secrets = new MemorySecretStore();
    const xray = client({}, secrets);
    await getXrayProjectSettings(xray, FIX.project.id);
    const authenticates = () => calls.filter((c) => c.endsWith('/authenticate')).length;
    expect(authenticates()).toBe(1);

    // Xray: "Occasionally, your authentication token may be revoked". The cached token is still
    // valid by its exp, so only Xray's 401 tells the client.
    fx.sim.revokeTokens(FIX.cloudId);
    const settings = await Promise.all([1, 2, 3, 4].map(() => getXrayProjectSettings(xray, FIX.project.id)));
    expect(settings.map((s) => s?.projectId)).toEqual([
      FIX.project.id,
      FIX.project.id,
      FIX.project.id,
      FIX.project.id,
    ]);
    expect(authenticates()).toBe(2);
    expect(fx.sim.requests.filter((r) => r.status === 401)).toHaveLength(4);

    // The stored token is the new one: the next invocation does not authenticate again.
    clearXrayTokenCache();
    await getXrayProjectSettings(client({}, secrets), FIX.project.id);
    expect(authenticates()).toBe(2);
  });

  it('a token Xray says has expired (clocks apart): one re-authentication, then the call succeeds', async () => {
    const xray = client();
    await getXrayProjectSettings(xray, FIX.project.id);
    // Xray's clock is a full day ahead of the app's: the app still trusts its cached token.
    const appNow = fx.clock.now().getTime();
    const appClock = () => new Date(appNow);
    const skewed = new XrayClient(
      { http, now: appClock },
      { clientId: FIX.clientId, clientSecret: FIX.clientSecret, region: 'global' },
    );
    fx.clock.advance(24 * 60 * 60 * 1000);
    const settings = await getXrayProjectSettings(skewed, FIX.project.id);
    expect(settings?.projectId).toBe(FIX.project.id);
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(2);
  });

  it('carries Xray’s own message for a GraphQL error answered with HTTP 200', async () => {
    fx.sim.failNext({
      path: /graphql/,
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ errors: [{ message: 'Xray is not enabled for project 10000' }] }),
    });
    const error = await failureOf(getXrayProjectSettings(client(), FIX.project.id));
    expect(error.code).toBe('XRAY_API_ERROR');
    expect(error.message).toContain('Xray is not enabled for project 10000');
  });

  it('an answer with errors AND partial data is refused, never read as complete', async () => {
    const seed = seedCoverage(fx.store, fx.clock);
    const options = { projectId: FIX.project.id, includeRuns: true };
    expect((await getRequirementContext(client(), seed.requirement.id, options)).tests).toHaveLength(3);

    // A real partial answer of the simulator (graphql-js, as Xray answers): getProjectSettings fails
    // (unknown project), getCoverableIssue is there. Read as complete, the requirement would look
    // like one of a project without Xray settings.
    const partial = await failureOf(
      getRequirementContext(client(), seed.requirement.id, { ...options, projectId: '99999' }),
    );
    expect(partial.code).toBe('XRAY_API_ERROR');
    expect(partial.message).toContain('Project "99999" was not found.');
    expect(partial.message).toContain('getProjectSettings');

    // A field deep in the tree failed: its list is null, the rest is data. Read as complete, the
    // requirement would have no tests.
    fx.sim.failNext({
      path: /graphql/,
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        data: {
          getProjectSettings: { testTypeSettings: { testTypes: [] }, testCoverageSettings: null },
          getCoverableIssue: { issueId: seed.requirement.id, status: { name: 'OK' }, tests: null },
        },
        errors: [{ message: 'Internal error', path: ['getCoverableIssue', 'tests'] }],
      }),
    });
    const deep = await failureOf(getRequirementContext(client(), seed.requirement.id, options));
    expect(deep.code).toBe('XRAY_API_ERROR');
    expect(deep.message).toContain('getCoverableIssue.tests');

    // The same for a root field answered null with an error: not "Xray has no settings here".
    fx.sim.failNext({
      path: /graphql/,
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        data: { getProjectSettings: null },
        errors: [{ message: 'Timeout', path: ['getProjectSettings'] }],
      }),
    });
    expect((await failureOf(getXrayProjectSettings(client(), FIX.project.id))).code).toBe('XRAY_API_ERROR');

    // Errors without a readable message are errors all the same.
    for (const errors of [
      [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      ['Timeout'],
      { message: 'x' },
    ]) {
      fx.sim.failNext({
        path: /graphql/,
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ data: { getProjectSettings: null }, errors }),
      });
      expect((await failureOf(getXrayProjectSettings(client(), FIX.project.id))).code).toBe('XRAY_API_ERROR');
    }
  });

  it('a test with several versions: the context carries the DEFAULT version’s definition', async () => {
    const seed = seedCoverage(fx.store, fx.clock);
    fx.store.addTestVersion(seed.manual.id, {
      name: 'v2 (draft)',
      steps: [{ action: 'Draft step nobody runs yet' }],
    });
    const options = { projectId: FIX.project.id, includeRuns: true };
    const stepsOf = async () =>
      (await getRequirementContext(client(), seed.requirement.id, options)).tests
        .find((test) => test.issueId === seed.manual.id)
        ?.steps?.map((step) => step?.action);
    // A non-default version is not what Xray runs: the context keeps v1.
    expect(await stepsOf()).toEqual(['Open the login page', 'Click "Sign in with SSO"']);
    fx.store.setDefaultTestVersion(seed.manual.id, 2);
    expect(await stepsOf()).toEqual(['Draft step nobody runs yet']);
  });

  it('retries 503 and reports RATE_LIMITED when Xray keeps answering 429', async () => {
    fx.sim.failNext({ path: /authenticate/, status: 503 });
    await client().token();
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(2);

    clearXrayTokenCache();
    fx.sim.faults.add({ path: /authenticate/, status: 429, count: 3, body: { error: 'Too many requests' } });
    expect((await failureOf(client().token())).code).toBe('RATE_LIMITED');
  });
});
