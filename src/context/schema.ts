/**
 * The context document `sqai.context/v1`: everything Jira and Xray know about one requirement,
 * as SQAI receives it (DESIGN.md §5). This zod schema is the single source: the app validates
 * every document it builds against it, and `docs/sqai-context.schema.json` is generated from it
 * (`npm run docs:schema`; a test fails when the file is stale).
 */
import { z } from 'zod';

export const CONTEXT_SCHEMA_ID = 'sqai.context/v1';

/** The limits a document is kept within (src/context/limits.ts). */
export { CONTEXT_LIMITS } from './limits';

const isoDateTime = z.iso.datetime({ offset: true });

const issueRef = z.object({
  id: z.string().describe('Jira issue id'),
  key: z.string().describe('Jira issue key, e.g. DEMO-12'),
  summary: z.string(),
});

export const linkedIssueSchema = issueRef.extend({
  linkType: z.string().describe('The link type name, e.g. "Blocks"'),
  direction: z.enum(['inward', 'outward']).describe('outward: this requirement <relation> the other issue'),
  relation: z.string().describe('The verb as Jira shows it, e.g. "blocks", "is blocked by"'),
  status: z.string().nullable(),
  type: z.string().nullable().describe('The other issue’s type name'),
});

export const remoteLinkSchema = z.object({
  title: z.string(),
  url: z.string(),
  application: z.string().nullable().describe('e.g. "Confluence"'),
  relationship: z.string().nullable(),
  isConfluence: z.boolean(),
});

export const testStepSchema = z.object({
  action: z.string(),
  data: z.string().nullable(),
  result: z.string().nullable().describe('Expected result'),
});

export const latestRunSchema = z.object({
  status: z.string().describe('Xray run status, e.g. PASSED, FAILED, TODO, EXECUTING'),
  execution: z.object({ id: z.string(), key: z.string().nullable() }).nullable(),
  startedOn: z.string().nullable(),
  finishedOn: z.string().nullable(),
});

export const contextTestSchema = z.object({
  id: z.string(),
  key: z.string(),
  summary: z.string(),
  status: z.string().nullable().describe('The Jira status of the test issue'),
  testType: z.object({
    name: z.string().describe('The project’s test type name, e.g. Manual, Cucumber, Generic'),
    kind: z.enum(['Steps', 'Gherkin', 'Unstructured']).or(z.string()),
  }),
  labels: z.array(z.string()),
  folder: z.string().nullable().describe('Xray test repository folder path'),
  steps: z.array(testStepSchema).optional().describe('Steps tests'),
  gherkin: z.string().optional().describe('Gherkin (Cucumber) tests'),
  scenarioType: z.string().nullable().optional(),
  definition: z.string().optional().describe('Unstructured (Generic) tests'),
  preconditions: z.array(issueRef.extend({ definition: z.string().nullable() })),
  latestRun: latestRunSchema.nullable(),
  /** Set when the test's details were left out to keep the document within its size limit. */
  detailsOmitted: z.boolean().optional(),
});

export const contextDocumentSchema = z
  .object({
    schema: z.literal(CONTEXT_SCHEMA_ID),
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe(
        'SHA-256 (hex) of the canonical JSON (RFC 8785) of this document without contentHash, source.syncedAt, source.trigger and source.appVersion',
      ),
    source: z.object({
      cloudId: z.string(),
      site: z.string().nullable().describe('The Jira site URL'),
      project: z.object({ id: z.string(), key: z.string() }),
      issueId: z.string(),
      issueKey: z.string(),
      trigger: z.enum(['panel', 'scheduled', 'backfill']),
      appVersion: z.string(),
      syncedAt: isoDateTime,
    }),
    requirement: z.object({
      type: z.string(),
      summary: z.string(),
      status: z.string().nullable(),
      statusCategory: z.string().nullable(),
      priority: z.string().nullable(),
      labels: z.array(z.string()),
      components: z.array(z.string()),
      fixVersions: z.array(z.string()),
      reporter: z.string().nullable().describe('Display name only'),
      assignee: z.string().nullable().describe('Display name only'),
      created: z.string().nullable(),
      updated: z.string().nullable(),
      url: z.string().nullable(),
      description: z.string().describe('The ADF description as Markdown ("" when empty)'),
    }),
    linkedIssues: z.array(linkedIssueSchema),
    remoteLinks: z.array(remoteLinkSchema),
    xray: z.object({
      isRequirement: z.boolean().describe('Xray treats the issue type as coverable (or the admin listed it)'),
      coverage: z.object({ status: z.string().nullable(), description: z.string().nullable() }),
      testsTotal: z.number().int().nonnegative().describe('Covering tests in Xray (tests may hold fewer)'),
      tests: z.array(contextTestSchema),
      testSets: z.array(issueRef.extend({ testKeys: z.array(z.string()) })),
      testExecutions: z.array(
        issueRef.extend({
          environments: z.array(z.string()),
          statusCounts: z
            .record(z.string(), z.number().int().nonnegative())
            .describe('Latest status of this requirement’s tests in the execution → count'),
        }),
      ),
      testPlans: z.array(issueRef),
    }),
    truncated: z
      .array(z.string())
      .describe(
        'Paths of fields cut and of lists shortened to fit the limits; each cut field ends in a visible marker. When more than 25 fields were cut, their patterns are listed instead (`*` for a key or index, e.g. "xray.tests.*.steps.*.action")',
      ),
    omitted: z
      .record(z.string(), z.number().int().positive())
      .optional()
      .describe(
        'Entries the app read but left out, per list (e.g. "remoteLinks", "linkedIssues", "xray.tests", "xray.tests.details" for tests sent without their steps, "xray.tests.*.steps" summed over tests); "remoteLinks.nonHttpUrl" counts web links never sent because their URL is not http(s). Absent when nothing was left out',
      ),
  })
  .strict();

export type ContextDocument = z.infer<typeof contextDocumentSchema>;
export type ContextTest = z.infer<typeof contextTestSchema>;
export type LinkedIssue = z.infer<typeof linkedIssueSchema>;
export type RemoteLinkEntry = z.infer<typeof remoteLinkSchema>;

/** The JSON Schema published in docs/ (draft 2020-12). */
export function contextJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://sqai-suite.com/schemas/sqai.context.v1.json',
    title: 'SQAI context document (sqai.context/v1)',
    ...z.toJSONSchema(contextDocumentSchema, { target: 'draft-2020-12' }),
  };
}
