/**
 * Redaction placeholders in the Preview (issue 20, docs/data-controls.md "Redaction"): the app
 * replaces personal data and credentials with `[<kind>-<n>]` before a document is sent; the Preview
 * shows each placeholder highlighted, read out as, e.g., "redacted email 1". The pattern is the
 * app's (`PLACEHOLDER` in src/context/redaction/redactor.ts — not imported: that module pulls the
 * detectors into the panel bundle; a unit test keeps the two equal).
 */
export const PLACEHOLDER_SOURCE = '\\[[A-Za-z0-9-]{1,30}-[1-9]\\d{0,8}\\]';

export type TextPiece =
  | { type: 'text'; text: string }
  | { type: 'placeholder'; text: string; kind: string; n: number; label: string };

const WORDS: Record<string, string> = {
  email: 'email',
  phone: 'phone number',
  paymentCard: 'payment card',
  iban: 'IBAN',
  ipAddress: 'IP address',
  token: 'access token',
};

/** "redacted email 1", "redacted payment card 2", "redacted customer id 3". */
export function placeholderLabel(kind: string, n: number): string {
  const words = WORDS[kind] ?? kind.replace(/-/g, ' ');
  return `redacted ${words} ${n}`;
}

/** `text` split into plain text and placeholders, in order; joined back, the pieces are `text`. */
export function splitPlaceholders(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let copied = 0;
  for (const match of text.matchAll(new RegExp(PLACEHOLDER_SOURCE, 'g'))) {
    const inner = match[0].slice(1, -1);
    const dash = inner.lastIndexOf('-');
    const kind = inner.slice(0, dash);
    const n = Number(inner.slice(dash + 1));
    if (match.index > copied) pieces.push({ type: 'text', text: text.slice(copied, match.index) });
    pieces.push({ type: 'placeholder', text: match[0], kind, n, label: placeholderLabel(kind, n) });
    copied = match.index + match[0].length;
  }
  if (copied < text.length) pieces.push({ type: 'text', text: text.slice(copied) });
  return pieces;
}

/** Whether `text` holds a placeholder (cheap: most strings hold none). */
export const hasPlaceholder = (text: string): boolean =>
  text.includes('[') && new RegExp(PLACEHOLDER_SOURCE).test(text);
