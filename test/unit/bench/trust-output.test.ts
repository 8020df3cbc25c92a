/**
 * `npm run trust` reads jest's output of a failed round: the failing tests, and fast-check's replay
 * parameters for each failing property (as fast-check 4 prints them), so a counterexample is named
 * with its seed and path.
 */
import { counterexamplesIn, failingTestsIn, propertyTestFiles } from '../../../bench/trust-output';

const FAILED_ROUND = `
fast-check seed 1234 (replay: FC_SEED=1234 npx jest <file> -t '<property>')
FAIL test/unit/trust/xray-responses.test.ts (31.2 s)
  ● trust: damaged Xray answers › mutations: a created issue (id, key, warnings) or added tests, or XRAY_API_ERROR

    Property failed after 410 tests
    { seed: 1234, path: "409:2:0", endOnFailure: true }
    Counterexample: [[{"operation":"CreateTestSet"},"{\\"data\\":null}"]]
    Shrunk 2 time(s)

  ● trust: damaged Xray answers › getIssuePanel on DEMO-1: a damaged Xray answer ends in data or a typed error, never INTERNAL

    Property failed after 3 tests
    { seed: 1234, path: "2", endOnFailure: true }
    Counterexample: ["{}"]

Summary of all failing tests
FAIL test/unit/trust/xray-responses.test.ts (31.2 s)
  ● trust: damaged Xray answers › mutations: a created issue (id, key, warnings) or added tests, or XRAY_API_ERROR

    Property failed after 410 tests
    { seed: 1234, path: "409:2:0", endOnFailure: true }
`;

describe('npm run trust: reading a failed round', () => {
  it('names each failing test once', () => {
    expect(failingTestsIn(FAILED_ROUND)).toEqual([
      'trust: damaged Xray answers › mutations: a created issue (id, key, warnings) or added tests, or XRAY_API_ERROR',
      'trust: damaged Xray answers › getIssuePanel on DEMO-1: a damaged Xray answer ends in data or a typed error, never INTERNAL',
    ]);
  });

  it("gives each counterexample's seed and path once", () => {
    expect(counterexamplesIn(FAILED_ROUND)).toEqual([
      { seed: '1234', path: '409:2:0' },
      { seed: '1234', path: '2' },
    ]);
  });

  it('finds nothing in a round that passed', () => {
    expect(counterexamplesIn('PASS test/unit/trust/arbitraries.test.ts\nTests: 3 passed, 3 total')).toEqual(
      [],
    );
  });

  it('runs every unit test file that has a property, and no other', () => {
    const files = propertyTestFiles().map((file) => file.replace(/^.*\/test\/unit\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'trust/resolver-payloads.test.ts',
        'trust/sqai-responses.test.ts',
        'trust/xray-responses.test.ts',
        'trust/arbitraries.test.ts',
        'webtrigger/delivery.test.ts',
      ]),
    );
    expect(files).not.toContain('bench/trust.test.ts');
    expect(files).not.toContain('errors.test.ts');
  });
});
