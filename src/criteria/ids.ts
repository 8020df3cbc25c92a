/**
 * Stable criterion ids (docs/criteria.md "How ids are kept"). A criterion keeps its id while its
 * wording stays recognisable, wherever it moves:
 *
 * 1. **Same**: a current criterion whose `matchKey` equals a previous one's takes its id. The key
 *    ignores case, whitespace and punctuation, so those edits are not changes.
 * 2. **Changed**: of the rest, pairs whose `criterionSimilarity` (Sørensen–Dice over their word sets,
 *    the measure the duplicate check uses: src/generate/similarity.ts) is at least
 *    CRITERION_SIMILARITY_THRESHOLD are matched best first; the current criterion takes the previous
 *    one's id and is marked changed.
 * 3. **New**: any other current criterion gets `criterionIdFor(text)`: `ac-` and the first 8 hex digits
 *    of the SHA-256 of its key, so the same text gets the same id on every machine; if that id is taken
 *    (by a kept, a removed or an earlier new criterion), `-2`, `-3`… is added.
 *
 * Matching is one-to-one and deterministic: equal keys pair in document order; similar pairs are taken
 * by score, then by current position, then by previous position.
 */
import { createHash } from 'node:crypto';
import { dice, words } from '../generate/similarity';

/** At least this similar (0..1), an edited criterion keeps its id (and is marked changed). */
export const CRITERION_SIMILARITY_THRESHOLD = 0.6;

export interface PreviousCriterion {
  id: string;
  text: string;
}

export type CriterionStatus = 'same' | 'changed' | 'new';

export interface AssignedCriterion {
  id: string;
  text: string;
  status: CriterionStatus;
  /** For `same` and `changed`: the previous criterion's position. */
  previousIndex?: number;
}

export interface CriterionIds {
  /** One per current text, in the same order. */
  criteria: AssignedCriterion[];
  /** Previous criteria no current one matched, in their previous order. */
  removed: PreviousCriterion[];
}

/**
 * What two texts must share to be the same criterion: NFKC, lower case, letters and digits only
 * (punctuation, symbols and emoji dropped; a `.`, `,`, `:` or `/` between two digits kept, so `1.5`
 * is not `15`), words separated by one space.
 */
export function matchKey(text: string): string {
  const chars = Array.from(text.normalize('NFKC').toLowerCase());
  let out = '';
  chars.forEach((char, index) => {
    if (/[\p{L}\p{N}\p{M}]/u.test(char)) out += char;
    else if (/\s/u.test(char)) out += ' ';
    else if (
      /[.,:/]/.test(char) &&
      /\p{N}/u.test(chars[index - 1] ?? '') &&
      /\p{N}/u.test(chars[index + 1] ?? '')
    ) {
      out += char;
    }
  });
  return out.replace(/\s+/g, ' ').trim();
}

/** The id a new criterion with this text gets (before a collision suffix). */
export function criterionIdFor(text: string): string {
  return `ac-${createHash('sha256').update(matchKey(text), 'utf8').digest('hex').slice(0, 8)}`;
}

/** 1 for the same key; otherwise Dice over the texts' words (0 when either has none). */
export function criterionSimilarity(a: string, b: string): number {
  if (matchKey(a) === matchKey(b)) return 1;
  return similarityOfWords(words(a), words(b));
}

function similarityOfWords(a: Set<string>, b: Set<string>): number {
  return a.size === 0 || b.size === 0 ? 0 : dice(a, b);
}

/** `base`, or `base-2`, `base-3`… : the first not in `taken`. */
function freeId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const id = `${base}-${suffix}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * The ids of `current` (criterion texts in document order) given the `previous` criteria with their
 * ids, and the previous criteria that are gone.
 */
export function assignCriterionIds(
  previous: readonly PreviousCriterion[],
  current: readonly string[],
  threshold = CRITERION_SIMILARITY_THRESHOLD,
): CriterionIds {
  const matchOf = new Array<number | undefined>(current.length).fill(undefined);
  const statusOf = new Array<CriterionStatus>(current.length).fill('new');
  const used = new Array<boolean>(previous.length).fill(false);

  // 1. Same key: in document order, each takes the first unused previous criterion with that key.
  const byKey = new Map<string, number[]>();
  previous.forEach((criterion, index) => {
    const key = matchKey(criterion.text);
    byKey.set(key, [...(byKey.get(key) ?? []), index]);
  });
  current.forEach((text, index) => {
    const candidates = byKey.get(matchKey(text));
    const found = candidates?.shift();
    if (found !== undefined) {
      matchOf[index] = found;
      statusOf[index] = 'same';
      used[found] = true;
    }
  });

  // 2. Similar: every remaining pair at or above the threshold, best first, then by position.
  const currentWords = current.map((text) => words(text));
  const previousWords = previous.map((criterion) => words(criterion.text));
  const pairs: { score: number; current: number; previous: number }[] = [];
  current.forEach((_, c) => {
    if (matchOf[c] !== undefined) return;
    previous.forEach((__, p) => {
      if (used[p]) return;
      const score = similarityOfWords(currentWords[c] ?? new Set(), previousWords[p] ?? new Set());
      if (score >= threshold) pairs.push({ score, current: c, previous: p });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.current - b.current || a.previous - b.previous);
  for (const pair of pairs) {
    if (matchOf[pair.current] !== undefined || used[pair.previous]) continue;
    matchOf[pair.current] = pair.previous;
    statusOf[pair.current] = 'changed';
    used[pair.previous] = true;
  }

  // 3. New: the hash of the key, with a suffix if any previous or already assigned id has it.
  const taken = new Set(previous.map((criterion) => criterion.id));
  const criteria = current.map((text, index): AssignedCriterion => {
    const match = matchOf[index];
    const matched = match === undefined ? undefined : previous[match];
    if (match !== undefined && matched !== undefined) {
      return { id: matched.id, text, status: statusOf[index] ?? 'changed', previousIndex: match };
    }
    const id = freeId(criterionIdFor(text), taken);
    taken.add(id);
    return { id, text, status: 'new' };
  });
  const removed = previous.filter((_, index) => !used[index]);
  return { criteria, removed };
}
