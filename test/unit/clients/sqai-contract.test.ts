/**
 * The app reads SQAI the way the contract's rules say (docs/sqai-contract.md): unknown fields and
 * enum values are tolerated (evolution, item 6), errors are RFC 9457 problems acted on by their
 * `type` code (item 4), "characters" are UTF-16 code units (item 7), and a `RateLimit` header saying
 * nothing remains holds the next request back until its reset (draft-ietf-httpapi-ratelimit-headers).
 */
import {
  clearRateLimitPauses,
  rateLimitPause,
  SqaiClient,
  type BatchItemResult,
} from '../../../src/clients/sqai';
import {
  batchResponseSchema,
  generationSchema,
  parseGeneratedTests,
  problemTypeOf,
  SQAI_LIMITS,
} from '../../../src/clients/sqai-schemas';
import { Deadline } from '../../../src/clients/upstream';
import { AppError, toErrorDto } from '../../../src/errors';
import type { Http, HttpResponse } from '../../../src/platform/ports';

const TOKEN = 'sqai-contract-test-token-0123456789';
const HASH = 'a'.repeat(64);

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Answers each request with the next reply (the last one repeats), recording the requests. */
function scripted(
  replies: Reply[],
  sent: { at: number; url: string; headers: Record<string, string> }[] = [],
): Http {
  let next = 0;
  return {
    fetch(url, init) {
      sent.push({ at: Date.now(), url, headers: init.headers ?? {} });
      const reply = replies[Math.min(next++, replies.length - 1)] ?? { status: 500 };
      const headers = Object.fromEntries(
        Object.entries({ 'content-type': 'application/json', ...reply.headers }).map(([k, v]) => [
          k.toLowerCase(),
          v,
        ]),
      );
      const response: HttpResponse = {
        status: reply.status,
        headers: { get: (name) => headers[name.toLowerCase()] ?? null },
        text: () => Promise.resolve(reply.body === undefined ? '' : JSON.stringify(reply.body)),
      };
      return Promise.resolve(response);
    },
  };
}

const client = (http: Http, deadlineMs = 20_000) =>
  new SqaiClient({ http }, { endpoint: 'https://api.sqai.example', token: TOKEN }, new Deadline(deadlineMs));

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

afterEach(() => clearRateLimitPauses());

describe('evolution: unknown fields and enum values never fail a read (item 6)', () => {
  it('a generation with fields and a status the app does not know parses; the status means "keep polling"', async () => {
    const answer = {
      id: 'gen-1',
      status: 'queued-for-gpu',
      progress: { percent: 40 },
      model: 'sqai-2',
      tests: null,
    };
    expect(generationSchema.parse(answer)).toEqual({ id: 'gen-1', status: 'running', tests: null });
    const read = await client(scripted([{ status: 200, body: answer }])).getGeneration('gen-1', 'DEMO-1');
    expect(read.status).toBe('running');
  });

  it('a generated test with unknown fields keeps its known ones', () => {
    const { valid, invalid } = parseGeneratedTests([
      { id: 't1', title: 'A test', testType: 'Manual', steps: [{ action: 'do', extra: 1 }], confidence: 0.9 },
    ]);
    expect(invalid).toEqual([]);
    expect(valid).toEqual([{ id: 't1', title: 'A test', testType: 'Manual', steps: [{ action: 'do' }] }]);
  });

  it('a batch result with an unknown status reads as failed; unknown members are ignored', () => {
    const parsed = batchResponseSchema.parse({
      results: [{ issueId: '10001', contentHash: HASH, status: 'deferred', retryIn: 30 }],
      cursor: 'next',
    });
    expect(parsed.results).toEqual([{ issueId: '10001', contentHash: HASH, status: 'failed' }]);
  });

  it('a write answered 200 with an unknown status reads as "updated"', async () => {
    const written = await client(
      scripted([{ status: 200, body: { status: 'merged', issueId: '1' } }]),
    ).putContext('cloud-1', '10001', { contentHash: HASH, source: { issueKey: 'DEMO-1' } }, 'nothing');
    expect(written).toBe('updated');
  });
});

describe('one error model: RFC 9457 problems (item 4)', () => {
  const problem = (code: string, status: number, detail: string) => ({
    status,
    body: { type: problemTypeOf(code as never), title: 'ignored words', status, detail },
    headers: { 'content-type': 'application/problem+json' },
  });

  it('409 context-not-pushed is named by its code; SQAI’s words go to the log, redacted', async () => {
    const error = await failureOf(
      client(scripted([problem('context-not-pushed', 409, `no context; token ${TOKEN}`)])).createGeneration(
        {
          cloudId: 'c',
          issueId: '10001',
          issueKey: 'DEMO-1',
          contentHash: HASH,
          testTypes: [{ name: 'Manual', kind: 'Steps' }],
          maxTests: 1,
        },
        'key-00000001',
      ),
    );
    const dto = toErrorDto(error, { projectAdmin: true });
    expect(dto.code).toBe('SQAI_REJECTED');
    expect(dto.detail).toMatch(
      /409 Conflict \(context-not-pushed\).*does not hold this requirement’s current context/,
    );
    expect(JSON.stringify(dto)).not.toContain(TOKEN);
  });

  it('a 412 on a write is a conflict carrying the hash SQAI holds (from the problem, else the ETag)', async () => {
    const document = { contentHash: HASH, source: { issueKey: 'DEMO-1' } };
    const fromProblem = await client(
      scripted([
        {
          ...problem('precondition-failed', 412, 'held'),
          body: { type: problemTypeOf('precondition-failed'), currentContentHash: 'b'.repeat(64) },
        },
      ]),
    ).putContext('c', '1', document, { contentHash: HASH });
    expect(fromProblem).toEqual({ conflict: true, current: 'b'.repeat(64) });
    const fromEtag = await client(
      scripted([{ status: 412, body: { type: 'about:blank' }, headers: { etag: `"${'c'.repeat(64)}"` } }]),
    ).putContext('c', '1', document, 'nothing');
    expect(fromEtag).toEqual({ conflict: true, current: 'c'.repeat(64) });
  });

  it('a failed batch item keeps its problem code and SQAI’s current hash', async () => {
    const results = await client(
      scripted([
        {
          status: 200,
          body: {
            results: [
              {
                issueId: '1',
                contentHash: HASH,
                status: 'failed',
                problem: { type: problemTypeOf('precondition-failed'), currentContentHash: 'd'.repeat(64) },
              },
            ],
          },
        },
      ]),
    ).pushBatch([
      { document: { contentHash: HASH, source: { issueId: '1', issueKey: 'DEMO-1' } }, held: 'nothing' },
    ]);
    expect(results.get('1')).toEqual<BatchItemResult>({
      status: 'failed',
      contentHash: HASH,
      problem: 'precondition-failed',
      current: 'd'.repeat(64),
    });
  });

  it('sends the precondition headers: If-None-Match: * for nothing held, If-Match "<hash>" otherwise', async () => {
    const sent: { at: number; url: string; headers: Record<string, string> }[] = [];
    const http = scripted([{ status: 201, body: { status: 'created' } }], sent);
    const document = { contentHash: HASH, source: { issueKey: 'DEMO-1' } };
    await client(http).putContext('c', '1', document, 'nothing');
    await client(http).putContext('c', '1', document, { contentHash: 'e'.repeat(64) });
    expect(sent.map((request) => [request.headers['If-None-Match'], request.headers['If-Match']])).toEqual([
      ['*', undefined],
      [undefined, `"${'e'.repeat(64)}"`],
    ]);
  });
});

describe('characters are UTF-16 code units, everywhere (item 7)', () => {
  it('a title of 255 units is kept; 128 emoji (256 units, 128 code points) are over the limit', () => {
    const fits = 'a'.repeat(SQAI_LIMITS.titleChars);
    const emoji = '😀'.repeat(128);
    expect([...emoji]).toHaveLength(128);
    expect(emoji).toHaveLength(256);
    const { valid, invalid } = parseGeneratedTests([
      { id: 'a', title: fits, testType: 'Manual' },
      { id: 'b', title: emoji, testType: 'Manual' },
    ]);
    expect(valid.map((test) => test.id)).toEqual(['a']);
    expect(invalid[0]).toMatchObject({ id: 'b', reason: expect.stringMatching(/^title: /) as unknown });
  });
});

describe('RateLimit headers are honoured (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('reads the structured field and the older RateLimit-Remaining / RateLimit-Reset pair', () => {
    const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
    expect(rateLimitPause(headers({ ratelimit: '"default";r=0;t=2' }))).toBe(2);
    expect(rateLimitPause(headers({ ratelimit: '"default";r=5;t=2' }))).toBeUndefined();
    expect(rateLimitPause(headers({ ratelimit: '"burst";r=3;t=1, "day";r=0;t=7' }))).toBe(7);
    expect(rateLimitPause(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '3' }))).toBe(3);
    expect(rateLimitPause(headers({}))).toBeUndefined();
  });

  it('after "nothing remains, reset in 1 s" the next request waits for the reset', async () => {
    const sent: { at: number; url: string; headers: Record<string, string> }[] = [];
    const http = scripted(
      [
        { status: 200, body: { status: 'ok' }, headers: { RateLimit: '"default";r=0;t=1' } },
        { status: 200, body: { status: 'ok' } },
      ],
      sent,
    );
    const sqai = client(http);
    await sqai.health();
    await sqai.health();
    expect(sent).toHaveLength(2);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('a reset beyond the time left fails at once as RATE_LIMITED, sending nothing', async () => {
    const sent: { at: number; url: string; headers: Record<string, string> }[] = [];
    const http = scripted(
      [{ status: 200, body: { status: 'ok' }, headers: { RateLimit: '"default";r=0;t=600' } }],
      sent,
    );
    await client(http).health();
    const error = await failureOf(client(http, 20_000).health());
    expect(error.code).toBe('RATE_LIMITED');
    expect(sent).toHaveLength(1);
  });
});
