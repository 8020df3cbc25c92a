import { REDACTION_KINDS } from '../../../../src/api';
import {
  createRedactor,
  defaultRedactionPolicy,
  PLACEHOLDER,
  redactDocumentStrings,
  redactionPolicyHash,
  redactionPolicySchema,
  type RedactionPolicy,
} from '../../../../src/context/redaction';
import { KNOWN, realisticDocument } from './pii-fixtures';

const withPatterns = (...customPatterns: RedactionPolicy['customPatterns']): RedactionPolicy => ({
  ...defaultRedactionPolicy,
  customPatterns,
});

describe('redaction policy', () => {
  test('defaults: every detector on, no custom pattern', () => {
    expect(redactionPolicySchema.parse({})).toEqual(defaultRedactionPolicy);
    expect(redactionPolicySchema.parse({ detectors: { phone: false } }).detectors).toEqual({
      ...defaultRedactionPolicy.detectors,
      phone: false,
    });
    expect(Object.keys(defaultRedactionPolicy.detectors)).toEqual([...REDACTION_KINDS]);
  });

  test('refuses bad names, duplicate names, over-long patterns', () => {
    expect(
      redactionPolicySchema.safeParse({ customPatterns: [{ name: 'Bad Name', pattern: 'x' }] }).success,
    ).toBe(false);
    expect(
      redactionPolicySchema.safeParse({ customPatterns: [{ name: 'iban', pattern: 'x' }] }).success,
    ).toBe(false);
    expect(
      redactionPolicySchema.safeParse({
        customPatterns: [
          { name: 'a', pattern: 'x' },
          { name: 'a', pattern: 'y' },
        ],
      }).success,
    ).toBe(false);
    expect(
      redactionPolicySchema.safeParse({ customPatterns: [{ name: 'a', pattern: 'x'.repeat(501) }] }).success,
    ).toBe(false);
  });

  test('hash: 16 hex, key order free, changes with any detector or pattern', () => {
    const hash = redactionPolicyHash(defaultRedactionPolicy);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const reordered = redactionPolicySchema.parse({
      customPatterns: [],
      detectors: Object.fromEntries([...REDACTION_KINDS].reverse().map((kind) => [kind, true])),
    });
    expect(redactionPolicyHash(reordered)).toBe(hash);
    const seen = new Set([hash]);
    for (const kind of REDACTION_KINDS)
      seen.add(
        redactionPolicyHash({
          ...defaultRedactionPolicy,
          detectors: { ...defaultRedactionPolicy.detectors, [kind]: false },
        }),
      );
    seen.add(redactionPolicyHash(withPatterns({ name: 'a', pattern: 'x' })));
    seen.add(redactionPolicyHash(withPatterns({ name: 'a', pattern: 'y' })));
    seen.add(redactionPolicyHash(withPatterns({ name: 'b', pattern: 'x' })));
    expect(seen.size).toBe(REDACTION_KINDS.length + 4);
  });
});

describe('createRedactor', () => {
  test('numbers placeholders per kind, the same value keeps its placeholder', () => {
    const redactor = createRedactor(defaultRedactionPolicy);
    expect(redactor.redact('alice@example.com met bob@example.com')).toBe('[email-1] met [email-2]');
    expect(redactor.redact('later: bob@example.com, 10.0.0.1, alice@example.com')).toBe(
      'later: [email-2], [ipAddress-1], [email-1]',
    );
    expect(redactor.counts()).toEqual({ email: 4, ipAddress: 1 });
  });

  test('a fresh redactor starts over (one per document)', () => {
    createRedactor(defaultRedactionPolicy).redact('alice@example.com bob@example.com');
    expect(createRedactor(defaultRedactionPolicy).redact('bob@example.com')).toBe('[email-1]');
  });

  test('overlaps: the longest match wins, then the earliest, then the kind priority', () => {
    // A custom pattern inside an email: the longer email wins.
    const redactor = createRedactor(withPatterns({ name: 'user', pattern: 'alice' }));
    expect(redactor.redact('alice@example.com and alice')).toBe('[email-1] and [user-1]');
    // A custom pattern longer than the email wins over it.
    const wide = createRedactor(withPatterns({ name: 'contact', pattern: 'mailto:[a-z@.]{1,40}' }));
    expect(wide.redact('see mailto:alice@example.com')).toBe('see [contact-1]');
    // Same start and length: the built-in kind first in priority (a card over a custom pattern).
    const tie = createRedactor(withPatterns({ name: 'digits', pattern: '4111 1111 1111 1111' }));
    expect(tie.redact('4111 1111 1111 1111')).toBe('[paymentCard-1]');
    // Two custom patterns overlapping at different starts, equally long: the earliest.
    const early = createRedactor(withPatterns({ name: 'ab', pattern: 'ab' }, { name: 'bc', pattern: 'bc' }));
    expect(early.redact('abc')).toBe('[ab-1]c');
  });

  test('idempotent: placeholders are never redacted again, a second run changes nothing', () => {
    const policy = withPatterns(
      { name: 'num', pattern: '\\d{1,9}' },
      { name: 'brackets', pattern: '\\[[a-z]{1,20}' },
    );
    const redactor = createRedactor(policy);
    const once = redactor.redact('alice@example.com has 42 [tickets and 10.0.0.1');
    expect(once).toBe('[email-1] has [num-1] [brackets-1] and [ipAddress-1]');
    expect(redactor.redact(once)).toBe(once);
    expect(createRedactor(policy).redact(once)).toBe(once);
    expect(redactor.counts()).toEqual({ email: 1, num: 1, brackets: 1, ipAddress: 1 });
  });

  test('a detector switched off leaves its kind', () => {
    const redactor = createRedactor({
      ...defaultRedactionPolicy,
      detectors: { ...defaultRedactionPolicy.detectors, email: false },
    });
    expect(redactor.redact('alice@example.com 10.0.0.1')).toBe('alice@example.com [ipAddress-1]');
  });

  test('everything off: the text as it is', () => {
    const none = redactionPolicySchema.parse({
      detectors: Object.fromEntries(REDACTION_KINDS.map((kind) => [kind, false])),
    });
    const sample = Object.values(KNOWN).flat().join(' ');
    expect(createRedactor(none).redact(sample)).toBe(sample);
  });

  test('placeholders look like [kind-n]', () => {
    const out = createRedactor(defaultRedactionPolicy).redact(Object.values(KNOWN).flat().join(' | '));
    const placeholders = out.match(PLACEHOLDER) ?? [];
    expect(placeholders.length).toBe(Object.values(KNOWN).flat().length);
    expect(out.replace(PLACEHOLDER, '').replace(/[ |]/g, '')).toBe('');
  });
});

describe('redactDocumentStrings', () => {
  test('every string of a JSON value, keys and other values untouched, the input not changed', () => {
    const input = {
      'alice@example.com': 'alice@example.com',
      list: ['10.0.0.1', 3, null, true, { deep: ['x bob@example.com'] }],
      n: 7,
    };
    const copy = structuredClone(input);
    const redactor = createRedactor(defaultRedactionPolicy);
    expect(redactDocumentStrings(input, redactor)).toEqual({
      'alice@example.com': '[email-1]',
      list: ['[ipAddress-1]', 3, null, true, { deep: ['x [email-2]'] }],
      n: 7,
    });
    expect(input).toEqual(copy);
    expect(redactDocumentStrings('alice@example.com', redactor)).toBe('[email-1]');
  });

  test('a realistic 100 KB document: everything planted goes, well within the time budget', () => {
    const document = realisticDocument(100);
    const times: number[] = [];
    let out: unknown;
    for (let run = 0; run < 5; run += 1) {
      const started = performance.now();
      out = redactDocumentStrings(document, createRedactor(defaultRedactionPolicy));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[2] ?? Infinity;
    console.log(
      `redaction of a ${Math.round(JSON.stringify(document).length / 1024)} KB document: median ${median.toFixed(1)} ms`,
    );
    const json = JSON.stringify(out);
    for (const value of [
      'alice.smith@example.com',
      '4111 1111 1111 1111',
      'DE89 3704',
      '+1 415 555',
      '2001:db8::',
      'Bearer tok',
    ])
      expect(json).not.toContain(value);
    // Generous (jest's VM and a shared machine are slower than `npm run bench`): a regression by
    // an order of magnitude still fails.
    expect(median).toBeLessThan(400);
  });
});
