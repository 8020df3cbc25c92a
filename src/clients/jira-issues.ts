/**
 * Jira issue reads for the context document: the issue with its fields and links, and its remote
 * links. Both act as the caller says (`user` in the panel, `app` in triggers), so a user can only
 * send what Jira lets them see.
 */
import { z } from 'zod';
import { withPurpose } from '../errors';
import { passConsentThrough } from '../platform/forge-errors';
import type { JiraTransport } from '../platform/ports';
import { failFor, type JiraCallOptions, requestJson } from './jira';
import { JIRA_OPERATIONS, jiraPath, type JiraOperationName } from './jira-operations';
import { safeParse } from './safe-parse';

/** The fields the context document uses (and nothing else: Jira answers faster with fewer fields). */
export const CONTEXT_ISSUE_FIELDS = [
  'summary',
  'description',
  'issuetype',
  'status',
  'priority',
  'labels',
  'components',
  'fixVersions',
  'reporter',
  'assignee',
  'created',
  'updated',
  'project',
  'issuelinks',
  'attachment',
] as const;

const named = z.object({ name: z.string() }).loose();
const person = z.object({ accountId: z.string().optional(), displayName: z.string().optional() }).loose();

const linkedIssueSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z
      .object({
        summary: z.string().optional(),
        status: named.nullish(),
        issuetype: named.nullish(),
      })
      .loose()
      .optional(),
  })
  .loose();

const attachmentSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    filename: z.string(),
    mimeType: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
    created: z.string().optional(),
  })
  .loose();

export type JiraAttachment = z.infer<typeof attachmentSchema>;

const issueLinkSchema = z
  .object({
    id: z.string().optional(),
    type: z
      .object({ id: z.string().optional(), name: z.string(), inward: z.string(), outward: z.string() })
      .loose(),
    inwardIssue: linkedIssueSchema.optional(),
    outwardIssue: linkedIssueSchema.optional(),
  })
  .loose();

export const jiraIssueSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    self: z.string().optional(),
    fields: z
      .object({
        summary: z.string(),
        description: z.unknown().optional(),
        issuetype: z.object({ id: z.string(), name: z.string() }).loose(),
        status: z
          .object({
            name: z.string(),
            statusCategory: z.object({ key: z.string(), name: z.string() }).loose().optional(),
          })
          .loose()
          .nullish(),
        priority: named.nullish(),
        labels: z.array(z.string()).nullish(),
        components: z.array(named).nullish(),
        fixVersions: z.array(named).nullish(),
        reporter: person.nullish(),
        assignee: person.nullish(),
        created: z.string().nullish(),
        updated: z.string().nullish(),
        project: z.object({ id: z.string(), key: z.string() }).loose(),
        issuelinks: z.array(issueLinkSchema).nullish(),
        // One malformed attachment must not hide the issue: kept only when the list parses whole.
        attachment: z.array(attachmentSchema).nullish().catch(null),
      })
      .loose(),
  })
  .loose();

export type JiraIssue = z.infer<typeof jiraIssueSchema>;
export type JiraIssueLink = z.infer<typeof issueLinkSchema>;

/** The context document's fields and `extraFields` (e.g. a configured criteria field), once each. */
const contextFieldsWith = (extraFields: readonly string[]): string[] => [
  ...new Set([...CONTEXT_ISSUE_FIELDS, ...extraFields]),
];

/** The issue with the context document's fields, and `extraFields` (answered in `fields` by their ids). */
export async function getIssue(
  transport: JiraTransport,
  issueIdOrKey: string,
  options: JiraCallOptions,
  extraFields: readonly string[] = [],
): Promise<JiraIssue> {
  const purpose = `Failed to read issue ${issueIdOrKey}`;
  const path = jiraPath('getIssue', { issueIdOrKey }, { fields: contextFieldsWith(extraFields) });
  const { status, json } = await requestJson(transport, purpose, 'getIssue', path, options);
  if (status !== 200) failFor(purpose, status, json, 'ISSUE_NOT_FOUND');
  const parsed = safeParse(jiraIssueSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return parsed.data;
}

const remoteLinkSchema = z
  .object({
    id: z.number().optional(),
    globalId: z.string().optional(),
    relationship: z.string().optional(),
    application: z.object({ type: z.string().optional(), name: z.string().optional() }).loose().optional(),
    object: z.object({ url: z.string(), title: z.string() }).loose(),
  })
  .loose();

export type JiraRemoteLink = z.infer<typeof remoteLinkSchema>;

export async function getRemoteIssueLinks(
  transport: JiraTransport,
  issueIdOrKey: string,
  options: JiraCallOptions,
): Promise<JiraRemoteLink[]> {
  const purpose = `Failed to read the web links of issue ${issueIdOrKey}`;
  const path = jiraPath('getRemoteIssueLinks', { issueIdOrKey });
  const { status, json } = await requestJson(transport, purpose, 'getRemoteIssueLinks', path, options);
  if (status !== 200) failFor(purpose, status, json, 'ISSUE_NOT_FOUND');
  const parsed = z.array(z.unknown()).safeParse(json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  // One malformed link must not hide the others: keep what parses.
  return parsed.data.flatMap((entry) => {
    const link = safeParse(remoteLinkSchema, entry);
    return link.success ? [link.data] : [];
  });
}

const basicsSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z
      .object({
        summary: z.string(),
        issuetype: z.object({ id: z.string(), name: z.string() }).loose(),
        project: z.object({ id: z.string(), key: z.string() }).loose(),
      })
      .loose(),
  })
  .loose();

/** Just enough of an issue to check what it is (e.g. that a key the user typed is a Test Set). */
export async function getIssueBasics(
  transport: JiraTransport,
  issueIdOrKey: string,
  options: JiraCallOptions,
): Promise<z.infer<typeof basicsSchema>> {
  const purpose = `Failed to read issue ${issueIdOrKey}`;
  const path = jiraPath('getIssue', { issueIdOrKey }, { fields: ['summary', 'issuetype', 'project'] });
  const { status, json } = await requestJson(transport, purpose, 'getIssue', path, options);
  if (status !== 200) failFor(purpose, status, json, 'ISSUE_NOT_FOUND');
  const parsed = safeParse(basicsSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return parsed.data;
}

const bulkSchema = z.object({ issues: z.array(z.unknown()).default([]) }).loose();

/** Jira's bulk fetch takes at most this many ids or keys. */
export const BULK_FETCH_LIMIT = 100;

/** One bulk-fetch request: the raw issues Jira returned (gone or invisible ones are absent). */
async function bulkFetch(
  transport: JiraTransport,
  issueIds: readonly string[],
  fields: readonly string[],
  options: JiraCallOptions,
): Promise<unknown[]> {
  const purpose = `Failed to read ${issueIds.length} issues`;
  const { status, json } = await requestJson(
    transport,
    purpose,
    'bulkFetchIssues',
    jiraPath('bulkFetchIssues'),
    { ...options, method: 'POST', body: { issueIdsOrKeys: issueIds, fields } },
  );
  if (status !== 200) failFor(purpose, status, json);
  const parsed = safeParse(bulkSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return parsed.data.issues;
}

/**
 * Up to 100 issues by id in one request (Jira's bulk fetch). Issues that are gone or invisible are
 * simply absent (a JQL `id in (…)` would fail outright for a deleted id). Malformed entries are skipped.
 */
export async function bulkFetchIssues(
  transport: JiraTransport,
  issueIds: string[],
  options: JiraCallOptions,
  extraFields: readonly string[] = [],
): Promise<JiraIssue[]> {
  if (issueIds.length === 0) return [];
  const issues = await bulkFetch(transport, issueIds, contextFieldsWith(extraFields), options);
  return issues.flatMap((raw) => {
    const issue = safeParse(jiraIssueSchema, raw);
    return issue.success ? [issue.data] : [];
  });
}

const basicsOfSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    fields: z
      .object({
        summary: z.string().optional(),
        project: z.object({ id: z.string() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** What a visibility read tells of an issue the actor sees. */
export interface VisibleIssue {
  key: string;
  summary?: string;
  projectId?: string;
}

/** A summary is shown on one line, and kept short. */
const MAX_SUMMARY = 255;

/**
 * Which of `issueIds` the actor can see, with each one's key, summary and project: Jira's bulk fetch,
 * 100 ids per request (all requests at once), asking for two small fields. An id Jira does not return
 * — gone, or hidden from the actor — is not visible. No request when there is no id.
 */
export async function visibleIssues(
  transport: JiraTransport,
  issueIds: readonly string[],
  options: JiraCallOptions,
): Promise<Map<string, VisibleIssue>> {
  const distinct = [...new Set(issueIds)];
  const visible = new Map<string, VisibleIssue>();
  if (distinct.length === 0) return visible;
  const pages: string[][] = [];
  for (let start = 0; start < distinct.length; start += BULK_FETCH_LIMIT) {
    pages.push(distinct.slice(start, start + BULK_FETCH_LIMIT));
  }
  const answers = await Promise.all(
    pages.map((page) => bulkFetch(transport, page, ['summary', 'project'], options)),
  );
  const asked = new Set(distinct);
  for (const raw of answers.flat()) {
    const issue = safeParse(basicsOfSchema, raw);
    if (!issue.success || !asked.has(issue.data.id)) continue;
    const summary = issue.data.fields?.summary?.trim().slice(0, MAX_SUMMARY);
    const projectId = issue.data.fields?.project?.id;
    visible.set(issue.data.id, {
      key: issue.data.key,
      ...(summary ? { summary } : {}),
      ...(projectId ? { projectId } : {}),
    });
  }
  return visible;
}

/** The ids of `issueIds` the actor can see (see `visibleIssues`). */
export async function visibleIssueIds(
  transport: JiraTransport,
  issueIds: readonly string[],
  options: JiraCallOptions,
): Promise<Set<string>> {
  return new Set((await visibleIssues(transport, issueIds, options)).keys());
}

/**
 * The attachment content operation (`GET …/attachment/content/{id}`), when src/clients/jira-operations.ts
 * lists it (the one place Jira paths are named; see /tmp/notes/helper-H19.md). Until then no
 * attachment's content is read: each is listed with reason `unavailable`.
 */
const ATTACHMENT_CONTENT = 'getAttachmentContent';
const isAttachmentContent = (key: string): key is JiraOperationName => key === ATTACHMENT_CONTENT;
const attachmentContentOperation = (): JiraOperationName | null =>
  Object.keys(JIRA_OPERATIONS).find(isAttachmentContent) ?? null;

/** What reading an attachment's text answered. */
export type AttachmentRead = { ok: true; text: string } | { ok: false; reason: 'unavailable' | 'tooLarge' };

/**
 * An attachment's content as text, as `options.as` (Jira's *Browse projects* and issue security
 * decide). `redirect=false`: Jira answers the bytes itself instead of a 303 to its media store (one
 * round trip; the spec: "Clients that do not automatically follow redirects can set this to false to
 * avoid making multiple requests"). A JSON attachment comes back parsed and is written out again with
 * two-space indents. Never throws for an attachment (but Forge's consent prompt goes through).
 */
export async function readAttachmentText(
  transport: JiraTransport,
  attachmentId: string,
  options: JiraCallOptions,
  maxChars: number,
): Promise<AttachmentRead> {
  const operation = attachmentContentOperation();
  if (operation === null) return { ok: false, reason: 'unavailable' };
  const purpose = `Failed to read attachment ${attachmentId}`;
  try {
    const path = jiraPath(operation, { id: attachmentId }, { redirect: false });
    const { status, json } = await requestJson(transport, purpose, operation, path, options);
    if (status !== 200) return { ok: false, reason: 'unavailable' };
    const text = typeof json === 'string' ? json : json === undefined ? '' : JSON.stringify(json, null, 2);
    return text.length > maxChars ? { ok: false, reason: 'tooLarge' } : { ok: true, text };
  } catch (error) {
    passConsentThrough(error);
    return { ok: false, reason: 'unavailable' };
  }
}
