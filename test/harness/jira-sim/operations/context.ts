/**
 * What every operation handler gets, and the small helpers they share: Jira's status/body
 * conventions, query-list parsing, JSON body parsing with zod, and "can this actor see that issue".
 */
import type { z } from 'zod';
import { json, type SimResponse } from '../../sim-kit';
import { splitList } from '../fields';
import { errorBody } from '../representations';
import type { Actor, JiraStore, SimIssue, SimProject } from '../store';

export interface OperationContext {
  store: JiraStore;
  /** A known user or the app (the simulator answers 401 for unknown users before any handler runs). */
  actor: Actor;
  /** Path parameters, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The raw request body, if any. */
  body: string | undefined;
  now: () => Date;
}

export type OperationHandler = (ctx: OperationContext) => SimResponse;

export const ok = (body: unknown): SimResponse => json(200, body);

/** Jira answers some writes (issueLink, issue properties) with a status and no body at all. */
export const noBody = (status: number): SimResponse => ({ status, headers: {}, body: '' });

export const jiraError = (
  status: number,
  messages: string[],
  errors: Record<string, string> = {},
): SimResponse => json(status, errorBody(messages, errors));

/** Jira's answer for an issue that does not exist or that the caller may not see — one message for both. */
export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** Jira's 401 body when there is no (valid) user behind a user request. */
export const NOT_AUTHENTICATED =
  'You are not authenticated. Authentication required to perform this operation.';

/** Jira's answer to a body it cannot bind to the operation's bean. */
export const INVALID_PAYLOAD = 'Invalid request payload. Refer to the REST API documentation and try again.';

export function param(ctx: OperationContext, name: string): string {
  return ctx.params[name] ?? '';
}

/** A list query parameter: repeated and/or comma-separated (`fields=a,b&fields=c`). */
export function listParam(ctx: OperationContext, name: string): string[] | undefined {
  const all = ctx.query.getAll(name);
  return all.length === 0 ? undefined : splitList(all);
}

export function visibleIssue(ctx: OperationContext, idOrKey: string): SimIssue | undefined {
  const issue = ctx.store.issue(idOrKey);
  return issue && ctx.store.canSeeIssue(ctx.actor, issue) ? issue : undefined;
}

export function visibleProject(ctx: OperationContext, idOrKey: string): SimProject | undefined {
  const project = ctx.store.project(idOrKey);
  return project && ctx.store.canBrowseProject(ctx.actor, project) ? project : undefined;
}

/** Jira's 404 for a project that does not exist or that the caller cannot browse. */
export function projectNotFound(idOrKey: string): SimResponse {
  const kind = /^\d+$/.test(idOrKey) ? 'id' : 'key';
  return jiraError(404, [`No project could be found with ${kind} '${idOrKey}'.`]);
}

/** Parses the JSON body with a schema; a body that does not parse or bind is Jira's 400. */
export function parseBody<T extends z.ZodType>(
  ctx: OperationContext,
  schema: T,
): { ok: true; data: z.infer<T> } | { ok: false; response: SimResponse } {
  let value: unknown;
  try {
    value = ctx.body ? JSON.parse(ctx.body) : undefined;
  } catch {
    return { ok: false, response: jiraError(400, [INVALID_PAYLOAD]) };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, response: jiraError(400, [INVALID_PAYLOAD]) };
  return { ok: true, data: parsed.data };
}
