/**
 * Criterion state (issue 18, items 3–5; docs/criteria.md "Criterion state"): proven, failing,
 * changed since tested, not run, no test — from the mappings and each test's latest result — and the
 * requirement's counts. Properties run with the suite's fixed seed (test/harness/property-seed.ts).
 */
import fc from 'fast-check';
import {
  criterionStates,
  latestByTest,
  MAPPING_SOURCES,
  outcomeOf,
  summarizeStates,
  traceRecordSchema,
  type StateCriterion,
  type TestMapping,
  type TestResult,
  MAX_DISMISSED,
  MAX_MAPPED_TESTS,
  MAX_PLAN_SCOPES,
  MAX_EXECUTION_SCOPE_BYTES,
  MAX_EXECUTION_SCOPES,
  scopeBytes,
  MAX_STATUS_NAME,
  MAX_MAPPING_PAIRS,
  type TraceRecord,
} from '../../../src/criteria/state';
import { criterionIdFor } from '../../../src/criteria/ids';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';

const T0 = '2026-11-01T10:00:00.000Z';
const T1 = '2026-11-10T10:00:00.000Z';
const T2 = '2026-11-20T10:00:00.000Z';

const criterion = (text: string, revision = 1, since = T0): StateCriterion => ({
  id: criterionIdFor(text),
  text,
  revision,
  since,
});

const declined = criterion('Declined cards show "Your bank declined the payment"');
const refunds = criterion('Refunds are issued to the original card', 2, T1);
const vat = criterion('The total includes VAT');
const receipts = criterion('A receipt is e-mailed within 2 minutes');

const map = (
  testIssueId: string,
  criteria: StateCriterion[],
  source: TestMapping['source'] = 'generated',
): TestMapping => ({
  testIssueId,
  testKey: `DEMO-${testIssueId}`,
  criterionIds: criteria.map(({ id }) => id),
  source,
});

const result = (
  testIssueId: string,
  status: string,
  at?: string,
  coverage?: TestResult['coverage'],
): TestResult => ({
  testIssueId,
  status,
  ...(at ? { at } : {}),
  ...(coverage ? { coverage } : {}),
});

describe('outcomeOf', () => {
  it("follows Xray's coverage mapping of the built-in statuses", () => {
    expect(outcomeOf(result('1', 'PASSED'))).toBe('passed');
    expect(outcomeOf(result('1', 'FAILED'))).toBe('failed');
    expect(outcomeOf(result('1', 'ABORTED'))).toBe('failed');
    expect(outcomeOf(result('1', 'TODO'))).toBe('notRun');
    expect(outcomeOf(result('1', 'EXECUTING'))).toBe('notRun');
    expect(outcomeOf(undefined)).toBe('notRun');
  });

  it('reads a custom status by its mapping, and never counts an unmapped one as a pass', () => {
    expect(outcomeOf(result('1', 'PASSED WITH NOTES', T1, 'OK'))).toBe('passed');
    expect(outcomeOf(result('1', 'BLOCKED', T1, 'NOK'))).toBe('failed');
    expect(outcomeOf(result('1', 'RETEST', T1, 'UNKNOWN'))).toBe('notRun');
    expect(outcomeOf(result('1', 'PASSED-ISH'))).toBe('notRun');
    // A name like a prototype member is just an unknown status.
    expect(outcomeOf(result('1', 'constructor'))).toBe('notRun');
  });
});

describe('criterionStates by example', () => {
  it('gives each criterion its state, in the criteria order', () => {
    const states = criterionStates(
      [declined, refunds, vat, receipts],
      [map('101', [declined, vat]), map('102', [declined]), map('103', [refunds]), map('104', [vat])],
      [
        result('101', 'PASSED', T2),
        result('102', 'PASSED', T2),
        result('103', 'PASSED', T0),
        result('104', 'FAILED', T2),
      ],
    );
    expect(states.map(({ text, state }) => [text.slice(0, 12), state])).toEqual([
      ['Declined car', 'proven'],
      ['Refunds are ', 'changed'],
      ['The total in', 'failing'],
      ['A receipt is', 'noTest'],
    ]);
    expect(states[0]?.tests.map(({ testKey, outcome }) => [testKey, outcome])).toEqual([
      ['DEMO-101', 'passed'],
      ['DEMO-102', 'passed'],
    ]);
    expect(states[1]?.tests[0]).toMatchObject({ testKey: 'DEMO-103', stale: true, at: T0 });
  });

  it('a criterion with a test that has no result, or a TODO one, is not run', () => {
    const states = criterionStates(
      [declined, vat],
      [map('101', [declined]), map('102', [vat]), map('103', [vat])],
      [result('102', 'TODO', T2), result('103', 'PASSED', T2)],
    );
    expect(states.map(({ state }) => state)).toEqual(['notRun', 'notRun']);
  });

  it('a suggested mapping is not coverage until confirmed', () => {
    const suggested = criterionStates(
      [declined],
      [map('101', [declined], 'suggested')],
      [result('101', 'PASSED', T2)],
    );
    expect(suggested[0]).toMatchObject({ state: 'noTest', tests: [], suggested: [{ testKey: 'DEMO-101' }] });
    const confirmed = criterionStates(
      [declined],
      [map('101', [declined], 'suggested'), map('101', [declined], 'confirmed')],
      [result('101', 'PASSED', T2)],
    );
    expect(confirmed[0]).toMatchObject({ state: 'proven', suggested: [], tests: [{ source: 'confirmed' }] });
  });

  it('a pass after the wording changed proves the criterion again; one without a time does not', () => {
    expect(criterionStates([refunds], [map('103', [refunds])], [result('103', 'PASSED', T2)])[0]?.state).toBe(
      'proven',
    );
    expect(criterionStates([refunds], [map('103', [refunds])], [result('103', 'PASSED')])[0]?.state).toBe(
      'changed',
    );
    // A first wording (revision 1) is never "changed": results from before the app read it still count.
    expect(criterionStates([vat], [map('104', [vat])], [result('104', 'PASSED')])[0]?.state).toBe('proven');
  });

  it('a failing test wins over a stale pass and over tests not run', () => {
    const states = criterionStates(
      [refunds],
      [map('103', [refunds]), map('105', [refunds]), map('106', [refunds])],
      [result('103', 'PASSED', T0), result('105', 'ABORTED', T2)],
    );
    expect(states[0]?.state).toBe('failing');
  });

  it('ignores mappings to criteria that are gone', () => {
    const gone = criterion('A criterion that was deleted');
    const states = criterionStates(
      [vat],
      [map('101', [gone]), map('102', [vat])],
      [result('102', 'PASSED', T2)],
    );
    expect(states).toHaveLength(1);
    expect(states[0]?.tests.map(({ testKey }) => testKey)).toEqual(['DEMO-102']);
  });

  it('of two results for one test, the later counts; of two at the same time, the worse', () => {
    const later = latestByTest([result('1', 'FAILED', T1), result('1', 'PASSED', T2)]);
    expect(later.get('1')?.status).toBe('PASSED');
    const same = latestByTest([result('1', 'PASSED', T2), result('1', 'FAILED', T2)]);
    expect(same.get('1')?.status).toBe('FAILED');
    const timed = latestByTest([result('1', 'PASSED', T0), result('1', 'FAILED')]);
    expect(timed.get('1')?.status).toBe('PASSED');
  });

  it('sorts a criterion’s tests by key number, not as text', () => {
    const states = criterionStates([vat], [map('10', [vat]), map('9', [vat]), map('100', [vat])], []);
    expect(states[0]?.tests.map(({ testKey }) => testKey)).toEqual(['DEMO-9', 'DEMO-10', 'DEMO-100']);
  });
});

describe('summarizeStates', () => {
  it('counts each state; unproven is every criterion not proven', () => {
    expect(
      summarizeStates(
        [
          { state: 'proven' },
          { state: 'failing' },
          { state: 'stale' },
          { state: 'changed' },
          { state: 'notRun' },
          { state: 'noTest' },
          { state: 'noTest' },
        ],
        2,
      ),
    ).toEqual({
      criteria: 7,
      proven: 1,
      failing: 1,
      stale: 1,
      changed: 1,
      notRun: 1,
      noTest: 2,
      unproven: 6,
      staleTests: 2,
    });
    expect(summarizeStates([])).toEqual({
      criteria: 0,
      proven: 0,
      failing: 0,
      stale: 0,
      changed: 0,
      notRun: 0,
      noTest: 0,
      unproven: 0,
      staleTests: 0,
    });
  });
});

// ─── properties ─────────────────────────────────────────────────────────────────────────────────────

const TIMES = [T0, T1, T2];
const STATUSES = ['PASSED', 'FAILED', 'TODO', 'EXECUTING', 'ABORTED', 'BLOCKED'];

const worldArbitrary = fc
  .record({
    criteria: fc.uniqueArray(
      fc.record({
        n: fc.nat({ max: 30 }),
        revision: fc.integer({ min: 1, max: 3 }),
        since: fc.constantFrom(...TIMES),
      }),
      { minLength: 1, maxLength: 6, selector: ({ n }) => n },
    ),
    tests: fc.integer({ min: 0, max: 8 }),
  })
  .chain(({ criteria, tests }) => {
    const stateCriteria = criteria.map(({ n, revision, since }) => ({
      ...criterion(`criterion ${n}`),
      revision,
      since,
    }));
    return fc.record({
      criteria: fc.constant(stateCriteria),
      mappings: fc.array(
        fc.record({
          test: fc.integer({ min: 1, max: Math.max(1, tests) }),
          criteria: fc.subarray(stateCriteria, { minLength: 1 }),
          source: fc.constantFrom(...MAPPING_SOURCES),
        }),
        { maxLength: 12 },
      ),
      results: fc.array(
        fc.record({
          test: fc.integer({ min: 1, max: Math.max(1, tests) }),
          status: fc.constantFrom(...STATUSES),
          at: fc.option(fc.constantFrom(...TIMES), { nil: undefined }),
        }),
        { maxLength: 12 },
      ),
    });
  })
  .map(({ criteria, mappings, results }) => ({
    criteria,
    mappings: mappings.map(({ test, criteria: mapped, source }) => map(String(test), mapped, source)),
    results: results.map(({ test, status, at }) => result(String(test), status, at)),
  }));

const shuffled = <T>(items: readonly T[], keys: readonly number[]): T[] =>
  items
    .map((item, index) => ({ item, key: keys[index % Math.max(1, keys.length)] ?? 0, index }))
    .sort((a, b) => a.key - b.key || b.index - a.index)
    .map(({ item }) => item);

describe('criterionStates properties', () => {
  it('the counts add up: every criterion has exactly one state', () => {
    fc.assert(
      fc.property(worldArbitrary, ({ criteria, mappings, results }) => {
        const summary = summarizeStates(criterionStates(criteria, mappings, results));
        expect(summary.criteria).toBe(criteria.length);
        expect(summary.proven + summary.failing + summary.changed + summary.notRun + summary.noTest).toBe(
          summary.criteria,
        );
        expect(summary.unproven).toBe(summary.criteria - summary.proven);
      }),
    );
  });

  it('the state does not depend on the order of mappings or results', () => {
    fc.assert(
      fc.property(
        worldArbitrary,
        fc.array(fc.nat(), { minLength: 1 }),
        ({ criteria, mappings, results }, keys) => {
          const first = criterionStates(criteria, mappings, results).map(({ state }) => state);
          const again = criterionStates(criteria, shuffled(mappings, keys), shuffled(results, keys)).map(
            ({ state }) => state,
          );
          expect(again).toEqual(first);
        },
      ),
    );
  });

  it('a counted test whose only result is a failure makes each of its criteria failing', () => {
    fc.assert(
      fc.property(
        worldArbitrary,
        fc.constantFrom('FAILED', 'ABORTED'),
        ({ criteria, mappings, results }, status) => {
          const failingTest = '999';
          const target = criteria[0] as StateCriterion;
          const states = criterionStates(
            criteria,
            [...mappings, map(failingTest, [target], 'manual')],
            [...results, result(failingTest, status, T2)],
          );
          expect(states[0]?.state).toBe('failing');
        },
      ),
    );
  });

  it('unmapping a test never turns a criterion without a test into a covered one, let alone a proven one', () => {
    fc.assert(
      fc.property(worldArbitrary, fc.nat(), ({ criteria, mappings, results }, pick) => {
        const before = criterionStates(criteria, mappings, results);
        if (mappings.length === 0) return;
        const removed = mappings[pick % mappings.length] as TestMapping;
        const after = criterionStates(
          criteria,
          mappings.filter((mapping) => mapping !== removed),
          results,
        );
        after.forEach((state, index) => {
          if (before[index]?.state === 'noTest') expect(state.state).toBe('noTest');
        });
      }),
    );
  });

  it('a suggested mapping never changes any state', () => {
    fc.assert(
      fc.property(worldArbitrary, fc.nat(), ({ criteria, mappings, results }, n) => {
        const base = criterionStates(criteria, mappings, results).map(({ state }) => state);
        const target = criteria[n % criteria.length] as StateCriterion;
        const more = criterionStates(
          criteria,
          [...mappings, map(String(500 + n), [target], 'suggested')],
          results,
        );
        expect(more.map(({ state }) => state)).toEqual(base);
      }),
    );
  });

  it('proven means every counted test of the criterion passed, after its wording', () => {
    fc.assert(
      fc.property(worldArbitrary, ({ criteria, mappings, results }) => {
        for (const state of criterionStates(criteria, mappings, results)) {
          if (state.state !== 'proven') continue;
          expect(state.tests.length).toBeGreaterThan(0);
          for (const test of state.tests) {
            expect(test.outcome).toBe('passed');
            expect(test.stale).toBe(false);
          }
        }
      }),
    );
  });
});

describe('the traceability record', () => {
  it('fits one Forge storage value at its maximum', () => {
    const longKey = `ABCDEFGHIJ-${'9'.repeat(39)}`;
    const status = '測'.repeat(MAX_STATUS_NAME);
    const ids = Array.from({ length: 100 }, (_, index) => `ac-${index.toString(16).padStart(8, '0')}-9999`);
    const perTest = Math.floor(MAX_MAPPING_PAIRS / MAX_MAPPED_TESTS);
    const results = Array.from({ length: MAX_MAPPED_TESTS }, (_, index) => ({
      testIssueId: String(100_000_000_000_000_000 + index).slice(0, 18),
      status,
      coverage: 'UNKNOWN' as const,
      at: '2026-12-04T13:08:48.123+05:30',
    }));
    const record: TraceRecord = {
      version: 1,
      updatedAt: T2,
      issueKey: longKey,
      mappings: Array.from({ length: MAX_MAPPED_TESTS }, (_, index) => ({
        testIssueId: String(100_000_000_000_000_000 + index).slice(0, 18),
        testKey: longKey,
        criterionIds: ids.slice(0, perTest),
        source: 'suggested' as const,
        confidence: 0.55,
      })),
      latest: results,
      plans: Array.from({ length: MAX_PLAN_SCOPES }, (_, index) => ({
        key: longKey,
        id: String(900_000_000_000_000_000 + index).slice(0, 18),
        results,
      })),
      omittedTests: 1_000_000,
      indexed: {
        v: 1,
        criteria: 100,
        proven: 100,
        failing: 0,
        stale: 0,
        changed: 0,
        notRun: 0,
        noTest: 0,
        unproven: 0,
        staleTests: 100,
      },
      covering: Array.from({ length: MAX_MAPPED_TESTS }, (_, index) => ({
        testIssueId: String(100_000_000_000_000_000 + index).slice(0, 18),
        testKey: longKey,
      })),
      dismissed: Array.from({ length: MAX_DISMISSED }, (_, index) => ({
        testIssueId: String(100_000_000_000_000_000 + index).slice(0, 18),
        criterionId: ids[index % ids.length] ?? '',
        kind: 'unmapped' as const,
      })),
      suggestedAt: '2026-12-04T13:08:48.123+05:30',
    };
    // Test Execution scopes: as many results as fit their byte bound (without `coverage`, which
    // the runs listed do not carry).
    const executions: NonNullable<TraceRecord['executions']> = Array.from(
      { length: MAX_EXECUTION_SCOPES },
      (_, index) => ({ key: longKey, id: String(800_000_000_000_000_000 + index).slice(0, 18), results: [] }),
    );
    for (const result of results) {
      for (const execution of executions) {
        const { coverage: _none, ...listed } = result;
        execution.results.push(listed);
        if (scopeBytes(executions) > MAX_EXECUTION_SCOPE_BYTES) execution.results.pop();
      }
    }
    expect(scopeBytes(executions)).toBeGreaterThan(MAX_EXECUTION_SCOPE_BYTES - 300);
    record.executions = executions;
    const parsed = traceRecordSchema.parse(record);
    const bytes = Buffer.byteLength(JSON.stringify(parsed), 'utf8');
    expect(bytes).toBeLessThan(KVS_MAX_VALUE_BYTES);
    // Measured: 165,974 bytes of 245,760 before the Criteria view's fields (covering tests, dismissed
    // pairs, confidences, suggestedAt), 221,847 with them at their maximum; with Test Execution
    // scopes at their byte bound (MAX_EXECUTION_SCOPE_BYTES), 241,828.
    expect(bytes).toBeGreaterThan(235_000);
    // Over the pair limit, the record is refused rather than stored.
    expect(
      traceRecordSchema.safeParse({
        ...record,
        mappings: record.mappings.map((mapping) => ({ ...mapping, criterionIds: ids.slice(0, perTest + 1) })),
      }).success,
    ).toBe(false);
  });
});
