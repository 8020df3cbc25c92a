/**
 * `GET /rest/api/3/myself` (getCurrentUser): the calling user, or — for an app calling asApp — the
 * app's own user (Jira answers with the app's bot account, `accountType: "app"`).
 */
import type { SimResponse } from '../../sim-kit';
import { APP_USER, currentUserJson } from '../representations';
import { jiraError, NOT_AUTHENTICATED, ok, type OperationContext } from './context';

export function getCurrentUser(ctx: OperationContext): SimResponse {
  const { actor, store } = ctx;
  if (actor.as === 'app') return ok(currentUserJson(store, APP_USER, 'app'));
  const user = actor.accountId ? store.users.get(actor.accountId) : undefined;
  if (!user) return jiraError(401, [NOT_AUTHENTICATED]);
  return ok(currentUserJson(store, user, 'atlassian'));
}
