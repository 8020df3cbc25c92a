/**
 * Enhanced JQL search: `POST /rest/api/3/search/jql` (searchAndReconsileIssuesUsingJqlPost) and
 * `GET /rest/api/3/search/jql` (searchAndReconsileIssuesUsingJql).
 *
 * Jira's behaviour, as modelled:
 * - The JQL must be bounded (have a search restriction): `ORDER BY key` alone, or an empty query, is a
 *   400 "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
 * - Invalid JQL is a 400 `{errorMessages: [message], errors: {}}` (see `../jql.ts` for the subset).
 * - Results contain only issues the caller can see.
 * - `fields` defaults to `id`: items are then just `{id}`.
 * - Paging is by token: `maxResults` (default 50) per page, `nextPageToken` while more remain,
 *   `isLast`. Jira may return fewer than asked when many fields are requested; the simulator caps a page
 *   at 5000 for id/key-only requests and at 100 otherwise. A token only works with the query it came
 *   from (400 otherwise).
 * - Search is eventually consistent: it sees each issue as it was `store.indexLagMs` ago (an issue
 *   created since is not found), except the ids in `reconcileIssues` (≤ 50, else 400), which are read
 *   as they are now ("Search after write with search and reconcile").
 * - `expand` is accepted and ignored; `properties` (≤ 5 keys) are included.
 */
import { z } from 'zod';
import type { SimResponse } from '../../sim-kit';
import { isLightSelection, selectFields } from '../fields';
import { evaluateJql, isBoundedJql, JqlError, parseJql } from '../jql';
import { issueJson } from '../representations';
import type { JiraStore, SimIssue } from '../store';
import { jiraError, listParam, ok, parseBody, type OperationContext } from './context';

interface SearchInput {
  jql: string;
  reconcileIssues?: number[];
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  properties?: string[];
}

const DEFAULT_PAGE = 50;
const MAX_RECONCILE = 50;
const MAX_PAGE_LIGHT = 5000;
const MAX_PAGE_FULL = 100;

const tokenSchema = z.object({ q: z.string(), o: z.number().int().nonnegative() });

function encodeToken(jql: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: jql, o: offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string, jql: string): number | undefined {
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success && parsed.data.q === jql ? parsed.data.o : undefined;
  } catch {
    return undefined;
  }
}

/** The store as search sees it: the same projects and users, the issues as indexed. */
function searchView(store: JiraStore, issues: Map<string, SimIssue>): JiraStore {
  const view = Object.create(store) as JiraStore;
  Object.defineProperty(view, 'issues', { value: issues });
  return view;
}

function search(ctx: OperationContext, input: SearchInput): SimResponse {
  let issues;
  try {
    const query = parseJql(input.jql);
    if (!isBoundedJql(query)) {
      return jiraError(400, [
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      ]);
    }
    if ((input.reconcileIssues?.length ?? 0) > MAX_RECONCILE) {
      return jiraError(400, [`A maximum of ${MAX_RECONCILE} issues can be reconciled.`]);
    }
    // What search sees: the store with its issues as indexed (lagging writes), reconciled ids fresh.
    const indexed = ctx.store.searchableIssues(ctx.now(), (input.reconcileIssues ?? []).map(String));
    const view = indexed === ctx.store.issues ? ctx.store : searchView(ctx.store, indexed);
    issues = evaluateJql(view, query, { actor: ctx.actor, now: ctx.now });
  } catch (error) {
    if (error instanceof JqlError) return jiraError(400, [error.message]);
    throw error;
  }

  const requested = input.maxResults ?? DEFAULT_PAGE;
  if (requested < 1) return jiraError(400, ["The 'maxResults' parameter must be greater than 0."]);
  if ((input.properties?.length ?? 0) > 5) {
    return jiraError(400, ['A maximum of 5 issue property keys can be specified.']);
  }
  const pageSize = Math.min(requested, isLightSelection(input.fields) ? MAX_PAGE_LIGHT : MAX_PAGE_FULL);

  let offset = 0;
  if (input.nextPageToken !== undefined) {
    const decoded = decodeToken(input.nextPageToken, input.jql);
    if (decoded === undefined) return jiraError(400, ['The provided next page token is invalid or expired.']);
    offset = decoded;
  }

  const page = issues.slice(offset, offset + pageSize);
  const next = offset + page.length;
  const selection = selectFields(input.fields, 'id');
  const isLast = next >= issues.length;
  return ok({
    issues: page.map((issue) =>
      issueJson(ctx.store, issue, {
        selection,
        actor: ctx.actor,
        ...(input.properties ? { properties: input.properties } : {}),
      }),
    ),
    ...(isLast ? {} : { nextPageToken: encodeToken(input.jql, next) }),
    isLast,
  });
}

const postSchema = z
  .object({
    jql: z.string().optional(),
    nextPageToken: z.string().optional(),
    maxResults: z.number().int().optional(),
    fields: z.array(z.string()).optional(),
    properties: z.array(z.string()).optional(),
    expand: z.string().optional(),
    fieldsByKeys: z.boolean().optional(),
    reconcileIssues: z.array(z.number().int()).optional(),
  })
  .strict();

export function searchAndReconsileIssuesUsingJqlPost(ctx: OperationContext): SimResponse {
  const parsed = parseBody(ctx, postSchema);
  if (!parsed.ok) return parsed.response;
  const { jql, nextPageToken, maxResults, fields, properties, reconcileIssues } = parsed.data;
  return search(ctx, {
    jql: jql ?? '',
    ...(reconcileIssues ? { reconcileIssues } : {}),
    ...(nextPageToken !== undefined ? { nextPageToken } : {}),
    ...(maxResults !== undefined ? { maxResults } : {}),
    ...(fields && fields.length > 0 ? { fields } : {}),
    ...(properties ? { properties } : {}),
  });
}

export function searchAndReconsileIssuesUsingJql(ctx: OperationContext): SimResponse {
  const maxText = ctx.query.get('maxResults');
  if (maxText !== null && !/^-?\d+$/.test(maxText)) {
    return jiraError(400, ["The 'maxResults' parameter must be an integer."]);
  }
  const nextPageToken = ctx.query.get('nextPageToken');
  const fields = listParam(ctx, 'fields');
  const properties = listParam(ctx, 'properties');
  return search(ctx, {
    jql: ctx.query.get('jql') ?? '',
    ...(nextPageToken !== null ? { nextPageToken } : {}),
    ...(maxText !== null ? { maxResults: Number(maxText) } : {}),
    ...(fields && fields.length > 0 ? { fields } : {}),
    ...(properties ? { properties } : {}),
  });
}
