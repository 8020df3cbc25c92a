/**
 * The one way the Custom UIs call the backend: a typed wrapper around `@forge/bridge` `invoke`.
 * Resolvers never throw (they answer `ResolverResult<T>`); this turns anything else — a bridge
 * failure, a timeout, a malformed answer — into the same `{ ok: false, error }` shape, so callers
 * handle exactly one kind of failure.
 */
import { invoke } from '@forge/bridge';
import type { ResolverName, ResolverResult } from '../../../src/api';
import { toResolverResult, transportError, unwrapResult } from './result';

export type { ResolverResult };

export async function callResolver<T>(name: ResolverName, payload: object = {}): Promise<ResolverResult<T>> {
  try {
    return toResolverResult<T>(await invoke<unknown>(name, payload as Record<string, unknown>));
  } catch (error) {
    console.error(`Resolver ${name} could not be called`, error);
    return { ok: false, error: transportError('Could not reach the app’s backend.') };
  }
}

/** callResolver for query and mutation functions: the data, or a thrown ResolverError. */
export async function fetchResolver<T>(name: ResolverName, payload: object = {}): Promise<T> {
  return unwrapResult(await callResolver<T>(name, payload));
}
