import { createLog } from '../../../src/platform/log';
import { REDACTED, redact, redactText, registerSecret } from '../../../src/platform/redact';

describe('redaction', () => {
  it('replaces credential-named fields wholesale, at any depth', () => {
    expect(
      redact({
        clientId: 'ID',
        clientSecret: 's3cr3t',
        nested: { sqaiToken: 't', headers: { Authorization: 'Bearer x' } },
      }),
    ).toEqual({
      clientId: 'ID',
      clientSecret: REDACTED,
      nested: { sqaiToken: REDACTED, headers: { Authorization: REDACTED } },
    });
  });

  it('scrubs registered secret values from free text', () => {
    registerSecret('very-secret-value-42');
    expect(redactText('upstream said: bad secret very-secret-value-42!')).toBe(
      `upstream said: bad secret ${REDACTED}!`,
    );
  });

  it('scrubs bearer tokens and JWT-looking strings', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl';
    expect(redactText(`Authorization: Bearer abc.def`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText(`token ${jwt} end`)).toBe(`token ${REDACTED} end`);
  });

  it('logs structured lines with nothing secret in them', () => {
    registerSecret('another-secret-99');
    const lines: string[] = [];
    const log = createLog((_level, line) => lines.push(line));
    log.error('failed with another-secret-99', {
      error: new Error('boom another-secret-99'),
      token: 'x',
      projectId: '10000',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('another-secret-99');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', projectId: '10000', token: REDACTED });
  });
});
