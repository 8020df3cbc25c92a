/**
 * The SQAI simulator keeps the contract in docs/sqai-contract.md: auth, contexts with
 * Idempotency-Key, batch limits, generations, signed deliveries, faults — in process and over HTTP.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptanceCriteria, gherkinBlocks } from '../../harness/sqai-sim/generator';
import { createSqaiSimulator, signDelivery, type SqaiSimulator } from '../../harness/sqai-sim/simulator';

const TOKEN = 'sqai-test-token';
const BASE = 'https://api.sqai-suite.com';

function context(issueId: string, contentHash: string, description = '') {
  return {
    schema: 'sqai.context/v1',
    contentHash,
    source: { cloudId: 'cloud-1', issueId, issueKey: `DEMO-${issueId}` },
    requirement: { summary: `Requirement ${issueId}`, description, priority: 'High' },
  };
}

async function call(
  sim: SqaiSimulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await sim.handle({
    method,
    url: `${BASE}${path}`,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    json: response.body ? (JSON.parse(response.body) as unknown) : undefined,
  };
}

describe('SQAI simulator', () => {
  let sim: SqaiSimulator;
  beforeEach(() => {
    sim = createSqaiSimulator({ tokens: [TOKEN] });
  });

  it('answers health with the token and 401 without it', async () => {
    expect(await call(sim, 'GET', '/v1/health')).toEqual({ status: 200, json: { status: 'ok' } });
    const anonymous = await sim.handle({ method: 'GET', url: `${BASE}/v1/health`, headers: {} });
    expect(anonymous.status).toBe(401);
    sim.revokeToken(TOKEN);
    expect((await call(sim, 'GET', '/v1/health')).status).toBe(401);
  });

  it('stores contexts and honours Idempotency-Key: created, unchanged, updated', async () => {
    const put = (hash: string) =>
      call(sim, 'PUT', '/v1/contexts/cloud-1/101', context('101', hash), { 'idempotency-key': hash });
    expect((await put('h1')).status).toBe(201);
    expect((await put('h1')).status).toBe(204);
    expect((await put('h2')).status).toBe(200);
    expect(sim.contexts.get('cloud-1/101')).toMatchObject({ contentHash: 'h2', version: 2 });
    expect(sim.received.map((r) => r.idempotencyKey)).toEqual(['h1', 'h1', 'h2']);
  });

  it('rejects a document whose source does not match the URL, and a non-document', async () => {
    expect((await call(sim, 'PUT', '/v1/contexts/cloud-1/999', context('101', 'h'))).status).toBe(400);
    expect((await call(sim, 'PUT', '/v1/contexts/cloud-1/101', { hello: 'world' })).status).toBe(400);
    expect(sim.contexts.size).toBe(0);
  });

  it('batches at most 50 documents and reports per document', async () => {
    const documents = [context('1', 'a'), { nonsense: true }, context('2', 'b')];
    const ok = await call(sim, 'POST', '/v1/contexts:batch', { documents });
    expect(ok).toMatchObject({
      status: 200,
      json: {
        results: [
          { issueId: '1', status: 'created' },
          { status: 'failed' },
          { issueId: '2', status: 'created' },
        ],
      },
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => context(String(i), 'x'));
    expect((await call(sim, 'POST', '/v1/contexts:batch', { documents: tooMany })).status).toBe(413);
  });

  it('refuses bodies over 4 MB with 413', async () => {
    const big = context('1', 'a', 'x'.repeat(4 * 1024 * 1024 + 10));
    expect((await call(sim, 'PUT', '/v1/contexts/cloud-1/1', big)).status).toBe(413);
  });

  it('generates tests from the pushed context: pending → running → succeeded', async () => {
    const description = [
      '### Acceptance criteria',
      '- A valid code reduces the total',
      '- The page answers in under 2 seconds',
      '',
      'Given a basket worth 80 EUR',
      'When the shopper applies "WELCOME10"',
      'Then the total is 72 EUR',
    ].join('\n');
    await call(sim, 'PUT', '/v1/contexts/cloud-1/7', context('7', 'hash-7', description));
    const request = {
      cloudId: 'cloud-1',
      issueId: '7',
      issueKey: 'DEMO-7',
      contentHash: 'hash-7',
      testTypes: ['Manual', 'Cucumber', 'Generic'],
      maxTests: 10,
    };
    const created = await call(sim, 'POST', '/v1/generations', request);
    expect(created.status).toBe(202);
    const { id } = created.json as { id: string };
    const statuses: string[] = [];
    let last: {
      status: string;
      tests?: { testType: string; title: string; steps?: unknown[]; gherkin?: string }[];
    } = {
      status: '',
    };
    for (let i = 0; i < 3; i += 1) {
      last = (await call(sim, 'GET', `/v1/generations/${id}`)).json as typeof last;
      statuses.push(last.status);
    }
    expect(statuses).toEqual(['running', 'succeeded', 'succeeded']);
    expect(last.tests?.map((test) => test.testType)).toEqual(['Manual', 'Manual', 'Cucumber', 'Generic']);
    expect(last.tests?.[2]?.gherkin).toContain('When the shopper applies "WELCOME10"');
    expect(last.tests?.[3]?.title).toContain('under 2 seconds');
  });

  it('refuses a generation for a context it has not received (wrong hash)', async () => {
    await call(sim, 'PUT', '/v1/contexts/cloud-1/7', context('7', 'hash-7'));
    const response = await call(sim, 'POST', '/v1/generations', {
      cloudId: 'cloud-1',
      issueId: '7',
      issueKey: 'DEMO-7',
      contentHash: 'other',
      testTypes: ['Manual'],
      maxTests: 3,
    });
    expect(response.status).toBe(409);
    expect((await call(sim, 'POST', '/v1/generations', { issueId: '7' })).status).toBe(400);
  });

  it('signs deliveries with HMAC-SHA256 over "<t>.<body>"', async () => {
    await call(sim, 'PUT', '/v1/contexts/cloud-1/7', context('7', 'h', '- one'));
    const { json } = await call(sim, 'POST', '/v1/generations', {
      cloudId: 'cloud-1',
      issueId: '7',
      issueKey: 'DEMO-7',
      contentHash: 'h',
      testTypes: ['Manual'],
      maxTests: 1,
    });
    const received: { signature: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ signature: String(req.headers['x-sqai-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await sim.deliver(
      (json as { id: string }).id,
      `http://127.0.0.1:${port}/hook`,
      'shared-secret',
    );
    server.close();
    expect(response.status).toBe(204);
    const [delivery] = received;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery?.signature ?? '');
    expect(match).not.toBeNull();
    const expected = createHmac('sha256', 'shared-secret')
      .update(`${match?.[1] ?? ''}.${delivery?.body ?? ''}`)
      .digest('hex');
    expect(match?.[2]).toBe(expected);
    expect(signDelivery('shared-secret', delivery?.body ?? '', Number(match?.[1]))).toBe(delivery?.signature);
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
      expect(await response.json()).toEqual({ status: 'ok' });
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
