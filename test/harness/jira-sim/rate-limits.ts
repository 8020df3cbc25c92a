/**
 * Jira Cloud's rate limits for apps, enforced since 2 March 2026 (Atlassian, "Rate limiting",
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): three independent limits that
 * "work simultaneously", each answered with 429 and a `RateLimit-Reason`:
 *
 * 1. the points-based hourly quota — "Each request starts with a base cost of 1 point, and additional
 *    points are added for each object involved. Write requests are charged only the base cost";
 *    core objects (issues, projects) 1 point, identity & access (users, groups, permissions) 2;
 *    "All quotas are measured in points per hour and reset at the top of each UTC hour"; Tier 1
 *    (Global Pool, default) "a single 65,000 point hourly quota across all tenants"
 *    (`jira-quota-global-based`), Tier 2 per tenant (`jira-quota-tenant-based`); "All requests are
 *    denied until the next hourly reset. There is no gradual throttling.";
 * 2. the burst limit — a token bucket "per tenant and per API/resource path", "categorised by the
 *    HTTP method": GET 100, POST 100, PUT 50, DELETE 50 requests per second by default, some
 *    endpoints custom (`jira-burst-based`);
 * 3. the per-issue write limit — "20 write operations per 2 seconds" and "100 write operations per
 *    30 seconds" on one issue (`jira-per-issue-on-write`).
 *
 * Headers: `Retry-After` (seconds), `RateLimit-Reason`, `X-RateLimit-Limit`, `X-RateLimit-Remaining`
 * and `X-RateLimit-Reset` (ISO 8601, 429 only); on every response the structured
 * `RateLimit-Policy: "global-app-quota";q=65000;w=3600` and `RateLimit: "global-app-quota";t=…`, whose
 * `r` (remaining) appears only once less than 20 % remains, with `X-RateLimit-NearLimit: true`.
 *
 * Off by default (existing tests see no headers and no 429); `enable()` with small numbers for tests.
 * The points ledger (`ledger`) records what the app spent, per actor and per operation, for benches.
 *
 * Not published by Atlassian, so chosen here: the burst bucket's buffer (default: one second of the
 * steady rate — the strictest reading), and how a read sent as POST (`search/jql`, `issue/bulkfetch`)
 * is charged: by default as a read, 1 + 1 per issue returned (the conservative reading of "Write
 * requests are charged only the base cost"); `readsByPostCostBaseOnly` charges them 1.
 */
import { json, type SimResponse } from '../sim-kit';

export type RateLimitReason =
  'jira-quota-global-based' | 'jira-quota-tenant-based' | 'jira-burst-based' | 'jira-per-issue-on-write';

export interface RateLimitConfig {
  /** Points per hour; Tier 1 Global Pool: 65,000. */
  pointsPerHour: number;
  /** `global` (Tier 1, default) or `tenant` (Tier 2): the quota reason and policy name. */
  pool: 'global' | 'tenant';
  /** Steady-state requests per second per endpoint, by HTTP method. */
  burstPerSecond: Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', number>;
  /** Custom steady-state rates by `METHOD template` (e.g. `GET /rest/api/3/issue/{issueIdOrKey}`). */
  burstOverrides: Record<string, number>;
  /** The bucket size as a multiple of one second of the steady rate (not published; default 1). */
  burstBufferSeconds: number;
  /** Writes per window on one issue (both windows apply). */
  perIssueWrites: readonly { limit: number; windowMs: number }[];
  /** Charge reads sent as POST (JQL search, bulk fetch) the base cost only (default false). */
  readsByPostCostBaseOnly: boolean;
}

/** The documented defaults (Tier 1, default burst thresholds, both per-issue windows). */
export const DOCUMENTED_LIMITS: RateLimitConfig = {
  pointsPerHour: 65_000,
  pool: 'global',
  burstPerSecond: { GET: 100, POST: 100, PUT: 50, PATCH: 50, DELETE: 50 },
  burstOverrides: {
    'GET /rest/api/3/issue/{issueIdOrKey}': 150,
    'GET /rest/api/3/issue/{issueIdOrKey}/changelog': 200,
    'GET /rest/api/3/user': 150,
    'GET /rest/api/3/component': 200,
    'POST /rest/api/3/search/approximate-count': 150,
    'POST /rest/api/3/expression/evaluate': 150,
  },
  burstBufferSeconds: 1,
  perIssueWrites: [
    { limit: 20, windowMs: 2_000 },
    { limit: 100, windowMs: 30_000 },
  ],
  readsByPostCostBaseOnly: false,
};

/** Operations whose objects are identity & access (2 points each). */
const IDENTITY_OPERATIONS = new Set([
  'getMyPermissions',
  'getUser',
  'getCurrentUser',
  'findUsers',
  'findAssignableUsers',
  'findUsersWithAllPermissions',
  'getUsersFromGroup',
  'bulkGetUsers',
  'getAllPermissions',
  'getProjectRoles',
  'getProjectRole',
]);

/** Reads sent as POST (not writes). */
const READS_BY_POST = new Set([
  'searchAndReconsileIssuesUsingJqlPost',
  'bulkFetchIssues',
  'searchForIssuesUsingJqlPost',
  'getChangeLogsByIds',
  'getBulkChangelogs',
  'countIssues',
]);

const isWriteMethod = (method: string) => method !== 'GET' && method !== 'HEAD';

export interface RateLimitedRequest {
  method: string;
  /** The spec's operationId and path template (absent: no such operation; never limited). */
  operationId?: string;
  template?: string;
  /** Path parameters matched from the template. */
  params: Record<string, string>;
  body?: string;
  actor: 'user' | 'app';
}

export interface PointsLedger {
  points: number;
  requests: number;
  byActor: Record<'user' | 'app', number>;
  byOperation: Record<string, { requests: number; points: number }>;
  /** 429s answered, by reason. */
  rejected: Partial<Record<RateLimitReason, number>>;
}

const emptyLedger = (): PointsLedger => ({
  points: 0,
  requests: 0,
  byActor: { user: 0, app: 0 },
  byOperation: {},
  rejected: {},
});

interface Bucket {
  tokens: number;
  at: number;
}

function parseBody(body: string | undefined): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** How many objects a response carries (for the per-object cost of a read). */
function objectsIn(operationId: string, body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const permissions = field(body, 'permissions');
  if (operationId === 'getMyPermissions' && typeof permissions === 'object' && permissions !== null)
    return Object.keys(permissions).length;
  for (const key of ['issues', 'values', 'issueLinkTypes', 'users']) {
    const list = field(body, key);
    if (Array.isArray(list)) return list.length;
  }
  return 1;
}

export class JiraRateLimits {
  enabled = false;
  config: RateLimitConfig = DOCUMENTED_LIMITS;
  ledger: PointsLedger = emptyLedger();
  private hour = -1;
  private spentThisHour = 0;
  private readonly buckets = new Map<string, Bucket>();
  private readonly issueWrites = new Map<string, number[]>();

  constructor(private readonly now: () => Date) {}

  /** Turns enforcement on, with the documented limits overridden by `overrides`. */
  enable(overrides: Partial<RateLimitConfig> = {}): this {
    this.enabled = true;
    this.config = { ...DOCUMENTED_LIMITS, ...overrides };
    return this;
  }

  disable(): void {
    this.enabled = false;
  }

  /** Forgets the ledger, the buckets, the per-issue windows and the quota spent this hour. */
  reset(): void {
    this.ledger = emptyLedger();
    this.buckets.clear();
    this.issueWrites.clear();
    this.spentThisHour = 0;
  }

  /** Points left in this hour's quota. */
  get remainingPoints(): number {
    this.rollHour(this.now().getTime());
    return Math.max(0, this.config.pointsPerHour - this.spentThisHour);
  }

  /**
   * Before the handler: a 429 when any of the three limits refuses the request (nothing is
   * consumed then), else undefined (the bucket token and the issue write are consumed).
   */
  admit(request: RateLimitedRequest, issueIdOf: (idOrKey: string) => string): SimResponse | undefined {
    if (!this.enabled || !request.operationId || !request.template) return undefined;
    const nowMs = this.now().getTime();
    this.rollHour(nowMs);
    const quota = this.config.pointsPerHour;
    if (this.spentThisHour >= quota) {
      const resetMs = this.nextHour(nowMs);
      return this.reject(this.quotaReason(), resetMs - nowMs, quota, nowMs);
    }

    const bucketKey = `${request.method} ${request.template}`;
    const rate = this.burstRate(request.method, request.template);
    const capacity = Math.max(1, rate * this.config.burstBufferSeconds);
    const bucket = this.buckets.get(bucketKey) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) * rate) / 1000);
    bucket.at = nowMs;
    this.buckets.set(bucketKey, bucket);
    if (bucket.tokens < 1) {
      const waitMs = ((1 - bucket.tokens) * 1000) / rate;
      return this.reject('jira-burst-based', waitMs, rate, nowMs);
    }

    const issues = isWriteMethod(request.method) ? this.writtenIssues(request, issueIdOf) : [];
    for (const issue of issues) {
      const writes = this.issueWrites.get(issue) ?? [];
      for (const window of this.config.perIssueWrites) {
        const inWindow = writes.filter((at) => at > nowMs - window.windowMs);
        if (inWindow.length >= window.limit) {
          const oldest = inWindow[inWindow.length - window.limit] ?? nowMs;
          return this.reject(
            'jira-per-issue-on-write',
            oldest + window.windowMs - nowMs,
            window.limit,
            nowMs,
          );
        }
      }
    }

    bucket.tokens -= 1;
    const longest = Math.max(0, ...this.config.perIssueWrites.map((window) => window.windowMs));
    for (const issue of issues) {
      const writes = (this.issueWrites.get(issue) ?? []).filter((at) => at > nowMs - longest);
      writes.push(nowMs);
      this.issueWrites.set(issue, writes);
    }
    return undefined;
  }

  /** After the handler: charges the request's points and adds the quota headers to the response. */
  charge(request: RateLimitedRequest, response: SimResponse): SimResponse {
    if (!this.enabled || !request.operationId) return response;
    const nowMs = this.now().getTime();
    this.rollHour(nowMs);
    const points = this.cost(request, response);
    this.spentThisHour += points;
    this.record(request.operationId, request.actor, points);
    return { ...response, headers: { ...response.headers, ...this.quotaHeaders(nowMs) } };
  }

  /** The documented cost of a request that Jira answered (`response`). */
  cost(request: Pick<RateLimitedRequest, 'method' | 'operationId'>, response: SimResponse): number {
    const operationId = request.operationId ?? '';
    const readByPost = READS_BY_POST.has(operationId);
    if (isWriteMethod(request.method) && (!readByPost || this.config.readsByPostCostBaseOnly)) return 1;
    if (response.status >= 400) return 1;
    const perObject = IDENTITY_OPERATIONS.has(operationId) ? 2 : 1;
    return 1 + perObject * objectsIn(operationId, parseBody(response.body));
  }

  // ---------- internals ----------

  private quotaReason(): RateLimitReason {
    return this.config.pool === 'tenant' ? 'jira-quota-tenant-based' : 'jira-quota-global-based';
  }

  private policyName(): string {
    return this.config.pool === 'tenant' ? 'tenant-app-quota' : 'global-app-quota';
  }

  private rollHour(nowMs: number): void {
    const hour = Math.floor(nowMs / 3_600_000);
    if (hour !== this.hour) {
      this.hour = hour;
      this.spentThisHour = 0;
    }
  }

  private nextHour(nowMs: number): number {
    return (Math.floor(nowMs / 3_600_000) + 1) * 3_600_000;
  }

  private burstRate(method: string, template: string): number {
    const override = this.config.burstOverrides[`${method} ${template}`];
    if (override !== undefined) return override;
    const byMethod = this.config.burstPerSecond as Record<string, number | undefined>;
    return byMethod[method] ?? this.config.burstPerSecond.GET;
  }

  /** The issues a write touches: `{issueIdOrKey}` in its path, or both ends of a new link. */
  private writtenIssues(request: RateLimitedRequest, issueIdOf: (idOrKey: string) => string): string[] {
    const fromPath = request.params.issueIdOrKey;
    if (fromPath) return [issueIdOf(fromPath)];
    if (request.operationId === 'linkIssues') {
      const body = parseBody(request.body);
      return ['inwardIssue', 'outwardIssue']
        .map((end) => field(body, end))
        .map((issue) => field(issue, 'id') ?? field(issue, 'key'))
        .filter((ref): ref is string => typeof ref === 'string')
        .map(issueIdOf);
    }
    return [];
  }

  private record(operationId: string, actor: 'user' | 'app', points: number): void {
    const { ledger } = this;
    ledger.points += points;
    ledger.requests += 1;
    ledger.byActor[actor] += points;
    const operation = (ledger.byOperation[operationId] ??= { requests: 0, points: 0 });
    operation.requests += 1;
    operation.points += points;
  }

  private quotaHeaders(nowMs: number): Record<string, string> {
    const quota = this.config.pointsPerHour;
    const remaining = Math.max(0, quota - this.spentThisHour);
    const resetSeconds = Math.ceil((this.nextHour(nowMs) - nowMs) / 1000);
    const near = remaining < quota * 0.2;
    const policy = this.policyName();
    return {
      'RateLimit-Policy': `"${policy}";q=${quota};w=3600`,
      RateLimit: near ? `"${policy}";r=${remaining};t=${resetSeconds}` : `"${policy}";t=${resetSeconds}`,
      ...(near ? { 'X-RateLimit-NearLimit': 'true' } : {}),
    };
  }

  private reject(reason: RateLimitReason, waitMs: number, limit: number, nowMs: number): SimResponse {
    this.ledger.rejected[reason] = (this.ledger.rejected[reason] ?? 0) + 1;
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    const reset = new Date(nowMs + retryAfterSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return json(
      429,
      { errorMessages: ['Rate limit exceeded.'] },
      {
        'Retry-After': String(retryAfterSeconds),
        'RateLimit-Reason': reason,
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': reset,
        ...(reason.startsWith('jira-quota') ? this.quotaHeaders(nowMs) : {}),
      },
    );
  }
}
