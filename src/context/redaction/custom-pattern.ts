/**
 * Admin-defined patterns: a JavaScript regular expression source, matched globally and
 * case-sensitively. One is accepted only when it cannot hang the app: redos-detector
 * (docs/decisions/0009-custom-pattern-safety.md) must prove that no input makes it backtrack
 * more than a bounded number of times. A pattern it cannot prove safe within its step and time
 * bounds is refused too.
 */
import { isSafePattern } from 'redos-detector';
import type { RedactionPatternCheckDto } from '../../api';
import { matches, type Span } from './detectors';
import { MAX_CUSTOM_PATTERN_CHARS } from './policy';

/** The longest sample `checkCustomPattern` redacts. */
export const MAX_SAMPLE_CHARS = 10_000;
/**
 * redos-detector's bounds: past either, the pattern is refused as too complex to prove safe. The
 * step bound decides (deterministic: the same verdict on any machine; ≤ ~1 s on a loaded one); the
 * time bound only guards against a pathological analysis.
 */
const SAFETY_MAX_STEPS = 5_000;
const SAFETY_TIMEOUT_MS = 3_000;
/** Texts a pattern must not match emptily in (besides the sample). */
const EMPTY_PROBES = ['', 'a', 'A', '0', ' ', '-', 'a0 Z-_.@', '\n'];

type Compiled = { ok: true; regex: RegExp } | { ok: false; problem: string };

function compile(pattern: string): Compiled {
  if (pattern.length === 0) return { ok: false, problem: 'The pattern is empty.' };
  if (pattern.length > MAX_CUSTOM_PATTERN_CHARS)
    return { ok: false, problem: `The pattern is longer than ${MAX_CUSTOM_PATTERN_CHARS} characters.` };
  try {
    return { ok: true, regex: new RegExp(pattern, 'g') };
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? error.message.replace(/^Invalid regular expression: /, '') : '';
    return {
      ok: false,
      problem: `The pattern is not a valid regular expression${reason ? ` (${reason})` : ''}.`,
    };
  }
}

function matchesEmpty(regex: RegExp, probes: readonly string[]): boolean {
  for (const probe of probes) {
    const sticky = new RegExp(regex.source, 'g');
    for (const match of probe.matchAll(sticky)) if (match[0].length === 0) return true;
  }
  return false;
}

/** Why the pattern could hang, or undefined when redos-detector proves it cannot. */
function backtrackingProblem(pattern: string): string | undefined {
  let result: ReturnType<typeof isSafePattern>;
  try {
    result = isSafePattern(pattern, { maxSteps: SAFETY_MAX_STEPS, timeout: SAFETY_TIMEOUT_MS });
  } catch {
    return 'The pattern uses a feature whose matching time cannot be checked; write it more simply.';
  }
  if (result.safe) return undefined;
  if (result.error === 'hitMaxScore')
    return 'The pattern could backtrack catastrophically (some texts would make it run for a very long time). Avoid nested or overlapping repetitions such as (a+)+ or (a|a)*, and bound repetitions, e.g. [a-z]{1,40} instead of [a-z]+ at the start.';
  return 'The pattern is too complex to prove that it cannot backtrack catastrophically; write it more simply, with bounded repetitions.';
}

/** Every non-empty match of `regex` in `text` as spans of `kind` (an empty match is skipped). */
export function customSpans(regex: RegExp, kind: string, text: string): Span[] {
  const spans: Span[] = [];
  for (const match of matches(regex, text)) {
    if (match[0].length === 0) continue;
    spans.push({ start: match.index, end: match.index + match[0].length, kind, key: match[0] });
  }
  return spans;
}

/**
 * The pattern compiled (a fresh RegExp), or why it is refused: invalid syntax, longer than 500 characters, able to
 * match the empty string, or not provably free of catastrophic backtracking.
 */
export function compileCustomPattern(pattern: string, probes: readonly string[] = []): Compiled {
  if (probes.length === 0) {
    const known = verdicts.get(pattern);
    if (known) return known.ok ? { ok: true, regex: new RegExp(known.regex.source, 'g') } : known;
  }
  const verdict = judge(pattern, probes);
  if (probes.length === 0) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value ?? '');
    verdicts.set(pattern, verdict);
  }
  return verdict;
}

/**
 * Verdicts on patterns without a sample (what a redactor compiles), so the safety proof (a few ms
 * to a second) runs once per pattern and process, not once per document. Patterns are no secret.
 */
const verdicts = new Map<string, Compiled>();
const MAX_VERDICTS = 256;

function judge(pattern: string, probes: readonly string[]): Compiled {
  const compiled = compile(pattern);
  if (!compiled.ok) return compiled;
  // Proven safe before it runs on any text (a sample included): a pattern that backtracks
  // catastrophically would hang on the probes themselves.
  const problem = backtrackingProblem(pattern);
  if (problem) return { ok: false, problem };
  if (matchesEmpty(compiled.regex, [...EMPTY_PROBES, ...probes]))
    return {
      ok: false,
      problem: 'The pattern can match an empty text; it must match at least one character.',
    };
  return compiled;
}

/**
 * Whether the app accepts `pattern` (resolver checkRedactionPattern), and what it makes of
 * `sample`: the sample redacted (placeholders `[<name>-<n>]`, `name` defaulting to `custom`) and
 * the number of matches.
 */
export function checkCustomPattern(
  pattern: string,
  sample?: string,
  name = 'custom',
): RedactionPatternCheckDto {
  if (sample !== undefined && sample.length > MAX_SAMPLE_CHARS)
    return { ok: false, problem: `The sample is longer than ${MAX_SAMPLE_CHARS} characters.` };
  const compiled = compileCustomPattern(pattern, sample === undefined ? [] : [sample]);
  if (!compiled.ok) return { ok: false, problem: compiled.problem };
  if (sample === undefined) return { ok: true };
  const spans = customSpans(compiled.regex, name, sample);
  const numbers = new Map<string, number>();
  let out = '';
  let copied = 0;
  for (const span of spans) {
    let n = numbers.get(span.key);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(span.key, n);
    }
    out += `${sample.slice(copied, span.start)}[${name}-${n}]`;
    copied = span.end;
  }
  return { ok: true, redactedSample: out + sample.slice(copied), matches: spans.length };
}
