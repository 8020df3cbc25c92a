/**
 * Personal data and credentials to plant in context documents: known-valid values of every
 * built-in redaction kind, generators of random valid ones, and a realistic ~100 KB document
 * (the redaction benchmark reads it). Credential-shaped values are assembled at run time so that
 * no scanner mistakes this file for a leak.
 */
import fc from 'fast-check';
import type { RedactionKind } from '../../../../src/api';

const join = (...parts: string[]) => parts.join('');

/** Values each built-in detector must find, as a person would write them. */
export const KNOWN: Record<RedactionKind, readonly string[]> = {
  email: ['alice.smith@example.com', 'Bob+qa@corp.example.org', 'j.doe@mail.co.uk'],
  phone: [
    '+1 415 555 2671',
    '(415) 555-2671',
    '415.555.2671',
    '+44 20 7946 0958',
    '020 7946 0958',
    '+49 30 1234567',
    '+33 1 23 45 67 89',
  ],
  paymentCard: [
    '4111 1111 1111 1111',
    '5500-0000-0000-0004',
    '378282246310005',
    '6011111111111117',
    '4012888888881881',
  ],
  iban: [
    'DE89 3704 0044 0532 0130 00',
    'GB82 WEST 1234 5698 7654 32',
    'FR1420041010050500013M02606',
    'NL91ABNA0417164300',
  ],
  ipAddress: ['192.168.10.24', '203.0.113.7', '2001:db8::ff00:42:8329', 'fe80::1ff:fe23:4567:890a'],
  token: [
    join(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      '.',
      'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
      '.',
      'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ),
    join('AKIA', 'IOSFODNN7EXAMPLE'),
    join('ghp', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'),
    join('github', '_pat_', '11ABCDEFG0123456789abc_', 'x'.repeat(59)),
    join('xox', 'b-', '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'),
    join('sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'),
    join('rk', '_live_', '51H8mNpQrStUvWxYz0123456'),
    join('AI', 'za', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'),
    join(
      '-----BEGIN ',
      'PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END ',
      'PRIVATE KEY-----',
    ),
  ],
};

/** Text that looks numeric or dotted but is no personal data: nothing may be redacted in it. */
export const LOOKALIKES: readonly string[] = [
  'Released 2024-01-15 in version 10.0.19045, build 1.2.3 and v2.14.0-rc.1.',
  'See DEMO-1234, PROJ-20241203 and order 123456789 (qty 12, €1,234.56).',
  'Dates 15/01/2024 and 01.02.2025, time 10:30:00, ISO 2024-01-15T10:30:00Z.',
  'Commit 9fceb02d0ae598e95dc970b74767f19372d61af8, UUID 123e4567-e89b-12d3-a456-426614174000.',
  'Use std::vector and a::b, the ratio 3:2:1, and MAC-like 12:34 notes.',
  'Step 1 of 12: page 3-14, section 4.2.1, HTTP 404 after 2500 ms; port 8080.',
  'Timestamp 1733300000000 and the build number 20241203101530.',
  'Bearer of bad news: see the bearer token docs.',
];

const digitsOf = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length });

function luhnDigit(body: number[]): number {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    let digit = body[body.length - 1 - index] ?? 0;
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

function ibanCheck(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const char of numeric) remainder = (remainder * 10 + Number(char)) % 97;
  return String(98 - remainder).padStart(2, '0');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${ALNUM}-_`;
const stringOf = (alphabet: string, min: number, max = min) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((chars) => chars.join(''));

/** Random valid values of each kind (each ≥ 8 characters: the secret scan looks for them). */
export const ARBITRARY: Record<RedactionKind, fc.Arbitrary<string>> = {
  email: fc
    .tuple(
      stringOf('abcdefghijklmnopqrstuvwxyz', 3, 10),
      stringOf('abcdefghijklmnopqrstuvwxyz', 3, 10),
      fc.constantFrom('com', 'org', 'io', 'de'),
    )
    .map(([local, domain, tld]) => `${local}.x@${domain}.${tld}`),
  phone: fc
    .tuple(
      fc.constantFrom('+1 415 555 ', '+44 20 7946 ', '(212) 555-', '+49 30 123', '+33 1 42 68 '),
      digitsOf(4),
    )
    .map(([prefix, digits]) => `${prefix}${digits.join('')}`),
  paymentCard: fc.tuple(digitsOf(14), fc.boolean()).map(([digits, spaced]) => {
    const body = [4, ...digits];
    const all = [...body, luhnDigit(body)].join('');
    return spaced ? all.replace(/(\d{4})(?=\d)/g, '$1 ') : all;
  }),
  iban: fc.tuple(digitsOf(18), fc.boolean()).map(([digits, spaced]) => {
    const bban = digits.join('');
    const iban = `DE${ibanCheck('DE', bban)}${bban}`;
    return spaced ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
  }),
  ipAddress: fc.oneof(
    fc
      .tuple(fc.integer({ min: 11, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
      .map((parts) => parts.join('.')),
    fc
      .array(fc.integer({ min: 0x1000, max: 0xffff }), { minLength: 8, maxLength: 8 })
      .map((groups) => groups.map((group) => group.toString(16)).join(':')),
  ),
  token: fc.oneof(
    fc
      .tuple(stringOf(B64URL, 10, 30), stringOf(B64URL, 10, 60), stringOf(B64URL, 20, 43))
      .map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
    stringOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16).map((rest) => `AKIA${rest}`),
    stringOf(ALNUM, 36).map((rest) => join('ghp', '_', rest)),
    stringOf(ALNUM, 24).map((rest) => join('sk', '_live_', rest)),
    stringOf(`${ALNUM}-`, 24, 40).map((rest) => join('xox', 'p-', rest)),
  ),
};

export const anyPlanted: fc.Arbitrary<{ kind: RedactionKind; value: string }> = fc.oneof(
  ...(Object.entries(ARBITRARY) as [RedactionKind, fc.Arbitrary<string>][]).map(([kind, arbitrary]) =>
    arbitrary.map((value) => ({ kind, value })),
  ),
  ...(Object.entries(KNOWN) as [RedactionKind, readonly string[]][]).map(([kind, values]) =>
    fc.constantFrom(...values).map((value) => ({ kind, value })),
  ),
);

const WORDS =
  'the user opens checkout and pays with saved card then receives a confirmation page shows total order status'.split(
    ' ',
  );
export const prose = fc
  .array(fc.constantFrom(...WORDS, ...LOOKALIKES), { minLength: 1, maxLength: 12 })
  .map((words) => words.join(' '));

/** A context document's text-bearing parts (schema v1.2 shape: description, linked issues, pages, attachments, steps). */
export interface PlantedDocument {
  requirement: { summary: string; description: string; reporter: string | null };
  linkedIssues: { key: string; summary: string; comments: string[] }[];
  linkedPages: { title: string; markdown: string }[];
  attachments: { filename: string; text: string }[];
  xray: {
    tests: {
      key: string;
      summary: string;
      steps: { action: string; data: string | null; result: string | null }[];
    }[];
  };
}

/** `text` with `value` planted at a word boundary (spaces or Markdown-table pipes around it). */
export const planted = (text: string, value: string, glue = ' ') => `${text}${glue}${value}${glue}${text}`;

/** A ~`kb` KB document with personal data in every source, as the redaction benchmark reads it. */
export function realisticDocument(kb = 100): PlantedDocument {
  const para = (n: number) =>
    `As a shopper I want to pay with a saved card so that checkout is quick (see DEMO-${100 + n}, release 2.${n}.0 on 2025-0${(n % 9) + 1}-15). ` +
    `Contact ${['alice.smith@example.com', 'bob.jones@example.org'][n % 2]} or call +1 415 555 26${String(n % 100).padStart(2, '0')}; ` +
    `the gateway at 10.20.${n % 250}.7 logs order ${700000 + n}. `;
  const table = (n: number) =>
    `| Case | Card | Expected |\n| --- | --- | --- |\n| ${n} | 4111 1111 1111 1111 | approved |\n| ${n + 1} | 4000 0000 0000 0002 | declined (IBAN DE89 3704 0044 0532 0130 00) |\n`;
  const doc: PlantedDocument = {
    requirement: { summary: 'Pay with a saved card', description: '', reporter: 'Alice Smith' },
    linkedIssues: [],
    linkedPages: [],
    attachments: [],
    xray: { tests: [] },
  };
  let n = 0;
  const size = () => JSON.stringify(doc).length;
  while (size() < kb * 1024) {
    n += 1;
    if (n % 5 === 0) doc.requirement.description += `${para(n)}\n\n`;
    else if (n % 5 === 1)
      doc.linkedIssues.push({
        key: `DEMO-${n}`,
        summary: `Refund flow ${n}`,
        comments: [para(n), `Token for the sandbox: Bearer ${'tok'.repeat(8)}${n}`],
      });
    else if (n % 5 === 2)
      doc.linkedPages.push({ title: `Spec ${n}`, markdown: `## Test cards\n\n${table(n)}\n${para(n)}` });
    else if (n % 5 === 3)
      doc.attachments.push({ filename: `notes-${n}.md`, text: `${para(n)}\n${para(n + 1)}` });
    else
      doc.xray.tests.push({
        key: `DEMO-T${n}`,
        summary: `Checkout ${n}`,
        steps: [
          {
            action: `Log in as ${n % 2 ? 'carol@example.net' : 'dave@example.net'}`,
            data: `card 5500-0000-0000-0004, v1.${n}.3`,
            result: 'Dashboard shown',
          },
          {
            action: 'Pay',
            data: `IP 2001:db8::${(n % 0xffff).toString(16)}:1`,
            result: `Receipt sent on 2025-01-${String((n % 28) + 1).padStart(2, '0')}`,
          },
        ],
      });
  }
  return doc;
}
