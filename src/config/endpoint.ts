/**
 * Rules for the SQAI endpoint an admin types in. The backend sends the SQAI token to this URL, so
 * it must be a plain public HTTPS origin (+ optional base path): no credentials in the URL, no IP
 * literal or loopback/local host (no pointing the app at internal networks), no query or fragment.
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
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) !== 0) return { ok: false, message: 'Use a host name, not an IP address.' };
  if (LOCAL_HOST.test(host) || !host.includes('.')) {
    return {
      ok: false,
      message: 'Use the public host name of your SQAI service (not localhost or a local name).',
    };
  }
  if (url.search || url.hash)
    return { ok: false, message: 'Remove the query string or fragment from the URL.' };
  const path = url.pathname.replace(/\/+$/, '');
  const port = url.port ? `:${url.port}` : '';
  return { ok: true, url: `https://${host}${port}${path}`, host };
}
