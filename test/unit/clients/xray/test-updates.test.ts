/**
 * Xray's step and definition mutations as the simulator models them (updateTestStep, addTestStep,
 * removeTestStep, updateGherkinTestDefinition, updateUnstructuredTestDefinition), and the app's writer
 * (src/clients/xray/test-updates.ts): aliased ops in one request, run in order, sent 'unsafe' (a lost
 * answer is not resent), with the harness's lost-answer faults applying to them.
 */
import { clearXrayTokenCache, XrayClient } from '../../../../src/clients/xray/client';
import { STEP_OPS_PER_REQUEST } from '../../../../src/clients/xray/documents';
import { chunksOf, writeOps } from '../../../../src/clients/xray/test-updates';
import type { AppError } from '../../../../src/errors';
import type { ApplyOp } from '../../../../src/living/apply-plan';
import { describeWithContracts } from '../../../harness/contracts';
import { directHttp } from '../../../harness/xray-sim/direct-http';
import { at, FIX, fixture, postGraphql, tokenFor, type Fixture } from '../../../harness/xray-sim/fixtures';

const step = (label: string) => ({ action: `Do ${label}`, data: '', result: `${label} happens` });

function seed(fx: Fixture) {
  const manual = fx.store.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'Manual',
    testType: 'Manual',
    steps: [step('a'), step('b'), step('c')],
  }).id;
  const cucumber = fx.store.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'Cucumber',
    testType: 'Cucumber',
    gherkin: 'Given a\nThen b',
  }).id;
  const generic = fx.store.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'Generic',
    testType: 'Generic',
    unstructured: 'Explore',
  }).id;
  return { manual, cucumber, generic };
}

const client = (fx: Fixture) => {
  clearXrayTokenCache();
  return new XrayClient(
    { http: directHttp(fx.sim), now: fx.clock.now },
    { clientId: FIX.clientId, clientSecret: FIX.clientSecret, region: 'global' },
  );
};

const failureOf = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
};

describeWithContracts('Xray simulator: step and definition mutations', () => {
  it('updateTestStep changes the fields given and answers UpdateTestStepResult', async () => {
    const fx = fixture();
    const { manual } = seed(fx);
    const token = await tokenFor(fx.sim);
    const [first] = fx.store.tests.get(manual)?.steps ?? [];
    const answer = await postGraphql(
      fx.sim,
      token,
      `mutation { updateTestStep(stepId: "${first?.id}", step: { result: "New result" }) { warnings addedAttachments removedAttachments } }`,
    );
    expect(answer.json()).toEqual({
      data: { updateTestStep: { warnings: [], addedAttachments: [], removedAttachments: [] } },
    });
    expect(fx.store.tests.get(manual)?.steps[0]).toEqual({ ...first, result: 'New result' });
  });

  it('addTestStep appends and answers the Step with a new id; removeTestStep removes by id, ids stay', async () => {
    const fx = fixture();
    const { manual } = seed(fx);
    const token = await tokenFor(fx.sim);
    const ids = (fx.store.tests.get(manual)?.steps ?? []).map((each) => each.id);
    const added = await postGraphql(
      fx.sim,
      token,
      `mutation { addTestStep(issueId: "${manual}", step: { action: "Do d", result: "d happens" }) { id action data result } }`,
    );
    const newId = at(added.json(), 'data', 'addTestStep', 'id');
    expect(at(added.json(), 'data', 'addTestStep')).toEqual({
      id: newId,
      action: 'Do d',
      data: '',
      result: 'd happens',
    });
    expect(ids).not.toContain(newId);
    const removed = await postGraphql(fx.sim, token, `mutation { removeTestStep(stepId: "${ids[1]}") }`);
    expect(removed.json()).toEqual({ data: { removeTestStep: null } });
    expect(fx.store.tests.get(manual)?.steps.map((each) => each.id)).toEqual([ids[0], ids[2], newId]);
    // A step removed is gone: a second removal is Xray's "not found", as an error beside null data.
    const again = await postGraphql(fx.sim, token, `mutation { removeTestStep(stepId: "${ids[1]}") }`);
    expect(again.status).toBe(200);
    expect(at(again.json(), 'errors', 0, 'message')).toBe(`Step with id "${ids[1]}" was not found.`);
  });

  it('definitions update only tests of that kind; steps only Steps tests (Xray-style errors)', async () => {
    const fx = fixture();
    const { manual, cucumber, generic } = seed(fx);
    const token = await tokenFor(fx.sim);
    const gherkinOnManual = await postGraphql(
      fx.sim,
      token,
      `mutation { updateGherkinTestDefinition(issueId: "${manual}", gherkin: "Given x") { issueId } }`,
    );
    expect(at(gherkinOnManual.json(), 'errors', 0, 'message')).toBe(
      `Test with id "${manual}" is not a Gherkin test.`,
    );
    const unstructuredOnCucumber = await postGraphql(
      fx.sim,
      token,
      `mutation { updateUnstructuredTestDefinition(issueId: "${cucumber}", unstructured: "x") { issueId } }`,
    );
    expect(at(unstructuredOnCucumber.json(), 'errors', 0, 'message')).toBe(
      `Test with id "${cucumber}" is not an Unstructured test.`,
    );
    const stepOnGeneric = await postGraphql(
      fx.sim,
      token,
      `mutation { addTestStep(issueId: "${generic}", step: { action: "x" }) { id } }`,
    );
    expect(at(stepOnGeneric.json(), 'errors', 0, 'message')).toContain('is not of a Steps kind');
    const ok = await postGraphql(
      fx.sim,
      token,
      `mutation { updateGherkinTestDefinition(issueId: "${cucumber}", gherkin: "Given x") { issueId gherkin } }`,
    );
    expect(ok.json()).toEqual({
      data: { updateGherkinTestDefinition: { issueId: cucumber, gherkin: 'Given x' } },
    });
    expect(fx.sim.documentErrors).toEqual([]);
  });
});

describeWithContracts('writeOps through the XrayClient', () => {
  it('runs the ops of one request in order: updates in place, adds appended in order, removals by id', async () => {
    const fx = fixture();
    const { manual } = seed(fx);
    const xray = client(fx);
    const ids = (fx.store.tests.get(manual)?.steps ?? []).map((each) => each.id);
    const ops: ApplyOp[] = [
      { op: 'update', position: 0, stepId: ids[0] ?? '', step: step('A') },
      { op: 'remove', position: 2, stepId: ids[2] ?? '' },
      { op: 'add', position: 2, step: step('d') },
      { op: 'add', position: 3, step: step('e') },
    ];
    const result = await writeOps(xray, { issueId: manual, key: 'DEMO-1' }, ops);
    expect(result.written).toBe(4);
    expect(result.addedStepIds).toHaveLength(2);
    expect(fx.store.tests.get(manual)?.steps.map((each) => each.action)).toEqual([
      'Do A',
      'Do b',
      'Do d',
      'Do e',
    ]);
    expect(
      fx.store.tests
        .get(manual)
        ?.steps.slice(2)
        .map((each) => each.id),
    ).toEqual(result.addedStepIds);
    expect(fx.sim.requests.filter((request) => request.operation === 'TestStepOps')).toHaveLength(1);
    expect(fx.sim.documentErrors).toEqual([]);
  });

  it('a lost answer is not resent: the write happened once, the caller gets XRAY_API_ERROR', async () => {
    const fx = fixture();
    const { manual, generic } = seed(fx);
    const xray = client(fx);
    fx.sim.faults.add({ bodyMatch: /mutation TestStepOps/, lose: true, status: 503, count: 1 });
    const error = await failureOf(
      writeOps(xray, { issueId: manual, key: 'DEMO-1' }, [{ op: 'add', position: 3, step: step('d') }]),
    );
    expect(error.code).toBe('XRAY_API_ERROR');
    // Xray did the work once; the 503 was not retried (an unsafe request).
    expect(fx.store.tests.get(manual)?.steps.map((each) => each.action)).toEqual([
      'Do a',
      'Do b',
      'Do c',
      'Do d',
    ]);
    expect(fx.sim.requests.filter((request) => request.operation === 'TestStepOps')).toHaveLength(1);

    fx.sim.faults.add({ bodyMatch: /UpdateUnstructuredDefinition/, lose: true, reset: true, count: 1 });
    const lost = await failureOf(
      writeOps(xray, { issueId: generic, key: 'DEMO-3' }, [{ op: 'unstructured', text: 'Explore more' }]),
    );
    expect(lost.code).toBe('XRAY_API_ERROR');
    expect(fx.store.tests.get(generic)?.unstructured).toBe('Explore more');
    expect(
      fx.sim.requests.filter((request) => request.operation === 'UpdateUnstructuredDefinition'),
    ).toHaveLength(1);
  });

  it('an op Xray refuses fails the request; the ops before it in the document took effect', async () => {
    const fx = fixture();
    const { manual } = seed(fx);
    const xray = client(fx);
    const ids = (fx.store.tests.get(manual)?.steps ?? []).map((each) => each.id);
    const error = await failureOf(
      writeOps(xray, { issueId: manual, key: 'DEMO-1' }, [
        { op: 'update', position: 0, stepId: ids[0] ?? '', step: step('A') },
        { op: 'remove', position: 1, stepId: 'no-such-step' },
        { op: 'add', position: 3, step: step('d') },
      ]),
    );
    expect(error.code).toBe('XRAY_API_ERROR');
    expect(error.message).toContain('Step with id "no-such-step" was not found.');
    // GraphQL runs mutation fields serially and goes on after a failed one: the caller must read
    // the test again (the apply does) rather than assume all or nothing.
    expect(fx.store.tests.get(manual)?.steps.map((each) => each.action)).toEqual([
      'Do A',
      'Do b',
      'Do c',
      'Do d',
    ]);
  });

  it('chunks: at most 25 step ops a request, a definition update alone', () => {
    const ops: ApplyOp[] = Array.from({ length: 60 }, (_, i) => ({
      op: 'add' as const,
      position: i,
      step: step(`${i}`),
    }));
    expect(chunksOf(ops).map((chunk) => chunk.length)).toEqual([
      STEP_OPS_PER_REQUEST,
      STEP_OPS_PER_REQUEST,
      10,
    ]);
    expect(chunksOf([{ op: 'gherkin', text: 'x' }])).toEqual([[{ op: 'gherkin', text: 'x' }]]);
    expect(chunksOf([])).toEqual([]);
  });
});
