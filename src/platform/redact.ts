/**
 * Redaction for anything that may be logged or shown. Two layers:
 * 1. field names that hold credentials are replaced wholesale (`clientSecret`, `token`, `authorization`…);
 * 2. secret values — registered during the invocation (`registerSecret`), or handed in by the code
 *    that holds them (the SQAI client passes its token) — are replaced wherever they appear, even
 *    inside free text such as an upstream error body, and in disguise too: an upstream that echoes
 *    a secret base64-, base64url-, hex- or URL-encoded, reversed, upper-cased or with its characters
 *    spaced out (by any characters other than ASCII letters and digits) does not get it through.
 * Nothing about a secret is kept: not a prefix, not a length.
 *
 * The forms a secret is looked for in (`exactFormsOf`, `foldedFormsOf`) are the ones the test
 * suite's secret scan searches every answer, log line and request for (test/harness/secret-scan.ts
 * imports them): what is redacted and what a leak is are one definition.
 */
import { invocationMemo, invocationState } from './invocation';

const SECRET_FIELD = /secret|token|password|authorization|apikey|api_key|credential|signature|cookie/i;
export const REDACTED = '[redacted]';

/** A secret shorter than this is only looked for as it is (the secret scan ignores it altogether). */
export const MIN_ENCODED_SECRET_LENGTH = 8;
/**
 * A folded form (see `foldText`) shorter than this, or with fewer distinct characters than
 * MIN_FOLDED_DISTINCT, is not looked for: it would match ordinary words and numbers.
 */
export const MIN_FOLDED_LENGTH = 12;
const MIN_FOLDED_DISTINCT = 4;
/** Registered secrets shorter than this are ignored (they would match ordinary text). */
const MIN_REGISTERED_LENGTH = 4;

export type SecretEncoding =
  | 'raw'
  | 'JSON-escaped'
  | 'URL-encoded'
  | 'form-encoded'
  | 'base64'
  | 'base64url'
  | 'hex'
  | 'reversed'
  | 'separated';

export interface SecretForm {
  text: string;
  encoding: SecretEncoding;
}

/**
 * base64 of `value` as it appears inside a longer encoded string, for each of the 3 byte alignments:
 * the characters that depend only on the secret (the group mixing in a prefix is skipped, and the
 * last group when it would mix in whatever follows).
 */
function base64Forms(value: string): { base64: string[]; base64url: string[] } {
  const bytes = Buffer.from(value, 'utf8');
  const base64: string[] = [];
  const base64url: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const stable = encoded.slice(start, end);
    if (stable.length < MIN_ENCODED_SECRET_LENGTH) continue;
    base64.push(stable);
    base64url.push(stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return { base64, base64url };
}

/** `[...text].reverse()`: by code point, so a surrogate pair stays one character. */
const reversedOf = (value: string) => [...value].reverse().join('');

/**
 * The forms `secret` is searched for verbatim: as it is, JSON-escaped, URL- and form-encoded, base64
 * and base64url (at every byte alignment), hex (lower and upper case) and reversed. Forms shorter
 * than MIN_ENCODED_SECRET_LENGTH are left out (the raw value never is).
 */
export function exactFormsOf(secret: string): SecretForm[] {
  const forms: SecretForm[] = [{ text: secret, encoding: 'raw' }];
  const add = (text: string, encoding: SecretEncoding) => {
    if (text.length >= MIN_ENCODED_SECRET_LENGTH && !forms.some((form) => form.text === text))
      forms.push({ text, encoding });
  };
  add(JSON.stringify(secret).slice(1, -1), 'JSON-escaped');
  try {
    add(encodeURIComponent(secret), 'URL-encoded');
  } catch {
    // A lone surrogate has no URL encoding.
  }
  add(new URLSearchParams({ v: secret }).toString().slice(2), 'form-encoded');
  const { base64, base64url } = base64Forms(secret);
  for (const text of base64) add(text, 'base64');
  for (const text of base64url) add(text, 'base64url');
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  add(hex, 'hex');
  add(hex.toUpperCase(), 'hex');
  add(reversedOf(secret), 'reversed');
  return forms;
}

const isFoldable = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * `text` folded: its ASCII letters and digits only, lower-cased. A secret spaced out by any other
 * characters (spaces, dashes, dots, line breaks, zero-width spaces, …) or with its case changed
 * folds to the same text as the secret.
 */
export function foldText(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '').toLowerCase();
}

/** `foldText(text)` and, for each of its characters, where it came from in `text`. */
function foldWithPositions(text: string): { folded: string; at: Uint32Array } {
  const at = new Uint32Array(text.length);
  const chars: string[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (!isFoldable(code)) continue;
    at[chars.length] = index;
    chars.push(String.fromCharCode(code >= 65 && code <= 90 ? code + 32 : code));
  }
  return { folded: chars.join(''), at };
}

/**
 * The forms `secret` is searched for in folded text (`foldText`), so separators and case cannot hide
 * them: the secret itself ("separated"), reversed, hex (which also covers every byte %-encoded),
 * URL-encoded and base64 / base64url. Each is at least MIN_FOLDED_LENGTH characters with
 * MIN_FOLDED_DISTINCT distinct ones, else it is left out; none for a secret shorter than
 * MIN_ENCODED_SECRET_LENGTH.
 */
export function foldedFormsOf(secret: string): SecretForm[] {
  if (secret.length < MIN_ENCODED_SECRET_LENGTH) return [];
  const forms: SecretForm[] = [];
  const add = (text: string, encoding: SecretEncoding) => {
    const folded = foldText(text);
    if (folded.length < MIN_FOLDED_LENGTH || new Set(folded).size < MIN_FOLDED_DISTINCT) return;
    if (!forms.some((form) => form.text === folded)) forms.push({ text: folded, encoding });
  };
  add(secret, 'separated');
  add(reversedOf(secret), 'reversed');
  add(Buffer.from(secret, 'utf8').toString('hex'), 'hex');
  try {
    add(encodeURIComponent(secret), 'URL-encoded');
  } catch {
    // A lone surrogate has no URL encoding.
  }
  for (const text of base64Forms(secret).base64) add(text, 'base64');
  return forms;
}

interface Forms {
  exact: SecretForm[];
  folded: SecretForm[];
}

/** A secret's forms, computed once per invocation (never kept in the module: see ./invocation.ts). */
function formsOf(secret: string): Forms {
  const cache = invocationMemo('redact.forms', () => new Map<string, Forms>());
  let forms = cache.get(secret);
  if (!forms) {
    forms =
      secret.length >= MIN_ENCODED_SECRET_LENGTH
        ? { exact: exactFormsOf(secret), folded: foldedFormsOf(secret) }
        : { exact: [{ text: secret, encoding: 'raw' }], folded: [] };
    cache.set(secret, forms);
  }
  return forms;
}

const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

/**
 * A base64 match covers only the characters that depend on the secret alone; the whole encoded word
 * goes, so that no neighbouring character gives away a bit of it.
 */
function widen(text: string, start: number, end: number, encoding: SecretEncoding): [number, number] {
  if (encoding !== 'base64' && encoding !== 'base64url') return [start, end];
  let from = start;
  let to = end;
  while (from > 0 && BASE64_CHAR.test(text.charAt(from - 1))) from -= 1;
  while (to < text.length && BASE64_CHAR.test(text.charAt(to))) to += 1;
  while (to < text.length && text.charAt(to) === '=') to += 1;
  return [from, to];
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle) return found;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** `text` with every form of every secret in `secrets` replaced by REDACTED. */
function scrub(text: string, secrets: Iterable<string>): string {
  const spans: [number, number][] = [];
  let folding: { folded: string; at: Uint32Array } | undefined;
  for (const secret of secrets) {
    const forms = formsOf(secret);
    for (const form of forms.exact) {
      for (const at of occurrences(text, form.text))
        spans.push(widen(text, at, at + form.text.length, form.encoding));
    }
    if (forms.folded.length === 0) continue;
    folding ??= foldWithPositions(text);
    for (const form of forms.folded) {
      for (const at of occurrences(folding.folded, form.text)) {
        const start = folding.at[at] ?? 0;
        const end = (folding.at[at + form.text.length - 1] ?? start) + 1;
        spans.push(widen(text, start, end, form.encoding));
      }
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  let open: [number, number] | undefined;
  for (const span of spans) {
    if (open && span[0] <= open[1]) {
      open[1] = Math.max(open[1], span[1]);
      continue;
    }
    if (open) {
      out += text.slice(copied, open[0]) + REDACTED;
      copied = open[1];
    }
    open = [span[0], span[1]];
  }
  if (open) {
    out += text.slice(copied, open[0]) + REDACTED;
    copied = open[1];
  }
  return out + text.slice(copied);
}

/**
 * Remember a secret value so that any later log line of this invocation containing it is scrubbed.
 * Kept in the invocation's state (./invocation.ts), never in the module: a warm instance may serve
 * another installation next.
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_REGISTERED_LENGTH) invocationState().secrets.add(value);
}

/**
 * `text` without any secret of this invocation, nor any of `secrets` (the ones the caller holds,
 * e.g. the SQAI client's token), in any form `exactFormsOf` / `foldedFormsOf` name, nor bearer
 * tokens and JWT-looking strings. The one function upstream text goes through before it is
 * logged, stored or shown.
 */
export function redactText(text: string, secrets: Iterable<string | undefined> = []): string {
  const all = new Set(invocationState().secrets);
  for (const secret of secrets) if (secret && secret.length >= MIN_REGISTERED_LENGTH) all.add(secret);
  let out = all.size > 0 ? scrub(text, all) : text;
  // Bearer tokens and JWT-looking strings never belong in a log.
  out = out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${REDACTED}`);
  out = out.replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_FIELD.test(key) ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
