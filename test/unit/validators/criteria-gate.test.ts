/**
 * The `jira:workflowValidator` handler through the local platform (issue 18, item 4;
 * docs/forge-fidelity.md rule 18): Jira checks the user first, then calls the function with the
 * documented event and reads `{ result, errorMessage }`, within Forge's 25 s. The gate answers from
 * stored state only (no Jira, Xray or SQAI request): it refuses while criteria are unproven and allows
 * after a passing result; a user who cannot see the issue learns nothing.
 */
import { updateCriteria } from '../../../src/criteria/record';
import type { TraceRecord } from '../../../src/criteria/state';
import { issueKeyAlias, traceKey, writeTraceability } from '../../../src/criteria/store';
import { inInvocation } from '../../../src/platform/invocation';
import {
  checkCriteriaGate,
  handleWorkflowValidator,
  MISCONFIGURED_MESSAGE,
  NO_ISSUE_MESSAGE,
  parseGateConfiguration,
  UNREADABLE_MESSAGE,
} from '../../../src/validators/criteria-gate';
import { UNKNOWN_MESSAGE } from '../../../src/criteria/workflow-gate';
import { ForgeLimitError, transitionWithValidator } from '../../harness/local-forge';
import { createWorld, DEMO, type World } from '../../harness/world';

/** The function as src/index.ts exports it (see the notes: `criteriaGateValidator`). */
const validator = inInvocation(handleWorkflowValidator);

const AT = '2026-11-01T10:00:00.000Z';
const LATER = '2026-11-20T10:00:00.000Z';
const CRITERIA = [
  'Declined cards show "Your bank declined the payment"',
  'Refunds are issued to the original card',
];

async function storeState(world: World, latest: TraceRecord['latest']) {
  const requirement = world.jiraStore.issue('DEMO-1');
  if (!requirement) throw new Error('no DEMO-1');
  const { record, criteria } = updateCriteria(
    undefined,
    CRITERIA.map((text) => ({ text, source: 'list' as const })),
    AT,
  );
  const [declined, refunds] = criteria;
  if (!declined || !refunds) throw new Error('criteria missing');
  await writeTraceability(world.platform.kvs, {
    issueId: requirement.id,
    criteria: record,
    trace: {
      version: 1,
      updatedAt: LATER,
      issueKey: 'DEMO-1',
      // The tests live in OTHER, a project most DEMO users cannot browse.
      mappings: [
        { testIssueId: '70001', testKey: 'OTHER-71', criterionIds: [declined.id], source: 'generated' },
        { testIssueId: '70002', testKey: 'OTHER-72', criterionIds: [refunds.id], source: 'manual' },
      ],
      latest,
      plans: [],
      omittedTests: 0,
    },
  });
  return requirement;
}

const transition = (
  world: World,
  overrides: { accountId?: string; configuration?: unknown; issueKey?: string } = {},
) =>
  transitionWithValidator(world.platform, validator, {
    cloudId: DEMO.cloudId,
    issueKey: overrides.issueKey ?? 'DEMO-1',
    accountId: overrides.accountId ?? DEMO.admin,
    ...('configuration' in overrides ? { configuration: overrides.configuration } : {}),
  });

describe('the criteria gate validator through the local platform', () => {
  it('refuses while a criterion is not proven, then allows after its test passes', async () => {
    const world = createWorld();
    await storeState(world, [{ testIssueId: '70001', status: 'PASSED', at: LATER }]);
    const fetchedBefore = world.platform.fetched.length;
    const refused = await transition(world, { configuration: JSON.stringify({ require: 'proven' }) });
    expect(refused).toMatchObject({
      status: 'validated',
      result: false,
      errorMessage:
        '1 acceptance criterion is not proven (not run): “Refunds are issued to the original card” (SQAI Connector)',
    });

    // A run passes in Xray; sync records it (here: written directly).
    await storeState(world, [
      { testIssueId: '70001', status: 'PASSED', at: LATER },
      { testIssueId: '70002', status: 'PASSED', at: LATER },
    ]);
    const allowed = await transition(world, { configuration: JSON.stringify({ require: 'proven' }) });
    expect(allowed).toMatchObject({ status: 'validated', result: true });
    expect(allowed).not.toHaveProperty('errorMessage');
    // No Xray or SQAI request, ever.
    expect(world.platform.fetched.length).toBe(fetchedBefore);
  });

  it('answers from four storage reads (alias; criteria, trace, living at once), well within the time limit', async () => {
    const world = createWorld();
    await storeState(world, []);
    const reads = world.platform.kvs.meter.reads;
    world.platform.kvs.meter.latencyMs = 10;
    const outcome = await transition(world);
    // Issue 19: the living record (possibly stale tests) is read with the two records.
    expect(world.platform.kvs.meter.reads - reads).toBe(4);
    if (outcome.status !== 'validated') throw new Error('expected the validator to run');
    expect(outcome.result).toBe(false);
    expect(outcome.elapsedMs).toBeLessThan(1_000);
  });

  it('a user who cannot see the issue learns nothing: Jira refuses the transition before the validator runs', async () => {
    const world = createWorld();
    await storeState(world, []);
    const reads = world.platform.kvs.meter.reads;
    const outcome = await transition(world, { accountId: DEMO.otherAdmin });
    expect(outcome).toEqual({
      status: 'refused-by-jira',
      httpStatus: 404,
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
    });
    expect(world.platform.kvs.meter.reads).toBe(reads);
  });

  it("a user who sees the requirement but not its tests reads the issue's own criteria, never a test", async () => {
    const world = createWorld();
    await storeState(world, [
      { testIssueId: '70001', status: 'FAILED', at: LATER },
      { testIssueId: '70002', status: 'ABORTED', at: LATER },
    ]);
    const outcome = await transition(world, { accountId: DEMO.user });
    if (outcome.status !== 'validated') throw new Error('expected the validator to run');
    expect(outcome.result).toBe(false);
    expect(outcome.errorMessage).toContain('“Declined cards show "Your bank declined the payment"”');
    expect(outcome.errorMessage).not.toMatch(/OTHER|7000|FAILED|ABORTED/);
  });

  it('with nothing stored refuses by default, and allows when the validator says so', async () => {
    const world = createWorld();
    expect(await transition(world)).toMatchObject({ result: false, errorMessage: UNKNOWN_MESSAGE });
    expect(await transition(world, { configuration: { whenUnknown: 'allow' } })).toMatchObject({
      result: true,
    });
  });

  it('a malformed configuration refuses with a message for the admin, even when unknown is allowed', async () => {
    const world = createWorld();
    await storeState(world, []);
    for (const configuration of [
      '{"require": "proven"',
      JSON.stringify({ require: 'tested', whenUnknown: 'allow' }),
      { testPlanKey: 42 },
      ['proven'],
    ]) {
      expect(await transition(world, { configuration })).toMatchObject({
        result: false,
        errorMessage: MISCONFIGURED_MESSAGE,
      });
    }
  });

  it('a moved issue (a stale key alias) is unknown, never another issue’s state', async () => {
    const world = createWorld();
    const requirement = await storeState(world, []);
    await world.platform.kvs.set(issueKeyAlias('DEMO-2'), { issueId: requirement.id });
    expect(await transition(world, { issueKey: 'DEMO-2' })).toMatchObject({
      result: false,
      errorMessage: UNKNOWN_MESSAGE,
    });
  });

  it('a stored record that does not parse is unknown (and logged)', async () => {
    const world = createWorld();
    const requirement = await storeState(world, []);
    await world.platform.kvs.set(traceKey(requirement.id), { version: 99 });
    expect(await transition(world)).toMatchObject({ result: false, errorMessage: UNKNOWN_MESSAGE });
    expect(world.platform.log.lines.some((line) => line.includes('does not parse'))).toBe(true);
  });
});

describe('checkCriteriaGate', () => {
  const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const failing = {
    get: () => Promise.reject(new Error('storage down')),
    set: jest.fn(),
    delete: jest.fn(),
    claim: jest.fn(),
    query: jest.fn(),
  };

  it('a storage failure follows whenUnknown', async () => {
    const event = (configuration: unknown) => ({ issue: { key: 'DEMO-1' }, configuration, transition: {} });
    expect(await checkCriteriaGate({ kvs: failing, log }, event({}))).toEqual({
      result: false,
      errorMessage: UNREADABLE_MESSAGE,
    });
    expect(await checkCriteriaGate({ kvs: failing, log }, event({ whenUnknown: 'allow' }))).toEqual({
      result: true,
    });
  });

  it('an event without an issue key is refused', async () => {
    for (const event of [undefined, {}, { issue: {} }, { issue: { key: 'not a key' } }]) {
      expect(await checkCriteriaGate({ kvs: failing, log }, event)).toEqual({
        result: false,
        errorMessage: NO_ISSUE_MESSAGE,
      });
    }
  });

  it('reads the configuration as a JSON string or parsed, nothing meaning the defaults', () => {
    expect(parseGateConfiguration(undefined)).toEqual({ require: 'proven', whenUnknown: 'refuse' });
    expect(parseGateConfiguration('')).toEqual({ require: 'proven', whenUnknown: 'refuse' });
    expect(parseGateConfiguration('{"require":"covered","testPlanKey":"DEMO-50"}')).toEqual({
      require: 'covered',
      testPlanKey: 'DEMO-50',
      whenUnknown: 'refuse',
    });
    expect(parseGateConfiguration('nonsense')).toBeUndefined();
  });
});

describe('the harness holds a validator to the module contract', () => {
  it('fails the test when the answer is not { result, errorMessage? }', async () => {
    const world = createWorld();
    const bad = () => ({ ok: true });
    await expect(
      transitionWithValidator(world.platform, bad, {
        cloudId: DEMO.cloudId,
        issueKey: 'DEMO-1',
        accountId: DEMO.admin,
      }),
    ).rejects.toBeInstanceOf(ForgeLimitError);
  });

  it('fails the test when the validator runs past 25 s', async () => {
    const world = createWorld();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const slow = () => {
        jest.advanceTimersByTime(25_001);
        return { result: true };
      };
      await expect(
        transitionWithValidator(world.platform, slow, {
          cloudId: DEMO.cloudId,
          issueKey: 'DEMO-1',
          accountId: DEMO.admin,
        }),
      ).rejects.toMatchObject({ limit: 'time' });
    } finally {
      jest.useRealTimers();
    }
  });
});
