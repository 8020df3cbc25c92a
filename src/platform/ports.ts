/**
 * Ports: the small interfaces domain code depends on. Production wires them to Forge
 * (`./forge-adapter.ts`); the local playground and the tests wire them to simulators
 * (`test/harness/`). Nothing outside `src/platform/` imports `@forge/*`.
 */

export type JiraActor = 'user' | 'app';

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /**
   * Forge's `fetch` follows redirects by default, to any host its egress allows, carrying the body
   * and every header but Authorization. Outbound calls to Xray and SQAI say `'error'`: a redirect
   * is a failure, never a second destination for a document or an idempotency key.
   */
  redirect?: 'error' | 'follow';
}

/** The part of a fetch Response the app reads. Forge's and Node's responses both satisfy it. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Jira over Forge native auth. `path` is already escaped (built by `src/clients/jira-operations.ts`). */
export interface JiraTransport {
  request(path: string, init: HttpRequestInit, options: { as: JiraActor }): Promise<HttpResponse>;
}

/**
 * Confluence on the same site over Forge native auth (`requestConfluence`). `path` starts with
 * `/wiki/` and is already escaped (built by `src/clients/confluence.ts`). As the user, Confluence's own
 * page permissions decide what is answered.
 */
export interface ConfluenceTransport {
  request(path: string, init: HttpRequestInit, options: { as: JiraActor }): Promise<HttpResponse>;
}

/** Backend egress (Forge `fetch`). */
export interface Http {
  fetch(url: string, init: HttpRequestInit): Promise<HttpResponse>;
}

/**
 * The backend egress the manifest declares, as Forge's `permissions.canFetchFrom` reports it. A host a
 * Jira admin approved (customer-managed egress) is *not* in that list, yet Forge lets the fetch
 * through; so `false` means "not declared", never "blocked" — only a fetch can tell
 * (docs/forge-fidelity.md, rule 14).
 */
export interface EgressPolicy {
  isDeclared(url: string): boolean;
}

export interface KeyValueEntry {
  key: string;
  value: unknown;
}

export interface KeyValuePage {
  entries: KeyValueEntry[];
  cursor?: string;
}

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  /** Fails (Forge: `ForgeKvsAPIError`) when the value's JSON exceeds KVS_MAX_VALUE_BYTES (./limits.ts). */
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Writes `value` only when `key` does not exist, atomically (Forge: `keyPolicy: 'FAIL_IF_EXISTS'`,
   * a 409 when it does); answers whether this call wrote it.
   */
  claim(key: string, value: unknown): Promise<boolean>;
  /** Keys beginning with `prefix`, in key order, a page at a time. */
  query(prefix: string, options?: { limit?: number; cursor?: string }): Promise<KeyValuePage>;
}

/** Forge secret storage: encrypted, never returned by `query`. Values are strings here. */
export interface SecretStore {
  getSecret(key: string): Promise<string | undefined>;
  setSecret(key: string, value: string): Promise<void>;
  deleteSecret(key: string): Promise<void>;
}

/** One unit of background work for a queue consumer (Forge `@forge/events`). */
export interface QueueEvent {
  body: Record<string, unknown>;
  delayInSeconds?: number;
  /** At most `limit` consumers run at once for events sharing `key` (Forge queue concurrency). */
  concurrency?: { key: string; limit: number };
}

/** A consumer's request to have its event delivered again later (Forge's `InvocationError`). */
export interface RetryRequest {
  /** Seconds to wait: Forge allows 1–900. */
  afterSeconds: number;
  /** `rate-limited`: an upstream answered 429; `retry`: anything else worth another try. */
  reason: 'retry' | 'rate-limited';
}

export interface JobQueue {
  /** Pushes events to the queue named `queueKey` (≤ 50 events, ≤ 200 KB per push); resolves the job id. */
  push(queueKey: string, events: QueueEvent[]): Promise<string>;
  /**
   * What a consumer returns so that Forge delivers its event again after `afterSeconds` (an
   * exception is retried too, but blindly, for up to 24 hours; this is the deliberate way).
   */
  retryLater(request: RetryRequest): unknown;
}

/** Forge web trigger URLs (`webTrigger.getUrl`). */
export interface WebTriggers {
  urlOf(moduleKey: string): Promise<string>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type LogFields = Record<string, unknown>;

/** Structured log. Implementations redact secret-looking fields (see `./redact.ts`). */
export interface Log {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface Platform {
  jira: JiraTransport;
  confluence: ConfluenceTransport;
  http: Http;
  egress: EgressPolicy;
  kvs: KeyValueStore;
  secrets: SecretStore;
  queue: JobQueue;
  webTriggers: WebTriggers;
  clock: Clock;
  log: Log;
}
