/**
 * The SQAI simulator's update mode (contract 1.3.0, issue 19 item 2), end to end through the app's
 * own SqaiClient: an update-mode generation is started, polled and answered with a verdict per test
 * (update / obsolete / valid) and new tests for new criteria — deterministically, the same through a
 * signed delivery, every exchange checked against docs/sqai-openapi.yaml; a bad request is a 400.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SqaiClient } from '../../../src/clients/sqai';
import {
  parseGeneratedTests,
  parseTestUpdates,
  problemTypeOf,
  type Generation,
  type TestToUpdate,
  type UpdateGenerationRequest,
} from '../../../src/clients/sqai-schemas';
import { Deadline } from '../../../src/clients/upstream';
import { AppError } from '../../../src/errors';
import { gherkinProblems } from '../../../src/generate/gherkin';
import type { Http } from '../../../src/platform/ports';
import { deliverySchema } from '../../../src/webtrigger/delivery-schema';
import { repoRoot } from '../../harness/contracts';
import { takeViolations } from '../../harness/sqai-sim/contract';
import { createSqaiSimulator, type SqaiSimulator } from '../../harness/sqai-sim/simulator';
import {
  appendGherkinStep,
  proposeTestUpdate,
  reallyChanged,
  replacementsOf,
} from '../../harness/sqai-sim/updates';

const TOKEN = 'sqai-test-token';
const ENDPOINT = 'https://api.sqai-suite.com';
const CLOUD = 'cloud-1';
const HASH = 'b'.repeat(64);

const example = JSON.parse(
  readFileSync(path.join(repoRoot, 'docs', 'sqai-context.example.json'), 'utf8'),
) as { source: Record<string, unknown>; requirement: Record<string, unknown> };

/** DEMO-7's context after the change: criterion 1 now says 14 days, 2 is gone, 3 is new. */
const context = {
  ...example,
  contentHash: HASH,
  source: { ...example.source, cloudId: CLOUD, issueId: '7', issueKey: 'DEMO-7' },
  requirement: {
    ...example.requirement,
    summary: 'Refunds',
    description: [
      '### Acceptance criteria',
      '- A refund is possible within 14 days',
      '- A refund is confirmed by e-mail',
    ].join('\n'),
    criteria: [
      { id: 'ac-1', text: 'A refund is possible within 14 days', source: 'list' },
      { id: 'ac-3', text: 'A refund is confirmed by e-mail', source: 'list' },
      { id: 'ac-4', text: 'Refunds are logged.', source: 'list' },
    ],
  },
};

const steps = (...rows: [string, string | null, string | null][]) =>
  rows.map(([action, data, result]) => ({ action, data, result }));

const TESTS: TestToUpdate[] = [
  {
    key: 'DEMO-10',
    summary: 'Refund inside the window',
    testType: { name: 'Manual', kind: 'Steps' },
    criterionIds: ['ac-1'],
    reasons: [{ kind: 'criterionChanged', criterionId: 'ac-1' }],
    steps: steps(
      ['Buy an item', null, 'The order is placed'],
      ['Ask for a refund after 29 days', 'Order 30', 'A refund is possible within 30 days'],
    ),
  },
  {
    key: 'DEMO-11',
    summary: 'Refund by cheque',
    testType: { name: 'Manual', kind: 'Steps' },
    criterionIds: ['ac-2'],
    reasons: [{ kind: 'criterionRemoved', criterionId: 'ac-2' }],
    steps: steps(['Ask for a refund', null, 'A cheque is sent']),
  },
  {
    key: 'DEMO-12',
    summary: 'Checkout smoke test',
    testType: { name: 'Cucumber', kind: 'Gherkin' },
    criterionIds: [],
    reasons: [{ kind: 'requirementChanged' }],
    gherkin: 'Scenario: Checkout\n  Given a basket\n  When the shopper pays\n  Then the order is placed',
  },
  {
    key: 'DEMO-13',
    summary: 'Refund scenario',
    testType: { name: 'Cucumber', kind: 'Gherkin' },
    criterionIds: ['ac-1'],
    reasons: [{ kind: 'criterionChanged', criterionId: 'ac-1' }],
    gherkin:
      'Scenario Outline: Refund\n  Given an order of <amount>\n  When a refund is asked\n  Then it is paid\n    | note |\n    | ok   |\n\n  Examples:\n    | amount |\n    | 10     |',
  },
  {
    key: 'DEMO-14',
    summary: 'Refund deadline audit',
    testType: { name: 'Generic', kind: 'Unstructured' },
    criterionIds: ['ac-1'],
    reasons: [{ kind: 'criterionChanged', criterionId: 'ac-1' }],
    definition: 'Refunds are accepted until day 30 and refused on day 31.',
  },
  {
    key: 'DEMO-15',
    summary: 'Refund log',
    testType: { name: 'Manual', kind: 'Steps' },
    criterionIds: ['ac-4'],
    reasons: [{ kind: 'criterionChanged', criterionId: 'ac-4' }],
    steps: steps(['Refund an order', null, 'The refund is logged']),
  },
  {
    key: 'DEMO-16',
    summary: 'Refund by cheque within the window',
    testType: { name: 'Manual', kind: 'Steps' },
    criterionIds: ['ac-1', 'ac-2'],
    reasons: [
      { kind: 'criterionChanged', criterionId: 'ac-1' },
      { kind: 'criterionRemoved', criterionId: 'ac-2' },
    ],
    steps: steps(['Ask for a refund within 30 days', null, 'A cheque is sent']),
  },
];

const updateRequest = (tests: TestToUpdate[] = TESTS): UpdateGenerationRequest => ({
  cloudId: CLOUD,
  issueId: '7',
  issueKey: 'DEMO-7',
  contentHash: HASH,
  testTypes: [
    { name: 'Manual', kind: 'Steps' },
    { name: 'Cucumber', kind: 'Gherkin' },
    { name: 'Generic', kind: 'Unstructured' },
  ],
  maxTests: 5,
  mode: 'updates',
  updates: {
    changedCriteria: [
      {
        id: 'ac-1',
        before: 'A refund is possible within 30 days',
        after: 'A refund is possible within 14 days',
      },
      { id: 'ac-2', before: 'Refunds are paid by cheque', after: null },
      { id: 'ac-3', before: null, after: 'A refund is confirmed by e-mail' },
      { id: 'ac-4', before: 'Refunds are logged', after: 'refunds are LOGGED.' },
    ],
    tests,
  },
});

/** The app's Http port over the simulator (what the Forge runtime's fetch is in production). */
const httpOver = (sim: SqaiSimulator): Http => ({
  async fetch(url, init) {
    const response = await sim.handle({
      method: init.method ?? 'GET',
      url,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    return {
      status: response.status,
      headers: { get: (name: string) => response.headers[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(response.body),
    };
  },
});

async function setUp(): Promise<{ sim: SqaiSimulator; client: SqaiClient }> {
  const sim = createSqaiSimulator({ tokens: [TOKEN] });
  sim.store(context);
  const client = new SqaiClient(
    { http: httpOver(sim) },
    { endpoint: ENDPOINT, token: TOKEN },
    new Deadline(20_000),
  );
  return { sim, client };
}

async function runToEnd(client: SqaiClient, request: UpdateGenerationRequest, key = 'key-updates-1') {
  const id = await client.createGeneration(request, key);
  let answer: Generation = { id, status: 'pending' };
  for (let poll = 0; poll < 5 && answer.status !== 'succeeded'; poll += 1) {
    answer = await client.getGeneration(id, request.issueKey);
  }
  return answer;
}

describe('SQAI simulator: update mode (contract 1.3.0)', () => {
  it('answers a verdict per test through the real client: update, obsolete, valid, and new tests for new criteria', async () => {
    const { sim, client } = await setUp();
    const request = updateRequest();
    const answer = await runToEnd(client, request);
    expect(answer.status).toBe('succeeded');
    const updates = parseTestUpdates(answer.updates ?? [], request.updates.tests);
    expect(updates.invalid).toEqual([]);
    const byKey = new Map(updates.valid.map((update) => [update.testKey, update]));
    expect([...byKey.keys()]).toEqual(TESTS.map((test) => test.key));

    // The changed wording replaced where the test says it: with its neighbouring words first.
    expect(byKey.get('DEMO-10')).toEqual({
      testKey: 'DEMO-10',
      verdict: 'update',
      steps: steps(
        ['Buy an item', null, 'The order is placed'],
        // "Order 30" keeps its 30: "within 30 days" occurred, so only that was replaced.
        ['Ask for a refund after 29 days', 'Order 30', 'A refund is possible within 14 days'],
      ),
      reason: 'Criterion changed: "within 30 days" → "within 14 days"',
      criterionIds: ['ac-1'],
    });
    // Removed criterion and nothing else mapped: obsolete, naming it.
    expect(byKey.get('DEMO-11')).toEqual({
      testKey: 'DEMO-11',
      verdict: 'obsolete',
      reason: 'Criterion removed: "Refunds are paid by cheque"',
    });
    // Only the requirement changed: still valid.
    expect(byKey.get('DEMO-12')).toMatchObject({ verdict: 'valid' });
    // Gherkin that says nothing of the old wording: a step added at the end of the scenario, before
    // its Examples, after the step's table — and it still parses.
    const gherkin = byKey.get('DEMO-13')?.gherkin ?? '';
    expect(byKey.get('DEMO-13')?.verdict).toBe('update');
    expect(gherkin.split('\n').slice(3, 8)).toEqual([
      '  Then it is paid',
      '    | note |',
      '    | ok   |',
      '  And A refund is possible within 14 days',
      '',
    ]);
    expect(gherkinProblems(gherkin)).toEqual([]);
    expect(byKey.get('DEMO-13')?.reason).toMatch(/added a check of the new wording$/);
    // Only the replaced word occurs: it alone is replaced, as a whole word ("31" is left alone).
    expect(byKey.get('DEMO-14')).toMatchObject({
      verdict: 'update',
      definition: 'Refunds are accepted until day 14 and refused on day 31.',
      reason: 'Criterion changed: "30" → "14"',
    });
    // Case and punctuation are no change in substance.
    expect(byKey.get('DEMO-15')).toMatchObject({ verdict: 'valid', criterionIds: ['ac-4'] });
    // One criterion removed but another still mapped (and changed): updated, the removed one dropped.
    expect(byKey.get('DEMO-16')).toMatchObject({
      verdict: 'update',
      steps: steps(['Ask for a refund within 14 days', null, 'A cheque is sent']),
      criterionIds: ['ac-1'],
    });

    // New tests only for the new criterion, naming only it.
    const tests = parseGeneratedTests(answer.tests ?? []);
    expect(tests.invalid).toEqual([]);
    expect(tests.valid.length).toBeGreaterThan(0);
    expect(tests.valid.every((test) => test.criterionIds?.join() === 'ac-3')).toBe(true);
    // Every request and answer matched docs/sqai-openapi.yaml.
    expect(sim.violations).toEqual([]);
  });

  it('is deterministic: the same request gets the same answer, from another simulator too', async () => {
    const first = await setUp();
    const second = await setUp();
    const one = await runToEnd(first.client, updateRequest(), 'key-a-0001');
    const other = await runToEnd(second.client, updateRequest(), 'key-b-0001');
    const again = await runToEnd(first.client, updateRequest(), 'key-a-0002');
    expect(other.updates).toEqual(one.updates);
    expect(other.tests).toEqual(one.tests);
    expect(again.updates).toEqual(one.updates);
    expect(again.id).not.toBe(one.id);
  });

  it('delivers the same updates in a signed delivery the app’s schema reads', async () => {
    const { sim, client } = await setUp();
    const polled = await runToEnd(client, updateRequest());
    let body = '';
    const answering: typeof fetch = (_url, init) => {
      body = typeof init?.body === 'string' ? init.body : '';
      return Promise.resolve(new Response(JSON.stringify({ status: 'accepted' }), { status: 202 }));
    };
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    expect((await sim.deliver(polled.id, 'https://app.example/hook', secret, answering)).status).toBe(202);
    const delivery = deliverySchema.parse(JSON.parse(body));
    if (delivery.type !== 'generation.succeeded') throw new Error('expected a succeeded delivery');
    expect(delivery.data.updates).toEqual(polled.updates);
    expect(delivery.data.tests).toEqual(polled.tests);
    expect(JSON.parse(body)).not.toHaveProperty('data.mode');
    expect(takeViolations()).toEqual([]);
  });

  it('handles a 100-step test: replaced in place; when a check cannot be added, the test is left valid', async () => {
    const { client } = await setUp();
    const hundred = Array.from({ length: 100 }, (_, index) => ({
      action: 'Do the next thing',
      data: null,
      result: index === 99 ? 'A refund is possible within 30 days' : 'ok',
    }));
    const big: TestToUpdate = { ...TESTS[0]!, key: 'DEMO-20', steps: hundred };
    const full: TestToUpdate = {
      ...TESTS[0]!,
      key: 'DEMO-21',
      steps: hundred.map((step) => ({ ...step, result: 'ok' })),
    };
    const request = updateRequest([big, full]);
    const answer = await runToEnd(client, request);
    const parsed = parseTestUpdates(answer.updates ?? [], request.updates.tests);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.valid[0]?.verdict).toBe('update');
    expect(parsed.valid[0]?.steps).toHaveLength(100);
    expect(parsed.valid[0]?.steps?.[99]?.result).toBe('A refund is possible within 14 days');
    expect(parsed.valid[1]).toMatchObject({
      verdict: 'valid',
      reason: expect.stringMatching(/by hand/) as unknown,
    });
  });

  it('refuses an invalid update-mode request with 400 invalid-request (the client reports SQAI Rejected)', async () => {
    const { sim, client } = await setUp();
    const { updates: _updates, ...withoutUpdates } = updateRequest();
    const call = (body: unknown, key: string) =>
      sim.handle({
        method: 'POST',
        url: `${ENDPOINT}/v1/generations`,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      });
    const missing = await call(withoutUpdates, 'key-bad-0001');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({
      type: problemTypeOf('invalid-request'),
      detail: expect.stringContaining('updates: required when mode is "updates"') as unknown,
    });
    // The OpenAPI document says so too (if mode is "updates" then updates is required).
    expect(takeViolations().join('\n')).toMatch(/request POST \/v1\/generations/);
    // A reason naming a criterion that did not change: refused (the app's own refinement).
    const request = updateRequest();
    const wrongReason = {
      ...request,
      updates: {
        ...request.updates,
        tests: [{ ...TESTS[0]!, reasons: [{ kind: 'criterionChanged', criterionId: 'ac-9' }] }],
      },
    };
    const refused = await call(wrongReason, 'key-bad-0002');
    expect(refused.status).toBe(400);
    expect((JSON.parse(refused.body) as { detail: string }).detail).toMatch(
      /updates\.tests\.0\.reasons\.0\.criterionId/,
    );
    takeViolations();
    // The app's client checks an update-mode request first: a field error, and nothing is sent.
    const sent = sim.received.length;
    const error = await client
      .createGeneration(wrongReason as UpdateGenerationRequest, 'key-bad-0003')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'VALIDATION',
      fieldErrors: {
        'updates.tests.0.reasons.0.criterionId': expect.stringMatching(/changedCriteria/) as unknown,
      },
    });
    expect(sim.received.length).toBe(sent);
    expect(sim.generations.size).toBe(0);
    takeViolations();
  });
});

describe('update-mode word edits', () => {
  it('finds the replaced words with a neighbouring word each side, and alone', () => {
    expect(
      replacementsOf('A refund is possible within 30 days', 'A refund is possible within 14 days'),
    ).toEqual([{ wide: { from: 'within 30 days', to: 'within 14 days' }, narrow: { from: '30', to: '14' } }]);
    // An insertion has no words of its own to replace: only the wide form.
    expect(replacementsOf('Refunds within 30 days', 'Refunds within 30 calendar days')).toEqual([
      { wide: { from: '30 days', to: '30 calendar days' } },
    ]);
    expect(replacementsOf('Pay by card or cash', 'Pay by card or voucher')).toEqual([
      { wide: { from: 'or cash', to: 'or voucher' }, narrow: { from: 'cash', to: 'voucher' } },
    ]);
  });

  it('tells a change of substance from one of case, punctuation or spacing', () => {
    expect(reallyChanged({ id: 'a', before: 'Refunds are logged', after: 'refunds  are LOGGED.' })).toBe(
      false,
    );
    expect(reallyChanged({ id: 'a', before: 'Refunds are logged', after: 'Refunds are audited' })).toBe(true);
    expect(reallyChanged({ id: 'a', before: null, after: 'New' })).toBe(false);
  });

  it('replaces whole words only, case-sensitively', () => {
    const test: TestToUpdate = {
      key: 'DEMO-1',
      summary: 's',
      testType: { name: 'Generic', kind: 'Unstructured' },
      criterionIds: ['ac-1'],
      reasons: [{ kind: 'criterionChanged', criterionId: 'ac-1' }],
      definition: 'Cash, cashback and CASH: pay by cash.',
    };
    const changed = new Map([['ac-1', { id: 'ac-1', before: 'Pay by cash', after: 'Pay by voucher' }]]);
    expect(proposeTestUpdate(test, changed).definition).toBe('Cash, cashback and CASH: pay by voucher.');
  });

  it('adds a Gherkin step after the last step of the last scenario, keeping its indentation', () => {
    const two =
      'Feature: F\n\n  Scenario: one\n    Given a\n    Then b\n\n  Scenario: two\n    Given c\n    Then d\n';
    const out = appendGherkinStep(two, 'e holds');
    expect(out.split('\n').slice(-2)).toEqual(['    Then d', '    And e holds']);
    expect(gherkinProblems(out)).toEqual([]);
    const docString = 'Scenario: s\n  Given a text\n    """\n    Then not a step\n    """\n';
    const withDoc = appendGherkinStep(docString, 'it is kept');
    expect(withDoc.split('\n').at(-1)).toBe('  And it is kept');
    expect(gherkinProblems(withDoc)).toEqual([]);
  });
});
