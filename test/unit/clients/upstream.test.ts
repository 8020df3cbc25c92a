import { callUpstream, Deadline, UpstreamError } from '../../../src/clients/upstream';

describe('callUpstream', () => {
  it('retries transient failures and then succeeds', async () => {
    let calls = 0;
    const result = await callUpstream(
      async () => {
        calls += 1;
        if (calls < 3) throw new UpstreamError('503', 'http', 503);
        return 'ok';
      },
      { timeoutMs: 1000, maxAttempts: 3, initialDelayMs: 5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry what is not transient', async () => {
    let calls = 0;
    await expect(
      callUpstream(
        async () => {
          calls += 1;
          throw new UpstreamError('400', 'http', 400);
        },
        { timeoutMs: 1000, maxAttempts: 5, initialDelayMs: 5 },
      ),
    ).rejects.toMatchObject({ status: 400 });
    expect(calls).toBe(1);
  });

  it('honours Retry-After', async () => {
    const started = Date.now();
    let calls = 0;
    await callUpstream(
      async () => {
        calls += 1;
        if (calls === 1) throw new UpstreamError('429', 'http', 429, 300);
        return 'ok';
      },
      { timeoutMs: 1000, maxAttempts: 2, initialDelayMs: 1 },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('gives up instead of waiting past the deadline', async () => {
    const started = Date.now();
    await expect(
      callUpstream(
        async () => {
          throw new UpstreamError('429', 'http', 429, 5_000);
        },
        { timeoutMs: 1000, maxAttempts: 3, deadline: new Deadline(500) },
      ),
    ).rejects.toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('times out a slow attempt and aborts its signal', async () => {
    let aborted = false;
    await expect(
      callUpstream(
        (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
        { timeoutMs: 50, maxAttempts: 1 },
      ),
    ).rejects.toMatchObject({ kind: 'timeout' });
    expect(aborted).toBe(true);
  });
});

describe('what counts as transient', () => {
  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [505, false],
    [400, false],
    [401, false],
    [404, false],
    [413, false],
  ])('HTTP %i → transient %s', (status, transient) => {
    expect(new UpstreamError(String(status), 'http', status).transient).toBe(transient);
  });

  it('network failures and timeouts are transient', () => {
    expect(new UpstreamError('x', 'network').transient).toBe(true);
    expect(new UpstreamError('x', 'timeout').transient).toBe(true);
  });
});
