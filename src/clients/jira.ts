/**
 * Jira over Forge native auth. One plain function per operation the app uses, each with a purpose
 * string that appears in its error, and each response checked with zod before use.
 */
import { z } from 'zod';
import { AppError, withPurpose } from '../errors';
import { passConsentThrough, proxyErrorStatus } from '../platform/forge-errors';
import type { HttpResponse, JiraActor, JiraTransport } from '../platform/ports';
import { jiraPath, type JiraOperationName } from './jira-operations';
import {
  isQuotaReason,
  jiraPacer,
  JiraRateLimitWait,
  type JiraPacer,
  type PacedRequest,
  writtenIssues,
} from './jira-pacing';
import {
  type Deadline,
  failureOf,
  isUpstreamError,
  requestUpstream,
  retryAfterMs,
  throwIfRateLimited,
  type UpstreamAnswer,
  UpstreamError,
} from './upstream';
import { safeParse } from './safe-parse';

export interface JiraCallOptions {
  as: JiraActor;
  deadline?: Deadline;
  /** Paces the call for Jira's rate limits (default: the invocation's pacer, ./jira-pacing.ts). */
  pacer?: JiraPacer;
}

const JIRA_TIMEOUT_MS = 8_000;

export async function requestJson(
  transport: JiraTransport,
  purpose: string,
  operation: JiraOperationName,
  path: string,
  options: JiraCallOptions & { method?: string; body?: unknown },
): Promise<{ status: number; json: unknown }> {
  // Jira's rate limits for apps (./jira-pacing.ts): paced per endpoint and per issue written, and
  // never sent while the hourly quota is known to be spent.
  const pacer = options.pacer ?? jiraPacer();
  const method = options.method ?? 'GET';
  const paced: PacedRequest = { operation, method, issues: writtenIssues(operation, path, options.body) };
  try {
    await pacer.acquire(paced, options.deadline?.remainingMs());
    const answer = await requestUpstream(
      (init) => transport.request(path, init, { as: options.as }),
      { method, body: options.body },
      {
        upstream: operation,
        timeoutMs: JIRA_TIMEOUT_MS,
        maxAttempts: 3,
        ...(options.deadline ? { deadline: options.deadline } : {}),
        beforeSend: () => pacer.checkQuota(),
        onSendError: (error) => throwForgeRefusal(operation, error),
        onResponse: (response) => observeRateLimits(pacer, paced, response),
      },
    );
    return { status: answer.status, json: jsonOrText(answer) };
  } catch (error) {
    passConsentThrough(error);
    if (error instanceof JiraRateLimitWait) throw rateLimitWaitError(purpose, error);
    throwIfRateLimited(error, purpose);
    // Jira failed (a 5xx, no answer in time, no connection) after the retries: Jira is to blame.
    // A 4xx refusal (e.g. Forge's proxy rejecting the request as malformed) is the app's own fault.
    if (isUpstreamError(error) && (error.kind !== 'http' || (error.status ?? 500) >= 500)) {
      throw withPurpose('JIRA_UNAVAILABLE', purpose, {
        detail: `${failureOf('Jira', error)}.`,
        cause: error,
      });
    }
    throw withPurpose('INTERNAL', `${purpose} (Jira did not answer)`, { cause: error });
  }
}

/**
 * What Forge throws instead of sending: the user must grant access first (Forge shows its prompt
 * when this reaches it unwrapped), or its proxy could not forward the request (a status).
 */
function throwForgeRefusal(operation: JiraOperationName, error: unknown): void {
  passConsentThrough(error);
  const proxyStatus = proxyErrorStatus(error);
  if (proxyStatus !== undefined)
    throw new UpstreamError(`Forge could not forward ${operation} (${proxyStatus})`, 'http', proxyStatus);
}

/** Every answer's rate-limit headers go to the pacer, and a 429 with its reason. */
function observeRateLimits(pacer: JiraPacer, paced: PacedRequest, response: HttpResponse): void {
  pacer.observe(response.headers);
  if (response.status !== 429) return;
  const reason = response.headers.get('ratelimit-reason');
  pacer.onRateLimited(paced, reason, retryAfterMs(response));
  // The hourly quota: "Pause all API requests until the window resets" — no retry here.
  if (isQuotaReason(reason)) pacer.checkQuota();
}

/** Jira's answer as JSON; a body that is not JSON (an HTML error page) as its text. */
function jsonOrText(answer: UpstreamAnswer): unknown {
  const json = answer.json();
  return json === undefined && answer.text ? answer.text : json;
}

/** What a user reads when the app holds a Jira call back for a rate limit (nothing was sent). */
function rateLimitWaitError(purpose: string, wait: JiraRateLimitWait): AppError {
  const retryAfterMs = Math.ceil(wait.retryAfterMs);
  if (!isQuotaReason(wait.reason)) return withPurpose('RATE_LIMITED', purpose, { cause: wait, retryAfterMs });
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new AppError('RATE_LIMITED', {
    message: `${purpose}: Jira's hourly request quota for this app is used up for the next ${minutes} min.`,
    remedy:
      'Nothing to change: the scheduled sync resumes by itself when the quota resets at the top of the hour; try this action again then.',
    cause: wait,
    retryAfterMs,
  });
}

/**
 * An answer that is not the one expected. 401/403 and 404 have codes of their own; any other (a
 * 4xx refusal: the app's own fault) is INTERNAL, its detail `failureOf`'s words and its cause the
 * answer as typed data (an http UpstreamError with the status and the body), so whoever rewords it
 * (e.g. to name issue keys) reads the status, never the message.
 */
export function failFor(
  purpose: string,
  status: number,
  json: unknown,
  notFound: 'PROJECT_NOT_FOUND' | 'ISSUE_NOT_FOUND' = 'PROJECT_NOT_FOUND',
): never {
  if (status === 401 || status === 403) throw withPurpose('JIRA_UNAUTHORIZED', purpose, { cause: json });
  if (status === 404) throw withPurpose(notFound, purpose, { cause: json });
  const answer = new UpstreamError(
    `Jira answered ${status}`,
    'http',
    status,
    undefined,
    typeof json === 'string' || json === undefined ? json : JSON.stringify(json),
  );
  throw withPurpose('INTERNAL', purpose, { detail: `${failureOf('Jira', answer)}.`, cause: answer });
}

const permissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean().optional() }).loose()),
});

/** Where a permission is asked about: a project, or one issue (where issue-level grants count). */
export type PermissionScope = { projectId: string } | { issueId: string } | { issueKey: string };

/**
 * Whether the acting user holds each of `permissions` in `scope`. In an issue's scope Jira also
 * applies issue-level grants (e.g. *Reporter* may edit), and answers 404 — ISSUE_NOT_FOUND — for an
 * issue the user cannot see.
 */
export async function getMyPermissions(
  transport: JiraTransport,
  scope: PermissionScope,
  permissions: readonly string[],
  options: JiraCallOptions,
  /** How the scope is named in an error (e.g. the issue's key where the scope has its id). */
  named?: string,
): Promise<Record<string, boolean>> {
  const target =
    named ?? ('projectId' in scope ? `project ${scope.projectId}` : `issue ${Object.values(scope)[0] ?? ''}`);
  const purpose = `Failed to read your permissions on ${target}`;
  const path = jiraPath('getMyPermissions', {}, { ...scope, permissions });
  const { status, json } = await requestJson(transport, purpose, 'getMyPermissions', path, options);
  if (status !== 200)
    failFor(purpose, status, json, 'projectId' in scope ? 'PROJECT_NOT_FOUND' : 'ISSUE_NOT_FOUND');
  const parsed = safeParse(permissionsSchema, json);
  if (!parsed.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer)`);
  return Object.fromEntries(
    permissions.map((key) => [key, parsed.data.permissions[key]?.havePermission === true]),
  );
}

const projectSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    projectTypeKey: z.string().optional(),
    issueTypes: z
      .array(z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional() }).loose())
      .optional(),
    /**
     * The project lead, as Jira shows that user to the caller ("included in all responses by
     * default"; `displayName` may be "an alternative value" per their privacy setting). An
     * unreadable one is no lead: it must not fail the read of the project.
     */
    lead: z
      .object({
        accountId: z.string(),
        accountType: z.string().optional(),
        active: z.boolean().optional(),
        displayName: z.string().optional(),
      })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose();

export type JiraProject = z.infer<typeof projectSchema>;

export async function getProject(
  transport: JiraTransport,
  projectIdOrKey: string,
  options: JiraCallOptions,
): Promise<JiraProject> {
  const purpose = `Failed to read project ${projectIdOrKey}`;
  const path = jiraPath('getProject', { projectIdOrKey });
  const { status, json } = await requestJson(transport, purpose, 'getProject', path, options);
  if (status !== 200) failFor(purpose, status, json);
  const parsed = safeParse(projectSchema, json);
  if (!parsed.success) throw new AppError('INTERNAL', { message: `${purpose} (unexpected answer)` });
  return parsed.data;
}
