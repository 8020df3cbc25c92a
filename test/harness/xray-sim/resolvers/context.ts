/**
 * What every resolver shares: the request's context (store + tenant), the source objects handed
 * between resolvers, argument narrowing, pagination and the list filters Xray's queries share
 * (issueIds, jql, projectId, modifiedSince).
 */
import { z } from 'zod';
import { evaluateJql, JqlError } from '../../jira-sim/jql';
import type { JiraStore, SimIssue } from '../../jira-sim/store';
import { assertIssueId, XrayError } from '../errors';
import type { XrayTenant, XrayTestRun } from '../model';
import { MAX_JQL_ISSUES, RULE_MESSAGES } from '../rules';
import type { XrayStore } from '../store';

export interface ResolverContext {
  store: XrayStore;
  jira: JiraStore;
  tenant: XrayTenant;
  now: () => Date;
}

export type IssueRefType =
  'Test' | 'CoverableIssue' | 'TestSet' | 'TestExecution' | 'TestPlan' | 'Precondition';

/** The source of an issue-backed object (Test, TestSet, …): resolvers look the record up by id. */
export class IssueRef {
  constructor(
    readonly refType: IssueRefType,
    readonly issueId: string,
    /** An ExpandedTest asked for one version (`getExpandedTest(versionId:)`, `tests: [{versionId}]`). */
    readonly versionId?: number,
  ) {}
}

/** The source of a TestVersion: the test and the version's number. */
export class VersionRef {
  constructor(
    readonly testIssueId: string,
    readonly versionId: number,
  ) {}
}

/** The source of a TestRun. */
export class RunRef {
  constructor(readonly id: string) {}
}

export type Args = Record<string, unknown>;
export type FieldResolver = (source: unknown, args: Args, ctx: ResolverContext) => unknown;
export type ResolverMap = Record<string, Record<string, FieldResolver>>;

/** A resolver on an issue-backed type; `null` for any other source (never crash). */
export const onIssue =
  (resolve: (ref: IssueRef, args: Args, ctx: ResolverContext) => unknown): FieldResolver =>
  (source, args, ctx) =>
    source instanceof IssueRef ? resolve(source, args, ctx) : null;

/** A resolver on TestRun; `null` when the run is gone. */
export const onRun =
  (resolve: (run: XrayTestRun, args: Args, ctx: ResolverContext) => unknown): FieldResolver =>
  (source, args, ctx) => {
    if (!(source instanceof RunRef)) return null;
    const run = ctx.store.testRuns.get(source.id);
    return run ? resolve(run, args, ctx) : null;
  };

/** Narrows graphql-js-coerced arguments (already schema-valid) to what a resolver reads. */
export function argsOf<T>(schema: z.ZodType<T>, args: Args): T {
  const parsed = schema.safeParse(args);
  if (!parsed.success)
    throw new XrayError(`Invalid arguments: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

const idList = z
  .array(z.string().nullable())
  .nullish()
  .transform((ids) => (ids ? ids.filter((id): id is string => id !== null) : undefined));

export const pageArgs = z.object({ limit: z.number().int(), start: z.number().int().nullish() });

export const filterArgs = pageArgs.extend({
  issueIds: idList,
  jql: z.string().nullish(),
  projectId: z.string().nullish(),
  modifiedSince: z.string().nullish(),
});
export type FilterArgs = z.infer<typeof filterArgs>;

export const nestedListArgs = pageArgs.extend({ issueIds: idList });

export { idList };

export interface Page<T> {
  limit: number;
  start: number;
  total: number;
  results: T[];
}

/** Xray's pagination: `start` is an offset, `limit` a page size (1–100, checked by the rules). */
export function page<T>(
  items: readonly T[],
  args: { limit: number; start?: number | null },
  extra = {},
): Page<T> {
  const start = args.start ?? 0;
  return {
    limit: args.limit,
    start,
    total: items.length,
    results: items.slice(start, start + args.limit),
    ...extra,
  };
}

const byNumericId = (a: string, b: string) => Number(a) - Number(b);

/** A Jira issue the tenant's API may see. */
export function visibleIssue(ctx: ResolverContext, issueId: string): SimIssue | undefined {
  const issue = ctx.jira.issues.get(issueId);
  return issue && ctx.store.tenantSeesProject(ctx.tenant, issue.projectId) ? issue : undefined;
}

/** `modifiedSince`: an ISO date-time; Xray answers an error for anything else. */
export function parseModifiedSince(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new XrayError(`"modifiedSince" must be a valid ISO 8601 date-time, got "${value}".`);
  return ms;
}

/**
 * The issues a `jql:` argument matches, seen by the tenant. Xray runs the JQL in Jira and refuses
 * a query matching more than 100 issues ("an error will be returned asking the user to refine the
 * jql search").
 */
export function jqlIssueIds(ctx: ResolverContext, jql: string): Set<string> {
  let issues: SimIssue[];
  try {
    issues = evaluateJql(ctx.jira, jql, { now: ctx.now });
  } catch (error) {
    if (error instanceof JqlError) throw new XrayError(`Error executing the JQL query: ${error.message}`);
    throw error;
  }
  const visible = issues.filter((issue) => ctx.store.tenantSeesProject(ctx.tenant, issue.projectId));
  if (visible.length > MAX_JQL_ISSUES) throw new XrayError(RULE_MESSAGES.jqlTooBroad(visible.length));
  return new Set(visible.map((issue) => issue.id));
}

/**
 * The shared filters of getTests / getTestSets / getTestExecutions / getTestPlans / getPreconditions
 * over the candidate ids of one kind: all filters given apply together; results in issue-id order.
 */
export function filterIssues(
  ctx: ResolverContext,
  candidateIds: Iterable<string>,
  args: Omit<FilterArgs, 'limit' | 'start'>,
  lastModifiedOf: (issueId: string) => string | undefined,
): string[] {
  let ids = [...candidateIds].filter((id) => visibleIssue(ctx, id) !== undefined);
  if (args.issueIds) {
    args.issueIds.forEach((id) => assertIssueId(id));
    const wanted = new Set(args.issueIds);
    ids = ids.filter((id) => wanted.has(id));
  }
  if (args.projectId) {
    const project = ctx.jira.project(args.projectId);
    if (!project) throw new XrayError(`Project with id "${args.projectId}" was not found.`);
    ids = ids.filter((id) => ctx.jira.issues.get(id)?.projectId === project.id);
  }
  const since = parseModifiedSince(args.modifiedSince);
  if (since !== undefined) {
    ids = ids.filter((id) => {
      const lastModified = lastModifiedOf(id);
      return lastModified !== undefined && Date.parse(lastModified) >= since;
    });
  }
  if (args.jql) {
    const matched = jqlIssueIds(ctx, args.jql);
    ids = ids.filter((id) => matched.has(id));
  }
  return ids.sort(byNumericId);
}

/** Nested lists (`Test.testSets(issueIds:)` …): keep the given order, narrow to `issueIds`. */
export function narrow(ids: readonly string[], issueIds: string[] | undefined): string[] {
  if (!issueIds) return [...ids];
  const wanted = new Set(issueIds);
  return ids.filter((id) => wanted.has(id));
}
