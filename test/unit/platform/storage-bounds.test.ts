/**
 * The shared byte-bound helpers (src/platform/storage-bounds.ts), as properties (seed printed): a
 * clipped text's JSON never passes its budget and drops only the end, a fitted list is the longest
 * prefix that fits, a split list loses nothing and every page fits — measured as the in-memory
 * store measures what Forge would refuse.
 */
import { ForgeKvsAPIError } from '@forge/kvs';
import fc from 'fast-check';
import { clipText, CLIPPED, fitList, jsonBytes, splitList } from '../../../src/platform/storage-bounds';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';
import { checkForgeStorageWrite, MemoryKeyValueStore } from '../../harness/local-platform';
import { worstText } from './worst-text';

describe('storage bounds: the shared helpers (property)', () => {
  it('clipText: within the budget, the text itself when it fits, else its longest prefix that fits + "…" (seed printed)', () => {
    fc.assert(
      fc.property(worstText(600, { shorter: true }), fc.integer({ min: 5, max: 4_000 }), (text, max) => {
        const clipped = clipText(text, max);
        expect(jsonBytes(clipped)).toBeLessThanOrEqual(max);
        if (jsonBytes(text) <= max) {
          expect(clipped).toBe(text);
          return;
        }
        expect(clipped.endsWith(CLIPPED)).toBe(true);
        const kept = clipped.slice(0, -CLIPPED.length);
        expect(text.startsWith(kept)).toBe(true);
        // No surrogate pair is split, and one more whole character would not have fitted (a lone
        // high surrogate may be left out too).
        const split = /[\ud800-\udbff]$/.test(kept) && /^[\udc00-\udfff]/.test(text.slice(kept.length));
        expect(split).toBe(false);
        const next = text.codePointAt(kept.length) ?? 0;
        if (next < 0xd800 || next > 0xdbff)
          expect(jsonBytes(kept + String.fromCodePoint(next) + CLIPPED)).toBeGreaterThan(max);
        expect(clipText(clipped, max)).toBe(clipped);
      }),
      { numRuns: 300 },
    );
  });

  it('fitList: the longest prefix whose JSON fits; splitList: every item kept, in order, every page within its budget (seed printed)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.nat(), text: worstText(300, { shorter: true }) }), { maxLength: 80 }),
        fc.integer({ min: 2_000, max: 20_000 }),
        (items, max) => {
          const kept = fitList(items, max);
          expect(jsonBytes(kept)).toBeLessThanOrEqual(max);
          expect(items.slice(0, kept.length)).toEqual(kept);
          if (kept.length < items.length)
            expect(jsonBytes(items.slice(0, kept.length + 1))).toBeGreaterThan(max);

          const pages = splitList(items, max);
          expect(pages.flat()).toEqual(items);
          for (const page of pages) {
            expect(page.length).toBeGreaterThan(0);
            expect(jsonBytes(page)).toBeLessThanOrEqual(max);
          }
          // Greedy: no page could have taken the next page's first item.
          for (let index = 1; index < pages.length; index += 1)
            expect(jsonBytes([...(pages[index - 1] ?? []), pages[index]?.[0]])).toBeGreaterThan(max);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('measures what the in-memory store (and Forge) refuses: a value of exactly KVS_MAX_VALUE_BYTES is written, one byte more is not', async () => {
    const kvs = new MemoryKeyValueStore();
    const fits = clipText('中'.repeat(KVS_MAX_VALUE_BYTES), KVS_MAX_VALUE_BYTES);
    expect(jsonBytes(fits)).toBeLessThanOrEqual(KVS_MAX_VALUE_BYTES);
    await kvs.set('fits', fits);
    const exact = 'x'.repeat(KVS_MAX_VALUE_BYTES - 2);
    expect(jsonBytes(exact)).toBe(KVS_MAX_VALUE_BYTES);
    expect(() => checkForgeStorageWrite('exact', exact)).not.toThrow();
    expect(() => checkForgeStorageWrite('over', `${exact}x`)).toThrow(/MAX_SIZE/);
    expect(() => checkForgeStorageWrite('escaped', '\u0001'.repeat(KVS_MAX_VALUE_BYTES / 6))).toThrow(
      /MAX_SIZE/,
    );
    // Refused as `@forge/kvs` refuses it: a ForgeKvsAPIError for Forge's 400 with code MAX_SIZE.
    const refusal: unknown = await kvs.set('over', `${exact}x`).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ForgeKvsAPIError);
    expect(refusal).toMatchObject({ code: 'MAX_SIZE', responseDetails: { status: 400 } });
    expect(kvs.data.has('over')).toBe(false);
  });
});
