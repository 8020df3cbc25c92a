/**
 * SQAI delivery signatures, by the Standard Webhooks specification 1.0.0 (symmetric scheme; see
 * docs/sqai-contract.md "Deliveries" and docs/decisions/0007-delivery-signatures.md):
 *
 *   webhook-id:        the delivery's id (the same on every retry), 8–100 of [A-Za-z0-9_:-], no "."
 *   webhook-timestamp: unix seconds of this attempt (a retry is signed anew)
 *   webhook-signature: space-separated `v1,<base64 HMAC-SHA256>`, one per secret SQAI holds
 *
 * The signed content is `<webhook-id>.<webhook-timestamp>.<raw body>` (UTF-8), keyed with the
 * secret's key bytes: a secret is `whsec_` + base64 (RFC 4648 §4, padded) of 32 random bytes, and
 * the HMAC key is those decoded bytes — not the text. Comparison is constant-time.
 *
 * Every check does the same HMAC work whatever fails (two HMACs: the current secret and the previous
 * one or a decoy), so the time taken does not tell which projects have a secret or a rotation running.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deliveryHeadersSchema } from './delivery-schema';

/** How far `webhook-timestamp` may be from the app's clock, either way (the standard's 5 minutes). */
export const MAX_SKEW_SECONDS = 300;
/** Standard Webhooks' prefix of a symmetric secret. */
export const SECRET_PREFIX = 'whsec_';
/** Key bytes of a secret the app creates (the standard asks for 24–64). */
export const SECRET_KEY_BYTES = 32;
/** Secrets created before version 2 of the contract: `sqaiwh_` + 64 hex; their key is the whole text. */
export const LEGACY_SECRET_PREFIX = 'sqaiwh_';
/** At most this many `v1,…` entries of one header are compared (a rotation needs two). */
export const MAX_SIGNATURES = 8;

const BASE64_KEY = /^[A-Za-z0-9+/]+={0,2}$/;

/** A new secret: `whsec_` + base64 of 32 random bytes (44 characters). */
export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_KEY_BYTES).toString('base64')}`;
}

/**
 * The HMAC key of a secret: for `whsec_<base64>`, the decoded bytes; for a legacy `sqaiwh_…`
 * secret (or any other text), its UTF-8 bytes.
 */
export function keyOf(secret: string): Buffer {
  if (secret.startsWith(SECRET_PREFIX)) {
    const encoded = secret.slice(SECRET_PREFIX.length);
    if (BASE64_KEY.test(encoded) && encoded.length % 4 === 0) return Buffer.from(encoded, 'base64');
  }
  return Buffer.from(secret, 'utf8');
}

/** The base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` with the secret's key. */
export function signatureOf(secret: string, id: string, timestamp: number | string, body: string): string {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

/** The `webhook-signature` value for a delivery signed with each of `secrets` (as SQAI sends it). */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => `v1,${signatureOf(secret, id, timestamp, body)}`).join(' ');
}

export type DeliveryHeaders = Record<
  'webhook-id' | 'webhook-timestamp' | 'webhook-signature',
  string | undefined
>;

export type SignatureCheck =
  | {
      ok: true;
      id: string;
      timestamp: number;
      /** 0: the current secret, 1: the previous one */ secret: number;
    }
  | { ok: false; reason: string };

/** Decoded `v1` signatures of the header (32 bytes each); other versions (`v1a`, …) are skipped. */
function v1Signatures(header: string): Buffer[] {
  const out: Buffer[] = [];
  for (const entry of header.split(' ').slice(0, MAX_SIGNATURES)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const value = entry.slice(comma + 1);
    if (!BASE64_KEY.test(value)) continue;
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length === 32) out.push(bytes);
  }
  return out;
}

/**
 * Checks a delivery's headers against the project's secrets, `[current, previous]` (the caller
 * passes decoys for the ones it does not have, so the work is the same). `secret` in the answer
 * says which one matched.
 */
export function verifyDelivery(
  headers: DeliveryHeaders,
  body: string,
  secrets: readonly [string, string],
  nowSeconds: number,
): SignatureCheck {
  const parsed = deliveryHeadersSchema.safeParse(headers);
  const id = parsed.success ? parsed.data['webhook-id'] : '';
  const timestampText = parsed.success ? parsed.data['webhook-timestamp'] : '0';
  // Computed before any verdict, whatever is wrong with the headers.
  const expected = secrets.map((secret) =>
    Buffer.from(signatureOf(secret, id, timestampText, body), 'base64'),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'webhook headers');
    return {
      ok: false,
      reason: headers[name as keyof DeliveryHeaders] ? `malformed ${name}` : `missing ${name}`,
    };
  }
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp outside 5 minutes' };
  const candidates = v1Signatures(parsed.data['webhook-signature']);
  let matched = -1;
  // Every candidate against every key, without stopping early.
  expected.forEach((mac, index) => {
    for (const candidate of candidates) if (timingSafeEqual(candidate, mac) && matched < 0) matched = index;
  });
  return matched >= 0
    ? { ok: true, id, timestamp, secret: matched }
    : { ok: false, reason: 'signature does not match' };
}
