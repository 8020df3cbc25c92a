/**
 * The SQAI simulator keeps the contract (docs/sqai-openapi.yaml, guide docs/sqai-contract.md):
 * auth on every operation, conditional context writes (RFC 9110), per-item batch results, RFC 9457
 * problems, tenancy, deletion and purges, idempotent generation starts, RateLimit headers, faults —
 * and it checks every request and response against the OpenAPI document.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { problemTypeOf } from '../../../src/clients/sqai-schemas';
import { repoRoot } from '../../harness/contracts';
import { takeViolations } from '../../harness/sqai-sim/contract';
import { acceptanceCriteria, gherkinBlocks } from '../../harness/sqai-sim/generator';
import { createSqaiSimulator, signDelivery, type SqaiSimulator } from '../../harness/sqai-sim/simulator';

const TOKEN = 'sqai-test-token';
const BASE = 'https://api.sqai-suite.com';
const CLOUD = 'cloud-1';
const hash = (n: number) => n.toString(16).padStart(64, '0');

/** A real document (the published example), as issue `issueId` with content `contentHash`. */
const example = JSON.parse(
  readFileSync(path.join(repoRoot, 'docs', 'sqai-context.example.json'), 'utf8'),
) as { source: Record<string, unknown>; requirement: Record<string, unknown> };
function context(issueId: string, contentHash: string, description = '', cloudId = CLOUD) {
  return {
    ...example,
    contentHash,
    source: { ...example.source, cloudId, issueId, issueKey: `DEMO-${issueId}` },
    requirement: { ...example.requirement, description },
  };
}

async function call(
  sim: SqaiSimulator,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = TOKEN,
) {
  const response = await sim.handle({
    method,
    url: `${BASE}${url}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : undefined,
  };
}

const put = (
  sim: SqaiSimulator,
  issueId: string,
  contentHash: string,
  precondition: Record<string, string>,
) => call(sim, 'PUT', `/v1/contexts/${CLOUD}/${issueId}`, context(issueId, contentHash), precondition);

const generationRequest = (contentHash: string, maxTests = 3) => ({
  cloudId: CLOUD,
  issueId: '7',
  issueKey: 'DEMO-7',
  contentHash,
  testTypes: [{ name: 'Manual', kind: 'Steps' }],
  maxTests,
});

describe('SQAI simulator', () => {
  let sim: SqaiSimulator;
  beforeEach(() => {
    sim = createSqaiSimulator({ tokens: [TOKEN] });
  });

  it('answers health with the token and 401 (a problem) without it', async () => {
    expect(await call(sim, 'GET', '/v1/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
    const anonymous = await sim.handle({ method: 'GET', url: `${BASE}/v1/health`, headers: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(anonymous.body)).toMatchObject({ type: problemTypeOf('unauthorized'), status: 401 });
    sim.revokeToken(TOKEN);
    expect((await call(sim, 'GET', '/v1/health')).status).toBe(401);
  });

  it('writes contexts conditionally (RFC 9110): create, replace the named version, refuse a stale one with its ETag', async () => {
    const created = await put(sim, '101', hash(1), { 'if-none-match': '*' });
    expect(created).toMatchObject({ status: 201, json: { status: 'created', contentHash: hash(1) } });
    expect(created.headers.etag).toBe(`"${hash(1)}"`);
    // The same content again (a retry after a lost answer): already applied → 200 unchanged.
    expect((await put(sim, '101', hash(1), { 'if-none-match': '*' })).json).toMatchObject({
      status: 'unchanged',
    });
    // If-Match the version held → replaced.
    expect(await put(sim, '101', hash(2), { 'if-match': `"${hash(1)}"` })).toMatchObject({
      status: 200,
      json: { status: 'updated' },
    });
    // A writer that still believes hash(1) is held: 412 with what is held; nothing written.
    const stale = await put(sim, '101', hash(3), { 'if-match': `"${hash(1)}"` });
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe(`"${hash(2)}"`);
    expect(stale.json).toMatchObject({
      type: problemTypeOf('precondition-failed'),
      currentContentHash: hash(2),
    });
    // If-None-Match: * when something is held: 412 too.
    expect((await put(sim, '101', hash(4), { 'if-none-match': '*' })).status).toBe(412);
    // No precondition at all: 428.
    expect((await put(sim, '101', hash(5), {})).json).toMatchObject({
      type: problemTypeOf('precondition-required'),
    });
    expect(sim.contexts.get(`${CLOUD}/101`)).toMatchObject({ contentHash: hash(2), version: 2 });
    expect([...sim.versionsStored.values()].every((count) => count === 1)).toBe(true);
    takeViolations(); // the 428 request lacks a precondition on purpose
  });

  it('refuses a document of another issue (422) and another site (403), as problems', async () => {
    const other = await call(sim, 'PUT', `/v1/contexts/${CLOUD}/999`, context('101', hash(1)), {
      'if-none-match': '*',
    });
    expect(other.json).toMatchObject({ type: problemTypeOf('invalid-document'), status: 422 });
    const foreign = await call(
      sim,
      'PUT',
      `/v1/contexts/${CLOUD}/101`,
      context('101', hash(1), '', 'cloud-2'),
      {
        'if-none-match': '*',
      },
    );
    expect(foreign.json).toMatchObject({ type: problemTypeOf('wrong-tenant'), status: 403 });
    expect(sim.contexts.size).toBe(0);
  });

  it('binds a token to one site: another site in the path, the body or a generation is 403 wrong-tenant', async () => {
    expect((await put(sim, '1', hash(1), { 'if-none-match': '*' })).status).toBe(201);
    const elsewhere = await call(sim, 'DELETE', '/v1/contexts/cloud-2/1');
    expect(elsewhere.json).toMatchObject({ type: problemTypeOf('wrong-tenant') });
    const start = await call(
      sim,
      'POST',
      '/v1/generations',
      { ...generationRequest(hash(1)), cloudId: 'cloud-2' },
      {
        'idempotency-key': 'key-elsewhere',
      },
    );
    expect(start.status).toBe(403);
    expect((await call(sim, 'DELETE', '/v1/tenants/cloud-2')).status).toBe(403);
    expect(sim.contexts.size).toBe(1);
  });

  it('batches: one result per item echoing its issue and hash; a failed item is a problem; 51 items are refused', async () => {
    await put(sim, '2', hash(9), { 'if-none-match': '*' });
    const items = [
      { document: context('1', hash(1)), ifNoneMatch: '*' },
      { document: context('2', hash(2)), ifMatch: hash(8) },
      { document: context('3', hash(3)), ifNoneMatch: '*' },
    ];
    const answer = await call(sim, 'POST', '/v1/contexts:batch', { items });
    expect(answer).toMatchObject({
      status: 200,
      json: {
        results: [
          { issueId: '1', contentHash: hash(1), status: 'created' },
          {
            issueId: '2',
            contentHash: hash(2),
            status: 'failed',
            problem: { type: problemTypeOf('precondition-failed'), currentContentHash: hash(9) },
          },
          { issueId: '3', contentHash: hash(3), status: 'created' },
        ],
      },
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => ({
      document: context(String(i + 10), hash(i)),
      ifNoneMatch: '*',
    }));
    expect((await call(sim, 'POST', '/v1/contexts:batch', { items: tooMany })).status).toBe(400);
    expect(takeViolations().join('\n')).toMatch(
      /contexts:batch.*maxItems|more than 50|must NOT have more than 50/,
    );
  });

  it('refuses bodies over 4 MiB with 413 content-too-large', async () => {
    const big = context('1', hash(1), 'x'.repeat(4 * 1024 * 1024 + 10));
    const answer = await call(sim, 'PUT', `/v1/contexts/${CLOUD}/1`, big, { 'if-none-match': '*' });
    expect(answer.json).toMatchObject({ type: problemTypeOf('content-too-large'), status: 413 });
    takeViolations(); // the document is over its own limits too
  });

  it('forgets an issue (DELETE, idempotent) and purges a project or a whole site', async () => {
    await put(sim, '1', hash(1), { 'if-none-match': '*' });
    await put(sim, '2', hash(2), { 'if-none-match': '*' });
    expect((await call(sim, 'DELETE', `/v1/contexts/${CLOUD}/1`)).status).toBe(204);
    expect((await call(sim, 'DELETE', `/v1/contexts/${CLOUD}/1`)).status).toBe(204);
    expect([...sim.contexts.keys()]).toEqual([`${CLOUD}/2`]);
    const projectId = String((example.source.project as { id: string }).id);
    expect(await call(sim, 'DELETE', `/v1/tenants/${CLOUD}/projects/${projectId}`)).toMatchObject({
      status: 202,
      json: { status: 'accepted', deleted: 1 },
    });
    expect(sim.contexts.size).toBe(0);
    expect((await call(sim, 'DELETE', `/v1/tenants/${CLOUD}`)).status).toBe(202);
    expect(sim.purges).toEqual([`${CLOUD}/projects/${projectId}`, CLOUD]);
  });

  it('generates tests from the pushed context: pending → running → succeeded, named by the requested types', async () => {
    const description = [
      '### Acceptance criteria',
      '- A valid code reduces the total',
      '- The page answers in under 2 seconds',
      '',
      'Given a basket worth 80 EUR',
      'When the shopper applies "WELCOME10"',
      'Then the total is 72 EUR',
    ].join('\n');
    await call(sim, 'PUT', `/v1/contexts/${CLOUD}/7`, context('7', hash(7), description), {
      'if-none-match': '*',
    });
    const created = await call(
      sim,
      'POST',
      '/v1/generations',
      {
        ...generationRequest(hash(7), 10),
        testTypes: [
          { name: 'Checklist', kind: 'Steps' },
          { name: 'BDD', kind: 'Gherkin' },
          { name: 'Script', kind: 'Unstructured' },
        ],
      },
      { 'idempotency-key': 'key-00001' },
    );
    expect(created.status).toBe(202);
    const id = String(created.json?.id);
    const statuses: string[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 3; i += 1) {
      last = (await call(sim, 'GET', `/v1/generations/${id}`)).json ?? {};
      statuses.push(String(last.status));
    }
    expect(statuses).toEqual(['running', 'succeeded', 'succeeded']);
    const tests = last.tests as { testType: string; title: string; gherkin?: string }[];
    expect(tests.map((test) => test.testType)).toEqual(['Checklist', 'Checklist', 'BDD', 'Script']);
    expect(tests[2]?.gherkin).toContain('When the shopper applies "WELCOME10"');
  });

  it('starts a generation once per Idempotency-Key: a retry gets the same id, another body 422', async () => {
    await call(sim, 'PUT', `/v1/contexts/${CLOUD}/7`, context('7', hash(7), '- one'), {
      'if-none-match': '*',
    });
    const first = await call(sim, 'POST', '/v1/generations', generationRequest(hash(7)), {
      'idempotency-key': 'key-00001',
    });
    const again = await call(sim, 'POST', '/v1/generations', generationRequest(hash(7)), {
      'idempotency-key': 'key-00001',
    });
    expect(again).toMatchObject({ status: 202, json: { id: first.json?.id } });
    expect(sim.generations.size).toBe(1);
    const changed = await call(sim, 'POST', '/v1/generations', generationRequest(hash(7), 5), {
      'idempotency-key': 'key-00001',
    });
    expect(changed.json).toMatchObject({ type: problemTypeOf('idempotency-key-reused'), status: 422 });
    // A context SQAI does not hold: 409 context-not-pushed.
    const unknown = await call(sim, 'POST', '/v1/generations', generationRequest(hash(8)), {
      'idempotency-key': 'key-00002',
    });
    expect(unknown.json).toMatchObject({ type: problemTypeOf('context-not-pushed'), status: 409 });
  });

  it('sends RateLimit headers while a quota is set, and 429 with Retry-After once it is spent', async () => {
    sim.rateLimit = { quota: 2, windowSeconds: 60, remaining: 1, resetSeconds: 30 };
    const first = await call(sim, 'GET', '/v1/health');
    expect(first.headers.ratelimit).toBe('"default";r=0;t=30');
    expect(first.headers['ratelimit-policy']).toBe('"default";q=2;w=60');
    const refused = await call(sim, 'GET', '/v1/health');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json).toMatchObject({ type: problemTypeOf('rate-limited') });
  });

  it('records a request that does not match the OpenAPI document as a violation (and fails the test)', async () => {
    await call(sim, 'POST', '/v1/generations', { issueId: '7' }, { 'idempotency-key': 'key-00009' });
    const violations = takeViolations();
    expect(violations.join('\n')).toMatch(/request POST \/v1\/generations: .*(cloudId|required)/);
    expect(sim.violations).toEqual(violations);
  });

  it('checks each delivery it sends, and the app’s answer, against the contract’s webhook', async () => {
    await call(sim, 'PUT', `/v1/contexts/${CLOUD}/7`, context('7', hash(7), '- one'), {
      'if-none-match': '*',
    });
    const created = await call(sim, 'POST', '/v1/generations', generationRequest(hash(7)), {
      'idempotency-key': 'key-00003',
    });
    const id = String(created.json?.id);
    const seen: { headers: Record<string, string>; body: string }[] = [];
    const answering =
      (status: number, body: unknown): typeof fetch =>
      (_url, init) => {
        seen.push({
          headers: init?.headers as Record<string, string>,
          body: typeof init?.body === 'string' ? init.body : '',
        });
        return Promise.resolve(new Response(JSON.stringify(body), { status }));
      };
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      (await sim.deliver(id, 'https://app.example/hook', secret, answering(202, { status: 'accepted' })))
        .status,
    ).toBe(202);
    expect(takeViolations()).toEqual([]);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ type: 'generation.succeeded', data: { id } });
    // Standard Webhooks: base64 HMAC-SHA256 over "<id>.<timestamp>.<body>", keyed with the decoded
    // bytes of the whsec_ secret.
    const headers = seen[0]?.headers ?? {};
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(headers['webhook-timestamp']).toMatch(/^\d+$/);
    const mac = createHmac('sha256', Buffer.alloc(32, 7))
      .update(`${headers['webhook-id'] ?? ''}.${headers['webhook-timestamp'] ?? ''}.${seen[0]?.body ?? ''}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${mac}`);
    expect(
      signDelivery(
        secret,
        headers['webhook-id'] ?? '',
        seen[0]?.body ?? '',
        Number(headers['webhook-timestamp']),
      ),
    ).toBe(headers['webhook-signature']);
    // An answer the contract does not list is a violation (it would fail the test that caused it).
    await sim.deliver(id, 'https://app.example/hook', secret, answering(418, { status: 'teapot' }));
    expect(takeViolations().join('\n')).toMatch(/answered a delivery 418/);
  });

  it('injects faults, goes down, and adds latency', async () => {
    sim.failNext({ path: /health/, status: 503 });
    expect((await call(sim, 'GET', '/v1/health')).status).toBe(503);
    expect((await call(sim, 'GET', '/v1/health')).status).toBe(200);
    sim.setMode('down');
    await expect(call(sim, 'GET', '/v1/health')).rejects.toThrow(/fetch failed/);
    sim.setMode('up');
    sim.latencyMs = 60;
    const started = Date.now();
    await call(sim, 'GET', '/v1/health');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(sim.log.entries.map((entry) => entry.status)).toEqual([503, 200, 0, 200]);
  });

  it('serves alone over HTTP', async () => {
    const served = await sim.serve();
    try {
      const response = await fetch(`${served.url}/v1/health`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    } finally {
      await served.close();
    }
  });
});

describe('SQAI generator text analysis', () => {
  it('finds acceptance criteria under their heading, and only there', () => {
    const md =
      '# Intro\n- not a criterion\n\n## Acceptance criteria\n- one\n* two\n1. three\n\n## Notes\n- later';
    expect(acceptanceCriteria(md)).toEqual(['one', 'two', 'three']);
  });

  it('groups Given/When/Then lines into scenarios', () => {
    const md = 'Given a\nWhen b\nThen c\n\nGiven d\nAnd e\nWhen f\nThen g\nBut h';
    expect(gherkinBlocks(md)).toEqual([
      ['Given a', 'When b', 'Then c'],
      ['Given d', 'And e', 'When f', 'Then g', 'But h'],
    ]);
  });

  it('reads a line that ends in a Markdown hard break (a trailing backslash) without the backslash', () => {
    // What the app's ADF → Markdown writes for a hardBreak inside a paragraph.
    const md =
      '## Acceptance criteria\n- the user logs in\\\n\nGiven a shopper\\\nWhen they pay\\\nThen it is paid';
    expect(acceptanceCriteria(md)).toEqual(['the user logs in']);
    expect(gherkinBlocks(md)).toEqual([['Given a shopper', 'When they pay', 'Then it is paid']]);
  });
});
