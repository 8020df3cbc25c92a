/**
 * Every Jira REST operation the app calls, in one table. The Jira client builds paths only through
 * `jiraPath`, so this table is the complete list the scope check (test/unit/manifest) verifies
 * against the OpenAPI spec's `x-atlassian-oauth2-scopes`, and the Jira simulator rejects any
 * request that does not match one of them.
 */
export const JIRA_OPERATIONS = {
  getMyPermissions: { method: 'GET', path: '/rest/api/3/mypermissions' },
  getProject: { method: 'GET', path: '/rest/api/3/project/{projectIdOrKey}' },
  getIssue: { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}' },
  bulkFetchIssues: { method: 'POST', path: '/rest/api/3/issue/bulkfetch' },
  getRemoteIssueLinks: { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}/remotelink' },
  searchAndReconsileIssuesUsingJqlPost: { method: 'POST', path: '/rest/api/3/search/jql' },
  linkIssues: { method: 'POST', path: '/rest/api/3/issueLink' },
  getIssueLinkTypes: { method: 'GET', path: '/rest/api/3/issueLinkType' },
  setIssueProperty: { method: 'PUT', path: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}' },
  getIssueProperty: { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}' },
  deleteIssueLink: { method: 'DELETE', path: '/rest/api/3/issueLink/{linkId}' },
  getAttachmentContent: { method: 'GET', path: '/rest/api/3/attachment/content/{id}' },
  bulkGetUsers: { method: 'GET', path: '/rest/api/3/user/bulk' },
} as const;

export type JiraOperationName = keyof typeof JIRA_OPERATIONS;

/** The operations sent as POST that only read (a body of ids or JQL): they change nothing in Jira. */
const POST_READS: readonly JiraOperationName[] = ['bulkFetchIssues', 'searchAndReconsileIssuesUsingJqlPost'];
const POST_READ_PATHS = new Set<string>(POST_READS.map((name) => JIRA_OPERATIONS[name].path));

/** Whether a request to `path` (with its query) with `method` only reads Jira: a GET, or a POST read. */
export function isJiraRead(method: string | undefined, path: string): boolean {
  const verb = (method ?? 'GET').toUpperCase();
  return verb === 'GET' || (verb === 'POST' && POST_READ_PATHS.has(path.split('?')[0] ?? path));
}

/** A list sent as one comma-separated parameter (`fields=a,b`), or `{ repeated }`: once per value (`accountId=a&accountId=b`). */
type Query = Record<
  string,
  string | number | boolean | readonly string[] | { readonly repeated: readonly string[] } | undefined
>;

/** Fills `{param}` placeholders (escaped) and appends the query string. */
export function jiraPath(
  operation: JiraOperationName,
  params: Record<string, string> = {},
  query: Query = {},
): string {
  const template: string = JIRA_OPERATIONS[operation].path;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new Error(`Missing path parameter ${name} for ${operation}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && 'repeated' in value) {
      for (const item of value.repeated) search.append(key, item);
      continue;
    }
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
