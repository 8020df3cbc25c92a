/**
 * The SQAI simulator: the contract in docs/sqai-openapi.yaml (guide: docs/sqai-contract.md), stateful.
 *   GET    /v1/health                                 (token required)
 *   PUT    /v1/contexts/{cloudId}/{issueId}           (If-Match / If-None-Match, RFC 9110)
 *   DELETE /v1/contexts/{cloudId}/{issueId}
 *   POST   /v1/contexts:batch                         (≤ 50 items, ≤ 4 MiB; per-item results)
 *   DELETE /v1/tenants/{cloudId}[/projects/{projectId}]  (purges)
 *   POST   /v1/generations → 202 {id}                 (Idempotency-Key; update mode since 1.3.0: ./updates.ts)
 *   GET    /v1/generations/{id}                       (pending → running → succeeded)
 *   POST   /v1/coverage:classify                      (criteria each test likely proves: ./classify.ts)
 * Every error is an RFC 9457 problem; a token is bound to one cloudId (the first it is used with,
 * or the one given), and another site's path, document or request is 403 `wrong-tenant`. Every
 * request and response is validated against the OpenAPI document (./contract.ts).
 * Plus signed deliveries of finished generations to a web trigger (`deliver`, ./deliveries.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  classifyRequestSchema,
  generationRequestSchema,
  PROBLEM_TYPES,
  problemTypeOf,
  SQAI_CONTRACT_LIMITS,
  SQAI_CONTRACT_VERSION,
  type ProblemCode,
} from '../../../src/clients/sqai-schemas';
import { CONTEXT_SCHEMA_ID_PATTERN } from '../../../src/context/schema';
import {
  FaultInjector,
  header,
  json,
  RequestLog,
  serveSimulator,
  simulate,
  SimulatedNetworkError,
  type HttpSimulator,
  type ServedSimulator,
  type SimRequest,
  type SimResponse,
} from '../sim-kit';
import { recordViolation, registerViolationCheck, sqaiContract } from './contract';
import { classifyCoverage } from './classify';
import { deliverGeneration } from './deliveries';
import { generateTests, type GeneratedTest } from './generator';
import { newCriterionIds, proposeTestUpdates, type SimulatedTestUpdate } from './updates';

registerViolationCheck();

export const SQAI_MAX_BATCH = SQAI_CONTRACT_LIMITS.batchDocuments;
export const SQAI_MAX_BODY_BYTES = SQAI_CONTRACT_LIMITS.requestBodyBytes;

export interface StoredContext {
  cloudId: string;
  issueId: string;
  projectId: string;
  contentHash: string;
  document: Record<string, unknown>;
  version: number;
  receivedAt: string;
}

export interface Generation {
  id: string;
  cloudId: string;
  issueId: string;
  issueKey: string;
  contentHash: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  tests?: GeneratedTest[];
  /** Update mode (1.3.0): a verdict per requested test. */
  mode?: 'tests' | 'updates';
  updates?: SimulatedTestUpdate[];
  error?: string;
  polls: number;
  createdAt: string;
}

/** The few fields of a context document the simulator reads (the contract's schema is richer). */
const contextDocumentSchema = z
  .object({
    // Any minor version of major 1 (docs/sqai-contract.md "Evolution").
    schema: z.string().regex(CONTEXT_SCHEMA_ID_PATTERN),
    contentHash: z.string().min(1),
    source: z
      .object({
        cloudId: z.string(),
        issueId: z.string(),
        issueKey: z.string(),
        project: z.object({ id: z.string() }).loose(),
      })
      .loose(),
    requirement: z
      .object({
        summary: z.string(),
        description: z.string().nullish(),
        priority: z.string().nullish(),
        criteria: z.array(z.object({ id: z.string(), text: z.string() }).loose()).nullish(),
      })
      .loose(),
  })
  .loose();

/** A request as the contract defines it (the app's own schema, refinements included: 1.3.0 update mode). */
type GenerationRequestBody = z.infer<typeof generationRequestSchema>;

export interface SqaiSimulatorOptions {
  /** Accepted tokens, each bound to the first cloudId it is used with. */
  tokens: string[];
  /** Tokens bound to a cloudId from the start. */
  tokenSites?: Record<string, string>;
  /** Polls of a generation before it finishes (pending → running → succeeded). */
  pollsToFinish?: number;
  /** Keep whole documents (default) or only what identifies them (large benchmarks). */
  keepDocuments?: boolean;
  /** Validate every request and response against docs/sqai-openapi.yaml (default true). */
  validateContract?: boolean;
  now?: () => Date;
}

/** `RateLimit` (draft-ietf-httpapi-ratelimit-headers) the simulator sends while set. */
export interface SimulatedRateLimit {
  quota: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

export interface SqaiSimulator extends HttpSimulator {
  readonly contexts: Map<string, StoredContext>;
  /** `<cloudId>/<issueId>#<hash>` → documents with that content received (repeats are absorbed). */
  readonly deliveries: Map<string, number>;
  /** `<cloudId>/<issueId>#<hash>` → versions stored with that content (more than 1 would be a duplicate). */
  readonly versionsStored: Map<string, number>;
  readonly generations: Map<string, Generation>;
  /** `Idempotency-Key` → the body's fingerprint and the generation it created. */
  readonly idempotencyKeys: Map<string, { fingerprint: string; id: string }>;
  /** Purges received, in order (`<cloudId>` or `<cloudId>/projects/<projectId>`). */
  readonly purges: string[];
  /** Contract violations this simulator saw (also reported to the running test). */
  readonly violations: string[];
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  latencyMs: number;
  /** Set to send RateLimit headers (and answer 429 when `remaining` is spent). */
  rateLimit: SimulatedRateLimit | undefined;
  /** Requests with a body, newest last (what SQAI received), for inspection. */
  readonly received: {
    method: string;
    path: string;
    idempotencyKey?: string;
    ifMatch?: string;
    ifNoneMatch?: string;
    at: string;
  }[];
  failNext(spec: Parameters<FaultInjector['failNext']>[0]): void;
  /** `down`: every request fails like a refused connection. */
  setMode(mode: 'up' | 'down'): void;
  addToken(token: string, cloudId?: string): void;
  revokeToken(token: string): void;
  /** Writes a context as another writer would (no precondition), e.g. to make the app's If-Match stale. */
  store(document: Record<string, unknown>): void;
  /** POSTs a finished generation to a web trigger, signed like SQAI signs deliveries. */
  deliver(
    generationId: string,
    url: string,
    secret: string | readonly string[],
    send?: typeof fetch,
  ): Promise<Response>;
  serve(port?: number): Promise<ServedSimulator>;
  reset(): void;
}

/** Deliveries (Standard Webhooks signing, body, retries) live in ./deliveries.ts. */
export { deliverGeneration, deliveryHeaders, signDelivery, webTriggerHeaders } from './deliveries';

/** An RFC 9457 problem answer of the contract. */
export function problem(
  code: ProblemCode,
  detail?: string,
  extra: { headers?: Record<string, string>; members?: Record<string, unknown> } = {},
): SimResponse {
  const { status, title } = PROBLEM_TYPES[code];
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...extra.headers },
    body: JSON.stringify({
      type: problemTypeOf(code),
      title,
      status,
      ...(detail ? { detail } : {}),
      ...extra.members,
    }),
  };
}

const problemBody = (code: ProblemCode, detail?: string, members: Record<string, unknown> = {}) => ({
  type: problemTypeOf(code),
  title: PROBLEM_TYPES[code].title,
  status: PROBLEM_TYPES[code].status,
  ...(detail ? { detail } : {}),
  ...members,
});

const etag = (hash: string) => `"${hash}"`;
const fingerprintOf = (body: string) => createHash('sha256').update(body).digest('hex');

type WriteOutcome =
  | { status: 'created' | 'updated' | 'unchanged' }
  | { problem: ProblemCode; detail: string; current?: string };

export function createSqaiSimulator(options: SqaiSimulatorOptions): SqaiSimulator {
  const tokens = new Set(options.tokens);
  const tokenSites = new Map(Object.entries(options.tokenSites ?? {}));
  for (const token of tokenSites.keys()) tokens.add(token);
  const now = options.now ?? (() => new Date());
  const validate = options.validateContract !== false;
  const contexts = new Map<string, StoredContext>();
  /** `<cloudId>/<issueId>#<hash>` → how often a document with that content arrived / was stored as a new version. */
  const deliveries = new Map<string, number>();
  const versionsStored = new Map<string, number>();
  const generations = new Map<string, Generation>();
  const idempotencyKeys = new Map<string, { fingerprint: string; id: string }>();
  const purges: string[] = [];
  const violations: string[] = [];
  const faults = new FaultInjector();
  const log = new RequestLog();
  const received: SqaiSimulator['received'] = [];
  let mode: 'up' | 'down' = 'up';
  let nextGeneration = 1;
  const pollsToFinish = options.pollsToFinish ?? 2;

  const store = (document: z.infer<typeof contextDocumentSchema>, existing: StoredContext | undefined) => {
    const { cloudId, issueId } = document.source;
    const seen = `${cloudId}/${issueId}#${document.contentHash}`;
    versionsStored.set(seen, (versionsStored.get(seen) ?? 0) + 1);
    contexts.set(`${cloudId}/${issueId}`, {
      cloudId,
      issueId,
      projectId: document.source.project.id,
      contentHash: document.contentHash,
      document:
        options.keepDocuments === false
          ? {
              schema: document.schema,
              contentHash: document.contentHash,
              source: document.source,
              requirement: { summary: '' },
            }
          : document,
      version: (existing?.version ?? 0) + 1,
      receivedAt: now().toISOString(),
    });
  };

  /** One conditional write (PUT or a batch item), RFC 9110 §13.2.2 order: precondition, then write. */
  const write = (
    site: string,
    path: { cloudId: string; issueId: string } | undefined,
    raw: unknown,
    precondition: { ifMatch?: string; ifNoneMatch?: string },
  ): WriteOutcome => {
    const parsed = contextDocumentSchema.safeParse(raw);
    if (!parsed.success) {
      return { problem: 'invalid-document', detail: parsed.error.issues[0]?.message ?? 'invalid' };
    }
    const document = parsed.data;
    const { cloudId, issueId } = document.source;
    if (cloudId !== site || (path && path.cloudId !== cloudId)) {
      return { problem: 'wrong-tenant', detail: 'The document names another site than the token’s.' };
    }
    if (path && path.issueId !== issueId) {
      return { problem: 'invalid-document', detail: 'source.issueId is not the issue of the path.' };
    }
    if (Buffer.byteLength(JSON.stringify(document)) > SQAI_CONTRACT_LIMITS.documentBytes) {
      return { problem: 'content-too-large', detail: 'The document is over 256 KiB.' };
    }
    const key = `${cloudId}/${issueId}`;
    const seen = `${key}#${document.contentHash}`;
    deliveries.set(seen, (deliveries.get(seen) ?? 0) + 1);
    const existing = contexts.get(key);
    // Already applied (a repeat, or a retry after a lost answer): 2xx whatever the precondition.
    if (existing?.contentHash === document.contentHash) return { status: 'unchanged' };
    if (precondition.ifNoneMatch === '*') {
      if (existing) {
        return {
          problem: 'precondition-failed',
          detail: 'SQAI already holds a context for this issue.',
          current: existing.contentHash,
        };
      }
    } else if (precondition.ifMatch !== undefined) {
      if (!existing || existing.contentHash !== precondition.ifMatch) {
        return {
          problem: 'precondition-failed',
          detail: 'SQAI holds another version than If-Match names.',
          ...(existing ? { current: existing.contentHash } : {}),
        };
      }
    } else {
      return { problem: 'precondition-required', detail: 'Send If-Match or If-None-Match.' };
    }
    store(document, existing);
    return { status: existing ? 'updated' : 'created' };
  };

  const advance = (generation: Generation) => {
    generation.polls += 1;
    if (generation.status === 'pending') generation.status = 'running';
    else if (generation.status === 'running' && generation.polls >= pollsToFinish) {
      generation.status = 'succeeded';
    }
  };

  const createGeneration = (input: GenerationRequestBody): SimResponse => {
    const context = contexts.get(`${input.cloudId}/${input.issueId}`);
    if (!context || context.contentHash !== input.contentHash) {
      return problem('context-not-pushed', 'Push the context with this contentHash before asking for tests.');
    }
    const document = contextDocumentSchema.parse(context.document);
    const id = `gen-${String(nextGeneration++).padStart(5, '0')}`;
    const existingTitles = z
      .object({ xray: z.object({ tests: z.array(z.object({ summary: z.string() }).loose()) }).loose() })
      .loose()
      .safeParse(context.document);
    // Update mode: new tests only for the new criteria (none when no criterion is new).
    const updates = input.mode === 'updates' && input.updates ? input.updates : undefined;
    const focus = updates ? newCriterionIds(updates) : input.criterionIds;
    generations.set(id, {
      id,
      cloudId: input.cloudId,
      issueId: input.issueId,
      issueKey: input.issueKey,
      contentHash: input.contentHash,
      status: 'pending',
      ...(updates ? { mode: 'updates' as const, updates: proposeTestUpdates(updates) } : {}),
      tests:
        updates && focus?.length === 0
          ? []
          : generateTests(
              {
                issueKey: input.issueKey,
                summary: document.requirement.summary,
                description: document.requirement.description ?? '',
                ...(document.requirement.priority ? { priority: document.requirement.priority } : {}),
                ...(document.requirement.criteria
                  ? {
                      criteria: document.requirement.criteria.map((criterion) => ({
                        id: criterion.id,
                        text: criterion.text,
                      })),
                    }
                  : {}),
                ...(existingTitles.success
                  ? { existingTestTitles: existingTitles.data.xray.tests.map((test) => test.summary) }
                  : {}),
              },
              {
                testTypes: input.testTypes,
                maxTests: input.maxTests,
                ...(input.instructions ? { instructions: input.instructions } : {}),
                ...(focus ? { criterionIds: focus } : {}),
              },
            ),
      polls: 0,
      createdAt: now().toISOString(),
    });
    return json(202, { id });
  };

  const route = async (request: SimRequest, path: string): Promise<SimResponse> => {
    const method = request.method.toUpperCase();
    const auth = header(request, 'authorization') ?? '';
    const token = /^Bearer\s+(.+)$/.exec(auth)?.[1];
    if (!token || !tokens.has(token)) return problem('unauthorized');
    if (request.body && Buffer.byteLength(request.body) > SQAI_MAX_BODY_BYTES) {
      return problem('content-too-large', 'The request body is over 4 MiB.');
    }
    let body: unknown;
    if (request.body) {
      try {
        body = JSON.parse(request.body);
      } catch {
        return problem('invalid-request', 'The body is not JSON.');
      }
    }
    if (body !== undefined || method === 'DELETE') {
      const idempotencyKey = header(request, 'idempotency-key');
      const ifMatch = header(request, 'if-match');
      const ifNoneMatch = header(request, 'if-none-match');
      received.push({
        method,
        path,
        at: now().toISOString(),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(ifMatch ? { ifMatch } : {}),
        ...(ifNoneMatch ? { ifNoneMatch } : {}),
      });
    }
    /** The token's site: bound on first use with a site (trust on first use), fixed after. */
    const siteFor = (cloudId: string): string => {
      const bound = tokenSites.get(token);
      if (bound) return bound;
      tokenSites.set(token, cloudId);
      return cloudId;
    };

    if (method === 'GET' && path === '/v1/health') {
      return json(200, { status: 'ok', contractVersion: SQAI_CONTRACT_VERSION });
    }

    const contextMatch = /^\/v1\/contexts\/([^/]+)\/([^/]+)$/.exec(path);
    if (contextMatch) {
      const [, cloudId = '', issueId = ''] = contextMatch.map(decodeURIComponent);
      if (siteFor(cloudId) !== cloudId) return problem('wrong-tenant', 'The token is bound to another site.');
      if (method === 'DELETE') {
        contexts.delete(`${cloudId}/${issueId}`);
        for (const [id, generation] of generations) {
          if (generation.cloudId === cloudId && generation.issueId === issueId) generations.delete(id);
        }
        return { status: 204, headers: {}, body: '' };
      }
      if (method === 'PUT') {
        const ifMatch = /^"([0-9a-f]{64})"$/.exec(header(request, 'if-match') ?? '')?.[1];
        const ifNoneMatch = header(request, 'if-none-match');
        const outcome = write(cloudId, { cloudId, issueId }, body, {
          ...(ifMatch ? { ifMatch } : {}),
          ...(ifNoneMatch ? { ifNoneMatch } : {}),
        });
        if ('problem' in outcome) {
          return problem(outcome.problem, outcome.detail, {
            ...(outcome.current
              ? { headers: { etag: etag(outcome.current) }, members: { currentContentHash: outcome.current } }
              : {}),
          });
        }
        const held = contexts.get(`${cloudId}/${issueId}`)?.contentHash ?? '';
        return json(
          outcome.status === 'created' ? 201 : 200,
          { issueId, contentHash: held, status: outcome.status },
          { etag: etag(held) },
        );
      }
    }

    if (method === 'POST' && path === '/v1/contexts:batch') {
      const parsed = z
        .object({ items: z.array(z.object({ document: z.unknown() }).loose()).min(1) })
        .safeParse(body);
      if (!parsed.success) return problem('invalid-request', 'The body must be {"items": […]}.');
      if (parsed.data.items.length > SQAI_MAX_BATCH) {
        return problem('invalid-request', `At most ${SQAI_MAX_BATCH} items per batch.`);
      }
      const results = parsed.data.items.map((item) => {
        const ref = z
          .object({
            contentHash: z.string().catch(''),
            source: z.object({ cloudId: z.string(), issueId: z.string() }).loose(),
          })
          .loose()
          .safeParse(item.document);
        const issueId = ref.success ? ref.data.source.issueId : '0';
        const contentHash = ref.success ? ref.data.contentHash : '';
        if (!ref.success) {
          return {
            issueId,
            contentHash,
            status: 'failed',
            problem: problemBody('invalid-document', 'No source.'),
          };
        }
        const precondition = z
          .object({ ifMatch: z.string().optional(), ifNoneMatch: z.string().optional() })
          .parse(item);
        const outcome = write(siteFor(ref.data.source.cloudId), undefined, item.document, precondition);
        return 'problem' in outcome
          ? {
              issueId,
              contentHash,
              status: 'failed',
              problem: problemBody(
                outcome.problem,
                outcome.detail,
                outcome.current ? { currentContentHash: outcome.current } : {},
              ),
            }
          : { issueId, contentHash, status: outcome.status };
      });
      return json(200, { results });
    }

    const tenantMatch = /^\/v1\/tenants\/([^/]+)(?:\/projects\/(\d+))?$/.exec(path);
    if (tenantMatch && method === 'DELETE') {
      const cloudId = decodeURIComponent(tenantMatch[1] ?? '');
      const projectId = tenantMatch[2];
      if (siteFor(cloudId) !== cloudId) return problem('wrong-tenant', 'The token is bound to another site.');
      let deleted = 0;
      for (const [key, context] of contexts) {
        if (context.cloudId !== cloudId || (projectId && context.projectId !== projectId)) continue;
        contexts.delete(key);
        deleted += 1;
        for (const [id, generation] of generations) {
          if (generation.cloudId === cloudId && generation.issueId === context.issueId)
            generations.delete(id);
        }
      }
      purges.push(projectId ? `${cloudId}/projects/${projectId}` : cloudId);
      return json(202, { status: 'accepted', deleted });
    }

    if (method === 'POST' && path === '/v1/generations') {
      const parsed = generationRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return problem(
          'invalid-request',
          `The body is not a generation request (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).`,
        );
      }
      const input = parsed.data;
      if (siteFor(input.cloudId) !== input.cloudId) {
        return problem('wrong-tenant', 'The token is bound to another site.');
      }
      const key = header(request, 'idempotency-key');
      if (!key) return problem('invalid-request', 'Idempotency-Key is required.');
      const fingerprint = fingerprintOf(request.body ?? '');
      const previous = idempotencyKeys.get(`${token}\u0000${key}`);
      if (previous) {
        return previous.fingerprint === fingerprint
          ? json(202, { id: previous.id })
          : problem('idempotency-key-reused', 'This Idempotency-Key came with another body.');
      }
      const response = createGeneration(input);
      if (response.status === 202) {
        const { id } = z.object({ id: z.string() }).parse(JSON.parse(response.body));
        idempotencyKeys.set(`${token}\u0000${key}`, { fingerprint, id });
      }
      return response;
    }

    if (method === 'POST' && path === '/v1/coverage:classify') {
      const parsed = classifyRequestSchema.safeParse(body);
      if (!parsed.success) return problem('invalid-request', 'The body is not a classification request.');
      if (siteFor(parsed.data.cloudId) !== parsed.data.cloudId) {
        return problem('wrong-tenant', 'The token is bound to another site.');
      }
      return json(200, classifyCoverage(parsed.data));
    }

    const generationMatch = /^\/v1\/generations\/([^/]+)$/.exec(path);
    if (generationMatch && method === 'GET') {
      const generation = generations.get(decodeURIComponent(generationMatch[1] ?? ''));
      // Another site's generation is not found (never "forbidden": that would confirm it exists).
      if (!generation || siteFor(generation.cloudId) !== generation.cloudId) {
        return problem('not-found', 'No such generation.');
      }
      advance(generation);
      const {
        polls: _polls,
        cloudId: _c,
        issueId: _i,
        issueKey: _k,
        contentHash: _h,
        createdAt: _a,
        mode: _m,
        ...visible
      } = generation;
      return json(
        200,
        visible.status === 'succeeded' ? visible : { ...visible, tests: undefined, updates: undefined },
      );
    }

    return problem('not-found', `No route for ${method} ${path}.`);
  };

  /** RateLimit headers while a limit is set; 429 once it is spent. */
  const rateLimited = (run: () => Promise<SimResponse>) => async (): Promise<SimResponse> => {
    const limit = simulator.rateLimit;
    if (!limit) return run();
    const headers = {
      'ratelimit-policy': `"default";q=${limit.quota};w=${limit.windowSeconds}`,
      ratelimit: `"default";r=${Math.max(0, limit.remaining - 1)};t=${limit.resetSeconds}`,
    };
    if (limit.remaining <= 0) {
      return problem('rate-limited', 'Quota spent.', {
        headers: {
          ...headers,
          ratelimit: `"default";r=0;t=${limit.resetSeconds}`,
          'retry-after': String(limit.resetSeconds),
        },
      });
    }
    limit.remaining -= 1;
    const response = await run();
    return { ...response, headers: { ...response.headers, ...headers } };
  };

  /** Checks the exchange against the contract; a mismatch is a violation (it fails the running test). */
  const checked = async (
    request: SimRequest,
    path: string,
  ): Promise<SimResponse & { operation?: string }> => {
    if (!validate) return route(request, path);
    const contract = await sqaiContract();
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const method = request.method.toUpperCase();
    const where = `${method} ${path}`;
    const check = contract.checkRequest({
      method,
      path,
      headers,
      ...(request.body ? { body: request.body } : {}),
    });
    const violation = (text: string) => {
      violations.push(text);
      recordViolation(text);
    };
    if (check.problems.length > 0) violation(`request ${where}: ${check.problems.join('; ')}`);
    const response = await rateLimited(() => route(request, path))();
    if (check.operationId) {
      const problems = contract.checkResponse(check.operationId, response);
      if (problems.length > 0) violation(`response to ${where} (${response.status}): ${problems.join('; ')}`);
    }
    return { ...response, ...(check.operationId ? { operation: check.operationId } : {}) };
  };

  const simulator: SqaiSimulator = {
    contexts,
    deliveries,
    versionsStored,
    generations,
    idempotencyKeys,
    purges,
    violations,
    faults,
    log,
    received,
    latencyMs: 0,
    rateLimit: undefined,
    async handle(request) {
      const url = new URL(request.url, 'https://api.sqai-suite.com');
      // Paths are relative to the endpoint the admin entered, which may have a path of its own
      // (`https://host/tenant/acme`): the operation is what follows it.
      const path = url.pathname.replace(/\/+$/, '').replace(/^\/.+?(?=\/v1(?:\/|$))/, '') || '/';
      return simulate({ faults, log, latencyMs: () => simulator.latencyMs }, request, path, async () => {
        if (mode === 'down') throw new SimulatedNetworkError('reset');
        return checked(request, path);
      });
    },
    failNext: (spec) => faults.failNext(spec),
    setMode(next) {
      mode = next;
    },
    addToken: (token, cloudId) => {
      tokens.add(token);
      if (cloudId) tokenSites.set(token, cloudId);
    },
    revokeToken: (token) => void tokens.delete(token),
    store(raw) {
      const document = contextDocumentSchema.parse(raw);
      store(document, contexts.get(`${document.source.cloudId}/${document.source.issueId}`));
    },
    async deliver(generationId, url, secret, send = fetch) {
      const generation = generations.get(generationId);
      if (!generation) throw new Error(`No generation ${generationId}`);
      generation.status = 'succeeded';
      const { polls: _polls, contentHash: _hash, createdAt: _created, mode: _mode, ...visible } = generation;
      // The delivery and the app's answer are checked against the contract's `sqaiDelivery` webhook.
      const checkedSend: typeof fetch = async (target, init) => {
        const response = await send(target, init);
        if (validate && typeof response.clone === 'function') {
          const contract = await sqaiContract();
          const headers = Object.fromEntries(
            Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [
              k.toLowerCase(),
              v,
            ]),
          );
          const body = typeof init?.body === 'string' ? init.body : '';
          const problems = contract.checkDelivery(
            { headers, body },
            { status: response.status, body: await response.clone().text() },
          );
          for (const problem of problems) {
            violations.push(problem);
            recordViolation(problem);
          }
        }
        return response;
      };
      return deliverGeneration({ ...visible, status: 'succeeded' }, url, secret, { send: checkedSend, now });
    },
    serve: (port) => serveSimulator((request) => simulator.handle(request), port ? { port } : {}),
    reset() {
      contexts.clear();
      deliveries.clear();
      versionsStored.clear();
      generations.clear();
      idempotencyKeys.clear();
      purges.length = 0;
      violations.length = 0;
      faults.clear();
      log.clear();
      received.length = 0;
      mode = 'up';
      simulator.latencyMs = 0;
      simulator.rateLimit = undefined;
    },
  };
  return simulator;
}
