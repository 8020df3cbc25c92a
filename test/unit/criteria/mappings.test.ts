/**
 * People's mapping changes (src/criteria/mappings.ts), as properties over random sequences of
 * changes (the suite's fixed seed, test/harness/property-seed.ts): the record always stays valid,
 * each change is idempotent, and each does what it says — and a dismissed pair stays dismissed
 * against a later suggestion.
 */
import fc from 'fast-check';
import { applyMappingChange, type MappingChange } from '../../../src/criteria/mappings';
import { countsAsCoverage, traceRecordSchema, type TraceRecord } from '../../../src/criteria/state';
import { withSuggestions } from '../../../src/criteria/suggest-mappings';

const T0 = '2026-12-01T10:00:00.000Z';
const TESTS = [
  { testIssueId: '101', testKey: 'DEMO-11' },
  { testIssueId: '102', testKey: 'DEMO-12' },
  { testIssueId: '103', testKey: 'DEMO-13' },
];
const CRITERIA = ['ac-00000001', 'ac-00000002', 'ac-00000003'];

const start: TraceRecord = traceRecordSchema.parse({
  version: 1,
  updatedAt: T0,
  issueKey: 'DEMO-1',
  mappings: [
    { ...TESTS[0], criterionIds: [CRITERIA[0], CRITERIA[1]], source: 'generated' },
    { ...TESTS[1], criterionIds: [CRITERIA[1]], source: 'suggested', confidence: 0.7 },
    { ...TESTS[2], criterionIds: [CRITERIA[2]], source: 'suggested', confidence: 0.4 },
  ],
  latest: [],
  plans: [],
  covering: TESTS,
});

const changeArbitrary: fc.Arbitrary<MappingChange> = fc
  .record({
    action: fc.constantFrom('map' as const, 'unmap' as const, 'confirm' as const, 'reject' as const),
    test: fc.constantFrom(...TESTS),
    criterionId: fc.constantFrom(...CRITERIA),
  })
  .map(({ action, test, criterionId }) => ({ action, ...test, criterionId }));

const pairsOf = (trace: TraceRecord, counted: boolean) =>
  new Set(
    trace.mappings
      .filter((mapping) => countsAsCoverage(mapping.source) === counted)
      .flatMap((mapping) => mapping.criterionIds.map((id) => `${mapping.testIssueId} ${id}`)),
  );

const content = ({ updatedAt: _at, ...rest }: TraceRecord) => JSON.stringify(rest);

describe('applyMappingChange', () => {
  it('keeps the record valid, is idempotent, and does what each action says', () => {
    fc.assert(
      fc.property(fc.array(changeArbitrary, { minLength: 1, maxLength: 12 }), (changes) => {
        let trace = start;
        for (const change of changes) {
          const before = trace;
          trace = applyMappingChange(before, change, T0);
          expect(traceRecordSchema.safeParse(trace).success).toBe(true);
          expect(content(applyMappingChange(trace, change, T0))).toBe(content(trace));
          const pair = `${change.testIssueId} ${change.criterionId}`;
          const counted = pairsOf(trace, true);
          const suggested = pairsOf(trace, false);
          const dismissed = (trace.dismissed ?? []).find(
            (each) => each.testIssueId === change.testIssueId && each.criterionId === change.criterionId,
          );
          switch (change.action) {
            case 'map':
              expect(counted.has(pair)).toBe(true);
              expect(suggested.has(pair)).toBe(false);
              expect(dismissed).toBeUndefined();
              break;
            case 'unmap':
              expect(counted.has(pair)).toBe(false);
              expect(dismissed?.kind).toBe('unmapped');
              break;
            case 'confirm':
              // Counts when it was suggested (or already counted); otherwise nothing to confirm.
              expect(counted.has(pair)).toBe(
                pairsOf(before, true).has(pair) || pairsOf(before, false).has(pair),
              );
              expect(suggested.has(pair)).toBe(false);
              break;
            case 'reject':
              expect(suggested.has(pair)).toBe(false);
              expect(counted.has(pair)).toBe(pairsOf(before, true).has(pair));
              break;
          }
          // Nothing else changes.
          for (const other of pairsOf(before, true))
            if (other !== pair) expect(counted.has(other)).toBe(true);
        }
        // A dismissed pair is never suggested again.
        const again = withSuggestions(
          trace,
          new Map(TESTS.map((test) => [test.testKey, test.testIssueId])),
          TESTS.map((test) => ({
            testKey: test.testKey,
            suggestions: CRITERIA.map((criterionId) => ({ criterionId, confidence: 0.9 })),
          })),
          new Set(CRITERIA),
          T0,
        ).trace;
        const suggestedAgain = pairsOf(again, false);
        for (const pair of trace.dismissed ?? []) {
          expect(suggestedAgain.has(`${pair.testIssueId} ${pair.criterionId}`)).toBe(false);
        }
        expect(pairsOf(again, true)).toEqual(pairsOf(trace, true));
      }),
    );
  });
});
