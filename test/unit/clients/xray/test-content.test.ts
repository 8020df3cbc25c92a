/**
 * readTestContents (src/clients/xray/test-content.ts) against the Xray simulator: kind, steps with ids,
 * Gherkin and definition of each test; 100 tests per request; a test Xray does not return is absent.
 */
import { clearXrayTokenCache, XrayClient } from '../../../../src/clients/xray/client';
import { readTestContents, TEST_CONTENTS_PER_REQUEST } from '../../../../src/clients/xray/test-content';
import { describeWithContracts } from '../../../harness/contracts';
import { directHttp } from '../../../harness/xray-sim/direct-http';
import { FIX, fixture, seedCoverage } from '../../../harness/xray-sim/fixtures';

describeWithContracts('readTestContents', () => {
  const setup = () => {
    clearXrayTokenCache();
    const fx = fixture();
    const xray = new XrayClient(
      { http: directHttp(fx.sim), now: fx.clock.now },
      { clientId: FIX.clientId, clientSecret: FIX.clientSecret, region: 'global' },
    );
    return { fx, xray };
  };

  it('reads each kind with the step ids the mutations address; unknown ids are absent', async () => {
    const { fx, xray } = setup();
    const seed = seedCoverage(fx.store, fx.clock);
    const tests = await readTestContents(xray, [seed.manual.id, seed.cucumber.id, seed.generic.id, '99999']);
    const stepIds = fx.store.tests.get(seed.manual.id)?.steps.map((step) => step.id);
    expect(tests.get(seed.manual.id)).toEqual({
      issueId: seed.manual.id,
      key: seed.manual.key,
      kind: 'Steps',
      steps: [
        { id: stepIds?.[0], action: 'Open the login page', data: '', result: 'The SSO button shows' },
        {
          id: stepIds?.[1],
          action: 'Click "Sign in with SSO"',
          data: 'sso@example.com',
          result: 'The dashboard opens',
        },
      ],
      gherkin: null,
      definition: null,
    });
    expect(tests.get(seed.cucumber.id)).toMatchObject({
      kind: 'Gherkin',
      steps: [],
      gherkin: 'Given an SSO account\nWhen I sign in\nThen I see the dashboard',
    });
    expect(tests.get(seed.generic.id)).toMatchObject({
      kind: 'Unstructured',
      definition: 'Try expired sessions and revoked accounts.',
    });
    expect(tests.has('99999')).toBe(false);
    expect(fx.sim.documentErrors).toEqual([]);
    expect(fx.sim.ruleErrors).toEqual([]);
  });

  it('asks for 100 tests a request', async () => {
    const { fx, xray } = setup();
    const ids = Array.from(
      { length: 150 },
      (_, i) =>
        fx.store.createTest({
          projectIdOrKey: 'DEMO',
          summary: `Test ${i}`,
          testType: 'Manual',
          steps: [{ action: `Step of ${i}` }],
        }).id,
    );
    const tests = await readTestContents(xray, [...ids, ids[0] ?? '']);
    expect(tests.size).toBe(150);
    expect(tests.get(ids[149] ?? '')?.steps[0]?.action).toBe('Step of 149');
    expect(fx.sim.requests.filter((request) => request.operation === 'TestContents')).toHaveLength(
      Math.ceil(150 / TEST_CONTENTS_PER_REQUEST),
    );
    expect(fx.sim.ruleErrors).toEqual([]);
  });
});
