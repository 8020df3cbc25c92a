/**
 * SQAI Suite client: the contract this app defines (docs/sqai-openapi.yaml, guide docs/sqai-contract.md).
 * Bearer token; 401/403 unauthorized, other 4xx rejected, 429/5xx retried with backoff. Errors are
 * read as RFC 9457 problem details; context writes are conditional (If-Match / If-None-Match, RFC
 * 9110); a generation start carries an Idempotency-Key, so it is retried like a safe request; a
 * `RateLimit` header with nothing remaining holds back the next request to the host until its reset.
 *
 * Forge answers a fetch to a host the app may not reach with a 403 *response* carrying a
 * `forge-proxy-error` header (or, in some runtimes, throws `REQUEST_EGRESS_ALLOWLIST_ERR`); that is
 * EGRESS_NOT_ALLOWED, not SQAI_UNAUTHORIZED. There is no check before the fetch: a host a Jira admin
 * approved is unknown to `permissions.canFetchFrom`, and only Forge's proxy knows the answer.
 */
import { z } from 'zod';
import { AppError, upstreamTroubleRemedy, withPurpose } from '../errors';
import { isEgressRefusal } from '../platform/forge-errors';
import type { Http, HttpResponse } from '../platform/ports';
import { redactText, registerSecret } from '../platform/redact';
import {
  batchResponseSchema,
  classifyRequestSchema,
  classifyResponseSchema,
  contextWriteResultSchema,
  createGenerationResponseSchema,
  generationRequestProblems,
  generationSchema,
  healthResponseSchema,
  problemCodeOf,
  problemSchema,
  SQAI_CONTRACT_LIMITS,
  type ClassifyRequest,
  type ClassifyResponse,
  type Generation,
  type GenerationRequest,
  type ProblemCode,
} from './sqai-schemas';
import {
  type Deadline,
  failureOf,
  isUpstreamError,
  type RequestKind,
  requestUpstream,
  statusLine,
  throwIfRateLimited,
  type UpstreamAnswer,
} from './upstream';
import { safeParse } from './safe-parse';

export interface SqaiConnection {
  endpoint: string;
  token: string;
}

export interface SqaiClientDeps {
  http: Http;
}

const SQAI_TIMEOUT_MS = 8_000;

/** What SQAI holds for an issue as far as the app knows: the precondition of a write. */
export type Held = { contentHash: string } | 'nothing';

export type WriteStatus = 'created' | 'updated' | 'unchanged';

/** A write SQAI refused because it holds another version (412): what it holds, if it said. */
export interface WriteConflict {
  conflict: true;
  current?: string;
}

export interface BatchItemResult {
  status: WriteStatus | 'failed';
  contentHash: string;
  error?: string;
  problem?: ProblemCode;
  /** With `precondition-failed`: the hash SQAI holds. */
  current?: string;
}

const preconditionHeaders = (held: Held): Record<string, string> =>
  held === 'nothing' ? { 'If-None-Match': '*' } : { 'If-Match': `"${held.contentHash}"` };

const preconditionMembers = (held: Held) =>
  held === 'nothing' ? { ifNoneMatch: '*' as const } : { ifMatch: held.contentHash };

export const isForgeEgressBlock = (response: HttpResponse): boolean =>
  response.status === 403 && response.headers.get('forge-proxy-error') !== null;

/**
 * When a host's `RateLimit` said nothing remains: no request to it before then (per host, for the
 * life of the Forge container). draft-ietf-httpapi-ratelimit-headers (`RateLimit: "p";r=0;t=30`, and
 * the older `RateLimit-Remaining: 0` with `RateLimit-Reset: 30`).
 */
const quietUntil = new Map<string, number>();

/** Seconds until the quota resets when the answer says nothing remains, else undefined. */
export function rateLimitPause(headers: { get(name: string): string | null }): number | undefined {
  const field = headers.get('ratelimit');
  if (field) {
    // One or more list members `"policy";r=<remaining>;t=<reset>`: the tightest one counts.
    let pause: number | undefined;
    for (const member of field.split(',')) {
      const remaining = /;\s*r=(\d+)/.exec(member)?.[1];
      const reset = /;\s*t=(\d+)/.exec(member)?.[1];
      if (remaining === '0' && reset !== undefined) pause = Math.max(pause ?? 0, Number(reset));
    }
    return pause;
  }
  const remaining = headers.get('ratelimit-remaining');
  const reset = headers.get('ratelimit-reset');
  return remaining?.trim() === '0' && reset && /^\d+$/.test(reset.trim()) ? Number(reset.trim()) : undefined;
}

/** Forgets every host's pause (tests). */
export function clearRateLimitPauses(): void {
  quietUntil.clear();
}

/** SQAI's answer: status, body and the headers the contract names. */
interface SqaiAnswer extends UpstreamAnswer {
  etag?: string;
}

export class SqaiClient {
  private readonly host: string;

  constructor(
    private readonly deps: SqaiClientDeps,
    private readonly connection: SqaiConnection,
    private readonly deadline?: Deadline,
  ) {
    this.host = new URL(connection.endpoint).host;
    registerSecret(connection.token);
  }

  /**
   * Text SQAI wrote (an error message, a failure reason) without the project's secrets in any form
   * (src/platform/redact.ts): the token this client holds — known here even if nothing registered
   * it in this invocation — and every secret the invocation has seen. The one way SQAI's words
   * reach a log, the store or a user.
   */
  redact(text: string): string {
    return redactText(text, [this.connection.token]);
  }

  /** `GET /v1/health` → `{status: "ok"}` (the token is required, so this checks it too). */
  async health(): Promise<void> {
    const purpose = `Failed to check SQAI at ${this.host}`;
    const answer = await this.request('GET', '/v1/health', undefined, purpose);
    if (answer.status !== 200) this.failFor(purpose, 'GET', '/v1/health', answer);
    const parsed = safeParse(healthResponseSchema, answer.json());
    if (!parsed.success) {
      throw withPurpose('SQAI_REJECTED', `${purpose} (the health check did not answer {"status":"ok"})`);
    }
  }

  /**
   * `PUT /v1/contexts/{cloudId}/{issueId}`, conditional (RFC 9110 §13.1): `If-Match: "<hash>"` of
   * the version the app last saw SQAI accept, or `If-None-Match: *` when it knows of none. A 412
   * comes back as a conflict (what SQAI holds, when it said): the caller reads the issue again and
   * writes over that version — never blindly.
   */
  async putContext(
    cloudId: string,
    issueId: string,
    document: { contentHash: string; source: { issueKey: string } },
    held: Held,
  ): Promise<WriteStatus | WriteConflict> {
    const purpose = `Failed to send ${document.source.issueKey} to SQAI`;
    const path = `/v1/contexts/${encodeURIComponent(cloudId)}/${encodeURIComponent(issueId)}`;
    const answer = await this.request('PUT', path, document, purpose, preconditionHeaders(held));
    if (answer.status === 201) return 'created';
    if (answer.status === 200) {
      // What the status says; an unknown one, or none, reads as "updated" (it was written).
      const parsed = safeParse(contextWriteResultSchema.pick({ status: true }), answer.json());
      return parsed.success ? parsed.data.status : 'updated';
    }
    if (answer.status === 412) {
      const problem = safeParse(problemSchema, answer.json());
      const current =
        (problem.success ? problem.data.currentContentHash : undefined) ??
        /^"([0-9a-f]{64})"$/.exec(answer.etag ?? '')?.[1];
      return { conflict: true, ...(current ? { current } : {}) };
    }
    this.failFor(purpose, 'PUT', path, answer);
  }

  /** `DELETE /v1/contexts/{cloudId}/{issueId}`: SQAI forgets the issue (idempotent: 204, or 404). */
  async deleteContext(cloudId: string, issueId: string, issueKey = issueId): Promise<void> {
    const purpose = `Failed to remove ${issueKey} from SQAI`;
    const path = `/v1/contexts/${encodeURIComponent(cloudId)}/${encodeURIComponent(issueId)}`;
    const answer = await this.request('DELETE', path, undefined, purpose);
    if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404)
      this.failFor(purpose, 'DELETE', path, answer);
  }

  /** `DELETE /v1/tenants/{cloudId}[/projects/{projectId}]`: SQAI forgets a project, or the whole site. */
  async purge(cloudId: string, projectId?: string): Promise<void> {
    const purpose = projectId
      ? `Failed to remove the project's data from SQAI`
      : `Failed to remove the site's data from SQAI`;
    const path = `/v1/tenants/${encodeURIComponent(cloudId)}${projectId ? `/projects/${encodeURIComponent(projectId)}` : ''}`;
    const answer = await this.request('DELETE', path, undefined, purpose);
    if (answer.status < 200 || answer.status > 299) this.failFor(purpose, 'DELETE', path, answer);
  }

  /**
   * `POST /v1/contexts:batch` with ≤ 50 items (≤ 4 MiB of body, the caller cuts batches to fit):
   * each item a conditional write like `putContext`. Results by issue id, each echoing the hash it
   * refers to (a result for another hash than the one sent is no result for it).
   */
  async pushBatch(
    items: { document: { contentHash: string; source: { issueId: string; issueKey: string } }; held: Held }[],
  ): Promise<Map<string, BatchItemResult>> {
    const purpose = `Failed to send ${items.length} requirements to SQAI`;
    const body = {
      items: items.map(({ document, held }) => ({ document, ...preconditionMembers(held) })),
    };
    const answer = await this.request('POST', '/v1/contexts:batch', body, purpose);
    if (answer.status !== 200) this.failFor(purpose, 'POST', '/v1/contexts:batch', answer);
    const parsed = safeParse(batchResponseSchema, answer.json());
    if (!parsed.success)
      throw withPurpose('SQAI_REJECTED', `${purpose} (SQAI answered without per-document results)`);
    const results = new Map<string, BatchItemResult>();
    for (const result of parsed.data.results) {
      const said = result.problem ? (result.problem.detail ?? result.problem.title) : undefined;
      const code = problemCodeOf(result.problem?.type);
      results.set(result.issueId, {
        status: result.status,
        contentHash: result.contentHash,
        ...(said ? { error: this.redact(said).slice(0, 200) } : {}),
        ...(code ? { problem: code } : {}),
        ...(result.problem?.currentContentHash ? { current: result.problem.currentContentHash } : {}),
      });
    }
    return results;
  }

  /**
   * `POST /v1/generations` with `Idempotency-Key` → `202 {id}`. The key makes a retry safe: after a
   * timeout or a 5xx the same request is sent again with the same key, and SQAI answers with the
   * generation the first attempt started (no orphan). The caller stores the key so that a retry
   * by the user reuses it too.
   */
  async createGeneration(request: GenerationRequest, idempotencyKey: string): Promise<string> {
    const purpose =
      request.mode === 'updates'
        ? `Failed to ask SQAI to review the tests of ${request.issueKey}`
        : `Failed to ask SQAI for tests for ${request.issueKey}`;
    if (request.mode === 'updates' || request.updates !== undefined) {
      // Update mode (1.3.0) is built from stored records: checked against the contract before it
      // is sent, so a request SQAI would refuse (400) is a field error here, and nothing is sent.
      const fieldErrors = generationRequestProblems(request);
      if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });
    }
    const answer = await this.request('POST', '/v1/generations', request, purpose, {
      'Idempotency-Key': idempotencyKey,
    });
    if (answer.status !== 202) this.failFor(purpose, 'POST', '/v1/generations', answer);
    const parsed = safeParse(createGenerationResponseSchema, answer.json());
    if (!parsed.success)
      throw withPurpose('SQAI_REJECTED', `${purpose} (SQAI answered without a generation id)`);
    return parsed.data.id;
  }

  /**
   * `POST /v1/coverage:classify` (contract 1.1.0): the criteria each test likely proves. Suggestions
   * of a criterion the request did not name are dropped, and so are results for tests it did not
   * name. No caller yet (issue 18 item 2: the panel's "suggested" mappings).
   */
  async classifyCoverage(request: ClassifyRequest): Promise<ClassifyResponse> {
    const purpose = `Failed to ask SQAI which criteria the tests of ${request.issueKey} prove`;
    const path = '/v1/coverage:classify';
    const answer = await this.request('POST', path, classifyRequestSchema.parse(request), purpose);
    if (answer.status !== 200) this.failFor(purpose, 'POST', path, answer);
    const parsed = safeParse(classifyResponseSchema, answer.json());
    if (!parsed.success) throw withPurpose('SQAI_REJECTED', `${purpose} (malformed answer)`);
    const criteria = new Set(request.criteria.map((criterion) => criterion.id));
    const tests = new Set(request.tests.map((test) => test.key));
    return {
      results: parsed.data.results
        .filter((result) => tests.has(result.testKey))
        .map((result) => ({
          testKey: result.testKey,
          suggestions: result.suggestions.filter((suggestion) => criteria.has(suggestion.criterionId)),
        })),
    };
  }

  /**
   * `GET /v1/generations/{id}`, validated and size-capped (tests are checked one by one by the
   * caller). Unknown fields are ignored and an unknown status reads as "running" (keep polling).
   */
  async getGeneration(id: string, issueKey: string): Promise<Generation> {
    const purpose = `Failed to read SQAI's tests for ${issueKey}`;
    const path = `/v1/generations/${encodeURIComponent(id)}`;
    const answer = await this.request('GET', path, undefined, purpose);
    if (answer.status !== 200) this.failFor(purpose, 'GET', path, answer);
    if (Buffer.byteLength(answer.text, 'utf8') > SQAI_CONTRACT_LIMITS.generationAnswerBytes) {
      throw withPurpose(
        'SQAI_REJECTED',
        `${purpose} (the answer is larger than ${SQAI_CONTRACT_LIMITS.generationAnswerBytes / 1024} KB)`,
      );
    }
    const parsed = safeParse(generationSchema, answer.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw withPurpose(
        'SQAI_REJECTED',
        `${purpose} (malformed answer: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''})`,
      );
    }
    // A failure reason is SQAI's own text: it enters the app redacted.
    const { error } = parsed.data;
    return typeof error === 'string' ? { ...parsed.data, error: this.redact(error) } : parsed.data;
  }

  /** The request as users read it: method and path (the endpoint's own path included), never a query or body. */
  private requestLine(method: string, path: string): string {
    return `${method} ${new URL(`${this.connection.endpoint}${path}`).pathname}`;
  }

  /**
   * An answer that is neither success nor retried: which request failed and how SQAI answered —
   * status, path and the problem type's code. SQAI's own words (redacted) go to the cause, for the log.
   */
  private failFor(purpose: string, method: string, path: string, answer: SqaiAnswer): never {
    const { status } = answer;
    const problem = readProblem(answer.json(), (message) => this.redact(message));
    const answered = `SQAI answered ${statusLine(status)}${problem.code ? ` (${problem.code})` : ''} for ${this.requestLine(method, path)}`;
    const cause = problem.said ? { sqaiSaid: problem.said } : undefined;
    if (status === 401 || status === 403) {
      throw withPurpose('SQAI_UNAUTHORIZED', purpose, {
        detail:
          problem.code === 'wrong-tenant'
            ? `${answered}: the API token belongs to another Jira site.`
            : `${answered}: SQAI rejected the API token.`,
        cause,
      });
    }
    const why =
      problem.code === 'context-not-pushed'
        ? ': SQAI does not hold this requirement’s current context.'
        : problem.code === 'idempotency-key-reused'
          ? ': the request changed since it was first sent; ask again.'
          : status === 404 || status === 405
            ? ' — is the endpoint URL the API base (e.g. https://api.sqai-suite.com)?'
            : status === 413
              ? ': SQAI found the document too large.'
              : '.';
    throw withPurpose('SQAI_REJECTED', purpose, { detail: `${answered}${why}`, cause });
  }

  private async request(
    method: string,
    path: string,
    body: unknown,
    purpose: string,
    extraHeaders: Record<string, string> = {},
    requestKind: RequestKind = 'safe',
  ): Promise<SqaiAnswer> {
    const egressNotAllowed = () => new AppError('EGRESS_NOT_ALLOWED', { host: this.host });
    let etag: string | undefined;
    try {
      const answer = await requestUpstream(
        (init) => this.deps.http.fetch(`${this.connection.endpoint}${path}`, init),
        {
          method,
          body,
          headers: { Authorization: `Bearer ${this.connection.token}`, ...extraHeaders },
          redirect: 'error',
        },
        {
          upstream: 'SQAI',
          // As sent: a generation id goes back to SQAI, a proposal's text is SQAI's own
          // (test/unit/trust/sqai-responses.test.ts).
          loneSurrogates: 'keep',
          timeoutMs: SQAI_TIMEOUT_MS,
          maxAttempts: 3,
          requestKind,
          ...(this.deadline ? { deadline: this.deadline } : {}),
          beforeSend: (signal) => this.waitForQuota(purpose, signal),
          onSendError: (error) => {
            if (isEgressRefusal(error)) throw egressNotAllowed();
          },
          onResponse: (response) => {
            if (isForgeEgressBlock(response)) throw egressNotAllowed();
            etag = response.headers.get('etag') ?? undefined;
            const pause = rateLimitPause(response.headers);
            if (pause !== undefined) quietUntil.set(this.host, Date.now() + pause * 1000);
          },
        },
      );
      return { ...answer, ...(etag ? { etag } : {}) };
    } catch (error) {
      if (!isUpstreamError(error)) throw error;
      throwIfRateLimited(error, purpose);
      const failed = `${failureOf(`SQAI at ${this.host}`, error)} (${this.requestLine(method, path)}).`;
      throw withPurpose('SQAI_UNREACHABLE', purpose, {
        detail: failed,
        cause: error,
        // A server error is SQAI's trouble, not the settings'; no answer at all may be a wrong URL.
        ...(error.kind === 'http' ? { remedy: upstreamTroubleRemedy('SQAI') } : {}),
      });
    }
  }

  /**
   * Honours a `RateLimit` that said nothing remains: waits for the reset when the deadline leaves
   * room for it, else fails at once as RATE_LIMITED (without sending what would only be refused).
   */
  private async waitForQuota(purpose: string, signal: AbortSignal): Promise<void> {
    const until = quietUntil.get(this.host);
    if (until === undefined) return;
    const waitMs = until - Date.now();
    if (waitMs <= 0) {
      quietUntil.delete(this.host);
      return;
    }
    const room = this.deadline ? this.deadline.remainingMs() - SQAI_TIMEOUT_MS : SQAI_TIMEOUT_MS;
    if (waitMs > room) {
      throw withPurpose('RATE_LIMITED', purpose, { retryAfterMs: waitMs });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * SQAI's problem (RFC 9457: `type` code, `detail` or `title`), or a legacy `{"error": "…"}`, redacted
 * and bounded — never the raw body.
 */
function readProblem(json: unknown, redact: (text: string) => string): { code?: ProblemCode; said?: string } {
  const bound = (text: string) => redact(text).replace(/\s+/g, ' ').slice(0, 200);
  const problem = safeParse(problemSchema, json);
  if (problem.success) {
    const code = problemCodeOf(problem.data.type);
    const said = problem.data.detail ?? problem.data.title;
    return { ...(code ? { code } : {}), ...(said ? { said: bound(said) } : {}) };
  }
  const legacy = safeParse(z.object({ error: z.string() }).loose(), json);
  return legacy.success ? { said: bound(legacy.data.error) } : {};
}
