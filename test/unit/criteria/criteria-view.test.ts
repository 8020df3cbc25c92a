/**
 * The issue panel's Criteria view and people's mapping changes (issue 18; docs/criteria.md "The
 * Criteria view and mappings"), through the real resolvers of a local world: who sees what, who may
 * change what, what each call costs, and that a person's unmapping survives the next sync.
 */
import type { CriteriaViewDto, ResolverResult } from '../../../src/api';
import { criteriaViewOf } from '../../../src/criteria/criteria-view';
import { applyMappingChange } from '../../../src/criteria/mappings';
import type { CriteriaRecord } from '../../../src/criteria/schema';
import { traceRecordSchema, type TraceRecord } from '../../../src/criteria/state';
import { criteriaKey, traceKey } from '../../../src/criteria/store';
import { traceFromDocument } from '../../../src/criteria/sync-traceability';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { createWorld, DEMO, type World } from '../../harness/world';

const ISSUE = 'DEMO-1';
const T0 = '2026-12-01T10:00:00.000Z';

async function syncedWorld(): Promise<World> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain(); // the first backfill: criteria and trace records
  return world;
}

const requirementId = (world: World) => world.jiraStore.issue(ISSUE)?.id ?? '';

async function stored(world: World): Promise<{ criteria: CriteriaRecord; trace: TraceRecord }> {
  const id = requirementId(world);
  const criteria = (await world.platform.kvs.get(criteriaKey(id))) as CriteriaRecord | undefined;
  const trace = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(id)));
  if (!criteria) throw new Error('DEMO-1 has no criteria record after the backfill');
  return { criteria, trace };
}

function jiraCalls(world: World, from: number): string[] {
  return world.jira.requests
    .slice(from)
    .map((request) => `${request.method} ${request.path.split('?')[0] ?? ''}`);
}

const view = async (world: World, as: string = DEMO.admin) =>
  data(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, ISSUE, as));

const change = (world: World, payload: unknown, as: string = DEMO.admin) =>
  world.invokeIssue<CriteriaViewDto>('changeCriterionMapping', payload, ISSUE, as);

function failure(result: ResolverResult<unknown>) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describeWithContracts('getCriteria', () => {
  let world: World;
  beforeEach(async () => {
    world = await syncedWorld();
  });
  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('shows each criterion, the covering tests that prove none, and costs two Jira requests', async () => {
    const { criteria, trace } = await stored(world);
    expect(criteria.criteria.length).toBeGreaterThan(0);
    expect((trace.covering ?? []).length).toBeGreaterThan(0);
    const before = world.jira.requests.length;
    const answer = await view(world);
    expect(jiraCalls(world, before)).toEqual([
      'GET /rest/api/3/mypermissions',
      'POST /rest/api/3/issue/bulkfetch',
    ]);
    expect(answer.status).toBe('ready');
    expect(answer.canEdit).toBe(true);
    expect(answer.criteria.map((criterion) => criterion.id)).toEqual(criteria.criteria.map(({ id }) => id));
    expect(answer.criteria.every((criterion) => criterion.state === 'noTest')).toBe(true);
    expect(answer.summary).toMatchObject({
      criteria: criteria.criteria.length,
      noTest: criteria.criteria.length,
    });
    const keys = (trace.covering ?? []).map((test) => test.testKey);
    expect(answer.unmappedTests.map((test) => test.key).sort()).toEqual([...keys].sort());
    expect(answer.unmappedTests.every((test) => (test.summary ?? '').length > 0)).toBe(true);
    expect(answer.hiddenTests).toBe(0);
    expect(answer.updatedAt).toBe(trace.updatedAt);
  });

  it('a reader without Edit issues sees the view, canEdit false, and may not change it', async () => {
    const answer = await view(world, PEOPLE.user.accountId);
    expect(answer.status).toBe('ready');
    expect(answer.canEdit).toBe(false);
    const [criterion] = answer.criteria;
    const [test] = answer.unmappedTests;
    if (!criterion || !test) throw new Error('DEMO-1 has criteria and tests');
    const before = JSON.stringify([...world.platform.kvs.data]);
    for (const name of ['changeCriterionMapping', 'suggestCriterionMappings'] as const) {
      const payload =
        name === 'changeCriterionMapping'
          ? { action: 'map', testKey: test.key, criterionId: criterion.id }
          : {};
      const refused = failure(await world.invokeIssue(name, payload, ISSUE, PEOPLE.user.accountId));
      expect([name, refused.code]).toEqual([name, 'FORBIDDEN']);
      expect(refused.detail).toMatch(/Edit Issues/);
    }
    expect(JSON.stringify([...world.platform.kvs.data])).toBe(before);
  });

  it('notSynced without a criteria record, noCriteria when the requirement has none', async () => {
    const id = requirementId(world);
    const { criteria } = await stored(world);
    await world.platform.kvs.set(criteriaKey(id), { ...criteria, criteria: [] });
    expect(await view(world)).toMatchObject({ status: 'noCriteria', criteria: [], unmappedTests: [] });
    await world.platform.kvs.delete(criteriaKey(id));
    expect(await view(world)).toMatchObject({ status: 'notSynced', criteria: [], canEdit: true });
  });
});

/**
 * DEMO-1 with two criteria, each proven by its own covering test, and two kept Test Plans: the
 * latest run overall passed both tests; in Test Plan A the first test failed (the second did not run
 * in it); Test Plan B — one only the admin may see — passed both.
 */
async function withPlans(world: World) {
  const { criteria, trace } = await stored(world);
  const [first, second] = criteria.criteria;
  const [a, b] = trace.covering ?? [];
  if (!first || !second || !a || !b) throw new Error('DEMO-1 has two criteria and two covering tests');
  const planA = world.jiraStore.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Test Plan',
    summary: 'Release 2.4 regression',
  });
  const planB = world.jiraStore.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Test Plan',
    summary: 'Security review',
    restrictedTo: [DEMO.admin],
  });
  const passed = [
    { testIssueId: a.testIssueId, status: 'PASSED', at: T0 },
    { testIssueId: b.testIssueId, status: 'PASSED', at: T0 },
  ];
  await world.platform.kvs.set(traceKey(requirementId(world)), {
    ...trace,
    mappings: [
      { ...a, criterionIds: [first.id], source: 'manual' },
      { ...b, criterionIds: [second.id], source: 'manual' },
    ],
    latest: passed,
    plans: [
      { key: planA.key, id: planA.id, results: [{ testIssueId: a.testIssueId, status: 'FAILED', at: T0 }] },
      { key: planB.key, id: planB.id, results: passed },
    ],
  });
  return { first, second, a, b, planA, planB };
}

const scoped = async (world: World, testPlanKey: string, as: string = DEMO.admin) =>
  data(await world.invokeIssue<CriteriaViewDto>('getCriteria', { testPlanKey }, ISSUE, as));

const states = (answer: CriteriaViewDto) => answer.criteria.map((criterion) => criterion.state);

describeWithContracts('getCriteria in a Test Plan’s scope', () => {
  let world: World;
  beforeEach(async () => {
    world = await syncedWorld();
  });
  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('lists the kept plans and computes the states from the chosen plan’s runs, at no extra request', async () => {
    const { planA, planB } = await withPlans(world);
    const latest = await view(world);
    expect(latest.plans).toEqual([
      { key: planA.key, summary: 'Release 2.4 regression' },
      { key: planB.key, summary: 'Security review' },
    ]);
    expect(latest.scope).toEqual({ kept: true });
    expect(states(latest).slice(0, 2)).toEqual(['proven', 'proven']);

    const before = world.jira.requests.length;
    const inA = await scoped(world, ` ${planA.key.toLowerCase()} `);
    expect(jiraCalls(world, before)).toEqual([
      'GET /rest/api/3/mypermissions',
      'POST /rest/api/3/issue/bulkfetch',
    ]);
    expect(inA.scope).toEqual({ testPlanKey: planA.key, kept: true });
    expect(states(inA).slice(0, 2)).toEqual(['failing', 'notRun']);
    expect(inA.criteria[0]?.tests[0]).toMatchObject({ outcome: 'failed', status: 'FAILED' });
    expect(inA.criteria[1]?.tests[0]).toMatchObject({ outcome: 'notRun' });
    expect(inA.criteria[1]?.tests[0]?.status).toBeUndefined();
    expect(inA.summary).toMatchObject({ failing: 1, notRun: 1 });
    expect(inA.plans).toEqual(latest.plans);
    expect(states(await scoped(world, planB.key)).slice(0, 2)).toEqual(['proven', 'proven']);
  });

  it('a plan not kept, or one the caller cannot see, answers the latest run’s states with kept: false — alike', async () => {
    const { planA, planB } = await withPlans(world);
    const reader = PEOPLE.user.accountId;
    const latest = await view(world, reader);
    expect(latest.plans).toEqual([{ key: planA.key, summary: 'Release 2.4 regression' }]);
    expect(latest.hiddenTests).toBe(0); // a hidden plan is not a hidden test
    const hidden = await scoped(world, planB.key, reader);
    const unknown = await scoped(world, 'DEMO-999', reader);
    expect(hidden.scope).toEqual({ testPlanKey: planB.key, kept: false });
    expect(unknown.scope).toEqual({ testPlanKey: 'DEMO-999', kept: false });
    const { scope: _h, ...hiddenRest } = hidden;
    const { scope: _u, ...unknownRest } = unknown;
    const { scope: _l, ...latestRest } = latest;
    expect(hiddenRest).toEqual(unknownRest);
    expect(hiddenRest).toEqual(latestRest);
    expect(JSON.stringify(hidden)).not.toContain('Security review');
  });

  it('refuses a scope that is not an issue key, or an unknown field, as VALIDATION', async () => {
    for (const payload of [{ testPlanKey: 'plan 30' }, { testPlanKey: '' }, { testPlanKey: 30 }]) {
      const refused = failure(await world.invokeIssue('getCriteria', payload, ISSUE));
      expect([payload, refused.code, Object.keys(refused.fieldErrors ?? {})]).toEqual([
        payload,
        'VALIDATION',
        ['testPlanKey'],
      ]);
    }
    expect(failure(await world.invokeIssue('getCriteria', { testRunKey: 'DEMO-3' }, ISSUE)).code).toBe(
      'VALIDATION',
    );
  });

  it('a mapping change answers the latest run’s view, still listing the kept plans', async () => {
    const { first, b, planA } = await withPlans(world);
    const answer = data(await change(world, { action: 'map', testKey: b.testKey, criterionId: first.id }));
    expect(answer.scope).toEqual({ kept: true });
    expect(answer.plans.map((plan) => plan.key)).toContain(planA.key);
    // In plan A the first criterion now has a failed test and one that did not run: failing still.
    expect(states(await scoped(world, planA.key))[0]).toBe('failing');
  });
});

/**
 * DEMO-1 as `withPlans`, and two kept Test Executions: in execution X the first test failed (the
 * second did not run in it); execution Y — one only the admin may see — passed both.
 */
async function withExecutions(world: World) {
  const setup = await withPlans(world);
  const { a, b } = setup;
  const executionX = world.jiraStore.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Test Execution',
    summary: 'Nightly 2026-12-04',
  });
  const executionY = world.jiraStore.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Test Execution',
    summary: 'Pen test run',
    restrictedTo: [DEMO.admin],
  });
  const trace = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(requirementId(world))));
  await world.platform.kvs.set(traceKey(requirementId(world)), {
    ...trace,
    executions: [
      { key: executionY.key, id: executionY.id, results: trace.latest },
      {
        key: executionX.key,
        id: executionX.id,
        results: [{ testIssueId: a.testIssueId, status: 'FAILED', at: T0 }],
      },
    ],
  });
  return { ...setup, a, b, executionX, executionY };
}

const inExecution = async (world: World, testExecutionKey: string, as: string = DEMO.admin) =>
  data(await world.invokeIssue<CriteriaViewDto>('getCriteria', { testExecutionKey }, ISSUE, as));

describeWithContracts('getCriteria in a Test Execution’s scope', () => {
  let world: World;
  beforeEach(async () => {
    world = await syncedWorld();
  });
  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('lists the kept executions and computes the states from the chosen one’s runs, in the same two Jira requests', async () => {
    const { executionX, executionY, planA } = await withExecutions(world);
    const latest = await view(world);
    expect(latest.executions).toEqual([
      { key: executionY.key, summary: 'Pen test run' },
      { key: executionX.key, summary: 'Nightly 2026-12-04' },
    ]);
    expect(latest.plans.map((plan) => plan.key)).toContain(planA.key);
    expect(states(latest).slice(0, 2)).toEqual(['proven', 'proven']);

    const before = world.jira.requests.length;
    const inX = await inExecution(world, ` ${executionX.key.toLowerCase()} `);
    expect(jiraCalls(world, before)).toEqual([
      'GET /rest/api/3/mypermissions',
      'POST /rest/api/3/issue/bulkfetch',
    ]);
    expect(inX.scope).toEqual({ testExecutionKey: executionX.key, kept: true });
    expect(states(inX).slice(0, 2)).toEqual(['failing', 'notRun']);
    expect(inX.criteria[0]?.tests[0]).toMatchObject({ outcome: 'failed', status: 'FAILED' });
    expect(inX.summary).toMatchObject({ failing: 1, notRun: 1 });
    expect(states(await inExecution(world, executionY.key)).slice(0, 2)).toEqual(['proven', 'proven']);
    // A plan key asked as an execution is not an execution the app keeps.
    expect((await inExecution(world, planA.key)).scope).toEqual({ testExecutionKey: planA.key, kept: false });
  });

  it('an execution not kept, or one the caller cannot see, answers the latest run’s states with kept: false — alike', async () => {
    const { executionX, executionY } = await withExecutions(world);
    const reader = PEOPLE.user.accountId;
    const latest = await view(world, reader);
    expect(latest.executions).toEqual([{ key: executionX.key, summary: 'Nightly 2026-12-04' }]);
    expect(latest.hiddenTests).toBe(0);
    const hidden = await inExecution(world, executionY.key, reader);
    const unknown = await inExecution(world, 'DEMO-999', reader);
    expect(hidden.scope).toEqual({ testExecutionKey: executionY.key, kept: false });
    expect(unknown.scope).toEqual({ testExecutionKey: 'DEMO-999', kept: false });
    const { scope: _h, ...hiddenRest } = hidden;
    const { scope: _u, ...unknownRest } = unknown;
    const { scope: _l, ...latestRest } = latest;
    expect(hiddenRest).toEqual(unknownRest);
    expect(hiddenRest).toEqual(latestRest);
    expect(JSON.stringify(hidden)).not.toContain('Pen test run');
  });

  it('refuses both keys, or an execution key that is not an issue key, with a field error', async () => {
    for (const payload of [
      { testPlanKey: 'DEMO-30', testExecutionKey: 'DEMO-87' },
      { testExecutionKey: 'run 87' },
      { testExecutionKey: '' },
      { testExecutionKey: 87 },
    ]) {
      const refused = failure(await world.invokeIssue('getCriteria', payload, ISSUE));
      expect([payload, refused.code, Object.keys(refused.fieldErrors ?? {})]).toEqual([
        payload,
        'VALIDATION',
        ['testExecutionKey'],
      ]);
    }
  });
});

describeWithContracts('changeCriterionMapping', () => {
  let world: World;
  beforeEach(async () => {
    world = await syncedWorld();
  });
  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('map, then unmap: the test proves the criterion, then no more; the property follows', async () => {
    const { criteria, trace } = await stored(world);
    const [criterion] = criteria.criteria;
    const [test] = trace.covering ?? [];
    if (!criterion || !test) throw new Error('DEMO-1 has criteria and tests');
    const before = world.jira.requests.length;
    const mapped = data(
      await change(world, { action: 'map', testKey: test.testKey.toLowerCase(), criterionId: criterion.id }),
    );
    // Permissions, the bulk read (visibility and the view), the `sqaiCriteria` property (counts changed).
    expect(jiraCalls(world, before)).toEqual([
      'GET /rest/api/3/mypermissions',
      'POST /rest/api/3/issue/bulkfetch',
      `PUT /rest/api/3/issue/${requirementId(world)}/properties/sqaiCriteria`,
    ]);
    const shown = mapped.criteria.find((each) => each.id === criterion.id);
    expect(shown?.tests.map((each) => [each.key, each.source])).toEqual([[test.testKey, 'manual']]);
    expect(shown?.state).not.toBe('noTest');
    expect(mapped.unmappedTests.map((each) => each.key)).not.toContain(test.testKey);
    // Again: nothing changes, nothing is written.
    const again = world.jira.requests.length;
    expect(
      data(await change(world, { action: 'map', testKey: test.testKey, criterionId: criterion.id })),
    ).toEqual(mapped);
    expect(jiraCalls(world, again)).toHaveLength(2);

    const unmapped = data(
      await change(world, { action: 'unmap', testKey: test.testKey, criterionId: criterion.id }),
    );
    expect(unmapped.criteria.find((each) => each.id === criterion.id)?.state).toBe('noTest');
    expect(unmapped.unmappedTests.map((each) => each.key)).toContain(test.testKey);
    expect((await stored(world)).trace.dismissed).toEqual([
      { testIssueId: test.testIssueId, criterionId: criterion.id, kind: 'unmapped' },
    ]);
  });

  it('refuses a criterion that is not current, and a test it does not know or the caller cannot see, alike', async () => {
    const { criteria, trace } = await stored(world);
    const [criterion] = criteria.criteria;
    const [test] = trace.covering ?? [];
    if (!criterion || !test) throw new Error('DEMO-1 has criteria and tests');
    const before = JSON.stringify([...world.platform.kvs.data]);
    const wrongCriterion = failure(
      await change(world, { action: 'map', testKey: test.testKey, criterionId: 'ac-0000ffff' }),
    );
    expect(wrongCriterion.code).toBe('VALIDATION');
    expect(Object.keys(wrongCriterion.fieldErrors ?? {})).toEqual(['criterionId']);
    const unknown = failure(
      await change(world, { action: 'map', testKey: 'DEMO-9999', criterionId: criterion.id }),
    );
    expect(unknown.fieldErrors).toEqual({
      testKey: `DEMO-9999 is not a test covering ${ISSUE}, or you cannot see it.`,
    });
    const malformed = failure(
      await change(world, { action: 'delete', testKey: 'x', criterionId: 1, extra: true }),
    );
    expect(Object.keys(malformed.fieldErrors ?? {}).sort()).toEqual(
      ['_form', 'action', 'criterionId', 'testKey'].sort(),
    );
    expect(JSON.stringify([...world.platform.kvs.data])).toBe(before);

    // A test the records name but the caller (Quinn, who may edit DEMO issues) may not see — another
    // team's issue: the same answer.
    const hidden = world.jiraStore.issue('OTHER-1');
    if (!hidden) throw new Error('the demo has OTHER-1');
    await world.platform.kvs.set(traceKey(requirementId(world)), {
      ...trace,
      covering: [...(trace.covering ?? []), { testIssueId: hidden.id, testKey: 'OTHER-1' }],
    });
    const unseen = failure(
      await change(
        world,
        { action: 'map', testKey: 'OTHER-1', criterionId: criterion.id },
        PEOPLE.qa.accountId,
      ),
    );
    expect(unseen.fieldErrors).toEqual({
      testKey: `OTHER-1 is not a test covering ${ISSUE}, or you cannot see it.`,
    });
    expect((await view(world, PEOPLE.qa.accountId)).hiddenTests).toBe(1);
  });

  it('confirm makes a suggestion count; reject drops it and remembers the refusal', async () => {
    const { criteria, trace } = await stored(world);
    const [first, second] = criteria.criteria;
    const [test] = trace.covering ?? [];
    if (!first || !second || !test) throw new Error('DEMO-1 has two criteria and a test');
    await world.platform.kvs.set(traceKey(requirementId(world)), {
      ...trace,
      mappings: [
        {
          testIssueId: test.testIssueId,
          testKey: test.testKey,
          criterionIds: [first.id, second.id],
          source: 'suggested',
          confidence: 0.8,
        },
      ],
    });
    const suggested = await view(world);
    expect(suggested.criteria.find((each) => each.id === first.id)?.suggested).toEqual([
      expect.objectContaining({ key: test.testKey, confidence: 0.8 }),
    ]);
    expect(suggested.criteria.find((each) => each.id === first.id)?.state).toBe('noTest');

    const confirmed = data(
      await change(world, { action: 'confirm', testKey: test.testKey, criterionId: first.id }),
    );
    const firstNow = confirmed.criteria.find((each) => each.id === first.id);
    expect(firstNow?.tests.map((each) => [each.key, each.source])).toEqual([[test.testKey, 'confirmed']]);
    expect(firstNow?.suggested).toEqual([]);

    const rejected = data(
      await change(world, { action: 'reject', testKey: test.testKey, criterionId: second.id }),
    );
    expect(rejected.criteria.find((each) => each.id === second.id)?.suggested).toEqual([]);
    const after = (await stored(world)).trace;
    expect(after.mappings).toEqual([
      { testIssueId: test.testIssueId, testKey: test.testKey, criterionIds: [first.id], source: 'confirmed' },
    ]);
    expect(after.dismissed).toEqual([
      { testIssueId: test.testIssueId, criterionId: second.id, kind: 'rejected' },
    ]);
  });

  it('an unmapped generated mapping stays unmapped at the next scheduled sync', async () => {
    const { criteria, trace } = await stored(world);
    const [criterion] = criteria.criteria;
    const [test] = trace.covering ?? [];
    if (!criterion || !test) throw new Error('DEMO-1 has criteria and tests');
    const generated = {
      testIssueId: test.testIssueId,
      testKey: test.testKey,
      criterionIds: [criterion.id],
      source: 'generated' as const,
    };
    // Without `covering`, so that the sync visibly rewrites the record.
    const { covering: _covering, ...rest } = trace;
    await world.platform.kvs.set(traceKey(requirementId(world)), { ...rest, mappings: [generated] });
    const sync = async () => {
      world.jiraStore.touch(requirementId(world));
      await world.runScheduledTrigger();
      await world.platform.queue.drain();
    };
    // A sync keeps a generated mapping while its test covers the requirement…
    await sync();
    const synced = (await stored(world)).trace;
    expect(synced.covering).toEqual(trace.covering);
    expect(synced.mappings).toEqual([generated]);
    // …until a person unmaps it.
    data(await change(world, { action: 'unmap', testKey: test.testKey, criterionId: criterion.id }));
    await world.platform.kvs.set(traceKey(requirementId(world)), {
      ...rest,
      mappings: [generated],
      dismissed: (await stored(world)).trace.dismissed,
    });
    await sync();
    const after = (await stored(world)).trace;
    expect(after.covering).toEqual(trace.covering);
    expect(after.mappings).toEqual([]);
  });
});

describe('traceFromDocument and people’s dismissals (pure)', () => {
  const trace = (extra: Partial<TraceRecord>): TraceRecord => ({
    version: 1,
    updatedAt: T0,
    issueKey: 'DEMO-1',
    mappings: [],
    latest: [],
    plans: [],
    omittedTests: 0,
    ...extra,
  });

  it('applyMappingChange keeps the dismissed list bounded and never duplicates a pair', () => {
    let record = trace({});
    for (let index = 0; index < 600; index += 1) {
      record = applyMappingChange(
        record,
        {
          action: 'unmap',
          testIssueId: String(10_000 + index),
          testKey: `DEMO-${index + 1}`,
          criterionId: 'ac-0123abcd',
        },
        T0,
      );
    }
    record = applyMappingChange(
      record,
      { action: 'unmap', testIssueId: '10599', testKey: 'DEMO-600', criterionId: 'ac-0123abcd' },
      T0,
    );
    expect(record.dismissed).toHaveLength(500);
    expect(record.dismissed?.at(-1)?.testIssueId).toBe('10599');
    expect(record.dismissed?.[0]?.testIssueId).toBe('10100');
    expect(traceRecordSchema.safeParse(record).success).toBe(true);
  });

  it('the view hides what the caller cannot see, but the state still counts it', () => {
    const criteria: CriteriaRecord = {
      version: 1,
      updatedAt: T0,
      criteria: [{ id: 'ac-0123abcd', text: 'A guest can pay', source: 'list', revision: 1, since: T0 }],
      removed: [],
    };
    const record = trace({
      covering: [
        { testIssueId: '101', testKey: 'DEMO-11' },
        { testIssueId: '102', testKey: 'DEMO-12' },
        { testIssueId: '103', testKey: 'DEMO-13' },
      ],
      mappings: [
        { testIssueId: '101', testKey: 'DEMO-11', criterionIds: ['ac-0123abcd'], source: 'manual' },
        { testIssueId: '102', testKey: 'DEMO-12', criterionIds: ['ac-0123abcd'], source: 'generated' },
      ],
      latest: [
        { testIssueId: '101', status: 'PASSED', at: T0 },
        { testIssueId: '102', status: 'FAILED', at: T0 },
      ],
    });
    const visible = new Map([
      ['101', { key: 'DEMO-11', summary: 'Pay as a guest' }],
      ['103', { key: 'DEMO-13' }],
    ]);
    const answer = criteriaViewOf({ criteria, trace: record }, visible, false);
    expect(answer.criteria[0]?.state).toBe('failing');
    expect(answer.criteria[0]?.tests).toEqual([
      {
        key: 'DEMO-11',
        summary: 'Pay as a guest',
        source: 'manual',
        outcome: 'passed',
        status: 'PASSED',
        at: T0,
        stale: false,
      },
    ]);
    expect(answer.unmappedTests).toEqual([{ key: 'DEMO-13' }]);
    expect(answer.hiddenTests).toBe(1);
    expect(JSON.stringify(answer)).not.toContain('DEMO-12');
  });
});

describe('traceFromDocument keeps generated mappings the document does not carry', () => {
  it('keeps a previous generated mapping while its test is in the document, minus unmapped pairs', async () => {
    const world = await syncedWorld();
    const { trace } = await stored(world);
    const [first, second] = trace.covering ?? [];
    if (!first || !second) throw new Error('DEMO-1 has two tests');
    const previous: TraceRecord = {
      ...trace,
      mappings: [
        {
          testIssueId: first.testIssueId,
          testKey: 'OLD-1',
          criterionIds: ['ac-0123abcd', 'ac-4567abcd'],
          source: 'generated',
        },
        { testIssueId: '99999', testKey: 'DEMO-999', criterionIds: ['ac-0123abcd'], source: 'generated' },
      ],
      dismissed: [
        { testIssueId: first.testIssueId, criterionId: 'ac-4567abcd', kind: 'unmapped' },
        { testIssueId: '99999', criterionId: 'ac-0123abcd', kind: 'rejected' },
      ],
    };
    const { gatherContext } = await import('../../../src/context/gather');
    const { loadProjectClients } = await import('../../../src/sync/project-clients');
    const { Deadline } = await import('../../../src/clients/upstream');
    const clients = await loadProjectClients(world.platform, DEMO.project.id);
    const issue = world.jiraStore.issue(ISSUE);
    const { document } = await gatherContext(
      { jira: world.platform.jira, xray: clients.xray },
      {
        cloudId: DEMO.cloudId,
        siteUrl: DEMO.siteUrl,
        project: DEMO.project,
        issueId: issue?.id ?? '',
        actor: 'app',
        trigger: 'scheduled',
        settings: clients.settings,
        now: world.platform.clock.now(),
        deadline: new Deadline(20_000),
      },
    );
    const next = traceFromDocument(document, previous, T0);
    expect(next?.mappings).toEqual([
      {
        testIssueId: first.testIssueId,
        testKey: first.testKey,
        criterionIds: ['ac-0123abcd'],
        source: 'generated',
      },
    ]);
    // The pair of a test no longer covering the requirement is forgotten; the other is kept.
    expect(next?.dismissed).toEqual([
      { testIssueId: first.testIssueId, criterionId: 'ac-4567abcd', kind: 'unmapped' },
    ]);
    expect(next?.covering?.map((test) => test.testIssueId)).toContain(second.testIssueId);

    // A cut list (more tests than the document holds): a test left out may still cover the
    // requirement, so its generated mapping, its dismissals and its covering entry stay.
    const cut = {
      ...document,
      xray: { ...document.xray, testsTotal: document.xray.tests.length + 1 },
    };
    const kept = traceFromDocument(
      cut,
      {
        ...previous,
        covering: [...(previous.covering ?? []), { testIssueId: '99999', testKey: 'DEMO-999' }],
      },
      T0,
    );
    expect(kept?.mappings).toContainEqual(previous.mappings[1]);
    expect(kept?.dismissed).toHaveLength(2);
    expect(kept?.covering).toContainEqual({ testIssueId: '99999', testKey: 'DEMO-999' });
  });
});
