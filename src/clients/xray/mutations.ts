/**
 * Xray writes for generated tests. Creating an issue is not idempotent, so these calls are sent as
 * 'unsafe': retried only after a 429 (Xray refused, nothing happened); any other failure goes back to
 * the caller, which checks whether the test exists before trying again.
 */
import { z } from 'zod';
import { withPurpose } from '../../errors';
import type { XrayClient } from './client';
import { safeParse } from '../safe-parse';

const jiraKey = z.object({ key: z.string() }).loose().nullish();

const createdSchema = (root: string, entity: string) =>
  z.object({
    [root]: z
      .object({
        // An empty id names no issue: the creation could neither link nor find the test afterwards.
        [entity]: z
          .object({ issueId: z.string().min(1), jira: jiraKey })
          .loose()
          .nullish(),
        warnings: z.array(z.string().nullable()).nullish(),
      })
      .loose()
      .nullish(),
  });

export interface CreatedIssue {
  issueId: string;
  key: string;
  warnings: string[];
}

function created(data: Record<string, unknown>, root: string, entity: string, purpose: string): CreatedIssue {
  const parsed = safeParse(createdSchema(root, entity), data);
  const result = parsed.success
    ? (parsed.data[root] as Record<string, unknown> | null | undefined)
    : undefined;
  const issue = result?.[entity] as { issueId: string; jira?: { key: string } | null } | null | undefined;
  if (!issue) throw withPurpose('XRAY_API_ERROR', `${purpose} (Xray returned no ${entity})`);
  const warnings = ((result?.warnings as (string | null)[] | null | undefined) ?? []).filter(
    (warning): warning is string => typeof warning === 'string',
  );
  return { issueId: issue.issueId, key: issue.jira?.key ?? issue.issueId, warnings };
}

const anyData = z.record(z.string(), z.unknown());

export interface NewTest {
  projectKey: string;
  summary: string;
  testTypeName: string;
  kind: 'Steps' | 'Gherkin' | 'Unstructured';
  steps?: { action: string; data: string | null; result: string | null }[];
  gherkin?: string;
  definition?: string;
  labels: string[];
  priority?: string | null;
  folderPath?: string;
}

export async function createTest(client: XrayClient, test: NewTest): Promise<CreatedIssue> {
  const purpose = `Failed to create the test “${test.summary.slice(0, 80)}” in Xray`;
  const data = await client.graphql(
    'createTest',
    {
      testType: { name: test.testTypeName },
      ...(test.kind === 'Steps'
        ? {
            steps: (test.steps ?? []).map((step) => ({
              action: step.action,
              data: step.data ?? '',
              result: step.result ?? '',
            })),
          }
        : {}),
      ...(test.kind === 'Gherkin' ? { gherkin: test.gherkin ?? '' } : {}),
      ...(test.kind === 'Unstructured' ? { unstructured: test.definition ?? '' } : {}),
      ...(test.folderPath ? { folderPath: test.folderPath } : {}),
      jira: {
        fields: {
          project: { key: test.projectKey },
          summary: test.summary,
          labels: test.labels,
          ...(test.priority ? { priority: { name: test.priority } } : {}),
        },
      },
    },
    anyData,
    purpose,
    'unsafe',
  );
  return created(data, 'createTest', 'test', purpose);
}

export async function createTestSet(
  client: XrayClient,
  input: { projectKey: string; summary: string; labels: string[]; testIssueIds: string[] },
): Promise<CreatedIssue> {
  const purpose = `Failed to create the Test Set “${input.summary.slice(0, 80)}”`;
  const data = await client.graphql(
    'createTestSet',
    {
      testIssueIds: input.testIssueIds,
      jira: { fields: { project: { key: input.projectKey }, summary: input.summary, labels: input.labels } },
    },
    anyData,
    purpose,
    'unsafe',
  );
  return created(data, 'createTestSet', 'testSet', purpose);
}

export async function createTestExecution(
  client: XrayClient,
  input: { projectKey: string; summary: string; labels: string[]; testIssueIds: string[] },
): Promise<CreatedIssue> {
  const purpose = `Failed to create the Test Execution “${input.summary.slice(0, 80)}”`;
  const data = await client.graphql(
    'createTestExecution',
    {
      testIssueIds: input.testIssueIds,
      jira: { fields: { project: { key: input.projectKey }, summary: input.summary, labels: input.labels } },
    },
    anyData,
    purpose,
    'unsafe',
  );
  return created(data, 'createTestExecution', 'testExecution', purpose);
}

const addedSchema = z.record(
  z.string(),
  z
    .object({ addedTests: z.array(z.string().nullable()).nullish(), warning: z.string().nullish() })
    .loose()
    .nullish(),
);

/** Adding tests is idempotent in Xray (a test already there comes back as a warning), so retries are safe. */
export async function addTests(
  client: XrayClient,
  target: 'addTestsToTestSet' | 'addTestsToTestExecution' | 'addTestsToTestPlan',
  issueId: string,
  testIssueIds: string[],
  label: string,
): Promise<{ added: string[]; warning: string | null }> {
  const purpose = `Failed to add the tests to ${label}`;
  const data = await client.graphql(target, { issueId, testIssueIds }, addedSchema, purpose);
  const result = data[target];
  return {
    added: (result?.addedTests ?? []).filter((id): id is string => typeof id === 'string'),
    warning: result?.warning ?? null,
  };
}
