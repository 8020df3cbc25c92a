/**
 * What every simulator shares: the request/response shapes, fault injection, added latency, the
 * request log, and serving a simulator alone on a random port (for tests that want real HTTP).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../../src/platform/sleep';

export interface SimRequest {
  method: string;
  /** Absolute URL (Xray, SQAI) or path + query (Jira). */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpSimulator {
  handle(request: SimRequest): Promise<SimResponse>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const text = (status: number, body: string, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

/** Lower-cased header lookup. */
export function header(request: SimRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

// ---------- faults ----------

export interface FaultSpec {
  /** Matches the request path (+ query); a string is a substring. Absent: every request. */
  path?: RegExp | string;
  method?: string;
  /** Answer with this status (and body / content type / headers). */
  status?: number;
  body?: string | Record<string, unknown>;
  contentType?: string;
  headers?: Record<string, string>;
  /** Never answer (until the caller gives up). */
  timeout?: boolean;
  /** Drop the connection (the caller sees a network error). */
  reset?: boolean;
  /** How many matching requests it applies to (default: unlimited when `rate` is set, else 1). */
  count?: number;
  /** Probability 0..1 that a matching request is hit (default 1). */
  rate?: number;
  /** Matches the request body too (e.g. /mutation CreateTest/). */
  bodyMatch?: RegExp;
  /** Let this many matching requests through before the fault applies (e.g. 2 = the 3rd fails). */
  skip?: number;
  /** The service does the work, then the answer is lost (the fault replaces the real response). */
  lose?: boolean;
}

export class SimulatedNetworkError extends TypeError {
  constructor(readonly kind: 'reset' | 'timeout') {
    super(kind === 'reset' ? 'fetch failed (connection reset)' : 'fetch failed (timed out)');
  }
}

interface ActiveFault extends FaultSpec {
  remaining: number;
  skipped: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  /** Deterministic "randomness" for `rate`, so a test run is repeatable. */
  private seed = 42;

  add(spec: FaultSpec): void {
    const remaining = spec.count ?? (spec.rate !== undefined ? Number.POSITIVE_INFINITY : 1);
    this.faults.push({ ...spec, remaining, skipped: 0 });
  }

  /** One failure for the next matching request. */
  failNext(spec: FaultSpec): void {
    this.add({ ...spec, count: spec.count ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  get pending(): number {
    return this.faults.length;
  }

  private random(): number {
    // mulberry32
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The fault to apply to this request, if any (consumes one count). */
  take(method: string, path: string, body = ''): FaultSpec | undefined {
    for (const fault of this.faults) {
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) continue;
      if (fault.path !== undefined) {
        const hit = typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path);
        if (!hit) continue;
      }
      if (fault.bodyMatch && !fault.bodyMatch.test(body)) continue;
      if (fault.skip !== undefined && fault.skipped < fault.skip) {
        fault.skipped += 1;
        continue;
      }
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault;
    }
    return undefined;
  }
}

/** Applies a fault: resolves a response, or rejects like a dropped / hung connection. */
export async function applyFault(fault: FaultSpec, signal?: AbortSignal): Promise<SimResponse> {
  if (fault.reset) throw new SimulatedNetworkError('reset');
  if (fault.timeout) {
    // Hang until the caller aborts (or a generous ceiling, so nothing leaks forever).
    await sleep(120_000, signal).catch(() => undefined);
    throw new SimulatedNetworkError('timeout');
  }
  const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {});
  const contentType =
    fault.contentType ?? (typeof fault.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
  return { status: fault.status ?? 500, headers: { 'content-type': contentType, ...fault.headers }, body };
}

// ---------- request log ----------

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Jira: the OpenAPI operationId; Xray: the GraphQL operation / root fields; SQAI: the route. */
  operation?: string;
  /** Whether a fault answered instead of the simulator. */
  fault?: boolean;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  record(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > 5_000) this.entries.splice(0, this.entries.length - 5_000);
  }
  clear(): void {
    this.entries.length = 0;
  }
}

/**
 * The shared wrapper of every simulator's `handle`: latency, faults, logging. `run` does the real work.
 */
export async function simulate(
  options: { faults: FaultInjector; log: RequestLog; latencyMs: () => number },
  request: SimRequest,
  path: string,
  run: () => Promise<SimResponse & { operation?: string }>,
): Promise<SimResponse> {
  const started = Date.now();
  const latency = options.latencyMs();
  if (latency > 0) await sleep(latency, request.signal);
  const fault = options.faults.take(request.method, path, request.body);
  let response: SimResponse & { operation?: string };
  try {
    if (fault?.lose) await run();
    response = fault ? await applyFault(fault, request.signal) : await run();
  } catch (error) {
    options.log.record({
      at: new Date(started).toISOString(),
      method: request.method,
      path,
      status: 0,
      durationMs: Date.now() - started,
      fault: Boolean(fault),
    });
    throw error;
  }
  options.log.record({
    at: new Date(started).toISOString(),
    method: request.method,
    path,
    status: response.status,
    durationMs: Date.now() - started,
    ...(response.operation ? { operation: response.operation } : {}),
    ...(fault ? { fault: true } : {}),
  });
  const { operation: _operation, ...plain } = response;
  return plain;
}

// ---------- serving alone ----------

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export interface ServedSimulator {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a simulator on 127.0.0.1 (random port unless given). The request URL handed to `handle`
 * is rebuilt with `publicOrigin` (e.g. https://xray.cloud.getxray.app) so host-based routing works.
 */
export async function serveSimulator(
  handle: (request: SimRequest, raw: IncomingMessage) => Promise<SimResponse>,
  options: { port?: number; publicOrigin?: (req: IncomingMessage) => string } = {},
): Promise<ServedSimulator> {
  const server = createServer((req, res) => {
    const run = async () => {
      const body = await readBody(req);
      const origin = options.publicOrigin?.(req) ?? `http://${req.headers.host ?? '127.0.0.1'}`;
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[key] = value;
      }
      const response = await handle(
        {
          method: req.method ?? 'GET',
          url: `${origin}${req.url ?? '/'}`,
          headers,
          ...(body ? { body } : {}),
        },
        req,
      );
      res.writeHead(response.status, response.headers);
      res.end(response.status === 204 ? undefined : response.body);
    };
    run().catch((error: unknown) => {
      if (error instanceof SimulatedNetworkError) {
        req.socket.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : 'simulator failure');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
