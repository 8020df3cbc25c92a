/**
 * Texts at their worst for storage: characters whose JSON costs the most bytes per UTF-16 unit — a
 * control character or a lone surrogate (escaped: 6 bytes), a quote or a backslash (2), a CJK
 * character or U+2028 (3), an emoji (4 for 2 units) — mixed with plain ASCII. Shared by the
 * storage-bound properties (test/unit/{platform,sync,generate}/storage-bounds*.test.ts).
 */
import fc from 'fast-check';

/** The single most expensive character: 6 bytes of JSON (`\u0001`) for one UTF-16 unit. */
export const WORST_CHAR = '\u0001';

const pieces = ['a', ' ', '"', '\\', '\n', '\u0001', '\u001f', '中', '\u2028', '😀', '\ud800', 'é'];

/** A text of `length` UTF-16 units (an emoji may make it one longer: it is never split). */
const mixed = (length: number): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...pieces), { minLength: length, maxLength: length })
    .map((parts) => parts.join('').slice(0, length + 1));

/**
 * A text of exactly `length` units (a field at its maximum): all worst characters, all 3-byte CJK,
 * or a mix — or, with `shorter`, any length up to it.
 */
export function worstText(length: number, options: { shorter?: boolean } = {}): fc.Arbitrary<string> {
  const atMost = (n: number) =>
    fc.oneof(
      fc.constant(WORST_CHAR.repeat(n)),
      fc.constant('中'.repeat(n)),
      fc.constant('x'.repeat(n)),
      mixed(n),
    );
  return options.shorter ? fc.nat({ max: length }).chain(atMost) : atMost(length);
}
