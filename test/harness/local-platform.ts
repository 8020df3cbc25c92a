/**
 * Local adapters for the ports (DESIGN.md §3): what the playground and the tests give the real
 * handlers instead of Forge. Production code cannot tell the difference.
 *
 * - KVS and secret store: in memory, optionally persisted to a JSON file.
 * - Http: routes the real Xray hosts and the SQAI host to the simulators; any host outside the
 *   manifest's egress (and not approved by an "admin") gets the 403 + `forge-proxy-error` answer
 *   Forge gives; anything else fails like a refused connection (there is no network here).
 * - Jira: the Jira simulator, acting as the app or as the invoking user (from the invocation scope).
 * - Confluence: the Confluence simulator, the same way (an empty site when none is given).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EgressFilteringService } from '@forge/egress';
import { ForgeKvsAPIError } from '@forge/kvs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type {
  EgressPolicy,
  HttpRequestInit,
  HttpResponse,
  JiraActor,
  KeyValueStore,
  Log,
  LogFields,
  Platform,
  SecretStore,
} from '../../src/platform/ports';
import { createLog } from '../../src/platform/log';
import { sleep } from '../../src/platform/sleep';
import { createConfluenceSimulator, type ConfluenceRequest } from './confluence-sim/simulator';
import { ConfluenceStore } from './confluence-sim/store';
import { repoRoot } from './contracts';
import { LocalQueue } from './local-queue';
import type { HttpSimulator, SimResponse } from './sim-kit';

export type { HttpSimulator, SimResponse } from './sim-kit';

export interface JiraSimulatorLike {
  handle(request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    actor: { as: 'user' | 'app'; accountId?: string };
    signal?: AbortSignal;
  }): Promise<SimResponse>;
}

export interface ConfluenceSimulatorLike {
  handle(request: ConfluenceRequest): Promise<SimResponse>;
}

/** Who is invoking: set around each handler call, read by the Jira transport for asUser. */
export interface InvocationScope {
  accountId?: string;
}
export const invocationScope = new AsyncLocalStorage<InvocationScope>();

export function toHttpResponse(response: SimResponse): HttpResponse {
  const nullBody = response.status === 204 || response.status === 304;
  return new Response(nullBody ? null : response.body, {
    status: response.status,
    headers: response.headers,
  });
}

// ---------- storage ----------

/**
 * Forge's key-value store rules (developer.atlassian.com, "Error handling for the Key-Value Store"):
 * keys of 2–500 characters matching its pattern, values of at most 240 KiB and 32 levels deep. The
 * in-memory stores refuse what Forge would, so a test sees the write that would fail in production.
 */
const FORGE_KEY = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const FORGE_MAX_VALUE_BYTES = 240 * 1024;
const FORGE_MAX_DEPTH = 32;

function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop() ?? { node: null, depth: 0 };
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return deepest;
}

/**
 * What `@forge/kvs` throws for a write Forge answers with 400 and an error code: a ForgeKvsAPIError
 * carrying that `code` (the message starts with it too, and says what was refused).
 */
function refused(code: string, detail: string): ForgeKvsAPIError {
  return new ForgeKvsAPIError(
    { status: 400, statusText: 'Bad Request' },
    { code, message: `${code}: ${detail}` },
  );
}

export function checkForgeStorageWrite(key: string, value: unknown): void {
  if (key.length < 2) throw refused('KEY_TOO_SHORT', `"${key}"`);
  if (key.length > 500) throw refused('KEY_TOO_LONG', `${key.length} characters`);
  if (!FORGE_KEY.test(key)) throw refused('INVALID_KEY', `"${key.slice(0, 80)}"`);
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  if (bytes > FORGE_MAX_VALUE_BYTES) throw refused('MAX_SIZE', `${key} would hold ${bytes} bytes`);
  if (depthOf(value) > FORGE_MAX_DEPTH) throw refused('MAX_DEPTH', `${key} is nested deeper than 32`);
}

/**
 * What a store has been asked to do, and how long each call takes: Forge storage is a network
 * service, so every call is a round trip (the resolver budget tests set `latencyMs`); Forge also
 * meters reads and writes per installation (docs/forge-fidelity.md, rule 15).
 */
export class StorageMeter {
  reads = 0;
  writes = 0;
  latencyMs = 0;
  async read(): Promise<void> {
    this.reads += 1;
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }
  async write(): Promise<void> {
    this.writes += 1;
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  readonly meter = new StorageMeter();
  constructor(private readonly onChange?: () => void) {}

  async get(key: string): Promise<unknown> {
    await this.meter.read();
    const value = this.data.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }
  async set(key: string, value: unknown): Promise<void> {
    await this.meter.write();
    checkForgeStorageWrite(key, value);
    // Forge stores JSON: anything that does not survive JSON is a bug the tests should see.
    this.data.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    this.onChange?.();
  }
  async delete(key: string): Promise<void> {
    await this.meter.write();
    this.data.delete(key);
    this.onChange?.();
  }
  async claim(key: string, value: unknown): Promise<boolean> {
    await this.meter.write();
    checkForgeStorageWrite(key, value);
    // Check and write with no await between them: atomic, as Forge's FAIL_IF_EXISTS is.
    if (this.data.has(key)) return false;
    this.data.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    this.onChange?.();
    return true;
  }
  async query(prefix: string, options: { limit?: number; cursor?: string } = {}) {
    await this.meter.read();
    const limit = Math.min(options.limit ?? 20, 100);
    const keys = [...this.data.keys()].filter((key) => key.startsWith(prefix)).sort();
    const start = options.cursor ? keys.findIndex((key) => key > (options.cursor ?? '')) : 0;
    const slice = start < 0 ? [] : keys.slice(start, start + limit);
    const last = slice.at(-1);
    const more = start >= 0 && start + limit < keys.length;
    return {
      entries: slice.map((key) => ({ key, value: structuredClone(this.data.get(key)) })),
      ...(more && last ? { cursor: last } : {}),
    };
  }
}

export class MemorySecretStore implements SecretStore {
  readonly data = new Map<string, string>();
  readonly meter = new StorageMeter();
  private readonly writeListeners: ((key: string, value: string) => void)[] = [];
  constructor(private readonly onChange?: () => void) {}
  /** Calls `listener` with every value written from now on (the test suite's secret scan). */
  onWrite(listener: (key: string, value: string) => void): void {
    this.writeListeners.push(listener);
  }
  async getSecret(key: string) {
    await this.meter.read();
    return this.data.get(key);
  }
  async setSecret(key: string, value: string) {
    await this.meter.write();
    checkForgeStorageWrite(key, value);
    for (const listener of this.writeListeners) listener(key, value);
    this.data.set(key, value);
    this.onChange?.();
  }
  async deleteSecret(key: string) {
    await this.meter.write();
    this.data.delete(key);
    this.onChange?.();
  }
}

const persistedSchema = z.object({
  kvs: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.string()),
});

/** Loads and saves both stores to one JSON file (playground `PLAYGROUND_PERSIST=1`). */
export function createPersistentStores(file: string): {
  kvs: MemoryKeyValueStore;
  secrets: MemorySecretStore;
} {
  const save = () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify(
        { kvs: Object.fromEntries(kvs.data), secrets: Object.fromEntries(secrets.data) },
        null,
        1,
      ),
    );
  };
  const kvs = new MemoryKeyValueStore(save);
  const secrets = new MemorySecretStore(save);
  if (existsSync(file)) {
    const parsed = persistedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) {
      for (const [key, value] of Object.entries(parsed.data.kvs)) kvs.data.set(key, value);
      for (const [key, value] of Object.entries(parsed.data.secrets)) secrets.data.set(key, value);
    }
  }
  return { kvs, secrets };
}

// ---------- egress ----------

const manifestEgressSchema = z.object({
  permissions: z.object({
    external: z
      .object({
        fetch: z
          .object({ backend: z.array(z.union([z.string(), z.object({ address: z.string() })])).optional() })
          .optional(),
      })
      .optional(),
  }),
});

/** The backend egress the manifest declares, as Forge reads it. */
export function manifestBackendEgress(manifestPath = path.join(repoRoot, 'manifest.yml')): string[] {
  const manifest = manifestEgressSchema.parse(parseYaml(readFileSync(manifestPath, 'utf8')));
  return (manifest.permissions.external?.fetch?.backend ?? []).map((entry) =>
    typeof entry === 'string' ? entry : entry.address,
  );
}

/**
 * Forge's two views of egress (docs/forge-fidelity.md, rule 14): `isDeclared` is what the app can
 * ask (`permissions.canFetchFrom`, the manifest's fixed list only: an admin's approval does not show
 * there), `allows` is what Forge's proxy enforces (declared or approved by a Jira admin).
 */
export class LocalEgress implements EgressPolicy {
  private declared: EgressFilteringService;
  readonly approved = new Set<string>();
  constructor(declared: string[] = manifestBackendEgress()) {
    this.declared = new EgressFilteringService(declared);
  }
  approve(domain: string): void {
    this.approved.add(domain.toLowerCase());
  }
  isDeclared(url: string): boolean {
    return this.declared.isValidUrl(url);
  }
  allows(url: string): boolean {
    return this.isDeclared(url) || this.approved.has(new URL(url).hostname.toLowerCase());
  }
}

// ---------- log ----------

export interface CapturedLog extends Log {
  readonly lines: string[];
}

export function createCapturingLog(echo = false): CapturedLog {
  const lines: string[] = [];
  const log = createLog((level, line) => {
    lines.push(line);
    if (echo || level === 'error') {
      if (process.env.SQAI_QUIET_LOGS !== '1') console.warn(line);
    }
  });
  return {
    lines,
    info: (message: string, fields?: LogFields) => log.info(message, fields),
    warn: (message: string, fields?: LogFields) => log.warn(message, fields),
    error: (message: string, fields?: LogFields) => log.error(message, fields),
  };
}

// ---------- the platform ----------

export interface LocalPlatformOptions {
  jira: JiraSimulatorLike;
  /** The site's Confluence (default: a simulator of a site with no pages). */
  confluence?: ConfluenceSimulatorLike;
  xray: HttpSimulator;
  sqai: HttpSimulator;
  /** Hosts served by the SQAI simulator (default: api.sqai-suite.com and sqai.example.com). */
  sqaiHosts?: string[];
  stores?: { kvs: MemoryKeyValueStore; secrets: MemorySecretStore };
  egress?: LocalEgress;
  log?: CapturedLog;
  now?: () => Date;
  /** Added to every upstream call (benchmarks). */
  latencyMs?: number;
  queue?: LocalQueue;
  /** The clock's sleep (default: real time). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface LocalPlatform extends Platform {
  queue: LocalQueue;
  /** Where the playground serves web triggers (`<base>/<moduleKey>`); the playground sets its own URL. */
  webTriggerBase: { url: string };
  kvs: MemoryKeyValueStore;
  secrets: MemorySecretStore;
  egress: LocalEgress;
  log: CapturedLog;
  /** Every outbound URL fetched, in order (tests assert round trips). */
  readonly fetched: { method: string; url: string }[];
  /**
   * Errors Forge's `requestJira` throws instead of answering (tests push the real `@forge/api`
   * classes: NeedsAuthenticationError, ProxyRequestError); each applies to `count` calls by `as`.
   */
  readonly jiraThrows: { as?: JiraActor; count: number; error: () => Error }[];
}

const XRAY_HOST = /^(?:(?:us|eu|au)\.)?xray\.cloud\.getxray\.app$/;

export function createLocalPlatform(options: LocalPlatformOptions): LocalPlatform {
  const stores = options.stores ?? { kvs: new MemoryKeyValueStore(), secrets: new MemorySecretStore() };
  const egress = options.egress ?? new LocalEgress();
  const sqaiHosts = new Set(options.sqaiHosts ?? ['api.sqai-suite.com', 'sqai.example.com']);
  const fetched: { method: string; url: string }[] = [];
  const latency = async (signal?: AbortSignal) => {
    if (options.latencyMs) await sleep(options.latencyMs, signal);
  };

  /**
   * Forge's `fetch` (docs/forge-fidelity.md, rule 12): a 3xx with a Location is followed, up to 20
   * times, to wherever egress allows, without the Authorization header once the origin changes and
   * as a GET after a 303; with `redirect: 'error'` it fails as a network error instead.
   */
  const routeFetch = async (url: string, init: HttpRequestInit, hops = 0): Promise<HttpResponse> => {
    const response = await answerFetch(url, init);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) return response;
    if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: 'unexpected redirect' });
    if (hops >= 20) throw new TypeError('fetch failed', { cause: 'redirect count exceeded' });
    const target = new URL(location, url);
    const headers = { ...(init.headers ?? {}) };
    if (target.origin !== new URL(url).origin) {
      for (const name of Object.keys(headers))
        if (name.toLowerCase() === 'authorization') delete headers[name];
    }
    const asGet = response.status === 303;
    return routeFetch(
      target.toString(),
      {
        ...init,
        headers,
        ...(asGet ? { method: 'GET', body: undefined } : {}),
      },
      hops + 1,
    );
  };

  const answerFetch = async (url: string, init: HttpRequestInit): Promise<HttpResponse> => {
    const method = init.method ?? 'GET';
    fetched.push({ method, url });
    await latency(init.signal);
    const host = new URL(url).hostname.toLowerCase();
    if (!egress.allows(url)) {
      return toHttpResponse({
        status: 403,
        headers: { 'forge-proxy-error': 'REQUEST_EGRESS_ALLOWLIST_ERR', 'content-type': 'text/plain' },
        body: `URL not included in the external fetch backend permissions: ${url}`,
      });
    }
    const request = {
      method,
      url,
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.signal ? { signal: init.signal } : {}),
    };
    if (XRAY_HOST.test(host)) return toHttpResponse(await options.xray.handle(request));
    if (sqaiHosts.has(host)) return toHttpResponse(await options.sqai.handle(request));
    throw new TypeError('fetch failed');
  };

  const confluence: ConfluenceSimulatorLike =
    options.confluence ??
    createConfluenceSimulator({ store: new ConfluenceStore('https://example.atlassian.net') });
  const actorOf = (as: JiraActor): { as: 'user' | 'app'; accountId?: string } => {
    const accountId = invocationScope.getStore()?.accountId;
    return as === 'app' ? { as: 'app' } : { as: 'user', ...(accountId ? { accountId } : {}) };
  };

  const webTriggerBase = { url: 'http://127.0.0.1:8787/x1' };
  const jiraThrows: LocalPlatform['jiraThrows'] = [];
  return {
    queue: options.queue ?? new LocalQueue(),
    webTriggerBase,
    webTriggers: { urlOf: async (moduleKey) => `${webTriggerBase.url}/${moduleKey}` },
    kvs: stores.kvs,
    secrets: stores.secrets,
    egress,
    fetched,
    log: options.log ?? createCapturingLog(),
    clock: { now: options.now ?? (() => new Date()), sleep: options.sleep ?? sleep },
    http: { fetch: routeFetch },
    jiraThrows,
    jira: {
      async request(requestPath, init, { as }) {
        await latency(init.signal);
        const thrown = jiraThrows.find((fault) => fault.count > 0 && (fault.as ?? as) === as);
        if (thrown) {
          thrown.count -= 1;
          throw thrown.error();
        }
        const accountId = invocationScope.getStore()?.accountId;
        const response = await options.jira.handle({
          method: init.method ?? 'GET',
          path: requestPath,
          headers: init.headers ?? {},
          ...(init.body === undefined ? {} : { body: init.body }),
          ...(init.signal ? { signal: init.signal } : {}),
          actor: as === 'app' ? { as: 'app' } : { as: 'user', ...(accountId ? { accountId } : {}) },
        });
        return toHttpResponse(response);
      },
    },
    confluence: {
      async request(requestPath, init, { as }) {
        await latency(init.signal);
        const response = await confluence.handle({
          method: init.method ?? 'GET',
          path: requestPath,
          headers: init.headers ?? {},
          ...(init.body === undefined ? {} : { body: init.body }),
          ...(init.signal ? { signal: init.signal } : {}),
          actor: actorOf(as),
        });
        return toHttpResponse(response);
      },
    },
  };
}
