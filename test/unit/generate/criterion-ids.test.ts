/**
 * Generated tests carry the ids of the criteria they prove (contract 1.1.0, issue 18 item 2): SQAI
 * (the simulator, deterministically) names them, the review keeps those the requirement has and drops
 * the rest with a note, and the created test's `sqai.provenance` stores them. And the contract's
 * `POST /v1/coverage:classify`, answered by the simulator within the contract.
 */
import type { CreationDto } from '../../../src/api';
import {
  classifyRequestSchema,
  classifyResponseSchema,
  generatedTestSchema,
  parseGeneratedTests,
} from '../../../src/clients/sqai-schemas';
import { criterionIdFor as contentIdOf } from '../../../src/criteria/ids';
import { PROVENANCE_PROPERTY } from '../../../src/generate/create-tests';
import { loadProjectClients } from '../../../src/sync/project-clients';
import { reviewProposals, unknownCriteria } from '../../../src/generate/proposals';
import { classifyCoverage } from '../../harness/sqai-sim/classify';
import { criterionIdFor, generateTests } from '../../harness/sqai-sim/generator';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { generateOn } from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

const TYPES = [{ name: 'Manual', kind: 'Steps' }];

describe('criterionIds in the review', () => {
  const test = (criterionIds?: string[]) => ({
    ...generatedTestSchema.parse({
      id: 't1',
      title: 'DEMO-1: verify a guest can pay',
      testType: 'Manual',
      steps: [{ action: 'Pay as a guest' }],
      ...(criterionIds ? { criterionIds } : {}),
    }),
  });

  it('keeps the ids the requirement has, once each, in the test’s order', () => {
    const [proposal] = reviewProposals({
      tests: [test(['ac-00000002', 'ac-00000001', 'ac-00000002'])],
      projectTestTypes: TYPES,
      known: [],
      criterionIds: ['ac-00000001', 'ac-00000002'],
    });
    expect(proposal?.criterionIds).toEqual(['ac-00000002', 'ac-00000001']);
    expect(proposal?.warnings).toBeUndefined();
    expect(proposal?.selectedByDefault).toBe(true);
  });

  it('drops unknown ids with a note to the reviewer, and keeps the test (selected)', () => {
    const [proposal] = reviewProposals({
      tests: [test(['ac-00000001', 'ac-deadbeef', 'not an id'])],
      projectTestTypes: TYPES,
      known: [],
      criterionIds: ['ac-00000001'],
    });
    expect(proposal?.criterionIds).toEqual(['ac-00000001']);
    expect(proposal?.warnings).toEqual([unknownCriteria(['ac-deadbeef', 'not an id'])]);
    expect(proposal?.warnings?.[0]).toMatch(/“ac-deadbeef”, “not an id”.*left out/);
    expect(proposal?.problems).toEqual([]);
    expect(proposal?.selectedByDefault).toBe(true);
    // No criteria known (a v1.0 document): every id is dropped; no `criterionIds` at all.
    const [bare] = reviewProposals({ tests: [test(['ac-00000001'])], projectTestTypes: TYPES, known: [] });
    expect(bare?.criterionIds).toBeUndefined();
    expect(bare?.warnings).toHaveLength(1);
  });

  it('a list the app cannot read is ignored: the test is kept', () => {
    const parsed = parseGeneratedTests([
      { ...test(), criterionIds: ['ac-00000001'] },
      { ...test(), id: 't2', criterionIds: Array.from({ length: 101 }, (_, i) => `ac-${i}`) },
      { ...test(), id: 't3', criterionIds: [[['ac-00000001']]] },
      { ...test(), id: 't4', criterionIds: 'ac-00000001' },
    ]);
    expect(parsed.invalid).toEqual([]);
    expect(parsed.valid.map((valid) => valid.criterionIds ?? null)).toEqual([
      ['ac-00000001'],
      null,
      null,
      null,
    ]);
  });
});

describe('the simulator’s generator names the criteria it derived each test from', () => {
  const description = [
    'Checkout for guests.',
    '',
    '## Acceptance criteria',
    '- A guest can pay without signing in',
    '- The receipt is sent within 2 seconds',
    '',
    'Given a guest with a cart',
    'When the guest pays',
    'Then the order is confirmed',
  ].join('\n');
  const criteria = [
    { id: 'ac-11111111', text: 'A guest can pay without signing in' },
    { id: 'ac-22222222', text: 'The receipt is sent within 2 seconds' },
    { id: 'ac-33333333', text: 'Given a guest with a cart When the guest pays Then the order is confirmed' },
  ];
  const run = () =>
    generateTests(
      { issueKey: 'DEMO-9', summary: 'Guest checkout', description, criteria },
      {
        testTypes: [
          { name: 'Manual', kind: 'Steps' },
          { name: 'Cucumber', kind: 'Gherkin' },
          { name: 'Generic', kind: 'Unstructured' },
        ],
        maxTests: 10,
      },
    );

  it('deterministically: each Manual test its criterion, the scenario its Gherkin criterion', () => {
    const tests = run();
    expect(tests.map((test) => [test.testType, test.criterionIds])).toEqual([
      ['Manual', ['ac-11111111']],
      ['Manual', ['ac-22222222']],
      ['Cucumber', ['ac-33333333']],
      ['Generic', ['ac-22222222']],
    ]);
    expect(run()).toEqual(tests);
    // Without criteria in the document (v1.0), no ids.
    expect(criterionIdFor('A guest can pay without signing in', [])).toEqual([]);
    expect(
      generateTests(
        { issueKey: 'DEMO-9', summary: 'Guest checkout', description },
        { testTypes: [{ name: 'Manual', kind: 'Steps' }], maxTests: 10 },
      ).every((test) => test.criterionIds === undefined),
    ).toBe(true);
  });
});

describeWithContracts('criterion ids end to end: SQAI → review → Xray provenance', () => {
  let world: World;

  beforeEach(async () => {
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  afterEach(() => expectWorldWithinContracts(world));

  const documentCriteria = (issueKey: string) => {
    const issue = world.jiraStore.issue(issueKey);
    const held = world.sqai.contexts.get(`${DEMO.cloudId}/${issue?.id ?? ''}`)?.document as
      { requirement: { criteria?: { id: string; text: string }[] } } | undefined;
    return held?.requirement.criteria ?? [];
  };

  it('the created tests’ provenance names the criteria SQAI said they prove', async () => {
    const generation = await generateOn(world, 'DEMO-3', { testTypes: ['Manual'], maxTests: 10 });
    expect(generation.status).toBe('succeeded');
    const criteria = documentCriteria('DEMO-3');
    expect(criteria.length).toBeGreaterThan(0);
    const sqaiTests = [...world.sqai.generations.values()][0]?.tests ?? [];
    expect(sqaiTests.length).toBeGreaterThan(0);
    const known = new Set(criteria.map((criterion) => criterion.id));
    for (const test of sqaiTests) {
      expect(test.criterionIds).toHaveLength(1);
      expect(known.has(test.criterionIds?.[0] ?? '')).toBe(true);
    }
    const creation = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections: generation.proposals.map((proposal) => ({ id: proposal.id })), destination: {} },
        'DEMO-3',
      ),
    );
    expect(creation.status).toBe('done');
    const byTestId = new Map(sqaiTests.map((test) => [test.id, test.criterionIds]));
    for (const item of creation.items) {
      const provenance = world.jiraStore.issue(item.key ?? '')?.properties.get(PROVENANCE_PROPERTY) as
        { generatedTestId: string; criterionIds?: string[] } | undefined;
      expect(provenance?.criterionIds).toEqual(byTestId.get(provenance?.generatedTestId ?? ''));
    }
  });

  it('an id the requirement does not have is dropped (with a note), not stored in the provenance', async () => {
    const generations = world.sqai.generations;
    const originalSet = generations.set.bind(generations);
    generations.set = (id, generation) =>
      originalSet(id, {
        ...generation,
        tests: (generation.tests ?? []).slice(0, 1).map((test) => ({
          ...test,
          criterionIds: [...(test.criterionIds ?? []), 'ac-0badc0de'],
        })),
      });
    const generation = await generateOn(world, 'DEMO-3', { testTypes: ['Manual'], maxTests: 10 });
    const [proposal] = generation.proposals;
    expect(proposal?.warnings).toEqual([unknownCriteria(['ac-0badc0de'])]);
    const creation = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections: [{ id: proposal?.id ?? '' }], destination: {} },
        'DEMO-3',
      ),
    );
    const provenance = world.jiraStore
      .issue(creation.items[0]?.key ?? '')
      ?.properties.get(PROVENANCE_PROPERTY) as { criterionIds?: string[] } | undefined;
    expect(provenance?.criterionIds).toHaveLength(1);
    expect(provenance?.criterionIds).not.toContain('ac-0badc0de');
  });

  it('POST /v1/coverage:classify: the simulator’s answer is within the contract, deterministic, by word overlap', async () => {
    const body = classifyRequestSchema.parse({
      cloudId: DEMO.cloudId,
      issueId: '10101',
      issueKey: 'DEMO-1',
      criteria: [
        { id: contentIdOf('A guest can pay without signing in'), text: 'A guest can pay without signing in' },
        { id: contentIdOf('The receipt lists every item'), text: 'The receipt lists every item' },
      ],
      tests: [
        {
          key: 'DEMO-7',
          summary: 'Guest payment',
          testType: { name: 'Manual', kind: 'Steps' },
          steps: [{ action: 'As a guest, pay without signing in', result: 'The payment succeeds' }],
        },
        {
          key: 'DEMO-8',
          summary: 'Receipt content',
          testType: { name: 'Cucumber', kind: 'Gherkin' },
          gherkin: 'Scenario: receipt\n  When the order is paid\n  Then the receipt lists every item',
        },
        {
          key: 'DEMO-9',
          summary: 'Unrelated',
          testType: { name: 'Generic', kind: 'Unstructured' },
          definition: 'Load test the search API',
        },
      ],
    });
    const request = {
      method: 'POST',
      url: `${DEMO.sqaiEndpoint}/v1/coverage:classify`,
      headers: { authorization: `Bearer ${DEMO.sqaiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
    const response = await world.sqai.handle(request);
    expect(response.status).toBe(200);
    expect(world.sqai.violations).toEqual([]);
    const answer = classifyResponseSchema.parse(JSON.parse(response.body));
    expect(answer).toEqual(classifyCoverage(body));
    expect(
      answer.results.map((result) => [result.testKey, result.suggestions.map((s) => s.criterionId)]),
    ).toEqual([
      ['DEMO-7', [body.criteria[0]?.id]],
      ['DEMO-8', [body.criteria[1]?.id]],
      ['DEMO-9', []],
    ]);
    // The app's client reads the same answer (and would drop ids and tests it did not send).
    const clients = await loadProjectClients(world.platform, DEMO.project.id);
    expect(await clients.sqai.classifyCoverage(body)).toEqual(answer);
    for (const suggestion of answer.results.flatMap((result) => result.suggestions)) {
      expect(suggestion.confidence).toBeGreaterThan(0);
      expect(suggestion.confidence).toBeLessThanOrEqual(1);
    }
  });
});
