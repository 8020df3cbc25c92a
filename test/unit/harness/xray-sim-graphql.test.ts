/**
 * The Xray simulator's queries and mutations over seeded data: a requirement's coverage in one
 * request, project settings, creating tests (a Jira issue of type Test), associations,
 * modifiedSince, and the "null, never crash" rule for unmodelled fields.
 */
import { describeWithContracts } from '../../harness/contracts';
import {
  at,
  FIX,
  fixture,
  postGraphql,
  seedCoverage,
  tokenFor,
  type CoverageSeed,
  type Fixture,
} from '../../harness/xray-sim/fixtures';

/** One requirement's whole context, as DESIGN.md §5 asks for it. */
const COVERAGE_QUERY = `query Coverage($issueId: String!) {
  getCoverableIssue(issueId: $issueId) {
    issueId
    jira(fields: ["summary", "status", "issuetype"])
    status { name color }
    tests(limit: 100) {
      total
      results {
        issueId
        jira(fields: ["summary", "labels"])
        testType { name kind }
        steps { id action data result }
        gherkin
        scenarioType
        unstructured
        folder { path }
        status { name final }
        preconditions(limit: 10) { total results { issueId definition preconditionType { name } } }
        testSets(limit: 10) { results { issueId } }
        testExecutions(limit: 10) { results { issueId testEnvironments } }
        testPlans(limit: 10) { results { issueId } }
        testRuns(limit: 10) {
          total
          results {
            id
            status { name }
            comment
            startedOn
            finishedOn
            steps { status { name } }
            testExecution { issueId }
          }
        }
      }
    }
  }
}`;

describeWithContracts('Xray simulator: queries and mutations', () => {
  let f: Fixture;
  let seed: CoverageSeed;
  let token: string;

  beforeEach(async () => {
    f = fixture();
    seed = seedCoverage(f.store, f.clock);
    token = await tokenFor(f.sim);
  });

  afterEach(() => {
    expect(f.sim.documentErrors).toEqual([]);
  });

  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await postGraphql(f.sim, token, query, variables);
    expect(response.status).toBe(200);
    return response.json();
  };

  it('answers a requirement’s coverage with tests, steps, gherkin, runs and statuses', async () => {
    const body = await ask(COVERAGE_QUERY, { issueId: seed.requirement.id });
    expect(at(body, 'errors')).toBeUndefined();
    const issue = at(body, 'data', 'getCoverableIssue');
    expect(issue).toMatchObject({
      issueId: seed.requirement.id,
      jira: {
        key: seed.requirement.key,
        summary: 'Login with SSO',
        status: { name: 'To Do', statusCategory: { key: 'new' } },
        issuetype: { name: 'Story' },
      },
      status: { name: 'NOK', color: '#D45D52' },
      tests: { total: 3 },
    });
    const [manual, cucumber, generic] = [0, 1, 2].map((index) => at(issue, 'tests', 'results', index));
    expect(manual).toMatchObject({
      issueId: seed.manual.id,
      jira: { key: seed.manual.key, summary: 'Sign in through the IdP', labels: ['sso'] },
      testType: { name: 'Manual', kind: 'Steps' },
      steps: [
        { action: 'Open the login page', data: '', result: 'The SSO button shows' },
        { action: 'Click "Sign in with SSO"', data: 'sso@example.com', result: 'The dashboard opens' },
      ],
      gherkin: null,
      unstructured: null,
      folder: { path: '/auth/sso' },
      status: { name: 'PASSED', final: true },
      preconditions: {
        total: 1,
        results: [
          {
            issueId: seed.precondition.id,
            definition: 'Create user sso@example.com in the IdP.',
            preconditionType: { name: 'Manual' },
          },
        ],
      },
      testSets: { results: [{ issueId: seed.testSet.id }] },
      testExecutions: { results: [{ issueId: seed.execution.id, testEnvironments: ['chrome'] }] },
      testPlans: { results: [{ issueId: seed.plan.id }] },
      testRuns: {
        total: 1,
        results: [
          {
            status: { name: 'PASSED' },
            comment: 'All good',
            startedOn: '2025-03-01T09:01:00.000Z',
            finishedOn: '2025-03-01T09:01:00.000Z',
            steps: [{ status: { name: 'PASSED' } }, { status: { name: 'PASSED' } }],
            testExecution: { issueId: seed.execution.id },
          },
        ],
      },
    });
    expect(at(manual, 'testRuns', 'results', 0, 'id')).toMatch(/^[0-9a-f]{24}$/);
    expect(cucumber).toMatchObject({
      testType: { name: 'Cucumber', kind: 'Gherkin' },
      steps: [],
      gherkin: 'Given an SSO account\nWhen I sign in\nThen I see the dashboard',
      scenarioType: 'scenario',
      status: { name: 'FAILED' },
    });
    expect(generic).toMatchObject({
      testType: { name: 'Generic', kind: 'Unstructured' },
      unstructured: 'Try expired sessions and revoked accounts.',
      status: { name: 'TODO', final: false },
      testRuns: { total: 0, results: [] },
    });
  });

  it('coverage status follows the runs: NOK → NOTRUN → OK; UNCOVERED without tests', async () => {
    const statusOf = async (issueId: string, args = '') =>
      at(
        await ask(`{ getCoverableIssue(issueId: "${issueId}") { status${args} { name } } }`),
        'data',
        'getCoverableIssue',
        'status',
        'name',
      );
    expect(await statusOf(seed.requirement.id)).toBe('NOK');
    expect(await statusOf(seed.uncovered.id)).toBe('UNCOVERED');
    f.store.setRunStatus(seed.execution.id, seed.cucumber.id, 'PASSED');
    expect(await statusOf(seed.requirement.id)).toBe('NOTRUN'); // the generic test never ran
    const exec2 = f.store.createTestExecution({
      projectIdOrKey: 'DEMO',
      summary: 'Run 2',
      testIssueIds: [seed.generic.id],
    });
    f.store.setRunStatus(exec2.id, seed.generic.id, 'PASSED');
    expect(await statusOf(seed.requirement.id)).toBe('OK');
    // Scoped to the plan: its execution has no run of the generic test.
    expect(await statusOf(seed.requirement.id, `(testPlan: "${seed.plan.id}")`)).toBe('NOTRUN');
  });

  it('getCoverableIssues by ids warns about non-coverable ids; getCoverableIssue of a test is null', async () => {
    const body = await ask(
      `query($ids: [String]) { getCoverableIssues(issueIds: $ids, limit: 10) { total warnings results { issueId } } }`,
      { ids: [seed.requirement.id, seed.manual.id] },
    );
    expect(at(body, 'data', 'getCoverableIssues')).toEqual({
      total: 1,
      warnings: [`Issue with id "${seed.manual.id}" was not found or is not a coverable issue.`],
      results: [{ issueId: seed.requirement.id }],
    });
    expect(at(await ask(`{ getCoverableIssue(issueId: "${seed.manual.id}") { issueId } }`), 'data')).toEqual({
      getCoverableIssue: null,
    });
  });

  it('ids are Jira numeric ids: a key is an error', async () => {
    const body = await ask(`{ getTest(issueId: "${seed.manual.key}") { issueId } }`);
    expect(at(body, 'errors', 0, 'message')).toBe(
      `Invalid issue id "${seed.manual.key}": use the Jira issue id (a number), not the issue key.`,
    );
  });

  it('getProjectSettings by id or key: test types, coverage link, environments', async () => {
    const query = `query($p: String) { getProjectSettings(projectIdOrKey: $p) {
      projectId testEnvironments defectIssueTypes
      testTypeSettings { defaultTestTypeId testTypes { id name kind } }
      testCoverageSettings { coverableIssueTypeIds issueLinkTypeId issueLinkTypeDirection }
    } }`;
    const byKey = at(await ask(query, { p: 'DEMO' }), 'data', 'getProjectSettings');
    expect(at(await ask(query, { p: FIX.project.id }), 'data', 'getProjectSettings')).toEqual(byKey);
    expect(byKey).toMatchObject({
      projectId: FIX.project.id,
      testEnvironments: ['chrome'],
      defectIssueTypes: [FIX.types.bug],
      testTypeSettings: {
        testTypes: [
          { name: 'Manual', kind: 'Steps' },
          { name: 'Cucumber', kind: 'Gherkin' },
          { name: 'Generic', kind: 'Unstructured' },
        ],
      },
      testCoverageSettings: {
        coverableIssueTypeIds: [FIX.types.story, FIX.types.epic],
        issueLinkTypeId: FIX.linkTypes.test,
        issueLinkTypeDirection: 'outward',
      },
    });
    expect(at(byKey, 'testTypeSettings', 'defaultTestTypeId')).toBe(
      at(byKey, 'testTypeSettings', 'testTypes', 0, 'id'),
    );
    expect(at(await ask(query, { p: 'NOPE' }), 'errors', 0, 'message')).toBe('Project "NOPE" was not found.');
    const links = at(await ask('{ getIssueLinkTypes { id name } }'), 'data', 'getIssueLinkTypes');
    expect(links).toEqual(expect.arrayContaining([{ id: FIX.linkTypes.test, name: 'Test' }]));
  });

  it('createTest creates a Jira issue of type Test; addTestsToTestSet adds it', async () => {
    const created = await ask(
      `mutation Create($jira: JSON!, $steps: [CreateStepInput]) {
        createTest(testType: { name: "Manual" }, steps: $steps, jira: $jira) {
          test { issueId testType { name } steps { action data result } jira(fields: ["key", "summary", "labels", "priority", "issuetype"]) }
          warnings
        }
      }`,
      {
        jira: {
          fields: {
            summary: 'Generated: SSO login works',
            project: { key: 'DEMO' },
            labels: ['sqai-generated'],
            priority: { name: 'High' },
            description: 'Generated by SQAI.',
          },
        },
        steps: [{ action: 'Sign in', data: 'sso@example.com', result: 'Signed in' }],
      },
    );
    expect(at(created, 'errors')).toBeUndefined();
    const test = at(created, 'data', 'createTest', 'test');
    const issueId = String(at(test, 'issueId'));
    const jiraIssue = f.jira.issues.get(issueId);
    expect(jiraIssue).toMatchObject({
      summary: 'Generated: SSO login works',
      issueTypeId: FIX.types.test,
      labels: ['sqai-generated'],
      description: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ text: 'Generated by SQAI.' }] }],
      },
    });
    expect(test).toEqual({
      issueId,
      testType: { name: 'Manual' },
      steps: [{ action: 'Sign in', data: 'sso@example.com', result: 'Signed in' }],
      jira: {
        key: jiraIssue?.key,
        summary: 'Generated: SSO login works',
        labels: ['sqai-generated'],
        priority: { id: '2', name: 'High' },
        issuetype: { id: FIX.types.test, name: 'Test', subtask: false, hierarchyLevel: 0 },
      },
    });
    expect(at(created, 'data', 'createTest', 'warnings')).toEqual([]);

    const added = await ask(
      `mutation { addTestsToTestSet(issueId: "${seed.testSet.id}", testIssueIds: ["${issueId}", "99999"]) { addedTests warning } }`,
    );
    expect(at(added, 'data', 'addTestsToTestSet')).toEqual({
      addedTests: [issueId],
      warning: 'Test with id "99999" was not found.',
    });
    const set = await ask(
      `{ getTestSet(issueId: "${seed.testSet.id}") { tests(limit: 10) { results { issueId } } } }`,
    );
    expect(at(set, 'data', 'getTestSet', 'tests', 'results')).toEqual([
      { issueId: seed.manual.id },
      { issueId: seed.cucumber.id },
      { issueId },
    ]);
  });

  it('createTest errors like Xray: unknown test type, definition of the wrong kind, missing summary', async () => {
    const create = (args: string) => ask(`mutation { createTest(${args}) { test { issueId } } }`);
    const before = f.jira.issues.size;
    const unknown = await create(
      'testType: { name: "Exploratory" }, jira: { fields: { summary: "x", project: { key: "DEMO" } } }',
    );
    expect(at(unknown, 'errors', 0, 'message')).toBe(
      'Test Type "Exploratory" is not valid for this project. Valid Test Types are: Manual, Cucumber, Generic.',
    );
    expect(at(unknown, 'data', 'createTest')).toBeNull();
    const wrongKind = await create(
      'testType: { name: "Cucumber" }, steps: [{ action: "a" }], jira: { fields: { summary: "x", project: { key: "DEMO" } } }',
    );
    expect(at(wrongKind, 'errors', 0, 'message')).toBe(
      'Test Type "Cucumber" is of kind "Gherkin" and cannot have a steps definition.',
    );
    const noSummary = await create('jira: { fields: { project: { key: "DEMO" } } }');
    expect(at(noSummary, 'errors', 0, 'message')).toContain('You must specify a summary of the issue.');
    expect(f.jira.issues.size).toBe(before);
  });

  it('creates executions (with TODO runs), plans and preconditions; updates run status', async () => {
    const exec = await ask(
      `mutation($jira: JSON!, $tests: [String]) {
        createTestExecution(jira: $jira, testIssueIds: $tests, testEnvironments: ["firefox"]) {
          testExecution { issueId testRuns(limit: 10) { results { id status { name } test { issueId } } } }
          createdTestEnvironments
          warnings
        }
      }`,
      { jira: { fields: { summary: 'Run 2', project: { id: FIX.project.id } } }, tests: [seed.generic.id] },
    );
    const runs = at(exec, 'data', 'createTestExecution', 'testExecution', 'testRuns', 'results');
    expect(runs).toMatchObject([{ status: { name: 'TODO' }, test: { issueId: seed.generic.id } }]);
    expect(at(runs, 0, 'id')).toMatch(/^[0-9a-f]{24}$/);
    expect(at(exec, 'data', 'createTestExecution', 'createdTestEnvironments')).toEqual(['firefox']);
    const runId = String(at(runs, 0, 'id'));
    const updated = await ask(`mutation { updateTestRunStatus(id: "${runId}", status: "PASSED") }`);
    expect(updated).toEqual({ data: { updateTestRunStatus: null } });
    expect(f.store.testRuns.get(runId)?.status).toBe('PASSED');
    const bad = await ask(`mutation { updateTestRunStatus(id: "${runId}", status: "GREAT") }`);
    expect(at(bad, 'errors', 0, 'message')).toBe('Status "GREAT" does not exist.');

    const plan = await ask(
      `mutation { createTestPlan(jira: { fields: { summary: "Plan 2", project: { key: "DEMO" } } }, testIssueIds: ["${seed.generic.id}"]) {
        testPlan { issueId tests(limit: 5) { results { issueId } } jira(fields: ["issuetype"]) } } }`,
    );
    expect(at(plan, 'data', 'createTestPlan', 'testPlan', 'tests', 'results')).toEqual([
      { issueId: seed.generic.id },
    ]);
    const pre = await ask(
      `mutation { createPrecondition(preconditionType: { name: "Generic" }, definition: "Logged out", testIssueIds: ["${seed.generic.id}"],
        jira: { fields: { summary: "Logged out", project: { key: "DEMO" } } }) { precondition { issueId definition tests(limit: 5) { total } } warnings } }`,
    );
    expect(at(pre, 'data', 'createPrecondition')).toMatchObject({
      precondition: { definition: 'Logged out', tests: { total: 1 } },
      warnings: [],
    });
  });

  it('addTestStep and addPreconditionsToTest; removeTestsFromTestSet; deleteTest', async () => {
    const step = await ask(
      `mutation { addTestStep(issueId: "${seed.manual.id}", step: { action: "Sign out", result: "Signed out" }) { id action data result } }`,
    );
    expect(at(step, 'data', 'addTestStep', 'id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(step, 'data', 'addTestStep')).toMatchObject({
      action: 'Sign out',
      data: '',
      result: 'Signed out',
    });
    expect(f.store.tests.get(seed.manual.id)?.steps).toHaveLength(3);
    const pre = await ask(
      `mutation { addPreconditionsToTest(issueId: "${seed.cucumber.id}", preconditionIssueIds: ["${seed.precondition.id}"]) { addedPreconditions warning } }`,
    );
    expect(at(pre, 'data', 'addPreconditionsToTest')).toEqual({
      addedPreconditions: [seed.precondition.id],
      warning: null,
    });
    await ask(
      `mutation { removeTestsFromTestSet(issueId: "${seed.testSet.id}", testIssueIds: ["${seed.manual.id}"]) }`,
    );
    expect(f.store.testSets.get(seed.testSet.id)?.testIds).toEqual([seed.cucumber.id]);
    await ask(`mutation { deleteTest(issueId: "${seed.cucumber.id}") }`);
    expect(f.jira.issues.has(seed.cucumber.id)).toBe(false);
    expect(f.store.coveringTestIds(seed.requirement.id)).toEqual([seed.manual.id, seed.generic.id]);
    expect(
      at(await ask(`{ getTest(issueId: "${seed.cucumber.id}") { issueId } }`), 'data', 'getTest'),
    ).toBeNull();
  });

  it('modifiedSince filters on Xray’s lastModified, which Jira’s `updated` does not follow', async () => {
    const query = `query($since: String) {
      getTests(modifiedSince: $since, limit: 100) { total results { issueId lastModified } }
      getTestExecutions(modifiedSince: $since, limit: 100) { total }
      getTestSets(modifiedSince: $since, limit: 100) { total }
      getTestPlans(modifiedSince: $since, limit: 100) { total }
      getPreconditions(modifiedSince: $since, limit: 100) { total }
      getTestRuns(testExecIssueIds: ["${seed.execution.id}"], modifiedSince: $since, limit: 100) { total }
    }`;
    f.clock.advance(3_600_000);
    const since = f.clock.now().toISOString();
    const jiraUpdatedBefore = f.jira.issues.get(seed.generic.id)?.updated;
    expect(at(await ask(query, { since }), 'data')).toEqual({
      getTests: { total: 0, results: [] },
      getTestExecutions: { total: 0 },
      getTestSets: { total: 0 },
      getTestPlans: { total: 0 },
      getPreconditions: { total: 0 },
      getTestRuns: { total: 0 },
    });
    f.clock.advance(1_000);
    f.store.addTestStep(seed.manual.id, { action: 'One more step' });
    f.store.setRunStatus(seed.execution.id, seed.cucumber.id, 'PASSED');
    const after = at(await ask(query, { since }), 'data');
    expect(after).toEqual({
      getTests: {
        total: 1,
        results: [{ issueId: seed.manual.id, lastModified: '2025-03-01T10:01:01.000Z' }],
      },
      getTestExecutions: { total: 1 },
      getTestSets: { total: 0 },
      getTestPlans: { total: 0 },
      getPreconditions: { total: 0 },
      getTestRuns: { total: 1 },
    });
    // Step edits and run results are Xray-only: Jira's `updated` did not move.
    expect(f.jira.issues.get(seed.manual.id)?.updated).toBe(f.jira.issues.get(seed.manual.id)?.created);
    expect(f.jira.issues.get(seed.generic.id)?.updated).toBe(jiraUpdatedBefore);
    const invalid = await ask(query, { since: 'yesterday' });
    expect(at(invalid, 'errors', 0, 'message')).toBe(
      '"modifiedSince" must be a valid ISO 8601 date-time, got "yesterday".',
    );
  });

  it('getTests by jql, projectId, testType and folder; paging with start/limit/total', async () => {
    const query = `query($jql: String, $project: String, $type: TestTypeInput, $folder: FolderSearchInput, $start: Int) {
      getTests(jql: $jql, projectId: $project, testType: $type, folder: $folder, limit: 2, start: $start) {
        total start limit results { issueId }
      }
    }`;
    const all = at(await ask(query, { project: FIX.project.id }), 'data', 'getTests');
    expect(all).toEqual({
      total: 3,
      start: 0,
      limit: 2,
      results: [{ issueId: seed.manual.id }, { issueId: seed.cucumber.id }],
    });
    expect(at(await ask(query, { project: 'DEMO', start: 2 }), 'data', 'getTests', 'results')).toEqual([
      { issueId: seed.generic.id },
    ]);
    expect(at(await ask(query, { type: { kind: 'Gherkin' } }), 'data', 'getTests', 'results')).toEqual([
      { issueId: seed.cucumber.id },
    ]);
    expect(
      at(
        await ask(query, { folder: { path: '/auth', includeDescendants: true } }),
        'data',
        'getTests',
        'total',
      ),
    ).toBe(1);
    expect(at(await ask(query, { folder: { path: '/auth' } }), 'data', 'getTests', 'total')).toBe(0);
    expect(at(await ask(query, { jql: 'labels = sso' }), 'data', 'getTests', 'results')).toEqual([
      { issueId: seed.manual.id },
    ]);
  });

  it('getTestRuns needs test or execution ids; getTestRun by test + execution', async () => {
    const none = await ask('{ getTestRuns(limit: 10) { total } }');
    expect(at(none, 'errors', 0, 'message')).toBe('"testIssueIds" or "testExecIssueIds" must be provided.');
    const byTest = await ask(
      `{ getTestRuns(testIssueIds: ["${seed.cucumber.id}"], limit: 10) { total results { status { name } testExecution { issueId } } } }`,
    );
    expect(at(byTest, 'data', 'getTestRuns')).toEqual({
      total: 1,
      results: [{ status: { name: 'FAILED' }, testExecution: { issueId: seed.execution.id } }],
    });
    const one = await ask(
      `{ getTestRun(testIssueId: "${seed.manual.id}", testExecIssueId: "${seed.execution.id}") { status { name color final } } }`,
    );
    expect(at(one, 'data', 'getTestRun', 'status')).toEqual({
      name: 'PASSED',
      color: '#95C160',
      final: true,
    });
  });

  it('getExpandedTest(s) expand steps; getStatuses lists Xray’s run statuses', async () => {
    const expanded = await ask(
      `{ getExpandedTest(issueId: "${seed.manual.id}") { issueId warnings steps { action parentTestIssueId calledTestIssueId } } }`,
    );
    expect(at(expanded, 'data', 'getExpandedTest', 'steps', 0)).toEqual({
      action: 'Open the login page',
      parentTestIssueId: seed.manual.id,
      calledTestIssueId: null,
    });
    const many = await ask(
      `{ getExpandedTests(issueIds: ["${seed.manual.id}", "${seed.generic.id}"], limit: 5) { total } }`,
    );
    expect(at(many, 'data', 'getExpandedTests', 'total')).toBe(2);
    const statuses = at(await ask('{ getStatuses { name final coverageStatus } }'), 'data', 'getStatuses');
    expect(statuses).toEqual([
      { name: 'PASSED', final: true, coverageStatus: 'OK' },
      { name: 'FAILED', final: true, coverageStatus: 'NOK' },
      { name: 'TODO', final: false, coverageStatus: 'NOTRUN' },
      { name: 'EXECUTING', final: false, coverageStatus: 'NOTRUN' },
      { name: 'ABORTED', final: true, coverageStatus: 'NOK' },
    ]);
  });

  it('test versions: v1 is the default on creation; the Test answers its default version; runs keep theirs', async () => {
    const VERSIONS = `query V($id: String!) {
      getTest(issueId: $id) {
        steps { action }
        testVersions(limit: 10) { total results { id name default archived steps { action } testType { name } } }
        testRuns(limit: 10) { results { testVersion { id name } steps { action } } }
      }
    }`;
    const first = await ask(VERSIONS, { id: seed.manual.id });
    expect(at(first, 'data', 'getTest', 'testVersions')).toEqual({
      total: 1,
      results: [
        {
          id: 1,
          name: 'v1',
          default: true,
          archived: false,
          steps: [{ action: 'Open the login page' }, { action: 'Click "Sign in with SSO"' }],
          testType: { name: 'Manual' },
        },
      ],
    });
    expect(at(first, 'data', 'getTest', 'testRuns', 'results', 0, 'testVersion')).toEqual({
      id: 1,
      name: 'v1',
    });

    // A second version made the default: the Test's own fields are now v2's; v1 keeps its steps; the
    // run created before keeps executing v1.
    const before = f.store.tests.get(seed.manual.id)?.lastModified;
    f.clock.advance(60_000);
    f.store.addTestVersion(seed.manual.id, {
      name: 'SSO v2',
      steps: [{ action: 'Open the SSO portal', result: 'The IdP login shows' }],
      makeDefault: true,
    });
    expect(f.store.tests.get(seed.manual.id)?.lastModified).not.toBe(before);
    const second = await ask(VERSIONS, { id: seed.manual.id });
    expect(at(second, 'data', 'getTest', 'steps')).toEqual([{ action: 'Open the SSO portal' }]);
    expect(at(second, 'data', 'getTest', 'testVersions', 'results')).toEqual([
      expect.objectContaining({
        id: 1,
        default: false,
        steps: [{ action: 'Open the login page' }, { action: 'Click "Sign in with SSO"' }],
      }),
      expect.objectContaining({
        id: 2,
        name: 'SSO v2',
        default: true,
        steps: [{ action: 'Open the SSO portal' }],
      }),
    ]);
    expect(at(second, 'data', 'getTest', 'testRuns', 'results', 0)).toEqual({
      testVersion: { id: 1, name: 'v1' },
      steps: [{ action: 'Open the login page' }, { action: 'Click "Sign in with SSO"' }],
    });

    // getExpandedTest by version; an unknown version is an error; a new run of a named version.
    const expanded = `query E($id: String!, $v: Int) { getExpandedTest(issueId: $id, versionId: $v) { versionId steps { action } } }`;
    expect(at(await ask(expanded, { id: seed.manual.id }), 'data', 'getExpandedTest')).toEqual({
      versionId: 2,
      steps: [{ action: 'Open the SSO portal' }],
    });
    expect(
      at(await ask(expanded, { id: seed.manual.id, v: 1 }), 'data', 'getExpandedTest', 'versionId'),
    ).toBe(1);
    expect(at(await ask(expanded, { id: seed.manual.id, v: 9 }), 'errors', 0, 'message')).toBe(
      `Test version "9" of the Test with id "${seed.manual.id}" was not found.`,
    );
    const many = await ask(
      `{ getExpandedTests(tests: [{ issueId: "${seed.manual.id}", versionId: 1 }], limit: 5) { results { versionId steps { action } } } }`,
    );
    expect(at(many, 'data', 'getExpandedTests', 'results', 0)).toEqual({
      versionId: 1,
      steps: [{ action: 'Open the login page' }, { action: 'Click "Sign in with SSO"' }],
    });
    const created = await ask(
      `mutation { createTestExecution(tests: [{ issueId: "${seed.manual.id}", versionId: 1 }], jira: { fields: { summary: "v1 again", project: { key: "DEMO" } } }) { testExecution { issueId } } }`,
    );
    const execId = String(at(created, 'data', 'createTestExecution', 'testExecution', 'issueId'));
    expect(f.store.runOf(execId, seed.manual.id)?.testVersionId).toBe(1);

    // Editing a version that is not the default is refused, not applied to the default one.
    const edit = await ask(
      `mutation { updateTestType(issueId: "${seed.manual.id}", versionId: 1, testType: { name: "Generic" }) { issueId } }`,
    );
    expect(at(edit, 'errors', 0, 'message')).toContain('edits only the default version');
    expect(f.store.tests.get(seed.manual.id)?.testTypeId).toBe(
      f.store.testType(FIX.project.id, 'Manual')?.id,
    );
  });

  it('unmodelled fields resolve to null or empty; unmodelled mutations say so', async () => {
    const body = await ask(
      `{ getTest(issueId: "${seed.manual.id}") {
          dataset { id } history(limit: 5) { total }
          steps { attachments { id } customFields { id } callTestIssueId }
        }
        getFolder(path: "/", projectId: "${FIX.project.id}") { name }
      }`,
    );
    expect(at(body, 'errors')).toBeUndefined();
    expect(at(body, 'data', 'getTest')).toMatchObject({ dataset: null, history: null });
    expect(at(body, 'data', 'getTest', 'steps', 0)).toEqual({
      attachments: [],
      customFields: [],
      callTestIssueId: null,
    });
    const mutation = await ask('mutation { resetTestRun(id: "x") }');
    expect(at(mutation, 'errors', 0, 'message')).toBe(
      'The Xray simulator does not implement the mutation "resetTestRun".',
    );
  });

  it('a tenant only sees its own projects', async () => {
    f.store.tenant(FIX.cloudId).projects = new Set(['20000']);
    expect(
      at(await ask(`{ getTest(issueId: "${seed.manual.id}") { issueId } }`), 'data', 'getTest'),
    ).toBeNull();
    expect(at(await ask('{ getTests(limit: 10) { total } }'), 'data', 'getTests', 'total')).toBe(0);
  });
});
