/**
 * The simulator's own route table: the Jira operations it implements, by the spec's operationIds and
 * path templates. With the OpenAPI spec loaded, openapi-backend matches requests and this table only
 * supplies path parameters; without it (a machine without ../shared/contracts) this table routes.
 */

export interface Route {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  /**
   * Whether Jira answers 401 to a request without a (known) user. Operations the spec documents as
   * anonymous-capable without a 401 (e.g. getIssueTypesForProject) instead treat the caller as
   * anonymous — who can browse nothing, so they 404.
   */
  answers401: boolean;
}

export const ROUTES: readonly Route[] = [
  { operationId: 'getMyPermissions', method: 'GET', template: '/rest/api/3/mypermissions', answers401: true },
  {
    operationId: 'getProject',
    method: 'GET',
    template: '/rest/api/3/project/{projectIdOrKey}',
    answers401: true,
  },
  {
    operationId: 'getIssueTypesForProject',
    method: 'GET',
    template: '/rest/api/3/issuetype/project',
    answers401: false,
  },
  { operationId: 'getCurrentUser', method: 'GET', template: '/rest/api/3/myself', answers401: true },
  { operationId: 'bulkGetUsers', method: 'GET', template: '/rest/api/3/user/bulk', answers401: true },
  {
    operationId: 'bulkFetchIssues',
    method: 'POST',
    template: '/rest/api/3/issue/bulkfetch',
    answers401: true,
  },
  { operationId: 'createIssue', method: 'POST', template: '/rest/api/3/issue', answers401: true },
  { operationId: 'getIssue', method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}', answers401: true },
  {
    operationId: 'getRemoteIssueLinks',
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/remotelink',
    answers401: true,
  },
  {
    operationId: 'getIssueProperty',
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    answers401: true,
  },
  {
    operationId: 'setIssueProperty',
    method: 'PUT',
    template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    answers401: true,
  },
  {
    operationId: 'searchAndReconsileIssuesUsingJqlPost',
    method: 'POST',
    template: '/rest/api/3/search/jql',
    answers401: true,
  },
  {
    operationId: 'searchAndReconsileIssuesUsingJql',
    method: 'GET',
    template: '/rest/api/3/search/jql',
    answers401: true,
  },
  {
    operationId: 'getIssueLinkTypes',
    method: 'GET',
    template: '/rest/api/3/issueLinkType',
    answers401: true,
  },
  { operationId: 'linkIssues', method: 'POST', template: '/rest/api/3/issueLink', answers401: true },
  {
    operationId: 'getAttachmentContent',
    method: 'GET',
    template: '/rest/api/3/attachment/content/{id}',
    answers401: true,
  },
  {
    operationId: 'deleteIssueLink',
    method: 'DELETE',
    template: '/rest/api/3/issueLink/{linkId}',
    answers401: true,
  },
];

export const ROUTES_BY_OPERATION = new Map(ROUTES.map((route) => [route.operationId, route]));

/** The `{name}` parameters of `template` in `pathname` (URL-decoded), or undefined when it does not match. */
export function matchTemplate(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const have = pathname.replace(/\/+$/, '').split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const pattern = want[i] ?? '';
    const segment = have[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(pattern)?.[1];
    if (name) {
      if (segment === '') return undefined;
      try {
        params[name] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (pattern !== segment) {
      return undefined;
    }
  }
  return params;
}

/** Routing without the spec: literal templates win over templated ones (`issue/bulkfetch` vs `issue/{id}`). */
export function matchRoute(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const candidates = ROUTES.filter((route) => route.method === method.toUpperCase());
  const ordered = [...candidates].sort((a, b) => countParams(a.template) - countParams(b.template));
  for (const route of ordered) {
    const params = matchTemplate(route.template, pathname);
    if (params) return { route, params };
  }
  return undefined;
}

function countParams(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}
