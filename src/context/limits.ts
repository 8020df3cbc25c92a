/**
 * The limits of a context document and how it is kept inside them without losing anything silently.
 *
 * Every list read from Jira or Xray has a cap (entries beyond it are left out and counted), every text
 * field has a length (a cut field ends in a visible marker that says how much was left out), and the
 * whole serialized document has a hard size cap (`documentBytes`, measured as `byteSize` measures it:
 * UTF-8 bytes of `JSON.stringify`). What was cut is listed in the document's `truncated` (paths) and
 * what was left out is counted in its `omitted` (entries per list).
 */

export const CONTEXT_LIMITS = {
  // ---- Text fields (characters; a longer value is cut and ends in a truncation marker) ----
  descriptionChars: 30_000,
  summaryChars: 400,
  stepFieldChars: 2_000,
  definitionChars: 10_000,
  preconditionChars: 4_000,
  /** Names, keys, ids, statuses, labels, link titles, dates: Jira keeps these under 255. */
  nameChars: 255,
  /** A test's repository folder path. */
  folderChars: 1_000,
  /** A longer web link is left out (a cut URL would lead somewhere else). */
  urlChars: 2_048,

  // ---- Lists (entries; the first ones are kept, the rest are left out and counted) ----
  remoteLinks: 100,
  linkedIssues: 200,
  /** Each of the requirement's labels, components and fix versions, and each test's labels. */
  labels: 50,
  /** Covering tests (the Xray read stops at 1,000 too). */
  tests: 1_000,
  stepsPerTest: 100,
  preconditionsPerTest: 20,
  testSets: 100,
  testExecutions: 100,
  environmentsPerExecution: 20,
  testPlans: 100,
  /** Cut fields named one by one in `truncated`; beyond this many, their patterns are listed instead. */
  truncatedPaths: 25,

  /**
   * The whole serialized document (bytes, UTF-8), a hard cap: under Forge's 500 KB resolver answer
   * (`previewContext` returns the document) and SQAI's batch budget.
   */
  documentBytes: 256 * 1024,
} as const;

export type ContextLimits = { readonly [K in keyof typeof CONTEXT_LIMITS]: number };

export const truncationMarker = (omitted: number): string => `\n[… truncated: ${omitted} more characters]`;

/** Cuts `value` to at most `max` characters (marker included), at a line or word boundary when one is near. */
export function truncateText(value: string, max: number): { text: string; cut: boolean } {
  if (value.length <= max) return { text: value, cut: false };
  const room = Math.max(0, max - truncationMarker(value.length).length);
  let end = room;
  const lineBreak = value.lastIndexOf('\n', room);
  if (lineBreak > room * 0.8) end = lineBreak;
  else {
    const space = value.lastIndexOf(' ', room);
    if (space > room * 0.9) end = space;
  }
  // Never split a surrogate pair (half an emoji would become an escaped lone surrogate).
  const code = value.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: `${value.slice(0, end).trimEnd()}${truncationMarker(value.length - end)}`, cut: true };
}

/**
 * Where a cut happened: `pattern` names the kind of field (`xray.tests.*.steps.*.action`), `parts`
 * fill its `*`s to name the field itself (`xray.tests.DEMO-7.steps.2.action`; see `pathOf`). Written
 * out only when something is cut: building a document asks for thousands of these.
 */
export interface FieldPath {
  pattern: string;
  parts: readonly (string | number)[];
}

export const at = (pattern: string, ...parts: (string | number)[]): FieldPath => ({ pattern, parts });

/** Longest key or index written into a path (a longer one is cut and ends in `…`). */
const PATH_PART_CHARS = 64;

/** `pathOf(at('xray.tests.*.steps', 'DEMO-7'))` → `'xray.tests.DEMO-7.steps'`. */
export function pathOf({ pattern, parts }: FieldPath): string {
  let index = 0;
  return pattern.replace(/\*/g, () => {
    const part = String(parts[index++] ?? '*');
    if (part.length <= PATH_PART_CHARS) return part;
    const high = part.charCodeAt(PATH_PART_CHARS - 1);
    return `${part.slice(0, high >= 0xd800 && high <= 0xdbff ? PATH_PART_CHARS - 1 : PATH_PART_CHARS)}…`;
  });
}

const fieldPath = (path: FieldPath | string): FieldPath =>
  typeof path === 'string' ? { pattern: path, parts: [] } : path;

/**
 * Collects, while one document is built, the fields cut (→ `truncated`) and the entries left out of
 * each list (→ `omitted`). An entry that may still be dropped is built with its own log, merged into
 * the document's only when the entry is kept.
 */
export class TruncationLog {
  /** Cut field path → its pattern, in the order cut. */
  private readonly cuts = new Map<string, string>();
  /** List pattern → entries left out. */
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPaths: number = CONTEXT_LIMITS.truncatedPaths) {}

  text(path: FieldPath | string, value: string, max: number): string {
    const { text, cut } = truncateText(value, max);
    if (cut) this.add(path);
    return text;
  }

  nullableText(path: FieldPath | string, value: string | null | undefined, max: number): string | null {
    return value === null || value === undefined ? null : this.text(path, value, max);
  }

  /** `path` was cut (or some of its entries were left out). */
  add(path: FieldPath | string): void {
    const field = fieldPath(path);
    this.cuts.set(pathOf(field), field.pattern);
  }

  /** `count` entries of the list at `path` were left out to stay within the limits. */
  omit(path: FieldPath | string, count: number): void {
    if (count <= 0) return;
    this.add(path);
    this.count(fieldPath(path).pattern, count);
  }

  /** Counts entries left out for another reason than size (e.g. unsafe links), without listing a cut. */
  count(key: string, count: number): void {
    if (count > 0) this.counts.set(key, (this.counts.get(key) ?? 0) + count);
  }

  /** The first `max` entries of `values` (the rest counted as left out of `path`). */
  capped<T>(path: FieldPath | string, values: readonly T[], max: number): T[] {
    if (values.length <= max) return [...values];
    this.omit(path, values.length - max);
    return values.slice(0, max);
  }

  merge(other: TruncationLog): this {
    for (const [name, pattern] of other.cuts) this.cuts.set(name, pattern);
    for (const [key, count] of other.counts) this.count(key, count);
    return this;
  }

  clone(): TruncationLog {
    return this.child().merge(this);
  }

  /** An empty log with the same settings. */
  child(): TruncationLog {
    return new TruncationLog(this.maxPaths);
  }

  /** The cut fields, sorted: by path, or by pattern when more than `maxPaths` fields were cut. */
  list(): string[] {
    const names = this.cuts.size <= this.maxPaths ? this.cuts.keys() : new Set(this.cuts.values());
    return [...names].sort();
  }

  /** Entries left out per list (sorted keys), or `undefined` when nothing was. */
  omitted(): Record<string, number> | undefined {
    if (this.counts.size === 0) return undefined;
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** One entry of a document list that may still be left out to fit, with the cuts made while building it. */
export interface Entry<T> {
  value: T;
  log: TruncationLog;
}

/** Builds one entry with its own log (merged into the document's only if the entry is kept). */
export function entry<T>(log: TruncationLog, build: (own: TruncationLog) => T): Entry<T> {
  const own = log.child();
  return { value: build(own), log: own };
}
