/**
 * The duplicate check of a review stays within a resolver's time (issue 13, item 7): every text is
 * tokenized once, comparisons that cannot matter are skipped, and it stops at its budget with a
 * partial answer that says so. Its answers are those of the plain definition (`similarity` over
 * every known test, the first of equals) whenever it finishes.
 */
import fc from 'fast-check';
import type { GeneratedTest } from '../../../src/clients/sqai-schemas';
import {
  bodyOf,
  DUPLICATE_CHECK_BUDGET_MS,
  duplicateCheckIncomplete,
  reviewProposals,
  type ReviewedProposal,
} from '../../../src/generate/proposals';
import {
  COMPARED_CHARS,
  DUPLICATE_THRESHOLD,
  dice,
  DuplicateIndex,
  similarity,
  words,
  type Comparable,
} from '../../../src/generate/similarity';
import type { Fingerprint } from '../../../src/generate/store';
import { worstCaseInput } from '../../harness/fixtures/duplicate-check-worst-case';

const TYPES = [{ name: 'Manual', kind: 'Steps' }];

/** The review's duplicate answers as they were defined before the check was bounded. */
function referenceDuplicates(tests: GeneratedTest[], known: Fingerprint[]) {
  const seen = [...known];
  return tests.map((test) => {
    const body = bodyOf(test);
    let best: { entry: Fingerprint; score: number } | undefined;
    for (const entry of seen) {
      const score = similarity({ title: test.title, body }, { title: entry.summary, body: entry.text });
      if (!best || score > best.score) best = { entry, score };
    }
    seen.push({ key: `proposal “${test.title.slice(0, 60)}”`, summary: test.title, text: body });
    return best && best.score >= DUPLICATE_THRESHOLD
      ? {
          key: best.entry.key,
          summary: best.entry.summary,
          similarity: Math.round(best.score * 100) / 100,
        }
      : undefined;
  });
}

const manual = (id: string, title: string, texts: string[]): GeneratedTest => ({
  id,
  title,
  testType: 'Manual',
  steps: texts.map((text) => ({ action: text, result: text.split(' ').reverse().join(' ') })),
});

describe('duplicate check: bounded work (issue 13, item 7)', () => {
  // Before: 30.5 s on the 2-core dev machine (every comparison tokenized the ≈ 97.5 KB candidate
  // again: 20 × 720 times), past Forge's 25 s for the whole resolver. After: ≈ 0.2 s.
  it('reviews 20 proposals at SQAI’s limits (1.95 MB) against 700 large known tests in under 5 s, comparing every one', () => {
    const input = worstCaseInput();
    expect(input.tests).toHaveLength(20);
    expect(input.known).toHaveLength(700);
    expect(input.proposalChars).toBeGreaterThanOrEqual(1_950_000);
    const started = performance.now();
    const proposals = reviewProposals(input);
    const elapsedMs = performance.now() - started;
    expect(Math.round(elapsedMs)).toBeLessThan(5_000);
    expect(proposals.filter((proposal) => proposal.warnings)).toEqual([]);
    expect(proposals.map((proposal) => proposal.duplicateOf?.key ?? null)).toEqual(
      input.tests.map((_, index) =>
        index === 7
          ? 'DEMO-351'
          : index === 12
            ? `proposal “${input.tests[3]?.title.slice(0, 60) ?? ''}”`
            : null,
      ),
    );
    expect(proposals[7]?.duplicateOf?.similarity).toBe(1);
  }, 90_000);

  it('stops at its budget: the proposals it did not finish say so and are not selected', () => {
    const tests = ['Login', 'Logout', 'Export', 'Import', 'Search', 'Refund'].map((word, n) =>
      manual(`t${n}`, `${word} works`, [`${word} step`]),
    );
    const known = Array.from({ length: 100 }, (_, n) => ({
      key: `DEMO-${n}`,
      summary: `Known test ${n}`,
      text: `known body ${n}`,
    }));
    let ticks = 0;
    const proposals = reviewProposals({
      tests,
      projectTestTypes: TYPES,
      known,
      duplicateCheckMs: 14,
      now: () => (ticks += 1),
    });
    const firstCut = proposals.findIndex((proposal) => proposal.warnings);
    expect(firstCut).toBeGreaterThan(0);
    expect(firstCut).toBeLessThan(tests.length);
    for (const [index, proposal] of proposals.entries()) {
      if (index < firstCut) {
        expect(proposal.warnings).toBeUndefined();
        expect(proposal.selectedByDefault).toBe(true);
      } else {
        expect(proposal.warnings).toEqual([duplicateCheckIncomplete(14)]);
        expect(proposal.selectedByDefault).toBe(false);
        expect(proposal.problems).toEqual([]);
      }
    }
    expect(proposals[firstCut]?.warnings?.[0]).toMatch(
      /duplicate check ran out of time \(0\.014 s\) before comparing this test with every existing test/,
    );
    // The proposals it finished carry the answer a check without a budget gives.
    const unbounded = reviewProposals({ tests, projectTestTypes: TYPES, known });
    expect(proposals.slice(0, firstCut)).toEqual(unbounded.slice(0, firstCut));
  });

  it('with no time left compares nothing: every proposal is flagged, keeps its problems and is kept whole', () => {
    const proposals = reviewProposals({
      tests: [
        manual('a', 'Apply a code', ['Apply SHIP0']),
        { id: 'b', title: 'No steps', testType: 'Manual', steps: [] },
      ],
      projectTestTypes: TYPES,
      known: [{ key: 'DEMO-1', summary: 'Apply a code', text: 'Apply SHIP0 SHIP0 Apply' }],
      duplicateCheckMs: 0,
    });
    expect(proposals.map((proposal) => proposal.warnings)).toEqual([
      [duplicateCheckIncomplete(0)],
      [duplicateCheckIncomplete(0)],
    ]);
    expect(proposals.map((proposal) => proposal.duplicateOf)).toEqual([undefined, undefined]);
    expect(proposals[1]?.problems).toEqual(['Manual (Steps) tests need at least one step.']);
    expect(proposals[0]?.steps).toEqual([{ action: 'Apply SHIP0', data: null, result: 'SHIP0 Apply' }]);
    expect(proposals.every((proposal) => !proposal.selectedByDefault)).toBe(true);
  });

  it('reports a duplicate it found before the budget ran out, with the warning that it may not be the closest', () => {
    let ticks = 0;
    const [proposal] = reviewProposals({
      tests: [manual('a', 'Expired discount code is refused', ['Apply the code BF2025'])],
      projectTestTypes: TYPES,
      known: [
        { key: 'DEMO-1', summary: 'Expired discount code is refused', text: 'Apply the code BF2025' },
        ...Array.from({ length: 40 }, (_, n) => ({ key: `DEMO-${n + 2}`, summary: 'x', text: 'y' })),
      ],
      duplicateCheckMs: 3,
      now: () => (ticks += 1),
    });
    expect(proposal?.duplicateOf).toMatchObject({ key: 'DEMO-1', similarity: 1 });
    expect(proposal?.warnings).toEqual([duplicateCheckIncomplete(3)]);
  });

  it('reads at most COMPARED_CHARS (256 Ki) characters of a text', () => {
    const index = new DuplicateIndex();
    const head = 'alpha beta gamma '.repeat(COMPARED_CHARS / 17 + 1).slice(0, COMPARED_CHARS);
    const long = index.prepare({ title: 'Title', body: `${head} omega` });
    const short = index.prepare({ title: 'Title', body: head });
    expect(long.body).toEqual(short.body);
    expect(DUPLICATE_CHECK_BUDGET_MS).toBeLessThanOrEqual(5_000);
  });
});

// Texts that collide often (a small vocabulary), with what `words` drops or splits on: stop words,
// issue keys, punctuation, case, scripts other than Latin, emoji, combining marks, odd whitespace.
const token = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('apply', 'code', 'Code', 'basket', 'ship', 'free', 'expired', 'user'),
  },
  { weight: 2, arbitrary: fc.constantFrom('the', 'a', 'Verify', 'test', 'DEMO-12:', 'ab-1', 'x', '1', '42') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'Ärger',
      'İstanbul',
      'STRASSE',
      'straße',
      '東京',
      '日本語',
      '😀',
      'ǅemal',
      'e\u0301t',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 5 }) },
);
const separator = fc.constantFrom(' ', '  ', '\n', '\t', ', ', '—', '\u00a0');
const text = (maxLength: number) =>
  fc
    .array(fc.tuple(token, separator), { maxLength })
    .map((parts) => parts.map(([word, gap]) => `${word}${gap}`).join(''));
const comparable: fc.Arbitrary<Comparable> = fc.record({ title: text(8), body: text(30) });

describe('duplicate check: the same answers as the definition', () => {
  it('DuplicateIndex scores are similarity’s, bit for bit, and it skips only what is below what is wanted (seed printed)', () => {
    fc.assert(
      fc.property(
        comparable,
        fc.array(comparable, { maxLength: 6 }),
        fc.double({ min: 0, max: 1 }),
        (a, others, atLeast) => {
          const index = new DuplicateIndex();
          const pairs = others.map((other) => ({ other, prepared: index.prepare(other) }));
          index.select(index.prepare(a));
          for (const { other, prepared } of pairs) {
            const expected = similarity(a, other);
            expect(Object.is(index.score(prepared, -Infinity), expected)).toBe(true);
            // Never skipped when exactly its own score is wanted: the bound is never below the score.
            expect(Object.is(index.score(prepared, expected), expected)).toBe(true);
            const bounded = index.score(prepared, atLeast);
            if (bounded === undefined) expect(expected).toBeLessThan(atLeast);
            else expect(Object.is(bounded, expected)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reviewProposals flags the duplicates the unbounded definition flags, the same closest one (seed printed)', () => {
    const generated = fc.record({ title: text(6), steps: fc.array(text(10), { maxLength: 3 }) });
    const flagged = { duplicates: 0, others: 0 };
    fc.assert(
      fc.property(
        fc.array(generated, { minLength: 1, maxLength: 8 }),
        fc.array(fc.record({ summary: text(6), text: text(20) }), { maxLength: 15 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (drafts, drafted, copies) => {
          const tests = drafts.map((draft, n) =>
            manual(`t${n}`, draft.title.trim() === '' ? `Title ${n}` : draft.title, draft.steps),
          );
          const known: Fingerprint[] = drafted.map((entry, n) => ({ key: `DEMO-${n}`, ...entry }));
          // Known twins of some proposals, so that duplicates are common.
          for (const pick of copies) {
            const twin = tests[pick % tests.length] as GeneratedTest;
            known.push({ key: `DEMO-${known.length}`, summary: twin.title, text: bodyOf(twin) });
          }
          const proposals: ReviewedProposal[] = reviewProposals({ tests, projectTestTypes: TYPES, known });
          const expected = referenceDuplicates(tests, known);
          expect(proposals.map((proposal) => proposal.duplicateOf)).toEqual(expected);
          for (const duplicate of expected) flagged[duplicate ? 'duplicates' : 'others'] += 1;
          expect(proposals.filter((proposal) => proposal.warnings)).toEqual([]);
          for (const proposal of proposals)
            expect(proposal.selectedByDefault).toBe(proposal.problems.length === 0 && !proposal.duplicateOf);
        },
      ),
      { numRuns: 300 },
    );
    // Both answers are common, so the property compares both.
    expect(flagged.duplicates).toBeGreaterThan(100);
    expect(flagged.others).toBeGreaterThan(100);
  });
});

/** A deterministic word source for one shape (the texts are too large to draw word by word). */
function textSource(seed: number, vocabulary: string[]): (chars: number) => string {
  let state = seed >>> 0 || 1;
  return (chars) => {
    let out = '';
    while (out.length < chars) {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      out += `${vocabulary[state % vocabulary.length] ?? 'x'} `;
    }
    return out.slice(0, chars);
  };
}

const SCRIPTS = ['a-z', 'é', 'Ωω', 'Жж', '東京都', '😀🎉', 'İı', 'e\u0301'];

function vocabularyOf(kind: 'ascii' | 'unicode' | 'repeated', size: number, seed: number): string[] {
  if (kind === 'repeated') return ['apply', 'the', 'code'].slice(0, 1 + (size % 3));
  const next = textSource(seed, kind === 'ascii' ? 'bcdfghklmnprstvz'.split('') : SCRIPTS.join('').split(''));
  return Array.from(
    { length: size },
    (_, n) => `${next(2 + (n % 9)).replace(/\s/g, '')}${n % 7 === 0 ? '-' + n : ''}`,
  );
}

/** `similarity`, with each text's words computed once (the worst shapes' texts are large). */
function memoizedSimilarity(): (a: Comparable, b: Comparable) => number {
  const cache = new Map<string, Set<string>>();
  const wordsOf = (text: string): Set<string> => {
    const cached = cache.get(text);
    if (cached) return cached;
    const computed = words(text);
    cache.set(text, computed);
    return computed;
  };
  return (a, b) => {
    const title = dice(wordsOf(a.title), wordsOf(b.title));
    const bodyA = wordsOf(a.body);
    const bodyB = wordsOf(b.body);
    if (bodyA.size === 0 || bodyB.size === 0) return title;
    return 0.6 * title + 0.4 * dice(bodyA, bodyB);
  };
}

describe('duplicate check: worst shapes stay within a resolver’s time', () => {
  it('20 proposals at SQAI’s limits, 700 known: under 5 s a run, every proposal compared or flagged, every flag true (seed printed)', () => {
    const shape = fc.record({
      proposals: fc.oneof(fc.constant(20), fc.integer({ min: 1, max: 20 })),
      stepChars: fc.oneof(fc.constant(1_000), fc.integer({ min: 1, max: 1_000 })),
      knownChars: fc.oneof(fc.constant(4_000), fc.integer({ min: 0, max: 4_000 })),
      vocabulary: fc.constantFrom('ascii' as const, 'unicode' as const, 'repeated' as const),
      vocabularySize: fc.integer({ min: 1, max: 20_000 }),
      titles: fc.constantFrom('identical', 'similar', 'distinct'),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(shape, (s) => {
        const next = textSource(s.seed, vocabularyOf(s.vocabulary, s.vocabularySize, s.seed));
        const title = (n: number) =>
          s.titles === 'identical'
            ? 'Apply the code'
            : s.titles === 'similar'
              ? `Apply the code ${n % 3}`
              : next(250);
        const tests = Array.from({ length: s.proposals }, (_, n) =>
          manual(`p${n}`, title(n).trim() || `Proposal ${n}`, []),
        ).map((test) => ({
          ...test,
          steps: Array.from({ length: 50 }, () => ({ action: next(s.stepChars), result: next(s.stepChars) })),
        }));
        const known = Array.from({ length: 700 }, (_, n) => ({
          key: `DEMO-${n}`,
          summary: title(n + 1),
          text: next(s.knownChars),
        }));

        const started = performance.now();
        const proposals = reviewProposals({ tests, projectTestTypes: TYPES, known });
        const elapsedMs = performance.now() - started;
        expect(Math.round(elapsedMs)).toBeLessThan(5_000);
        expect(proposals.filter((proposal) => proposal.warnings).map((proposal) => proposal.id)).toEqual([]);
        const reference = memoizedSimilarity();

        // Every flag is true: the definition agrees on the reported pair.
        const entries = new Map<string, Comparable[]>();
        const add = (key: string, entry: Comparable) =>
          entries.set(key, [...(entries.get(key) ?? []), entry]);
        for (const entry of known) add(entry.key, { title: entry.summary, body: entry.text });
        for (const [n, proposal] of proposals.entries()) {
          const test = tests[n] as GeneratedTest;
          const candidate = { title: test.title, body: bodyOf(test) };
          if (proposal.duplicateOf) {
            const { key, similarity: reported } = proposal.duplicateOf;
            const scores = (entries.get(key) ?? []).map((entry) => reference(candidate, entry));
            expect(
              scores.some(
                (score) => score >= DUPLICATE_THRESHOLD && Math.round(score * 100) / 100 === reported,
              ),
            ).toBe(true);
          }
          add(`proposal “${test.title.slice(0, 60)}”`, candidate);
        }
        // And a sample of what it did not flag is below the threshold, or no closer than its flag.
        for (const n of [0, Math.floor(tests.length / 2)]) {
          const test = tests[n] as GeneratedTest;
          const candidate = { title: test.title, body: bodyOf(test) };
          const ceiling = proposals[n]?.duplicateOf ? 1 : DUPLICATE_THRESHOLD;
          for (const entry of [known[n * 7], known[699]]) {
            if (!entry) continue;
            const score = reference(candidate, { title: entry.summary, body: entry.text });
            if (ceiling < 1) expect(score).toBeLessThan(ceiling);
            else
              expect(Math.round(score * 100) / 100).toBeLessThanOrEqual(
                proposals[n]?.duplicateOf?.similarity ?? 0,
              );
          }
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
