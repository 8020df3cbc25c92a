/**
 * Users:
 * - `GET /rest/api/3/myself` (getCurrentUser): the calling user, or — for an app calling asApp — the
 *   app's own user (Jira answers with the app's bot account, `accountType: "app"`).
 * - `GET /rest/api/3/user/bulk` (bulkGetUsers): the users named by the repeated `accountId`
 *   parameter, a page of them (`startAt`, `maxResults`, default 10). "Permissions required:
 *   Permission to access Jira" — not *Browse users and groups* (which `group/bulk` does need:
 *   JRACLOUD-81445), so any known user is answered; unknown ids are absent; what each person shows
 *   the viewer follows their profile visibility (`bulkUserJson`). docs/jira-fidelity.md, J11.
 */
import type { SimResponse } from '../../sim-kit';
import { APP_USER, bulkUserJson, currentUserJson } from '../representations';
import type { SimUser } from '../store';
import { jiraError, NOT_AUTHENTICATED, ok, type OperationContext } from './context';

export function getCurrentUser(ctx: OperationContext): SimResponse {
  const { actor, store } = ctx;
  if (actor.as === 'app') return ok(currentUserJson(store, APP_USER, 'app'));
  const user = actor.accountId ? store.users.get(actor.accountId) : undefined;
  if (!user) return jiraError(401, [NOT_AUTHENTICATED]);
  return ok(currentUserJson(store, user, 'atlassian'));
}

/** Jira's 400 when no `accountId` is given (the spec: "Returned if `accountID` is missing"). */
const ACCOUNT_ID_MISSING = 'At least one accountId is required.';

export function bulkGetUsers(ctx: OperationContext): SimResponse {
  const { store, query } = ctx;
  const ids = query.getAll('accountId').filter((id) => id !== '');
  if (ids.length === 0) return jiraError(400, [ACCOUNT_ID_MISSING]);
  const startAt = Math.max(0, Number(query.get('startAt') ?? 0) || 0);
  const maxResults = Math.max(1, Number(query.get('maxResults') ?? 10) || 10);
  const found = [...new Set(ids)]
    .map((id) => store.users.get(id))
    .filter((user): user is SimUser => user !== undefined);
  const page = found.slice(startAt, startAt + maxResults);
  const base = `${store.siteUrl}/rest/api/3/user/bulk`;
  const isLast = startAt + page.length >= found.length;
  const next = new URLSearchParams(ids.map((id) => ['accountId', id]));
  next.set('startAt', String(startAt + page.length));
  next.set('maxResults', String(maxResults));
  return ok({
    self: `${base}?${query.toString()}`,
    ...(isLast ? {} : { nextPage: `${base}?${next.toString()}` }),
    maxResults,
    startAt,
    total: found.length,
    isLast,
    values: page.map((user) => bulkUserJson(store, user, ctx.actor)),
  });
}
