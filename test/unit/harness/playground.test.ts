/**
 * The playground as a newcomer and a test author use it: the seeded DEMO world, the mini Jira
 * shell (acting user, issue security), the simulator control endpoints, customer-managed egress,
 * persistence — and the simulators refusing what the real services refuse.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithContracts } from '../../harness/contracts';
import { createPersistentStores } from '../../harness/local-platform';
import { startLocalPlayground, type LocalPlayground } from '../../harness/playground/playground';
import { createWorld, DEMO } from '../../harness/world';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function iframeContext(html: string): { accountId: string; extension: Record<string, unknown> } {
  const src = /<iframe class="app"[^>]*src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
  const raw = new URL(src, 'http://localhost').searchParams.get('context') ?? '{}';
  return JSON.parse(raw) as { accountId: string; extension: Record<string, unknown> };
}

describeWithContracts('the demo world', () => {
  it('is seeded like a real Xray project', () => {
    const world = createWorld();
    const issues = world.jiraStore.issuesOfProject(DEMO.project.id);
    const typeOf = (name: string) =>
      issues.filter((issue) => world.jiraStore.issueTypes.get(issue.issueTypeId)?.name === name);
    const requirements = [...typeOf('Story'), ...typeOf('Epic'), ...typeOf('Bug')];
    expect(requirements.length).toBeGreaterThanOrEqual(20);
    expect(typeOf('Test').length).toBeGreaterThanOrEqual(60);
    expect(typeOf('Test Set')).toHaveLength(3);
    expect(typeOf('Test Execution')).toHaveLength(2);
    expect(typeOf('Test Plan')).toHaveLength(1);
    expect(typeOf('Precondition').length).toBeGreaterThanOrEqual(2);
    const kinds = new Set(
      [...world.xrayStore.tests.values()].map((test) => world.xrayStore.testTypeOf(test)?.kind),
    );
    expect(kinds).toEqual(new Set(['Steps', 'Gherkin', 'Unstructured']));
    const statuses = new Set([...world.xrayStore.testRuns.values()].map((run) => run.status));
    expect(statuses).toEqual(new Set(['PASSED', 'FAILED', 'TODO']));
    expect(requirements.filter((issue) => issue.restrictedTo)).toHaveLength(1);
    const nodeTypes = new Set<string>();
    const walk = (node: { type: string; content?: unknown[] }) => {
      nodeTypes.add(node.type);
      for (const child of (node.content ?? []) as { type: string; content?: unknown[] }[]) walk(child);
    };
    for (const issue of requirements) if (issue.description) walk(issue.description);
    for (const type of [
      'heading',
      'bulletList',
      'orderedList',
      'table',
      'codeBlock',
      'panel',
      'mention',
      'emoji',
      'mediaSingle',
      'expand',
      'taskList',
    ]) {
      expect(nodeTypes).toContain(type);
    }
    expect(requirements.some((issue) => world.jiraStore.remoteLinksOf(issue.id).length > 0)).toBe(true);
    const demo1 = world.jiraStore.issue('DEMO-1');
    expect(demo1 && world.xrayStore.coveringTestIds(demo1.id).length).toBeGreaterThan(0);
  });
});

describeWithContracts('the simulators refuse what the real services refuse', () => {
  it('a made-up Jira path is a contract violation and a 404', async () => {
    const world = createWorld();
    const response = await world.platform.jira.request(
      '/rest/api/3/no-such-thing',
      { method: 'GET' },
      { as: 'app' },
    );
    expect(response.status).toBe(404);
    expect(world.jira.violations.join('\n')).toMatch(
      /no such Jira operation: GET \/rest\/api\/3\/no-such-thing/,
    );
  });

  it('a Jira body that breaks the spec is a violation and a 400', async () => {
    const world = createWorld();
    const response = await world.platform.jira.request(
      '/rest/api/3/search/jql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jql: 'project = DEMO', maxResults: 'ten' }),
      },
      { as: 'app' },
    );
    expect(response.status).toBe(400);
    expect(world.jira.violations.join('\n')).toMatch(/maxResults/);
  });

  async function xrayToken(world: ReturnType<typeof createWorld>): Promise<string> {
    const auth = await world.platform.http.fetch('https://xray.cloud.getxray.app/api/v2/authenticate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: DEMO.xrayClientId, client_secret: DEMO.xrayClientSecret }),
    });
    return JSON.parse(await auth.text()) as string;
  }

  const graphql = async (world: ReturnType<typeof createWorld>, token: string, query: string) => {
    const response = await world.platform.http.fetch('https://xray.cloud.getxray.app/api/v2/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      json: JSON.parse(await response.text()) as { errors?: { message: string }[] },
    };
  };

  it('an Xray query the schema does not know is a 400 with GraphQL errors', async () => {
    const world = createWorld();
    const token = await xrayToken(world);
    const result = await graphql(world, token, '{ getTests(limit: 10) { results { nonsenseField } } }');
    expect(result.status).toBe(400);
    expect(result.json.errors?.[0]?.message).toMatch(/nonsenseField/);
    expect(world.xray.documentErrors).toHaveLength(1);
  });

  it('limit 101 is refused as Xray refuses it: HTTP 200 with errors', async () => {
    const world = createWorld();
    const token = await xrayToken(world);
    const result = await graphql(
      world,
      token,
      `{ getTests(projectId: "${DEMO.project.id}", limit: 101) { total } }`,
    );
    expect(result.status).toBe(200);
    expect(result.json.errors?.[0]?.message).toMatch(/less than or equal to 100/);
  });
});

describeWithContracts('the playground server', () => {
  let playground: LocalPlayground;
  beforeAll(async () => {
    playground = await startLocalPlayground({ port: 0 });
  });
  afterAll(async () => {
    await playground.close();
  });
  beforeEach(async () => {
    await post(`${playground.url}/__sim/reset`, {});
  });

  it('hosts the settings page with the context Forge would give, for the acting user', async () => {
    const asAdmin = iframeContext(
      await (await fetch(`${playground.url}/projects/DEMO/settings?as=admin`)).text(),
    );
    expect(asAdmin).toMatchObject({
      accountId: DEMO.admin,
      extension: { type: 'jira:projectSettingsPage', project: { id: DEMO.project.id, key: 'DEMO' } },
    });
    const asUser = iframeContext(
      await (await fetch(`${playground.url}/projects/DEMO/settings?as=user`)).text(),
    );
    expect(asUser.accountId).toBe(DEMO.user);
    expect((await fetch(`${playground.url}/projects/NOPE/settings`)).status).toBe(404);
  });

  it('shows an issue with its description, links and the issue panel context; honours issue security', async () => {
    const html = await (await fetch(`${playground.url}/browse/DEMO-1?as=user`)).text();
    expect(html).toContain('Guest checkout with email receipt');
    expect(html).toContain('<h3>Acceptance criteria</h3>');
    expect(html).toContain('Checkout flow — product spec');
    expect(iframeContext(html)).toMatchObject({
      extension: { type: 'jira:issuePanel', issue: { key: 'DEMO-1' }, project: { key: 'DEMO' } },
    });
    const restricted = [...playground.world().jiraStore.issues.values()].find((issue) => issue.restrictedTo);
    const forUser = await (await fetch(`${playground.url}/browse/${restricted?.key ?? ''}?as=user`)).text();
    expect(forUser).toContain("You can't view this issue");
    const forAdmin = await (await fetch(`${playground.url}/browse/${restricted?.key ?? ''}?as=admin`)).text();
    expect(forAdmin).toContain(restricted?.summary ?? '?');
  });

  it('injects faults and latency, logs requests, and shows what SQAI received', async () => {
    const bad = await post(`${playground.url}/__sim/faults`, { service: 'sqai' });
    expect(bad.status).toBe(400);
    expect(
      await post(`${playground.url}/__sim/faults`, {
        service: 'sqai',
        path: '/v1/health',
        status: 503,
        count: 5,
      }),
    ).toMatchObject({ status: 200 });
    expect((await post(`${playground.url}/__sim/latency`, { service: 'xray', ms: 20 })).status).toBe(200);
    const world = playground.world();
    expect(world.xray.latencyMs).toBe(20);
    const health = await world.platform.http.fetch(`${DEMO.sqaiEndpoint}/v1/health`, {
      headers: { authorization: `Bearer ${DEMO.sqaiToken}` },
    });
    expect(health.status).toBe(503);
    const log = (await (await fetch(`${playground.url}/__sim/requests`)).json()) as {
      sqai: { path: string; status: number; fault?: boolean }[];
    };
    expect(log.sqai).toEqual([expect.objectContaining({ path: '/v1/health', status: 503, fault: true })]);
    const contexts = (await (await fetch(`${playground.url}/__sim/sqai/contexts`)).json()) as {
      contexts: unknown[];
    };
    expect(contexts.contexts).toEqual([]);
  });

  it('lets only a Jira admin approve an SQAI host (customer-managed egress)', async () => {
    const payload = {
      egresses: [
        {
          key: 'sqai',
          description: 'SQAI',
          configured: [{ domain: 'sqai.example.com', type: ['FETCH_BACKEND_SIDE'] }],
        },
      ],
    };
    expect((await post(`${playground.url}/__egress?accountId=${DEMO.user}`, payload)).status).toBe(403);
    expect(playground.world().platform.egress.allows('https://sqai.example.com/v1/health')).toBe(false);
    expect((await post(`${playground.url}/__egress?accountId=${DEMO.admin}`, payload)).status).toBe(200);
    expect(playground.world().platform.egress.allows('https://sqai.example.com/v1/health')).toBe(true);
    // As on Forge, the approval is enforced by the proxy and invisible to permissions.canFetchFrom.
    expect(playground.world().platform.egress.isDeclared('https://sqai.example.com/v1/health')).toBe(false);
  });

  it('says so when asked to run a trigger the manifest does not declare', async () => {
    const response = await post(`${playground.url}/__trigger/no-such-trigger`, {});
    expect(response.status).toBe(404);
  });
});

describe('playground persistence (PLAYGROUND_PERSIST=1)', () => {
  it('keeps the key-value store and secrets across restarts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sqai-persist-'));
    try {
      const file = path.join(dir, 'state.json');
      const first = createPersistentStores(file);
      await first.kvs.set('settings:10000', { hello: 'world' });
      await first.secrets.setSecret('secret:10000:xray', 's3cret');
      const second = createPersistentStores(file);
      expect(await second.kvs.get('settings:10000')).toEqual({ hello: 'world' });
      expect(await second.secrets.getSecret('secret:10000:xray')).toBe('s3cret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
