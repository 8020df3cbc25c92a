/**
 * The Jira Cloud simulator: Jira REST v3 over the JiraStore, checked against Atlassian's OpenAPI spec.
 *
 * `handle({method, path, headers, body, actor})` is what the local platform's Jira transport calls
 * (`path` includes the query string). Each request:
 * 1. goes through sim-kit `simulate()` — added latency (`latencyMs`), injected faults (`faults`,
 *    `failNext`) and the request log (`log`);
 * 2. is matched to an operation — by openapi-backend against the real spec when one is loaded, else
 *    by the simulator's own route table (same operationIds);
 * 3. is validated against the operation's parameters and body schema (spec only);
 * 4. is answered by the operation's handler (`./operations`), acting as the user or as the app;
 * 5. has its response validated against the operation's response schema for that status (spec only).
 *
 * Every request lands in `requests`; every contract problem lands in `violations` (tests assert it
 * stays empty): a request that matches no Jira operation (answered 404 like Jira's REST layer does), a
 * request that fails its operation's schema (400 unless only unknown query parameters — Jira ignores
 * those), an operation Jira has that the simulator does not implement (501), and a response that
 * fails the spec or uses a status the spec does not list.
 *
 * Actors: `{as: 'app'}` sees everything; `{as: 'user', accountId}` must be a known user (401 otherwise,
 * except on operations Jira serves anonymously) and sees what the store's permissions allow.
 *
 * `serve(port?)` puts the simulator alone on http://127.0.0.1:<port>; the actor comes from the
 * headers `X-Sim-Actor: app` or `X-Sim-Account-Id: <accountId>` (neither: an anonymous user → 401).
 */
import { contractsPresent, loadJiraSpec, type OpenApiDocument } from '../contracts';
import {
  header,
  json,
  serveSimulator,
  simulate,
  type ServedSimulator,
  type SimRequest,
  type SimResponse,
} from '../sim-kit';
import { HANDLERS } from './operations';
import { jiraError, NOT_AUTHENTICATED } from './operations/context';
import { JiraRateLimits, type RateLimitedRequest } from './rate-limits';
import { matchRoute, matchTemplate, ROUTES_BY_OPERATION } from './routes';
import { SpecCheckedSimulator } from '../spec-simulator';
import { specValidator, type SpecOperation, type SpecValidator } from './spec-validator';
import type { Actor, JiraStore } from './store';

export interface JiraSimulatorOptions {
  store: JiraStore;
  /** The clock for created/updated stamps and relative JQL dates (default: the wall clock). */
  now?: () => Date;
  /** The Jira OpenAPI document; default `loadJiraSpec()` when ../shared/contracts exists, else none. */
  spec?: OpenApiDocument | null;
  latencyMs?: number;
}

export interface JiraRequest {
  method: string;
  /** Path and query, e.g. `/rest/api/3/mypermissions?projectId=10000&permissions=ADMINISTER_PROJECTS`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  actor: { as: 'user' | 'app'; accountId?: string };
  signal?: AbortSignal;
}

export interface JiraRequestRecord {
  method: string;
  path: string;
  /** The spec's operationId (absent when the request matched no operation). */
  operationId?: string;
  /** 0 when a fault dropped or hung the connection. */
  status: number;
  actor: 'user' | 'app';
}

interface Resolved {
  operationId?: string;
  /** The operation's path template (spec or route table). */
  template?: string;
  spec?: SpecOperation;
}

function splitPath(path: string): { pathname: string; search: string } {
  const index = path.indexOf('?');
  return index < 0
    ? { pathname: path, search: '' }
    : { pathname: path.slice(0, index), search: path.slice(index + 1) };
}

function parseJsonBody(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export class JiraSimulator extends SpecCheckedSimulator<JiraRequestRecord> {
  readonly store: JiraStore;
  /** Jira's rate limits for apps (./rate-limits.ts): off until `rateLimits.enable()`; its points ledger. */
  readonly rateLimits: JiraRateLimits;
  private readonly now: () => Date;

  constructor(options: JiraSimulatorOptions) {
    super(
      options.spec === undefined ? (contractsPresent() ? loadJiraSpec() : null) : options.spec,
      options.latencyMs,
    );
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.rateLimits = new JiraRateLimits(() => this.now());
  }

  async handle(request: JiraRequest): Promise<SimResponse> {
    const method = request.method.toUpperCase();
    const { pathname, search } = splitPath(request.path);
    const validator = this.spec ? await specValidator(this.spec) : null;
    const resolved = this.resolve(validator, method, pathname);
    const simRequest: SimRequest = {
      method,
      url: request.path,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    };
    let status = 0;
    try {
      const response = await simulate(
        { faults: this.faults, log: this.log, latencyMs: () => this.latencyMs },
        simRequest,
        request.path,
        async () => {
          const limited: RateLimitedRequest = {
            method,
            ...(resolved.operationId ? { operationId: resolved.operationId } : {}),
            ...(resolved.template ? { template: resolved.template } : {}),
            params: resolved.template ? (matchTemplate(resolved.template, pathname) ?? {}) : {},
            ...(request.body !== undefined ? { body: request.body } : {}),
            actor: request.actor.as,
          };
          const refused = this.rateLimits.admit(limited, (ref) => this.store.issue(ref)?.id ?? ref);
          const answered =
            refused ??
            this.rateLimits.charge(
              limited,
              this.answer(validator, resolved, request, method, pathname, search),
            );
          return { ...answered, ...(resolved.operationId ? { operation: resolved.operationId } : {}) };
        },
      );
      status = response.status;
      return response;
    } finally {
      this.requests.push({
        method,
        path: request.path,
        ...(resolved.operationId ? { operationId: resolved.operationId } : {}),
        status,
        actor: request.actor.as,
      });
    }
  }

  /** Serves this simulator alone over HTTP (see the file comment for the actor headers). */
  serve(port?: number): Promise<ServedSimulator> {
    return serveSimulator(
      (request) => {
        const url = new URL(request.url);
        const accountId = header(request, 'x-sim-account-id');
        const actor: JiraRequest['actor'] =
          header(request, 'x-sim-actor')?.toLowerCase() === 'app'
            ? { as: 'app' }
            : { as: 'user', ...(accountId ? { accountId } : {}) };
        return this.handle({
          method: request.method,
          path: `${url.pathname}${url.search}`,
          ...(request.headers ? { headers: request.headers } : {}),
          ...(request.body !== undefined ? { body: request.body } : {}),
          actor,
        });
      },
      port === undefined ? {} : { port },
    );
  }

  // ---------- internals ----------

  private resolve(validator: SpecValidator | null, method: string, pathname: string): Resolved {
    if (validator) {
      const spec = validator.match(method, pathname);
      return spec ? { operationId: spec.operationId, template: spec.path, spec } : {};
    }
    const match = matchRoute(method, pathname);
    return match ? { operationId: match.route.operationId, template: match.route.template } : {};
  }

  private answer(
    validator: SpecValidator | null,
    resolved: Resolved,
    request: JiraRequest,
    method: string,
    pathname: string,
    search: string,
  ): SimResponse {
    const where = `${method} ${request.path}`;
    const { operationId, template } = resolved;
    if (!operationId || !template) {
      this.violations.push(`no such Jira operation: ${method} ${pathname}`);
      // What Jira's REST layer answers for a path no resource serves.
      return json(404, { message: `null for uri: ${this.store.siteUrl}${request.path}`, 'status-code': 404 });
    }

    let rejected = false;
    if (validator && resolved.spec) {
      const check = validator.checkRequest(resolved.spec, {
        method,
        pathname,
        query: search,
        headers: Object.fromEntries(
          Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        ),
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      if (check.problems.length > 0) {
        this.violations.push(
          `request to ${operationId} (${where}) does not match the spec: ${check.problems.join('; ')}`,
        );
      }
      rejected = check.rejected;
    }

    const handler = HANDLERS[operationId];
    const route = ROUTES_BY_OPERATION.get(operationId);
    if (!handler || !route) {
      this.violations.push(`not implemented by the Jira simulator: ${operationId} (${where})`);
      return jiraError(501, [
        `The Jira simulator does not implement ${operationId} (${method} ${template}).`,
      ]);
    }

    const actor = this.actorOf(request);
    const response = (() => {
      if (actor === 'unauthenticated' && route.answers401) return jiraError(401, [NOT_AUTHENTICATED]);
      if (rejected) {
        return jiraError(400, [
          'Invalid request payload. Refer to the REST API documentation and try again.',
        ]);
      }
      return handler({
        store: this.store,
        actor: actor === 'unauthenticated' ? { as: 'user' } : actor,
        params: matchTemplate(template, pathname) ?? {},
        query: new URLSearchParams(search),
        body: request.body,
        now: this.now,
      });
    })();

    if (validator && resolved.spec) this.checkResponse(validator, resolved.spec, where, response);
    return response;
  }

  private actorOf(request: JiraRequest): Actor | 'unauthenticated' {
    if (request.actor.as === 'app') return { as: 'app' };
    const { accountId } = request.actor;
    return this.store.isKnownUser(accountId) ? { as: 'user', accountId } : 'unauthenticated';
  }

  private checkResponse(
    validator: SpecValidator,
    spec: SpecOperation,
    where: string,
    response: SimResponse,
  ): void {
    const status = String(response.status);
    const documented =
      spec.statuses.includes(status) ||
      spec.statuses.includes(`${status[0] ?? ''}XX`) ||
      spec.statuses.includes('default');
    if (!documented) {
      this.violations.push(
        `response of ${spec.operationId} (${where}) has status ${status}, which the spec does not list (${spec.statuses.join(', ')})`,
      );
      return;
    }
    const problems = validator.checkResponse(spec, response.status, parseJsonBody(response.body));
    if (problems.length > 0) {
      this.violations.push(
        `response of ${spec.operationId} (${where}) with status ${status} does not match the spec: ${problems.join('; ')}`,
      );
    }
  }
}

export function createJiraSimulator(options: JiraSimulatorOptions): JiraSimulator {
  return new JiraSimulator(options);
}
