/**
 * SQAI's signed deliveries to the web trigger (Standard Webhooks, docs/sqai-contract.md
 * "Deliveries"), through the REAL exported handler: a good delivery stores the proposals; a resend of
 * the same `webhook-id` is answered 2xx and applies nothing; an unknown event type is answered 200 and
 * ignored; every bad one is a 4xx and stores nothing — signature, age, size, shape, site — and a
 * fuzzer (fast-check, 1,200 cases) finds no body that gets through or throws.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { DeliverySettingsDto, GenerationDto, RotatedDeliverySecretDto } from '../../../src/api';
import { deliveryWebtrigger } from '../../../src/index';
import { UNAUTHENTICATED_MESSAGE } from '../../../src/webtrigger/delivery-handler';
import { describeWithContracts } from '../../harness/contracts';
import { data as ok, demoSettings } from '../../harness/demo-settings';
import { webTriggerAnswerSchema } from '../../harness/playground/triggers';
import { OutcomeTally } from '../../harness/property-report';
import {
  deliveryRequest,
  deliverySetup,
  DEMO_INSTALL,
  generationDelivery,
  nowSeconds,
  type DeliverySetup,
} from '../../harness/scenarios/delivery';
import { signDelivery } from '../../harness/sqai-sim/deliveries';
import { createWorld, DEMO, type World } from '../../harness/world';

const INSTALL = DEMO_INSTALL;
type Setup = DeliverySetup;
const setup = (): Promise<Setup> => deliverySetup();

function snapshot(world: World, options: { withDedupe?: boolean } = {}): string {
  return JSON.stringify(
    // The audit trail records every authenticated delivery (src/audit/): what the app *applied* is the rest.
    [...world.platform.kvs.data.entries()].filter(
      ([key]) =>
        !key.startsWith('audit:') && (options.withDedupe !== false || !key.startsWith('deliveries:')),
    ),
  );
}

const answerOf = (response: { body: string }) => JSON.parse(response.body) as unknown;

async function panelOf(world: World): Promise<GenerationDto> {
  return ok(await world.invokeIssue<{ generation: GenerationDto }>('getGenerationPanel', {}, 'DEMO-3'))
    .generation;
}

describeWithContracts('SQAI deliveries (web trigger)', () => {
  it('shows the URL and a write-only whsec_ secret (32 key bytes) to project admins only', async () => {
    const world = createWorld();
    ok(await world.invoke('saveSettings', demoSettings('enterprise')));
    const before = ok(await world.invoke<DeliverySettingsDto>('getDeliverySettings', {}));
    expect(before).toEqual({ url: 'http://127.0.0.1:8787/x1/sqai-delivery?project=10000', secret: 'unset' });
    const rotated = ok(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(rotated.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(ok(await world.invoke<DeliverySettingsDto>('getDeliverySettings', {})).secret).toBe('set');
    const asUser = await world.invoke('rotateDeliverySecret', {}, DEMO.user);
    expect(asUser).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Disconnect removes it (the current and any previous secret live under the one key).
    ok(await world.invoke('rotateDeliverySecret', {}));
    ok(await world.invoke('disconnect', {}));
    expect(world.platform.secrets.data.size).toBe(0);
  });

  it('accepts a signed delivery once; a resend of the same webhook-id is 200 duplicate and applies nothing', async () => {
    const s = await setup();
    const body = generationDelivery(s);
    const response = await deliveryWebtrigger(
      deliveryRequest(body, s.secret, { id: 'msg_first01' }),
      INSTALL,
    );
    expect(response.statusCode).toBe(202);
    expect(answerOf(response)).toEqual({ status: 'accepted' });
    const panel = await panelOf(s.world);
    expect(panel.status).toBe('succeeded');
    expect(panel.proposals.length).toBeGreaterThan(0);

    // SQAI did not get the answer and sends it again: same id and body, a new timestamp and signature.
    const stored = snapshot(s.world);
    const resend = await deliveryWebtrigger(
      deliveryRequest(body, s.secret, { id: 'msg_first01', at: nowSeconds() + 5 }),
      INSTALL,
    );
    expect(resend.statusCode).toBe(200);
    expect(answerOf(resend)).toEqual({ status: 'duplicate' });
    expect(snapshot(s.world)).toBe(stored);
    // A resend with the same id is a duplicate whatever it carries.
    const changed = generationDelivery(s, { data: { tests: [] } });
    const other = await deliveryWebtrigger(
      deliveryRequest(changed, s.secret, { id: 'msg_first01' }),
      INSTALL,
    );
    expect(answerOf(other)).toEqual({ status: 'duplicate' });
    // Another delivery of the finished generation (a new id): 200, nothing applied twice.
    const results = snapshot(s.world, { withDedupe: false });
    const again = await deliveryWebtrigger(deliveryRequest(body, s.secret, { id: 'msg_second2' }), INSTALL);
    expect(again.statusCode).toBe(200);
    expect(answerOf(again)).toEqual({ status: 'already received' });
    expect(snapshot(s.world, { withDedupe: false })).toBe(results);
    expect((await panelOf(s.world)).proposals).toEqual(panel.proposals);
  });

  it('answers an event type it does not handle 200 "ignored", logs the type (no secret), stores no result', async () => {
    const s = await setup();
    const before = snapshot(s.world, { withDedupe: false });
    const from = s.world.platform.log.lines.length;
    const body = generationDelivery(s, { type: 'generation.progress' });
    const signature = signDelivery(s.secret, 'msg_progress1', body, nowSeconds());
    const response = await deliveryWebtrigger(
      deliveryRequest(body, s.secret, { id: 'msg_progress1' }),
      INSTALL,
    );
    expect(response.statusCode).toBe(200);
    expect(answerOf(response)).toEqual({ status: 'ignored' });
    expect(snapshot(s.world, { withDedupe: false })).toBe(before);
    expect((await panelOf(s.world)).status).not.toBe('succeeded');
    const lines = s.world.platform.log.lines.slice(from);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toContainEqual(
      expect.objectContaining({
        msg: 'Delivery ignored: event type not handled',
        type: 'generation.progress',
        deliveryId: 'msg_progress1',
      }),
    );
    const logged = lines.join('\n');
    expect(logged).not.toContain(s.secret);
    expect(logged).not.toContain(s.secret.slice('whsec_'.length));
    expect(logged).not.toContain(signature.slice(3));
    // A malformed type is not "unknown": it is a bad body.
    const bad = generationDelivery(s, { type: 'generation succeeded!' });
    expect(
      (await deliveryWebtrigger(deliveryRequest(bad, s.secret, { id: 'msg_badtype1' }), INSTALL)).statusCode,
    ).toBe(400);
  });

  it('records a generation.failed delivery as the generation’s failure', async () => {
    const s = await setup();
    const body = generationDelivery(s, {
      type: 'generation.failed',
      data: { error: 'the model is overloaded' },
    });
    const response = await deliveryWebtrigger(
      deliveryRequest(body, s.secret, { id: 'msg_failed01' }),
      INSTALL,
    );
    expect(response.statusCode).toBe(202);
    const panel = await panelOf(s.world);
    expect(panel.status).toBe('failed');
    expect(panel.error?.message).toContain('the model is overloaded');
  });

  it.each([
    ['no signature headers', (_s: Setup, body: string) => deliveryRequest(body, undefined), 401],
    [
      'a wrong secret',
      (_s: Setup, body: string) => deliveryRequest(body, 'whsec_bm90LXRoZS1zZWNyZXQtYXQtYWxsLTEyMzQ1Njc4'),
      401,
    ],
    [
      'the secret’s text as the key (not its decoded bytes)',
      (s: Setup, body: string) => ({
        ...deliveryRequest(body, undefined),
        headers: {
          'webhook-id': ['msg_textkey1'],
          'webhook-timestamp': [String(nowSeconds())],
          'webhook-signature': [
            `v1,${createHmac('sha256', Buffer.from(s.secret, 'utf8')).update(`msg_textkey1.${nowSeconds()}.${body}`).digest('base64')}`,
          ],
        },
      }),
      401,
    ],
    [
      'an old timestamp',
      (s: Setup, body: string) => deliveryRequest(body, s.secret, { at: nowSeconds() - 301 }),
      401,
    ],
    [
      'a future timestamp',
      (s: Setup, body: string) => deliveryRequest(body, s.secret, { at: nowSeconds() + 301 }),
      401,
    ],
    [
      'a tampered body',
      (s: Setup, body: string) => ({ ...deliveryRequest(body, s.secret), body: `${body} ` }),
      401,
    ],
    [
      'a signature made for another webhook-id',
      (s: Setup, body: string) => ({
        ...deliveryRequest(body, s.secret, { id: 'msg_signed01' }),
        headers: {
          ...deliveryRequest(body, s.secret, { id: 'msg_signed01' }).headers,
          'webhook-id': ['msg_swapped1'],
        },
      }),
      401,
    ],
    [
      'a webhook-id with a "."',
      (s: Setup, body: string) => deliveryRequest(body, s.secret, { id: 'msg.0001.aaaa' }),
      401,
    ],
    [
      'no webhook-id',
      (s: Setup, body: string) => {
        const request = deliveryRequest(body, s.secret);
        const { 'webhook-id': _id, ...headers } = request.headers;
        return { ...request, headers };
      },
      401,
    ],
    [
      'a v1a (asymmetric) signature only',
      (s: Setup, body: string) => {
        const request = deliveryRequest(body, s.secret);
        return {
          ...request,
          headers: {
            ...request.headers,
            'webhook-signature': [String(request.headers['webhook-signature']?.[0]).replace('v1,', 'v1a,')],
          },
        };
      },
      401,
    ],
    [
      'another project',
      (s: Setup, body: string) => deliveryRequest(body, s.secret, { project: '10001' }),
      401,
    ],
    ['no project', (s: Setup, body: string) => deliveryRequest(body, s.secret, { project: 'DEMO' }), 400],
  ])('rejects %s with a 4xx and stores nothing', async (_name, build, status) => {
    const s = await setup();
    const before = snapshot(s.world);
    const response = await deliveryWebtrigger(build(s, generationDelivery(s)), INSTALL);
    expect(response.statusCode).toBe(status);
    // Every authentication failure (another project's URL included) gives the one answer that
    // names no reason: which projects receive deliveries is not for an anonymous caller to learn.
    if (status === 401) expect(answerOf(response)).toEqual({ error: UNAUTHENTICATED_MESSAGE });
    expect(snapshot(s.world)).toBe(before);
  });

  it('rejects bodies over 1 MB, other sites, unknown generations and bad shapes — storing nothing', async () => {
    const s = await setup();
    const before = snapshot(s.world);
    let n = 0;
    const signed = (body: string) =>
      deliveryRequest(body, s.secret, { id: `msg_shape${String(n++).padStart(4, '0')}` });
    const big = generationDelivery(s, { data: { padding: 'x'.repeat(1024 * 1024) } });
    expect((await deliveryWebtrigger(signed(big), INSTALL)).statusCode).toBe(413);
    expect(
      (
        await deliveryWebtrigger(signed(generationDelivery(s)), {
          installContext: 'ari:cloud:jira::site/other',
        })
      ).statusCode,
    ).toBe(403);
    const unknown = generationDelivery(s, { data: { id: 'gen-nope' } });
    expect((await deliveryWebtrigger(signed(unknown), INSTALL)).statusCode).toBe(404);
    expect((await deliveryWebtrigger(signed('{"type": 1}'), INSTALL)).statusCode).toBe(400);
    expect((await deliveryWebtrigger(signed('not json'), INSTALL)).statusCode).toBe(400);
    const noTimestamp = JSON.stringify({
      ...(JSON.parse(generationDelivery(s)) as object),
      timestamp: 'yesterday',
    });
    expect((await deliveryWebtrigger(signed(noTimestamp), INSTALL)).statusCode).toBe(400);
    const contradicting = generationDelivery(s, { data: { status: 'failed' } });
    expect((await deliveryWebtrigger(signed(contradicting), INSTALL)).statusCode).toBe(400);
    expect(
      (await deliveryWebtrigger({ ...signed(generationDelivery(s)), method: 'GET' }, INSTALL)).statusCode,
    ).toBe(405);
    expect(snapshot(s.world)).toBe(before);
  });

  it('fuzz: no signed or unsigned body outside the contract gets through, throws, or stores anything', async () => {
    const s = await setup();
    const before = snapshot(s.world, { withDedupe: false });
    const arbitraryJson = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
    const nearMiss = fc
      .record(
        {
          type: fc.oneof(
            fc.constantFrom('generation.succeeded', 'generation.failed', 'other.event'),
            fc.string(),
          ),
          timestamp: fc.oneof(fc.constant(new Date().toISOString()), fc.string()),
          data: fc.record(
            {
              id: fc.oneof(fc.string(), fc.constant('gen-00001')),
              cloudId: fc.oneof(fc.string(), fc.constant('other-cloud')),
              issueId: fc.oneof(fc.string(), fc.constant('999999')),
              issueKey: fc.string(),
              status: fc.string(),
              tests: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value));
    const body = fc.oneof(arbitraryJson, nearMiss, fc.string({ maxLength: 200 }));
    const signing = fc.constantFrom('valid', 'none', 'garbage', 'wrong-secret', 'stale');
    const tally = new OutcomeTally();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(body, signing, fc.string({ maxLength: 40 }), async (text, how, garbage) => {
        const id = `msg_fuzz${String(n++).padStart(6, '0')}`;
        const request =
          how === 'valid'
            ? deliveryRequest(text, s.secret, { id })
            : how === 'wrong-secret'
              ? deliveryRequest(text, 'whsec_d3JvbmctYnV0LXdlbGwtZm9ybWVkLWtleS0xMjM0', { id })
              : how === 'stale'
                ? deliveryRequest(text, s.secret, { id, at: nowSeconds() - 1_000 })
                : how === 'garbage'
                  ? deliveryRequest(text, undefined, {
                      headers: {
                        'webhook-id': [id],
                        'webhook-timestamp': [garbage],
                        'webhook-signature': [garbage],
                      },
                    })
                  : deliveryRequest(text, undefined);
        const response = await deliveryWebtrigger(request, INSTALL);
        // An answer Forge cannot read reaches SQAI as a 500, whatever the handler meant.
        expect(webTriggerAnswerSchema.safeParse(response).success).toBe(true);
        tally.add(`HTTP ${response.statusCode}`);
        const ignored =
          response.statusCode === 200 && JSON.stringify(answerOf(response)) === '{"status":"ignored"}';
        return (response.statusCode >= 400 && response.statusCode < 500) || (how === 'valid' && ignored);
      }),
      { numRuns: 1_200 },
    );
    tally.report(
      __filename,
      'Web trigger: unsigned, mis-signed and off-contract bodies are refused, nothing stored',
    );
    expect(snapshot(s.world, { withDedupe: false })).toBe(before);
  });
});
