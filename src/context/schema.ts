/**
 * The context document `sqai.context/v1.2`: everything Jira and Xray know about one requirement,
 * as SQAI receives it (DESIGN.md §5). This zod schema is the single source: the app validates
 * every document it builds against it, and `docs/sqai-context.schema.json` is generated from it
 * (`npm run docs:schema`; a test fails when the file is stale).
 */
import { z } from 'zod';

/** The schema id: major and minor version (docs/sqai-contract.md "Evolution"). */
export const CONTEXT_SCHEMA_ID = 'sqai.context/v1.2';

/** What a consumer accepts (docs/sqai-contract.md "Evolution"): any minor version of major 1. */
export const CONTEXT_SCHEMA_ID_PATTERN = /^sqai\.context\/v1\.\d+$/;

import { criterionSchema, MAX_CRITERIA } from '../criteria/schema';
import { chars } from './characters';
import { CONTEXT_LIMITS, type ContextLimits } from './limits';

/** Why a linked Confluence page's content is not in the document (`linkedPages[].reason`). */
export const LINKED_PAGE_REASONS = [
  'otherSite',
  'tinyLink',
  'noPageId',
  'notFoundOrRestricted',
  'noAccess',
  'tooLarge',
  'unavailable',
  'limit',
  'budget',
] as const;
export type LinkedPageReason = (typeof LINKED_PAGE_REASONS)[number];

/** Why an attachment's content is not in the document (`attachments[].reason`). */
export const ATTACHMENT_REASONS = ['binary', 'tooLarge', 'limit', 'unavailable', 'budget'] as const;
export type AttachmentReason = (typeof ATTACHMENT_REASONS)[number];

/** The limits a document is kept within (src/context/limits.ts). */
export { CONTEXT_LIMITS };

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * The document's schema at `limits` (the app validates what it builds at the limits it built with;
 * the published schema states the default ones, CONTEXT_LIMITS). Lengths are characters as the whole
 * contract counts them: UTF-16 code units (`String.prototype.length`).
 */
export function contextDocumentSchemaFor(limits: ContextLimits) {
  const name = chars(limits.nameChars);
  const summary = chars(limits.summaryChars);
  const names = z.array(name).max(limits.labels);

  const issueRef = z.object({
    id: name.describe('Jira issue id'),
    key: name.describe('Jira issue key, e.g. DEMO-12'),
    summary,
  });

  const linkedIssue = issueRef.extend({
    linkType: name.describe('The link type name, e.g. "Blocks"'),
    direction: z.enum(['inward', 'outward']).describe('outward: this requirement <relation> the other issue'),
    relation: name.describe('The verb as Jira shows it, e.g. "blocks", "is blocked by"'),
    status: name.nullable(),
    type: name.nullable().describe('The other issue’s type name'),
  });

  const remoteLink = z.object({
    title: name,
    url: chars(limits.urlChars).describe('An http(s) URL without user name or password'),
    application: name.nullable().describe('e.g. "Confluence"'),
    relationship: name.nullable(),
    isConfluence: z.boolean(),
  });

  const linkedPage = z.object({
    id: name.nullable().describe('The Confluence page id (null when the link names none)'),
    title: name.describe('The page’s title (the link’s title when the page was not read)'),
    url: chars(limits.urlChars).describe(
      'The link as Jira holds it (http(s), without user name or password)',
    ),
    spaceId: name.nullable(),
    updated: name.nullable().describe('When the page’s current version was made (ISO 8601)'),
    content: chars(limits.linkedPageChars)
      .nullable()
      .describe('The page body as Markdown, converted from ADF like the description; null when not included'),
    reason: z
      .enum(LINKED_PAGE_REASONS)
      .nullable()
      .describe(
        'Why the content is not included (null when it is): otherSite (Confluence of another site), tinyLink (a /wiki/x/ short link, not resolved), noPageId (a Confluence link that names no page), notFoundOrRestricted (Confluence answered 404: no such page, or the user may not read it), noAccess (401/403), tooLarge (body over the read cap), unavailable (Confluence failed or did not answer in time), limit (more pages than are read), budget (left out to keep the document within its size)',
      ),
  });

  const attachment = z.object({
    id: name,
    filename: name,
    mimeType: name.nullable(),
    size: z.number().int().nonnegative().describe('Bytes, as Jira gives it'),
    created: name.nullable().describe('ISO 8601 (UTC) when Jira’s value could be read'),
    content: chars(limits.attachmentChars)
      .nullable()
      .describe(
        'The text of a text-like attachment (.feature .md .txt .csv .json .yaml .yml); null when not included',
      ),
    scenarios: z
      .array(name)
      .max(limits.scenariosPerAttachment)
      .optional()
      .describe('A .feature file’s scenarios (names, or the first step when unnamed), read as Gherkin'),
    reason: z
      .enum(ATTACHMENT_REASONS)
      .nullable()
      .describe(
        'Why the content is not included (null when it is): binary (not a text-like type), tooLarge (over the read cap), limit (more text attachments than are read), unavailable (Jira failed to answer), budget (left out to keep the document within its size)',
      ),
  });

  const stepField = chars(limits.stepFieldChars);
  const testStep = z.object({
    action: stepField,
    data: stepField.nullable(),
    result: stepField.nullable().describe('Expected result'),
  });

  const latestRun = z.object({
    status: name.describe('Xray run status, e.g. PASSED, FAILED, TODO, EXECUTING'),
    execution: z.object({ id: name, key: name.nullable() }).nullable(),
    startedOn: name.nullable().describe('As Xray gives it (ISO 8601)'),
    finishedOn: name.nullable().describe('As Xray gives it (ISO 8601)'),
  });

  const contextTest = z.object({
    id: name,
    key: name,
    summary,
    status: name.nullable().describe('The Jira status of the test issue'),
    testType: z.object({
      name: name.describe('The project’s test type name, e.g. Manual, Cucumber, Generic'),
      kind: z
        .enum(['Steps', 'Gherkin', 'Unstructured'])
        .or(name)
        .describe('Steps, Gherkin or Unstructured; another value is read as Steps'),
    }),
    labels: names,
    folder: chars(limits.folderChars).nullable().describe('Xray test repository folder path'),
    steps: z.array(testStep).max(limits.stepsPerTest).optional().describe('Steps tests'),
    gherkin: chars(limits.definitionChars).optional().describe('Gherkin (Cucumber) tests'),
    scenarioType: name.nullable().optional(),
    definition: chars(limits.definitionChars).optional().describe('Unstructured (Generic) tests'),
    preconditions: z
      .array(issueRef.extend({ definition: chars(limits.preconditionChars).nullable() }))
      .max(limits.preconditionsPerTest),
    latestRun: latestRun.nullable(),
    /** Set when the test's details were left out to keep the document within its size limit. */
    detailsOmitted: z.boolean().optional(),
  });

  const document = z
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
        type: name,
        summary,
        status: name.nullable(),
        statusCategory: name.nullable(),
        priority: name.nullable(),
        labels: names,
        components: names,
        fixVersions: names,
        reporter: name.nullable().describe('Display name only'),
        assignee: name.nullable().describe('Display name only'),
        created: name
          .nullable()
          .describe('ISO 8601 (UTC) when Jira’s value could be read, else as Jira gave it'),
        updated: name
          .nullable()
          .describe('ISO 8601 (UTC) when Jira’s value could be read, else as Jira gave it'),
        url: z.string().nullable(),
        description: z
          .string()
          .max(limits.descriptionChars)
          .describe('The ADF description as Markdown ("" when empty)'),
        criteria: z
          .array(criterionSchema)
          .max(MAX_CRITERIA)
          .optional()
          .describe(
            'Since v1.1: the acceptance criteria found in the description (or the configured field), in document order, each with an id that stays the same across syncs, reordering and small edits (docs/criteria.md). `changed`: its wording changed at the last edit of the description. Absent from v1.0 documents',
          ),
      }),
      linkedIssues: z.array(linkedIssue).max(limits.linkedIssues),
      remoteLinks: z.array(remoteLink).max(limits.remoteLinks),
      linkedPages: z
        .array(linkedPage)
        .max(limits.linkedPages)
        .describe(
          'Since v1.2: Confluence pages among the web links (they stay in remoteLinks too): the same site’s pages with their content, as the user may read them; others with the reason',
        ),
      attachments: z
        .array(attachment)
        .max(limits.attachments)
        .describe(
          'Since v1.2: the requirement’s Jira attachments, newest first: text-like ones with their content, others listed',
        ),
      xray: z.object({
        isRequirement: z
          .boolean()
          .describe('Xray treats the issue type as coverable (or the admin listed it)'),
        coverage: z.object({ status: name.nullable(), description: summary.nullable() }),
        testsTotal: z.number().int().nonnegative().describe('Covering tests in Xray (tests may hold fewer)'),
        tests: z.array(contextTest).max(limits.tests),
        testSets: z
          .array(issueRef.extend({ testKeys: z.array(name).max(limits.tests) }))
          .max(limits.testSets),
        testExecutions: z
          .array(
            issueRef.extend({
              environments: z.array(name).max(limits.environmentsPerExecution),
              statusCounts: z
                .record(name, z.number().int().nonnegative())
                .describe('Latest status of this requirement’s tests in the execution → count'),
            }),
          )
          .max(limits.testExecutions),
        testPlans: z.array(issueRef).max(limits.testPlans),
      }),
      truncated: z
        .array(z.string())
        .describe(
          'RFC 6901 JSON Pointers into this document of the fields cut and the lists shortened to fit the limits (a list entry by its index, e.g. "/xray/tests/3/steps/2/action"); each cut field ends in a visible marker. When more than 25 fields were cut, their patterns are listed instead, with "*" for an index or key (e.g. "/xray/tests/*/steps/*/action")',
        ),
      omitted: z
        .record(z.string(), z.number().int().positive())
        .optional()
        .describe(
          'Entries the app read but left out, per list (e.g. "remoteLinks", "linkedIssues", "xray.tests", "xray.tests.details" for tests sent without their steps, "xray.tests.*.steps" summed over tests, "linkedPages", "attachments"; "linkedPages.content" and "attachments.content" count entries listed without their content to stay within the size); "remoteLinks.nonHttpUrl" counts web links never sent because their URL is not http(s). Absent when nothing was left out',
        ),
      controls: z
        .object({
          excluded: z
            .array(name)
            .describe(
              'Sources the project admin keeps in Jira: description (and the criteria), linkedIssues (their summaries), confluence (linkedPages), attachments, testSteps, testResults, peopleNames',
            ),
          fields: z
            .array(name)
            .describe('The requirement fields the admin lets leave Jira; the others are empty'),
          redactionPolicy: name.describe('A hash of the redaction policy: a new policy changes the document'),
        })
        .optional()
        .describe('Since v1.2: the data controls the document was built under (docs/data-controls.md)'),
      redactions: z
        .record(name, z.number().int().positive())
        .optional()
        .describe(
          "Since v1.2: values replaced by placeholders such as [email-1], by kind (email, phone, paymentCard, iban, ipAddress, token, or an admin pattern's name); the same value has the same placeholder throughout the document",
        ),
    })
    .strict();

  return { document, contextTest, linkedIssue, remoteLink, linkedPage, attachment, testStep, latestRun };
}

const atDefaults = contextDocumentSchemaFor(CONTEXT_LIMITS);

/** The document at the default limits (what the app sends, and what docs/ publishes). */
export const contextDocumentSchema = atDefaults.document;
export const contextTestSchema = atDefaults.contextTest;
export const linkedIssueSchema = atDefaults.linkedIssue;
export const remoteLinkSchema = atDefaults.remoteLink;
export const linkedPageSchema = atDefaults.linkedPage;
export const attachmentSchema = atDefaults.attachment;
export const testStepSchema = atDefaults.testStep;
export const latestRunSchema = atDefaults.latestRun;

export type ContextDocument = z.infer<typeof contextDocumentSchema>;
export type ContextTest = z.infer<typeof contextTestSchema>;
export type LinkedIssue = z.infer<typeof linkedIssueSchema>;
export type RemoteLinkEntry = z.infer<typeof remoteLinkSchema>;
export type LinkedPage = z.infer<typeof linkedPageSchema>;
export type AttachmentEntry = z.infer<typeof attachmentSchema>;

/** The JSON Schema published in docs/ (draft 2020-12). */
export function contextJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://sqai-suite.com/schemas/${CONTEXT_SCHEMA_ID.replace('/', '.')}.json`,
    title: `SQAI context document (${CONTEXT_SCHEMA_ID})`,
    ...z.toJSONSchema(contextDocumentSchema, { target: 'draft-2020-12' }),
  };
}
