/**
 * Fitting a context document into its byte cap. Sizes add up: the serialized size of a JSON array is
 * 2 bytes of brackets plus each entry's own serialized size plus one comma between entries, so the
 * document can be filled entry by entry from a budget, in order of value, without serializing it again
 * and again.
 */
import { truncateMarkdown } from './adf-markdown';
import { byteSize } from './content-hash';
import type { Entry, TruncationLog } from './limits';

const sizes = new WeakMap<object, number>();

/** `byteSize(value)`, remembered per object (entries are measured once however many passes run). */
export function sizeOf(value: object): number {
  let size = sizes.get(value);
  if (size === undefined) {
    size = byteSize(value);
    sizes.set(value, size);
  }
  return size;
}

/** Bytes left while a document is filled, in order of value. */
export class ByteBudget {
  constructor(private left: number) {}

  get remaining(): number {
    return this.left;
  }

  /** Spends `bytes` if they fit. */
  spend(bytes: number): boolean {
    if (bytes > this.left) return false;
    this.left -= bytes;
    return true;
  }

  /** Bytes an entry of `bytes` takes in an array already holding `count` entries (a comma after the first). */
  static inArray(bytes: number, count: number): number {
    return bytes + (count > 0 ? 1 : 0);
  }

  /**
   * The entries that fit into an (empty) array, in order: each one that still fits is kept (a big one
   * that does not is passed over for the smaller ones after it). Kept entries' cuts go to `log`; the
   * others are counted as left out of `path`.
   */
  fill<T extends object>(path: string, entries: readonly Entry<T>[], log: TruncationLog): T[] {
    const kept: T[] = [];
    for (const entry of entries) {
      if (this.left < 2) break; // nothing fits: `{}` alone is 2 bytes
      if (!this.spend(ByteBudget.inArray(sizeOf(entry.value), kept.length))) continue;
      kept.push(entry.value);
      log.merge(entry.log);
    }
    log.omit(path, entries.length - kept.length);
    return kept;
  }
}

/** The part of a requirement the last resort may shorten. */
export interface Shrinkable {
  description: string;
  labels: string[];
  components: string[];
  fixVersions: string[];
}

/** The description is shortened to this many characters before any label, component or version goes. */
const DESCRIPTION_FLOOR = 2_000;
/** Room for the marker a first cut adds. */
const MARKER_ROOM = 80;

/**
 * The last resort, when the requirement alone (with every other list empty) is over the budget:
 * shortens the description to `DESCRIPTION_FLOOR` characters, then leaves out fix versions,
 * components and labels from the end, then shortens the description to its marker. `measure` gives the
 * document's size as it stands; `markdown` is the whole description (the marker counts what was cut of
 * it). Returns whether the document fits.
 */
export function shrinkRequirement(
  requirement: Shrinkable,
  markdown: string,
  budget: number,
  measure: () => number,
  log: TruncationLog,
): boolean {
  let over = measure() - budget;
  const cutDescription = (floor: number) => {
    while (over > 0 && requirement.description.length > floor) {
      const target = Math.max(floor, requirement.description.length - over - MARKER_ROOM);
      const cut = truncateMarkdown(markdown, target);
      if (cut.length >= requirement.description.length) break;
      requirement.description = cut;
      log.add('requirement.description');
      over = measure() - budget;
    }
  };
  cutDescription(DESCRIPTION_FLOOR);
  for (const list of ['fixVersions', 'components', 'labels'] as const) {
    const values = requirement[list];
    let drop = 0;
    let saved = 0;
    while (over - saved > 0 && drop < values.length) {
      const index = values.length - 1 - drop;
      saved += byteSize(values[index]) + (index > 0 ? 1 : 0);
      drop += 1;
    }
    if (drop > 0) {
      requirement[list] = values.slice(0, values.length - drop);
      log.omit(`requirement.${list}`, drop);
      over = measure() - budget;
    }
  }
  cutDescription(0);
  return over <= 0;
}
