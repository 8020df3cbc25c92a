/**
 * Contract 1.3.0 update mode (issue 19 item 2): what the app may send (`mode: "updates"` with
 * `updates`, refused field by field otherwise) and how SQAI's verdicts are read, one by one
 * (`parseTestUpdates`).
 */
import {
  generationRequestSchema,
  generationSchema,
  parseTestUpdates,
  SQAI_CONTRACT_VERSION,
  testUpdateRequestSchema,
  UPDATE_LIMITS,
  type GenerationRequest,
  type TestToUpdate,
  type UpdateGenerationRequest,
} from '../../../src/clients/sqai-schemas';
import { deliverySchema } from '../../../src/webtrigger/delivery-schema';

const HASH = 'a'.repeat(64);
const steps = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ action: `Step ${index + 1}`, data: null, result: 'ok' }));

const manual: TestToUpdate = {
  key: 'DEMO-7',
  summary: 'Refund inside the window',
  testType: { name: 'Manual', kind: 'Steps' },
  criterionIds: ['ac-1'],
  reasons: [{ kind: 'criterionChanged', criterionId: 'ac-1' }],
  steps: [{ action: 'Ask for a refund after 29 days', data: null, result: 'Refunded within 30 days' }],
};
const cucumber: TestToUpdate = {
  key: 'DEMO-8',
  summary: 'Refund scenario',
  testType: { name: 'Cucumber', kind: 'Gherkin' },
  criterionIds: ['ac-1'],
  reasons: [{ kind: 'criterionChanged', criterionId: 'ac-1' }],
  gherkin: 'Scenario: refund\n  Given an order\n  When a refund is asked\n  Then it is paid',
};
const generic: TestToUpdate = {
  key: 'DEMO-9',
  summary: 'Refund audit',
  testType: { name: 'Generic', kind: 'Unstructured' },
  criterionIds: [],
  reasons: [{ kind: 'requirementChanged' }],
  definition: 'Check the refund audit log.',
};

const request = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  cloudId: 'cloud-1',
  issueId: '10101',
  issueKey: 'DEMO-1',
  contentHash: HASH,
  testTypes: [{ name: 'Manual', kind: 'Steps' }],
  maxTests: 5,
  mode: 'updates',
  updates: {
    changedCriteria: [{ id: 'ac-1', before: 'within 30 days', after: 'within 14 days' }],
    tests: [manual],
  },
  ...overrides,
});

const firstIssue = (value: unknown) => {
  const parsed = generationRequestSchema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0];
};

describe('update-mode requests (contract 1.3.0)', () => {
  it('is contract version 1.3.0', () => {
    expect(SQAI_CONTRACT_VERSION).toBe('1.3.0');
  });

  it('accepts an update-mode request, and a tests-mode one with or without `mode: "tests"`', () => {
    const parsed: GenerationRequest = generationRequestSchema.parse(request());
    const typed: UpdateGenerationRequest = { ...parsed, mode: 'updates', updates: parsed.updates! };
    expect(typed.updates.tests[0]?.key).toBe('DEMO-7');
    const { mode: _mode, updates: _updates, ...plain } = request();
    expect(generationRequestSchema.safeParse(plain).success).toBe(true);
    expect(generationRequestSchema.safeParse({ ...plain, mode: 'tests' }).success).toBe(true);
    expect(firstIssue({ ...plain, mode: 'refresh' })?.path).toEqual(['mode']);
  });

  it('requires `updates` with mode "updates", and refuses it without: a field-level error', () => {
    const { updates: _updates, ...withoutUpdates } = request();
    expect(firstIssue(withoutUpdates)).toMatchObject({
      path: ['updates'],
      message: 'required when mode is "updates"',
    });
    const { mode: _mode, ...withoutMode } = request();
    expect(firstIssue(withoutMode)).toMatchObject({ path: ['updates'], message: 'only with mode "updates"' });
    expect(firstIssue({ ...withoutMode, mode: 'tests' })?.path).toEqual(['updates']);
  });

  it('checks the changed criteria: 0–100, texts ≤ 500, not both null, each once', () => {
    const updates = (changedCriteria: unknown[], tests: unknown[] = [manual]) => ({ changedCriteria, tests });
    const issue = (value: unknown) => {
      const parsed = testUpdateRequestSchema.safeParse(value);
      return parsed.success ? undefined : parsed.error.issues[0];
    };
    // None changed is allowed only when every reason is "the requirement changed".
    expect(issue(updates([]))?.path).toEqual(['tests', 0, 'reasons', 0, 'criterionId']);
    expect(issue(updates([], [{ ...manual, reasons: [{ kind: 'requirementChanged' }] }]))).toBeUndefined();
    expect(issue(updates([{ id: 'ac-1', before: 'x'.repeat(501), after: 'y' }]))?.path).toEqual([
      'changedCriteria',
      0,
      'before',
    ]);
    expect(issue(updates([{ id: 'ac-1', before: 'x'.repeat(500), after: null }]))).toBeUndefined();
    expect(issue(updates([{ id: 'ac-1', before: null, after: null }]))).toMatchObject({
      path: ['changedCriteria', 0, 'after'],
      message: 'before and after cannot both be null',
    });
    expect(
      issue(
        updates([
          { id: 'ac-1', before: 'a', after: 'b' },
          { id: 'ac-1', before: null, after: 'c' },
        ]),
      ),
    ).toMatchObject({ path: ['changedCriteria', 1, 'id'] });
    const many = Array.from({ length: 101 }, (_, index) => ({ id: `ac-${index}`, before: null, after: 'x' }));
    expect(issue(updates(many))?.path).toEqual(['changedCriteria']);
    expect(
      issue(updates(many.slice(0, 100), [{ ...manual, reasons: [{ kind: 'requirementChanged' }] }])),
    ).toBe(undefined);
  });

  it('checks the tests: 1–100, each once, reasons naming a changed criterion, up to 100 steps', () => {
    const changedCriteria = [{ id: 'ac-1', before: 'a', after: 'b' }];
    const issue = (tests: unknown[]) => {
      const parsed = testUpdateRequestSchema.safeParse({ changedCriteria, tests });
      return parsed.success ? undefined : parsed.error.issues[0];
    };
    expect(issue([])?.path).toEqual(['tests']);
    expect(issue([manual, manual])).toMatchObject({ path: ['tests', 1, 'key'] });
    expect(issue([{ ...manual, reasons: [] }])?.path).toEqual(['tests', 0, 'reasons']);
    expect(
      issue([{ ...manual, reasons: [{ kind: 'criterionChanged', criterionId: 'ac-9' }] }]),
    ).toMatchObject({
      path: ['tests', 0, 'reasons', 0, 'criterionId'],
    });
    expect(issue([{ ...manual, reasons: [{ kind: 'criterionRemoved' }] }])?.path).toEqual([
      'tests',
      0,
      'reasons',
      0,
      'criterionId',
    ]);
    expect(issue([{ ...manual, reasons: [{ kind: 'stale' }] }])?.path).toEqual([
      'tests',
      0,
      'reasons',
      0,
      'kind',
    ]);
    // Update mode allows 100 steps a test (a generated test has at most 50).
    expect(UPDATE_LIMITS.stepsPerTest).toBe(100);
    expect(issue([{ ...manual, steps: steps(100) }])).toBeUndefined();
    expect(issue([{ ...manual, steps: steps(101) }])?.path).toEqual(['tests', 0, 'steps']);
    const tests = Array.from({ length: 101 }, (_, index) => ({ ...manual, key: `DEMO-${index + 1}` }));
    expect(issue(tests.slice(0, 100))).toBeUndefined();
    expect(issue(tests)?.path).toEqual(['tests']);
    // What the app sends is exact: an unknown field is refused.
    expect(issue([{ ...manual, extra: true }])?.code).toBe('unrecognized_keys');
  });
});

describe('parseTestUpdates: SQAI’s verdicts, one by one', () => {
  const requested = [manual, cucumber, generic];

  it('keeps valid verdicts of each kind, with their reason and criteria; drops content of a non-update', () => {
    const { valid, invalid } = parseTestUpdates(
      [
        {
          testKey: 'DEMO-7',
          verdict: 'update',
          steps: steps(100),
          reason: 'Criterion changed: "30" → "14"',
          criterionIds: ['ac-1'],
          unknownField: 1,
        },
        { testKey: 'DEMO-8', verdict: 'update', gherkin: `${cucumber.gherkin ?? ''}\n  And it is logged` },
        { testKey: 'DEMO-9', verdict: 'obsolete', definition: 'ignored', reason: 'Criterion removed' },
      ],
      requested,
    );
    expect(invalid).toEqual([]);
    expect(valid).toEqual([
      {
        testKey: 'DEMO-7',
        verdict: 'update',
        steps: steps(100),
        reason: 'Criterion changed: "30" → "14"',
        criterionIds: ['ac-1'],
      },
      {
        testKey: 'DEMO-8',
        verdict: 'update',
        gherkin: expect.stringContaining('And it is logged') as unknown,
      },
      { testKey: 'DEMO-9', verdict: 'obsolete', reason: 'Criterion removed' },
    ]);
    expect(
      parseTestUpdates([{ testKey: 'DEMO-9', verdict: 'update', definition: 'New.' }], requested).valid,
    ).toEqual([{ testKey: 'DEMO-9', verdict: 'update', definition: 'New.' }]);
  });

  it('refuses each bad item with its reason and keeps the others', () => {
    const { valid, invalid } = parseTestUpdates(
      [
        { testKey: 'DEMO-7', verdict: 'rewrite', steps: steps(1) },
        { testKey: 'DEMO-99', verdict: 'valid' },
        { testKey: 'DEMO-9', verdict: 'valid' },
        { testKey: 'DEMO-9', verdict: 'obsolete' },
        { testKey: 'DEMO-8', verdict: 'update', gherkin: 'Scenario Outline: broken\n  Given <x>' },
        { verdict: 'valid' },
        'not an object',
        { testKey: 'DEMO-7', verdict: 'valid', reason: 'x'.repeat(2_001) },
      ],
      requested,
    );
    expect(valid).toEqual([{ testKey: 'DEMO-9', verdict: 'valid' }]);
    expect(invalid.map(({ index, testKey, reason }) => [index, testKey, reason])).toEqual([
      [0, 'DEMO-7', expect.stringMatching(/^verdict: /)],
      [1, 'DEMO-99', 'testKey: not one of the requested tests'],
      [3, 'DEMO-9', 'testKey: the same test appears twice'],
      [4, 'DEMO-8', expect.stringMatching(/^gherkin: .*Examples/)],
      [5, undefined, expect.stringMatching(/^testKey: /)],
      [6, undefined, expect.stringMatching(/^update: /)],
      [7, 'DEMO-7', expect.stringMatching(/^reason: /)],
    ]);
  });

  it.each([
    [{ testKey: 'DEMO-7', verdict: 'update' }, 'steps: an update of a Steps test needs steps'],
    [{ testKey: 'DEMO-7', verdict: 'update', steps: [] }, 'steps: an update of a Steps test needs steps'],
    [{ testKey: 'DEMO-7', verdict: 'update', steps: steps(101) }, /^steps: /],
    [
      { testKey: 'DEMO-7', verdict: 'update', gherkin: cucumber.gherkin },
      'gherkin: the test is of kind Steps, updated with steps',
    ],
    [
      { testKey: 'DEMO-8', verdict: 'update', steps: steps(1) },
      'steps: the test is of kind Gherkin, updated with gherkin',
    ],
    [
      { testKey: 'DEMO-9', verdict: 'update', steps: steps(1), definition: 'Also this.' },
      'steps: the test is of kind Unstructured, updated with definition',
    ],
  ])('refuses an update whose content is missing or of another kind: %j', (item, reason) => {
    const { valid, invalid } = parseTestUpdates([item], requested);
    expect(valid).toEqual([]);
    expect(invalid).toEqual([
      {
        index: 0,
        testKey: item.testKey,
        reason: typeof reason === 'string' ? reason : (expect.stringMatching(reason) as unknown),
      },
    ]);
  });

  it('refuses an Unstructured update with a blank definition, and a Gherkin update without Gherkin', () => {
    const { invalid } = parseTestUpdates(
      [
        { testKey: 'DEMO-9', verdict: 'update', definition: '   ' },
        { testKey: 'DEMO-8', verdict: 'update', gherkin: null },
      ],
      requested,
    );
    expect(invalid.map(({ reason }) => reason)).toEqual([
      'definition: an update of an Unstructured test needs a definition that is not blank',
      'gherkin: an update of a Gherkin test needs Gherkin',
    ]);
  });

  it('reads `updates` in a generation answer (≤ 100, unknown items checked later); an answer without them is fine', () => {
    const answer = generationSchema.parse({
      id: 'gen-1',
      status: 'succeeded',
      updates: [{ anything: true }],
    });
    expect(answer.updates).toEqual([{ anything: true }]);
    expect(generationSchema.parse({ id: 'gen-1', status: 'succeeded' }).updates).toBeUndefined();
    expect(
      generationSchema.safeParse({
        id: 'gen-1',
        status: 'succeeded',
        updates: Array.from({ length: 101 }, () => ({})),
      }).success,
    ).toBe(false);
  });

  it('reads `updates` in a generation.succeeded delivery too (≤ 100), and a delivery without them', () => {
    const delivery = (updates?: unknown[]) => ({
      type: 'generation.succeeded',
      timestamp: '2026-12-04T12:00:00Z',
      data: {
        id: 'gen-1',
        cloudId: 'cloud-1',
        issueId: '10101',
        issueKey: 'DEMO-1',
        tests: [],
        ...(updates ? { updates } : {}),
      },
    });
    const parsed = deliverySchema.parse(delivery([{ testKey: 'DEMO-7', verdict: 'valid' }]));
    expect(parsed.type === 'generation.succeeded' && parsed.data.updates).toEqual([
      { testKey: 'DEMO-7', verdict: 'valid' },
    ]);
    expect(deliverySchema.safeParse(delivery()).success).toBe(true);
    expect(deliverySchema.safeParse(delivery(Array.from({ length: 101 }, () => ({})))).success).toBe(false);
  });
});
