/**
 * Secret rotation (docs/sqai-contract.md "Deliveries"): a rotation keeps the previous secret valid for
 * 24 hours, so deliveries signed by SQAI with either — or with both, as Standard Webhooks senders do
 * during a rotation — are accepted; after the overlap only the new one is. Rotating again during an
 * overlap ends the oldest at once. A secret stored before rotation existed keeps working.
 */
import type { RotatedDeliverySecretDto } from '../../../src/api';
import { keys } from '../../../src/config/settings-store';
import { deliveryWebtrigger } from '../../../src/index';
import { ROTATION_OVERLAP_SECONDS } from '../../../src/webtrigger/delivery-settings';
import { describeWithContracts } from '../../harness/contracts';
import { data as ok } from '../../harness/demo-settings';
import {
  deliveryRequest,
  deliverySetup,
  DEMO_INSTALL,
  generationDelivery,
} from '../../harness/scenarios/delivery';
import { DEMO } from '../../harness/world';

/** A world whose clock the test moves. */
async function rotatingSetup() {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const s = await deliverySetup(undefined, { now });
  const at = () => Math.floor(now().getTime() / 1000);
  let n = 0;
  /** Answers a fresh delivery (a new id each time) signed with `secrets` at the world's time. */
  const send = async (
    secrets: string | readonly string[],
    body = generationDelivery(s, { data: { id: 'gen-not-waiting' } }),
  ) =>
    (
      await deliveryWebtrigger(
        deliveryRequest(body, secrets, { id: `msg_rot${String(n++).padStart(5, '0')}`, at: at() }),
        DEMO_INSTALL,
      )
    ).statusCode;
  const rotate = async () =>
    ok(await s.world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {})).secret;
  return { s, send, rotate, advance: (seconds: number) => void (offsetMs += seconds * 1000) };
}

// An authenticated delivery for a generation that is not waiting answers 404, an unauthenticated one
// 401: the status tells whether the signature was accepted without storing anything.
const ACCEPTED = 404;
const REFUSED = 401;

describeWithContracts('delivery secret rotation', () => {
  it('keeps the previous secret valid for 24 hours after a rotation, then only the new one', async () => {
    const { s, send, rotate, advance } = await rotatingSetup();
    const first = s.secret;
    const second = await rotate();
    expect(second).not.toBe(first);
    expect(await send(first)).toBe(ACCEPTED);
    expect(await send(second)).toBe(ACCEPTED);
    expect(await send([first, second])).toBe(ACCEPTED);
    const from = s.world.platform.log.lines.length;
    advance(ROTATION_OVERLAP_SECONDS - 60);
    expect(await send(first)).toBe(ACCEPTED);
    // The owner can see that SQAI still signs with the old secret, and until when it works.
    const logged = s.world.platform.log.lines.slice(from).join('\n');
    expect(logged).toContain('Delivery signed with the previous secret');
    expect(logged).not.toContain(first);
    expect(logged).not.toContain(first.slice('whsec_'.length));
    advance(61);
    expect(await send(first)).toBe(REFUSED);
    expect(await send(second)).toBe(ACCEPTED);
    expect(await send([first, second])).toBe(ACCEPTED);
  });

  it('a second rotation during the overlap ends the oldest secret at once (a leaked one is cut off)', async () => {
    const { s, send, rotate } = await rotatingSetup();
    const first = s.secret;
    const second = await rotate();
    const third = await rotate();
    expect(await send(first)).toBe(REFUSED);
    expect(await send(second)).toBe(ACCEPTED);
    expect(await send(third)).toBe(ACCEPTED);
  });

  it('a delivery signed with the previous secret is applied like any other', async () => {
    const { s, rotate } = await rotatingSetup();
    const old = s.secret;
    await rotate();
    const response = await deliveryWebtrigger(
      deliveryRequest(generationDelivery(s), old, { id: 'msg_oldkey01' }),
      DEMO_INSTALL,
    );
    expect(response.statusCode).toBe(202);
  });

  it('a secret stored before rotation existed (sqaiwh_…, a bare string) still verifies, and rotating keeps it 24 hours', async () => {
    const { s, send, rotate } = await rotatingSetup();
    const legacy = `sqaiwh_${'c0ffee'.repeat(10)}abcd`;
    await s.world.platform.secrets.setSecret(keys.deliverySecret(DEMO.project.id), legacy);
    expect(await send(legacy)).toBe(ACCEPTED);
    expect(await send(s.secret)).toBe(REFUSED);
    const next = await rotate();
    expect(next).toMatch(/^whsec_/);
    expect(await send(legacy)).toBe(ACCEPTED);
    expect(await send(next)).toBe(ACCEPTED);
  });

  it('an unreadable stored value means no secret: every delivery is refused, nothing thrown', async () => {
    const { s, send } = await rotatingSetup();
    await s.world.platform.secrets.setSecret(keys.deliverySecret(DEMO.project.id), '{"v":2,"secret":');
    expect(await send(s.secret)).toBe(REFUSED);
  });
});
