/**
 * Stable criterion ids (issue 18, item 1; docs/criteria.md "How ids are kept"): ids survive reordering
 * and whitespace/punctuation/case edits, a small wording edit keeps the id and is marked changed, a new
 * criterion gets a new, deterministic id; matching is one-to-one. Properties run with the suite's fixed
 * seed (test/harness/property-seed.ts).
 */
import fc from 'fast-check';
import {
  assignCriterionIds,
  criterionIdFor,
  criterionSimilarity,
  matchKey,
  type PreviousCriterion,
} from '../../../src/criteria/ids';
import { CRITERION_ID_PATTERN } from '../../../src/criteria/schema';

const previous = (...texts: string[]): PreviousCriterion[] =>
  texts.map((text) => ({ id: criterionIdFor(text), text }));

describe('assignCriterionIds by example', () => {
  const before = previous(
    'Saved cards are listed with brand, last four digits and expiry',
    'Expired cards are shown but cannot be selected',
    'A declined challenge returns the shopper to the payment step',
  );

  it('keeps ids through reordering, case, whitespace and punctuation edits (same)', () => {
    const result = assignCriterionIds(before, [
      'a declined challenge returns the shopper to the payment step.',
      'Expired cards are shown — but cannot be selected!',
      '  Saved cards are listed with brand last four digits and expiry ',
    ]);
    expect(result.criteria.map((c) => [c.id, c.status])).toEqual([
      [before[2]?.id, 'same'],
      [before[1]?.id, 'same'],
      [before[0]?.id, 'same'],
    ]);
    expect(result.removed).toEqual([]);
  });

  it('keeps the id of a small wording edit and marks it changed; a new criterion gets a new id', () => {
    const result = assignCriterionIds(before, [
      'Saved cards are listed with brand, last four digits, expiry and nickname',
      'Expired cards are hidden',
      'Shoppers can add a card during checkout',
    ]);
    expect(result.criteria[0]).toMatchObject({ id: before[0]?.id, status: 'changed' });
    expect(result.criteria[1]).toMatchObject({
      status: 'new',
      id: criterionIdFor('Expired cards are hidden'),
    });
    expect(result.criteria[2]).toMatchObject({ status: 'new' });
    expect(result.removed.map((r) => r.id)).toEqual([before[1]?.id, before[2]?.id]);
  });

  it('matches best pairs first, one to one', () => {
    const old = previous('The receipt lists every item and the order number', 'The receipt lists every item');
    const result = assignCriterionIds(old, [
      'The receipt lists every item',
      'The receipt lists every item, the delivery address and the order number',
      'The receipt lists each item',
    ]);
    expect(result.criteria.map((c) => [c.id, c.status])).toEqual([
      [old[1]?.id, 'same'],
      [old[0]?.id, 'changed'],
      [criterionIdFor('The receipt lists each item'), 'new'],
    ]);
  });

  it('gives the same new text the same id everywhere, and a suffix when the id is taken', () => {
    expect(criterionIdFor('Prices show two decimals')).toBe(criterionIdFor('prices show two decimals.'));
    expect(criterionIdFor('Prices show two decimals')).toMatch(/^ac-[0-9a-f]{8}$/);
    const duplicates = assignCriterionIds([], ['Prices show two decimals', 'Prices show two decimals!']);
    const base = criterionIdFor('Prices show two decimals');
    expect(duplicates.criteria.map((c) => c.id)).toEqual([base, `${base}-2`]);
    // An id a previous criterion holds (here after an edit) is never handed to a new one.
    const held = assignCriterionIds(
      [{ id: base, text: 'Completely different words here' }],
      ['Prices show two decimals'],
    );
    expect(held.criteria[0]).toMatchObject({ id: `${base}-2`, status: 'new' });
    for (const c of [...duplicates.criteria, ...held.criteria]) expect(c.id).toMatch(CRITERION_ID_PATTERN);
  });

  it('keeps digits apart: 1.5 is not 15, and texts without words never match by similarity', () => {
    expect(matchKey('Fee is 1.5 %')).not.toBe(matchKey('Fee is 15 %'));
    expect(matchKey('Fee is 1,000 EUR!')).toBe('fee is 1,000 eur');
    expect(criterionSimilarity('🎉', '✅')).toBe(1); // both have no words: the same (empty) key
    expect(criterionSimilarity('1', '2')).toBe(0);
  });
});

// ─── properties ─────────────────────────────────────────────────────────────────────────────────────

const WORDS = [
  'shopper',
  'basket',
  'order',
  'receipt',
  'email',
  'card',
  'payment',
  'discount',
  'code',
  'total',
  'address',
  'parcel',
  'refund',
  'return',
  'label',
  'search',
  'filter',
  'price',
  'rating',
  'wishlist',
  'export',
  'account',
  'password',
  'session',
  'invoice',
  'delivery',
  'estimate',
  'carrier',
  'promotion',
  'checkout',
  'confirmation',
  'shown',
  'sent',
  'listed',
  'refused',
  'applied',
  'valid',
  'expired',
];
const OTHER_WORDS = [
  'kangaroo',
  'glacier',
  'violin',
  'pepper',
  'harbour',
  'lantern',
  'meadow',
  'thunder',
  'saddle',
  'cobalt',
  'orchid',
  'pyramid',
  'walnut',
  'falcon',
  'quartz',
  'tundra',
];

/** A criterion: 4–10 distinct domain words, capitalised like a sentence. */
const criterionText = fc
  .uniqueArray(fc.constantFrom(...WORDS), { minLength: 4, maxLength: 10 })
  .map((words) => words.join(' '));
/** Several criteria whose word sets are far apart (no two would match each other by similarity). */
const criteriaList = fc
  .uniqueArray(criterionText, { minLength: 1, maxLength: 8 })
  .filter((list) => list.every((a, i) => list.every((b, j) => i === j || criterionSimilarity(a, b) < 0.6)));

/** Whitespace, punctuation and case edits: never a different word. */
const cosmetic = (text: string) =>
  fc
    .record({
      spaces: fc.array(fc.constantFrom(' ', '  ', '\t', '\n', ' \u00a0'), { minLength: 1, maxLength: 12 }),
      punctuation: fc.array(fc.constantFrom('', '', ',', '.', ';', '!', '?', ' -', ':', '"', '(', ')', '…'), {
        minLength: 12,
        maxLength: 12,
      }),
      casing: fc.constantFrom<'lower' | 'upper' | 'sentence' | 'title'>(
        'lower',
        'upper',
        'sentence',
        'title',
      ),
      lead: fc.constantFrom('', ' ', '\n  ', '- '),
    })
    .map(({ spaces, punctuation, casing, lead }) => {
      const words = text.split(' ').map((word, index) => {
        const cased =
          casing === 'upper'
            ? word.toUpperCase()
            : casing === 'title' || (casing === 'sentence' && index === 0)
              ? word.charAt(0).toUpperCase() + word.slice(1)
              : word;
        return `${cased}${punctuation[index % punctuation.length] ?? ''}`;
      });
      return lead + words.map((word, index) => `${word}${spaces[index % spaces.length] ?? ' '}`).join('');
    });

/** A permutation of `0..n-1`. */
const permutation = (n: number) =>
  fc.array(fc.nat(), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((key, index) => ({ key, index }))
      .sort((a, b) => a.key - b.key || a.index - b.index)
      .map(({ index }) => index),
  );

describe('assignCriterionIds properties', () => {
  it('ids survive reordering plus whitespace, punctuation and case edits (all same, none removed)', () => {
    fc.assert(
      fc.property(
        criteriaList.chain((list) =>
          fc.tuple(fc.constant(list), permutation(list.length), fc.tuple(...list.map(cosmetic))),
        ),
        ([list, order, edited]) => {
          const before = assignCriterionIds([], list).criteria;
          const current = order.map((index) => edited[index] ?? '');
          const after = assignCriterionIds(before, current);
          expect(after.removed).toEqual([]);
          after.criteria.forEach((criterion, position) => {
            expect(criterion.status).toBe('same');
            expect(criterion.id).toBe(before[order[position] ?? -1]?.id);
          });
        },
      ),
    );
  });

  it('a small wording edit (one word added or replaced in a longer criterion) keeps the id, marked changed', () => {
    fc.assert(
      fc.property(
        criteriaList.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.nat({ max: list.length - 1 }),
            fc.constantFrom(...OTHER_WORDS),
            fc.boolean(),
          ),
        ),
        ([list, target, word, replace]) => {
          const original = list[target] ?? '';
          const words = original.split(' ');
          fc.pre(words.length >= 6);
          const edited = replace ? [...words.slice(0, -1), word].join(' ') : `${original} ${word}`;
          const before = assignCriterionIds([], list).criteria;
          const current = list.map((text, index) => (index === target ? edited : text));
          const after = assignCriterionIds(before, current);
          expect(after.criteria[target]).toMatchObject({ id: before[target]?.id, status: 'changed' });
          after.criteria.forEach((criterion, index) => {
            if (index !== target) expect(criterion).toMatchObject({ id: before[index]?.id, status: 'same' });
          });
        },
      ),
    );
  });

  it('a criterion in different words gets a new id, and the old one is removed', () => {
    fc.assert(
      fc.property(
        criteriaList,
        fc.uniqueArray(fc.constantFrom(...OTHER_WORDS), { minLength: 3, maxLength: 8 }),
        fc.nat(),
        (list, words, at) => {
          const target = at % list.length;
          const replacement = words.join(' ');
          const before = assignCriterionIds([], list).criteria;
          const current = list.map((text, index) => (index === target ? replacement : text));
          const after = assignCriterionIds(before, current);
          const fresh = after.criteria[target];
          expect(fresh?.status).toBe('new');
          expect(before.map((c) => c.id)).not.toContain(fresh?.id);
          expect(fresh?.id).toMatch(CRITERION_ID_PATTERN);
          expect(after.removed).toEqual([before[target]]);
        },
      ),
    );
  });

  it('is one-to-one and deterministic for any previous and current lists', () => {
    const texts = fc.array(fc.oneof(criterionText, fc.string({ maxLength: 30 })), { maxLength: 10 });
    fc.assert(
      fc.property(texts, texts, (first, second) => {
        const before = assignCriterionIds([], first).criteria;
        const a = assignCriterionIds(before, second);
        const b = assignCriterionIds(
          before.map((c) => ({ ...c })),
          [...second],
        );
        expect(a).toEqual(b);
        const ids = a.criteria.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        // Every previous criterion is either matched once or removed, never both.
        const matched = a.criteria.flatMap((c) => (c.previousIndex === undefined ? [] : [c.previousIndex]));
        expect(new Set(matched).size).toBe(matched.length);
        expect(matched.length + a.removed.length).toBe(before.length);
        for (const c of a.criteria) {
          expect(c.id).toMatch(CRITERION_ID_PATTERN);
          if (c.status === 'new') expect(before.map((p) => p.id)).not.toContain(c.id);
          else expect(c.id).toBe(before[c.previousIndex ?? -1]?.id);
        }
      }),
    );
  });
});
