/**
 * Trust, bad input from Xray: REAL answers of the Xray simulator (which executes Xray Cloud's SDL)
 * to every document the app sends, damaged at 1–4 random places — values set to null, deleted,
 * given the wrong type, emptied, made huge (numbers beyond 2^53, 1e308, BigInt digits), GraphQL
 * `errors` added — then answered (HTTP 200) to the REAL client functions that turn Xray's `data`
 * into the app's requirement context, batch contexts, change lists, project settings and created
 * issues. The requirement contexts are then built into context documents, as the app does.
 *
 * Every case ends in a well-formed result or a typed AppError (XRAY_API_ERROR) — never a TypeError,
 * never INTERNAL. The issue panel resolver, fed a damaged Xray answer, answers data or a typed error.
 */
import fc from 'fast-check';
import type { IssuePanelView, ResolverResult } from '../../../src/api';
import { getIssue, type JiraIssue } from '../../../src/clients/jira-issues';
import { changedRequirementsSince } from '../../../src/clients/xray/changes';
import { XrayClient } from '../../../src/clients/xray/client';
import {
  addTests,
  createTest,
  createTestExecution,
  createTestSet,
} from '../../../src/clients/xray/mutations';
import { getXrayProjectSettings } from '../../../src/clients/xray/project-settings';
import { resetBudgets } from '../../../src/clients/xray/rate-budget';
import {
  getRequirementContext,
  type XrayRequirementContext,
} from '../../../src/clients/xray/requirement-context';
import { getRequirementsBatch } from '../../../src/clients/xray/requirements-batch';
import { buildContextDocument } from '../../../src/context/build-document';
import { contextDocumentSchema } from '../../../src/context/schema';
import { isAppError } from '../../../src/errors';
import { describeWithContracts } from '../../harness/contracts';
import { OutcomeTallies } from '../../harness/property-report';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';
import {
  answerDamage,
  answerProblems,
  capturingHttp,
  errorDtoProblems,
  jsonText,
  mutate,
  mutations,
  oddString,
  prototypeIsClean,
  type Damage,
} from './arbitraries';
import { casesOf } from '../../harness/property-seed';

const RUNS = casesOf(1_000);
const PANEL_RUNS = casesOf(400);
const ISSUE = 'DEMO-1';
const SECRETS = [DEMO.xrayClientSecret, DEMO.sqaiToken] as const;
/** The requirements of the batch (the scheduled sync reads up to 25 at once). */
const BATCH_KEYS = ['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5'];
const SINCE = '2000-01-01T00:00:00.000Z';

/** The GraphQL operations of src/clients/xray/documents.ts whose answers are damaged here. */
const ALL_OPERATIONS = [
  'ProjectSettings',
  'RequirementContext',
  'RequirementsBatch',
  'ChangesSince',
  'CoveredByTest',
  'CreateTest',
  'CreateTestSet',
  'CreateTestExecution',
  'AddTestsToTestSet',
  'AddTestsToTestExecution',
  'AddTestsToTestPlan',
] as const;
type Operation = (typeof ALL_OPERATIONS)[number];

// ---------- damage ----------

/** Damage for an Xray answer: mostly nulls, then wrong types, deletions, empty lists, huge numbers, errors. */
const xrayDamage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: answerDamage, weight: 12 },
  {
    arbitrary: fc
      .oneof(
        fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, 1e21, -1, -0, 0.5, 1.5, 99.99, 4_294_967_296),
        fc.bigInt({ min: 10n ** 20n, max: 10n ** 40n }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      )
      .map<Damage>((value) => ({ kind: 'replace', value })),
    weight: 4,
  },
  { arbitrary: fc.constant<Damage>({ kind: 'replace', value: [] }), weight: 2 },
  { arbitrary: oddString.map<Damage>((value) => ({ kind: 'replace', value })), weight: 1 },
  {
    arbitrary: fc
      .oneof(
        fc.constant<unknown>([{ message: 'Error: Invalid issue id' }]),
        fc.constant<unknown>([]),
        fc.constant<unknown>(null),
        fc.constant<unknown>([{ message: null }, { locations: [] }]),
        oddString.map<unknown>((message) => [{ message }]),
      )
      .map<Damage>((value) => ({ kind: 'addKey', key: 'errors', value })),
    weight: 1,
  },
);

/** The captured answer damaged at 1–4 places, as text (the root `{data}` itself may be hit). */
const damagedText = (answer: unknown) =>
  mutations(xrayDamage, 4).map((changes) => jsonText(mutate(answer, changes)));

// ---------- checks of the parsed results ----------

const isString = (value: unknown): value is string => typeof value === 'string';
const stringArray = (value: unknown) => Array.isArray(value) && value.every(isString);
const nullableString = (value: unknown) => value === null || isString(value);

function requirementContextProblems(context: XrayRequirementContext): string[] {
  const problems: string[] = [];
  if (typeof context.projectEnabled !== 'boolean') problems.push('projectEnabled is not a boolean');
  if (!context.testTypes.every((type) => isString(type.name) && isString(type.kind)))
    problems.push('a test type without a name and kind');
  if (!stringArray(context.coverableIssueTypeIds)) problems.push('coverableIssueTypeIds are not strings');
  if (!nullableString(context.coverageLinkTypeId))
    problems.push('coverageLinkTypeId is not a string or null');
  if (
    context.coverage !== null &&
    !(nullableString(context.coverage.status) && nullableString(context.coverage.description))
  )
    problems.push('coverage is malformed');
  if (typeof context.testsTotal !== 'number' || !Number.isFinite(context.testsTotal))
    problems.push(`testsTotal ${String(context.testsTotal)}`);
  if (!Array.isArray(context.tests) || !context.tests.every((test) => isString(test.issueId)))
    problems.push('a test without an issue id');
  if (!Number.isInteger(context.requests) || context.requests < 0) problems.push('requests is not a count');
  return problems;
}

/** Problems with a caught error (empty = a typed Xray error, as the UI would receive it). */
function errorProblems(error: unknown, expected: readonly string[] = ['XRAY_API_ERROR']): string[] {
  if (!isAppError(error)) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [`threw ${text} (not an AppError)`];
  }
  const problems = errorDtoProblems({ code: error.code, message: error.message, remedy: error.remedy });
  if (!expected.includes(error.code)) problems.push(`${error.code}, expected ${expected.join(' or ')}`);
  return problems;
}

// ---------- the suite ----------

describeWithContracts('trust: damaged Xray answers', () => {
  let world: World;
  let client: XrayClient;
  const answers = new Map<Operation, unknown>();
  const issues = new Map<string, JiraIssue>();
  let testIssueId = '';
  let testSetId = '';
  let executionId = '';
  let planId = '';
  /** The real change answer with one test's coverage incomplete (Xray is then asked which requirements it covers). */
  let incompleteChanges = '';
  // Outcome counts per property (how much of each was exercised), for docs/reliability.md.
  const tallies = new OutcomeTallies();
  const count = (property: string, outcome: string) => tallies.count(property, outcome);

  afterAll(() => tallies.report(__filename, 'Damaged Xray answers: '));

  const idOf = (key: string) => world.jiraStore.issue(key)?.id ?? '';

  beforeAll(async () => {
    world = createWorld({ validateContracts: false, xrayRateWindowMs: 1_000 });
    resetBudgets();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain();
    // The simulator's REAL answers to every document, captured on the wire.
    const seen: Parameters<typeof capturingHttp>[1] = [];
    const capturing = new XrayClient(
      { http: capturingHttp(world.platform.http, seen), now: () => new Date() },
      { clientId: DEMO.xrayClientId, clientSecret: DEMO.xrayClientSecret, region: 'global' },
    );
    const projectId = DEMO.project.id;
    await getXrayProjectSettings(capturing, DEMO.project.key);
    await getRequirementContext(capturing, idOf(ISSUE), { projectId, includeRuns: true });
    await getRequirementsBatch(capturing, BATCH_KEYS.map(idOf), { projectId, includeRuns: true });
    const changes = await changedRequirementsSince(capturing, projectId, SINCE);
    if (changes.requirementIds.size === 0) throw new Error('the demo data changed nothing in Xray');
    const created = await createTest(capturing, {
      projectKey: DEMO.project.key,
      summary: 'Trust: captured answer',
      testTypeName: 'Manual',
      kind: 'Steps',
      steps: [{ action: 'Open the checkout', data: null, result: 'It opens' }],
      labels: ['trust'],
    });
    testIssueId = created.issueId;
    const set = await createTestSet(capturing, {
      projectKey: DEMO.project.key,
      summary: 'Trust: set',
      labels: ['trust'],
      testIssueIds: [testIssueId],
    });
    testSetId = set.issueId;
    const execution = await createTestExecution(capturing, {
      projectKey: DEMO.project.key,
      summary: 'Trust: execution',
      labels: ['trust'],
      testIssueIds: [testIssueId],
    });
    executionId = execution.issueId;
    planId =
      [...world.jiraStore.issues.values()].find((issue) => issue.summary === 'Release 2026.12')?.id ?? '';
    await addTests(capturing, 'addTestsToTestSet', testSetId, [testIssueId], 'the set');
    await addTests(capturing, 'addTestsToTestExecution', executionId, [testIssueId], 'the execution');
    await addTests(capturing, 'addTestsToTestPlan', planId, [testIssueId], 'the plan');
    for (const entry of seen) {
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(
        (JSON.parse(entry.body ?? '{}') as { query?: string }).query ?? '',
      )?.[1] as Operation | undefined;
      if (operation && entry.status === 200 && !answers.has(operation))
        answers.set(operation, JSON.parse(entry.text) as unknown);
    }
    // One test's coverage listed as incomplete, so the change read asks Xray which requirements it covers.
    const changesAnswer = structuredClone(answers.get('ChangesSince')) as {
      data: { getTests: { results: { issueId: string; coverableIssues: { total: number } }[] } };
    };
    const firstTest = changesAnswer.data.getTests.results[0];
    if (!firstTest) throw new Error('the change read listed no tests');
    firstTest.coverableIssues.total = 999;
    incompleteChanges = jsonText(changesAnswer);
    seen.length = 0;
    world.xray.faults.add({
      path: '/api/v2/graphql',
      bodyMatch: /query ChangesSince/,
      status: 200,
      body: incompleteChanges,
      contentType: 'application/json',
      count: 1,
    });
    await changedRequirementsSince(capturing, projectId, SINCE);
    const covered = seen.find((entry) => entry.body?.includes('query CoveredByTest'));
    if (!covered) throw new Error('the change read did not ask which requirements a test covers');
    answers.set('CoveredByTest', JSON.parse(covered.text) as unknown);
    for (const key of BATCH_KEYS)
      issues.set(idOf(key), await getIssue(world.platform.jira, key, { as: 'app' }));
    const missing = ALL_OPERATIONS.filter((operation) => !answers.has(operation));
    if (missing.length > 0) throw new Error(`no real answer captured for ${missing.join(', ')}`);
    client = new XrayClient(
      { http: world.platform.http, now: () => new Date() },
      { clientId: DEMO.xrayClientId, clientSecret: DEMO.xrayClientSecret, region: 'global' },
    );
  });

  /** Xray answers the next `operation` with `text` (HTTP 200); everything else reaches the simulator. */
  function answerNext(operation: Operation, text: string): void {
    world.xray.faults.clear();
    world.xray.faults.add({
      path: '/api/v2/graphql',
      bodyMatch: new RegExp(`(?:query|mutation) ${operation}\\b`),
      status: 200,
      body: text,
      contentType: 'application/json',
      count: 1,
    });
  }

  /** Runs one case: `run` must resolve to a result `check` accepts, or reject with a typed Xray error. */
  async function runCase<T>(
    property: string,
    operation: Operation,
    text: string,
    run: () => Promise<T>,
    check: (result: T) => string[] | Promise<string[]>,
    outcomePrefix = '',
  ): Promise<void> {
    resetBudgets();
    answerNext(operation, text);
    let problems: string[];
    try {
      const result = await run();
      count(property, `${outcomePrefix}ok`);
      problems = await check(result);
    } catch (error) {
      count(property, `${outcomePrefix}${isAppError(error) ? error.code : 'THREW'}`);
      problems = errorProblems(error);
    }
    if (world.xray.faults.pending !== 0) problems.push(`Xray was never asked for ${operation}`);
    if (!prototypeIsClean()) problems.push('Object.prototype was polluted');
    if (problems.length > 0)
      throw new Error(`${problems.join('; ')}\n  Xray answered: ${text.slice(0, 600)}`);
  }

  /** Builds the context document as the app does; a typed refusal is fine, INTERNAL or a throw is not. */
  function documentProblems(
    context: XrayRequirementContext,
    issueId: string,
    actor: 'user' | 'app',
  ): string[] {
    const issue = issues.get(issueId) ?? issues.get(idOf(ISSUE));
    if (!issue) return ['no Jira issue to build with'];
    try {
      const document = buildContextDocument({
        cloudId: DEMO.cloudId,
        siteUrl: DEMO.siteUrl,
        project: DEMO.project,
        trigger: actor === 'user' ? 'panel' : 'scheduled',
        appVersion: 'trust',
        now: new Date(),
        issue,
        remoteLinks: [],
        xray: context,
        requirementIssueTypes: [],
        actor,
      });
      const checked = contextDocumentSchema.safeParse(document);
      return checked.success ? [] : ['the document fails its schema'];
    } catch (error) {
      return errorProblems(error).map((problem) => `building the document: ${problem}`);
    }
  }

  it('project settings: a settings object (or null) of strings, or XRAY_API_ERROR', async () => {
    await fc.assert(
      fc.asyncProperty(damagedText(answers.get('ProjectSettings')), async (text) => {
        await runCase(
          'projectSettings',
          'ProjectSettings',
          text,
          () => getXrayProjectSettings(client, DEMO.project.key),
          (settings) => {
            if (settings === null) return [];
            const problems: string[] = [];
            if (!isString(settings.projectId)) problems.push('projectId is not a string');
            if (
              !settings.testTypes.every(
                (type) => isString(type.id) && isString(type.name) && isString(type.kind),
              )
            )
              problems.push('a malformed test type');
            if (!stringArray(settings.coverableIssueTypeIds))
              problems.push('coverableIssueTypeIds are not strings');
            if (settings.coverageLinkTypeId !== undefined && !isString(settings.coverageLinkTypeId))
              problems.push('coverageLinkTypeId is not a string');
            return problems;
          },
        );
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('requirement context: a well-formed context that builds into a valid document, or XRAY_API_ERROR', async () => {
    await fc.assert(
      fc.asyncProperty(
        damagedText(answers.get('RequirementContext')),
        fc.constantFrom('user' as const, 'app' as const),
        async (text, actor) => {
          await runCase(
            'requirementContext',
            'RequirementContext',
            text,
            () =>
              getRequirementContext(client, idOf(ISSUE), { projectId: DEMO.project.id, includeRuns: true }),
            (context) => [
              ...requirementContextProblems(context),
              ...documentProblems(context, idOf(ISSUE), actor),
            ],
          );
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('requirements batch: a context per requirement, each building into a valid document, or XRAY_API_ERROR', async () => {
    const ids = BATCH_KEYS.map(idOf);
    // Building a document is pure: a context the damage left as it was (it builds, see the undamaged
    // read) is not built again, which keeps the 1,000 cases quick.
    world.xray.faults.clear();
    const intact = await getRequirementsBatch(client, ids, { projectId: DEMO.project.id, includeRuns: true });
    const intactText = new Map([...intact.contexts].map(([id, context]) => [id, JSON.stringify(context)]));
    for (const [id, context] of intact.contexts)
      if (documentProblems(context, id, 'app').length > 0) throw new Error(`the intact ${id} does not build`);
    await fc.assert(
      fc.asyncProperty(damagedText(answers.get('RequirementsBatch')), async (text) => {
        await runCase(
          'requirementsBatch',
          'RequirementsBatch',
          text,
          () => getRequirementsBatch(client, ids, { projectId: DEMO.project.id, includeRuns: true }),
          (batch) => {
            const problems: string[] = [];
            for (const id of ids) if (!batch.contexts.has(id)) problems.push(`no context for ${id}`);
            for (const [id, context] of batch.contexts) {
              if (!isString(id)) problems.push('a context keyed by a non-string');
              problems.push(...requirementContextProblems(context).map((problem) => `${id}: ${problem}`));
              if (JSON.stringify(context) !== intactText.get(id))
                problems.push(...documentProblems(context, id, 'app').map((problem) => `${id}: ${problem}`));
            }
            if (!Number.isInteger(batch.requests) || batch.requests < 1)
              problems.push('requests is not a count');
            return problems;
          },
        );
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('changes since: a set of requirement ids (strings), or XRAY_API_ERROR', async () => {
    const changes = fc.oneof(
      {
        arbitrary: damagedText(answers.get('ChangesSince')).map((text) => ['ChangesSince', text] as const),
        weight: 3,
      },
      {
        arbitrary: damagedText(answers.get('CoveredByTest')).map((text) => ['CoveredByTest', text] as const),
        weight: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(changes, async ([operation, text]) => {
        await runCase(
          'changesSince',
          operation,
          text,
          () => {
            // To damage the coverage read, the change read before it must list an incomplete coverage.
            if (operation === 'CoveredByTest')
              world.xray.faults.add({
                path: '/api/v2/graphql',
                bodyMatch: /query ChangesSince/,
                status: 200,
                body: incompleteChanges,
                contentType: 'application/json',
                count: 1,
              });
            return changedRequirementsSince(client, DEMO.project.id, SINCE);
          },
          (result) => {
            const problems: string[] = [];
            if (![...result.requirementIds].every(isString))
              problems.push('a requirement id is not a string');
            if (!stringArray(result.coverableIssueTypeIds))
              problems.push('coverableIssueTypeIds are not strings');
            if (!Number.isInteger(result.requests) || result.requests < 1 || result.requests > 100)
              problems.push(`${result.requests} requests`);
            return problems;
          },
        );
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('mutations: a created issue (id, key, warnings) or added tests, or XRAY_API_ERROR', async () => {
    type Write = { operation: Operation; run: () => Promise<unknown> };
    const created = (value: unknown): string[] => {
      const issue = value as { issueId: unknown; key: unknown; warnings: unknown };
      const problems: string[] = [];
      if (!isString(issue.issueId) || issue.issueId === '')
        problems.push('issueId is not a non-empty string');
      if (!isString(issue.key)) problems.push('key is not a string');
      if (!stringArray(issue.warnings)) problems.push('warnings are not strings');
      return problems;
    };
    const added = (value: unknown): string[] => {
      const result = value as { added: unknown; warning: unknown };
      return [
        ...(stringArray(result.added) ? [] : ['added are not strings']),
        ...(nullableString(result.warning) ? [] : ['warning is not a string or null']),
      ];
    };
    const writes: (Write & { check: (value: unknown) => string[] })[] = [
      {
        operation: 'CreateTest',
        check: created,
        run: () =>
          createTest(client, {
            projectKey: DEMO.project.key,
            summary: 'Trust',
            testTypeName: 'Cucumber',
            kind: 'Gherkin',
            gherkin: 'Scenario: x\n  Given a\n  When b\n  Then c',
            labels: ['trust'],
          }),
      },
      {
        operation: 'CreateTestSet',
        check: created,
        run: () =>
          createTestSet(client, {
            projectKey: DEMO.project.key,
            summary: 'Trust',
            labels: [],
            testIssueIds: [testIssueId],
          }),
      },
      {
        operation: 'CreateTestExecution',
        check: created,
        run: () =>
          createTestExecution(client, {
            projectKey: DEMO.project.key,
            summary: 'Trust',
            labels: [],
            testIssueIds: [testIssueId],
          }),
      },
      {
        operation: 'AddTestsToTestSet',
        check: added,
        run: () => addTests(client, 'addTestsToTestSet', testSetId, [testIssueId], 'the set'),
      },
      {
        operation: 'AddTestsToTestExecution',
        check: added,
        run: () => addTests(client, 'addTestsToTestExecution', executionId, [testIssueId], 'the execution'),
      },
      {
        operation: 'AddTestsToTestPlan',
        check: added,
        run: () => addTests(client, 'addTestsToTestPlan', planId, [testIssueId], 'the plan'),
      },
    ];
    const cases = fc
      .constantFrom(...writes)
      .chain((write) => damagedText(answers.get(write.operation)).map((text) => [write, text] as const));
    await fc.assert(
      fc.asyncProperty(cases, async ([write, text]) => {
        await runCase('mutations', write.operation, text, write.run, write.check, `${write.operation} `);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it(`getIssuePanel on ${ISSUE}: a damaged Xray answer ends in data or a typed error, never INTERNAL`, async () => {
    await fc.assert(
      fc.asyncProperty(damagedText(answers.get('RequirementContext')), async (text) => {
        resetBudgets();
        answerNext('RequirementContext', text);
        let result: ResolverResult<IssuePanelView>;
        try {
          result = await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, ISSUE);
        } catch (error) {
          throw new Error(`the handler threw: ${String(error)}`, { cause: error });
        }
        count('getIssuePanel', result.ok ? 'ok' : result.error.code);
        const problems = answerProblems(result, SECRETS);
        if (world.xray.faults.pending !== 0) problems.push('Xray was never asked');
        if (result.ok) {
          const total = result.data.summary?.tests.total;
          if (total === undefined || !Number.isSafeInteger(total) || total < 0)
            problems.push(`the panel shows ${String(total)} tests`);
        }
        if (problems.length > 0)
          throw new Error(
            `${problems.join('; ')}\n  Xray answered: ${text.slice(0, 600)}\n  the resolver answered: ${JSON.stringify(result).slice(0, 400)}\n  log: ${world.platform.log.lines.slice(-2).join(' | ').slice(0, 600)}`,
          );
        world.platform.queue.discardHeld();
      }),
      { numRuns: PANEL_RUNS },
    );
  }, 60_000);
});
