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
import type { AppError } from '../../../../src/errors';
import { MemorySecretStore } from '../../../harness/local-platform';
import type { ServedSimulator } from '../../../harness/sim-kit';
import { describeWithContracts } from '../../../harness/contracts';
import { FIX, fixture, type Fixture } from '../../../harness/xray-sim/fixtures';

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

  it('retries 503 and reports RATE_LIMITED when Xray keeps answering 429', async () => {
    fx.sim.failNext({ path: /authenticate/, status: 503 });
    await client().token();
    expect(calls.filter((c) => c.endsWith('/authenticate'))).toHaveLength(2);

    clearXrayTokenCache();
    fx.sim.faults.add({ path: /authenticate/, status: 429, count: 3, body: { error: 'Too many requests' } });
    expect((await failureOf(client().token())).code).toBe('RATE_LIMITED');
  });
});
