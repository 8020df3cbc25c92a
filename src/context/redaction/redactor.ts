/**
 * The redactor: one per context document. Every enabled detector and custom pattern runs over each
 * string; overlapping matches are resolved deterministically (the longest wins, then the earliest,
 * then the kind first in KIND_PRIORITY, then custom patterns in the policy's order) and each kept
 * match becomes a typed placeholder `[<kind>-<n>]`. The same value (normalized: an address in any
 * case, a phone number in any format, a card or IBAN with any spacing) gets the same placeholder
 * within one redactor, so the model can still tell two people apart. Placeholders already in the
 * text are never redacted again, and redacting is repeated until nothing is left to find, so
 * `redact(redact(text)) === redact(text)`.
 */
import { AppError } from '../../errors';
import { REDACTION_KINDS } from '../../api';
import { compileCustomPattern, customSpans } from './custom-pattern';
import { DETECTORS, KIND_PRIORITY, matches, type Detector, type Span } from './detectors';
import type { RedactionPolicy } from './policy';

/** A placeholder as the redactor writes it: `[email-1]`, `[paymentCard-12]`, `[customer-id-3]`. */
export const PLACEHOLDER = /\[[A-Za-z0-9-]{1,30}-[1-9]\d{0,8}\]/g;
/** How often a text is re-read for matches its redaction left (in practice: once or twice). */
const MAX_PASSES = 4;

export interface Redactor {
  /** `text` with every match replaced by its placeholder. */
  redact(text: string): string;
  /** Matches replaced so far, by kind (occurrences, not distinct values). */
  counts(): Partial<Record<string, number>>;
}

/**
 * For a redaction that must be undone later (the update mode, src/living/update-redaction.ts):
 * `onPlaceholder` hears each placeholder the first time it is issued, with the text it replaced;
 * `after` numbers a kind's placeholders after those already taken (`{ email: 3 }`: from `[email-4]`).
 */
export interface RedactorOptions {
  onPlaceholder?: (placeholder: string, original: string) => void;
  after?: Readonly<Partial<Record<string, number>>>;
}

interface NamedDetector {
  kind: string;
  rank: number;
  detect: Detector;
}

function detectorsOf(policy: RedactionPolicy): NamedDetector[] {
  const detectors: NamedDetector[] = [];
  for (const kind of REDACTION_KINDS)
    if (policy.detectors[kind])
      detectors.push({ kind, rank: KIND_PRIORITY.indexOf(kind), detect: DETECTORS[kind] });
  for (const [index, custom] of policy.customPatterns.entries()) {
    const compiled = compileCustomPattern(custom.pattern);
    if (!compiled.ok)
      throw new AppError('VALIDATION', {
        message: `The redaction pattern "${custom.name}" is refused: ${compiled.problem}`,
      });
    const regex = compiled.regex;
    detectors.push({
      kind: custom.name,
      rank: KIND_PRIORITY.length + index,
      detect: (text) => customSpans(regex, custom.name, text),
    });
  }
  return detectors;
}

/**
 * Non-overlapping spans: the longest first, then the earliest, then the lower rank. Which positions
 * are taken is a bitmap over the text, so the cost is the spans' total length, whatever their number.
 */
function resolve(spans: (Span & { rank: number })[], length: number): Span[] {
  spans.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.rank - b.rank);
  const kept: Span[] = [];
  const taken = new Uint8Array(length);
  for (const span of spans) {
    if (taken.subarray(span.start, span.end).includes(1)) continue;
    taken.fill(1, span.start, span.end);
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The stretches of `text` between placeholders: only these are read for matches. */
function segments(text: string): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (const match of matches(PLACEHOLDER, text)) {
    if (match.index > from) out.push([from, match.index]);
    from = match.index + match[0].length;
  }
  if (from < text.length) out.push([from, text.length]);
  return out;
}

export function createRedactor(policy: RedactionPolicy, options: RedactorOptions = {}): Redactor {
  const detectors = detectorsOf(policy);
  const phone = detectors.find((detector) => detector.kind === 'phone');
  const numbers = new Map<string, Map<string, number>>();
  const counts = new Map<string, number>();

  const placeholderFor = (span: Span, original: string): string => {
    let byKey = numbers.get(span.kind);
    if (!byKey) {
      byKey = new Map();
      numbers.set(span.kind, byKey);
    }
    let n = byKey.get(span.key);
    const issued = n === undefined;
    if (n === undefined) {
      n = byKey.size + 1 + (options.after?.[span.kind] ?? 0);
      byKey.set(span.key, n);
    }
    counts.set(span.kind, (counts.get(span.kind) ?? 0) + 1);
    const placeholder = `[${span.kind}-${n}]`;
    if (issued) options.onPlaceholder?.(placeholder, original);
    return placeholder;
  };

  const pass = (text: string): string => {
    let out = '';
    let copied = 0;
    for (const [from, to] of segments(text)) {
      const part = text.slice(from, to);
      const found: (Span & { rank: number })[] = [];
      // The phone detector runs last and skips what the others found (see detectors.ts).
      for (const detector of detectors)
        if (detector.kind !== 'phone')
          for (const span of detector.detect(part)) found.push({ ...span, rank: detector.rank });
      if (phone) for (const span of phone.detect(part, found)) found.push({ ...span, rank: phone.rank });
      if (found.length === 0) continue;
      for (const span of resolve(found, part.length)) {
        out += text.slice(copied, from + span.start) + placeholderFor(span, part.slice(span.start, span.end));
        copied = from + span.end;
      }
    }
    return copied === 0 ? text : out + text.slice(copied);
  };

  return {
    redact(text: string): string {
      if (detectors.length === 0 || text.length === 0) return text;
      let current = text;
      for (let round = 0; round < MAX_PASSES; round += 1) {
        const next = pass(current);
        if (next === current) break;
        current = next;
      }
      return current;
    },
    counts(): Partial<Record<string, number>> {
      return Object.fromEntries(counts);
    },
  };
}

/** Every string of a JSON value redacted, structurally (object keys are left as they are). */
export function redactDocumentStrings<T>(value: T, redactor: Redactor): T {
  return walk(value, redactor) as T;
}

function walk(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((item: unknown) => walk(item, redactor));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = walk(inner, redactor);
    return out;
  }
  return value;
}
