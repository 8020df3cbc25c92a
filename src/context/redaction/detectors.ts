/**
 * The built-in detectors (docs/data-controls.md "Redaction" cites each format's source). Each finds
 * candidate spans with a linear-time regular expression (every repetition bounded or unambiguous)
 * and confirms them with a validator: validator's isEmail / isLuhnNumber, ibantools' checksum,
 * node:net isIP, libphonenumber-js's matcher. A span carries a `key`: the value normalized, so
 * that the same value written two ways gets the same placeholder.
 */
import { isIP } from 'node:net';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import isEmail from 'validator/lib/isEmail';
import isLuhnNumber from 'validator/lib/isLuhnNumber';
import type { RedactionKind } from '../../api';

/**
 * Every match of the global `regex` in `text`, by `exec` on the shared object (String#matchAll
 * clones the RegExp per call — measurable when a text is read in many short segments).
 */
export function* matches(regex: RegExp, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    yield match;
    if (match[0].length === 0) regex.lastIndex += 1;
  }
}

export interface Span {
  start: number;
  end: number;
  kind: string;
  /** The value normalized: equal keys of one kind share a placeholder. */
  key: string;
}

/** A detector; `claimed`: what the other detectors found in `text` (the phone detector reads it). */
export type Detector = (text: string, claimed?: readonly Span[]) => Span[];

// ---------- email (RFC 5321 §4.5.3.1 lengths, validator isEmail) ----------

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(
  `(?<![A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-])[A-Za-z0-9!#$%&'*+/=?^_\`{|}~-](?:[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]{0,63})@${LABEL}(?:\\.${LABEL}){1,8}`,
  'g',
);

function emails(text: string): Span[] {
  const spans: Span[] = [];
  if (!text.includes('@')) return spans;
  for (const match of matches(EMAIL, text)) {
    let value = match[0];
    // A sentence's full stop or a trailing dash is not part of the address.
    value = value.replace(/[.-]+$/, '');
    if (isEmail(value, { require_tld: true, allow_utf8_local_part: false }))
      spans.push({
        start: match.index,
        end: match.index + value.length,
        kind: 'email',
        key: value.toLowerCase(),
      });
  }
  return spans;
}

// ---------- phone (libphonenumber-js) ----------

/**
 * National formats are read as these countries' (a national number starting with 0 as GB's, any
 * other as the US's); international `+…` numbers: any country.
 */
export const PHONE_DEFAULT_COUNTRIES: readonly CountryCode[] = ['US', 'GB'];
/**
 * Where a phone number could be: a run of digits and the separators phone numbers are written
 * with, not glued to a word, a ticket key (`DEMO-…`) or a decimal (`1.5…`). libphonenumber-js's
 * text matcher is slow on long text (~4 ms per KB), so only these runs are read: parsed whole,
 * then group by group, then (short runs) by the matcher with one character either side.
 */
const PHONE_CANDIDATE = /(?<![A-Za-z0-9]|[A-Za-z]-|\d\.)[+(]?\d[\d \t\u00a0().\-/]{5,28}\d/g;
const MIN_PHONE_DIGITS = 7;
/** Dates (ISO, European, American) and dotted quads are never read as (part of) phone numbers. */
const NOT_A_PHONE = [
  /(?<!\d)\d{4}([-./])\d{1,2}\1\d{1,2}(?!\d)/,
  /(?<!\d)\d{1,2}([-./])\d{1,2}\1\d{2,4}(?!\d)/,
  /^\d{1,3}(?:\.\d{1,3}){3}$/,
];
const parens = (text: string, paren: string) => text.split(paren).length - 1;
/** A date inside, or parentheses that do not pair up: no phone number. */
const notAPhone = (text: string) =>
  NOT_A_PHONE.some((shape) => shape.test(text)) || parens(text, '(') !== parens(text, ')');

/** Digit groups of a candidate, each with the `+` or `(` written right before it. */
const PHONE_GROUP = /[+(]?\d+\)?/g;
const MAX_PHONE_DIGITS = 17;
/** Phone numbers are written in at most 6 groups (`+33 1 23 45 67 89`); more is some other list. */
const MAX_PHONE_GROUPS = 6;
/** The matcher (~0.1–0.3 ms a call) reads only short candidates, and at most this often per text. */
const MAX_MATCHER_GROUPS = 4;
const MAX_MATCHER_CALLS = 200;

function phoneCountry(candidate: string): CountryCode {
  const firstDigit = /\d/.exec(candidate)?.[0];
  return firstDigit === '0' ? 'GB' : 'US';
}

/**
 * Whether `text` has a digit count a valid number can have, before paying for a parse: any
 * international number (`+`) 8–17 digits; a US national number 10 digits, or 11 with the leading 1;
 * a UK national number (leading 0) 10–11 digits.
 */
function plausiblePhone(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  if (/^\s*\+/.test(text)) return digits.length >= 8 && digits.length <= MAX_PHONE_DIGITS;
  if (digits.startsWith('0')) return digits.length === 10 || digits.length === 11;
  return digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
}

/** `text` as one valid phone number (its E.164 form), or undefined. */
function phoneNumberOf(text: string): string | undefined {
  if (!plausiblePhone(text) || notAPhone(text)) return undefined;
  const number = parsePhoneNumberFromString(text, phoneCountry(text));
  return number?.isValid() ? number.number : undefined;
}

/** The longest valid numbers made of whole groups of `value` (at `offset` in the text), earliest first. */
function phonesAmongGroups(value: string, offset: number): Span[] {
  const groups = [...matches(PHONE_GROUP, value)].map((group) => ({
    start: group.index,
    end: group.index + group[0].replace(/\)$/, '').length,
  }));
  const spans: Span[] = [];
  let first = 0;
  while (first < groups.length) {
    let found = false;
    const start = groups[first]?.start ?? 0;
    const last = Math.min(first + MAX_PHONE_GROUPS, groups.length) - 1;
    for (let end = last; end >= first && !found; end -= 1) {
      const text = value.slice(start, groups[end]?.end ?? start);
      const key = phoneNumberOf(text);
      if (key === undefined) continue;
      spans.push({ start: offset + start, end: offset + start + text.length, kind: 'phone', key });
      first = end + 1;
      found = true;
    }
    if (!found) first += 1;
  }
  return spans;
}

/**
 * Phone numbers, read last: a candidate run wholly inside a match of another detector is skipped
 * (a phone number inside it could never win the overlap). A run is one number (one parse), or
 * holds numbers among other digits (whole digit groups tried from each group on), or — short runs,
 * written oddly — libphonenumber-js's matcher finds them.
 */
function phones(text: string, claimed: readonly Span[] = []): Span[] {
  const spans: Span[] = [];
  const byStart = [...claimed].sort((a, b) => a.start - b.start);
  let next = 0;
  /** The furthest end of a claimed span starting at or before the candidate. */
  let reach = -1;
  let matcherCalls = 0;
  for (const candidate of matches(PHONE_CANDIDATE, text)) {
    const value = candidate[0];
    const start = candidate.index;
    const end = start + value.length;
    if (value.replace(/\D/g, '').length < MIN_PHONE_DIGITS) continue;
    // Candidates come in text order: sweep the claimed spans (sorted by start) once.
    while (next < byStart.length && (byStart[next]?.start ?? Infinity) <= start) {
      reach = Math.max(reach, byStart[next]?.end ?? 0);
      next += 1;
    }
    if (reach >= end) continue;
    const whole = value.startsWith('(') && !value.includes(')') ? undefined : phoneNumberOf(value);
    if (whole !== undefined) {
      spans.push({ start, end, kind: 'phone', key: whole });
      continue;
    }
    const grouped = phonesAmongGroups(value, start);
    spans.push(...grouped);
    const groupCount = value.match(/\d+/g)?.length ?? 0;
    if (grouped.length > 0 || groupCount > MAX_MATCHER_GROUPS || matcherCalls >= MAX_MATCHER_CALLS) continue;
    matcherCalls += 1;
    const from = Math.max(0, start - 1);
    const window = text.slice(from, end + 1);
    for (const number of findPhoneNumbersInText(window, { defaultCountry: phoneCountry(value) }))
      if (!notAPhone(window.slice(number.startsAt, number.endsAt)))
        spans.push({
          start: from + number.startsAt,
          end: from + number.endsAt,
          kind: 'phone',
          key: number.number.number,
        });
  }
  return spans;
}

// ---------- payment cards (ISO/IEC 7812: 13–19 digits, Luhn check digit) ----------

/** Card numbers are printed in at most 5 groups (4-4-4-4-3, 4-6-5). */
const MAX_CARD_GROUPS = 5;
const DIGITS = /\d+/g;
/** Digit groups separated by single spaces or dashes (unambiguous: linear). */
const DIGIT_RUN = /(?<![\dA-Za-z])\d+(?:[ -]\d+)*(?![\dA-Za-z])/g;

interface Group {
  start: number;
  end: number;
  digits: string;
}

function cards(text: string): Span[] {
  const spans: Span[] = [];
  for (const run of matches(DIGIT_RUN, text)) {
    if (run[0].length < 13) continue;
    const groups: Group[] = [];
    for (const group of matches(DIGITS, run[0]))
      groups.push({
        start: run.index + group.index,
        end: run.index + group.index + group[0].length,
        digits: group[0],
      });
    // Every whole-group stretch of 13–19 digits with a Luhn check digit and a card's first digit.
    for (let first = 0; first < groups.length; first += 1) {
      let digits = '';
      for (let last = first; last < Math.min(groups.length, first + MAX_CARD_GROUPS); last += 1) {
        digits += groups[last]?.digits ?? '';
        if (digits.length > 19) break;
        if (digits.length < 13 || !/^[2-6]/.test(digits) || !isLuhnNumber(digits)) continue;
        spans.push({
          start: groups[first]?.start ?? 0,
          end: groups[last]?.end ?? 0,
          kind: 'paymentCard',
          key: digits,
        });
      }
    }
  }
  return spans;
}

// ---------- IBAN (ISO 13616: country, check digits, BBAN; mod-97 checksum) ----------

const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])/g;

function ibans(text: string): Span[] {
  const spans: Span[] = [];
  for (const candidate of matches(IBAN_CANDIDATE, text)) {
    // The candidate may run on into the next word: the longest prefix ending at a group's end
    // that is a valid IBAN.
    const value = candidate[0];
    const ends = [value.length];
    for (let index = value.length - 1; index > 0; index -= 1) if (value[index] === ' ') ends.push(index);
    for (const end of ends) {
      const electronic = electronicFormatIBAN(value.slice(0, end).toUpperCase()) ?? '';
      if (electronic.length >= 15 && isValidIBAN(electronic)) {
        spans.push({ start: candidate.index, end: candidate.index + end, kind: 'iban', key: electronic });
        break;
      }
    }
  }
  return spans;
}

// ---------- IP addresses (node:net isIP: RFC 791 dotted quad, RFC 4291 / 5952 text forms) ----------

const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)/g;
const IPV6 =
  /(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?:%[0-9A-Za-z]{1,15})?(?![0-9A-Za-z_:])/g;

function ipAddresses(text: string): Span[] {
  const spans: Span[] = [];
  if (text.includes('.'))
    for (const match of matches(IPV4, text))
      if (isIP(match[0]) === 4)
        spans.push({
          start: match.index,
          end: match.index + match[0].length,
          kind: 'ipAddress',
          key: match[0],
        });
  if (text.includes(':'))
    for (const match of matches(IPV6, text)) {
      const value = match[0];
      // "::" alone or a C++-like "a::b" is no address: two groups and five hex digits written out.
      const groups = value.match(/[0-9A-Fa-f]+/g) ?? [];
      if (groups.length < 2 || groups.join('').length < 5 || isIP(value) !== 6) continue;
      spans.push({
        start: match.index,
        end: match.index + value.length,
        kind: 'ipAddress',
        key: value.toLowerCase(),
      });
    }
  return spans;
}

// ---------- access tokens (each vendor's published format) ----------

const TOKEN_PATTERNS: readonly RegExp[] = [
  // JWT (RFC 7519 / RFC 7515 compact serialization): base64url header {"… → eyJ; unsigned: no signature.
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  // AWS access key ids (long-term AKIA, temporary ASIA).
  /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
  // GitHub: classic personal, OAuth, user-to-server, server-to-server, refresh tokens; fine-grained PATs.
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}/g,
  // Slack bot, user, app-level, configuration tokens.
  /(?<![A-Za-z0-9])xox[abposer]-[A-Za-z0-9-]{10,250}/g,
  // Stripe secret and restricted keys.
  /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}/g,
  // Google API keys.
  /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  // RFC 6750 bearer credentials (the scheme is case-insensitive): the token, not the word.
  /(?<=\b[Bb][Ee][Aa][Rr][Ee][Rr][ \t]{1,4})[A-Za-z0-9._~+/-]{16,4096}=*/g,
  // RFC 7468 private key blocks (PKCS #8, PKCS #1, EC, OpenSSH); a block cut short runs to the end.
  /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY-----|[\s\S]*$)/g,
];

function tokens(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of TOKEN_PATTERNS)
    for (const match of matches(pattern, text))
      spans.push({ start: match.index, end: match.index + match[0].length, kind: 'token', key: match[0] });
  return spans;
}

export const DETECTORS: Readonly<Record<RedactionKind, Detector>> = {
  email: emails,
  phone: phones,
  paymentCard: cards,
  iban: ibans,
  ipAddress: ipAddresses,
  token: tokens,
};

/** When two spans are as long and start together, the first kind here wins. */
export const KIND_PRIORITY: readonly RedactionKind[] = [
  'token',
  'paymentCard',
  'iban',
  'email',
  'ipAddress',
  'phone',
];
