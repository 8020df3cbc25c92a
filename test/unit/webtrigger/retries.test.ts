/**
 * SQAI's retries against the real web trigger (docs/sqai-contract.md "Deliveries" › Retries): every
 * answer but a 2xx is retried on the Standard Webhooks schedule with the same `webhook-id` and body
 * and a fresh signature; the app's answers make that safe — a retry after a lost answer is 200
 * `duplicate`, a delivery that overtook the app's bookkeeping (404) succeeds on a later attempt, a
 * 503 carries `Retry-After` — and nothing is ever applied twice. Also: the set of remembered ids stays
 * within one stored value.
 */
import { deliveryWebtrigger } from '../../../src/index';
import { DEDUPE_WINDOW_SECONDS, RETRY_AFTER_SECONDS } from '../../../src/webtrigger/delivery-handler';
import { describeWithContracts } from '../../harness/contracts';
import { data as ok } from '../../harness/demo-settings';
import {
  deliveryRequest,
  deliverySetup,
  DEMO_INSTALL,
  generationDelivery,
  type DeliverySetup,
} from '../../harness/scenarios/delivery';
import { deliverWithRetries, SQAI_RETRY_SCHEDULE_SECONDS } from '../../harness/sqai-sim/deliveries';
import type { GenerationDto } from '../../../src/api';

/** `fetch` as SQAI would call it, answered by the app's exported web trigger. */
/** What the app stored, less the audit trail (every authenticated delivery is recorded there: src/audit/). */
const storedWithoutAudit = (world: DeliverySetup['world']): string =>
  JSON.stringify([...world.platform.kvs.data.entries()].filter(([key]) => !key.startsWith('audit:')));

function viaWebTrigger(install = DEMO_INSTALL): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([name, value]) => [name, [value]]),
    );
    const answer = await deliveryWebtrigger(
      {
        method: init?.method ?? 'GET',
        body: typeof init?.body === 'string' ? init.body : '',
        headers,
        queryParameters: { project: [url.searchParams.get('project') ?? ''] },
      },
      install,
    );
    const responseHeaders = new Headers();
    for (const [name, values] of Object.entries(answer.headers))
      for (const v of values) responseHeaders.append(name, v);
    return new Response(answer.body, { status: answer.statusCode, headers: responseHeaders });
  };
}

const generationKey = (s: DeliverySetup) =>
  [...s.world.platform.kvs.data.keys()].find(
    (key) => key.startsWith('gen:') && key.split(':').length === 3,
  ) ?? '';

describeWithContracts('SQAI retries a delivery until a 2xx; the app applies it once', () => {
  it('states the schedule: 10 attempts over about 75.6 hours', () => {
    expect(SQAI_RETRY_SCHEDULE_SECONDS).toHaveLength(10);
    expect(SQAI_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0)).toBe(75 * 3600 + 35 * 60 + 5);
  });

  it('a delivery that overtakes the app’s bookkeeping (404) succeeds on the next attempt; a resend is a duplicate', async () => {
    const s = await deliverySetup();
    const key = generationKey(s);
    const stored = s.world.platform.kvs.data.get(key);
    expect(stored).toBeDefined();
    // The generation is not stored yet when SQAI delivers (it answered POST /v1/generations first).
    s.world.platform.kvs.data.delete(key);
    const waits: number[] = [];
    const body = generationDelivery(s);
    const attempts = await deliverWithRetries(s.url, s.secret, body, {
      id: 'msg_race0001',
      send: viaWebTrigger(),
      sleep: async (seconds) => {
        waits.push(seconds);
        s.world.platform.kvs.data.set(key, stored);
      },
    });
    expect(attempts.map((a) => a.status)).toEqual([404, 202]);
    expect(waits).toEqual([5]);
    const proposals = ok(
      await s.world.invokeIssue<{ generation: GenerationDto }>('getGenerationPanel', {}, 'DEMO-3'),
    ).generation.proposals;
    expect(proposals.length).toBeGreaterThan(0);
    // SQAI lost the 202 and starts over with the same id: answered 200 at once, nothing changes.
    const snapshot = storedWithoutAudit(s.world);
    const resent = await deliverWithRetries(s.url, s.secret, body, {
      id: 'msg_race0001',
      send: viaWebTrigger(),
    });
    expect(resent.map((a) => a.status)).toEqual([200]);
    expect(storedWithoutAudit(s.world)).toBe(snapshot);
  });

  it('a 503 (Jira or Xray unavailable) stores nothing and asks for a retry after 60 s', async () => {
    const s = await deliverySetup();
    const before = storedWithoutAudit(s.world);
    s.world.jira.failNext({ status: 503, count: 1_000 });
    s.world.xray.failNext({ status: 503, count: 1_000 });
    const answer = await deliveryWebtrigger(
      deliveryRequest(generationDelivery(s), s.secret, { id: 'msg_down0001' }),
      DEMO_INSTALL,
    );
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['Retry-After']).toEqual([String(RETRY_AFTER_SECONDS)]);
    expect(storedWithoutAudit(s.world)).toBe(before);
    s.world.jira.faults.clear();
    s.world.xray.faults.clear();
    // The retry (same id, new signature) is applied: the 503 did not remember the id.
    const retry = await deliveryWebtrigger(
      deliveryRequest(generationDelivery(s), s.secret, { id: 'msg_down0001' }),
      DEMO_INSTALL,
    );
    expect(retry.statusCode).toBe(202);
  }, 60_000);

  it('the sender waits at least Retry-After and stops at the first 2xx', async () => {
    let calls = 0;
    const waits: number[] = [];
    const attempts = await deliverWithRetries(
      'https://app.example/x',
      'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '{}',
      {
        send: async () => {
          calls += 1;
          return calls < 3
            ? new Response('{}', { status: 503, headers: { 'Retry-After': '600' } })
            : new Response('{}', { status: 200 });
        },
        sleep: async (seconds) => void waits.push(seconds),
      },
    );
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    // 5 s and 5 min on the schedule, both raised to Retry-After's 600 s.
    expect(waits).toEqual([600, 600]);
  });

  // Issue 14 item 4: the remembered ids are the one stored list a sender controls; 1,000 deliveries
  // in the window must stay within one key-value value, and every later delivery must be answered.
  it('1,000 deliveries in the window: every one is answered, the id set stays under 240 KiB', async () => {
    const s = await deliverySetup();
    const first = await deliveryWebtrigger(
      deliveryRequest(generationDelivery(s), s.secret, { id: 'msg_bound0000' }),
      DEMO_INSTALL,
    );
    expect(first.statusCode).toBe(202);
    const statuses = new Map<number, number>();
    for (let n = 0; n < 1_000; n += 1) {
      const id = `msg_${String(n).padStart(4, '0')}_${'x'.repeat(91)}`;
      const answer = await deliveryWebtrigger(
        deliveryRequest(generationDelivery(s), s.secret, { id }),
        DEMO_INSTALL,
      );
      statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
    }
    expect(statuses).toEqual(new Map([[200, 1_000]]));
    const stored = [...s.world.platform.kvs.data.entries()].find(([key]) => key.startsWith('deliveries:'));
    expect(Buffer.byteLength(JSON.stringify(stored?.[1] ?? null), 'utf8')).toBeLessThanOrEqual(240 * 1024);
    expect(DEDUPE_WINDOW_SECONDS).toBe(24 * 3600);
  }, 60_000);
});
