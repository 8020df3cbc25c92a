/**
 * The delivery signature is Standard Webhooks' symmetric scheme, byte for byte: checked against the
 * test vector of the standard's reference library (libraries/javascript/src/webhook.test.ts, "sign
 * function works"), against the harness's independent signer, and for every refusal reason.
 */
import fc from 'fast-check';
import {
  keyOf,
  MAX_SKEW_SECONDS,
  newSecret,
  signatureHeader,
  verifyDelivery,
  type DeliveryHeaders,
} from '../../../src/webtrigger/signature';
import { deliveryHeaders, signDelivery } from '../../harness/sqai-sim/deliveries';

/** The reference library's vector. */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const DECOY = newSecret();

const headersOf = (id: string, timestamp: number | string, signature: string): DeliveryHeaders => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

describe('delivery signatures (Standard Webhooks v1)', () => {
  it('signs the standard’s test vector exactly, with the decoded key bytes', () => {
    expect(keyOf(VECTOR.secret)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
    expect(keyOf(VECTOR.secret)).toHaveLength(24);
    expect(signatureHeader([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(signDelivery(VECTOR.secret, VECTOR.id, VECTOR.body, VECTOR.timestamp)).toBe(VECTOR.signature);
    expect(
      verifyDelivery(
        headersOf(VECTOR.id, VECTOR.timestamp, VECTOR.signature),
        VECTOR.body,
        [VECTOR.secret, DECOY],
        VECTOR.timestamp + 10,
      ),
    ).toEqual({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp, secret: 0 });
  });

  it('accepts the matching one among several signatures and versions (the reference library’s multi-sig case)', () => {
    const other = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const header = [other, other.replace('v1,', 'v2,'), VECTOR.signature, other].join(' ');
    expect(
      verifyDelivery(
        headersOf(VECTOR.id, VECTOR.timestamp, header),
        VECTOR.body,
        [VECTOR.secret, DECOY],
        VECTOR.timestamp,
      ),
    ).toMatchObject({ ok: true });
    // …and says which secret matched: the previous one here.
    expect(
      verifyDelivery(
        headersOf(VECTOR.id, VECTOR.timestamp, header),
        VECTOR.body,
        [DECOY, VECTOR.secret],
        VECTOR.timestamp,
      ),
    ).toMatchObject({ ok: true, secret: 1 });
  });

  it('explains every refusal', () => {
    const t = VECTOR.timestamp;
    const check = (headers: Partial<DeliveryHeaders>, body = VECTOR.body, now = t) =>
      verifyDelivery(
        {
          'webhook-id': undefined,
          'webhook-timestamp': undefined,
          'webhook-signature': undefined,
          ...headers,
        },
        body,
        [VECTOR.secret, DECOY],
        now,
      );
    const good = headersOf(VECTOR.id, t, VECTOR.signature);
    expect(check({ ...good, 'webhook-id': undefined })).toEqual({ ok: false, reason: 'missing webhook-id' });
    expect(check({ ...good, 'webhook-timestamp': undefined })).toEqual({
      ok: false,
      reason: 'missing webhook-timestamp',
    });
    expect(check({ ...good, 'webhook-signature': undefined })).toEqual({
      ok: false,
      reason: 'missing webhook-signature',
    });
    expect(check({ ...good, 'webhook-id': 'msg.with.dots' })).toEqual({
      ok: false,
      reason: 'malformed webhook-id',
    });
    expect(check({ ...good, 'webhook-timestamp': 'hello' })).toEqual({
      ok: false,
      reason: 'malformed webhook-timestamp',
    });
    expect(check(good, VECTOR.body, t + MAX_SKEW_SECONDS + 1)).toEqual({
      ok: false,
      reason: 'timestamp outside 5 minutes',
    });
    expect(check(good, VECTOR.body, t - MAX_SKEW_SECONDS - 1)).toEqual({
      ok: false,
      reason: 'timestamp outside 5 minutes',
    });
    expect(check(good, VECTOR.body, t + MAX_SKEW_SECONDS)).toMatchObject({ ok: true });
    expect(check(good, `${VECTOR.body} `)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(check({ ...good, 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(check({ ...good, 'webhook-signature': VECTOR.signature.slice(0, 8) })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(check({ ...good, 'webhook-signature': 'v1,' })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(check({ ...good, 'webhook-signature': VECTOR.signature.replace('v1,', 'v1a,') })).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it('keys a legacy sqaiwh_ secret with its UTF-8 text, and a whsec_ one never with its text', () => {
    const legacy = `sqaiwh_${'ab'.repeat(32)}`;
    expect(keyOf(legacy)).toEqual(Buffer.from(legacy, 'utf8'));
    const header = signatureHeader([legacy], 'msg_legacy01', 1_700_000_000, '{}');
    expect(
      verifyDelivery(headersOf('msg_legacy01', 1_700_000_000, header), '{}', [legacy, DECOY], 1_700_000_000),
    ).toMatchObject({ ok: true });
    const modern = newSecret();
    expect(keyOf(modern)).toHaveLength(32);
    expect(keyOf(modern).equals(Buffer.from(modern, 'utf8'))).toBe(false);
  });

  it('property: the app’s verifier accepts exactly what the independent harness signer signs with a valid secret', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.stringMatching(/^[A-Za-z0-9_:-]{8,100}$/),
        fc.string({ maxLength: 300 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.boolean(),
        (key, id, body, at, tamper) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = deliveryHeaders(secret, { id, body, unixSeconds: at });
          const sent = tamper ? `${body}.` : body;
          const result = verifyDelivery(headers, sent, [DECOY, secret], at);
          return tamper ? !result.ok : result.ok && result.secret === 1 && result.id === id;
        },
      ),
      { numRuns: 500 },
    );
  });
});
