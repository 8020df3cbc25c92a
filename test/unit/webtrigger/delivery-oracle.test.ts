/**
 * The delivery web trigger is no oracle (issue 13 item 5): an anonymous caller (A3) who POSTs to
 * `?project=<id>` must not learn whether that project receives deliveries. A project that is not
 * set up and a set-up project with a wrong, missing, stale or malformed signature get the very same
 * answer — status, headers and body, byte for byte — and do the same work (two HMACs either way:
 * the current and the previous secret, decoys standing in for the ones a project does not have, so a
 * running rotation does not show either). The true reason is logged for the app's owner, without
 * the secret.
 */
import crypto from 'node:crypto';
import { deliveryWebtrigger } from '../../../src/index';
import { describeWithContracts } from '../../harness/contracts';
import {
  deliveryRequest,
  deliverySetup,
  DEMO_INSTALL,
  generationDelivery,
  type DeliverySetup,
} from '../../harness/scenarios/delivery';
import { signDelivery } from '../../harness/sqai-sim/deliveries';
import type { RotatedDeliverySecretDto } from '../../../src/api';
import { data as ok } from '../../harness/demo-settings';
import { DEMO, type World } from '../../harness/world';

const INSTALL = DEMO_INSTALL;
/** A project of the site that never set up deliveries (no secret stored for it). */
const UNCONFIGURED_PROJECT = '10001';

type Setup = DeliverySetup;

const setup = (): Promise<Setup> => deliverySetup({ testTypes: ['Manual'], maxTests: 3 });

function bodyFor(s: Setup): string {
  return generationDelivery(s, { type: 'generation.failed', data: { error: 'probe' } });
}

const ID = 'msg_oracle0001';
/** A request to `project` whose `webhook-signature` is `signature` (none: no signature headers). */
function request(body: string, signature: string | undefined, project: string) {
  const signed = deliveryRequest(body, 'whsec_AAAA', { project, id: ID, at: now() });
  if (signature === undefined) return deliveryRequest(body, undefined, { project });
  return { ...signed, headers: { ...signed.headers, 'webhook-signature': [signature] } };
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
    const forged = signDelivery('whsec_YS1zZWNyZXQtdGhlLWF0dGFja2VyLW1hZGUtdXA=', ID, body, now());
    const unconfigured = await deliveryWebtrigger(request(body, forged, UNCONFIGURED_PROJECT), INSTALL);
    const configured = await deliveryWebtrigger(request(body, forged, DEMO.project.id), INSTALL);
    expect(unconfigured.statusCode).toBe(401);
    expect(bytesOf(unconfigured)).toBe(bytesOf(configured));

    // Every other way a request fails authentication answers the same bytes, for either project.
    const stale = signDelivery(s.secret, ID, body, now() - 1_000);
    const staleRequest = (project: string) =>
      deliveryRequest(body, s.secret, { project, id: ID, at: now() - 1_000 });
    for (const signature of [undefined, 'garbage', 'v1,00', 'v1a,AAAA', 't=1,v1=00', forged]) {
      for (const project of [UNCONFIGURED_PROJECT, DEMO.project.id]) {
        const answer = await deliveryWebtrigger(request(body, signature, project), INSTALL);
        expect(bytesOf(answer)).toBe(bytesOf(configured));
      }
    }
    for (const project of [UNCONFIGURED_PROJECT, DEMO.project.id]) {
      expect(bytesOf(await deliveryWebtrigger(staleRequest(project), INSTALL))).toBe(bytesOf(configured));
      // A malformed webhook-id or timestamp, signed or not.
      const malformedId = { ...request(body, stale, project) };
      malformedId.headers = { ...malformedId.headers, 'webhook-id': ['has.dots.in.it'] };
      expect(bytesOf(await deliveryWebtrigger(malformedId, INSTALL))).toBe(bytesOf(configured));
      const malformedTime = { ...request(body, stale, project) };
      malformedTime.headers = { ...malformedTime.headers, 'webhook-timestamp': ['soon'] };
      expect(bytesOf(await deliveryWebtrigger(malformedTime, INSTALL))).toBe(bytesOf(configured));
    }
    // Nothing was stored, and the answer names no reason an attacker could tell apart.
    expect(snapshot(s.world)).toBe(before);
    expect(configured.body).not.toMatch(/set up|signature|timestamp|match/i);
  });

  it('logs the true reason for the app owner, without any secret', async () => {
    const s = await setup();
    const body = bodyFor(s);
    const forged = signDelivery('whsec_YS1zZWNyZXQtdGhlLWF0dGFja2VyLW1hZGUtdXA=', ID, body, now());
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

  it('does the same HMAC work for a project that is not set up, one set up, and one mid-rotation', async () => {
    const s = await setup();
    const body = bodyFor(s);
    const forged = signDelivery('whsec_YS1zZWNyZXQtdGhlLWF0dGFja2VyLW1hZGUtdXA=', ID, body, now());
    // Built before counting: the harness signs with node:crypto too.
    const toConfigured = request(body, forged, DEMO.project.id);
    const toUnconfigured = request(body, forged, UNCONFIGURED_PROJECT);
    const hmacs = jest.spyOn(crypto, 'createHmac');
    const count = async (req: ReturnType<typeof request>) => {
      hmacs.mockClear();
      const answer = await deliveryWebtrigger(req, INSTALL);
      return { answer: bytesOf(answer), hmacs: hmacs.mock.calls.map(([algorithm]) => algorithm) };
    };
    try {
      const configured = await count(toConfigured);
      const unconfigured = await count(toUnconfigured);
      // Two HMACs over the same bytes on every path: current and previous secret (or decoys).
      expect(configured.hmacs).toEqual(['sha256', 'sha256']);
      expect(unconfigured).toEqual(configured);
      hmacs.mockRestore();
      ok(await s.world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
      const spy = jest.spyOn(crypto, 'createHmac');
      try {
        await deliveryWebtrigger(toConfigured, INSTALL);
        expect(spy.mock.calls.map(([algorithm]) => algorithm)).toEqual(['sha256', 'sha256']);
      } finally {
        spy.mockRestore();
      }
      expect(bytesOf(await deliveryWebtrigger(toConfigured, INSTALL))).toBe(configured.answer);
    } finally {
      hmacs.mockRestore();
    }
  });

  it('still accepts a correctly signed delivery, and answers its resend as a duplicate (2xx)', async () => {
    const s = await setup();
    const body = bodyFor(s);
    const first = await deliveryWebtrigger(
      deliveryRequest(body, s.secret, { id: ID, project: DEMO.project.id }),
      INSTALL,
    );
    expect(first.statusCode).toBe(202);
    const resend = await deliveryWebtrigger(
      deliveryRequest(body, s.secret, { id: ID, project: DEMO.project.id, at: now() + 1 }),
      INSTALL,
    );
    expect(resend.statusCode).toBe(200);
    expect(JSON.parse(resend.body)).toEqual({ status: 'duplicate' });
  });
});
