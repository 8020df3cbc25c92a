/**
 * What one invocation keeps, and nothing longer: Forge reuses a warm instance for later
 * invocations, and those may belong to another installation ("Do not write tenant-specific data to
 * module-level (global) variables" — docs/forge-fidelity.md). So the secrets to redact, the Xray
 * tokens in memory and the rate buckets live in the invocation's own state, which every handler in
 * src/index.ts opens with `inInvocation` and which is gone when the handler returns.
 *
 * Code run outside a handler (unit tests of a client, benches) shares one detached state instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Platform } from './ports';

/** Whether a person waits for this invocation (a resolver) or not (triggers, queue consumers). */
export type Traffic = 'interactive' | 'background';

export interface InvocationState {
  /** Interactive (resolvers) or background; unset outside a handler. */
  readonly traffic?: Traffic;
  /** Secret values seen in this invocation, scrubbed from every log line (./redact.ts). */
  readonly secrets: Set<string>;
  /** Per-invocation caches by name (Xray tokens, rate buckets). */
  readonly memo: Map<string, unknown>;
  /** The platform of this invocation, when the local harness supplies one per invocation. */
  readonly platform?: Platform;
}

const storage = new AsyncLocalStorage<InvocationState>();
let detached: InvocationState = { secrets: new Set(), memo: new Map() };

const fresh = (platform?: Platform, traffic?: Traffic): InvocationState => ({
  secrets: new Set(),
  memo: new Map(),
  ...(platform ? { platform } : {}),
  ...(traffic ? { traffic } : {}),
});

/** The current invocation's state (the detached one outside a handler). */
export function invocationState(): InvocationState {
  return storage.getStore() ?? detached;
}

/** The per-invocation value named `name`, made by `create` the first time this invocation asks. */
export function invocationMemo<T>(name: string, create: () => T): T {
  const { memo } = invocationState();
  if (!memo.has(name)) memo.set(name, create());
  return memo.get(name) as T;
}

/** Runs `run` in a new invocation state (the harness passes the platform of the site invoked). */
export function runInvocation<T>(run: () => T, platform?: Platform, traffic?: Traffic): T {
  return storage.run(fresh(platform, traffic), run);
}

/**
 * Wraps a Forge handler so that each call runs in its own invocation state. Only the platform of
 * an enclosing harness scope is carried in (Forge has none: there the platform is the adapter).
 */
export function inInvocation<A extends unknown[], R>(
  handler: (...args: A) => R,
  traffic: Traffic = 'background',
): (...args: A) => R {
  return (...args: A) => runInvocation(() => handler(...args), storage.getStore()?.platform, traffic);
}

/** Tests and benches: forget what code outside a handler kept. */
export function resetDetachedState(): void {
  detached = fresh();
}
