/**
 * Byte bounds for what the app keeps in Forge's key-value store. Forge refuses a value whose JSON is
 * over 240 KiB (KVS_MAX_VALUE_BYTES; docs/forge-fidelity.md, rule 8), and a refused write fails the whole operation
 * around it. So every stored structure is bounded by construction — its texts clipped, its lists
 * cut to a byte budget or split across keys — rather than found out by a failing write. Sizes are
 * measured as the store measures them: the UTF-8 bytes of the value's JSON, escapes included (one
 * control character costs up to 6 bytes, a CJK character 3).
 */
// The limit itself is one of Forge's (./limits.ts); named here too for what measures against it.

/** The UTF-8 bytes of `value`'s JSON: what Forge counts against its limit. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** What `item` adds to a JSON array (without the comma before it). */
export function itemBytes(item: unknown): number {
  return jsonBytes([item]) - 2;
}

/** What a clipped text ends with. */
export const CLIPPED = '…';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The first `length` UTF-16 units of `text`, one fewer when that would split a surrogate pair. */
function prefix(text: string, length: number): string {
  return length > 0 && isHighSurrogate(text.charCodeAt(length - 1))
    ? text.slice(0, length - 1)
    : text.slice(0, length);
}

/**
 * `text` if its JSON string (quotes and escapes included) is at most `maxBytes`; otherwise its
 * longest prefix of whole characters followed by "…" that is. Clipping only ever drops the end.
 */
export function clipText(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) return text;
  if (jsonBytes(CLIPPED) > maxBytes) return '';
  // The JSON size of prefix(n) + "…" grows with n: find the largest n that fits.
  let low = 0;
  let high = text.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (jsonBytes(prefix(text, mid) + CLIPPED) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return prefix(text, low) + CLIPPED;
}

/** How much of an error's texts a stored structure keeps (an error's own wording is far shorter). */
export const ERROR_TEXT_BYTES = { message: 1_024, remedy: 512 } as const;

/**
 * The stored form of an error: its code, message and remedy (clipped to `limits`). Anything else an
 * ErrorDto carries (field errors, a host) is for the answer it came in, not for storage.
 */
export function boundError<C extends string>(
  error: { code: C; message: string; remedy: string },
  limits: { message: number; remedy: number } = ERROR_TEXT_BYTES,
): { code: C; message: string; remedy: string } {
  return {
    code: error.code,
    message: clipText(error.message, limits.message),
    remedy: clipText(error.remedy, limits.remedy),
  };
}

/**
 * The longest prefix of `items` whose JSON array is at most `maxBytes` (put what should be kept
 * first). A list that must not lose entries is split with `splitList` instead.
 */
export function fitList<T>(items: readonly T[], maxBytes: number): T[] {
  const kept: T[] = [];
  let bytes = 2; // the brackets
  for (const item of items) {
    const size = itemBytes(item) + (kept.length > 0 ? 1 : 0);
    if (bytes + size > maxBytes) break;
    kept.push(item);
    bytes += size;
  }
  return kept;
}

/**
 * `items` in order, split into as few consecutive pages as fit: each page's JSON array is at most
 * `maxBytes`. Throws when one item alone is larger (a bound upstream of this was broken).
 */
export function splitList<T>(items: readonly T[], maxBytes: number): T[][] {
  const pages: T[][] = [];
  let page: T[] = [];
  let bytes = 2;
  for (const item of items) {
    const size = itemBytes(item);
    if (size + 2 > maxBytes) throw new Error(`One item is ${size} bytes, more than a page of ${maxBytes}`);
    if (page.length > 0 && bytes + 1 + size > maxBytes) {
      pages.push(page);
      page = [];
      bytes = 2;
    }
    bytes += size + (page.length > 0 ? 1 : 0);
    page.push(item);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}
