/**
 * The XrayStore seeding API and Xray's semantics it models: coverage through Jira links, test status
 * from the latest runs (per environment, isFinal, Test Plan scope), lastModified vs Jira's updated.
 * No GraphQL here, so no contracts needed.
 */
import { XrayError } from '../../harness/xray-sim/errors';
import { FIX, fakeClock, fixtureJira, seedCoverage, type FakeClock } from '../../harness/xray-sim/fixtures';
import { XrayStore } from '../../harness/xray-sim/store';

describe('XrayStore', () => {
  let clock: FakeClock;
  let store: XrayStore;

  beforeEach(() => {
    clock = fakeClock();
    const jira = fixtureJira(clock.now);
    store = new XrayStore(jira, clock.now);
    store.defineProject('DEMO');
  });

  it('defineProject: Xray’s default test types, coverable Story + Epic, the "Test" link', () => {
    expect(store.projectSettings('DEMO')).toMatchObject({
      projectId: FIX.project.id,
      testTypes: [
        { name: 'Manual', kind: 'Steps' },
        { name: 'Cucumber', kind: 'Gherkin' },
        { name: 'Generic', kind: 'Unstructured' },
      ],
      coverableIssueTypeIds: [FIX.types.story, FIX.types.epic],
      coverageLinkTypeId: FIX.linkTypes.test,
      coverageLinkDirection: 'outward',
    });
    const custom = store.defineProject(FIX.project.id, {
      testTypes: [{ name: 'Automated', kind: 'Unstructured' }],
      coverableIssueTypeIds: [FIX.types.bug],
    });
    expect(custom.testTypes.map((type) => type.name)).toEqual(['Automated']);
    expect(() => store.defineProject('NOPE')).toThrow(/no Jira project NOPE/);
  });

  it('createTest makes a Jira "Test" issue and covers requirements with a Jira link (T tests R)', () => {
    const story = store.jira.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Story',
      summary: 'R',
    });
    const test = store.createTest({
      projectIdOrKey: 'DEMO',
      summary: 'T',
      steps: [{ action: 'a' }],
      coversIssueIds: [story.id],
      priorityName: 'High',
    });
    expect(test).toMatchObject({ issueTypeId: FIX.types.test, priorityId: '2' });
    expect(store.tests.get(test.id)).toMatchObject({
      steps: [{ action: 'a', data: '', result: '' }],
      gherkin: null,
    });
    const [link] = [...store.jira.links.values()];
    expect(link).toMatchObject({
      typeId: FIX.linkTypes.test,
      inwardIssueId: test.id,
      outwardIssueId: story.id,
    });
    expect(store.coveringTestIds(story.id)).toEqual([test.id]);
    expect(store.coveredIssueIds(test.id)).toEqual([story.id]);
    // A "Test" link the other way round is not coverage.
    const other = store.jira.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Story',
      summary: 'R2',
    });
    store.jira.link('Test', other.id, test.id);
    expect(store.coveringTestIds(other.id)).toEqual([]);
  });

  it('refuses what Xray refuses', () => {
    expect(() => store.createTest({ projectIdOrKey: 'DEMO', summary: 'x', testType: 'Nope' })).toThrow(
      XrayError,
    );
    expect(() =>
      store.createTest({ projectIdOrKey: 'DEMO', summary: 'x', testType: 'Generic', gherkin: 'Given' }),
    ).toThrow('Test Type "Generic" is of kind "Unstructured" and cannot have a gherkin definition.');
    const test = store.createTest({ projectIdOrKey: 'DEMO', summary: 'x', testType: 'Generic' });
    expect(() => store.addTestStep(test.id, { action: 'a' })).toThrow(/not of a Steps kind/);
    expect(() =>
      store.createTestSet({ projectIdOrKey: 'DEMO', summary: 's', testIssueIds: ['1'] }),
    ).not.toThrow();
    expect(store.addTestsToTestSet([...store.testSets.keys()][0] ?? '', ['1'])).toEqual({
      added: [],
      warnings: ['Test with id "1" was not found.'],
    });
    expect(() => store.tenant('nobody')).toThrow(/no tenant "nobody"/);
  });

  describe('test status and coverage', () => {
    it('a new TODO run makes the latest status TODO, unless isFinal', () => {
      const seed = seedCoverage(store, clock);
      expect(store.testStatus(seed.manual.id).name).toBe('PASSED');
      clock.advance(1_000);
      store.createTestExecution({
        projectIdOrKey: 'DEMO',
        summary: 'Again',
        testIssueIds: [seed.manual.id],
        testEnvironments: ['chrome'],
      });
      expect(store.testStatus(seed.manual.id).name).toBe('TODO');
      expect(store.testStatus(seed.manual.id, { isFinal: true }).name).toBe('PASSED');
    });

    it('per environment: FAILED in any environment’s latest run wins', () => {
      const seed = seedCoverage(store, clock); // manual PASSED in chrome
      clock.advance(1_000);
      const firefox = store.createTestExecution({
        projectIdOrKey: 'DEMO',
        summary: 'Firefox',
        testIssueIds: [seed.manual.id],
        testEnvironments: ['firefox'],
      });
      store.setRunStatus(firefox.id, seed.manual.id, 'FAILED');
      clock.advance(1_000);
      const chrome = store.createTestExecution({
        projectIdOrKey: 'DEMO',
        summary: 'Chrome again',
        testIssueIds: [seed.manual.id],
        testEnvironments: ['chrome'],
      });
      store.setRunStatus(chrome.id, seed.manual.id, 'PASSED');
      expect(store.testStatus(seed.manual.id).name).toBe('FAILED');
      expect(store.testStatus(seed.manual.id, { environment: 'chrome' }).name).toBe('PASSED');
      expect(store.testStatus(seed.manual.id, { environment: 'firefox' }).name).toBe('FAILED');
      expect(store.projectSettings('DEMO')?.testEnvironments).toEqual(['chrome', 'firefox']);
    });

    it('coverage: UNCOVERED, NOK, NOTRUN, OK; Test Plan scope', () => {
      const seed = seedCoverage(store, clock);
      expect(store.coverageOf(seed.uncovered.id)).toEqual({ status: 'UNCOVERED', tests: [] });
      expect(store.coverageOf(seed.requirement.id)).toEqual({
        status: 'NOK',
        tests: [
          { issueId: seed.manual.id, status: 'PASSED' },
          { issueId: seed.cucumber.id, status: 'FAILED' },
          { issueId: seed.generic.id, status: 'TODO' },
        ],
      });
      store.setRunStatus(seed.execution.id, seed.cucumber.id, 'EXECUTING');
      expect(store.coverageOf(seed.requirement.id).status).toBe('NOTRUN');
      const exec = store.createTestExecution({
        projectIdOrKey: 'DEMO',
        summary: 'e',
        testIssueIds: [seed.generic.id],
      });
      store.setRunStatus(seed.execution.id, seed.cucumber.id, 'PASSED');
      store.setRunStatus(exec.id, seed.generic.id, 'PASSED');
      expect(store.coverageOf(seed.requirement.id).status).toBe('OK');
      // The plan has only the first execution: the generic test has not run within it.
      expect(store.coverageOf(seed.requirement.id, { testPlanId: seed.plan.id }).status).toBe('NOTRUN');
    });

    it('run timestamps and step statuses follow the status', () => {
      const seed = seedCoverage(store, clock);
      const run = store.runOf(seed.execution.id, seed.cucumber.id);
      expect(run).toMatchObject({
        status: 'FAILED',
        startedOn: '2025-03-01T09:01:00.000Z',
        finishedOn: '2025-03-01T09:01:00.000Z',
      });
      clock.advance(5_000);
      store.setRunStatus(seed.execution.id, seed.manual.id, 'EXECUTING', {
        stepStatuses: ['PASSED', 'EXECUTING'],
      });
      expect(store.runOf(seed.execution.id, seed.manual.id)).toMatchObject({
        status: 'EXECUTING',
        finishedOn: null,
        steps: [{ status: 'PASSED' }, { status: 'EXECUTING' }],
      });
      expect(() => store.setRunStatus(seed.execution.id, seed.generic.id, 'PASSED')).toThrow(
        /not part of Test Execution/,
      );
    });
  });

  it('lastModified moves on Xray changes; Jira’s updated only where Xray writes Jira fields', () => {
    const seed = seedCoverage(store, clock);
    const jiraUpdated = (id: string) => store.jira.issues.get(id)?.updated;
    const created = jiraUpdated(seed.manual.id);
    clock.advance(60_000);
    store.addTestStep(seed.manual.id, { action: 'More' });
    expect(store.tests.get(seed.manual.id)?.lastModified).toBe(clock.now().toISOString());
    expect(jiraUpdated(seed.manual.id)).toBe(created);
    clock.advance(60_000);
    store.updateTestType(seed.manual.id, 'Generic');
    expect(jiraUpdated(seed.manual.id)).toBe(clock.now().toISOString());
    expect(store.tests.get(seed.manual.id)).toMatchObject({ steps: [], unstructured: '' });
    clock.advance(60_000);
    store.addTestEnvironmentsToTestExecution(seed.execution.id, ['safari']);
    expect(jiraUpdated(seed.execution.id)).toBe(clock.now().toISOString());
    expect(store.testExecutions.get(seed.execution.id)?.lastModified).toBe(clock.now().toISOString());
  });

  it('deleteTest removes the Jira issue, its links, runs and associations', () => {
    const seed = seedCoverage(store, clock);
    store.deleteTest(seed.manual.id);
    expect(store.jira.issues.has(seed.manual.id)).toBe(false);
    expect(store.runsOfTest(seed.manual.id)).toEqual([]);
    expect(store.testSets.get(seed.testSet.id)?.testIds).toEqual([seed.cucumber.id]);
    expect(store.coveringTestIds(seed.requirement.id)).toEqual([seed.cucumber.id, seed.generic.id]);
    expect([...store.jira.links.values()].some((link) => link.inwardIssueId === seed.manual.id)).toBe(false);
  });
});
