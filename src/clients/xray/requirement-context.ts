/**
 * A requirement's Xray side: project coverage settings, coverage status and its covering tests —
 * one GraphQL request for up to 100 tests, further pages (in parallel) only beyond that.
 */
import { z } from 'zod';
import type { XrayClient } from './client';

export const TESTS_PAGE_SIZE = 100;
/** Preconditions, runs, sets, executions and plans read per test: 100 + 100 × 10 × 5 ≤ 10,000 items. */
export const CONTEXT_NESTED_LIMIT = 10;

/** `jira(fields: […])` answers a JSON object of the requested Jira fields; read it loosely. */
const jiraFieldsSchema = z
  .object({
    key: z.string().optional(),
    summary: z.string().optional(),
    status: z.union([z.object({ name: z.string() }).loose(), z.string()]).nullish(),
    labels: z.array(z.string()).nullish(),
  })
  .loose()
  .nullish();

const issueOfSchema = z.object({ issueId: z.string().nullish(), jira: jiraFieldsSchema }).loose();

const page = <T extends z.ZodType>(item: T) =>
  z
    .object({ total: z.number().nullish(), results: z.array(item.nullable()).nullish() })
    .loose()
    .nullish();

const testSchema = z
  .object({
    issueId: z.string(),
    jira: jiraFieldsSchema,
    testType: z.object({ name: z.string().nullish(), kind: z.string().nullish() }).loose().nullish(),
    steps: z
      .array(
        z
          .object({ action: z.string().nullish(), data: z.string().nullish(), result: z.string().nullish() })
          .loose()
          .nullable(),
      )
      .nullish(),
    gherkin: z.string().nullish(),
    scenarioType: z.string().nullish(),
    unstructured: z.string().nullish(),
    folder: z.object({ path: z.string().nullish() }).loose().nullish(),
    preconditions: page(issueOfSchema.extend({ definition: z.string().nullish() })),
    testRuns: page(
      z
        .object({
          status: z.object({ name: z.string().nullish() }).loose().nullish(),
          startedOn: z.string().nullish(),
          finishedOn: z.string().nullish(),
          testExecution: issueOfSchema.nullish(),
        })
        .loose(),
    ),
    testSets: page(issueOfSchema),
    testExecutions: page(
      issueOfSchema.extend({ testEnvironments: z.array(z.string().nullable()).nullish() }),
    ),
    testPlans: page(issueOfSchema),
  })
  .loose();

export type XrayContextTest = z.infer<typeof testSchema>;

/** Xray's settings for the project, as the context documents read them. */
export const contextSettingsSchema = z
  .object({
    testTypeSettings: z
      .object({
        testTypes: z
          .array(
            z
              .object({ id: z.string().nullish(), name: z.string().nullish(), kind: z.string().nullish() })
              .nullable(),
          )
          .nullish(),
      })
      .loose()
      .nullish(),
    testCoverageSettings: z
      .object({
        coverableIssueTypeIds: z.array(z.string().nullable()).nullish(),
        issueLinkTypeId: z.string().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose()
  .nullish();

type ContextSettings = z.infer<typeof contextSettingsSchema>;

const coverableSchema = z
  .object({
    issueId: z.string().nullish(),
    status: z.object({ name: z.string().nullish(), description: z.string().nullish() }).loose().nullish(),
    tests: page(testSchema),
  })
  .loose();

type Coverable = z.infer<typeof coverableSchema>;

const responseSchema = z.object({
  getProjectSettings: contextSettingsSchema,
  getCoverableIssue: coverableSchema.nullish(),
});

export interface XrayRequirementContext {
  /** Xray has project settings for the project (Xray is enabled for it). */
  projectEnabled: boolean;
  /** The project's test types (names are configurable per project; kinds are Steps, Gherkin, Unstructured). */
  testTypes: { name: string; kind: string }[];
  coverableIssueTypeIds: string[];
  coverageLinkTypeId: string | null;
  /** Null when Xray does not treat the issue as coverable. */
  coverage: { status: string | null; description: string | null } | null;
  testsTotal: number;
  tests: XrayContextTest[];
  /** Xray requests this read took. */
  requests: number;
}

export interface RequirementContextOptions {
  projectId: string;
  includeRuns: boolean;
  /** Stop paging after this many tests (the document keeps `testsTotal`). */
  maxTests?: number;
}

export async function getRequirementContext(
  client: XrayClient,
  issueId: string,
  options: RequirementContextOptions,
): Promise<XrayRequirementContext> {
  const purpose = `Failed to read the Xray coverage of issue ${issueId}`;
  const fetchPage = (start: number) =>
    client.graphql(
      'requirementContext',
      {
        issueId,
        projectId: options.projectId,
        testsStart: start,
        testsLimit: TESTS_PAGE_SIZE,
        includeRuns: options.includeRuns,
        nestedLimit: CONTEXT_NESTED_LIMIT,
      },
      responseSchema,
      purpose,
    );
  const first = await fetchPage(0);
  const settings = first.getProjectSettings;
  const coverable = first.getCoverableIssue;
  const tests = (coverable?.tests?.results ?? []).filter((test): test is XrayContextTest => test !== null);
  const total = coverable?.tests?.total ?? tests.length;
  const wanted = Math.min(total, options.maxTests ?? 1_000);
  const starts: number[] = [];
  for (let start = TESTS_PAGE_SIZE; start < wanted; start += TESTS_PAGE_SIZE) starts.push(start);
  const rest = await Promise.all(starts.map((start) => fetchPage(start)));
  for (const next of rest) {
    for (const test of next.getCoverableIssue?.tests?.results ?? []) if (test) tests.push(test);
  }
  return assemble(settings, coverable, tests, total, 1 + rest.length);
}

/**
 * Xray's count of covering tests, as a whole number no smaller than the tests it listed. A count
 * that is not one (a fraction, beyond 2^53, negative) would fail the context document's schema as an
 * INTERNAL error; the tests listed are the count then.
 */
function testsTotalOf(total: number, listed: number): number {
  return Number.isSafeInteger(total) && total >= listed ? total : listed;
}

/** One requirement's Xray context from the project settings and its coverable issue. */
export function assemble(
  settings: ContextSettings,
  coverable: Coverable | null | undefined,
  tests: XrayContextTest[],
  total: number,
  requests: number,
): XrayRequirementContext {
  return {
    projectEnabled: settings !== null && settings !== undefined,
    testTypes: (settings?.testTypeSettings?.testTypes ?? []).flatMap((type) =>
      type?.name ? [{ name: type.name, kind: type.kind ?? 'Steps' }] : [],
    ),
    coverableIssueTypeIds: (settings?.testCoverageSettings?.coverableIssueTypeIds ?? []).filter(
      (id): id is string => typeof id === 'string',
    ),
    coverageLinkTypeId: settings?.testCoverageSettings?.issueLinkTypeId ?? null,
    coverage: coverable
      ? { status: coverable.status?.name ?? null, description: coverable.status?.description ?? null }
      : null,
    testsTotal: testsTotalOf(total, tests.length),
    tests,
    requests,
  };
}

export const coverableIssueSchema = coverableSchema;
