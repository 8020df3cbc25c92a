/**
 * Redaction for anything that may be logged. Two layers:
 * 1. field names that hold credentials are replaced wholesale (`clientSecret`, `token`, `authorization`…);
 * 2. values registered as secrets during the invocation (`registerSecret`) are replaced wherever
 *    they appear, even inside free text such as an upstream error body.
 * Nothing about a secret is kept: not a prefix, not a length.
 */
import { invocationState } from './invocation';

const SECRET_FIELD = /secret|token|password|authorization|apikey|api_key|credential|signature|cookie/i;
export const REDACTED = '[redacted]';

/**
 * Remember a secret value so that any later log line of this invocation containing it is scrubbed.
 * Kept in the invocation's state (./invocation.ts), never in the module: a warm instance may serve
 * another installation next.
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) invocationState().secrets.add(value);
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of invocationState().secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // Bearer tokens and JWT-looking strings never belong in a log.
  out = out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${REDACTED}`);
  out = out.replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_FIELD.test(key) ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
