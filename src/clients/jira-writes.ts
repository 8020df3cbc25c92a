/**
 * Jira operations the generated-tests flow needs: find issues by JQL (to recover a test whose
 * creation answer was lost), link a test to the requirement it covers, and store provenance as an
 * issue property. Paths come from the catalogue in jira-operations.ts.
 */
import { z } from 'zod';
import { withPurpose } from '../errors';
import type { JiraTransport } from '../platform/ports';
import { failFor, type JiraCallOptions, requestJson } from './jira';
import { jiraPath } from './jira-operations';
import { safeParse } from './safe-parse';

const searchResultSchema = z.object({
  issues: z
    .array(
      z
        .object({
          id: z.string(),
          key: z.string().optional(),
          fields: z
            .object({
              summary: z.string().optional(),
              updated: z.string().optional(),
              issuetype: z.object({ id: z.string(), name: z.string() }).loose().optional(),
              project: z.object({ id: z.string(), key: z.string() }).loose().optional(),
            })
            .loose()
            .optional(),
        })
        .loose(),
    )
    .default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export type SearchPage = z.infer<typeof searchResultSchema>;

/** One page of Jira's enhanced JQL search (paged by nextPageToken). */
export async function searchIssues(
  transport: JiraTransport,
  body: { jql: string; fields: string[]; maxResults: number; nextPageToken?: string },
  options: JiraCallOptions,
): Promise<SearchPage> {
  const purpose = 'Failed to search Jira';
  const operation = 'searchAndReconsileIssuesUsingJqlPost';
  const { status, json } = await requestJson(transport, purpose, operation, jiraPath(operation), {
    ...options,
    method: 'POST',
    body,
  });
  if (status === 400) {
    const message = safeParse(z.object({ errorMessages: z.array(z.string()) }).loose(), json);
    throw withPurpose(
      'INTERNAL',
      `${purpose} (Jira refused the query: ${message.success ? message.data.errorMessages.join(' ') : status})`,
    );
  }
  if (status !== 200) failFor(purpose, status, json);
  const parsed = safeParse(searchResultSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return parsed.data;
}

/**
 * Links two issues: `inward` <outward verb> `outward` (e.g. a test "tests" a requirement: the test is
 * the inward issue of Xray's "Test" link type).
 */
export async function linkIssues(
  transport: JiraTransport,
  link: { typeId: string; inwardIssueId: string; outwardIssueId: string },
  options: JiraCallOptions,
): Promise<void> {
  const purpose = `Failed to link issue ${link.inwardIssueId} to ${link.outwardIssueId}`;
  const { status, json } = await requestJson(transport, purpose, 'linkIssues', jiraPath('linkIssues'), {
    ...options,
    method: 'POST',
    body: {
      type: { id: link.typeId },
      inwardIssue: { id: link.inwardIssueId },
      outwardIssue: { id: link.outwardIssueId },
    },
  });
  if (status !== 201 && status !== 200) failFor(purpose, status, json, 'ISSUE_NOT_FOUND');
}

const linkTypesSchema = z.object({
  issueLinkTypes: z.array(
    z.object({ id: z.string(), name: z.string(), inward: z.string(), outward: z.string() }).loose(),
  ),
});

export async function getIssueLinkTypes(
  transport: JiraTransport,
  options: JiraCallOptions,
): Promise<z.infer<typeof linkTypesSchema>['issueLinkTypes']> {
  const purpose = 'Failed to read the issue link types';
  const { status, json } = await requestJson(
    transport,
    purpose,
    'getIssueLinkTypes',
    jiraPath('getIssueLinkTypes'),
    options,
  );
  if (status !== 200) failFor(purpose, status, json);
  const parsed = safeParse(linkTypesSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return parsed.data.issueLinkTypes;
}

/** `PUT …/properties/{key}` (Jira keeps ≤ 32 KB of JSON per property). */
export async function setIssueProperty(
  transport: JiraTransport,
  issueIdOrKey: string,
  propertyKey: string,
  value: unknown,
  options: JiraCallOptions,
  /** What the property records, for the error ("the origin", "the acceptance-criteria counts"). */
  what = 'the origin',
): Promise<void> {
  const purpose = `Failed to record ${what} of ${issueIdOrKey}`;
  const path = jiraPath('setIssueProperty', { issueIdOrKey, propertyKey });
  const { status, json } = await requestJson(transport, purpose, 'setIssueProperty', path, {
    ...options,
    method: 'PUT',
    body: value,
  });
  if (status !== 200 && status !== 201 && status !== 204) failFor(purpose, status, json, 'ISSUE_NOT_FOUND');
}

/**
 * `GET …/properties/{key}`: the property's value, or `undefined` when the issue has none (404 — Jira
 * answers the same when the issue is missing or hidden from the caller).
 */
export async function getIssueProperty(
  transport: JiraTransport,
  issueIdOrKey: string,
  propertyKey: string,
  options: JiraCallOptions,
  what = 'a property',
): Promise<unknown> {
  const purpose = `Failed to read ${what} of ${issueIdOrKey}`;
  const path = jiraPath('getIssueProperty', { issueIdOrKey, propertyKey });
  const { status, json } = await requestJson(transport, purpose, 'getIssueProperty', path, options);
  if (status === 404) return undefined;
  if (status !== 200) failFor(purpose, status, json);
  const parsed = safeParse(z.object({ value: z.unknown() }).loose(), json);
  return parsed.success ? parsed.data.value : undefined;
}

const issueLinksSchema = z.object({
  fields: z
    .object({
      issuelinks: z
        .array(
          z
            .object({
              id: z.string(),
              type: z.object({ id: z.string() }).loose(),
              inwardIssue: z.object({ id: z.string() }).loose().optional(),
              outwardIssue: z.object({ id: z.string() }).loose().optional(),
            })
            .loose(),
        )
        .default([]),
    })
    .loose(),
});

/**
 * The ids of the links of `typeId` between `issueId` and `otherIssueId`, as the caller sees the
 * issue (Jira's getIssue with `fields=issuelinks`; Jira leaves out links to issues the caller
 * cannot see).
 */
export async function linksBetween(
  transport: JiraTransport,
  issueId: string,
  otherIssueId: string,
  typeId: string,
  options: JiraCallOptions,
): Promise<string[]> {
  const purpose = `Failed to read the links of ${issueId}`;
  const path = jiraPath('getIssue', { issueIdOrKey: issueId }, { fields: ['issuelinks'] });
  const { status, json } = await requestJson(transport, purpose, 'getIssue', path, options);
  if (status !== 200) failFor(purpose, status, json, 'ISSUE_NOT_FOUND');
  const parsed = safeParse(issueLinksSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return parsed.data.fields.issuelinks
    .filter(
      (link) =>
        link.type.id === typeId &&
        (link.inwardIssue?.id === otherIssueId || link.outwardIssue?.id === otherIssueId),
    )
    .map((link) => link.id);
}

/**
 * Jira's deleteIssueLink, as the caller. Jira answers 404 alike when the link is gone
 * (a retry after a lost answer), when linking is off and when the caller lacks Link issues or Browse
 * on either end ("Returned if … the issue link is not found … the user doesn't have the required
 * permissions", Jira REST v3 deleteIssueLink): `'notFound'` — the caller reads the links again to
 * tell which.
 */
export async function deleteIssueLink(
  transport: JiraTransport,
  linkId: string,
  options: JiraCallOptions,
): Promise<'deleted' | 'notFound'> {
  const purpose = `Failed to remove issue link ${linkId}`;
  const path = jiraPath('deleteIssueLink', { linkId });
  const { status, json } = await requestJson(transport, purpose, 'deleteIssueLink', path, {
    ...options,
    method: 'DELETE',
  });
  if (status === 404) return 'notFound';
  if (status === 200 || status === 204) return 'deleted';
  failFor(purpose, status, json);
}
