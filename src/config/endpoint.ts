/**
 * Rules for the SQAI endpoint an admin types in. The backend sends the SQAI token to this URL, so
 * it must be a plain public HTTPS origin on port 443 (+ optional base path): no credentials in the
 * URL, no IP literal or loopback/local host however written (trailing dot, case, IDN), no query or
 * fragment.
 */
import { isIP } from 'node:net';

export type EndpointCheck = { ok: true; url: string; host: string } | { ok: false; message: string };

const LOCAL_HOST = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

export function normalizeSqaiEndpoint(input: string): EndpointCheck {
  const raw = input.trim();
  if (raw.length === 0) return { ok: false, message: 'Enter the SQAI endpoint URL.' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'Enter a full URL, e.g. https://api.sqai-suite.com' };
  }
  if (url.protocol !== 'https:') return { ok: false, message: 'The SQAI endpoint must use https://' };
  if (url.username || url.password) {
    return {
      ok: false,
      message: 'Remove the user name or password from the URL; the token goes in its own field.',
    };
  }
  // WHATWG URL already lower-cases and punycodes the host; a trailing dot (`localhost.`) is the same
  // host for DNS and must not slip past the checks below.
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
  if (isIP(host) !== 0) return { ok: false, message: 'Use a host name, not an IP address.' };
  if (LOCAL_HOST.test(host) || !host.includes('.')) {
    return {
      ok: false,
      message: 'Use the public host name of your SQAI service (not localhost or a local name).',
    };
  }
  if (url.search || url.hash)
    return { ok: false, message: 'Remove the query string or fragment from the URL.' };
  // Forge's runtime reaches external hosts over HTTPS; no port but 443 is documented for its egress
  // (docs/forge-fidelity.md, rule 12), so one that fails only in production is refused here.
  if (url.port && url.port !== '443')
    return {
      ok: false,
      message: 'Use the standard HTTPS port (443): Forge does not document egress to other ports.',
    };
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `https://${host}${path}`, host };
}
