/**
 * The Preview's redaction placeholders (static/issue-panel/src/preview/placeholders.ts): the tokenizer
 * splits text into plain text and `[<kind>-<n>]` placeholders exactly as the app writes them, and the
 * highlight reads out a label ("redacted email 1") in the readable view while the raw JSON view keeps
 * the JSON's text.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import fc from 'fast-check';
import { createRedactor, defaultRedactionPolicy, PLACEHOLDER } from '../../../src/context/redaction';
import {
  hasPlaceholder,
  PLACEHOLDER_SOURCE,
  placeholderLabel,
  splitPlaceholders,
} from '../../../static/issue-panel/src/preview/placeholders';
import { RedactedText } from '../../../static/issue-panel/src/preview/Redacted';
import { propertyConfig } from '../../harness/property-seed';

describe('redaction placeholders in the Preview', () => {
  test('the panel recognises exactly the placeholders the app writes', () => {
    expect(PLACEHOLDER_SOURCE).toBe(PLACEHOLDER.source);
  });

  test('splits text into text and placeholders, with kind, number and label', () => {
    expect(
      splitPlaceholders('Mail [email-1] or [email-12], card [paymentCard-3]; id [customer-id-2].'),
    ).toEqual([
      { type: 'text', text: 'Mail ' },
      { type: 'placeholder', text: '[email-1]', kind: 'email', n: 1, label: 'redacted email 1' },
      { type: 'text', text: ' or ' },
      { type: 'placeholder', text: '[email-12]', kind: 'email', n: 12, label: 'redacted email 12' },
      { type: 'text', text: ', card ' },
      {
        type: 'placeholder',
        text: '[paymentCard-3]',
        kind: 'paymentCard',
        n: 3,
        label: 'redacted payment card 3',
      },
      { type: 'text', text: '; id ' },
      {
        type: 'placeholder',
        text: '[customer-id-2]',
        kind: 'customer-id',
        n: 2,
        label: 'redacted customer id 2',
      },
      { type: 'text', text: '.' },
    ]);
  });

  test('leaves look-alikes as text', () => {
    for (const text of [
      '[email]',
      '[email-0]',
      '[-1]',
      '[email-1',
      'email-1]',
      '[e mail-1]',
      '[x](y)',
      '- [ ] task',
    ])
      expect(splitPlaceholders(text)).toEqual([{ type: 'text', text }]);
    expect(hasPlaceholder('no brackets')).toBe(false);
    expect(hasPlaceholder('[ipAddress-4]')).toBe(true);
    expect(splitPlaceholders('')).toEqual([]);
  });

  test('labels every built-in kind in words', () => {
    expect(
      ['email', 'phone', 'paymentCard', 'iban', 'ipAddress', 'token'].map((kind) =>
        placeholderLabel(kind, 1),
      ),
    ).toEqual([
      'redacted email 1',
      'redacted phone number 1',
      'redacted payment card 1',
      'redacted IBAN 1',
      'redacted IP address 1',
      'redacted access token 1',
    ]);
  });

  test('the pieces join back to the text, and every placeholder of a redacted text is found', () => {
    const redactor = createRedactor(defaultRedactionPolicy);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }),
        fc.constantFrom('', 'alice@example.com', '10.0.0.1', '[token-9]'),
        (noise, pii) => {
          const text = redactor.redact(`${noise} ${pii} ${noise}`);
          const pieces = splitPlaceholders(text);
          expect(pieces.map((piece) => piece.text).join('')).toBe(text);
          expect(pieces.filter((piece) => piece.type === 'placeholder').length).toBe(
            text.match(PLACEHOLDER)?.length ?? 0,
          );
        },
      ),
      propertyConfig(process.env),
    );
  });

  test('readable view: a marked span read out by its label; raw view: the JSON text, marked', () => {
    const readable = renderToStaticMarkup(createElement(RedactedText, { text: 'Mail [email-1] now' }));
    expect(readable).toMatch(
      /^Mail <mark [^>]*title="redacted email 1"[^>]*data-redaction="email"[^>]*><span aria-hidden="true">\[email-1\]<\/span><span[^>]*>redacted email 1<\/span><\/mark> now$/,
    );
    const raw = renderToStaticMarkup(createElement(RedactedText, { text: '"Mail [email-1]"', raw: true }));
    expect(raw).toMatch(/^&quot;Mail <mark [^>]*title="redacted email 1"[^>]*>\[email-1\]<\/mark>&quot;$/);
    expect(renderToStaticMarkup(createElement(RedactedText, { text: 'plain' }))).toBe('plain');
  });
});
