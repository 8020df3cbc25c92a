/**
 * Xray Cloud client: authenticate (token cached per credentials until its JWT `exp`, one re-auth on
 * 401, shared by the requests that got it) and GraphQL (documents from ./documents.ts, answers checked
 * with zod; an answer with `errors` is never read as complete, whatever partial `data` it carries).
 *
 * Token caching follows the careful pattern of the best public TypeScript Xray clients: the
 * *promise* is cached, so concurrent callers share one authenticate; the cache key is a hash of
 * region + credentials, never the secret itself. The memory cache lives for the invocation; the
 * token store (Forge secret storage, per project) carries a token to the next one.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { XrayRegion } from '../../api';
import { AppError, upstreamTroubleRemedy, withPurpose } from '../../errors';
import type { Http, SecretStore } from '../../platform/ports';
import { invocationMemo } from '../../platform/invocation';
import { redactText, registerSecret } from '../../platform/redact';
import {
  type Deadline,
  failureOf,
  isUpstreamError,
  type RequestKind,
  requestUpstream,
  statusLine,
  throwIfRateLimited,
  type UpstreamAnswer,
} from '../upstream';
import { XRAY_DOCUMENTS, type XrayDocumentName, type XrayDynamicDocument } from './documents';
import type { RateBudget } from './rate-budget';
import { XRAY_BASE_URLS } from './regions';
import { safeParse } from '../safe-parse';

export interface XrayCredentials {
  clientId: string;
  clientSecret: string;
  region: XrayRegion;
}

export interface XrayClientDeps {
  http: Http;
  now: () => Date;
  /** Where a token survives between invocations (Forge secret storage), under `tokenKey`. */
  tokenStore?: { secrets: SecretStore; key: string };
  /** Paces requests to the site's Xray budget. */
  budget?: RateBudget;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  fingerprint: string;
}

const REFRESH_MARGIN_MS = 5 * 60_000;
const XRAY_TIMEOUT_MS = 8_000;
/** Tokens in memory for this invocation only (a warm instance may serve another site next). */
const tokenCache = () => invocationMemo('xray-tokens', () => new Map<string, Promise<CachedToken>>());

/** "Disconnect" support and tests: forget the tokens this invocation holds in memory. */
export function clearXrayTokenCache(): void {
  tokenCache().clear();
}

const cachedTokenSchema = z.object({ token: z.string(), expiresAt: z.number(), fingerprint: z.string() });

function fingerprintOf(credentials: XrayCredentials): string {
  return createHash('sha256')
    .update(`${credentials.region}\u0000${credentials.clientId}\u0000${credentials.clientSecret}`)
    .digest('hex');
}

/** Reads `exp` from a JWT without verifying it (Xray verifies; we only need to know when to refresh). */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const exp = safeParse(z.object({ exp: z.number() }), payload);
    return exp.success ? exp.data.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const looksLikeRegionError = (body: string) => /another region/i.test(body);
const looksLikeLicenseError = (body: string) => /licen[cs]e/i.test(body);

const graphqlErrorsSchema = z.object({
  errors: z.array(z.object({ message: z.string() }).loose()).min(1),
});
/** An error's `path`, read leniently: a malformed one must not hide the error itself. */
const errorPathSchema = z.object({ path: z.array(z.union([z.string(), z.number()])) });

/**
 * Xray's first GraphQL error, with where it happened ("getCoverableIssue.tests"). An answer with
 * `errors` may still carry `data` (GraphQL answers partial data: the failed field is null, its
 * siblings are there); the app never reads such an answer as complete.
 */
function firstGraphqlError(json: unknown): { message: string; at?: string } | undefined {
  const parsed = safeParse(graphqlErrorsSchema, json);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  if (!first) {
    // `errors` that are not a list of messages are errors all the same (only an empty list is none).
    const present = safeParse(z.object({ errors: z.unknown() }), json);
    const errors = present.success ? present.data.errors : undefined;
    const none = errors === undefined || errors === null || (Array.isArray(errors) && errors.length === 0);
    return none ? undefined : { message: 'an error without a readable message' };
  }
  const path = safeParse(errorPathSchema, first);
  const at = path.success ? path.data.path.map(String).join('.') : '';
  return { message: first.message, ...(at ? { at } : {}) };
}

/** Upstream text we show users is redacted and bounded. */
const shortText = (text: string) => redactText(text).replace(/\s+/g, ' ').slice(0, 300);

export class XrayClient {
  readonly baseUrl: string;
  private readonly fingerprint: string;

  constructor(
    private readonly deps: XrayClientDeps,
    private readonly credentials: XrayCredentials,
    private readonly deadline?: Deadline,
  ) {
    this.baseUrl = XRAY_BASE_URLS[credentials.region];
    this.fingerprint = fingerprintOf(credentials);
    registerSecret(credentials.clientSecret);
  }

  get region(): XrayRegion {
    return this.credentials.region;
  }

  /** A bearer token for these credentials, from cache when still valid for 5 more minutes. */
  async token(): Promise<string> {
    const now = this.deps.now().getTime();
    const cached = tokenCache().get(this.fingerprint);
    if (cached) {
      try {
        const token = await cached;
        if (token.expiresAt - REFRESH_MARGIN_MS > now) return token.token;
      } catch {
        // a failed authenticate is not cached; fall through and try again
      }
    }
    const pending = this.loadOrAuthenticate(now);
    tokenCache().set(this.fingerprint, pending);
    pending.catch(() => tokenCache().delete(this.fingerprint));
    return (await pending).token;
  }

  /**
   * A fresh token after Xray answered 401 to `rejected` (expired by Xray's clock, or revoked: "your
   * authentication token may be revoked"). Requests that were in flight together with the same token
   * all get that 401; only the first authenticates again, the others share its promise — and none
   * of them deletes a token another one has just stored.
   */
  private async tokenAfterRejection(rejected: string): Promise<string> {
    const cache = tokenCache();
    const cached = cache.get(this.fingerprint);
    if (cached) {
      let current: CachedToken | undefined;
      try {
        current = await cached;
      } catch {
        current = undefined;
      }
      const latest = cache.get(this.fingerprint);
      // Replaced while we waited, or already a different token: someone refreshed it.
      if (latest && latest !== cached) return (await latest).token;
      if (current && current.token !== rejected) return current.token;
    }
    // The first to see the rejection: authenticate (never reload the stored token, which may be the
    // rejected one) and cache the promise before anything else can run.
    const store = this.deps.tokenStore;
    const pending = this.authenticate().then(async (fresh) => {
      if (store) await store.secrets.setSecret(store.key, JSON.stringify(fresh));
      return fresh;
    });
    cache.set(this.fingerprint, pending);
    pending.catch(() => {
      if (cache.get(this.fingerprint) === pending) cache.delete(this.fingerprint);
    });
    return (await pending).token;
  }

  private async loadOrAuthenticate(now: number): Promise<CachedToken> {
    const store = this.deps.tokenStore;
    if (store) {
      const raw = await store.secrets.getSecret(store.key);
      if (raw) {
        try {
          const stored = safeParse(cachedTokenSchema, JSON.parse(raw));
          if (
            stored.success &&
            stored.data.fingerprint === this.fingerprint &&
            stored.data.expiresAt - REFRESH_MARGIN_MS > now
          ) {
            registerSecret(stored.data.token);
            return stored.data;
          }
        } catch {
          // unreadable cache entry: authenticate again
        }
      }
    }
    const fresh = await this.authenticate();
    if (store) await store.secrets.setSecret(store.key, JSON.stringify(fresh));
    return fresh;
  }

  private async authenticate(): Promise<CachedToken> {
    const purpose = `Failed to authenticate with Xray (${this.credentials.region})`;
    const answer = await this.send(
      '/api/v2/authenticate',
      { client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret },
      undefined,
      purpose,
    );
    const { status, text } = answer;
    if (status === 200) {
      // Xray answers a JSON string; a bare token is taken as it is.
      const token = answer.json() ?? text;
      if (typeof token !== 'string' || token.split('.').length !== 3) {
        throw withPurpose('XRAY_API_ERROR', `${purpose} (Xray did not return a token)`);
      }
      registerSecret(token);
      const expiresAt = jwtExpiry(token) ?? this.deps.now().getTime() + 60 * 60_000;
      return { token, expiresAt, fingerprint: this.fingerprint };
    }
    if (looksLikeRegionError(text)) throw new AppError('XRAY_WRONG_REGION', { cause: shortText(text) });
    if ((status === 401 || status === 403) && looksLikeLicenseError(text)) {
      throw new AppError('XRAY_LICENSE_INVALID', { cause: shortText(text) });
    }
    if (status === 400 || status === 401 || status === 403) {
      throw new AppError('XRAY_AUTH_FAILED', { cause: shortText(text) });
    }
    throw withPurpose('XRAY_API_ERROR', purpose, {
      detail: `Xray answered ${statusLine(status)}.`,
      cause: shortText(text),
    });
  }

  /**
   * Runs one of the app's documents. Xray answers GraphQL errors as HTTP 200 with `errors`;
   * those become XRAY_API_ERROR carrying Xray's own (redacted, shortened) message.
   */
  async graphql<T>(
    name: XrayDocumentName,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    purpose: string,
    requestKind: RequestKind = 'safe',
  ): Promise<T> {
    return this.run(XRAY_DOCUMENTS[name], variables, schema, purpose, requestKind);
  }

  /** Runs a document built for one request by ./documents.ts (aliased mutations), like `graphql`. */
  async graphqlDocument<T>(
    document: XrayDynamicDocument,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    purpose: string,
    requestKind: RequestKind = 'safe',
  ): Promise<T> {
    return this.run(document.query, variables, schema, purpose, requestKind);
  }

  private async run<T>(
    query: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    purpose: string,
    requestKind: RequestKind,
  ): Promise<T> {
    let token = await this.token();
    for (let attempt = 1; ; attempt += 1) {
      const answer = await this.send('/api/v2/graphql', { query, variables }, token, purpose, requestKind);
      const { status, text } = answer;
      if (status === 401 && looksLikeRegionError(text)) {
        throw new AppError('XRAY_WRONG_REGION', { cause: shortText(text) });
      }
      if (status === 401 && attempt === 1) {
        // Expired (by Xray's clock) or revoked token: authenticate once more, shared with the
        // requests that got the same 401, and retry once.
        token = await this.tokenAfterRejection(token);
        continue;
      }
      if (status === 401 || status === 403) {
        if (looksLikeLicenseError(text))
          throw new AppError('XRAY_LICENSE_INVALID', { cause: shortText(text) });
        throw new AppError('XRAY_AUTH_FAILED', { cause: shortText(text) });
      }
      const json = answer.json();
      // Xray reports query errors as 200 + `errors` (with partial `data` when only some fields
      // failed), and invalid documents as 400 + `errors`. Either way the answer is not complete.
      const xrayError = firstGraphqlError(json);
      if (status !== 200 && !xrayError) {
        throw withPurpose('XRAY_API_ERROR', purpose, {
          detail: `Xray answered ${statusLine(status)}.`,
          cause: shortText(text),
        });
      }
      if (json === undefined) {
        throw withPurpose('XRAY_API_ERROR', `${purpose} (Xray sent an unreadable answer)`);
      }
      if (xrayError) {
        const where = xrayError.at ? ` (at ${shortText(xrayError.at)})` : '';
        throw new AppError('XRAY_API_ERROR', {
          message: `${purpose}: Xray said “${shortText(xrayError.message)}”${where}`,
        });
      }
      const data = safeParse(z.object({ data: schema }), json);
      if (!data.success) {
        throw withPurpose('XRAY_API_ERROR', `${purpose} (unexpected answer from Xray)`, {
          cause: data.error.message,
        });
      }
      return data.data.data;
    }
  }

  private async send(
    path: string,
    body: unknown,
    token: string | undefined,
    purpose: string,
    requestKind: RequestKind = 'safe',
  ): Promise<UpstreamAnswer> {
    const url = `${this.baseUrl}${path}`;
    const { budget } = this.deps;
    try {
      return await requestUpstream(
        (init) => this.deps.http.fetch(url, init),
        {
          method: 'POST',
          body,
          ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
          redirect: 'error',
        },
        {
          upstream: 'Xray',
          timeoutMs: XRAY_TIMEOUT_MS,
          maxAttempts: 3,
          requestKind,
          ...(this.deadline ? { deadline: this.deadline } : {}),
          beforeSend: (signal) => budget?.acquire(signal),
          onResponse: (response) => {
            if (response.status === 429) budget?.drain();
          },
        },
      );
    } catch (error) {
      throwIfRateLimited(error, purpose);
      if (!isUpstreamError(error)) throw error;
      // A 5xx, no answer, no connection after the retries: Xray's trouble, not the app's settings.
      throw withPurpose('XRAY_API_ERROR', purpose, {
        detail: `${failureOf(`Xray at ${new URL(url).host}`, error)}.`,
        remedy: upstreamTroubleRemedy('Xray'),
        cause: error,
      });
    }
  }
}
