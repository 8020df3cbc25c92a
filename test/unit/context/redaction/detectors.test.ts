import { REDACTION_KINDS, type RedactionKind } from '../../../../src/api';
import {
  createRedactor,
  defaultRedactionPolicy,
  type RedactionPolicy,
} from '../../../../src/context/redaction';
import { DETECTORS } from '../../../../src/context/redaction/detectors';
import { KNOWN, LOOKALIKES } from './pii-fixtures';

const only = (kind: RedactionKind): RedactionPolicy => ({
  detectors: Object.fromEntries(
    REDACTION_KINDS.map((each) => [each, each === kind]),
  ) as RedactionPolicy['detectors'],
  customPatterns: [],
});

describe('built-in redaction detectors', () => {
  describe.each(REDACTION_KINDS)('%s', (kind) => {
    test.each(KNOWN[kind].map((value) => [value]))('finds %j in a sentence, whole', (value) => {
      const redactor = createRedactor(only(kind));
      expect(redactor.redact(`Reach it at ${value} today.`)).toBe(`Reach it at [${kind}-1] today.`);
      expect(redactor.counts()).toEqual({ [kind]: 1 });
    });
  });

  test.each(LOOKALIKES.map((text) => [text]))('leaves lookalikes alone: %j', (text) => {
    expect(createRedactor(defaultRedactionPolicy).redact(text)).toBe(text);
  });

  test('email: a trailing full stop stays, an invalid address is no match', () => {
    const redactor = createRedactor(only('email'));
    expect(redactor.redact('Mail alice@example.com.')).toBe('Mail [email-1].');
    expect(redactor.redact('user@localhost and a@b and @handle')).toBe('user@localhost and a@b and @handle');
  });

  test('email: one address in any case is one placeholder', () => {
    const redactor = createRedactor(only('email'));
    expect(redactor.redact('Alice@Example.com / alice@example.com / bob@example.com')).toBe(
      '[email-1] / [email-1] / [email-2]',
    );
  });

  test('phone: one number in national and international format is one placeholder', () => {
    const redactor = createRedactor(only('phone'));
    expect(redactor.redact('(415) 555-2671, +1 415 555 2671, +44 20 7946 0958')).toBe(
      '[phone-1], [phone-1], [phone-2]',
    );
  });

  test('phone: dates, versions, ticket keys, order numbers and short numbers are no phone numbers', () => {
    const text =
      'On 2024-01-15 (15/01/2024, 01.15.2024) v10.0.19045 fixed DEMO-4155552 and order 123456789; call 555-1234 later';
    expect(DETECTORS.phone(text)).toEqual([]);
  });

  test('payment card: only Luhn-valid 13–19 digit numbers starting like a card', () => {
    const detect = (text: string) =>
      DETECTORS.paymentCard(text).map((span) => text.slice(span.start, span.end));
    expect(detect('4111 1111 1111 1111')).toEqual(['4111 1111 1111 1111']);
    expect(detect('4111 1111 1111 1112')).toEqual([]); // Luhn fails
    expect(detect('1111 1111 1111 1117')).toEqual([]); // no card starts with 1 (ISO/IEC 7812 MII)
    expect(detect('411111111111')).toEqual([]); // 12 digits
    expect(detect('41111111111111111111111')).toEqual([]); // one run longer than 19 digits
    expect(detect('SKU4111111111111111')).toEqual([]); // glued to letters
    expect(detect('4111-1111-1111-1111 and 2024')).toEqual(['4111-1111-1111-1111']);
  });

  test('payment card: the same card with other separators is one placeholder', () => {
    const redactor = createRedactor(only('paymentCard'));
    expect(redactor.redact('4111 1111 1111 1111 / 4111-1111-1111-1111 / 4111111111111111')).toBe(
      '[paymentCard-1] / [paymentCard-1] / [paymentCard-1]',
    );
  });

  test('IBAN: checksum checked, spaces allowed, the next word not swallowed', () => {
    const redactor = createRedactor(only('iban'));
    expect(redactor.redact('Pay DE89 3704 0044 0532 0130 00 ABCD now')).toBe('Pay [iban-1] ABCD now');
    expect(redactor.redact('DE89370400440532013000')).toBe('[iban-1]');
    expect(redactor.redact('de89 3704 0044 0532 0130 00')).toBe('[iban-1]');
    expect(redactor.redact('DE88 3704 0044 0532 0130 00')).toBe('DE88 3704 0044 0532 0130 00'); // bad check digits
  });

  test('IP address: v4 and v6 checked by node:net isIP; versions and times are not addresses', () => {
    const redactor = createRedactor(only('ipAddress'));
    expect(redactor.redact('hosts 10.0.0.1, 256.1.1.1, ::ffff:192.0.2.1, 2001:DB8::1 at 10:30:00')).toBe(
      'hosts [ipAddress-1], 256.1.1.1, [ipAddress-2], [ipAddress-3] at 10:30:00',
    );
    expect(redactor.redact('v1.2.3 and 1.2.3.4.5 and std::map')).toBe('v1.2.3 and 1.2.3.4.5 and std::map');
  });

  test('token: the bearer word stays, the credential goes; private key blocks even when cut short', () => {
    const redactor = createRedactor(only('token'));
    expect(redactor.redact('Authorization: Bearer abcdef0123456789ABCDEF.xyz')).toBe(
      'Authorization: Bearer [token-1]',
    );
    expect(redactor.redact('bearer short')).toBe('bearer short');
    const cut = ['-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEow…'].join('');
    expect(redactor.redact(`key:\n${cut}`)).toBe('key:\n[token-2]');
    expect(redactor.redact('ghp_tooShort and AKIA1234 and xoxb-1')).toBe(
      'ghp_tooShort and AKIA1234 and xoxb-1',
    );
  });

  test('phone: a number in a CSV cell is found; an amount before a number does not join it', () => {
    const redactor = createRedactor(only('phone'));
    expect(redactor.redact('2024-01-15,12.5,33,4155552671')).toBe('2024-01-15,12.5,33,[phone-1]');
    expect(redactor.redact('€1,234.56). 4200 0000')).toBe('€1,234.56). 4200 0000');
  });

  test.each([
    ['spaced digits', '4 '.repeat(50_000)],
    ['digit pairs', '12 34 56 78 90 '.repeat(7_000)],
    ['card after card', '4111 1111 1111 1111 '.repeat(5_000)],
    ['addresses', '10.0.0.1 '.repeat(11_000)],
    ['parentheses', '(1'.repeat(50_000)],
    ['JWT-like', 'eyJaaaaaaaa.'.repeat(8_000)],
    ['unterminated keys', '-----BEGIN PRIVATE KEY-----'.repeat(3_000)],
    ['at signs', 'a@'.repeat(50_000)],
  ])('hostile 100 KB text (%s) is redacted in bounded time', (_name, text) => {
    const started = performance.now();
    const out = createRedactor(defaultRedactionPolicy).redact(text);
    // ~0.3 s each outside jest on this machine; the bound catches super-linear regressions.
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(createRedactor(defaultRedactionPolicy).redact(out)).toBe(out);
  });
});
