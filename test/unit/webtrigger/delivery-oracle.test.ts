/**
 * The delivery web trigger is no oracle (issue 13 item 5): an anonymous caller (A3) who POSTs to
 * `?project=<id>` must not learn whether that project receives deliveries. A project that is not
 * set up and a set-up project with a wrong, missing, stale or malformed signature get the very same
 * answer — status, headers and body, byte for byte — and do the same work (the HMAC is computed
 * either way). The true reason is logged for the app's owner, without the secret.
 */
import crypto from 'node:crypto';
import { deliveryWebtrigger } from '../../../src/index';
import { describeWithContracts } from '../../harness/contracts';
import { signDelivery } from '../../harness/sqai-sim/simulator';
import { deliverySetup, DEMO_INSTALL, type DeliverySetup } from '../../harness/scenarios/delivery';
import { DEMO, type World } from '../../harness/world';

const INSTALL = DEMO_INSTALL;
/** A project of the site that never set up deliveries (no secret stored for it). */
const UNCONFIGURED_PROJECT = '10001';

type Setup = DeliverySetup;

const setup = (): Promise<Setup> => deliverySetup({ testTypes: ['Manual'], maxTests: 3 });

function bodyFor(s: Setup): string {
  const remote = s.world.sqai.generations.get(s.generation.id);
  return JSON.stringify({
    deliveryId: 'dlv-oracle-0001',
    type: 'generation.failed',
    generation: {
      id: s.generation.id,
      cloudId: remote?.cloudId,
      issueId: remote?.issueId,
      issueKey: remote?.issueKey,
      status: 'failed',
      error: 'probe',
    },
  });
}

function request(body: string, signature: string | undefined, project: string) {
  return {
    method: 'POST',
    body,
    headers: signature ? { 'x-sqai-signature': [signature] } : {},
    queryParameters: { project: [project] },
  };
}

const now = () => Math.floor(Date.now() / 1000);
/** The whole answer as bytes: status, headers (names and values, in order) and body. */
const bytesOf = (answer: unknown) => JSON.stringify(answer);
const snapshot = (world: World) => JSON.stringify([...world.platform.kvs.data.entries()]);

describeWithContracts('delivery web trigger: no oracle for which projects receive deliveries', () => {
  it('answers a project that is not set up exactly as a set-up project with a wrong signature', async () => {
    const s = await setup();
    const before = snapshot(s.world);
    const body = bodyFor(s);
    // The attacker signs with a secret they made up: the same request to both projects.
    const forged = signDelivery('a-secret-the-attacker-made-up', body, now());
    const unconfigured = await deliveryWebtrigger(request(body, forged, UNCONFIGURED_PROJECT), INSTALL);
    const configured = await deliveryWebtrigger(request(body, forged, DEMO.project.id), INSTALL);
    expect(unconfigured.statusCode).toBe(401);
    expect(bytesOf(unconfigured)).toBe(bytesOf(configured));

    // Every other way a request fails authentication answers the same bytes, for either project.
    const stale = signDelivery(s.secret, body, now() - 1_000);
    for (const signature of [undefined, 'garbage', 't=1,v1=00', stale, forged]) {
      for (const project of [UNCONFIGURED_PROJECT, DEMO.project.id]) {
        const answer = await deliveryWebtrigger(request(body, signature, project), INSTALL);
        expect(bytesOf(answer)).toBe(bytesOf(configured));
      }
    }
    // Nothing was stored, and the answer names no reason an attacker could tell apart.
    expect(snapshot(s.world)).toBe(before);
    expect(configured.body).not.toMatch(/set up|signature|timestamp|match/i);
  });

  it('logs the true reason for the app owner, without any secret', async () => {
    const s = await setup();
    const body = bodyFor(s);
    const forged = signDelivery('a-secret-the-attacker-made-up', body, now());
    const from = s.world.platform.log.lines.length;
    await deliveryWebtrigger(request(body, forged, UNCONFIGURED_PROJECT), INSTALL);
    await deliveryWebtrigger(request(body, forged, DEMO.project.id), INSTALL);
    const lines = s.world.platform.log.lines.slice(from).map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        projectId: UNCONFIGURED_PROJECT,
        reason: expect.stringMatching(/not set up/) as unknown,
      }),
      expect.objectContaining({
        level: 'warn',
        projectId: DEMO.project.id,
        reason: 'signature does not match',
      }),
    ]);
    const logged = s.world.platform.log.lines.slice(from).join('\n');
    expect(logged).not.toContain(s.secret);
    expect(logged).not.toContain(forged);
  });

  it('computes the HMAC for a project that is not set up too (no timing shortcut)', async () => {
    const s = await setup();
    const body = bodyFor(s);
    const forged = signDelivery('a-secret-the-attacker-made-up', body, now());
    const hmacs = jest.spyOn(crypto, 'createHmac');
    try {
      await deliveryWebtrigger(request(body, forged, DEMO.project.id), INSTALL);
      const configured = hmacs.mock.calls.length;
      hmacs.mockClear();
      await deliveryWebtrigger(request(body, forged, UNCONFIGURED_PROJECT), INSTALL);
      expect(configured).toBe(1);
      expect(hmacs.mock.calls.length).toBe(configured);
      // Over the same bytes: a body as large as a delivery may be costs the same on both paths.
      expect(hmacs.mock.calls.map(([algorithm]) => algorithm)).toEqual(['sha256']);
    } finally {
      hmacs.mockRestore();
    }
  });

  it('still accepts a correctly signed delivery and still refuses its replay', async () => {
    const s = await setup();
    const body = bodyFor(s);
    const first = await deliveryWebtrigger(
      request(body, signDelivery(s.secret, body, now()), DEMO.project.id),
      INSTALL,
    );
    expect(first.statusCode).toBe(202);
    const replay = await deliveryWebtrigger(
      request(body, signDelivery(s.secret, body, now()), DEMO.project.id),
      INSTALL,
    );
    expect(replay.statusCode).toBe(409);
  });
});
