/**
 * The sync keeps a requirement's criterion state current (issue 18; src/criteria/sync-traceability.ts):
 * from the context document it has just read — no Xray request of its own — it rebuilds the
 * traceability record, keeps people's mappings, and writes the record and the `sqaiCriteria`
 * property only when they changed; the workflow gate then reads what it wrote.
 */
import { setIssueProperty } from '../../../src/clients/jira-writes';
import type { ContextDocument } from '../../../src/context/schema';
import { CRITERIA_PROPERTY_KEY } from '../../../src/criteria/issue-property';
import { dirtyKey, rankKey, rankPointerKey } from '../../../src/criteria/project-index';
import { updateCriteria } from '../../../src/criteria/record';
import type { CriteriaRecord } from '../../../src/criteria/schema';
import type { TraceRecord } from '../../../src/criteria/state';
import { criteriaKey, issueKeyAlias, readTraceabilityByKey, traceKey } from '../../../src/criteria/store';
import {
  CRITERIA_PROPERTY_PURPOSE,
  keepTraceability,
  traceFromDocument,
} from '../../../src/criteria/sync-traceability';
import { decideGate, gateOptionsSchema } from '../../../src/criteria/workflow-gate';
import { isAppError } from '../../../src/errors';
import type { JiraTransport } from '../../../src/platform/ports';
import { livingKey } from '../../../src/living/baselines';
import { worldWithAppDocument } from '../../harness/app-document';
import { DEMO, type World } from '../../harness/world';

const T0 = '2026-12-01T10:00:00.000Z';

async function setUp() {
  const { world, requirement, read } = await worldWithAppDocument();
  const { record } = updateCriteria(
    undefined,
    [
      { text: 'A user signs in with the company account', source: 'list' },
      { text: 'A wrong password shows an error', source: 'list' },
    ],
    T0,
  );
  return { world, requirement, read, record };
}

/** The document as H6's generated tests give it: `criterionIds` on a generated test's entry. */
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
  const kvsWrites: string[] = [];
  const platform = {
    ...world.platform,
    jira: {
      request: (...args: Parameters<JiraTransport['request']>) => {
        calls.push(`${args[1].method ?? 'GET'} ${args[0]}`);
        return world.platform.jira.request(...args);
      },
    },
    kvs: {
      get: (key: string) => world.platform.kvs.get(key),
      claim: (key: string, value: unknown) => world.platform.kvs.claim(key, value),
      query: (...args: Parameters<World['platform']['kvs']['query']>) => world.platform.kvs.query(...args),
      set: (key: string, value: unknown) => {
        kvsWrites.push(key);
        return world.platform.kvs.set(key, value);
      },
      delete: (key: string) => {
        kvsWrites.push(`delete ${key}`);
        return world.platform.kvs.delete(key);
      },
    },
  };
  return { platform, calls, kvsWrites };
}

const ids = (record: CriteriaRecord) => record.criteria.map(({ id }) => id);

describe('keepTraceability', () => {
  it('records the state from the document, writes only on change, and the gate reads it', async () => {
    const { world, requirement, read, record } = await setUp();
    await world.platform.kvs.set(criteriaKey(requirement.id), record);
    const [signIn = '', wrongPassword = ''] = ids(record);
    const document = await read();
    const passed = document.xray.tests.find((test) => test.latestRun?.status === 'PASSED');
    const failed = document.xray.tests.find((test) => test.latestRun?.status === 'FAILED');
    if (!passed || !failed) throw new Error('the demo requirement has a passed and a failed test');
    const mapped = (doc: ContextDocument) =>
      generated(doc, { [passed.key]: [signIn], [failed.key]: [wrongPassword] });
    const { platform, calls, kvsWrites } = counting(world);

    expect(await keepTraceability(platform, mapped(document))).toEqual({
      outcome: 'updated',
      propertyWritten: true,
    });
    expect(calls).toEqual([`PUT /rest/api/3/issue/${requirement.id}/properties/${CRITERIA_PROPERTY_KEY}`]);
    // The ranking entry (and its pointer, and the project's change mark) before the record and alias.
    // Issue 19: the living record (each covering test's first baseline) comes first.
    expect(kvsWrites).toEqual([
      livingKey(requirement.id),
      rankKey(DEMO.project.id, requirement.id, {
        criteria: 2,
        proven: 1,
        failing: 1,
        stale: 0,
        changed: 0,
        notRun: 0,
        noTest: 0,
        unproven: 1,
        staleTests: 0,
      }),
      rankPointerKey(requirement.id),
      dirtyKey(DEMO.project.id),
      traceKey(requirement.id),
      issueKeyAlias('DEMO-1'),
    ]);
    expect(requirement.properties.get(CRITERIA_PROPERTY_KEY)).toEqual({
      v: 1,
      criteria: 2,
      proven: 1,
      failing: 1,
      stale: 0,
      changed: 0,
      notRun: 0,
      noTest: 0,
      unproven: 1,
      staleTests: 0,
    });
    const stored = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    expect(stored?.trace.mappings).toEqual([
      { testIssueId: passed.id, testKey: passed.key, criterionIds: [signIn], source: 'generated' },
      { testIssueId: failed.id, testKey: failed.key, criterionIds: [wrongPassword], source: 'generated' },
    ]);
    const options = gateOptionsSchema.parse({});
    expect(decideGate(stored, options)).toMatchObject({ allow: false });

    // Nothing changed: nothing is written, no Jira request.
    expect(await keepTraceability(platform, mapped(await read()))).toEqual({
      outcome: 'unchanged',
      propertyWritten: false,
    });
    expect(calls).toHaveLength(1);
    expect(kvsWrites).toHaveLength(6);

    // The failed test passes in a later run: proven, and the gate lets the issue through.
    const execution = failed.latestRun?.execution?.id ?? '';
    world.xrayStore.setRunStatus(execution, failed.id, 'PASSED', {
      at: new Date(world.platform.clock.now().getTime() + 60_000),
    });
    expect((await keepTraceability(platform, mapped(await read()))).outcome).toBe('updated');
    expect(requirement.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({ proven: 2, unproven: 0 });
    const after = await readTraceabilityByKey(world.platform.kvs, world.platform.log, 'DEMO-1');
    expect(decideGate(after, options)).toMatchObject({ allow: true });
    expect(calls).toHaveLength(2);
  });

  it('does nothing while the app holds no criteria for the requirement', async () => {
    const { world, requirement, read } = await setUp();
    const { platform, calls, kvsWrites } = counting(world);
    expect(await keepTraceability(platform, await read())).toEqual({
      outcome: 'noCriteria',
      propertyWritten: false,
    });
    expect(calls).toEqual([]);
    expect(kvsWrites).toEqual([]);
    expect(requirement.properties.has(CRITERIA_PROPERTY_KEY)).toBe(false);
  });

  it('never fails the sync: a refused property write is logged and retried next time', async () => {
    const { world, requirement, read, record } = await setUp();
    await world.platform.kvs.set(criteriaKey(requirement.id), record);
    const refusing = {
      ...world.platform,
      jira: {
        request: () =>
          Promise.resolve({
            status: 403,
            headers: new Headers({ 'content-type': 'application/json' }),
            text: () => Promise.resolve('{"errorMessages":["no"]}'),
          }),
      } as unknown as JiraTransport,
    };
    expect(await keepTraceability(refusing, await read())).toEqual({
      outcome: 'failed',
      propertyWritten: false,
    });
    expect(world.platform.kvs.data.has(traceKey(requirement.id))).toBe(false);
    expect((await keepTraceability(world.platform, await read())).propertyWritten).toBe(true);
  });

  it("names the criteria counts in a property write's failure", async () => {
    const transport = {
      request: () =>
        Promise.resolve({
          status: 404,
          headers: new Headers({ 'content-type': 'application/json' }),
          text: () => Promise.resolve('{"errorMessages":["Issue does not exist"]}'),
        }),
    } as unknown as JiraTransport;
    const error: unknown = await setIssueProperty(
      transport,
      'DEMO-1',
      CRITERIA_PROPERTY_KEY,
      {},
      { as: 'app' },
      CRITERIA_PROPERTY_PURPOSE,
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Failed to record the acceptance-criteria counts of DEMO-1/);
  });
});

describe('traceFromDocument', () => {
  const previousWith = (document: ContextDocument, extra: TraceRecord['mappings']): TraceRecord => ({
    version: 1,
    updatedAt: T0,
    issueKey: 'DEMO-1',
    mappings: extra,
    latest: [{ testIssueId: '19999', status: 'FAILED', at: T0 }],
    plans: [],
    omittedTests: document.xray.testsTotal - document.xray.tests.length,
  });

  it("keeps people's mappings of tests that still cover the requirement, under their current key", async () => {
    const { read, record } = await setUp();
    const document = await read();
    const [first] = document.xray.tests;
    if (!first) throw new Error('no test');
    const [id = ''] = ids(record);
    const previous = previousWith(document, [
      { testIssueId: first.id, testKey: 'OLD-1', criterionIds: [id], source: 'manual' },
      { testIssueId: '19999', testKey: 'DEMO-999', criterionIds: [id], source: 'confirmed' },
    ]);
    const trace = traceFromDocument(document, previous, T0);
    expect(trace?.mappings).toEqual([
      { testIssueId: first.id, testKey: first.key, criterionIds: [id], source: 'manual' },
    ]);
    expect(trace?.latest.some((result) => result.testIssueId === '19999')).toBe(false);
  });

  it("a user's partial view never drops a test it does not show (it may be hidden from them)", async () => {
    const { read, record } = await setUp();
    const document = await read();
    const [id = ''] = ids(record);
    const previous = previousWith(document, [
      { testIssueId: '19999', testKey: 'DEMO-999', criterionIds: [id], source: 'generated' },
    ]);
    const trace = traceFromDocument(document, previous, T0, true);
    expect(trace?.mappings).toContainEqual(previous.mappings[0]);
    expect(trace?.latest).toContainEqual({ testIssueId: '19999', status: 'FAILED', at: T0 });
  });

  it('ignores invalid criterion ids and an entry without any, and reads the run time', async () => {
    const { read, record } = await setUp();
    const document = await read();
    const [first, second] = document.xray.tests;
    if (!first || !second) throw new Error('two tests');
    const [id = ''] = ids(record);
    const trace = traceFromDocument(
      generated(document, { [first.key]: ['not-an-id', id, id], [second.key]: ['nope'] }),
      undefined,
      T0,
    );
    expect(trace?.mappings).toEqual([
      { testIssueId: first.id, testKey: first.key, criterionIds: [id], source: 'generated' },
    ]);
    expect(trace?.latest.find((result) => result.testIssueId === first.id)).toEqual({
      testIssueId: first.id,
      status: first.latestRun?.status,
      at: first.latestRun?.finishedOn,
    });
  });

  it("moves the key alias when the issue's key changed", async () => {
    const { world, requirement, read, record } = await setUp();
    await world.platform.kvs.set(criteriaKey(requirement.id), record);
    await world.platform.kvs.set(traceKey(requirement.id), {
      ...previousWith(await read(), []),
      issueKey: 'OLD-7',
    });
    await world.platform.kvs.set(issueKeyAlias('OLD-7'), { issueId: requirement.id });
    expect((await keepTraceability(world.platform, await read())).outcome).toBe('updated');
    expect(world.platform.kvs.data.has(issueKeyAlias('OLD-7'))).toBe(false);
    expect(world.platform.kvs.data.get(issueKeyAlias('DEMO-1'))).toEqual({ issueId: requirement.id });
  });
});
