/**
 * Possibly stale tests (issue 19 item 1; src/living/baselines.ts): which tests the app flags when a
 * requirement's criteria change, and why — precise (only the tests mapped to the changed criterion),
 * blind to cosmetic edits, with before → after wording, and within one storage value.
 */
import fc from 'fast-check';
import { updateCriteria } from '../../../src/criteria/record';
import type { CriteriaRecord } from '../../../src/criteria/schema';
import {
  criterionStates,
  traceRecordSchema,
  type TestMapping,
  type TraceRecord,
} from '../../../src/criteria/state';
import { decideGate, gateOptionsSchema, gateSummary } from '../../../src/criteria/workflow-gate';
import {
  criterionWordingHash,
  livingRecordSchema,
  markReviewed,
  MAX_BASELINE_PAIRS,
  MAX_LIVING_TESTS,
  MAX_LIVING_TEXTS,
  recordBaselines,
  requirementVersionOf,
  stalePairsOf,
  staleTestsOf,
  withGeneratedBaselines,
  withPairBaseline,
  type LivingRecord,
} from '../../../src/living/baselines';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';

const T0 = '2026-12-01T09:00:00.000Z';
const T1 = '2026-12-02T09:00:00.000Z';
const T2 = '2026-12-03T09:00:00.000Z';
const T3 = '2026-12-04T09:00:00.000Z';

const REFUNDS = 'Refunds are issued to the original card within 30 days';
const VAT = 'The order total includes VAT for EU shoppers';
const RECEIPT = 'A receipt is emailed to the shopper after payment';

/** The criteria record after the description says `texts` (ids kept as the app keeps them). */
function criteriaAfter(
  previous: CriteriaRecord | undefined,
  texts: readonly string[],
  at: string,
): CriteriaRecord {
  return updateCriteria(
    previous,
    texts.map((text) => ({ text, source: 'list' as const })),
    at,
  ).record;
}

const idOf = (record: CriteriaRecord, text: string): string => {
  const found = record.criteria.find((criterion) => criterion.text === text);
  if (!found) throw new Error(`no criterion "${text}"`);
  return found.id;
};

/** DEMO-2's tests: DEMO-21 proves refunds, DEMO-22 VAT, DEMO-23 refunds and the receipt, DEMO-24 covers it unmapped. */
function demoTrace(criteria: CriteriaRecord): TraceRecord {
  const refunds = idOf(criteria, REFUNDS);
  const vat = idOf(criteria, VAT);
  const receipt = idOf(criteria, RECEIPT);
  const mappings: TestMapping[] = [
    { testIssueId: '10021', testKey: 'DEMO-21', criterionIds: [refunds], source: 'generated' },
    { testIssueId: '10022', testKey: 'DEMO-22', criterionIds: [vat], source: 'manual' },
    { testIssueId: '10023', testKey: 'DEMO-23', criterionIds: [refunds, receipt], source: 'confirmed' },
    // A suggestion does not count: DEMO-24 proves nothing yet.
    { testIssueId: '10024', testKey: 'DEMO-24', criterionIds: [vat], source: 'suggested', confidence: 0.7 },
  ];
  return traceRecordSchema.parse({
    version: 1,
    updatedAt: T0,
    issueKey: 'DEMO-2',
    mappings,
    latest: ['10021', '10022', '10023', '10024'].map((testIssueId) => ({
      testIssueId,
      status: 'PASSED',
      at: T0,
    })),
    plans: [],
    covering: ['21', '22', '23', '24'].map((n) => ({ testIssueId: `100${n}`, testKey: `DEMO-${n}` })),
  });
}

function setUp() {
  const criteria = criteriaAfter(undefined, [REFUNDS, VAT, RECEIPT], T0);
  const trace = demoTrace(criteria);
  const living = recordBaselines(undefined, criteria, trace, T0);
  if (!living) throw new Error('no living record');
  return { criteria, trace, living };
}

const keysOf = (stale: ReturnType<typeof staleTestsOf>) => stale.map((test) => test.testKey);

describe('wording hashes', () => {
  it('ignore case, punctuation and whitespace, not words or numbers', () => {
    expect(criterionWordingHash(REFUNDS)).toMatch(/^[0-9a-f]{16}$/);
    expect(criterionWordingHash('refunds are issued to the original card — within 30 days!')).toBe(
      criterionWordingHash(REFUNDS),
    );
    expect(criterionWordingHash(REFUNDS.replace('30', '14'))).not.toBe(criterionWordingHash(REFUNDS));
    expect(criterionWordingHash('Pay 1.5 EUR')).not.toBe(criterionWordingHash('Pay 15 EUR'));
  });

  it('the requirement version does not depend on the criteria order', () => {
    const a = requirementVersionOf([{ text: REFUNDS }, { text: VAT }]);
    expect(requirementVersionOf([{ text: VAT }, { text: REFUNDS }])).toBe(a);
    expect(requirementVersionOf([{ text: VAT }])).not.toBe(a);
  });
});

describe('staleTestsOf', () => {
  it('flags nothing right after the baselines are taken', () => {
    const { criteria, trace, living } = setUp();
    expect(living.tests.map((test) => [test.testKey, Object.keys(test.criteria).length, test.by])).toEqual([
      ['DEMO-21', 1, 'seen'],
      ['DEMO-22', 1, 'seen'],
      ['DEMO-23', 2, 'seen'],
      ['DEMO-24', 0, 'seen'],
    ]);
    expect(staleTestsOf(criteria, trace, living)).toEqual([]);
  });

  it('editing one criterion flags exactly the tests mapped to it, with the wording before → after', () => {
    const { criteria, trace, living } = setUp();
    const edited = REFUNDS.replace('within 30 days', 'within 14 days');
    const next = criteriaAfter(criteria, [edited, VAT, RECEIPT], T1);
    const refunds = idOf(criteria, REFUNDS);
    expect(idOf(next, edited)).toBe(refunds);
    const stale = staleTestsOf(next, trace, living);
    expect(keysOf(stale)).toEqual(['DEMO-21', 'DEMO-23', 'DEMO-24']);
    const reason = {
      kind: 'criterionChanged',
      criterionId: refunds,
      number: 1,
      before: REFUNDS,
      after: edited,
    };
    expect(stale[0]?.reasons).toEqual([reason]);
    // DEMO-23 also proves the receipt, which did not change: only the refunds criterion is its reason.
    expect(stale[1]?.reasons).toEqual([reason]);
    // DEMO-24 proves no criterion: the requirement changed since it was seen.
    expect(stale[2]?.reasons).toEqual([{ kind: 'requirementChanged' }]);
    // The VAT criterion's test is not flagged, and only refunds pairs are stale.
    expect(stalePairsOf(stale)).toEqual(new Set([`10021 ${refunds}`, `10023 ${refunds}`]));
    const states = criterionStates(next.criteria, trace.mappings, trace.latest, stalePairsOf(stale));
    expect(states.map((state) => state.state)).toEqual(['stale', 'proven', 'proven']);
  });

  it('a case, punctuation or whitespace edit flags nothing', () => {
    const { criteria, trace, living } = setUp();
    const next = criteriaAfter(
      criteria,
      ['refunds are issued to the original card,  within 30 days!', VAT.toUpperCase(), `${RECEIPT}.`],
      T1,
    );
    expect(staleTestsOf(next, trace, living)).toEqual([]);
  });

  it('an unmapped covering test is flagged once per change: cleared when reviewed, flagged again on the next', () => {
    const { criteria, trace, living } = setUp();
    const v2 = criteriaAfter(criteria, [REFUNDS, VAT, RECEIPT, 'Gift cards cannot be refunded'], T1);
    expect(staleTestsOf(v2, trace, living).map((test) => [test.testKey, test.reasons])).toEqual([
      ['DEMO-24', [{ kind: 'requirementChanged' }]],
    ]);
    const reviewed = markReviewed(living, v2, trace, ['10024'], T2, 'reviewed');
    expect(reviewed.tests.find((test) => test.testIssueId === '10024')).toMatchObject({
      by: 'reviewed',
      at: T2,
    });
    expect(staleTestsOf(v2, trace, reviewed)).toEqual([]);
    const v3 = criteriaAfter(v2, [REFUNDS, VAT, RECEIPT, 'Gift cards cannot be refunded or exchanged'], T3);
    expect(keysOf(staleTestsOf(v3, trace, reviewed))).toEqual(['DEMO-24']);
  });

  it('a removed criterion flags its tests as criterionRemoved, with the wording they were written against', () => {
    const { criteria, trace, living } = setUp();
    const receipt = idOf(criteria, RECEIPT);
    const next = criteriaAfter(criteria, [REFUNDS, VAT], T1);
    expect(next.removed.map((removed) => removed.id)).toEqual([receipt]);
    const stale = staleTestsOf(next, trace, living);
    expect(stale.map((test) => [test.testKey, test.reasons])).toEqual([
      ['DEMO-23', [{ kind: 'criterionRemoved', criterionId: receipt, before: RECEIPT }]],
      ['DEMO-24', [{ kind: 'requirementChanged' }]],
    ]);
    // The test still proves the refunds criterion, which did not change: it is not stale for it.
    expect(stalePairsOf(stale)).toEqual(new Set());
  });

  it('the before text survives several changes (captured when the baseline was taken)', () => {
    const { criteria, trace, living } = setUp();
    const v2 = criteriaAfter(criteria, [REFUNDS.replace('30', '21'), VAT, RECEIPT], T1);
    const kept = recordBaselines(living, v2, trace, T1);
    const v3 = criteriaAfter(v2, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T2);
    const reason = staleTestsOf(v3, trace, kept)[0]?.reasons[0];
    expect(reason).toMatchObject({
      kind: 'criterionChanged',
      before: REFUNDS,
      after: REFUNDS.replace('30', '14'),
    });
  });

  it('a test whose baseline text was not kept still says what changed, without the before wording', () => {
    const { criteria, trace, living } = setUp();
    const next = criteriaAfter(criteria, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T1);
    const withoutTexts: LivingRecord = { ...living, texts: [] };
    expect(staleTestsOf(next, trace, withoutTexts)[0]?.reasons[0]).toEqual({
      kind: 'criterionChanged',
      criterionId: idOf(criteria, REFUNDS),
      number: 1,
      after: REFUNDS.replace('30', '14'),
    });
  });

  it('no criteria: nothing is flagged, nothing recorded', () => {
    const { trace, living } = setUp();
    const none = criteriaAfter(undefined, [], T1);
    expect(staleTestsOf(none, trace, living)).toEqual([]);
    expect(recordBaselines(undefined, none, trace, T1)).toBeUndefined();
  });
});

describe('baselines', () => {
  it('a test first seen after the change is baselined at the current wording (not flagged)', () => {
    const { criteria, trace, living } = setUp();
    const next = criteriaAfter(criteria, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T1);
    const newTrace = traceRecordSchema.parse({
      ...trace,
      mappings: [
        ...trace.mappings,
        {
          testIssueId: '10025',
          testKey: 'DEMO-25',
          criterionIds: [idOf(criteria, REFUNDS)],
          source: 'manual',
        },
      ],
      covering: [...(trace.covering ?? []), { testIssueId: '10025', testKey: 'DEMO-25' }],
    });
    const kept = recordBaselines(living, next, newTrace, T1);
    expect(keysOf(staleTestsOf(next, newTrace, kept))).toEqual(['DEMO-21', 'DEMO-23', 'DEMO-24']);
  });

  it('a new counted mapping takes the criterion’s current wording; an existing one keeps its baseline', () => {
    const { criteria, trace, living } = setUp();
    const vat = idOf(criteria, VAT);
    const editedVat = VAT.replace('EU shoppers', 'shoppers in the EU and UK');
    const next = criteriaAfter(criteria, [REFUNDS, editedVat, RECEIPT], T1);
    // A person confirms DEMO-24 proves VAT (after the edit): it was reviewed against the new wording.
    const confirmed = traceRecordSchema.parse({
      ...trace,
      mappings: trace.mappings.map((mapping) =>
        mapping.testIssueId === '10024' ? { ...mapping, source: 'confirmed' } : mapping,
      ),
    });
    const kept = recordBaselines(living, next, confirmed, T1);
    expect(kept?.tests.find((test) => test.testIssueId === '10024')?.criteria[vat]).toBe(
      criterionWordingHash(editedVat),
    );
    expect(keysOf(staleTestsOf(next, confirmed, kept))).toEqual(['DEMO-22']);
  });

  it('mapping or confirming a pair resets its baseline; unmapping drops it', () => {
    const { criteria, trace, living } = setUp();
    const refunds = idOf(criteria, REFUNDS);
    const next = criteriaAfter(criteria, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T1);
    const pair = { testIssueId: '10021', testKey: 'DEMO-21', criterionId: refunds };
    const reset = withPairBaseline(living, next, pair, 'reset', T2);
    expect(keysOf(staleTestsOf(next, trace, reset))).toEqual(['DEMO-23', 'DEMO-24']);
    const dropped = withPairBaseline(
      living,
      next,
      { ...pair, testIssueId: '10023', testKey: 'DEMO-23' },
      'drop',
      T2,
    );
    expect(dropped?.tests.find((test) => test.testIssueId === '10023')?.criteria[refunds]).toBeUndefined();
    // Resetting what is already current changes nothing (the same object).
    expect(withPairBaseline(reset, next, pair, 'reset', T3)).toBe(reset);
  });

  it('generated tests are baselined at the wording they were generated against', () => {
    const { criteria, trace, living } = setUp();
    const refunds = idOf(criteria, REFUNDS);
    const next = criteriaAfter(criteria, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T1);
    const created = withGeneratedBaselines(
      living,
      next,
      [{ issueId: '10026', key: 'DEMO-26', criteria: { [refunds]: criterionWordingHash(REFUNDS) } }],
      T1,
    );
    expect(created?.tests.at(-1)).toMatchObject({ testKey: 'DEMO-26', by: 'generated' });
    const withTest = traceRecordSchema.parse({
      ...trace,
      mappings: [
        ...trace.mappings,
        { testIssueId: '10026', testKey: 'DEMO-26', criterionIds: [refunds], source: 'generated' },
      ],
    });
    expect(keysOf(staleTestsOf(next, withTest, created))).toContain('DEMO-26');
  });

  it('a test that no longer covers the requirement leaves the record', () => {
    const { criteria, trace, living } = setUp();
    const without = traceRecordSchema.parse({
      ...trace,
      mappings: trace.mappings.filter((mapping) => mapping.testIssueId !== '10022'),
      covering: (trace.covering ?? []).filter((test) => test.testIssueId !== '10022'),
    });
    expect(recordBaselines(living, criteria, without, T1)?.tests.map((test) => test.testKey)).toEqual([
      'DEMO-21',
      'DEMO-23',
      'DEMO-24',
    ]);
  });
});

describe('the gate', () => {
  it('refuses a stale criterion under `proven` ("1 stale") and lets it through under `covered`', () => {
    const { criteria, trace, living } = setUp();
    const next = criteriaAfter(criteria, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T1);
    const stored = { issueId: '10002', criteria: next, trace, living };
    const refused = decideGate(stored, gateOptionsSchema.parse({}));
    expect(refused).toMatchObject({ allow: false, reason: 'blocked', blocking: [idOf(criteria, REFUNDS)] });
    expect(refused.allow ? '' : refused.message).toContain('is not proven (stale)');
    expect(decideGate(stored, gateOptionsSchema.parse({ require: 'covered' }))).toEqual({
      allow: true,
      reason: 'satisfied',
    });
    expect(gateSummary(stored, {})).toMatchObject({ proven: 2, stale: 1, unproven: 1, staleTests: 3 });
    // Reviewed (updated) and run again since: proven again.
    const reviewed = markReviewed(living, next, trace, ['10021', '10023', '10024'], T2, 'updated');
    const rerun = { ...trace, latest: trace.latest.map((result) => ({ ...result, at: T3 })) };
    expect(decideGate({ ...stored, living: reviewed }, gateOptionsSchema.parse({}))).toMatchObject({
      allow: false,
      message: expect.stringContaining('(changed since tested)') as unknown,
    });
    expect(decideGate({ ...stored, trace: rerun, living: reviewed }, gateOptionsSchema.parse({}))).toEqual({
      allow: true,
      reason: 'satisfied',
    });
  });

  it('a failing test outranks stale; stale outranks changed since tested', () => {
    const { criteria, trace, living } = setUp();
    const next = criteriaAfter(criteria, [REFUNDS.replace('30', '14'), VAT, RECEIPT], T1);
    const pairs = stalePairsOf(staleTestsOf(next, trace, living));
    const failing = trace.latest.map((result) =>
      result.testIssueId === '10021' ? { ...result, status: 'FAILED' } : result,
    );
    expect(criterionStates(next.criteria, trace.mappings, failing, pairs)[0]?.state).toBe('failing');
    // Without the living record the reworded criterion whose tests passed before the edit is `changed`.
    expect(criterionStates(next.criteria, trace.mappings, trace.latest)[0]?.state).toBe('changed');
    expect(criterionStates(next.criteria, trace.mappings, trace.latest, pairs)[0]?.state).toBe('stale');
  });
});

describe('the stored record', () => {
  it('fits one Forge storage value at its maximum', () => {
    const wide = '界'.repeat(500);
    const id = (n: number) => `ac-${n.toString(16).padStart(8, '0')}-${1000 + (n % 8999)}`;
    const pairsPerTest = MAX_BASELINE_PAIRS / MAX_LIVING_TESTS;
    const hash = 'f'.repeat(16);
    const record: LivingRecord = {
      version: 1,
      updatedAt: '2026-12-04T09:00:00.000+14:00',
      tests: Array.from({ length: MAX_LIVING_TESTS }, (_, t) => ({
        testIssueId: `${'9'.repeat(15)}${100 + t}`,
        testKey: `${'A'.repeat(40)}-${String(100_000_000 + t)}`,
        criteria: Object.fromEntries(
          Array.from({ length: pairsPerTest }, (__, c) => [id(t * 100 + c), hash]),
        ),
        requirementVersion: hash,
        at: '2026-12-04T09:00:00.000+14:00',
        by: 'reviewed' as const,
        staleSince: '2026-12-04T09:00:00.000+14:00',
        listed: true as const,
      })),
      texts: Array.from({ length: MAX_LIVING_TEXTS }, (_, n) => ({ id: id(n), hash, text: wide })),
    };
    const parsed = livingRecordSchema.parse(record);
    const bytes = Buffer.byteLength(JSON.stringify(parsed), 'utf8');
    expect(bytes).toBeLessThan(KVS_MAX_VALUE_BYTES);
    // Measured: 240,617 bytes of 245,760 (the 120 texts are 182 KB of it; docs/living-tests.md).
    expect(bytes).toBeGreaterThan(200_000);
    // One more baseline or text is refused.
    const extraTest = record.tests[0];
    if (!extraTest) throw new Error('no test');
    expect(
      livingRecordSchema.safeParse({
        ...record,
        tests: [
          { ...extraTest, criteria: { ...extraTest.criteria, [id(99_999)]: hash } },
          ...record.tests.slice(1),
        ],
      }).success,
    ).toBe(false);
    expect(
      livingRecordSchema.safeParse({ ...record, texts: [...record.texts, record.texts[0]] }).success,
    ).toBe(false);
  });

  it('keeps at most MAX_LIVING_TEXTS wordings, the ones a reason needs (not current) first', () => {
    const texts = Array.from({ length: 100 }, (_, n) => `Criterion number ${n} holds for every shopper`);
    const criteria = criteriaAfter(undefined, texts, T0);
    const trace = traceRecordSchema.parse({
      version: 1,
      updatedAt: T0,
      issueKey: 'DEMO-2',
      mappings: [
        {
          testIssueId: '10021',
          testKey: 'DEMO-21',
          criterionIds: criteria.criteria.map((c) => c.id),
          source: 'manual',
        },
      ],
      latest: [],
      plans: [],
      covering: [{ testIssueId: '10021', testKey: 'DEMO-21' }],
    });
    const living = recordBaselines(undefined, criteria, trace, T0);
    expect(living?.texts).toHaveLength(100);
    const next = criteriaAfter(
      criteria,
      texts.map((text) => text.replace('every shopper', 'every registered shopper')),
      T1,
    );
    // Another test is mapped at the new wording: 200 wordings are referenced, 120 kept.
    const more = traceRecordSchema.parse({
      ...trace,
      mappings: [
        ...trace.mappings,
        {
          testIssueId: '10022',
          testKey: 'DEMO-22',
          criterionIds: next.criteria.map((c) => c.id),
          source: 'manual',
        },
      ],
      covering: [...(trace.covering ?? []), { testIssueId: '10022', testKey: 'DEMO-22' }],
    });
    const kept = recordBaselines(living, next, more, T1);
    expect(kept?.texts).toHaveLength(MAX_LIVING_TEXTS);
    const reasons = staleTestsOf(next, more, kept)[0]?.reasons ?? [];
    expect(reasons).toHaveLength(100);
    expect(reasons.every((reason) => reason.kind === 'criterionChanged' && reason.before !== undefined)).toBe(
      true,
    );
    expect(livingRecordSchema.safeParse(kept).success).toBe(true);
  });
});

// ─── properties ─────────────────────────────────────────────────────────────────────────────────────

const WORDS = [
  'card',
  'refund',
  'receipt',
  'shopper',
  'total',
  'tax',
  'email',
  'days',
  'within',
  'order',
  'paid',
];

describe('properties', () => {
  it('random edit sequences never flag a test whose criteria kept their wording', () => {
    // A step edits one criterion's words, or makes a cosmetic edit, or reviews a test.
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('edit' as const),
        at: fc.nat({ max: 4 }),
        word: fc.constantFrom(...WORDS),
      }),
      fc.record({ kind: fc.constant('cosmetic' as const), at: fc.nat({ max: 4 }) }),
      fc.record({ kind: fc.constant('review' as const), test: fc.nat({ max: 5 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 4 }), { maxLength: 3 }), { minLength: 6, maxLength: 6 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (mapped, steps) => {
          let texts = [
            REFUNDS,
            VAT,
            RECEIPT,
            'Saved cards show brand and expiry',
            'Declined cards show an error',
          ];
          let criteria = criteriaAfter(undefined, texts, T0);
          const ids = criteria.criteria.map((criterion) => criterion.id);
          const trace = traceRecordSchema.parse({
            version: 1,
            updatedAt: T0,
            issueKey: 'DEMO-2',
            mappings: mapped.flatMap((indexes, t) => {
              const criterionIds = [...new Set(indexes.map((index) => ids[index] ?? ''))];
              return criterionIds.length > 0
                ? [{ testIssueId: `1003${t}`, testKey: `DEMO-3${t}`, criterionIds, source: 'manual' }]
                : [];
            }),
            latest: [],
            plans: [],
            covering: mapped.map((_, t) => ({ testIssueId: `1003${t}`, testKey: `DEMO-3${t}` })),
          });
          let living = recordBaselines(undefined, criteria, trace, T0);
          // What each test was reviewed against, per criterion id (the model).
          const seen = new Map(
            mapped.map((indexes, t) => [
              `1003${t}`,
              new Map(indexes.map((index) => [ids[index] ?? '', texts[index] ?? ''])),
            ]),
          );
          steps.forEach((change, n) => {
            const at = new Date(Date.parse(T1) + n * 60_000).toISOString();
            if (change.kind === 'review') {
              const testIssueId = `1003${change.test}`;
              living = markReviewed(living, criteria, trace, [testIssueId], at, 'reviewed');
              const model = seen.get(testIssueId);
              model?.forEach((_, id) => {
                const index = ids.indexOf(id);
                model.set(id, texts[index] ?? '');
              });
              return;
            }
            texts = texts.map((text, index) => {
              if (index !== change.at) return text;
              return change.kind === 'edit' ? `${text} ${change.word}` : `${text.toUpperCase()}!`;
            });
            criteria = criteriaAfter(criteria, texts, at);
            // The ids are kept (one added word in a longer text stays similar).
            expect(criteria.criteria.map((criterion) => criterion.id)).toEqual(ids);
            living = recordBaselines(living, criteria, trace, at);
          });
          const stale = staleTestsOf(criteria, trace, living);
          for (const [testIssueId, model] of seen) {
            const flagged = stale.find((test) => test.testIssueId === testIssueId);
            const changed = [...model].filter(
              ([id, text]) =>
                criterionWordingHash(text) !== criterionWordingHash(texts[ids.indexOf(id)] ?? ''),
            );
            if (model.size === 0) continue; // unmapped: requirementChanged, checked elsewhere
            if (changed.length === 0) expect(flagged).toBeUndefined();
            else {
              expect(
                flagged?.reasons
                  .map((reason) => (reason.kind === 'criterionChanged' ? reason.criterionId : ''))
                  .sort(),
              ).toEqual(changed.map(([id]) => id).sort());
            }
          }
        },
      ),
    );
  });
});
