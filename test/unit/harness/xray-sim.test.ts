/**
 * The Xray Cloud simulator's HTTP face: authentication, data residency, licence, token expiry,
 * Xray's GraphQL rules, schema validation, the rate budget, faults and serving over real HTTP.
 */
import { describeWithContracts } from '../../harness/contracts';
import { SimulatedNetworkError } from '../../harness/sim-kit';
import { AUTH_MESSAGES, MAX_ITEMS, RULE_MESSAGES, createXraySimulator } from '../../harness/xray-sim';
import {
  at,
  FIX,
  fixture,
  postAuthenticate,
  postGraphql,
  tokenFor,
  type Fixture,
} from '../../harness/xray-sim/fixtures';

const decodeClaims = (token: string): unknown =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

const SETTINGS_QUERY = `query ProjectSettings($projectIdOrKey: String) {
  getProjectSettings(projectIdOrKey: $projectIdOrKey) { projectId }
}`;

describeWithContracts('Xray simulator: HTTP face', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  describe('authenticate', () => {
    it('answers a JSON string: a JWT bound to the tenant, valid 24 h', async () => {
      const response = await postAuthenticate(f.sim);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.body.startsWith('"eyJ')).toBe(true);
      const token = response.json();
      if (typeof token !== 'string') throw new Error('token is not a string');
      expect(token.split('.')).toHaveLength(3);
      const claims = decodeClaims(token);
      expect(claims).toMatchObject({ tenant: FIX.cloudId, clientId: FIX.clientId });
      expect(Number(at(claims, 'exp')) - Number(at(claims, 'iat'))).toBe(24 * 60 * 60);
      expect(Number(at(claims, 'exp')) * 1000).toBe(f.clock.now().getTime() + 24 * 3_600_000);
      expect(f.sim.issuedTokens).toEqual([token]);
      expect(f.sim.requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/api/v2/authenticate',
          status: 200,
          tenant: FIX.cloudId,
        }),
      ]);
    });

    it('401 JSON for bad credentials, 400 text/plain for a malformed request', async () => {
      for (const body of [
        { client_id: FIX.clientId, client_secret: 'wrong-secret' },
        { client_id: 'UNKNOWN', client_secret: FIX.clientSecret },
      ]) {
        const response = await postAuthenticate(f.sim, body);
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toContain('application/json');
        expect(response.json()).toEqual({ error: 'Authentication failed. Invalid client credentials!' });
      }
      // "400 BAD_REQUEST : text/plain : Wrong request syntax." (Authentication - REST)
      const missing = await postAuthenticate(f.sim, { client_id: FIX.clientId });
      expect(missing.status).toBe(400);
      expect(missing.headers['content-type']).toContain('text/plain');
      expect(missing.body).toBe('Wrong request syntax: "client_secret" is required.');
      const notJson = await postAuthenticate(f.sim, 'not json');
      expect(notJson.status).toBe(400);
      expect(notJson.headers['content-type']).toContain('text/plain');
      expect(f.sim.issuedTokens).toEqual([]);
    });

    it('401 text/plain when the site has no valid Xray licence (authenticate and GraphQL)', async () => {
      const token = await tokenFor(f.sim);
      f.sim.setLicensed(FIX.cloudId, false);
      for (const response of [
        await postAuthenticate(f.sim),
        await postGraphql(f.sim, token, SETTINGS_QUERY),
      ]) {
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toContain('text/plain');
        expect(response.body).toBe(AUTH_MESSAGES.licenseInvalid);
        expect(response.body).toMatch(/license is not valid/i);
      }
    });

    it('works on every regional host; GraphQL only on the tenant’s region', async () => {
      f.sim.setRegion(FIX.cloudId, 'eu');
      const token = await tokenFor(f.sim, 'global');
      expect(await tokenFor(f.sim, 'au')).toEqual(expect.any(String));
      const wrong = await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' }, 'global');
      expect(wrong.status).toBe(401);
      expect(wrong.headers['content-type']).toContain('application/json');
      expect(at(wrong.json(), 'error')).toEqual(expect.stringContaining('Xray data is in another region'));
      expect(at(wrong.json(), 'error')).toEqual(expect.stringContaining('https://eu.xray.cloud.getxray.app'));
      const right = await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' }, 'eu');
      expect(right.status).toBe(200);
      expect(right.json()).toEqual({ data: { getProjectSettings: { projectId: FIX.project.id } } });
      expect(f.sim.requests.map((r) => r.region)).toEqual(['global', 'au', 'global', 'eu']);
    });
  });

  describe('bearer token', () => {
    it('401 JSON when missing, forged, from another simulator, or expired', async () => {
      const token = await tokenFor(f.sim);
      const missing = await postGraphql(f.sim, undefined, SETTINGS_QUERY);
      expect(missing.status).toBe(401);
      expect(missing.json()).toEqual({ error: AUTH_MESSAGES.missingToken });

      const [head, , sig] = token.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ tenant: 'x' })).toString('base64url');
      expect((await postGraphql(f.sim, `${head}.${forgedPayload}.${sig}`, SETTINGS_QUERY)).status).toBe(401);

      const other = fixture();
      const foreign = await postGraphql(f.sim, await tokenFor(other.sim), SETTINGS_QUERY);
      expect(foreign.status).toBe(401);
      expect(foreign.json()).toEqual({ error: AUTH_MESSAGES.invalidToken });

      f.clock.advance(24 * 3_600_000 - 1_000);
      expect((await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' })).status).toBe(200);
      f.clock.advance(1_000);
      const expired = await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' });
      expect(expired.status).toBe(401);
      expect(expired.json()).toEqual({ error: AUTH_MESSAGES.expiredToken });
    });
  });

  describe('revoked tokens', () => {
    it('a revoked token answers 401 before its exp; a new authenticate works', async () => {
      const before = await tokenFor(f.sim);
      expect((await postGraphql(f.sim, before, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' })).status).toBe(200);
      f.sim.revokeTokens(FIX.cloudId);
      const revoked = await postGraphql(f.sim, before, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' });
      expect(revoked.status).toBe(401);
      expect(revoked.headers['content-type']).toContain('application/json');
      expect(revoked.json()).toEqual({ error: AUTH_MESSAGES.invalidToken });
      const after = await tokenFor(f.sim);
      expect((await postGraphql(f.sim, after, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' })).status).toBe(200);
    });
  });

  describe('GraphQL documents', () => {
    let token: string;
    beforeEach(async () => {
      token = await tokenFor(f.sim);
    });

    it('a document the schema rejects → 400 with errors, recorded in documentErrors', async () => {
      const bad = `query Bad {
        getTests(limit: 10) { results { issueId nosuchField } }
      }`;
      const response = await postGraphql(f.sim, token, bad);
      expect(response.status).toBe(400);
      expect(at(response.json(), 'errors', 0, 'message')).toBe(
        'Cannot query field "nosuchField" on type "Test".',
      );
      expect(at(response.json(), 'errors', 0, 'locations')).toEqual([{ line: 2, column: 49 }]);
      expect(f.sim.documentErrors).toEqual(['query Bad {: Cannot query field "nosuchField" on type "Test".']);

      expect((await postGraphql(f.sim, token, '{ getTests(limit: 1) { total ')).status).toBe(400);
      // A variable of the wrong type is a document error too.
      const wrongVar = await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 10000 });
      expect(wrongVar.status).toBe(400);
      expect(f.sim.documentErrors).toHaveLength(3);
      expect(f.sim.documentErrors[2]).toContain('query ProjectSettings($projectIdOrKey: String) {:');
    });

    it.each([
      [0, RULE_MESSAGES.limitTooLow],
      [101, RULE_MESSAGES.limitTooHigh],
    ])('limit %i → HTTP 200 with "%s"', async (limit, message) => {
      const response = await postGraphql(f.sim, token, 'query($n: Int!) { getTests(limit: $n) { total } }', {
        n: limit,
      });
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ errors: [{ message, locations: [{ line: 1, column: 19 }] }] });
      expect(f.sim.ruleErrors).toEqual([expect.stringContaining(message)]);
      expect(f.sim.documentErrors).toEqual([]);
    });

    it('limit 100 is fine; a nested limit is checked too', async () => {
      expect(
        at((await postGraphql(f.sim, token, '{ getTests(limit: 100) { total } }')).json(), 'data'),
      ).toEqual({
        getTests: { total: 0 },
      });
      const nested = await postGraphql(
        f.sim,
        token,
        '{ getTests(limit: 1) { results { testRuns(limit: 101) { total } } } }',
      );
      expect(at(nested.json(), 'errors', 0, 'message')).toBe('"limit" must be less than or equal to 100');
    });

    it('counts items multiplicatively across nesting: 10,000 passes, 10,100 does not', async () => {
      const atMax = await postGraphql(
        f.sim,
        token,
        '{ getTests(limit: 100) { results { testRuns(limit: 99) { total } } } }', // 100 + 100 × 99
      );
      expect(atMax.status).toBe(200);
      expect(at(atMax.json(), 'errors')).toBeUndefined();
      const over = await postGraphql(
        f.sim,
        token,
        `query Big($n: Int!) {
          getTests(limit: 100) { results { testRuns(limit: $n) { total } } }
        }`,
        { n: 100 },
      );
      expect(over.status).toBe(200);
      expect(over.json()).toEqual({ errors: [{ message: RULE_MESSAGES.tooManyItems(10_100) }] });
      expect(MAX_ITEMS).toBe(10_000);
      // Through fragments as well: 50 + 50 × 100 + 50 × 100 = 10,050.
      const viaFragments = await postGraphql(
        f.sim,
        token,
        `query { getTests(limit: 50) { results { ...T } } }
         fragment T on Test { testRuns(limit: 100) { total } ... on Test { testSets(limit: 100) { total } } }`,
      );
      expect(at(viaFragments.json(), 'errors', 0, 'message')).toBe(RULE_MESSAGES.tooManyItems(10_050));
    });

    it('a JQL matching more than 100 issues is an error (HTTP 200, data null)', async () => {
      for (let n = 0; n < 101; n += 1) {
        f.jira.createIssue({ projectIdOrKey: 'DEMO', issueTypeIdOrName: 'Story', summary: `Story ${n}` });
      }
      const query = `query Cov($jql: String) { getCoverableIssues(jql: $jql, limit: 10) { total results { issueId } } }`;
      const broad = await postGraphql(f.sim, token, query, { jql: 'project = DEMO' });
      expect(broad.status).toBe(200);
      expect(broad.json()).toEqual({
        data: { getCoverableIssues: null },
        errors: [
          {
            message: RULE_MESSAGES.jqlTooBroad(101),
            locations: [{ line: 1, column: 27 }],
            path: ['getCoverableIssues'],
          },
        ],
      });
      const narrow = await postGraphql(f.sim, token, query, {
        jql: 'project = DEMO AND summary ~ "Story 10"',
      });
      expect(at(narrow.json(), 'data', 'getCoverableIssues', 'total')).toBe(2); // "Story 10", "Story 100"
      // The SDL says it of getTests, getExpandedTests, getTestSets, getTestExecutions, getTestPlans and
      // getPreconditions: "If the jql returns more than 100 issues an error will be returned".
      const tests = await postGraphql(
        f.sim,
        token,
        '{ getTests(jql: "project = DEMO", limit: 1) { total } }',
      );
      expect(at(tests.json(), 'errors', 0, 'message')).toBe(RULE_MESSAGES.jqlTooBroad(101));
      const invalid = await postGraphql(f.sim, token, query, { jql: 'project = NOPE' });
      expect(at(invalid.json(), 'errors', 0, 'message')).toEqual(expect.stringContaining('NOPE'));
    });

    it('a field that fails answers null with an error beside the data of the others (partial data)', async () => {
      const response = await postGraphql(
        f.sim,
        token,
        `query Both { getProjectSettings(projectIdOrKey: "NOPE") { projectId } getStatuses { name } }`,
      );
      expect(response.status).toBe(200);
      const body = response.json();
      expect(at(body, 'data', 'getProjectSettings')).toBeNull();
      expect(at(body, 'data', 'getStatuses', 0)).toEqual({ name: 'PASSED' });
      expect(at(body, 'errors')).toEqual([
        {
          message: 'Project "NOPE" was not found.',
          locations: [{ line: 1, column: 14 }],
          path: ['getProjectSettings'],
        },
      ]);
    });

    it('records the operation name (or root fields) of each request', async () => {
      await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' });
      await postGraphql(f.sim, token, '{ getStatuses { name } getIssueLinkTypes { id } }');
      expect(f.sim.requests.slice(1).map((r) => r.operation)).toEqual([
        'ProjectSettings',
        'getStatuses,getIssueLinkTypes',
      ]);
      expect(f.sim.log.entries.slice(1).map((e) => e.operation)).toEqual([
        'ProjectSettings',
        'getStatuses,getIssueLinkTypes',
      ]);
    });
  });

  describe('rate budget', () => {
    it('300 requests per window (standard): the 301st is 429, Retry-After only every other time', async () => {
      const small = fixture({ rateWindowMs: 1_000 });
      for (let n = 0; n < 300; n += 1) expect((await postAuthenticate(small.sim)).status).toBe(200);
      expect(small.sim.rateUsage(FIX.cloudId)).toEqual({ used: 300, limit: 300, windowMs: 1_000 });
      const first = await postAuthenticate(small.sim);
      expect(first.status).toBe(429);
      expect(first.headers['retry-after'] ?? first.headers['Retry-After']).toBeUndefined();
      const second = await postGraphql(small.sim, small.sim.issuedTokens[0], SETTINGS_QUERY);
      expect(second.status).toBe(429);
      expect(second.headers['Retry-After']).toBe('1');
      small.clock.advance(1_001);
      expect((await postAuthenticate(small.sim)).status).toBe(200);
      expect(small.sim.rateUsage(FIX.cloudId).used).toBe(1);
    });

    it('1,000 per window for enterprise', async () => {
      const small = fixture({ rateWindowMs: 1_000 });
      small.sim.setTier(FIX.cloudId, 'enterprise');
      for (let n = 0; n < 1_000; n += 1) await postAuthenticate(small.sim);
      expect(small.sim.rateUsage(FIX.cloudId)).toMatchObject({ used: 1_000, limit: 1_000 });
      expect((await postAuthenticate(small.sim)).status).toBe(429);
    });
  });

  describe('faults', () => {
    it('failNext answers once instead of the simulator, and is logged as a fault', async () => {
      const token = await tokenFor(f.sim);
      f.sim.failNext({ path: /graphql/, status: 503, body: 'upstream down' });
      const failed = await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' });
      expect(failed).toMatchObject({ status: 503, body: 'upstream down' });
      expect((await postGraphql(f.sim, token, SETTINGS_QUERY, { projectIdOrKey: 'DEMO' })).status).toBe(200);
      expect(f.sim.requests.map((r) => [r.status, r.fault ?? false])).toEqual([
        [200, false],
        [503, true],
        [200, false],
      ]);
      // A fault does not spend the rate budget.
      expect(f.sim.rateUsage(FIX.cloudId).used).toBe(2);
    });

    it('a reset drops the connection', async () => {
      f.sim.faults.add({ path: '/authenticate', reset: true });
      await expect(postAuthenticate(f.sim)).rejects.toBeInstanceOf(SimulatedNetworkError);
      expect(f.sim.requests.at(-1)).toMatchObject({ status: 0, fault: true });
    });
  });

  it('serves alone over HTTP; X-Sim-Region picks the regional host', async () => {
    f.sim.setRegion(FIX.cloudId, 'au');
    const served = await f.sim.serve();
    try {
      const auth = await fetch(`${served.url}/api/v2/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: FIX.clientId, client_secret: FIX.clientSecret }),
      });
      const token: unknown = await auth.json();
      if (typeof token !== 'string') throw new Error('no token');
      const ask = (region?: string) =>
        fetch(`${served.url}/api/v2/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            ...(region ? { 'x-sim-region': region } : {}),
          },
          body: JSON.stringify({ query: '{ getStatuses { name } }' }),
        });
      expect((await ask()).status).toBe(401);
      const ok = await ask('au');
      expect(ok.status).toBe(200);
      expect(at(await ok.json(), 'data', 'getStatuses', 0, 'name')).toBe('PASSED');
    } finally {
      await served.close();
    }
  });

  it('refuses to start without the schema', () => {
    expect(() => createXraySimulator({ jira: f.jira, schema: null })).toThrow(/GraphQL SDL is required/);
  });
});
