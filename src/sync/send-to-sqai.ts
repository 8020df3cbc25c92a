/**
 * Sends the caller's issue's context to SQAI now (as the caller: only what Jira lets them see);
 * unchanged content is not sent again unless `force`.
 */
import type { SendToSqaiResult } from '../api';
import { isJiraRead } from '../clients/jira-operations';
import { XRAY_BASE_URLS } from '../clients/xray/regions';
import { Deadline } from '../clients/upstream';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from './issue-ref';
import { loadProjectClients } from './project-clients';
import { toStateDto } from './state';
import { syncAsCaller } from './sync-issue';
import { summarize } from './to-dto';

/**
 * `vouching`: the caller's access check (src/access/authorize.ts `requireIssueAccess`) when it is
 * still running — the send then reads beside it instead of after it (issue 20: one round trip less).
 * Until it has answered, the send only reads: Jira and Confluence as the caller (they show the caller
 * only what they may see) and Xray with the project's key (its answer stays in this call). Everything
 * else — a stored value, a secret, a queued event, a Jira write, the push to SQAI — waits for the
 * check; when it refuses, its error is the answer and nothing was written or sent.
 */
export async function sendToSqai(
  platform: Platform,
  caller: IssueRef,
  { force }: { force: boolean },
  vouching?: Promise<unknown>,
): Promise<SendToSqaiResult> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const send = async (on: Platform) => {
    const clients = await loadProjectClients(on, caller.project.id, deadline);
    const result = await syncAsCaller(on, clients, caller, { force, deadline });
    return {
      outcome: result.outcome,
      state: toStateDto(result.state),
      summary: summarize(result.document),
      durationMs: result.durationMs,
    };
  };
  if (!vouching) return send(platform);
  try {
    const answer = await send(readingUntil(platform, vouching));
    await vouching;
    return answer;
  } catch (error) {
    // A refusal wins over whatever the reads met (an issue Jira hides, an Xray failure).
    await vouching;
    throw error;
  }
}

const XRAY_ORIGINS = new Set(Object.values(XRAY_BASE_URLS).map((url) => new URL(url).origin));

/**
 * `platform`, where everything but a read waits for `gate` (and fails with its error): reads of
 * Jira and Confluence as anyone, reads of the key-value and secret stores, and requests to Xray (a
 * send only reads Xray) go at once.
 */
export function readingUntil(platform: Platform, gate: Promise<unknown>): Platform {
  // Awaited by every write; a refusal must not also surface as an unhandled rejection.
  gate.catch(() => undefined);
  const after = async <T>(write: () => Promise<T>): Promise<T> => {
    await gate;
    return write();
  };
  const { kvs, secrets, queue, jira, confluence, http } = platform;
  return {
    ...platform,
    kvs: {
      get: (key) => kvs.get(key),
      query: (prefix, options) => kvs.query(prefix, options),
      set: (key, value) => after(() => kvs.set(key, value)),
      delete: (key) => after(() => kvs.delete(key)),
      claim: (key, value) => after(() => kvs.claim(key, value)),
    },
    secrets: {
      getSecret: (key) => secrets.getSecret(key),
      setSecret: (key, value) => after(() => secrets.setSecret(key, value)),
      deleteSecret: (key) => after(() => secrets.deleteSecret(key)),
    },
    queue: {
      push: (queueKey, events) => after(() => queue.push(queueKey, events)),
      retryLater: (request) => queue.retryLater(request),
    },
    jira: {
      request: (path, init, options) =>
        isJiraRead(init.method, path)
          ? jira.request(path, init, options)
          : after(() => jira.request(path, init, options)),
    },
    confluence: {
      request: (path, init, options) =>
        (init.method ?? 'GET').toUpperCase() === 'GET'
          ? confluence.request(path, init, options)
          : after(() => confluence.request(path, init, options)),
    },
    http: {
      fetch: (url, init) =>
        XRAY_ORIGINS.has(new URL(url).origin) ? http.fetch(url, init) : after(() => http.fetch(url, init)),
    },
  };
}
