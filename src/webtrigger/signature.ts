/**
 * SQAI delivery signatures: `X-SQAI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * (the Stripe-style scheme: the timestamp is signed with the body, so a captured delivery cannot be
 * replayed later with a fresh time). Comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 300;

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing X-SQAI-Signature' };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const [name, ...rest] = piece.trim().split('=');
    if (!name || rest.length === 0) continue;
    parts.set(name, [...(parts.get(name) ?? []), rest.join('=')]);
  }
  const timestampText = parts.get('t')?.[0];
  if (!timestampText || !/^\d{1,12}$/.test(timestampText))
    return { ok: false, reason: 'malformed timestamp' };
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp outside 5 minutes' };
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  const candidates = (parts.get('v1') ?? []).filter((value) => /^[0-9a-f]{64}$/i.test(value));
  const match = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'signature does not match' };
}
