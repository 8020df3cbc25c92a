/**
 * The Xray Cloud simulator's state, over the Jira simulator's state: Xray tests, test sets,
 * executions, plans and preconditions ARE Jira issues (of the Xray issue types); Xray keeps their
 * definitions, associations and Test Runs beside them; coverage IS a Jira issue link ("T tests R").
 *
 * This is also the seeding API: the demo seed and the GraphQL mutations both call the methods below,
 * so seeded data and data created through the API cannot drift apart.
 *
 * `lastModified` follows every Xray-side change (what `modifiedSince` filters on). The Jira issue's
 * `updated` moves only where Xray Cloud writes Jira fields (the issue itself on create, "Test Type",
 * "Test Environments"); step edits, associations and runs are Xray-only, so an incremental sync that
 * reads only Jira's `updated` misses them — as it would against the real products.
 */
import type { JiraStore, SimIssue } from '../jira-sim/store';
import {
  coverageOf,
  testStatusOf,
  type CoverageData,
  type CoverageResult,
  type StatusScope,
} from './coverage';
import { XrayError } from './errors';
import {
  XRAY_ISSUE_TYPES,
  type AddResult,
  type AddTenantInput,
  type AddTestVersionInput,
  type CreatePreconditionInput,
  type CreateTestExecutionInput,
  type CreateTestInput,
  type CreateTestPlanInput,
  type CreateTestSetInput,
  type DefineProjectOptions,
  type IssueInput,
  type SetRunStatusOptions,
  type StepInput,
} from './store-inputs';
import {
  DEFAULT_RUN_STATUSES,
  DEFAULT_TEST_TYPES,
  type TestKind,
  type XrayPrecondition,
  type XrayProjectSettings,
  type XrayRunStatus,
  type XrayStep,
  type XrayTenant,
  type XrayTestExecution,
  type XrayTestPlan,
  type XrayTestRun,
  type XrayTestSet,
  type XrayTest,
  type XrayTestDefinition,
  type XrayTestType,
  type XrayTestVersion,
} from './model';

export * from './store-inputs';

const FOLDER_ROOT = '/';

function normalizeFolder(path: string | undefined): string {
  if (!path || path.trim() === '' || path.trim() === FOLDER_ROOT) return FOLDER_ROOT;
  const parts = path.split('/').map((part) => part.trim());
  return `/${parts.filter((part) => part !== '').join('/')}`;
}

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

/** A copy of a test's own definition (the default version's). */
const definitionOf = (test: XrayTestDefinition): XrayTestDefinition => ({
  testTypeId: test.testTypeId,
  steps: test.steps.map((step) => ({ ...step })),
  gherkin: test.gherkin,
  scenarioType: test.scenarioType,
  unstructured: test.unstructured,
  preconditionIds: [...test.preconditionIds],
});

export class XrayStore {
  readonly tenants = new Map<string, XrayTenant>();
  readonly projects = new Map<string, XrayProjectSettings>();
  readonly tests = new Map<string, XrayTest>();
  readonly preconditions = new Map<string, XrayPrecondition>();
  readonly testSets = new Map<string, XrayTestSet>();
  readonly testExecutions = new Map<string, XrayTestExecution>();
  readonly testPlans = new Map<string, XrayTestPlan>();
  readonly testRuns = new Map<string, XrayTestRun>();
  readonly statuses: XrayRunStatus[] = DEFAULT_RUN_STATUSES.map((status) => ({ ...status }));
  private nextObjectId = 1;
  private nextStepId = 1;
  private nextRunSeq = 1;

  constructor(
    readonly jira: JiraStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---------- tenants ----------

  addTenant(input: AddTenantInput): XrayTenant {
    const apiKeys =
      input.apiKeys instanceof Map ? input.apiKeys : new Map(Object.entries(input.apiKeys ?? {}));
    const tenant: XrayTenant = {
      cloudId: input.cloudId,
      region: input.region ?? 'global',
      licensed: input.licensed ?? true,
      tier: input.tier ?? 'standard',
      apiKeys: new Map(apiKeys),
      projects: input.projects === undefined || input.projects === 'all' ? 'all' : new Set(input.projects),
    };
    this.tenants.set(tenant.cloudId, tenant);
    return tenant;
  }

  /** The tenant of a site; throws for an unknown cloudId (a test set-up mistake). */
  tenant(cloudId: string): XrayTenant {
    const tenant = this.tenants.get(cloudId);
    if (!tenant) {
      throw new Error(
        `Xray simulator: no tenant "${cloudId}" (store.addTenant({ cloudId: '${cloudId}', … }) first)`,
      );
    }
    return tenant;
  }

  /** The tenant owning an API key (its client id). */
  tenantByClientId(clientId: string): XrayTenant | undefined {
    return [...this.tenants.values()].find((tenant) => tenant.apiKeys.has(clientId));
  }

  tenantSeesProject(tenant: XrayTenant, projectId: string): boolean {
    return tenant.projects === 'all' || tenant.projects.has(projectId);
  }

  tenantSeesIssue(tenant: XrayTenant, issueId: string): boolean {
    const issue = this.jira.issues.get(issueId);
    return issue !== undefined && this.tenantSeesProject(tenant, issue.projectId);
  }

  // ---------- projects ----------

  /** Enables Xray on a Jira project with Xray Cloud's defaults, or the options given. */
  defineProject(projectIdOrKey: string, options: DefineProjectOptions = {}): XrayProjectSettings {
    const project = this.jira.project(projectIdOrKey);
    if (!project) throw new Error(`Xray simulator: no Jira project ${projectIdOrKey}`);
    const typeIdsNamed = (...names: string[]) =>
      project.issueTypeIds.filter((id) => {
        const type = this.jira.issueTypes.get(id);
        return type !== undefined && names.some((name) => name.toLowerCase() === type.name.toLowerCase());
      });
    const types: { id?: string; name: string; kind: TestKind }[] = options.testTypes ?? [
      ...DEFAULT_TEST_TYPES,
    ];
    // Xray's test type ids are 24-hex object ids, distinct per project.
    const testTypes: XrayTestType[] = types.map((type, index) => ({
      id: type.id ?? `${hex(Number(project.id) || 0, 16)}${hex(index + 1, 8)}`,
      name: type.name,
      kind: type.kind,
    }));
    const defaultType = options.defaultTestTypeName
      ? testTypes.find((type) => type.name === options.defaultTestTypeName)
      : testTypes[0];
    if (!defaultType) throw new Error(`Xray simulator: no default test type for project ${project.key}`);
    const linkType = options.coverageLinkTypeId
      ? this.jira.linkTypes.get(options.coverageLinkTypeId)
      : this.jira.linkType('Test');
    if (!linkType) {
      throw new Error(
        'Xray simulator: the Jira store has no "Test" issue link type (inward "is tested by", outward "tests"); add it or pass coverageLinkTypeId',
      );
    }
    const settings: XrayProjectSettings = {
      projectId: project.id,
      testTypes,
      defaultTestTypeId: defaultType.id,
      coverableIssueTypeIds: options.coverableIssueTypeIds ?? typeIdsNamed('Story', 'Epic'),
      coverageLinkTypeId: linkType.id,
      coverageLinkDirection: options.coverageLinkDirection ?? 'outward',
      epicIssuesRelation: options.epicIssuesRelation ?? false,
      issueSubTasksRelation: options.issueSubTasksRelation ?? false,
      testEnvironments: [...(options.testEnvironments ?? [])],
      defectIssueTypeIds: options.defectIssueTypeIds ?? typeIdsNamed('Bug'),
    };
    this.projects.set(project.id, settings);
    return settings;
  }

  /** Xray's settings of a project (by id or key), if Xray is enabled on it. */
  projectSettings(projectIdOrKey: string): XrayProjectSettings | undefined {
    const project = this.jira.project(projectIdOrKey);
    return project ? this.projects.get(project.id) : undefined;
  }

  private requireSettings(projectId: string): XrayProjectSettings {
    const settings = this.projects.get(projectId);
    if (!settings) {
      const key = this.jira.projects.get(projectId)?.key ?? projectId;
      throw new XrayError(`Xray is not enabled for project ${key}.`);
    }
    return settings;
  }

  testType(projectId: string, idOrName: string): XrayTestType | undefined {
    const settings = this.projects.get(projectId);
    return settings?.testTypes.find(
      (type) => type.id === idOrName || type.name.toLowerCase() === idOrName.toLowerCase(),
    );
  }

  private requireTestType(projectId: string, idOrName: string | undefined): XrayTestType {
    const settings = this.requireSettings(projectId);
    const type = idOrName
      ? this.testType(projectId, idOrName)
      : settings.testTypes.find((candidate) => candidate.id === settings.defaultTestTypeId);
    if (!type) {
      const valid = settings.testTypes.map((candidate) => candidate.name).join(', ');
      throw new XrayError(
        `Test Type "${idOrName ?? ''}" is not valid for this project. Valid Test Types are: ${valid}.`,
      );
    }
    return type;
  }

  // ---------- statuses ----------

  status(name: string): XrayRunStatus | undefined {
    return this.statuses.find((status) => status.name.toLowerCase() === name.toLowerCase());
  }

  addStatus(status: XrayRunStatus): XrayRunStatus {
    this.statuses.push({ ...status });
    return status;
  }

  private requireStatus(name: string): XrayRunStatus {
    const status = this.status(name);
    if (!status) throw new XrayError(`Status "${name}" does not exist.`);
    return status;
  }

  // ---------- issue kinds ----------

  /** The Xray kind of a Jira issue, from the records kept here. */
  kindOf(issueId: string): 'test' | 'precondition' | 'testSet' | 'testExecution' | 'testPlan' | undefined {
    if (this.tests.has(issueId)) return 'test';
    if (this.preconditions.has(issueId)) return 'precondition';
    if (this.testSets.has(issueId)) return 'testSet';
    if (this.testExecutions.has(issueId)) return 'testExecution';
    if (this.testPlans.has(issueId)) return 'testPlan';
    return undefined;
  }

  /** Whether a Jira issue is a requirement: its type is coverable in its Xray project. */
  isCoverable(issueId: string): boolean {
    const issue = this.jira.issues.get(issueId);
    if (!issue) return false;
    const settings = this.projects.get(issue.projectId);
    return settings !== undefined && settings.coverableIssueTypeIds.includes(issue.issueTypeId);
  }

  private requireTest(issueId: string): XrayTest {
    const test = this.tests.get(issueId);
    if (!test) throw new XrayError(`Test with id "${issueId}" was not found.`);
    return test;
  }

  private requireOf<T>(map: Map<string, T>, issueId: string, what: string): T {
    const record = map.get(issueId);
    if (!record) throw new XrayError(`${what} with id "${issueId}" was not found.`);
    return record;
  }

  // ---------- create ----------

  private createJiraIssue(input: IssueInput, issueTypeName: string): SimIssue {
    const project = this.jira.project(input.projectIdOrKey);
    if (!project) throw new XrayError(`Project "${input.projectIdOrKey}" was not found.`);
    this.requireSettings(project.id);
    if (!this.jira.issueType(issueTypeName, project.id)) {
      throw new XrayError(`Issue type "${issueTypeName}" is not available in project ${project.key}.`);
    }
    return this.jira.createIssue({
      projectIdOrKey: project.id,
      issueTypeIdOrName: issueTypeName,
      summary: input.summary,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.labels ? { labels: input.labels } : {}),
      ...(input.priorityName ? { priorityName: input.priorityName } : {}),
      ...(input.statusName ? { statusName: input.statusName } : {}),
      ...(input.reporterId ? { reporterId: input.reporterId } : {}),
      ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
      ...(input.created ? { created: input.created } : {}),
    });
  }

  private stamp(at?: string): string {
    return at ?? this.now().toISOString();
  }

  private newStep(step: StepInput): XrayStep {
    const n = this.nextStepId++;
    return {
      id: `${hex(n, 8)}-5e1d-4c1a-9a7e-${hex(n, 12)}`,
      action: step.action,
      data: step.data ?? '',
      result: step.result ?? '',
      ...(step.callTestIssueId ? { callTestIssueId: step.callTestIssueId } : {}),
    };
  }

  /** Xray rejects a definition that does not fit the test type's kind. */
  private checkDefinition(
    type: XrayTestType,
    input: Pick<CreateTestInput, 'steps' | 'gherkin' | 'unstructured'>,
  ) {
    const offending: string[] = [];
    if (type.kind !== 'Steps' && input.steps && input.steps.length > 0) offending.push('steps');
    if (type.kind !== 'Gherkin' && input.gherkin) offending.push('gherkin');
    if (type.kind !== 'Unstructured' && input.unstructured) offending.push('unstructured');
    if (offending.length > 0) {
      throw new XrayError(
        `Test Type "${type.name}" is of kind "${type.kind}" and cannot have a ${offending.join('/')} definition.`,
      );
    }
  }

  createTest(input: CreateTestInput): SimIssue {
    const project = this.jira.project(input.projectIdOrKey);
    if (!project) throw new XrayError(`Project "${input.projectIdOrKey}" was not found.`);
    const type = this.requireTestType(project.id, input.testType);
    this.checkDefinition(type, input);
    for (const id of input.preconditionIssueIds ?? []) this.requireOf(this.preconditions, id, 'Precondition');
    const issue = this.createJiraIssue(input, XRAY_ISSUE_TYPES.test);
    const test: XrayTest = {
      issueId: issue.id,
      testTypeId: type.id,
      steps: (input.steps ?? []).map((step) => this.newStep(step)),
      gherkin: type.kind === 'Gherkin' ? (input.gherkin ?? '') : null,
      scenarioType: type.kind === 'Gherkin' ? (input.scenarioType ?? 'scenario') : null,
      unstructured: type.kind === 'Unstructured' ? (input.unstructured ?? '') : null,
      preconditionIds: [...new Set(input.preconditionIssueIds ?? [])],
      folderPath: normalizeFolder(input.folderPath),
      lastModified: this.stamp(input.created),
      versions: [{ id: 1, name: 'v1', archived: false, lastModified: this.stamp(input.created) }],
      defaultVersionId: 1,
    };
    this.tests.set(issue.id, test);
    for (const requirementId of input.coversIssueIds ?? []) this.cover(issue.id, requirementId);
    return issue;
  }

  createPrecondition(input: CreatePreconditionInput): SimIssue {
    const project = this.jira.project(input.projectIdOrKey);
    if (!project) throw new XrayError(`Project "${input.projectIdOrKey}" was not found.`);
    const type = this.requireTestType(project.id, input.preconditionType);
    for (const id of input.testIssueIds ?? []) this.requireTest(id);
    const issue = this.createJiraIssue(input, XRAY_ISSUE_TYPES.precondition);
    const stamp = this.stamp(input.created);
    this.preconditions.set(issue.id, {
      issueId: issue.id,
      preconditionTypeId: type.id,
      definition: input.definition ?? null,
      folderPath: normalizeFolder(input.folderPath),
      lastModified: stamp,
    });
    for (const testId of input.testIssueIds ?? []) this.addPreconditionsToTest(testId, [issue.id]);
    return issue;
  }

  createTestSet(input: CreateTestSetInput): SimIssue {
    const issue = this.createJiraIssue(input, XRAY_ISSUE_TYPES.testSet);
    this.testSets.set(issue.id, { issueId: issue.id, testIds: [], lastModified: this.stamp(input.created) });
    if (input.testIssueIds?.length) this.addTestsToTestSet(issue.id, input.testIssueIds);
    return issue;
  }

  /** Creates the execution and a TODO Test Run for each of its tests. */
  createTestExecution(input: CreateTestExecutionInput): SimIssue {
    const issue = this.createJiraIssue(input, XRAY_ISSUE_TYPES.testExecution);
    this.testExecutions.set(issue.id, {
      issueId: issue.id,
      testIds: [],
      testEnvironments: [...new Set(input.testEnvironments ?? [])],
      lastModified: this.stamp(input.created),
    });
    this.registerEnvironments(issue.projectId, input.testEnvironments ?? []);
    if (input.testIssueIds?.length) this.addTestsToTestExecution(issue.id, input.testIssueIds, input.created);
    return issue;
  }

  createTestPlan(input: CreateTestPlanInput): SimIssue {
    const issue = this.createJiraIssue(input, XRAY_ISSUE_TYPES.testPlan);
    this.testPlans.set(issue.id, {
      issueId: issue.id,
      testIds: [],
      testExecIds: [],
      lastModified: this.stamp(input.created),
    });
    if (input.testIssueIds?.length) this.addTestsToTestPlan(issue.id, input.testIssueIds);
    if (input.testExecIssueIds?.length) this.addTestExecutionsToTestPlan(issue.id, input.testExecIssueIds);
    return issue;
  }

  // ---------- coverage links ----------

  /** Makes `testIssueId` cover `requirementIssueId` with the project's coverage link (a Jira link). */
  cover(testIssueId: string, requirementIssueId: string): void {
    const test = this.jira.issues.get(testIssueId);
    const requirement = this.jira.issues.get(requirementIssueId);
    if (!test || !this.tests.has(testIssueId))
      throw new XrayError(`Test with id "${testIssueId}" was not found.`);
    if (!requirement) throw new XrayError(`Issue with id "${requirementIssueId}" was not found.`);
    const settings = this.requireSettings(requirement.projectId);
    if (settings.coverageLinkDirection === 'outward') {
      this.jira.link(settings.coverageLinkTypeId, testIssueId, requirementIssueId);
    } else {
      this.jira.link(settings.coverageLinkTypeId, requirementIssueId, testIssueId);
    }
  }

  private coverageLinkOf(projectId: string): { typeId: string; direction: 'outward' | 'inward' } | undefined {
    const settings = this.projects.get(projectId);
    if (settings) return { typeId: settings.coverageLinkTypeId, direction: settings.coverageLinkDirection };
    const type = this.jira.linkType('Test');
    return type ? { typeId: type.id, direction: 'outward' } : undefined;
  }

  /** The tests covering a requirement, read from the Jira links (in link order). */
  coveringTestIds(requirementIssueId: string): string[] {
    const requirement = this.jira.issues.get(requirementIssueId);
    if (!requirement) return [];
    const link = this.coverageLinkOf(requirement.projectId);
    if (!link) return [];
    const ids: string[] = [];
    for (const view of this.jira.linksOf(requirementIssueId)) {
      if (view.type.id !== link.typeId) continue;
      // From the requirement's side "T tests R" reads inward ("is tested by").
      const wanted = link.direction === 'outward' ? 'inward' : 'outward';
      if (view.direction === wanted && this.tests.has(view.other.id)) ids.push(view.other.id);
    }
    return [...new Set(ids)];
  }

  /** The requirements a test covers (coverable issues linked with the coverage link). */
  coveredIssueIds(testIssueId: string): string[] {
    const ids: string[] = [];
    for (const view of this.jira.linksOf(testIssueId)) {
      const link = this.coverageLinkOf(view.other.projectId);
      if (!link || view.type.id !== link.typeId) continue;
      const wanted = link.direction === 'outward' ? 'outward' : 'inward';
      if (view.direction === wanted && this.isCoverable(view.other.id)) ids.push(view.other.id);
    }
    return [...new Set(ids)];
  }

  // ---------- associations ----------

  private addTo(list: string[], ids: string[], accept: (id: string) => string | undefined): AddResult {
    const added: string[] = [];
    const warnings: string[] = [];
    for (const id of ids) {
      const problem = accept(id);
      if (problem) {
        warnings.push(problem);
        continue;
      }
      if (list.includes(id)) continue;
      list.push(id);
      added.push(id);
    }
    return { added, warnings };
  }

  private testProblem = (id: string): string | undefined =>
    this.tests.has(id) ? undefined : `Test with id "${id}" was not found.`;

  addTestsToTestSet(testSetIssueId: string, testIssueIds: string[]): AddResult {
    const set = this.requireOf(this.testSets, testSetIssueId, 'Test Set');
    const result = this.addTo(set.testIds, testIssueIds, this.testProblem);
    if (result.added.length > 0) set.lastModified = this.stamp();
    return result;
  }

  removeTestsFromTestSet(testSetIssueId: string, testIssueIds: string[]): void {
    const set = this.requireOf(this.testSets, testSetIssueId, 'Test Set');
    set.testIds = set.testIds.filter((id) => !testIssueIds.includes(id));
    set.lastModified = this.stamp();
  }

  /**
   * Adds tests to an execution; each new one gets a TODO Test Run of the test's default version, or
   * of the version `versions` names for it (`tests: [{ issueId, versionId }]`).
   */
  addTestsToTestExecution(
    testExecIssueId: string,
    testIssueIds: string[],
    at?: string,
    versions: ReadonlyMap<string, number> = new Map(),
  ): AddResult {
    const execution = this.requireOf(this.testExecutions, testExecIssueId, 'Test Execution');
    for (const [testId, versionId] of versions) {
      if (this.tests.has(testId)) this.requireTestVersion(testId, versionId);
    }
    const result = this.addTo(execution.testIds, testIssueIds, this.testProblem);
    for (const testId of result.added) this.createRun(execution.issueId, testId, at, versions.get(testId));
    if (result.added.length > 0) execution.lastModified = this.stamp(at);
    return result;
  }

  removeTestsFromTestExecution(testExecIssueId: string, testIssueIds: string[]): void {
    const execution = this.requireOf(this.testExecutions, testExecIssueId, 'Test Execution');
    execution.testIds = execution.testIds.filter((id) => !testIssueIds.includes(id));
    for (const run of [...this.testRuns.values()]) {
      if (run.testExecIssueId === testExecIssueId && testIssueIds.includes(run.testIssueId)) {
        this.testRuns.delete(run.id);
      }
    }
    execution.lastModified = this.stamp();
  }

  addTestsToTestPlan(testPlanIssueId: string, testIssueIds: string[]): AddResult {
    const plan = this.requireOf(this.testPlans, testPlanIssueId, 'Test Plan');
    const result = this.addTo(plan.testIds, testIssueIds, this.testProblem);
    if (result.added.length > 0) plan.lastModified = this.stamp();
    return result;
  }

  removeTestsFromTestPlan(testPlanIssueId: string, testIssueIds: string[]): void {
    const plan = this.requireOf(this.testPlans, testPlanIssueId, 'Test Plan');
    plan.testIds = plan.testIds.filter((id) => !testIssueIds.includes(id));
    plan.lastModified = this.stamp();
  }

  addTestExecutionsToTestPlan(testPlanIssueId: string, testExecIssueIds: string[]): AddResult {
    const plan = this.requireOf(this.testPlans, testPlanIssueId, 'Test Plan');
    const result = this.addTo(plan.testExecIds, testExecIssueIds, (id) =>
      this.testExecutions.has(id) ? undefined : `Test Execution with id "${id}" was not found.`,
    );
    if (result.added.length > 0) {
      plan.lastModified = this.stamp();
      // Xray keeps the execution's "Test Plan" Jira field in step.
      for (const id of result.added) this.jira.touch(id, this.now());
    }
    return result;
  }

  addTestEnvironmentsToTestExecution(
    testExecIssueId: string,
    environments: string[],
  ): { associated: string[]; created: string[] } {
    const execution = this.requireOf(this.testExecutions, testExecIssueId, 'Test Execution');
    const issue = this.jira.issues.get(testExecIssueId);
    const created = issue ? this.registerEnvironments(issue.projectId, environments) : [];
    const associated = environments.filter((env) => !execution.testEnvironments.includes(env));
    execution.testEnvironments.push(...associated);
    if (associated.length > 0) {
      execution.lastModified = this.stamp();
      this.jira.touch(testExecIssueId, this.now()); // "Test Environments" is a Jira field
    }
    return { associated, created };
  }

  /** Environments are created on first use; returns the new ones. */
  private registerEnvironments(projectId: string, environments: string[]): string[] {
    const settings = this.projects.get(projectId);
    if (!settings) return [];
    const created = environments.filter((env) => !settings.testEnvironments.includes(env));
    settings.testEnvironments.push(...new Set(created));
    return [...new Set(created)];
  }

  addPreconditionsToTest(testIssueId: string, preconditionIssueIds: string[]): AddResult {
    const test = this.requireTest(testIssueId);
    const result = this.addTo(test.preconditionIds, preconditionIssueIds, (id) =>
      this.preconditions.has(id) ? undefined : `Precondition with id "${id}" was not found.`,
    );
    if (result.added.length > 0) {
      test.lastModified = this.stamp();
      for (const id of result.added) {
        const precondition = this.preconditions.get(id);
        if (precondition) precondition.lastModified = test.lastModified;
      }
    }
    return result;
  }

  // ---------- test definition ----------

  addTestStep(testIssueId: string, step: StepInput): XrayStep {
    const test = this.requireTest(testIssueId);
    const type = this.testTypeOf(test);
    if (type?.kind !== 'Steps') {
      throw new XrayError(`Test with id "${testIssueId}" is not of a Steps kind: steps cannot be added.`);
    }
    const created = this.newStep(step);
    test.steps.push(created);
    test.lastModified = this.stamp();
    return created;
  }

  /**
   * The test (default version) holding a step. Step ids are unique across the site; a step of a
   * version that is not the default is refused explicitly (the simulator edits default versions only).
   */
  private testOfStep(stepId: string): { test: XrayTest; index: number } {
    for (const test of this.tests.values()) {
      const index = test.steps.findIndex((step) => step.id === stepId);
      if (index >= 0) return { test, index };
      if (test.versions.some((version) => version.snapshot?.steps.some((step) => step.id === stepId))) {
        throw new XrayError(
          `The Xray simulator edits only the default version of a test; the step with id "${stepId}" belongs to another version.`,
        );
      }
    }
    throw new XrayError(`Step with id "${stepId}" was not found.`);
  }

  /** `updateTestStep`: the fields given change, the others stay (the SDL's example updates only `result`). */
  updateTestStep(stepId: string, patch: Partial<Pick<XrayStep, 'action' | 'data' | 'result'>>): XrayStep {
    const { test, index } = this.testOfStep(stepId);
    const step = test.steps[index];
    if (!step) throw new XrayError(`Step with id "${stepId}" was not found.`);
    if (patch.action !== undefined) step.action = patch.action;
    if (patch.data !== undefined) step.data = patch.data;
    if (patch.result !== undefined) step.result = patch.result;
    test.lastModified = this.stamp();
    return step;
  }

  /** `removeTestStep`: the step leaves its test; the others keep their ids and order. */
  removeTestStep(stepId: string): XrayTest {
    const { test, index } = this.testOfStep(stepId);
    test.steps.splice(index, 1);
    test.lastModified = this.stamp();
    return test;
  }

  updateTestType(testIssueId: string, typeIdOrName: string): XrayTest {
    const test = this.requireTest(testIssueId);
    const issue = this.jira.issues.get(testIssueId);
    if (!issue) throw new XrayError(`Test with id "${testIssueId}" was not found.`);
    const type = this.requireTestType(issue.projectId, typeIdOrName);
    if (type.id === test.testTypeId) return test;
    test.testTypeId = type.id;
    if (type.kind !== 'Steps') test.steps = [];
    test.gherkin = type.kind === 'Gherkin' ? (test.gherkin ?? '') : null;
    test.scenarioType = type.kind === 'Gherkin' ? (test.scenarioType ?? 'scenario') : null;
    test.unstructured = type.kind === 'Unstructured' ? (test.unstructured ?? '') : null;
    test.lastModified = this.stamp();
    this.jira.touch(testIssueId, this.now()); // "Test Type" is a Jira field
    return test;
  }

  updateDefinition(testIssueId: string, patch: { gherkin?: string; unstructured?: string }): XrayTest {
    const test = this.requireTest(testIssueId);
    const type = this.testTypeOf(test);
    if (patch.gherkin !== undefined) {
      if (type?.kind !== 'Gherkin')
        throw new XrayError(`Test with id "${testIssueId}" is not a Gherkin test.`);
      test.gherkin = patch.gherkin;
    }
    if (patch.unstructured !== undefined) {
      if (type?.kind !== 'Unstructured') {
        throw new XrayError(`Test with id "${testIssueId}" is not an Unstructured test.`);
      }
      test.unstructured = patch.unstructured;
    }
    test.lastModified = this.stamp();
    return test;
  }

  // ---------- test versions ----------

  /** A version's definition: the Test's own fields for the default version, else its snapshot. */
  versionDefinition(test: XrayTest, versionId: number): XrayTestDefinition | undefined {
    const version = test.versions.find((candidate) => candidate.id === versionId);
    if (!version) return undefined;
    return version.id === test.defaultVersionId ? test : version.snapshot;
  }

  requireTestVersion(testIssueId: string, versionId: number): XrayTestVersion {
    const version = this.requireTest(testIssueId).versions.find((candidate) => candidate.id === versionId);
    if (!version) {
      throw new XrayError(`Test version "${versionId}" of the Test with id "${testIssueId}" was not found.`);
    }
    return version;
  }

  /** "New version": copies a base version's definition (changed by `input`), optionally as the default. */
  addTestVersion(testIssueId: string, input: AddTestVersionInput = {}): XrayTestVersion {
    const test = this.requireTest(testIssueId);
    const baseId = input.baseVersionId ?? test.defaultVersionId;
    this.requireTestVersion(testIssueId, baseId);
    const base = this.versionDefinition(test, baseId);
    const issue = this.jira.issues.get(testIssueId);
    if (!base || !issue) throw new XrayError(`Test with id "${testIssueId}" was not found.`);
    const type = this.requireTestType(issue.projectId, input.testType ?? base.testTypeId);
    this.checkDefinition(type, input);
    const copied = definitionOf(base);
    const snapshot: XrayTestDefinition = {
      testTypeId: type.id,
      steps:
        type.kind !== 'Steps'
          ? []
          : input.steps
            ? input.steps.map((step) => this.newStep(step))
            : copied.steps.map((step) => this.newStep(step)),
      gherkin: type.kind === 'Gherkin' ? (input.gherkin ?? copied.gherkin ?? '') : null,
      scenarioType:
        type.kind === 'Gherkin' ? (input.scenarioType ?? copied.scenarioType ?? 'scenario') : null,
      unstructured: type.kind === 'Unstructured' ? (input.unstructured ?? copied.unstructured ?? '') : null,
      preconditionIds: copied.preconditionIds,
    };
    const stamp = this.stamp();
    const id = Math.max(...test.versions.map((version) => version.id)) + 1;
    const version: XrayTestVersion = {
      id,
      name: input.name ?? `v${id}`,
      archived: false,
      lastModified: stamp,
      snapshot,
    };
    test.versions.push(version);
    test.lastModified = stamp;
    if (input.makeDefault) this.setDefaultTestVersion(testIssueId, id);
    return version;
  }

  /** "Set Default": the Test's own fields become that version's definition. */
  setDefaultTestVersion(testIssueId: string, versionId: number): XrayTest {
    const test = this.requireTest(testIssueId);
    const next = this.requireTestVersion(testIssueId, versionId);
    if (next.id === test.defaultVersionId || !next.snapshot) return test;
    const previous = test.versions.find((version) => version.id === test.defaultVersionId);
    if (previous) previous.snapshot = definitionOf(test);
    Object.assign(test, definitionOf(next.snapshot));
    delete next.snapshot;
    test.defaultVersionId = next.id;
    test.lastModified = this.stamp();
    return test;
  }

  testTypeOf(test: XrayTest): XrayTestType | undefined {
    const issue = this.jira.issues.get(test.issueId);
    const settings = issue ? this.projects.get(issue.projectId) : undefined;
    return settings?.testTypes.find((type) => type.id === test.testTypeId);
  }

  /** Deletes the Test issue (Xray's deleteTest deletes it in Jira too) and everything Xray kept. */
  deleteTest(testIssueId: string): void {
    this.requireTest(testIssueId);
    const stamp = this.stamp();
    this.tests.delete(testIssueId);
    for (const set of this.testSets.values()) {
      if (set.testIds.includes(testIssueId)) {
        set.testIds = set.testIds.filter((id) => id !== testIssueId);
        set.lastModified = stamp;
      }
    }
    for (const plan of this.testPlans.values()) {
      if (plan.testIds.includes(testIssueId)) {
        plan.testIds = plan.testIds.filter((id) => id !== testIssueId);
        plan.lastModified = stamp;
      }
    }
    for (const execution of this.testExecutions.values()) {
      if (execution.testIds.includes(testIssueId)) {
        execution.testIds = execution.testIds.filter((id) => id !== testIssueId);
        execution.lastModified = stamp;
      }
    }
    for (const run of [...this.testRuns.values()]) {
      if (run.testIssueId === testIssueId) this.testRuns.delete(run.id);
    }
    // JiraStore has no delete (it is append-only by design); remove the issue and its links directly.
    for (const [linkId, link] of this.jira.links) {
      if (link.inwardIssueId === testIssueId || link.outwardIssueId === testIssueId) {
        this.jira.links.delete(linkId);
        this.jira.touch(link.inwardIssueId === testIssueId ? link.outwardIssueId : link.inwardIssueId);
      }
    }
    this.jira.issues.delete(testIssueId);
  }

  // ---------- test runs ----------

  private createRun(
    testExecIssueId: string,
    testIssueId: string,
    at?: string,
    versionId?: number,
  ): XrayTestRun {
    const test = this.requireTest(testIssueId);
    const testVersionId = versionId ?? test.defaultVersionId;
    const definition = this.versionDefinition(test, testVersionId) ?? test;
    const seq = this.nextRunSeq++;
    const stamp = this.stamp(at);
    const run: XrayTestRun = {
      id: `${hex(0x65a1f0c0, 8)}${hex(this.nextObjectId++, 16)}`,
      testIssueId,
      testExecIssueId,
      status: 'TODO',
      testVersionId,
      testTypeId: definition.testTypeId,
      steps: definition.steps.map((step) => ({
        id: step.id,
        stepId: step.id,
        action: step.action,
        data: step.data,
        result: step.result,
        status: 'TODO',
        comment: null,
        actualResult: null,
        defects: [],
      })),
      gherkin: definition.gherkin,
      scenarioType: definition.scenarioType,
      unstructured: definition.unstructured,
      startedOn: null,
      finishedOn: null,
      comment: null,
      defects: [],
      assigneeId: null,
      executedById: null,
      createdAt: stamp,
      seq,
      lastModified: stamp,
    };
    this.testRuns.set(run.id, run);
    return run;
  }

  runsOfTest(testIssueId: string): XrayTestRun[] {
    return [...this.testRuns.values()]
      .filter((run) => run.testIssueId === testIssueId)
      .sort((a, b) => a.seq - b.seq);
  }

  runsOfExecution(testExecIssueId: string): XrayTestRun[] {
    const execution = this.testExecutions.get(testExecIssueId);
    const order = execution?.testIds ?? [];
    return [...this.testRuns.values()]
      .filter((run) => run.testExecIssueId === testExecIssueId)
      .sort((a, b) => order.indexOf(a.testIssueId) - order.indexOf(b.testIssueId));
  }

  runOf(testExecIssueId: string, testIssueId: string): XrayTestRun | undefined {
    return [...this.testRuns.values()].find(
      (run) => run.testExecIssueId === testExecIssueId && run.testIssueId === testIssueId,
    );
  }

  /** Records a result of a test in an execution (seeding and updateTestRunStatus both land here). */
  setRunStatus(
    testExecIssueId: string,
    testIssueId: string,
    status: string,
    options: SetRunStatusOptions = {},
  ): XrayTestRun {
    const run = this.runOf(testExecIssueId, testIssueId);
    if (!run) {
      throw new XrayError(
        `Test with id "${testIssueId}" is not part of Test Execution "${testExecIssueId}".`,
      );
    }
    return this.updateRun(run.id, status, options);
  }

  updateRun(runId: string, statusName: string, options: SetRunStatusOptions = {}): XrayTestRun {
    const run = this.testRuns.get(runId);
    if (!run) throw new XrayError(`Test Run with id "${runId}" was not found.`);
    const status = this.requireStatus(statusName);
    const at = (options.at ?? this.now()).toISOString();
    run.status = status.name;
    if (status.name === 'TODO') {
      run.startedOn = null;
      run.finishedOn = null;
    } else if (status.final) {
      run.startedOn ??= at;
      run.finishedOn = at;
    } else {
      run.startedOn ??= at;
      run.finishedOn = null;
    }
    if (options.stepStatuses) {
      options.stepStatuses.forEach((name, index) => {
        const step = run.steps[index];
        if (step) step.status = this.requireStatus(name).name;
      });
    } else if (status.name === 'PASSED') {
      for (const step of run.steps) step.status = 'PASSED';
    }
    if (options.comment !== undefined) run.comment = options.comment;
    if (options.defects) run.defects = [...new Set([...run.defects, ...options.defects])];
    if (options.executedById) run.executedById = options.executedById;
    this.touchRun(run, at);
    return run;
  }

  updateRunFields(
    runId: string,
    patch: Partial<Pick<XrayTestRun, 'comment' | 'startedOn' | 'finishedOn' | 'assigneeId' | 'executedById'>>,
  ): XrayTestRun {
    const run = this.testRuns.get(runId);
    if (!run) throw new XrayError(`Test Run with id "${runId}" was not found.`);
    Object.assign(run, patch);
    this.touchRun(run, this.now().toISOString());
    return run;
  }

  addDefectsToRun(runId: string, defects: string[]): AddResult {
    const run = this.testRuns.get(runId);
    if (!run) throw new XrayError(`Test Run with id "${runId}" was not found.`);
    const result = this.addTo(run.defects, defects, (id) =>
      this.jira.issue(id) ? undefined : `Issue "${id}" was not found.`,
    );
    this.touchRun(run, this.now().toISOString());
    return result;
  }

  private touchRun(run: XrayTestRun, at: string): void {
    run.lastModified = at;
    const execution = this.testExecutions.get(run.testExecIssueId);
    if (execution) execution.lastModified = at;
  }

  // ---------- status and coverage ----------

  private get coverageData(): CoverageData {
    return {
      runsOfTest: (id) => this.runsOfTest(id),
      execution: (id) => this.testExecutions.get(id),
      plan: (id) => this.testPlans.get(id),
      status: (name) => this.status(name),
      coveringTestIds: (id) => this.coveringTestIds(id),
    };
  }

  testStatus(testIssueId: string, scope: StatusScope = {}): XrayRunStatus {
    return testStatusOf(this.coverageData, testIssueId, scope);
  }

  /** A requirement's covering tests and coverage status (OK / NOK / NOTRUN / UNKNOWN / UNCOVERED). */
  coverageOf(requirementIssueId: string, scope: StatusScope = {}): CoverageResult {
    return coverageOf(this.coverageData, requirementIssueId, scope);
  }

  // ---------- reverse associations ----------

  testSetsOfTest(testIssueId: string): string[] {
    return [...this.testSets.values()]
      .filter((set) => set.testIds.includes(testIssueId))
      .map((set) => set.issueId);
  }

  testExecutionsOfTest(testIssueId: string): string[] {
    return [...this.testExecutions.values()]
      .filter((execution) => execution.testIds.includes(testIssueId))
      .map((execution) => execution.issueId);
  }

  testPlansOfTest(testIssueId: string): string[] {
    return [...this.testPlans.values()]
      .filter((plan) => plan.testIds.includes(testIssueId))
      .map((plan) => plan.issueId);
  }

  testPlansOfExecution(testExecIssueId: string): string[] {
    return [...this.testPlans.values()]
      .filter((plan) => plan.testExecIds.includes(testExecIssueId))
      .map((plan) => plan.issueId);
  }

  testsOfPrecondition(preconditionIssueId: string): string[] {
    return [...this.tests.values()]
      .filter((test) => test.preconditionIds.includes(preconditionIssueId))
      .map((test) => test.issueId);
  }
}
