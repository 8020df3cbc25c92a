/**
 * The workflow gate's decision (issue 18, item 4; docs/criteria.md "Workflow gate"): from stored
 * state only, `covered` or `proven`, the latest run overall or a chosen Test Plan's, fail-closed by
 * default when nothing is stored, and a one-line refusal that names the issue's own criteria but
 * never a test.
 */
import fc from 'fast-check';
import { criterionIdFor } from '../../../src/criteria/ids';
import type { CriteriaRecord } from '../../../src/criteria/schema';
import type { TestMapping, TestResult, TraceRecord } from '../../../src/criteria/state';
import type { StoredTraceability } from '../../../src/criteria/store';
import {
  cut,
  decideGate,
  gateOptionsSchema,
  gateSummary,
  MAX_GATE_MESSAGE,
  refusalMessage,
  UNKNOWN_MESSAGE,
  type GateOptionsInput,
} from '../../../src/criteria/workflow-gate';

const T0 = '2026-11-01T10:00:00.000Z';
const T2 = '2026-11-20T10:00:00.000Z';

const TEXTS = [
  'Declined cards show "Your bank declined the payment" and the shopper can pick another card',
  'Refunds are issued to the original card within 5 working days',
  'The total includes VAT',
];

function stored(
  options: {
    texts?: string[];
    mappings?: TestMapping[];
    latest?: TestResult[];
    plans?: TraceRecord['plans'];
    omittedTests?: number;
  } = {},
): StoredTraceability {
  const texts = options.texts ?? TEXTS;
  const criteria: CriteriaRecord = {
    version: 1,
    updatedAt: T0,
    criteria: texts.map((text) => ({
      id: criterionIdFor(text),
      text,
      source: 'list',
      revision: 1,
      since: T0,
    })),
    removed: [],
  };
  return {
    issueId: '10001',
    criteria,
    trace: {
      version: 1,
      updatedAt: T2,
      issueKey: 'DEMO-1',
      mappings: options.mappings ?? [],
      latest: options.latest ?? [],
      plans: options.plans ?? [],
      omittedTests: options.omittedTests ?? 0,
    },
  };
}

const mapping = (testIssueId: string, texts: string[]): TestMapping => ({
  testIssueId,
  testKey: `SECRET-${testIssueId}`,
  criterionIds: texts.map(criterionIdFor),
  source: 'generated',
});
const passed = (testIssueId: string): TestResult => ({ testIssueId, status: 'PASSED', at: T2 });
const failed = (testIssueId: string): TestResult => ({ testIssueId, status: 'FAILED', at: T2 });

const options = (input: GateOptionsInput = {}) => gateOptionsSchema.parse(input);
const [declined = '', refunds = '', vat = ''] = TEXTS;
const allMapped = [mapping('201', [declined]), mapping('202', [refunds]), mapping('203', [vat])];

describe('gate options', () => {
  it('default to proven, the latest run overall, refusing when nothing is stored', () => {
    expect(options()).toEqual({ require: 'proven', whenUnknown: 'refuse' });
  });

  it('refuse unknown fields and malformed values', () => {
    expect(gateOptionsSchema.safeParse({ require: 'tested' }).success).toBe(false);
    expect(gateOptionsSchema.safeParse({ testPlanKey: 'not a key' }).success).toBe(false);
    expect(gateOptionsSchema.safeParse({ require: 'proven', extra: true }).success).toBe(false);
    expect(gateOptionsSchema.safeParse({ whenUnknown: 'maybe' }).success).toBe(false);
  });
});

describe('decideGate', () => {
  it('refuses while criteria are not proven, naming them, and allows once every test passed', () => {
    const state = stored({ mappings: allMapped, latest: [passed('201'), failed('202')] });
    const refused = decideGate(state, options());
    expect(refused).toMatchObject({ allow: false, reason: 'blocked' });
    if (refused.allow) throw new Error('expected a refusal');
    expect(refused.message).toBe(
      '2 acceptance criteria are not proven (1 failing, 1 not run): “Refunds are issued to the original card within 5 working da…”, “The total includes VAT” (SQAI Connector)',
    );
    expect(refused.blocking).toEqual([criterionIdFor(refunds), criterionIdFor(vat)]);
    const allowed = decideGate(
      stored({ mappings: allMapped, latest: [passed('201'), passed('202'), passed('203')] }),
      options(),
    );
    expect(allowed).toEqual({ allow: true, reason: 'satisfied' });
  });

  it('under "covered" only criteria without a test block, whatever the results', () => {
    const state = stored({
      mappings: [mapping('201', [declined]), mapping('202', [refunds])],
      latest: [failed('201')],
    });
    const decision = decideGate(state, options({ require: 'covered' }));
    if (decision.allow) throw new Error('expected a refusal');
    expect(decision.message).toBe(
      '1 acceptance criterion is not covered by a test: “The total includes VAT” (SQAI Connector)',
    );
    const inPlan = decideGate(state, options({ require: 'covered', testPlanKey: 'DEMO-50' }));
    expect(inPlan).toMatchObject({ allow: false, message: decision.message });
    expect(decideGate(stored({ mappings: allMapped }), options({ require: 'covered' }))).toEqual({
      allow: true,
      reason: 'satisfied',
    });
  });

  it("counts only the chosen Test Plan's results; a plan with no results kept has run nothing", () => {
    const state = stored({
      mappings: allMapped,
      latest: [passed('201'), passed('202'), passed('203')],
      plans: [{ key: 'DEMO-50', id: '10050', results: [passed('201'), passed('202')] }],
    });
    expect(decideGate(state, options()).allow).toBe(true);
    const inPlan = decideGate(state, options({ testPlanKey: 'DEMO-50' }));
    if (inPlan.allow) throw new Error('expected a refusal');
    expect(inPlan.message).toBe(
      '1 acceptance criterion is not proven in Test Plan DEMO-50 (not run): “The total includes VAT” (SQAI Connector)',
    );
    const unknownPlan = decideGate(state, options({ testPlanKey: 'DEMO-51' }));
    expect(unknownPlan).toMatchObject({ allow: false, blocking: allMapped.flatMap((m) => m.criterionIds) });
    expect(gateSummary(state, { testPlanKey: 'DEMO-50' })).toMatchObject({
      proven: 2,
      notRun: 1,
      unproven: 1,
    });
  });

  it('with nothing stored refuses by default (fail-closed) and allows when configured to', () => {
    expect(decideGate(undefined, options())).toEqual({
      allow: false,
      reason: 'unknown',
      message: UNKNOWN_MESSAGE,
      blocking: [],
    });
    expect(decideGate(undefined, options({ whenUnknown: 'allow' }))).toEqual({
      allow: true,
      reason: 'unknown-allowed',
    });
  });

  it('an incomplete state (tests left out) is unknown under "proven", but enough for "covered"', () => {
    const state = stored({
      mappings: allMapped,
      latest: [passed('201'), passed('202'), passed('203')],
      omittedTests: 3,
    });
    expect(decideGate(state, options())).toMatchObject({ allow: false, reason: 'unknown' });
    expect(decideGate(state, options({ require: 'covered' }))).toEqual({ allow: true, reason: 'satisfied' });
  });

  it('an issue without criteria passes: there is nothing to prove', () => {
    expect(decideGate(stored({ texts: [] }), options())).toEqual({ allow: true, reason: 'no-criteria' });
  });

  it('never names a test, its key or its status', () => {
    const state = stored({ mappings: allMapped, latest: [failed('201'), failed('202'), failed('203')] });
    const decision = decideGate(state, options());
    if (decision.allow) throw new Error('expected a refusal');
    expect(decision.message).not.toMatch(/SECRET|20[123]|FAILED/);
  });
});

describe('refusalMessage', () => {
  it('names at most three criteria, each cut, and counts the others', () => {
    const blocking = Array.from({ length: 7 }, (_, index) => ({
      text: `Criterion number ${index + 1} ${'with a long explanation '.repeat(4)}`.trim(),
      state: 'noTest' as const,
    }));
    const message = refusalMessage(blocking, { require: 'proven' });
    expect(message).toMatch(
      /^7 acceptance criteria are not proven \(without a test\): “Criterion number 1 with/,
    );
    expect(message).toMatch(
      /…”, “Criterion number 2 .*…”, “Criterion number 3 .*…” and 4 others \(SQAI Connector\)$/,
    );
    expect(message.length).toBeLessThanOrEqual(MAX_GATE_MESSAGE);
  });

  it('is one line within the limit for any criteria texts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 500 }),
            state: fc.constantFrom(
              'failing' as const,
              'changed' as const,
              'notRun' as const,
              'noTest' as const,
            ),
          }),
          { minLength: 1, maxLength: 100 },
        ),
        fc.constantFrom('covered' as const, 'proven' as const),
        (blocking, require) => {
          const oneLine = blocking.map(({ text, state }) => ({
            text: text.replace(/\s+/g, ' ').trim() || 'x',
            state,
          }));
          const message = refusalMessage(oneLine, { require, testPlanKey: 'PLAN-12345' });
          expect(message.length).toBeLessThanOrEqual(MAX_GATE_MESSAGE);
          expect(message).not.toMatch(/\n/);
          expect(message.endsWith('(SQAI Connector)')).toBe(true);
          expect(message.startsWith(`${blocking.length} acceptance criteri`)).toBe(true);
        },
      ),
    );
  });

  it('cuts between code points', () => {
    expect(cut('😀😀😀😀', 3)).toBe('😀😀…');
    expect(cut('short', 10)).toBe('short');
  });
});
