/**
 * Jira issue reads for the context document: the issue with its fields and links, and its remote
 * links. Both act as the caller says (`user` in the panel, `app` in triggers), so a user can only
 * send what Jira lets them see.
 */
import { z } from 'zod';
import { withPurpose } from '../errors';
import type { JiraTransport } from '../platform/ports';
import { failFor, type JiraCallOptions, requestJson } from './jira';
import { jiraPath } from './jira-operations';
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
