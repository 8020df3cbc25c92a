/**
 * SQAI Suite client (the contract this app defines in docs/sqai-contract.md). Bearer token; 401/403
 * unauthorized, other 4xx rejected, 429/5xx retried with backoff.
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
import { createGenerationResponseSchema, generationSchema, type Generation } from './sqai-schemas';
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
const batchResultSchema = z.object({
  results: z
    .array(
      z.object({
        issueId: z.string(),
        status: z.enum(['created', 'updated', 'unchanged', 'failed']),
        error: z.string().nullish(),
      }),
    )
    .max(50),
});

/** A generation of ≤ 50 tests within SQAI's field limits fits easily; anything bigger is refused unread. */
const MAX_GENERATION_BYTES = 2 * 1024 * 1024;

export const isForgeEgressBlock = (response: HttpResponse): boolean =>
  response.status === 403 && response.headers.get('forge-proxy-error') !== null;

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

  /** `GET /v1/health` → `{status: "ok"}`. */
  async health(): Promise<void> {
    const purpose = `Failed to check SQAI at ${this.host}`;
    const answer = await this.request('GET', '/v1/health', undefined, purpose);
    if (answer.status !== 200) this.failFor(purpose, 'GET', '/v1/health', answer.status);
    const parsed = safeParse(z.object({ status: z.literal('ok') }).loose(), answer.json());
    if (!parsed.success) {
      throw withPurpose('SQAI_REJECTED', `${purpose} (the health check did not answer {"status":"ok"})`);
    }
  }

  /**
   * `PUT /v1/contexts/{cloudId}/{issueId}` with `Idempotency-Key: <contentHash>`: SQAI stores the
   * document once per content, however often a retry repeats the request.
   */
  async putContext(
    cloudId: string,
    issueId: string,
    document: { contentHash: string; source: { issueKey: string } },
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const purpose = `Failed to send ${document.source.issueKey} to SQAI`;
    const path = `/v1/contexts/${encodeURIComponent(cloudId)}/${encodeURIComponent(issueId)}`;
    const answer = await this.request('PUT', path, document, purpose, {
      'Idempotency-Key': document.contentHash,
    });
    if (answer.status === 201) return 'created';
    if (answer.status === 204) return 'unchanged';
    if (answer.status === 200) {
      const parsed = safeParse(
        z.object({ status: z.enum(['created', 'updated', 'unchanged']) }).loose(),
        answer.json(),
      );
      return parsed.success ? parsed.data.status : 'updated';
    }
    this.failFor(purpose, 'PUT', path, answer.status, answer.json());
  }

  /**
   * `POST /v1/contexts:batch` with ≤ 50 documents (≤ 4 MB): SQAI stores each by its content hash and
   * reports per document. Safe to repeat: the same content is "unchanged" the second time.
   */
  async pushBatch(
    documents: { contentHash: string; source: { issueId: string; issueKey: string } }[],
  ): Promise<Map<string, { status: 'created' | 'updated' | 'unchanged' | 'failed'; error?: string }>> {
    const purpose = `Failed to send ${documents.length} requirements to SQAI`;
    const answer = await this.request('POST', '/v1/contexts:batch', { documents }, purpose);
    if (answer.status !== 200)
      this.failFor(purpose, 'POST', '/v1/contexts:batch', answer.status, answer.json());
    const parsed = safeParse(batchResultSchema, answer.json());
    if (!parsed.success)
      throw withPurpose('SQAI_REJECTED', `${purpose} (SQAI answered without per-document results)`);
    const results = new Map<
      string,
      { status: 'created' | 'updated' | 'unchanged' | 'failed'; error?: string }
    >();
    for (const result of parsed.data.results) {
      results.set(result.issueId, {
        status: result.status,
        ...(result.error ? { error: this.redact(result.error).slice(0, 200) } : {}),
      });
    }
    return results;
  }

  /** `POST /v1/generations` → `202 {id}`. Not idempotent: retried only after a 429. */
  async createGeneration(request: {
    cloudId: string;
    issueId: string;
    issueKey: string;
    contentHash: string;
    previousContentHash?: string;
    testTypes: string[];
    maxTests: number;
    instructions?: string;
  }): Promise<string> {
    const purpose = `Failed to ask SQAI for tests for ${request.issueKey}`;
    const answer = await this.request('POST', '/v1/generations', request, purpose, {}, 'unsafe');
    const { status } = answer;
    if (status !== 202 && status !== 200 && status !== 201)
      this.failFor(purpose, 'POST', '/v1/generations', status, answer.json());
    const parsed = safeParse(createGenerationResponseSchema, answer.json());
    if (!parsed.success)
      throw withPurpose('SQAI_REJECTED', `${purpose} (SQAI answered without a generation id)`);
    return parsed.data.id;
  }

  /** `GET /v1/generations/{id}`, validated and size-capped (tests are checked one by one by the caller). */
  async getGeneration(id: string, issueKey: string): Promise<Generation> {
    const purpose = `Failed to read SQAI's tests for ${issueKey}`;
    const path = `/v1/generations/${encodeURIComponent(id)}`;
    const answer = await this.request('GET', path, undefined, purpose);
    if (answer.status !== 200) this.failFor(purpose, 'GET', path, answer.status, answer.json());
    if (answer.text.length > MAX_GENERATION_BYTES) {
      throw withPurpose(
        'SQAI_REJECTED',
        `${purpose} (the answer is larger than ${MAX_GENERATION_BYTES / 1024} KB)`,
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
   * status and path only. SQAI's own message (redacted) goes to the cause, for the log.
   */
  private failFor(purpose: string, method: string, path: string, status: number, json?: unknown): never {
    const answered = `SQAI answered ${statusLine(status)} for ${this.requestLine(method, path)}`;
    const said = sqaiMessage(json, (message) => this.redact(message));
    const cause = said ? { sqaiSaid: said } : undefined;
    if (status === 401 || status === 403) {
      throw withPurpose('SQAI_UNAUTHORIZED', purpose, {
        detail: `${answered}: SQAI rejected the API token.`,
        cause,
      });
    }
    const why =
      status === 404 || status === 405
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
  ): Promise<UpstreamAnswer> {
    const egressNotAllowed = () => new AppError('EGRESS_NOT_ALLOWED', { host: this.host });
    try {
      return await requestUpstream(
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
          onSendError: (error) => {
            if (isEgressRefusal(error)) throw egressNotAllowed();
          },
          onResponse: (response) => {
            if (isForgeEgressBlock(response)) throw egressNotAllowed();
          },
        },
      );
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
}

/** SQAI's own error message (`{"error": "…"}`), redacted and bounded — never the raw body. */
function sqaiMessage(json: unknown, redact: (text: string) => string): string | undefined {
  const parsed = safeParse(z.object({ error: z.string() }).loose(), json);
  return parsed.success ? redact(parsed.data.error).replace(/\s+/g, ' ').slice(0, 200) : undefined;
}
