/**
 * How alike two tests are, for flagging likely duplicates. Sørensen–Dice over word sets of the
 * normalised title and body (a dozen lines; no library adds anything for this).
 *
 * `similarity` is the definition. A review compares every proposal with hundreds of known tests, so
 * it uses `DuplicateIndex` instead: each text is tokenized once (its words become small integers),
 * a comparison counts shared words in one pass over the other text's ids against the candidate's
 * marks, and one whose score cannot reach what is wanted is skipped on the word counts alone (a
 * body more than ≈ 5.7 times the other's never reaches DUPLICATE_THRESHOLD). Its scores are
 * `similarity`'s, bit for bit, for texts up to COMPARED_CHARS.
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

/**
 * A duplicate check reads at most this many characters of a title or body. More than any text the
 * app compares (an SQAI test's body is ≤ 164,000 characters within SQAI_LIMITS, a context document
 * ≤ 256 KiB, a stored fingerprint ≤ 2,000), so it bounds the work without changing an answer.
 */
export const COMPARED_CHARS = 256 * 1024;

/** A text's distinct words, as ids of one `DuplicateIndex`. */
export interface Prepared {
  title: Uint32Array;
  body: Uint32Array;
}

/** Tokenizes each text once and compares one candidate at a time with many prepared texts. */
export class DuplicateIndex {
  private readonly ids = new Map<string, number>();
  private titleMark = new Uint32Array(1_024);
  private bodyMark = new Uint32Array(1_024);
  private stamp = 0;
  private candidate: Prepared = { title: new Uint32Array(0), body: new Uint32Array(0) };

  prepare(text: Comparable): Prepared {
    return { title: this.idsOf(text.title), body: this.idsOf(text.body) };
  }

  /** Makes `candidate` the text `score` compares with. */
  select(candidate: Prepared): void {
    if (this.ids.size > this.titleMark.length) {
      const size = Math.max(this.ids.size, 2 * this.titleMark.length);
      this.titleMark = new Uint32Array(size);
      this.bodyMark = new Uint32Array(size);
      this.stamp = 0;
    }
    this.stamp += 1;
    if (this.stamp === 0xffff_ffff) {
      this.titleMark.fill(0);
      this.bodyMark.fill(0);
      this.stamp = 1;
    }
    for (const id of candidate.title) this.titleMark[id] = this.stamp;
    for (const id of candidate.body) this.bodyMark[id] = this.stamp;
    this.candidate = candidate;
  }

  /**
   * `similarity` of the selected candidate and `other`, or undefined when it is surely below `atLeast`
   * (then the bodies' words are not compared).
   */
  score(other: Prepared, atLeast: number): number | undefined {
    const { candidate } = this;
    const titleA = candidate.title.length;
    const titleB = other.title.length;
    const title =
      titleA === 0 && titleB === 0 ? 1 : (2 * this.shared(other.title, this.titleMark)) / (titleA + titleB);
    const bodyA = candidate.body.length;
    const bodyB = other.body.length;
    if (bodyA === 0 || bodyB === 0) return title;
    // Rounding is monotonic, so this bound is never below the score computed the same way below.
    const bound = 0.6 * title + 0.4 * ((2 * Math.min(bodyA, bodyB)) / (bodyA + bodyB));
    if (bound < atLeast) return undefined;
    return 0.6 * title + 0.4 * ((2 * this.shared(other.body, this.bodyMark)) / (bodyA + bodyB));
  }

  private shared(ids: Uint32Array, mark: Uint32Array): number {
    let shared = 0;
    const known = mark.length;
    for (const id of ids) if (id < known && mark[id] === this.stamp) shared += 1;
    return shared;
  }

  private idsOf(text: string): Uint32Array {
    const set = words(text.length > COMPARED_CHARS ? text.slice(0, COMPARED_CHARS) : text);
    const out = new Uint32Array(set.size);
    let index = 0;
    for (const word of set) {
      let id = this.ids.get(word);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(word, id);
      }
      out[index] = id;
      index += 1;
    }
    return out;
  }
}
