/**
 * The SQAI simulator: the contract in docs/sqai-contract.md (DESIGN.md §5), stateful.
 *   GET  /v1/health
 *   PUT  /v1/contexts/{cloudId}/{issueId}     (Idempotency-Key honoured)
 *   POST /v1/contexts:batch                   (≤ 50 documents, ≤ 4 MB → 413)
 *   POST /v1/generations → 202 {id};  GET /v1/generations/{id} (pending → running → succeeded)
 * plus signed deliveries of finished generations to a web trigger (`deliver`).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
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
import { generateTests, type GeneratedTest } from './generator';

export const SQAI_MAX_BATCH = 50;
export const SQAI_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface StoredContext {
  cloudId: string;
  issueId: string;
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
  error?: string;
  polls: number;
  createdAt: string;
}

const generationRequestSchema = z.object({
  cloudId: z.string().min(1),
  issueId: z.string().min(1),
  issueKey: z.string().min(1),
  contentHash: z.string().min(1),
  previousContentHash: z.string().optional(),
  testTypes: z.array(z.enum(['Manual', 'Cucumber', 'Generic'])).min(1),
  maxTests: z.number().int().min(1).max(50),
  instructions: z.string().max(4000).optional(),
});

/** The few fields of a context document the simulator reads (the app's schema is richer). */
const contextDocumentSchema = z
  .object({
    schema: z.literal('sqai.context/v1'),
    contentHash: z.string().min(1),
    source: z.object({ cloudId: z.string(), issueId: z.string(), issueKey: z.string() }).loose(),
    requirement: z
      .object({
        summary: z.string(),
        description: z.string().nullish(),
        priority: z.string().nullish(),
      })
      .loose(),
  })
  .loose();

export interface SqaiSimulatorOptions {
  tokens: string[];
  /** Polls of a generation before it finishes (pending → running → succeeded). */
  pollsToFinish?: number;
  /** Keep whole documents (default) or only what identifies them (large benchmarks). */
  keepDocuments?: boolean;
  now?: () => Date;
}

export interface SqaiSimulator extends HttpSimulator {
  readonly contexts: Map<string, StoredContext>;
  /** `<cloudId>/<issueId>#<hash>` → documents with that content received (repeats are absorbed). */
  readonly deliveries: Map<string, number>;
  /** `<cloudId>/<issueId>#<hash>` → versions stored with that content (more than 1 would be a duplicate). */
  readonly versionsStored: Map<string, number>;
  readonly generations: Map<string, Generation>;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  latencyMs: number;
  /** Requests with a body, newest last (what SQAI received), for inspection. */
  readonly received: { method: string; path: string; idempotencyKey?: string; at: string }[];
  failNext(spec: Parameters<FaultInjector['failNext']>[0]): void;
  /** `down`: every request fails like a refused connection. */
  setMode(mode: 'up' | 'down'): void;
  addToken(token: string): void;
  revokeToken(token: string): void;
  /** POSTs a finished generation to a web trigger, signed like SQAI signs deliveries. */
  deliver(generationId: string, url: string, secret: string, send?: typeof fetch): Promise<Response>;
  serve(port?: number): Promise<ServedSimulator>;
  reset(): void;
}

/** `X-SQAI-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function signDelivery(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

const problem = (status: number, message: string, extra: Record<string, string> = {}) =>
  json(status, { error: message }, extra);

export function createSqaiSimulator(options: SqaiSimulatorOptions): SqaiSimulator {
  const tokens = new Set(options.tokens);
  const now = options.now ?? (() => new Date());
  const contexts = new Map<string, StoredContext>();
  /** `<cloudId>/<issueId>#<hash>` → how often a document with that content arrived / was stored as a new version. */
  const deliveries = new Map<string, number>();
  const versionsStored = new Map<string, number>();
  const generations = new Map<string, Generation>();
  const faults = new FaultInjector();
  const log = new RequestLog();
  const received: SqaiSimulator['received'] = [];
  let mode: 'up' | 'down' = 'up';
  let nextGeneration = 1;
  const pollsToFinish = options.pollsToFinish ?? 2;

  const upsert = (
    cloudId: string,
    issueId: string,
    document: unknown,
    idempotencyKey: string | undefined,
  ): { status: 'created' | 'updated' | 'unchanged' } | { error: string } => {
    const parsed = contextDocumentSchema.safeParse(document);
    if (!parsed.success)
      return { error: `Invalid context document: ${parsed.error.issues[0]?.message ?? ''}` };
    if (parsed.data.source.issueId !== issueId || parsed.data.source.cloudId !== cloudId) {
      return { error: 'The document’s source does not match the URL' };
    }
    const key = `${cloudId}/${issueId}`;
    const existing = contexts.get(key);
    const hash = idempotencyKey ?? parsed.data.contentHash;
    const seen = `${key}#${hash}`;
    deliveries.set(seen, (deliveries.get(seen) ?? 0) + 1);
    if (existing && existing.contentHash === hash) return { status: 'unchanged' };
    versionsStored.set(seen, (versionsStored.get(seen) ?? 0) + 1);
    contexts.set(key, {
      cloudId,
      issueId,
      contentHash: hash,
      document:
        options.keepDocuments === false
          ? {
              schema: parsed.data.schema,
              contentHash: parsed.data.contentHash,
              source: parsed.data.source,
              requirement: { summary: '' },
            }
          : parsed.data,
      version: (existing?.version ?? 0) + 1,
      receivedAt: now().toISOString(),
    });
    return { status: existing ? 'updated' : 'created' };
  };

  const advance = (generation: Generation) => {
    generation.polls += 1;
    if (generation.status === 'pending') generation.status = 'running';
    else if (generation.status === 'running' && generation.polls >= pollsToFinish) {
      generation.status = 'succeeded';
    }
  };

  const route = async (request: SimRequest, path: string): Promise<SimResponse & { operation?: string }> => {
    const auth = header(request, 'authorization') ?? '';
    const token = /^Bearer\s+(.+)$/.exec(auth)?.[1];
    if (!token || !tokens.has(token)) return problem(401, 'Invalid or missing API token');
    const method = request.method.toUpperCase();
    if (request.body && Buffer.byteLength(request.body) > SQAI_MAX_BODY_BYTES) {
      return { ...problem(413, 'Request body exceeds 4 MB'), operation: 'tooLarge' };
    }
    let body: unknown;
    if (request.body) {
      try {
        body = JSON.parse(request.body);
      } catch {
        return problem(400, 'Body is not valid JSON');
      }
    }
    if (body !== undefined) {
      received.push({
        method,
        path,
        at: now().toISOString(),
        ...(header(request, 'idempotency-key') ? { idempotencyKey: header(request, 'idempotency-key') } : {}),
      });
    }

    if (method === 'GET' && path === '/v1/health')
      return { ...json(200, { status: 'ok' }), operation: 'health' };

    const contextMatch = /^\/v1\/contexts\/([^/]+)\/([^/]+)$/.exec(path);
    if (contextMatch && method === 'PUT') {
      const [, cloudId = '', issueId = ''] = contextMatch.map(decodeURIComponent);
      const result = upsert(cloudId, issueId, body, header(request, 'idempotency-key'));
      if ('error' in result) return { ...problem(400, result.error), operation: 'putContext' };
      const status = result.status === 'created' ? 201 : result.status === 'updated' ? 200 : 204;
      return {
        status,
        headers: { 'content-type': 'application/json' },
        body: status === 204 ? '' : JSON.stringify({ issueId, status: result.status }),
        operation: 'putContext',
      };
    }
    if (contextMatch && method === 'GET') {
      const [, cloudId = '', issueId = ''] = contextMatch.map(decodeURIComponent);
      const stored = contexts.get(`${cloudId}/${issueId}`);
      return stored ? json(200, stored.document) : problem(404, 'No such context');
    }

    if (method === 'POST' && path === '/v1/contexts:batch') {
      const parsed = z.object({ documents: z.array(z.unknown()) }).safeParse(body);
      if (!parsed.success) return problem(400, 'Body must be {"documents":[…]}');
      if (parsed.data.documents.length > SQAI_MAX_BATCH) {
        return { ...problem(413, `At most ${SQAI_MAX_BATCH} documents per batch`), operation: 'batch' };
      }
      const results = parsed.data.documents.map((document) => {
        const source = z
          .object({ source: z.object({ cloudId: z.string(), issueId: z.string() }).loose() })
          .loose()
          .safeParse(document);
        if (!source.success) return { issueId: '', status: 'failed', error: 'Missing source' };
        const { cloudId, issueId } = source.data.source;
        const result = upsert(cloudId, issueId, document, undefined);
        return 'error' in result
          ? { issueId, status: 'failed', error: result.error }
          : { issueId, status: result.status };
      });
      return { ...json(200, { results }), operation: 'batch' };
    }

    if (method === 'POST' && path === '/v1/generations') {
      const parsed = generationRequestSchema.safeParse(body);
      if (!parsed.success) {
        return problem(400, `Invalid generation request: ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
      }
      const input = parsed.data;
      const context = contexts.get(`${input.cloudId}/${input.issueId}`);
      if (!context || context.contentHash !== input.contentHash) {
        return problem(409, 'Push the context with this contentHash before asking for a generation');
      }
      const document = contextDocumentSchema.parse(context.document);
      const id = `gen-${String(nextGeneration++).padStart(5, '0')}`;
      const existingTitles = z
        .object({ xray: z.object({ tests: z.array(z.object({ summary: z.string() }).loose()) }).loose() })
        .loose()
        .safeParse(context.document);
      generations.set(id, {
        id,
        cloudId: input.cloudId,
        issueId: input.issueId,
        issueKey: input.issueKey,
        contentHash: input.contentHash,
        status: 'pending',
        tests: generateTests(
          {
            issueKey: input.issueKey,
            summary: document.requirement.summary,
            description: document.requirement.description ?? '',
            ...(document.requirement.priority ? { priority: document.requirement.priority } : {}),
            ...(existingTitles.success
              ? { existingTestTitles: existingTitles.data.xray.tests.map((test) => test.summary) }
              : {}),
          },
          {
            testTypes: input.testTypes,
            maxTests: input.maxTests,
            ...(input.instructions ? { instructions: input.instructions } : {}),
          },
        ),
        polls: 0,
        createdAt: now().toISOString(),
      });
      return { ...json(202, { id }), operation: 'createGeneration' };
    }

    const generationMatch = /^\/v1\/generations\/([^/]+)$/.exec(path);
    if (generationMatch && method === 'GET') {
      const generation = generations.get(decodeURIComponent(generationMatch[1] ?? ''));
      if (!generation) return problem(404, 'No such generation');
      advance(generation);
      const { polls: _polls, ...visible } = generation;
      return {
        ...json(200, visible.status === 'succeeded' ? visible : { ...visible, tests: undefined }),
        operation: 'getGeneration',
      };
    }

    return problem(404, `No route for ${method} ${path}`);
  };

  const simulator: SqaiSimulator = {
    contexts,
    deliveries,
    versionsStored,
    generations,
    faults,
    log,
    received,
    latencyMs: 0,
    async handle(request) {
      const url = new URL(request.url, 'https://api.sqai-suite.com');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      return simulate({ faults, log, latencyMs: () => simulator.latencyMs }, request, path, async () => {
        if (mode === 'down') throw new SimulatedNetworkError('reset');
        return route(request, path);
      });
    },
    failNext: (spec) => faults.failNext(spec),
    setMode(next) {
      mode = next;
    },
    addToken: (token) => void tokens.add(token),
    revokeToken: (token) => void tokens.delete(token),
    async deliver(generationId, url, secret, send = fetch) {
      const generation = generations.get(generationId);
      if (!generation) throw new Error(`No generation ${generationId}`);
      generation.status = 'succeeded';
      const { polls: _polls, ...visible } = generation;
      const body = JSON.stringify({
        deliveryId: `dlv-${randomUUID()}`,
        type: 'generation.succeeded',
        generation: visible,
      });
      const signature = signDelivery(secret, body, Math.floor(now().getTime() / 1000));
      return send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sqai-signature': signature },
        body,
      });
    },
    serve: (port) => serveSimulator((request) => simulator.handle(request), port ? { port } : {}),
    reset() {
      contexts.clear();
      deliveries.clear();
      versionsStored.clear();
      generations.clear();
      faults.clear();
      log.clear();
      received.length = 0;
      mode = 'up';
      simulator.latencyMs = 0;
    },
  };
  return simulator;
}
