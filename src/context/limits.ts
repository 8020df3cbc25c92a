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
  // ---- Linked Confluence pages (docs/sqai-contract.md, the context document) ----
  /** Confluence links listed in `linkedPages` (the rest are counted in `omitted`). */
  linkedPages: 20,
  /** Pages whose content is read (in parallel, as the user); later ones are listed with reason `limit`. */
  linkedPagesRead: 10,
  /** A page's content as Markdown (characters; a longer one is cut and ends in a marker). */
  linkedPageChars: 40_000,

  // ---- The requirement's Jira attachments ----
  /** Attachments listed in `attachments` (newest first; the rest are counted in `omitted`). */
  attachments: 50,
  /** Text-like attachments whose content is read; later ones are listed with reason `limit`. */
  attachmentsRead: 3,
  /** A text-like attachment over this many bytes (Jira's `size`) is not read: reason `tooLarge`. */
  attachmentBytes: 50 * 1024,
  /** An attachment's text (characters; a longer one is cut and ends in a marker). */
  attachmentChars: 50 * 1024,
  /** Scenario names listed for a `.feature` attachment. */
  scenariosPerAttachment: 100,

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
 * fill its `*`s to name the field itself (`xray.tests.DEMO-7.steps.2.action`: an entry of a list of
 * issues by its key, anything below by its index or key). Written out only when something is cut:
 * building a document asks for thousands of these. The document lists cuts as RFC 6901 JSON Pointers
 * into itself (`/xray/tests/3/steps/2/action`): see `TruncationLog.list`.
 */
export interface FieldPath {
  pattern: string;
  parts: readonly (string | number)[];
}

export const at = (pattern: string, ...parts: (string | number)[]): FieldPath => ({ pattern, parts });

/** Longest key written into a path (a longer one is cut and ends in `…`). */
const PATH_PART_CHARS = 64;

/** RFC 6901 §3: `~` is written `~0` and `/` is written `~1` in a reference token. */
export const pointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** A dotted pattern as a JSON Pointer pattern: `xray.tests.*.steps` becomes `/xray/tests/` + `*` + `/steps`. */
export const pointerPattern = (pattern: string): string => `/${pattern.split('.').join('/')}`;

const cutPart = (part: string): string => {
  if (part.length <= PATH_PART_CHARS) return part;
  const high = part.charCodeAt(PATH_PART_CHARS - 1);
  return `${part.slice(0, high >= 0xd800 && high <= 0xdbff ? PATH_PART_CHARS - 1 : PATH_PART_CHARS)}…`;
};

/**
 * `pathOf(at('xray.tests.*.steps', 'DEMO-7'))` → `'/xray/tests/DEMO-7/steps'`: the path with the
 * entry named by its key (a JSON Pointer once the key is replaced by the entry's index).
 */
export function pathOf({ pattern, parts }: FieldPath): string {
  let index = 0;
  return pointerPattern(pattern)
    .split('/')
    .map((token) =>
      token === '*' ? pointerToken(cutPart(String(parts[index++] ?? '*'))) : pointerToken(token),
    )
    .join('/');
}

/**
 * The path as it counts while the document is fitted: a key at least 4 characters long, so that the
 * index that replaces it in the document (a list holds at most 1,000 entries: 3 digits) never makes
 * the document longer than it was measured.
 */
function measuredPathOf({ pattern, parts }: FieldPath): string {
  return pathOf({
    pattern,
    parts: parts.map((part) => (typeof part === 'string' && part.length < 4 ? part.padEnd(4, '_') : part)),
  });
}

const fieldPath = (path: FieldPath | string): FieldPath =>
  typeof path === 'string' ? { pattern: path, parts: [] } : path;

/** One cut: where, and the list entry (the object in the document) it was made in, if any. */
interface Cut {
  path: FieldPath;
  /** The entry built with the log the cut was made in (its index in its list names it). */
  owner?: object;
}

/**
 * Collects, while one document is built, the fields cut (→ `truncated`) and the entries left out of
 * each list (→ `omitted`). An entry that may still be dropped is built with its own log, merged into
 * the document's only when the entry is kept.
 */
export class TruncationLog {
  /** Cut field path (as measured) → the cut, in the order cut. */
  private readonly cuts = new Map<string, Cut>();
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
    this.cuts.set(measuredPathOf(field), { path: field });
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

  /** The cuts of this log were made building `owner`, an entry of a list (see `entry`). */
  claim(owner: object): void {
    for (const cut of this.cuts.values()) cut.owner ??= owner;
  }

  merge(other: TruncationLog): this {
    for (const [name, cut] of other.cuts) this.cuts.set(name, { ...cut });
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

  /**
   * The cut fields, sorted: RFC 6901 JSON Pointers into `document` (an entry of a list by its index
   * there), or their patterns (a `*` for each index or key) when more than `maxPaths` fields were
   * cut. Without `document`, the paths as measured while fitting (never shorter).
   */
  list(document?: object): string[] {
    if (this.cuts.size > this.maxPaths) {
      return [...new Set([...this.cuts.values()].map((cut) => pointerPattern(cut.path.pattern)))].sort();
    }
    return [...this.cuts].map(([measured, cut]) => (document ? pointerIn(document, cut) : measured)).sort();
  }

  /** Entries left out per list (sorted keys), or `undefined` when nothing was. */
  omitted(): Record<string, number> | undefined {
    if (this.counts.size === 0) return undefined;
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/**
 * The cut's JSON Pointer into `document`: each `*` filled by its part, except the entry the cut was
 * made in, named by its index in its list (a key names no array element in RFC 6901).
 */
function pointerIn(document: object, { path, owner }: Cut): string {
  let node: unknown = document;
  let index = 0;
  let ownerPlaced = owner === undefined;
  const tokens = pointerPattern(path.pattern)
    .split('/')
    .slice(1)
    .map((token) => {
      let step: string;
      if (token !== '*') step = token;
      else {
        const part = path.parts[index++];
        const position = !ownerPlaced && Array.isArray(node) ? (node as unknown[]).indexOf(owner) : -1;
        if (position >= 0) {
          ownerPlaced = true;
          step = String(position);
        } else step = cutPart(String(part ?? '*'));
      }
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[step] : undefined;
      return pointerToken(step);
    });
  return `/${tokens.join('/')}`;
}

/** One entry of a document list that may still be left out to fit, with the cuts made while building it. */
export interface Entry<T> {
  value: T;
  log: TruncationLog;
}

/** Builds one entry with its own log (merged into the document's only if the entry is kept). */
export function entry<T extends object>(log: TruncationLog, build: (own: TruncationLog) => T): Entry<T> {
  const own = log.child();
  const value = build(own);
  own.claim(value);
  return { value, log: own };
}
