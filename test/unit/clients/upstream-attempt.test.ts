/**
 * The one attempt every client makes (`attemptUpstream`, `requestUpstream`): what it sends, how it
 * classifies an answer, which failures it repeats for safe and unsafe requests, how it reads JSON.
 */
import { isAppError } from '../../../src/errors';
import type { HttpRequestInit, HttpResponse } from '../../../src/platform/ports';
import {
  attemptUpstream,
  isUpstreamError,
  mayRetry,
  requestUpstream,
  throwIfRateLimited,
  type Transport,
  UpstreamError,
} from '../../../src/clients/upstream';

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

const responseOf = ({ status, body = '', headers = {} }: Reply): HttpResponse => ({
  status,
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  text: () => Promise.resolve(body),
});

/** A transport answering `replies` in order (an Error is thrown as a failed send), recording each init. */
function scripted(...replies: (Reply | Error)[]): Transport & { sent: HttpRequestInit[] } {
  const sent: HttpRequestInit[] = [];
  const transport = (init: HttpRequestInit) => {
    sent.push(init);
    const reply = replies[Math.min(sent.length, replies.length) - 1];
    if (!reply) throw new Error('no reply scripted');
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(responseOf(reply));
  };
  return Object.assign(transport, { sent });
}

const GET = { method: 'GET' };
const FAST = { upstream: 'Test', timeoutMs: 1_000, maxAttempts: 3, initialDelayMs: 1 };
const signal = () => new AbortController().signal;

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('attemptUpstream: one request', () => {
  it('sends JSON with Accept, Content-Type only with a body, the client’s headers and redirect', async () => {
    const transport = scripted({ status: 200 });
    await attemptUpstream(
      transport,
      { method: 'PUT', body: { a: 1 }, headers: { Authorization: 'Bearer t' }, redirect: 'error' },
      signal(),
      FAST,
    );
    await attemptUpstream(transport, GET, signal(), FAST);
    expect(transport.sent[0]).toMatchObject({
      method: 'PUT',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      body: '{"a":1}',
      redirect: 'error',
    });
    expect(transport.sent[1]).toEqual({
      method: 'GET',
      headers: { Accept: 'application/json' },
      signal: expect.any(AbortSignal) as AbortSignal,
    });
  });

  it.each([200, 201, 204, 400, 401, 403, 404, 413])('answers %i to the client', async (status) => {
    const answer = await attemptUpstream(scripted({ status, body: '{"x":1}' }), GET, signal(), FAST);
    expect(answer.status).toBe(status);
    expect(answer.text).toBe('{"x":1}');
    expect(answer.json()).toEqual({ x: 1 });
  });

  it.each([
    [429, true],
    [500, true],
    [503, true],
    [501, false],
    [505, false],
  ])('throws %i as an http UpstreamError (transient: %s) naming the upstream', async (status, transient) => {
    const error = await failureOf(attemptUpstream(scripted({ status }), GET, signal(), FAST));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'http', status, message: `Test answered ${status}` });
    expect((error as UpstreamError).transient).toBe(transient);
  });

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    const seconds = await failureOf(
      attemptUpstream(scripted({ status: 429, headers: { 'retry-after': '7' } }), GET, signal(), FAST),
    );
    expect(seconds).toMatchObject({ retryAfterMs: 7_000 });
    const date = new Date(Date.now() + 60_000).toUTCString();
    const dated = await failureOf(
      attemptUpstream(scripted({ status: 503, headers: { 'retry-after': date } }), GET, signal(), FAST),
    );
    expect((dated as UpstreamError).retryAfterMs).toBeGreaterThan(50_000);
    expect((dated as UpstreamError).retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('wraps a failed send as a network or timeout error, unless the client’s hook throws its own', async () => {
    const reset = await failureOf(
      attemptUpstream(scripted(new TypeError('fetch failed')), GET, signal(), FAST),
    );
    expect(reset).toMatchObject({ kind: 'network' });
    const aborted = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(await failureOf(attemptUpstream(scripted(aborted), GET, signal(), FAST))).toMatchObject({
      kind: 'timeout',
    });
    const own = new Error('consent');
    const hooked = await failureOf(
      attemptUpstream(scripted(new Error('forge')), GET, signal(), {
        ...FAST,
        onSendError: () => {
          throw own;
        },
      }),
    );
    expect(hooked).toBe(own);
  });

  it('runs beforeSend first and onResponse once the body is read, before a 429 is thrown', async () => {
    const calls: string[] = [];
    const transport: Transport = () => {
      calls.push('send');
      return Promise.resolve({
        status: 429,
        headers: { get: () => null },
        text: () => {
          calls.push('read');
          return Promise.resolve('');
        },
      });
    };
    const error = await failureOf(
      attemptUpstream(transport, GET, signal(), {
        ...FAST,
        beforeSend: () => void calls.push('before'),
        onResponse: (response) => void calls.push(`response ${response.status}`),
      }),
    );
    expect(calls).toEqual(['before', 'send', 'read', 'response 429']);
    expect(error).toMatchObject({ status: 429 });
  });
});

describe('attemptUpstream: the body as JSON', () => {
  it('is undefined when empty or not JSON, and parsed once', async () => {
    expect((await attemptUpstream(scripted({ status: 200 }), GET, signal(), FAST)).json()).toBeUndefined();
    const html = await attemptUpstream(scripted({ status: 400, body: '<html>' }), GET, signal(), FAST);
    expect(html.json()).toBeUndefined();
    expect(html.text).toBe('<html>');
    const answer = await attemptUpstream(scripted({ status: 200, body: '{"a":[1]}' }), GET, signal(), FAST);
    expect(answer.json()).toBe(answer.json());
    const literal = await attemptUpstream(scripted({ status: 200, body: 'null' }), GET, signal(), FAST);
    expect(literal.json()).toBeNull();
  });

  it('makes lone surrogates U+FFFD by default, and keeps them when asked', async () => {
    const body = '{"title":"a\\ud800b","pair":"\\ud83d\\ude00"}';
    const wellFormed = await attemptUpstream(scripted({ status: 200, body }), GET, signal(), FAST);
    expect(wellFormed.json()).toEqual({ title: 'a\uFFFDb', pair: '😀' });
    const asSent = await attemptUpstream(scripted({ status: 200, body }), GET, signal(), {
      ...FAST,
      loneSurrogates: 'keep',
    });
    expect(asSent.json()).toEqual({ title: 'a\uD800b', pair: '😀' });
  });
});

describe('requestUpstream: the one retry policy', () => {
  it('repeats a safe request after a 5xx, a network failure and a 429', async () => {
    const transport = scripted({ status: 503 }, new TypeError('fetch failed'), { status: 200, body: '"ok"' });
    expect((await requestUpstream(transport, GET, FAST)).json()).toBe('ok');
    const limited = scripted({ status: 429, headers: { 'retry-after': '0' } }, { status: 204 });
    expect((await requestUpstream(limited, GET, FAST)).status).toBe(204);
    expect(transport.sent).toHaveLength(3);
    expect(limited.sent).toHaveLength(2);
  });

  it('repeats an unsafe request only after a 429, which the server refused', async () => {
    const unsafe = { ...FAST, requestKind: 'unsafe' as const };
    for (const first of [{ status: 503 }, new TypeError('fetch failed')]) {
      const transport = scripted(first, { status: 201 });
      expect(isUpstreamError(await failureOf(requestUpstream(transport, { method: 'POST' }, unsafe)))).toBe(
        true,
      );
      expect(transport.sent).toHaveLength(1);
    }
    const limited = scripted({ status: 429, headers: { 'retry-after': '0' } }, { status: 201 });
    expect((await requestUpstream(limited, { method: 'POST' }, unsafe)).status).toBe(201);
    expect(limited.sent).toHaveLength(2);
  });

  it('never repeats a 501, and gives up after maxAttempts', async () => {
    const notImplemented = scripted({ status: 501 });
    await failureOf(requestUpstream(notImplemented, GET, FAST));
    expect(notImplemented.sent).toHaveLength(1);
    const down = scripted({ status: 500 });
    expect(await failureOf(requestUpstream(down, GET, FAST))).toMatchObject({ status: 500 });
    expect(down.sent).toHaveLength(3);
  });

  it.each([
    ['safe', 503, true],
    ['safe', 501, false],
    ['unsafe', 503, false],
    ['unsafe', 429, true],
  ] as const)('mayRetry(%s, %i) is %s', (kind, status, expected) => {
    expect(mayRetry(new UpstreamError('x', 'http', status), kind)).toBe(expected);
  });

  it('mayRetry: a timeout is repeated for a safe request only; other errors never', () => {
    expect(mayRetry(new UpstreamError('x', 'timeout'), 'safe')).toBe(true);
    expect(mayRetry(new UpstreamError('x', 'timeout'), 'unsafe')).toBe(false);
    expect(mayRetry(new Error('x'))).toBe(false);
  });
});

describe('throwIfRateLimited', () => {
  it('turns a final 429 into RATE_LIMITED with its Retry-After, and lets anything else by', () => {
    const limited = new UpstreamError('x', 'http', 429, 2_000);
    let thrown: unknown;
    try {
      throwIfRateLimited(limited, 'Failed to read things');
    } catch (error) {
      thrown = error;
    }
    expect(isAppError(thrown) && thrown.code).toBe('RATE_LIMITED');
    expect(thrown).toMatchObject({ retryAfterMs: 2_000, cause: limited });
    expect((thrown as Error).message).toMatch(/^Failed to read things: /);
    expect(() => throwIfRateLimited(new UpstreamError('x', 'http', 503), 'p')).not.toThrow();
    expect(() => throwIfRateLimited(new Error('x'), 'p')).not.toThrow();
  });
});
