/**
 * The Confluence Cloud simulator: REST v2 over the ConfluenceStore, checked against Atlassian's
 * published v2 spec (../shared/contracts/confluence/confluence-v2.json) with openapi-backend, the way
 * the Jira simulator checks Jira's (../jira-sim/spec-validator.ts, shared).
 *
 * `handle({method, path, headers, body, actor})` is what the local platform's Confluence transport
 * calls (`path` is the site path with its query, e.g. `/wiki/api/v2/pages/98305?body-format=…`). Each
 * request goes through sim-kit `simulate()` (latency, faults, the request log), is matched to a v2
 * operation below `/wiki/api/v2` (the spec's server), validated against it, answered, and its answer
 * validated against the operation's response for that status. Contract problems land in `violations`
 * (tests assert it stays empty): a path no operation serves (404), a request that fails its schema
 * (400), an operation the simulator does not implement (501), an answer the spec does not allow.
 *
 * What Confluence answers (docs/confluence-fidelity.md):
 * - `getPageById` 200: the `PageSingle` with `body.<format>` = `{representation, value}` for the
 *   requested `body-format` (`atlas_doc_format`: the ADF document as a JSON string; without
 *   `body-format`: `body: {}`), `version` and `_links` (`webui`, `editui`, `tinyui`, `base`).
 * - 404 for a page that does not exist *and* for a page the user may not read (the spec: "Returned if
 *   the calling user does not have permission to view the requested page or the page was not
 *   found"), body `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}`.
 * - `getPages` 200: `{results: PageBulk[], _links: {next?, base}}` — the pages the actor may read
 *   ("Only pages that the user has permission to view will be returned"), filtered by `id` (a
 *   comma-separated list, as the spec's description says, or the parameter repeated), in id order, at
 *   most `limit` (default 25, 1–250) per answer; more are behind `_links.next` (and the `Link` header),
 *   the same query with an opaque `cursor`. Each page carries `version.number`; no `body` unless
 *   `body-format` asks for one. A deleted page is simply not in the results.
 * - 401 for an anonymous or unknown user.
 *
 * Spec erratum: `getPages`' `id` (and `space-id`) are arrays in the default OpenAPI style for a query
 * (`form`, exploded: `id=1&id=2`), but the description says "Multiple page ids can be specified as a
 * comma-separated list" (`id=1,2`). A comma list is split into the exploded form before it is
 * validated (`listQueries`), so both forms are checked against the items' `int64` schema and
 * `maxItems: 250`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { contractsDir, type OpenApiDocument } from '../contracts';
import { specValidator, type SpecOperation, type SpecValidator } from '../jira-sim/spec-validator';
import { json, simulate, type SimResponse } from '../sim-kit';
import { SpecCheckedSimulator } from '../spec-simulator';
import { type ConfluenceStore, type SimPage, tinyCodeOf } from './store';

export const confluenceSpecPath = path.join(contractsDir, 'confluence', 'confluence-v2.json');

let confluenceSpec: OpenApiDocument | undefined;
/** The Confluence v2 spec, or `null` when ../shared/contracts does not have it. */
export function loadConfluenceSpec(): OpenApiDocument | null {
  if (!existsSync(confluenceSpecPath)) return null;
  confluenceSpec ??= JSON.parse(readFileSync(confluenceSpecPath, 'utf8')) as OpenApiDocument;
  return confluenceSpec;
}

/** The v2 API below the site (the spec's server `https://{your-domain}/wiki/api/v2`). */
export const V2_BASE = '/wiki/api/v2';

export interface ConfluenceRequest {
  method: string;
  /** Site path and query, e.g. `/wiki/api/v2/pages/98305?body-format=atlas_doc_format`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  actor: { as: 'user' | 'app'; accountId?: string };
  signal?: AbortSignal;
}

export interface ConfluenceRequestRecord {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  actor: 'user' | 'app';
  accountId?: string;
}

export interface ConfluenceSimulatorOptions {
  store: ConfluenceStore;
  /** The v2 spec; default `loadConfluenceSpec()` (none when the contracts are absent). */
  spec?: OpenApiDocument | null;
  latencyMs?: number;
}

const confluenceError = (status: number, code: string, title: string): SimResponse =>
  json(status, { errors: [{ status, code, title, detail: null }] });

function splitPath(value: string): { pathname: string; search: string } {
  const index = value.indexOf('?');
  return index < 0
    ? { pathname: value, search: '' }
    : { pathname: value.slice(0, index), search: value.slice(index + 1) };
}

/** Query parameters the spec declares as arrays that Confluence also takes as a comma-separated list. */
const LIST_PARAMETERS = new Set(['id', 'space-id']);
/**
 * The query parser under openapi-backend (qs) reads at most 20 repeats of a parameter as an array
 * (more become an object, "must be array"): a longer list is validated 20 items at a time, and its
 * length against the spec's `maxItems` here.
 */
const PARSER_ARRAY_LIMIT = 20;

const parameterSchemaSchema = z.object({ maxItems: z.number().optional() }).loose();
const parametersSchema = z.array(
  z.object({ name: z.string(), in: z.string(), schema: parameterSchemaSchema.optional() }).loose(),
);

/**
 * The queries to validate for `search` in the spec's exploded form (`id=1,2` → `id=1&id=2`): one per
 * PARSER_ARRAY_LIMIT items of the longest list, each with every other parameter; and the problems
 * only the whole list shows (more items than `maxItems`).
 */
export function listQueries(
  search: string,
  maxItemsOf: (name: string) => number | undefined,
): { queries: string[]; problems: string[] } {
  const others: string[] = [];
  const lists = new Map<string, string[]>();
  for (const pair of search === '' ? [] : search.split('&')) {
    const index = pair.indexOf('=');
    const rawName = index < 0 ? pair : pair.slice(0, index);
    const name = decodeURIComponent(rawName);
    if (index < 0 || !LIST_PARAMETERS.has(name)) {
      others.push(pair);
      continue;
    }
    const values = decodeURIComponent(pair.slice(index + 1)).split(',');
    lists.set(rawName, [...(lists.get(rawName) ?? []), ...values.map((value) => encodeURIComponent(value))]);
  }
  const problems: string[] = [];
  for (const [name, values] of lists) {
    const max = maxItemsOf(decodeURIComponent(name));
    if (max !== undefined && values.length > max)
      problems.push(`/query/${decodeURIComponent(name)} must NOT have more than ${max} items`);
  }
  const rounds = Math.max(
    1,
    ...[...lists.values()].map((values) => Math.ceil(values.length / PARSER_ARRAY_LIMIT)),
  );
  const queries = Array.from({ length: rounds }, (_, round) =>
    [
      ...others,
      ...[...lists].flatMap(([name, values]) =>
        values
          .slice(round * PARSER_ARRAY_LIMIT, (round + 1) * PARSER_ARRAY_LIMIT)
          .map((value) => `${name}=${value}`),
      ),
    ].join('&'),
  );
  return { queries, problems };
}

export class ConfluenceSimulator extends SpecCheckedSimulator<ConfluenceRequestRecord> {
  readonly store: ConfluenceStore;

  constructor(options: ConfluenceSimulatorOptions) {
    super(options.spec === undefined ? loadConfluenceSpec() : options.spec, options.latencyMs);
    this.store = options.store;
  }

  async handle(request: ConfluenceRequest): Promise<SimResponse> {
    const method = request.method.toUpperCase();
    const { pathname, search } = splitPath(request.path);
    const validator = this.spec ? await specValidator(this.spec) : null;
    const apiPath = pathname.startsWith(`${V2_BASE}/`) ? pathname.slice(V2_BASE.length) : null;
    const operation = apiPath !== null && validator ? validator.match(method, apiPath) : undefined;
    let status = 0;
    try {
      const response = await simulate(
        { faults: this.faults, log: this.log, latencyMs: () => this.latencyMs },
        {
          method,
          url: request.path,
          ...(request.headers ? { headers: request.headers } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        },
        request.path,
        async () => ({
          ...this.answer(validator, operation, request, method, apiPath, search),
          ...(operation ? { operation: operation.operationId } : {}),
        }),
      );
      status = response.status;
      return response;
    } finally {
      this.requests.push({
        method,
        path: request.path,
        ...(operation ? { operationId: operation.operationId } : {}),
        status,
        actor: request.actor.as,
        ...(request.actor.accountId ? { accountId: request.actor.accountId } : {}),
      });
    }
  }

  private answer(
    validator: SpecValidator | null,
    operation: SpecOperation | undefined,
    request: ConfluenceRequest,
    method: string,
    apiPath: string | null,
    search: string,
  ): SimResponse {
    const where = `${method} ${request.path}`;
    if (apiPath === null || (validator && !operation)) {
      this.violations.push(`no such Confluence v2 operation: ${where}`);
      return confluenceError(404, 'NOT_FOUND', 'Not Found');
    }
    let rejected = false;
    if (validator && operation) {
      const lists =
        operation.operationId === 'getPages'
          ? listQueries(search, (name) => this.maxItemsOf('/pages', name))
          : { queries: [search], problems: [] };
      const checks = lists.queries.map((query) =>
        validator.checkRequest(operation, {
          method,
          pathname: apiPath,
          query,
          headers: Object.fromEntries(
            Object.entries(request.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
          ),
          ...(request.body !== undefined ? { body: request.body } : {}),
        }),
      );
      const check = {
        problems: [...new Set([...lists.problems, ...checks.flatMap((one) => one.problems)])],
        rejected: lists.problems.length > 0 || checks.some((one) => one.rejected),
      };
      if (check.problems.length > 0) {
        this.violations.push(
          `request to ${operation.operationId} (${where}) does not match the spec: ${check.problems.join('; ')}`,
        );
      }
      rejected = check.rejected;
    }
    const operationId = operation?.operationId ?? this.routeOf(method, apiPath);
    if (operationId !== 'getPageById' && operationId !== 'getPages') {
      this.violations.push(`not implemented by the Confluence simulator: ${operationId ?? where}`);
      return confluenceError(501, 'NOT_IMPLEMENTED', 'Not Implemented');
    }
    const response = (() => {
      if (request.actor.as === 'user' && !this.store.isKnownUser(request.actor.accountId)) {
        return confluenceError(401, 'UNAUTHORIZED', 'Unauthorized');
      }
      if (rejected) return confluenceError(400, 'INVALID_REQUEST_PARAMETER', 'Bad Request');
      if (operationId === 'getPages') return this.getPages(new URLSearchParams(search), request.actor);
      return this.getPageById(apiPath, new URLSearchParams(search), request.actor);
    })();
    if (validator && operation) this.checkResponse(validator, operation, where, response);
    return response;
  }

  /** The spec's `maxItems` of a GET operation's array query parameter. */
  private maxItemsOf(specPath: string, name: string): number | undefined {
    const operation = z
      .object({ parameters: parametersSchema.optional() })
      .loose()
      .safeParse(this.spec?.paths[specPath]?.get);
    if (!operation.success) return undefined;
    return operation.data.parameters?.find((parameter) => parameter.in === 'query' && parameter.name === name)
      ?.schema?.maxItems;
  }

  /** Without the spec: the routes the simulator serves. */
  private routeOf(method: string, apiPath: string): string | undefined {
    if (method !== 'GET') return undefined;
    if (apiPath === '/pages') return 'getPages';
    return /^\/pages\/[^/]+$/.test(apiPath) ? 'getPageById' : undefined;
  }

  /** `getPages`: the readable pages (filtered by `id`), in id order, `limit` at a time behind a cursor. */
  private getPages(query: URLSearchParams, actor: ConfluenceRequest['actor']): SimResponse {
    const ids = query
      .getAll('id')
      .flatMap((value) => value.split(','))
      .filter((value) => value !== '');
    const wanted = ids.length > 0 ? new Set(ids) : null;
    const limit = Math.min(250, Math.max(1, Number(query.get('limit') ?? 25) || 25));
    const cursor = query.get('cursor');
    const after = cursor === null ? null : Buffer.from(cursor, 'base64url').toString('utf8');
    const matching = [...this.store.pages.values()]
      .filter((page) => (wanted ? wanted.has(page.id) : true) && this.store.canRead(page, actor))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0))
      .filter((page) => after === null || BigInt(page.id) > BigInt(after));
    const results = matching.slice(0, limit);
    const links: Record<string, string> = { base: `${this.store.siteUrl}/wiki` };
    const headers: Record<string, string> = {};
    const last = results.at(-1);
    if (matching.length > limit && last) {
      const next = new URLSearchParams(query);
      next.set('cursor', Buffer.from(last.id, 'utf8').toString('base64url'));
      links.next = `${V2_BASE}/pages?${next.toString().replace(/%2C/g, ',')}`;
      headers.Link = `<${links.next}>; rel="next", <${links.base}>; rel="base"`;
    }
    const bodyFormat = query.get('body-format');
    const response = json(200, {
      results: results.map((page) => {
        const { body, ...bulk } = this.pageSingle(page, bodyFormat);
        return bodyFormat === null ? bulk : { ...bulk, body };
      }),
      _links: links,
    });
    return { ...response, headers: { ...response.headers, ...headers } };
  }

  private getPageById(
    apiPath: string,
    query: URLSearchParams,
    actor: ConfluenceRequest['actor'],
  ): SimResponse {
    const id = decodeURIComponent(apiPath.slice('/pages/'.length));
    const page = this.store.pages.get(id);
    if (!page || !this.store.canRead(page, actor)) return confluenceError(404, 'NOT_FOUND', 'Not Found');
    return json(200, this.pageSingle(page, query.get('body-format')));
  }

  private pageSingle(page: SimPage, bodyFormat: string | null): Record<string, unknown> {
    const webui = this.store.webuiOf(page);
    const body: Record<string, unknown> = {};
    if (bodyFormat === 'atlas_doc_format') {
      body.atlas_doc_format = { representation: 'atlas_doc_format', value: JSON.stringify(page.adf) };
    } else if (bodyFormat === 'storage') {
      // Not read by the app: a storage-format body that says so.
      body.storage = { representation: 'storage', value: `<p>${page.title}</p>` };
    }
    return {
      id: page.id,
      status: 'current',
      title: page.title,
      spaceId: page.spaceId,
      ...(page.parentId ? { parentId: page.parentId, parentType: 'page' } : {}),
      position: 0,
      authorId: page.authorId,
      ownerId: page.authorId,
      lastOwnerId: null,
      createdAt: page.createdAt,
      version: {
        createdAt: page.version.createdAt,
        message: '',
        number: page.version.number,
        minorEdit: false,
        authorId: page.version.authorId,
      },
      body,
      _links: {
        webui,
        editui: `/pages/resumedraft.action?draftId=${page.id}`,
        tinyui: `/x/${tinyCodeOf(page.id)}`,
        base: `${this.store.siteUrl}/wiki`,
      },
    };
  }

  private checkResponse(
    validator: SpecValidator,
    spec: SpecOperation,
    where: string,
    response: SimResponse,
  ): void {
    const status = String(response.status);
    if (!spec.statuses.includes(status) && !spec.statuses.includes('default')) {
      this.violations.push(
        `response of ${spec.operationId} (${where}) has status ${status}, which the spec does not list (${spec.statuses.join(', ')})`,
      );
      return;
    }
    let body: unknown;
    try {
      body = response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
    } catch {
      body = response.body;
    }
    // The spec gives Confluence's error answers no content schema: only a 2xx body is checked.
    if (response.status >= 300) return;
    const problems = validator.checkResponse(spec, response.status, body);
    if (problems.length > 0) {
      this.violations.push(
        `response of ${spec.operationId} (${where}) with status ${status} does not match the spec: ${problems.join('; ')}`,
      );
    }
  }
}

export function createConfluenceSimulator(options: ConfluenceSimulatorOptions): ConfluenceSimulator {
  return new ConfluenceSimulator(options);
}
