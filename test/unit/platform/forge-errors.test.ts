/**
 * What Forge's `requestJira` throws on purpose (docs/forge-fidelity.md, rule 11), thrown by the
 * local platform as the real `@forge/api` classes, through the real resolver handler:
 * - `NeedsAuthenticationError`: the user has not granted access yet. It reaches Forge unwrapped and
 *   untried-again, so Forge shows its "Allow access" prompt (before: a retried "network" error that
 *   ended as INTERNAL, or FORBIDDEN from the admin check).
 * - `ProxyRequestError`: a 5xx from Forge's proxy is retried; any other is a typed error.
 */
import { ExternalEndpointNotAllowedError, NeedsAuthenticationError, ProxyRequestError } from '@forge/api';
import { SqaiClient } from '../../../src/clients/sqai';
import type { IssuePanelView, SettingsView } from '../../../src/api';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, type World } from '../../harness/world';

const consent = () => new NeedsAuthenticationError('Authentication Required', 'atlassian-token-service-key');

describeWithContracts("Forge's Jira errors", () => {
  let world: World;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
  });

  it('the issue panel lets the consent error reach Forge as it was thrown, without retrying', async () => {
    const fault = { as: 'user' as const, count: 5, error: consent };
    world.platform.jiraThrows.push(fault);
    const answer = world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1');
    await expect(answer).rejects.toBeInstanceOf(NeedsAuthenticationError);
    await expect(answer).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR', status: 401 });
    // The panel's first two reads go out together; neither is tried again (3 attempts each before).
    expect(5 - fault.count).toBeLessThanOrEqual(2);
  });

  it('the settings page too: the consent error is not a "Forbidden"', async () => {
    world.platform.jiraThrows.push({ as: 'user', count: 1, error: consent });
    await expect(world.invoke<SettingsView>('getSettings', {})).rejects.toBeInstanceOf(
      NeedsAuthenticationError,
    );
    // Once the user allowed access, the same call works.
    expect(data(await world.invoke<SettingsView>('getSettings', {})).settings).not.toBeNull();
  });

  it("retries a 5xx from Forge's proxy, and answers any other proxy error with a typed error", async () => {
    const passing = { count: 1, error: () => new ProxyRequestError(503, 'SERVICE_UNAVAILABLE') };
    world.platform.jiraThrows.push(passing);
    data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1'));
    expect(passing.count).toBe(0);

    const lasting = { count: 10, error: () => new ProxyRequestError(400, 'INVALID_REQUEST') };
    world.platform.jiraThrows.push(lasting);
    const answer = await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1');
    // A 4xx from the proxy is the app's request at fault, not Jira being down.
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    // Not retried: at most the panel's two parallel first reads met it.
    expect(10 - lasting.count).toBeLessThanOrEqual(2);
  });

  it('an egress refusal Forge throws (not answers) is EGRESS_NOT_ALLOWED, tried once', async () => {
    let calls = 0;
    const client = new SqaiClient(
      {
        http: {
          fetch: (url) => {
            calls += 1;
            return Promise.reject(new ExternalEndpointNotAllowedError(url));
          },
        },
      },
      { endpoint: 'https://sqai.example.com', token: 'sqai-token-not-sent' },
    );
    await expect(client.health()).rejects.toMatchObject({
      code: 'EGRESS_NOT_ALLOWED',
      host: 'sqai.example.com',
    });
    expect(calls).toBe(1);
  });
});
