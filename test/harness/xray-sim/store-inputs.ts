/**
 * The inputs of the XrayStore seeding API (./store.ts): what the demo seed, the tests and the
 * GraphQL mutations hand it.
 */
import type { AdfDoc } from '../jira-sim/store';
import type { ScenarioType, TestKind, XrayRegion, XrayTier } from './model';

/** The Jira issue type names of Xray Cloud's issue types. */
export const XRAY_ISSUE_TYPES = {
  test: 'Test',
  testSet: 'Test Set',
  testExecution: 'Test Execution',
  testPlan: 'Test Plan',
  precondition: 'Precondition',
} as const;

export interface AddTenantInput {
  cloudId: string;
  region?: XrayRegion;
  licensed?: boolean;
  tier?: XrayTier;
  apiKeys?: Record<string, string> | Map<string, string>;
  /** Project ids the tenant sees (default: all). */
  projects?: string[] | 'all';
}

export interface DefineProjectOptions {
  /** Default: Manual (Steps), Cucumber (Gherkin), Generic (Unstructured). */
  testTypes?: { id?: string; name: string; kind: TestKind }[];
  /** Default: the first test type (Manual). */
  defaultTestTypeName?: string;
  /** Default: the project's Story and Epic issue types. */
  coverableIssueTypeIds?: string[];
  /** Default: the Jira link type named "Test". */
  coverageLinkTypeId?: string;
  coverageLinkDirection?: 'outward' | 'inward';
  testEnvironments?: string[];
  /** Default: the project's Bug issue type. */
  defectIssueTypeIds?: string[];
  epicIssuesRelation?: boolean;
  issueSubTasksRelation?: boolean;
}

/** The Jira side of every Xray issue created here. */
export interface IssueInput {
  projectIdOrKey: string;
  summary: string;
  description?: AdfDoc | null;
  labels?: string[];
  priorityName?: string;
  statusName?: string;
  reporterId?: string;
  assigneeId?: string;
  /** Backdates the Jira issue and the Xray record (seeds). */
  created?: string;
}

export interface StepInput {
  action: string;
  data?: string | null;
  result?: string | null;
  callTestIssueId?: string | null;
}

export interface CreateTestInput extends IssueInput {
  /** Test type name (default: the project's default type). */
  testType?: string;
  steps?: StepInput[];
  gherkin?: string;
  scenarioType?: ScenarioType;
  unstructured?: string;
  preconditionIssueIds?: string[];
  /** Requirements this test covers: creates the Jira coverage link for each. */
  coversIssueIds?: string[];
  folderPath?: string;
}

/** A new Test Version ("New version": a name, a base version to copy the definition from, default or not). */
export interface AddTestVersionInput {
  /** Default: `v<id>`. */
  name?: string;
  /** The version whose definition is copied (default: the default version). */
  baseVersionId?: number;
  /** Changes the copied definition: a new test type, steps, Gherkin or generic definition. */
  testType?: string;
  steps?: StepInput[];
  gherkin?: string;
  scenarioType?: ScenarioType;
  unstructured?: string;
  /** Make the new version the default one. */
  makeDefault?: boolean;
}

export interface CreatePreconditionInput extends IssueInput {
  preconditionType?: string;
  definition?: string;
  testIssueIds?: string[];
  folderPath?: string;
}

export interface CreateTestSetInput extends IssueInput {
  testIssueIds?: string[];
}

export interface CreateTestExecutionInput extends IssueInput {
  testIssueIds?: string[];
  testEnvironments?: string[];
}

export interface CreateTestPlanInput extends IssueInput {
  testIssueIds?: string[];
  testExecIssueIds?: string[];
}

export interface SetRunStatusOptions {
  /** Step statuses in step order; default: all PASSED when the run PASSED, else unchanged. */
  stepStatuses?: string[];
  at?: Date;
  comment?: string;
  defects?: string[];
  executedById?: string;
}

/** What an "add …" operation did: Xray reports what it added and warns about the rest. */
export interface AddResult {
  added: string[];
  warnings: string[];
}
