/**
 * The Forge adapter: the only module that imports `@forge/api`, `@forge/kvs` and `@forge/events`.
 */
import api, { assumeTrustedRoute, permissions, webTrigger } from '@forge/api';
import { InvocationError, InvocationErrorCode, Queue } from '@forge/events';
import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { MAX_RETRY_AFTER_S } from './limits';
import type { HttpRequestInit, HttpResponse, Platform, RetryRequest } from './ports';
import { createConsoleLog } from './log';
import { sleep } from './sleep';

/**
 * `kvs.set(…, { keyPolicy: 'FAIL_IF_EXISTS' })` on an existing key: a `ForgeKvsAPIError` answered
 * with HTTP 409 (`KEY_CONFLICT`).
 */
const keyConflictSchema = z.union([
  z.object({ responseDetails: z.object({ status: z.literal(409) }) }).loose(),
  z.object({ code: z.literal('KEY_CONFLICT') }).loose(),
]);
const isKeyConflict = (error: unknown): boolean => keyConflictSchema.safeParse(error).success;

function toForgeInit(init: HttpRequestInit) {
  return {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.signal ? { signal: init.signal } : {}),
    ...(init.redirect ? { redirect: init.redirect } : {}),
  };
}

/**
 * The answer that makes Forge deliver a consumer's event again: `@forge/events`' InvocationError
 * (its constructor returns the plain `{ _retry, retryOptions }`); the local queue answers the same.
 */
export function forgeRetryAnswer({ afterSeconds, reason }: RetryRequest): unknown {
  return new InvocationError({
    retryAfter: Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(afterSeconds))),
    retryReason:
      reason === 'rate-limited'
        ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED
        : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  });
}

export function createForgePlatform(): Platform {
  return {
    jira: {
      async request(path, init, { as }) {
        const requester = as === 'user' ? api.asUser() : api.asApp();
        // Paths are escaped by src/clients/jira-operations.ts, the only place that builds them.
        const response: HttpResponse = await requester.requestJira(
          assumeTrustedRoute(path),
          toForgeInit(init),
        );
        return response;
      },
    },
    confluence: {
      async request(path, init, { as }) {
        const requester = as === 'user' ? api.asUser() : api.asApp();
        // Paths are escaped by src/clients/confluence.ts, the only place that builds them.
        const response: HttpResponse = await requester.requestConfluence(
          assumeTrustedRoute(path),
          toForgeInit(init),
        );
        return response;
      },
    },
    http: {
      async fetch(url, init) {
        const response: HttpResponse = await api.fetch(url, toForgeInit(init));
        return response;
      },
    },
    egress: {
      isDeclared(url) {
        try {
          return permissions.canFetchFrom('backend', url);
        } catch {
          // A runtime without the permissions SDK (ApiNotReadyError): nothing is known to be declared.
          return false;
        }
      },
    },
    kvs: {
      get: (key) => kvs.get(key),
      set: (key, value) => kvs.set(key, value),
      delete: (key) => kvs.delete(key),
      async claim(key, value) {
        try {
          await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS' });
          return true;
        } catch (error) {
          if (isKeyConflict(error)) return false;
          throw error;
        }
      },
      async query(prefix, options = {}) {
        let builder = kvs.query().where('key', WhereConditions.beginsWith(prefix));
        if (options.limit) builder = builder.limit(options.limit);
        if (options.cursor) builder = builder.cursor(options.cursor);
        const page = await builder.getMany();
        return {
          entries: page.results.map(({ key, value }) => ({ key, value })),
          ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
        };
      },
    },
    secrets: {
      async getSecret(key) {
        const value = await kvs.getSecret<unknown>(key);
        return typeof value === 'string' ? value : undefined;
      },
      setSecret: (key, value) => kvs.setSecret(key, value),
      deleteSecret: (key) => kvs.deleteSecret(key),
    },
    queue: {
      async push(queueKey, events) {
        const { jobId } = await new Queue({ key: queueKey }).push(events);
        return jobId;
      },
      retryLater: forgeRetryAnswer,
    },
    webTriggers: { urlOf: (moduleKey) => webTrigger.getUrl(moduleKey) },
    clock: { now: () => new Date(), sleep },
    log: createConsoleLog(),
  };
}
