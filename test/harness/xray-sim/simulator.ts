/**
 * The Xray Cloud simulator's HTTP face: `POST {base}/api/v2/authenticate` and
 * `POST {base}/api/v2/graphql` on the global and the regional hosts (us., eu., au.), over an
 * XrayStore. Wrapped in the sim-kit (latency, faults, request log).
 *
 * Order of checks on GraphQL (each answered like Xray answers it):
 *   bearer token (401 JSON) → rate budget (429) → data residency (401 "Xray data is in another
 *   region") → licence (401 text/plain) → the document (./graphql-endpoint.ts).
 *
 * Seeding a tenant (what the playground / world does):
 *   const sim = createXraySimulator({ jira: jiraStore });
 *   sim.store.addTenant({ cloudId: 'demo-cloud-id', region: 'global', licensed: true, tier: 'standard',
 *     apiKeys: { 'DEMO-CLIENT-ID': 'demo-client-secret-value' } });
 *   sim.store.defineProject('10000');
 * or pass `tenants: [{ … }]` to createXraySimulator.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { loadXraySchema, xraySchemaPath } from '../contracts';
import type { JiraStore } from '../jira-sim/store';
import {
  FaultInjector,
  header,
  json,
  RequestLog,
  serveSimulator,
  simulate,
  type FaultSpec,
  type HttpSimulator,
  type ServedSimulator,
  type SimRequest,
  type SimResponse,
} from '../sim-kit';
import { checkBearer, checkCredentials, licenseInvalid, TokenAuthority } from './auth';
import { runGraphql } from './graphql-endpoint';
import { baseUrlOf, XRAY_REGIONS, type XrayRegion, type XrayTier } from './model';
import { DEFAULT_RATE_WINDOW_MS, RateLimiter, type RateUsage } from './rate-limit';
import { XrayStore, type AddTenantInput } from './store';

export interface XraySimulatorOptions {
  jira: JiraStore;
  /** Default: a new XrayStore over `jira`. */
  store?: XrayStore;
  now?: () => Date;
  /**
   * Xray's SDL. Default: `loadXraySchema()` from the shared contracts. The simulator cannot answer
   * GraphQL without it, so a missing SDL (or `null`) throws here; the caller decides what to do.
   */
  schema?: GraphQLSchema | null;
  /** The rate budget's sliding window (default 5 minutes; tests shrink it). */
  rateWindowMs?: number;
  tenants?: AddTenantInput[];
  latencyMs?: number;
}

export interface XrayRequestRecord {
  at: string;
  method: string;
  /** URL path (+ query), e.g. `/api/v2/graphql`. */
  path: string;
  region: XrayRegion;
  status: number;
  /** GraphQL operation name, else its root fields. */
  operation?: string;
  /** The tenant (cloudId) the request was attributed to. */
  tenant?: string;
  fault?: boolean;
}

export interface XraySimulator extends HttpSimulator {
  readonly store: XrayStore;
  readonly jira: JiraStore;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  latencyMs: number;
  /** Every request, in order (faults included). */
  readonly requests: XrayRequestRecord[];
  /** Every schema error of a received document: `<first line of the operation>: <message>`. */
  readonly documentErrors: string[];
  /** Every Xray rule violation (limit, 10,000 items): `<first line>: <message>`. */
  readonly ruleErrors: string[];
  /** Every bearer token handed out (tests scan logs and responses for them). */
  readonly issuedTokens: string[];
  failNext(spec: FaultSpec): void;
  setLicensed(cloudId: string, licensed: boolean): void;
  setRegion(cloudId: string, region: XrayRegion): void;
  setTier(cloudId: string, tier: XrayTier): void;
  /**
   * Revokes every bearer token issued so far for the site ("occasionally, your authentication token
   * may be revoked"): GraphQL answers them 401 before their `exp`; a new authenticate works.
   */
  revokeTokens(cloudId: string): void;
  rateUsage(cloudId: string): RateUsage;
  /** Forgets requests, errors, faults and rate usage (not the data). */
  reset(): void;
  serve(port?: number): Promise<ServedSimulator>;
}

function resolveSchema(schema: GraphQLSchema | null | undefined): GraphQLSchema {
  if (schema) return schema;
  if (schema === undefined && existsSync(xraySchemaPath)) return loadXraySchema();
  throw new Error(
    `Xray simulator: Xray Cloud's GraphQL SDL is required and was not found at ${xraySchemaPath} ` +
      '(set SQAI_CONTRACTS_DIR or pass options.schema). Without it the simulator cannot validate or answer GraphQL.',
  );
}

/** `eu.xray.cloud.getxray.app` → eu; the bare host (or any other) → global. */
export function regionOfHost(hostname: string): XrayRegion {
  const prefix = /^(us|eu|au)\./i.exec(hostname)?.[1]?.toLowerCase();
  return XRAY_REGIONS.find((region) => region === prefix) ?? 'global';
}

function regionOf(request: SimRequest, url: URL): XrayRegion {
  const forced = header(request, 'x-sim-region')?.toLowerCase();
  return XRAY_REGIONS.find((region) => region === forced) ?? regionOfHost(url.hostname);
}

export function createXraySimulator(options: XraySimulatorOptions): XraySimulator {
  const now = options.now ?? (() => new Date());
  const schema = resolveSchema(options.schema);
  const store = options.store ?? new XrayStore(options.jira, now);
  if (store.jira !== options.jira)
    throw new Error('Xray simulator: options.store must be built over options.jira');
  for (const tenant of options.tenants ?? []) store.addTenant(tenant);

  const tokens = new TokenAuthority(now);
  const rate = new RateLimiter(now, options.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS);
  const faults = new FaultInjector();
  const log = new RequestLog();
  const requests: XrayRequestRecord[] = [];
  const documentErrors: string[] = [];
  const ruleErrors: string[] = [];
  const issuedTokens: string[] = [];

  interface Meta {
    tenant?: string;
    operation?: string;
    /** Whether the simulator ran (false: a fault answered). */
    ran?: boolean;
  }

  const authenticate = (request: SimRequest, meta: Meta): SimResponse => {
    const outcome = checkCredentials(store, request.body);
    if (outcome.kind === 'response') {
      if (outcome.tenant) meta.tenant = outcome.tenant.cloudId;
      return outcome.response;
    }
    const { tenant, clientId } = outcome;
    meta.tenant = tenant.cloudId;
    const limited = rate.take(tenant);
    if (limited) return limited;
    if (!tenant.licensed) return licenseInvalid();
    const token = tokens.issue(tenant.cloudId, clientId);
    issuedTokens.push(token);
    // Xray answers the token as a JSON string: "eyJ…"
    return json(200, token);
  };

  const graphql = async (request: SimRequest, region: XrayRegion, meta: Meta): Promise<SimResponse> => {
    const bearer = checkBearer(tokens, header(request, 'authorization'));
    if (!bearer.ok) return bearer.response;
    const tenant = store.tenants.get(bearer.claims.tenant);
    if (!tenant) return json(401, { error: 'Authentication failed. Invalid token.' });
    meta.tenant = tenant.cloudId;
    const limited = rate.take(tenant);
    if (limited) return limited;
    if (tenant.region !== region) {
      // Xray's data-residency answer names the host the site's data lives on.
      return json(401, {
        error: `Xray data is in another region. Please use ${baseUrlOf(tenant.region)} to access this site's data.`,
      });
    }
    if (!tenant.licensed) return licenseInvalid();
    const outcome = await runGraphql(request.body, {
      schema,
      ctx: { store, jira: store.jira, tenant, now },
      documentErrors,
      ruleErrors,
    });
    if (outcome.operation) meta.operation = outcome.operation;
    return outcome.response;
  };

  const route = async (request: SimRequest, url: URL, meta: Meta): Promise<SimResponse> => {
    const region = regionOf(request, url);
    const endpoint = url.pathname.replace(/\/+$/, '');
    if (endpoint !== '/api/v2/authenticate' && endpoint !== '/api/v2/graphql') {
      return json(404, { error: `Not found: ${url.pathname}` });
    }
    if (request.method.toUpperCase() !== 'POST') return json(405, { error: 'Method not allowed' });
    return endpoint === '/api/v2/authenticate' ? authenticate(request, meta) : graphql(request, region, meta);
  };

  const simulator: XraySimulator = {
    store,
    jira: options.jira,
    faults,
    log,
    latencyMs: options.latencyMs ?? 0,
    requests,
    documentErrors,
    ruleErrors,
    issuedTokens,

    async handle(request: SimRequest): Promise<SimResponse> {
      const url = new URL(request.url, baseUrlOf('global'));
      const path = `${url.pathname}${url.search}`;
      const meta: Meta = {};
      const record = (status: number, fault: boolean) =>
        requests.push({
          at: now().toISOString(),
          method: request.method.toUpperCase(),
          path,
          region: regionOf(request, url),
          status,
          ...(meta.operation ? { operation: meta.operation } : {}),
          ...(meta.tenant ? { tenant: meta.tenant } : {}),
          ...(fault ? { fault: true } : {}),
        });
      try {
        const response = await simulate(
          { faults, log, latencyMs: () => simulator.latencyMs },
          request,
          path,
          async () => {
            meta.ran = true;
            const response = await route(request, url, meta);
            return meta.operation ? { ...response, operation: meta.operation } : response;
          },
        );
        record(response.status, meta.ran !== true);
        return response;
      } catch (error) {
        record(0, meta.ran !== true);
        throw error;
      }
    },

    failNext(spec: FaultSpec) {
      faults.failNext(spec);
    },
    setLicensed(cloudId, licensed) {
      store.tenant(cloudId).licensed = licensed;
    },
    setRegion(cloudId, region) {
      store.tenant(cloudId).region = region;
    },
    setTier(cloudId, tier) {
      store.tenant(cloudId).tier = tier;
    },
    revokeTokens(cloudId) {
      tokens.revoke(store.tenant(cloudId).cloudId);
    },
    rateUsage(cloudId) {
      return rate.usage(store.tenant(cloudId));
    },
    reset() {
      requests.length = 0;
      documentErrors.length = 0;
      ruleErrors.length = 0;
      log.clear();
      faults.clear();
      rate.reset();
    },
    serve(port?: number) {
      return serveSimulator((request) => simulator.handle(request), {
        ...(port !== undefined ? { port } : {}),
        publicOrigin: (req: IncomingMessage) => {
          const forced = req.headers['x-sim-region'];
          const fromHeader = XRAY_REGIONS.find(
            (region) => region === (typeof forced === 'string' ? forced : ''),
          );
          return baseUrlOf(fromHeader ?? regionOfHost(req.headers.host ?? ''));
        },
      });
    },
  };
  return simulator;
}
