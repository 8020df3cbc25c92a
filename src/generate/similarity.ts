/**
 * How alike two tests are, for flagging likely duplicates. Sørensen–Dice over word sets of the
 * normalised title and body (a dozen lines; no library adds anything for this).
 */
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'to',
  'of',
  'in',
  'on',
  'is',
  'be',
  'with',
  'for',
  'verify',
  'check',
  'test',
]);

export function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/\b[a-z][a-z0-9]+-\d+\b:?/g, ' ') // issue keys such as DEMO-12
      .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
      .split(/\s+/)
      .filter((word) => word.length > 1 && !STOP_WORDS.has(word)),
  );
}

export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

export interface Comparable {
  title: string;
  body: string;
}

/** 0..1: title counts most; bodies count when both have one. */
export function similarity(a: Comparable, b: Comparable): number {
  const title = dice(words(a.title), words(b.title));
  const bodyA = words(a.body);
  const bodyB = words(b.body);
  if (bodyA.size === 0 || bodyB.size === 0) return title;
  return 0.6 * title + 0.4 * dice(bodyA, bodyB);
}

export const DUPLICATE_THRESHOLD = 0.72;
