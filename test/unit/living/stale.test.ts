/**
 * Possibly stale tests everywhere they show (issue 19 items 1 and 5; src/living/stale.ts): the sync
 * records baselines and flags tests when a criterion is reworded, the `sqaiCriteria` property and the
 * test's own `sqaiTestReview` property are written only on change and are searchable in JQL, the
 * Criteria view shows reasons only for tests the caller may see, and a review clears the state.
 */
import type { CriteriaViewDto } from '../../../src/api';
import type { ContextDocument } from '../../../src/context/schema';
import { criteriaViewOf } from '../../../src/criteria/criteria-view';
import { CRITERIA_PROPERTY_KEY } from '../../../src/criteria/issue-property';
import { updateCriteria } from '../../../src/criteria/record';
import type { CriteriaRecord } from '../../../src/criteria/schema';
import { criteriaKey, readTraceabilityByKey } from '../../../src/criteria/store';
import { keepTraceability } from '../../../src/criteria/sync-traceability';
import { decideGate, gateOptionsSchema } from '../../../src/criteria/workflow-gate';
import { livingKey, readLiving } from '../../../src/living/baselines';
import {
  markTestsReviewed,
  publishTestReview,
  TEST_REVIEW_PROPERTY_INDEX,
  TEST_REVIEW_PROPERTY_KEY,
  testReviewKey,
} from '../../../src/living/stale';
import type { JiraTransport } from '../../../src/platform/ports';
import { data, demoSettings } from '../../harness/demo-settings';
import { evaluateJql } from '../../harness/jira-sim/jql';
import { worldWithAppDocument } from '../../harness/app-document';
import { createWorld, DEMO, type World } from '../../harness/world';

const T0 = '2026-12-01T10:00:00.000Z';
const SIGN_IN = 'A user signs in with the company account';
const WRONG_PASSWORD = 'A wrong password shows an error';

async function setUp() {
  const { world, requirement, read } = await worldWithAppDocument();
  const record = updateCriteria(
    undefined,
    [
      { text: SIGN_IN, source: 'list' },
      { text: WRONG_PASSWORD, source: 'list' },
    ],
    T0,
  ).record;
  await world.platform.kvs.set(criteriaKey(requirement.id), record);
  return { world, requirement, read, record };
}

/** The document as generated tests give it: `criterionIds` on a generated test's entry. */
function generated(document: ContextDocument, byKey: Record<string, string[]>): ContextDocument {
  return {
    ...document,
    xray: {
      ...document.xray,
      tests: document.xray.tests.map((test) =>
        byKey[test.key] ? { ...test, criterionIds: byKey[test.key] } : test,
      ),
    },
  };
}

function counting(world: World) {
  const calls: string[] = [];
  const platform = {
    ...world.platform,
    jira: {
      request: (...args: Parameters<JiraTransport['request']>) => {
        calls.push(`${args[1].method ?? 'GET'} ${args[0]}`);
        return world.platform.jira.request(...args);
      },
    },
  };
  return { platform, calls };
}

const jql = (world: World, query: string) => evaluateJql(world.jiraStore, query).map((issue) => issue.key);

describe('possibly stale tests through the sync', () => {
  it('a reworded criterion flags its tests, publishes the counts and the tests’ property once, and a review clears them', async () => {
    const { world, requirement, read, record } = await setUp();
    const [signIn = '', wrongPassword = ''] = record.criteria.map((criterion) => criterion.id);
    const document = await read();
    const [first, second, ...others] = document.xray.tests;
    if (!first || !second) throw new Error('DEMO-1 has at least two tests');
    const mapped = (doc: ContextDocument) =>
      generated(doc, { [first.key]: [signIn], [second.key]: [wrongPassword] });
    const { platform, calls } = counting(world);

    // First sync: every covering test is baselined; nothing is stale.
    await keepTraceability(platform, mapped(document));
    const living = await readLiving(world.platform, requirement.id);
    expect(living?.tests.map((test) => test.testKey)).toEqual(document.xray.tests.map((test) => test.key));
    expect(living?.tests.every((test) => test.by === 'seen' && test.staleSince === undefined)).toBe(true);
    expect(requirement.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({ stale: 0, staleTests: 0 });
    expect(calls.filter((call) => call.includes(TEST_REVIEW_PROPERTY_KEY))).toEqual([]);

    // The sign-in criterion is reworded (same id, revision 2): its test, and the unmapped ones, are flagged.
    const edited = 'A user signs in with the company SSO account';
    const next = updateCriteria(
      record,
      [
        { text: edited, source: 'list' },
        { text: WRONG_PASSWORD, source: 'list' },
      ],
      '2026-12-02T10:00:00.000Z',
    ).record;
    expect(next.criteria[0]?.id).toBe(signIn);
    await world.platform.kvs.set(criteriaKey(requirement.id), next);
    calls.length = 0;
    await keepTraceability(platform, mapped(await read()));
    expect(requirement.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({
      criteria: 2,
      stale: 1,
      staleTests: 1 + others.length,
    });
    const flagged = [first, ...others];
    expect(calls.filter((call) => call.includes(TEST_REVIEW_PROPERTY_KEY))).toHaveLength(flagged.length);
    expect(world.jiraStore.issue(first.key)?.properties.get(TEST_REVIEW_PROPERTY_KEY)).toEqual({
      v: 1,
      stale: 1,
      requirements: [requirement.id],
    });
    // Searchable: the requirement by its stale tests, the tests themselves.
    expect(jql(world, 'sqaiStaleTests > 0')).toEqual(['DEMO-1']);
    expect(jql(world, 'sqaiStale > 0')).toEqual(['DEMO-1']);
    expect(jql(world, 'sqaiStaleTest > 0').sort()).toEqual(flagged.map((test) => test.key).sort());
    // The gate: the reworded criterion is not proven.
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    const decision = decideGate(stored, gateOptionsSchema.parse({}));
    expect(decision.allow ? '' : decision.message).toMatch(/stale/);
    expect(decision.allow ? [] : decision.blocking).toContain(signIn);
    // The reason, with the wording before → after.
    const held = await readLiving(world.platform, requirement.id);
    expect(held?.tests.find((test) => test.testIssueId === first.id)?.staleSince).toBeDefined();

    // The same sync again: nothing is written anywhere.
    calls.length = 0;
    const writes = world.platform.kvs.meter.writes;
    await keepTraceability(platform, mapped(await read()));
    expect(calls).toEqual([]);
    expect(world.platform.kvs.meter.writes).toBe(writes);

    // People reviewed the tests (an applied update): they leave the stale state everywhere.
    calls.length = 0;
    await markTestsReviewed(platform, {
      issueId: requirement.id,
      projectId: DEMO.project.id,
      testIssueIds: flagged.map((test) => test.id),
      by: 'updated',
    });
    expect(requirement.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({ stale: 0, staleTests: 0 });
    expect(jql(world, 'sqaiStaleTest > 0')).toEqual([]);
    expect(world.jiraStore.issue(first.key)?.properties.get(TEST_REVIEW_PROPERTY_KEY)).toEqual({
      v: 1,
      stale: 0,
      requirements: [],
    });
    expect(await world.platform.kvs.get(testReviewKey(first.id))).toBeUndefined();
    const reviewed = await readLiving(world.platform, requirement.id);
    expect(reviewed?.tests.find((test) => test.testIssueId === first.id)).toMatchObject({ by: 'updated' });
    expect(calls.filter((call) => call.startsWith('PUT'))).toHaveLength(flagged.length + 1);
  });

  it('a test shared by two requirements lists both; its property is written only when it changes', async () => {
    const world = createWorld();
    const test = world.jiraStore.issue('DEMO-5');
    if (!test) throw new Error('no DEMO-5');
    const { platform, calls } = counting(world);
    expect(await publishTestReview(platform, test.id, '10101', true)).toBe(true);
    expect(await publishTestReview(platform, test.id, '10101', true)).toBe(false);
    expect(await publishTestReview(platform, test.id, '10102', true)).toBe(true);
    expect(test.properties.get(TEST_REVIEW_PROPERTY_KEY)).toEqual({
      v: 1,
      stale: 2,
      requirements: ['10101', '10102'],
    });
    expect(await publishTestReview(platform, test.id, '10101', false)).toBe(true);
    expect(test.properties.get(TEST_REVIEW_PROPERTY_KEY)).toEqual({
      v: 1,
      stale: 1,
      requirements: ['10102'],
    });
    // Unlisting a requirement that is not listed writes nothing.
    expect(await publishTestReview(platform, test.id, '10101', false)).toBe(false);
    expect(calls).toHaveLength(3);
    expect(
      calls.every(
        (call) => call === `PUT /rest/api/3/issue/${test.id}/properties/${TEST_REVIEW_PROPERTY_KEY}`,
      ),
    ).toBe(true);
  });

  it('the manifest indexes the tests’ property for JQL', () => {
    const world = createWorld();
    expect(TEST_REVIEW_PROPERTY_INDEX).toEqual([
      { path: 'stale', type: 'number', searchAlias: 'sqaiStaleTest' },
    ]);
    const test = world.jiraStore.issue('DEMO-5');
    if (!test) throw new Error('no DEMO-5');
    world.jiraStore.setProperty(test.id, TEST_REVIEW_PROPERTY_KEY, {
      v: 1,
      stale: 2,
      requirements: ['1', '2'],
    });
    expect(jql(world, 'sqaiStaleTest > 1')).toEqual(['DEMO-5']);
    expect(jql(world, `issue.property[${TEST_REVIEW_PROPERTY_KEY}].stale = 2`)).toEqual(['DEMO-5']);
  });
});

describe('the Criteria view', () => {
  it('gives reasons for the tests the caller sees, and leaves hidden tests out entirely', async () => {
    const { world, requirement, read, record } = await setUp();
    const [signIn = '', wrongPassword = ''] = record.criteria.map((criterion) => criterion.id);
    const document = await read();
    const [first, second] = document.xray.tests.filter((test) => test.latestRun?.status !== 'FAILED');
    if (!first || !second) throw new Error('DEMO-1 has at least two tests that did not fail');
    // Both tests prove the sign-in criterion; the reader cannot see the second.
    const mapped = generated(document, { [first.key]: [signIn], [second.key]: [signIn, wrongPassword] });
    await keepTraceability(world.platform, mapped);
    const edited = 'A user signs in with the company SSO account';
    const next = updateCriteria(
      record,
      [
        { text: edited, source: 'list' },
        { text: WRONG_PASSWORD, source: 'list' },
      ],
      '2026-12-02T10:00:00.000Z',
    ).record;
    await world.platform.kvs.set(criteriaKey(requirement.id), next);
    await keepTraceability(
      world.platform,
      generated(await read(), { [first.key]: [signIn], [second.key]: [signIn, wrongPassword] }),
    );
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    if (!stored) throw new Error('nothing stored');
    const visible = new Map(
      document.xray.tests
        .filter((test) => test.id !== second.id)
        .map((test) => [test.id, { key: test.key, summary: test.summary }]),
    );
    const view = criteriaViewOf(
      { criteria: stored.criteria, trace: stored.trace, living: stored.living },
      visible,
      true,
    );
    const criterion = view.criteria.find((held) => held.id === signIn);
    expect(criterion?.state).toBe('stale');
    expect(criterion?.tests.map((test) => [test.key, test.staleReasons])).toEqual([
      [
        first.key,
        [{ kind: 'criterionChanged', criterionId: signIn, number: 1, before: SIGN_IN, after: edited }],
      ],
    ]);
    // The wrong-password criterion did not change: no reasons on it.
    expect(
      view.criteria.find((held) => held.id === wrongPassword)?.tests.every((test) => !test.staleReasons),
    ).toBe(true);
    const shownKeys = (view.staleTests ?? []).map((test) => test.key);
    expect(shownKeys).toContain(first.key);
    expect(shownKeys).not.toContain(second.key);
    expect(JSON.stringify(view)).not.toContain(second.key);
    // The counts are the requirement's: the hidden stale test still counts.
    expect(view.summary).toMatchObject({ stale: 1, staleTests: (view.staleTests ?? []).length + 1 });
    expect(await world.platform.kvs.get(livingKey(requirement.id))).toBeDefined();
  });
});

describe('mapping changes are reviews', () => {
  it('mapping a pair again after its criterion was reworded resets its baseline: no longer stale', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill: criteria, trace and living records
    const requirement = world.jiraStore.issue('DEMO-1');
    if (!requirement) throw new Error('no DEMO-1');
    const view = async () =>
      data(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, 'DEMO-1', DEMO.admin));
    const change = async (action: string, testKey: string, criterionId: string) =>
      data(
        await world.invokeIssue<CriteriaViewDto>(
          'changeCriterionMapping',
          { action, testKey, criterionId },
          'DEMO-1',
          DEMO.admin,
        ),
      );
    const first = await view();
    const [criterion] = first.criteria;
    const [test] = first.unmappedTests;
    if (!criterion || !test) throw new Error('DEMO-1 has criteria and tests');
    await change('map', test.key, criterion.id);

    // The criterion is reworded (what the next sync would store): the mapped test is possibly stale.
    const record = (await world.platform.kvs.get(criteriaKey(requirement.id))) as CriteriaRecord;
    const edited = `${criterion.text} within two seconds`;
    await world.platform.kvs.set(criteriaKey(requirement.id), {
      ...record,
      criteria: record.criteria.map((held) =>
        held.id === criterion.id
          ? { ...held, text: edited, revision: held.revision + 1, since: '2026-12-05T10:00:00.000Z' }
          : held,
      ),
    });
    const stale = await view();
    const shown = stale.criteria.find((held) => held.id === criterion.id);
    expect(shown?.state).toBe('stale');
    expect(shown?.tests.find((held) => held.key === test.key)?.staleReasons).toEqual([
      {
        kind: 'criterionChanged',
        criterionId: criterion.id,
        number: 1,
        before: criterion.text,
        after: edited,
      },
    ]);

    // Mapping it again is the person's review of the pair.
    const remapped = await change('map', test.key, criterion.id);
    const now = remapped.criteria.find((held) => held.id === criterion.id);
    expect(now?.state).not.toBe('stale');
    expect(now?.tests.find((held) => held.key === test.key)?.staleReasons).toBeUndefined();
    expect((remapped.staleTests ?? []).map((held) => held.key)).not.toContain(test.key);
  });
});
