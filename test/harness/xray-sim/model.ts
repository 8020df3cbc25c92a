/**
 * The Xray Cloud simulator's records and the defaults Xray Cloud ships with. Xray keeps its own data
 * (test definitions, runs, associations) beside Jira's issues; every record here is keyed by the Jira
 * numeric issue id of the issue it belongs to ("Ids in the API are Jira numeric issue ids").
 */

export type XrayRegion = 'global' | 'us' | 'eu' | 'au';
export type XrayTier = 'standard' | 'enterprise';

export const XRAY_REGIONS: readonly XrayRegion[] = ['global', 'us', 'eu', 'au'];

/** Xray Cloud's base URL per data-residency region ("Xray GraphQL API endpoint" documentation). */
export const XRAY_HOSTS: Record<XrayRegion, string> = {
  global: 'xray.cloud.getxray.app',
  us: 'us.xray.cloud.getxray.app',
  eu: 'eu.xray.cloud.getxray.app',
  au: 'au.xray.cloud.getxray.app',
};

export const baseUrlOf = (region: XrayRegion): string => `https://${XRAY_HOSTS[region]}`;

/** Requests per 5-minute window by plan ("API Rate Limit": 300 Standard, 1,000 Enterprise). */
export const XRAY_RATE_BUDGET: Record<XrayTier, number> = { standard: 300, enterprise: 1_000 };

/** One Xray site (a Jira Cloud site with Xray installed). API keys belong to it. */
export interface XrayTenant {
  cloudId: string;
  region: XrayRegion;
  licensed: boolean;
  tier: XrayTier;
  /** client_id → client_secret of the API keys created in Xray's global settings. */
  apiKeys: Map<string, string>;
  /** Jira project ids this tenant's API sees; `'all'`: every project of the Jira store. */
  projects: Set<string> | 'all';
}

export type TestKind = 'Steps' | 'Gherkin' | 'Unstructured';

/** Test types are configurable per project; their kinds are fixed (getProjectSettings.testTypeSettings). */
export interface XrayTestType {
  id: string;
  name: string;
  kind: TestKind;
}

export interface XrayProjectSettings {
  projectId: string;
  testTypes: XrayTestType[];
  defaultTestTypeId: string;
  /** Issue types whose issues are requirements (testCoverageSettings.coverableIssueTypeIds). */
  coverableIssueTypeIds: string[];
  /** The Jira link type that makes coverage (on Cloud usually the one named "Test"). */
  coverageLinkTypeId: string;
  /**
   * The verb read from the Test's side: `'outward'` = "T tests R" (T is the link's inward issue, R
   * the outward one — the usual setup); `'inward'` reverses the roles.
   */
  coverageLinkDirection: 'outward' | 'inward';
  epicIssuesRelation: boolean;
  issueSubTasksRelation: boolean;
  testEnvironments: string[];
  defectIssueTypeIds: string[];
}

export interface XrayStep {
  id: string;
  action: string;
  data: string;
  result: string;
  callTestIssueId?: string;
}

export type ScenarioType = 'scenario' | 'scenario_outline';

/** What a Test Version holds ("A Test Version is composed of": type, specification, preconditions). */
export interface XrayTestDefinition {
  testTypeId: string;
  steps: XrayStep[];
  gherkin: string | null;
  scenarioType: ScenarioType | null;
  unstructured: string | null;
  preconditionIds: string[];
}

/**
 * One version of a Test (Xray's test case versioning; `Test.testVersions`, `TestVersion` in the SDL).
 * "Every Test has a default version … When you create a Test, Xray automatically set the v1 as
 * default." The default version's definition is the Test's own fields (what `Test.steps`,
 * `Test.gherkin` … answer); every other version keeps its own `snapshot`.
 */
export interface XrayTestVersion {
  id: number;
  name: string;
  archived: boolean;
  lastModified: string;
  /** The definition of a version that is not the default one. */
  snapshot?: XrayTestDefinition;
}

export interface XrayTest extends XrayTestDefinition {
  issueId: string;
  /** Test Repository folder path, `/` for the root. */
  folderPath: string;
  lastModified: string;
  versions: XrayTestVersion[];
  defaultVersionId: number;
}

export interface XrayPrecondition {
  issueId: string;
  preconditionTypeId: string;
  definition: string | null;
  folderPath: string;
  lastModified: string;
}

export interface XrayTestSet {
  issueId: string;
  testIds: string[];
  lastModified: string;
}

export interface XrayTestExecution {
  issueId: string;
  testIds: string[];
  testEnvironments: string[];
  lastModified: string;
}

export interface XrayTestPlan {
  issueId: string;
  testIds: string[];
  testExecIds: string[];
  lastModified: string;
}

export type CoverageStatusName = 'OK' | 'NOK' | 'NOTRUN' | 'UNKNOWN' | 'UNCOVERED';

/** A Test Run status (getStatuses): its colour, whether it is final and how coverage reads it. */
export interface XrayRunStatus {
  name: string;
  description: string;
  color: string;
  final: boolean;
  coverageStatus: Exclude<CoverageStatusName, 'UNCOVERED'>;
}

export interface XrayRunStep {
  id: string;
  /** The test step this run step was copied from. */
  stepId: string;
  action: string;
  data: string;
  result: string;
  status: string;
  comment: string | null;
  actualResult: string | null;
  defects: string[];
}

export interface XrayTestRun {
  /** Xray's Test Run ids are 24-hex-digit object ids, not Jira ids. */
  id: string;
  testIssueId: string;
  testExecIssueId: string;
  status: string;
  /** The Test Version the run executes: the default one unless the execution named another. */
  testVersionId: number;
  /** The test's definition when the run was created (Xray snapshots it into the run). */
  testTypeId: string;
  steps: XrayRunStep[];
  gherkin: string | null;
  scenarioType: ScenarioType | null;
  unstructured: string | null;
  startedOn: string | null;
  finishedOn: string | null;
  comment: string | null;
  defects: string[];
  assigneeId: string | null;
  executedById: string | null;
  createdAt: string;
  /** Creation order, a tiebreak for runs created in the same millisecond. */
  seq: number;
  lastModified: string;
}

/** Xray Cloud's built-in Test Run statuses (custom ones can be added with `XrayStore.addStatus`). */
export const DEFAULT_RUN_STATUSES: readonly XrayRunStatus[] = [
  {
    name: 'PASSED',
    description: 'The test run has passed',
    color: '#95C160',
    final: true,
    coverageStatus: 'OK',
  },
  {
    name: 'FAILED',
    description: 'The test run has failed',
    color: '#D45D52',
    final: true,
    coverageStatus: 'NOK',
  },
  {
    name: 'TODO',
    description: 'The test run has not started',
    color: '#A2A6AE',
    final: false,
    coverageStatus: 'NOTRUN',
  },
  {
    name: 'EXECUTING',
    description: 'The test run is currently being executed',
    color: '#F1E069',
    final: false,
    coverageStatus: 'NOTRUN',
  },
  {
    name: 'ABORTED',
    description: 'The test run was aborted',
    color: '#111111',
    final: true,
    coverageStatus: 'NOK',
  },
];

/** Test Run Step statuses (getStepStatuses); each maps to the run status of the same name. */
export const DEFAULT_STEP_STATUSES: readonly string[] = ['TODO', 'EXECUTING', 'PASSED', 'FAILED'];

/** Requirement coverage statuses as Xray shows them (CoverageStatus name/description/color). */
export const COVERAGE_STATUSES: Record<CoverageStatusName, { description: string; color: string }> = {
  OK: { description: 'The requirement is covered and all its tests passed', color: '#95C160' },
  NOK: { description: 'At least one test covering the requirement failed', color: '#D45D52' },
  NOTRUN: { description: 'At least one test covering the requirement has not run', color: '#A2A6AE' },
  UNKNOWN: { description: 'Some tests covering the requirement have an unknown status', color: '#CCCCCC' },
  UNCOVERED: { description: 'The requirement has no tests covering it', color: '#FFFFFF' },
};

/** The test types a new Xray project gets (names are configurable; kinds are not; ids are per project). */
export const DEFAULT_TEST_TYPES: readonly Omit<XrayTestType, 'id'>[] = [
  { name: 'Manual', kind: 'Steps' },
  { name: 'Cucumber', kind: 'Gherkin' },
  { name: 'Generic', kind: 'Unstructured' },
];
