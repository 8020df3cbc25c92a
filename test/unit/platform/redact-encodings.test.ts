/**
 * Redaction of a secret in disguise (issue 13 item 11): an upstream message that carries a secret
 * base64-, base64url-, hex- or URL-encoded, reversed, or with its characters spaced out must not
 * carry it on. The encodings here are made independently of src/platform/redact.ts; the secret
 * scan (test/harness/secret-scan.ts) must find each of them too, so a leak in any of these forms
 * fails any test.
 */
import { REDACTED, redactText, registerSecret } from '../../../src/platform/redact';
import { resetDetachedState } from '../../../src/platform/invocation';
import { encodingsOf, SecretScanRegistry } from '../../harness/secret-scan';
import { b64, disguisesOf } from './disguises';

/** A token with characters that URL-, form- and JSON-encoding change. */
const TOKEN = 'sqai_live/Q+x=9f~Ab.Cd-0123456789';

/** Whether `text` still holds the secret in the form `form` (its encoded text verbatim). */
const holds = (text: string, form: string) => text.includes(form);

beforeEach(() => resetDetachedState());

describe('redactText: a registered secret in any disguise', () => {
  it.each(disguisesOf(TOKEN))('removes the token %s', (_name, form) => {
    registerSecret(TOKEN);
    const said = redactText(`Generation refused: token “${form}” may not generate (code 4711).`);
    expect(holds(said, form)).toBe(false);
    expect(said).toContain(REDACTED);
    // What is around the secret survives.
    expect(said).toMatch(/^Generation refused: token/);
    expect(said).toMatch(/\(code 4711\)\.$/);
  });

  it.each(disguisesOf(TOKEN))('removes the token %s when only the caller knows the secret', (_name, form) => {
    // Nothing registered in this invocation: the SQAI client passes its own token.
    const said = redactText(`bad token ${form}!`, [TOKEN]);
    expect(holds(said, form)).toBe(false);
  });

  it('leaves ordinary text alone, and does not redact short or low-entropy secrets by pattern', () => {
    registerSecret(TOKEN);
    registerSecret('aaaa-aaaa-aaaa');
    const text =
      'SQAI could not generate tests: the requirement DEMO-3 has no acceptance criteria (1700000000, 0123 4567 89).';
    expect(redactText(text)).toBe(text);
    // A separated short secret would match half the words of a sentence: only its raw form goes.
    registerSecret('abcd');
    expect(redactText('a b c d and abcd')).toBe(`a b c d and ${REDACTED}`);
  });

  it('redacts the whole base64 word, not only the part that depends on the secret', () => {
    registerSecret(TOKEN);
    const blob = b64(`user:${TOKEN}:tail`);
    const said = redactText(`auth=${blob}; next`);
    expect(said).toBe(`auth=${REDACTED}; next`);
  });
});

describe('the secret scan looks for every disguise the redaction removes', () => {
  it.each(disguisesOf(TOKEN))('finds the token %s', (_name, form) => {
    const registry = new SecretScanRegistry();
    registry.enable();
    registry.addSecret('SQAI token', TOKEN);
    registry.recordResponse('resolver hostile', { ok: false, error: { message: `said: ${form} (end)` } });
    const findings = registry.scan();
    expect(findings.map((finding) => finding.kind)).toEqual(['SQAI token']);
    expect(registry.describe(findings)).not.toContain(form);
  });

  it('names the encodings it searches verbatim, hex and reversed among them', () => {
    expect(encodingsOf(TOKEN).map((form) => form.encoding)).toEqual(
      expect.arrayContaining(['raw', 'URL-encoded', 'base64', 'base64url', 'hex', 'reversed']),
    );
  });
});
