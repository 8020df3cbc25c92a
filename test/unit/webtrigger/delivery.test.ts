/**
 * SQAI's signed deliveries to the web trigger, through the REAL exported handler: a good delivery
 * stores the proposals; every bad one is a 4xx and stores nothing — signature, age, replay, size,
 * shape, site — and a fuzzer (fast-check, 1,000+ cases) finds no body that gets through or throws.
 */
import fc from 'fast-check';
import type { DeliverySettingsDto, GenerationDto, RotatedDeliverySecretDto } from '../../../src/api';
import { deliveryWebtrigger } from '../../../src/index';
import { webTriggerAnswerSchema } from '../../harness/playground/triggers';
import { signatureOf, verifySignature } from '../../../src/webtrigger/signature';
import { UNAUTHENTICATED_MESSAGE } from '../../../src/webtrigger/delivery-handler';
import { describeWithContracts } from '../../harness/contracts';
import { data as ok, demoSettings } from '../../harness/demo-settings';
import { signDelivery } from '../../harness/sqai-sim/simulator';
import { deliverySetup, DEMO_INSTALL, type DeliverySetup } from '../../harness/scenarios/delivery';
import { createWorld, DEMO, type World } from '../../harness/world';
import { OutcomeTally } from '../../harness/property-report';

const INSTALL = DEMO_INSTALL;

type Setup = DeliverySetup;

const setup = (): Promise<Setup> => deliverySetup();

function deliveryBody(setup: Setup, overrides: Record<string, unknown> = {}): string {
  const remote = setup.world.sqai.generations.get(setup.generation.id);
  const { polls: _polls, ...visible } = remote ?? { polls: 0 };
  return JSON.stringify({
    deliveryId: 'dlv-0001-aaaa',
    type: 'generation.succeeded',
    generation: { ...visible, status: 'succeeded' },
    ...overrides,
  });
}

function request(body: string, signature: string | undefined, project: string = DEMO.project.id) {
  return {
    method: 'POST',
    body,
    headers: signature ? { 'x-sqai-signature': [signature] } : {},
    queryParameters: { project: [project] },
  };
}

const now = () => Math.floor(Date.now() / 1000);

function snapshot(world: World): string {
  return JSON.stringify([...world.platform.kvs.data.entries()]);
}

describeWithContracts('SQAI deliveries (web trigger)', () => {
  it('shows the URL and a write-only secret to project admins only', async () => {
    const world = createWorld();
    ok(await world.invoke('saveSettings', demoSettings('enterprise')));
    const before = ok(await world.invoke<DeliverySettingsDto>('getDeliverySettings', {}));
    expect(before).toEqual({ url: 'http://127.0.0.1:8787/x1/sqai-delivery?project=10000', secret: 'unset' });
    const rotated = ok(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
    expect(rotated.secret).toMatch(/^sqaiwh_[0-9a-f]{64}$/);
    expect(ok(await world.invoke<DeliverySettingsDto>('getDeliverySettings', {})).secret).toBe('set');
    const asUser = await world.invoke('rotateDeliverySecret', {}, DEMO.user);
    expect(asUser).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Disconnect removes it.
    ok(await world.invoke('disconnect', {}));
    expect(world.platform.secrets.data.size).toBe(0);
  });

  it('accepts a signed delivery and stores the proposals; the same delivery again is refused', async () => {
    const s = await setup();
    const body = deliveryBody(s);
    const response = await deliveryWebtrigger(request(body, signDelivery(s.secret, body, now())), INSTALL);
    expect(response.statusCode).toBe(202);
    const panel = ok(
      await s.world.invokeIssue<{ generation: GenerationDto }>('getGenerationPanel', {}, 'DEMO-3'),
    );
    expect(panel.generation.status).toBe('succeeded');
    expect(panel.generation.proposals.length).toBeGreaterThan(0);
    const replay = await deliveryWebtrigger(request(body, signDelivery(s.secret, body, now())), INSTALL);
    expect(replay.statusCode).toBe(409);
  });

  it.each([
    ['no signature', (_s: Setup, body: string) => request(body, undefined), 401],
    [
      'a wrong secret',
      (_s: Setup, body: string) => request(body, signDelivery('not-the-secret', body, now())),
      401,
    ],
    [
      'an old timestamp',
      (s: Setup, body: string) => request(body, signDelivery(s.secret, body, now() - 301)),
      401,
    ],
    [
      'a future timestamp',
      (s: Setup, body: string) => request(body, signDelivery(s.secret, body, now() + 301)),
      401,
    ],
    [
      'a tampered body',
      (s: Setup, body: string) => request(`${body} `, signDelivery(s.secret, body, now())),
      401,
    ],
    [
      'another project',
      (s: Setup, body: string) => request(body, signDelivery(s.secret, body, now()), '10001'),
      401,
    ],
    [
      'no project',
      (s: Setup, body: string) => request(body, signDelivery(s.secret, body, now()), 'DEMO'),
      400,
    ],
  ])('rejects %s with a 4xx and stores nothing', async (_name, build, status) => {
    const s = await setup();
    const before = snapshot(s.world);
    const response = await deliveryWebtrigger(build(s, deliveryBody(s)), INSTALL);
    expect(response.statusCode).toBe(status);
    // Every authentication failure (another project's URL included) gives the one answer that
    // names no reason: which projects receive deliveries is not for an anonymous caller to learn.
    if (status === 401) expect(JSON.parse(response.body)).toEqual({ error: UNAUTHENTICATED_MESSAGE });
    expect(snapshot(s.world)).toBe(before);
  });

  it('rejects bodies over 1 MB, other sites, unknown generations and bad shapes — storing nothing', async () => {
    const s = await setup();
    const before = snapshot(s.world);
    const signed = (body: string) => request(body, signDelivery(s.secret, body, now()));
    const big = deliveryBody(s, { padding: 'x'.repeat(1024 * 1024) });
    expect((await deliveryWebtrigger(signed(big), INSTALL)).statusCode).toBe(413);
    const otherSite = deliveryBody(s);
    expect(
      (await deliveryWebtrigger(signed(otherSite), { installContext: 'ari:cloud:jira::site/other' }))
        .statusCode,
    ).toBe(403);
    const unknown = deliveryBody(s, {
      generation: {
        id: 'gen-nope',
        cloudId: DEMO.cloudId,
        issueId: '10102',
        issueKey: 'DEMO-3',
        status: 'succeeded',
      },
    });
    expect((await deliveryWebtrigger(signed(unknown), INSTALL)).statusCode).toBe(404);
    expect((await deliveryWebtrigger(signed('{"deliveryId": 1}'), INSTALL)).statusCode).toBe(400);
    expect((await deliveryWebtrigger(signed('not json'), INSTALL)).statusCode).toBe(400);
    expect(
      (await deliveryWebtrigger({ ...signed(deliveryBody(s)), method: 'GET' }, INSTALL)).statusCode,
    ).toBe(405);
    expect(snapshot(s.world)).toBe(before);
  });

  it('fuzz: no signed or unsigned body outside the contract gets through, throws, or stores anything', async () => {
    const s = await setup();
    const before = snapshot(s.world);
    const arbitraryJson = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
    const nearMiss = fc
      .record(
        {
          deliveryId: fc.oneof(fc.string(), fc.constant('dlv-fuzz-0001')),
          type: fc.oneof(fc.constantFrom('generation.succeeded', 'generation.failed', 'other'), fc.string()),
          generation: fc.record(
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
    await fc.assert(
      fc.asyncProperty(body, signing, fc.string({ maxLength: 40 }), async (text, how, garbage) => {
        const signature =
          how === 'valid'
            ? signDelivery(s.secret, text, now())
            : how === 'garbage'
              ? garbage
              : how === 'wrong-secret'
                ? signDelivery('wrong', text, now())
                : how === 'stale'
                  ? signDelivery(s.secret, text, now() - 1_000)
                  : undefined;
        const response = await deliveryWebtrigger(request(text, signature), INSTALL);
        // An answer Forge cannot read reaches SQAI as a 500, whatever the handler meant.
        expect(webTriggerAnswerSchema.safeParse(response).success).toBe(true);
        tally.add(`HTTP ${response.statusCode}`);
        return response.statusCode >= 400 && response.statusCode < 500;
      }),
      { numRuns: 1_200 },
    );
    tally.report(
      __filename,
      'Web trigger: unsigned, mis-signed and off-contract bodies are refused, nothing stored',
    );
    expect(snapshot(s.world)).toBe(before);
  });
});

describe('verifySignature', () => {
  const body = '{"x":1}';
  it('accepts a fresh, matching signature among several v1 values', () => {
    const t = 1_700_000_000;
    const header = `t=${t},v1=${'0'.repeat(64)},v1=${signatureOf('s3cret', t, body)}`;
    expect(verifySignature(header, body, 's3cret', t + 10)).toEqual({ ok: true, timestamp: t });
  });

  it('explains what is wrong', () => {
    const t = 1_700_000_000;
    expect(verifySignature(undefined, body, 's', t)).toMatchObject({ reason: 'missing X-SQAI-Signature' });
    expect(verifySignature('v1=abc', body, 's', t)).toMatchObject({ reason: 'malformed timestamp' });
    expect(verifySignature(`t=${t - 301},v1=${signatureOf('s', t - 301, body)}`, body, 's', t)).toMatchObject(
      {
        reason: 'timestamp outside 5 minutes',
      },
    );
    expect(verifySignature(`t=${t},v1=${signatureOf('x', t, body)}`, body, 's', t)).toMatchObject({
      reason: 'signature does not match',
    });
  });
});

// Issue 14 item 4 (the replay set was the one stored list left unbounded): 1,000 deliveries with
// long multi-byte ids in the replay window outgrew one key-value value, and every later delivery
// of the project answered 500.
describeWithContracts('the replay set stays within one stored value', () => {
  it('1,000 deliveries in the window: every one is answered, the set stays under 240 KiB', async () => {
    const s = await setup();
    const first = deliveryBody(s);
    const accepted = await deliveryWebtrigger(request(first, signDelivery(s.secret, first, now())), INSTALL);
    expect(accepted.statusCode).toBeLessThan(300);
    const statuses = new Map<number, number>();
    for (let n = 0; n < 1_000; n += 1) {
      const id = `dlv-${String(n).padStart(4, '0')}-${'€'.repeat(90)}`;
      const body = deliveryBody(s, { deliveryId: id });
      const answer = await deliveryWebtrigger(request(body, signDelivery(s.secret, body, now())), INSTALL);
      statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
    }
    expect(statuses.get(500)).toBeUndefined();
    const stored = [...s.world.platform.kvs.data.entries()].find(([key]) => key.startsWith('deliveries:'));
    expect(Buffer.byteLength(JSON.stringify(stored?.[1] ?? null), 'utf8')).toBeLessThanOrEqual(240 * 1024);
  }, 60_000);
});
