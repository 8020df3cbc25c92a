import { normalizeSqaiEndpoint } from '../../../src/config/endpoint';

describe('normalizeSqaiEndpoint', () => {
  it.each([
    ['https://api.sqai-suite.com', 'https://api.sqai-suite.com'],
    ['https://api.sqai-suite.com/', 'https://api.sqai-suite.com'],
    ['  https://API.SQAI-Suite.com/tenant/acme//  ', 'https://api.sqai-suite.com/tenant/acme'],
    ['https://sqai.example.com./base/', 'https://sqai.example.com/base'],
    ['https://bücher.example.com', 'https://xn--bcher-kva.example.com'],
    ['https://api.sqai-suite.com:443/', 'https://api.sqai-suite.com'],
  ])('accepts and normalizes %s', (input, expected) => {
    expect(normalizeSqaiEndpoint(input)).toEqual({
      ok: true,
      url: expected,
      host: new URL(expected).hostname,
    });
  });

  it.each([
    ['', 'Enter the SQAI endpoint URL.'],
    ['api.sqai-suite.com', 'Enter a full URL'],
    ['http://api.sqai-suite.com', 'must use https://'],
    ['ftp://api.sqai-suite.com', 'must use https://'],
    ['https://user:pass@api.sqai-suite.com', 'Remove the user name or password'],
    ['https://token@api.sqai-suite.com', 'Remove the user name or password'],
    ['https://127.0.0.1', 'not an IP address'],
    ['https://10.0.0.8/api', 'not an IP address'],
    ['https://[::1]/', 'not an IP address'],
    ['https://[fd00::1]:8443', 'not an IP address'],
    ['https://localhost', 'not localhost'],
    ['https://sqai.localhost', 'not localhost'],
    ['https://intranet', 'not localhost'],
    ['https://sqai.corp.internal', 'not localhost'],
    ['https://api.sqai-suite.com/?tenant=1', 'Remove the query string'],
    // A trailing dot is the same host for DNS (found in review, issue 13 item 10).
    ['https://localhost.', 'not localhost'],
    ['https://metadata.google.internal.', 'not localhost'],
    ['https://LOCALHOST../x', 'not localhost'],
    // Only 443: Forge documents its egress for HTTPS, no other port (issue 12 item 7).
    ['https://sqai.example.com:8443/base/', 'standard HTTPS port (443)'],
    ['https://sqai.example.com:22', 'standard HTTPS port (443)'],
    ['https://api.sqai-suite.com/#x', 'Remove the query string'],
  ])('rejects %j', (input, message) => {
    const result = normalizeSqaiEndpoint(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});
