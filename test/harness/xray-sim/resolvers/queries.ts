/**
 * Xray Cloud's queries (the `Query` type of the SDL) that the simulator models. Single-entity
 * getters answer null for an id that does not exist, is not visible to the tenant or is not of the
 * asked kind; list getters share the filters of ./context.ts. Other queries answer null.
 */
import { z } from 'zod';
import { assertIssueId, XrayError } from '../errors';
import { DEFAULT_STEP_STATUSES, type XrayProjectSettings } from '../model';
import {
  argsOf,
  filterArgs,
  filterIssues,
  idList,
  IssueRef,
  jqlIssueIds,
  page,
  pageArgs,
  parseModifiedSince,
  RunRef,
  visibleIssue,
  type Args,
  type FieldResolver,
  type ResolverContext,
} from './context';
import { runStatusView, stepStatusView } from './entities';

const issueIdArgs = z.object({ issueId: z.string().nullish() });

const testTypeFilter = z
  .object({ id: z.string().nullish(), name: z.string().nullish(), kind: z.string().nullish() })
  .nullish();
const folderFilter = z
  .object({ path: z.string(), includeDescendants: z.boolean().nullish(), testPlanId: z.string().nullish() })
  .nullish();

const testsArgs = filterArgs.extend({
  testType: testTypeFilter,
  folder: folderFilter,
  tests: z
    .array(z.object({ issueId: z.string().nullish(), versionId: z.number().int().nullish() }).nullable())
    .nullish(),
});

function settingsView(settings: XrayProjectSettings) {
  return {
    projectId: settings.projectId,
    testEnvironments: [...settings.testEnvironments],
    defectIssueTypes: [...settings.defectIssueTypeIds],
    testCoverageSettings: {
      coverableIssueTypeIds: [...settings.coverableIssueTypeIds],
      epicIssuesRelation: settings.epicIssuesRelation,
      issueSubTasksRelation: settings.issueSubTasksRelation,
      issueLinkTypeId: settings.coverageLinkTypeId,
      issueLinkTypeDirection: settings.coverageLinkDirection,
    },
    testTypeSettings: {
      defaultTestTypeId: settings.defaultTestTypeId,
      testTypes: settings.testTypes.map((type) => ({ ...type })),
    },
    testStepSettings: { fields: [] },
    testRunCustomFieldSettings: { fields: [] },
  };
}

/** One issue of a kind by id, or null. */
const single =
  (type: IssueRef['refType'], has: (ctx: ResolverContext, id: string) => boolean): FieldResolver =>
  (_source, args, ctx) => {
    const { issueId } = argsOf(issueIdArgs, args);
    if (!issueId) return null;
    assertIssueId(issueId);
    return visibleIssue(ctx, issueId) && has(ctx, issueId) ? new IssueRef(type, issueId) : null;
  };

function inFolder(
  folderPath: string,
  folder: { path: string; includeDescendants?: boolean | null },
): boolean {
  const wanted = folder.path === '/' ? '/' : `/${folder.path.split('/').filter(Boolean).join('/')}`;
  if (folderPath === wanted) return true;
  return folder.includeDescendants === true && (wanted === '/' || folderPath.startsWith(`${wanted}/`));
}

/** getTests / getExpandedTests: the shared filters plus test type and folder. */
function selectTests(ctx: ResolverContext, args: Args): { ids: string[]; paging: z.infer<typeof pageArgs> } {
  const { limit, start, testType, folder, tests, ...filters } = argsOf(testsArgs, args);
  const byVersion = tests?.flatMap((test) => (test?.issueId ? [test.issueId] : []));
  const issueIds = filters.issueIds ?? byVersion;
  let ids = filterIssues(
    ctx,
    ctx.store.tests.keys(),
    { ...filters, issueIds },
    (id) => ctx.store.tests.get(id)?.lastModified,
  );
  if (testType) {
    ids = ids.filter((id) => {
      const test = ctx.store.tests.get(id);
      const type = test ? ctx.store.testTypeOf(test) : undefined;
      if (!type) return false;
      return (
        (!testType.id || type.id === testType.id) &&
        (!testType.name || type.name.toLowerCase() === testType.name.toLowerCase()) &&
        (!testType.kind || type.kind.toLowerCase() === testType.kind.toLowerCase())
      );
    });
  }
  if (folder) ids = ids.filter((id) => inFolder(ctx.store.tests.get(id)?.folderPath ?? '/', folder));
  return { ids, paging: { limit, start } };
}

const listOf =
  (
    type: IssueRef['refType'],
    candidates: (ctx: ResolverContext) => Iterable<string>,
    lastModified: (ctx: ResolverContext, id: string) => string | undefined,
  ): FieldResolver =>
  (_source, args, ctx) => {
    const { limit, start, ...filters } = argsOf(filterArgs, args);
    const ids = filterIssues(ctx, candidates(ctx), filters, (id) => lastModified(ctx, id));
    return page(
      ids.map((id) => new IssueRef(type, id)),
      { limit, start },
    );
  };

const testRunsArgs = pageArgs.extend({
  testIssueIds: idList,
  testExecIssueIds: idList,
  testRunAssignees: idList,
  modifiedSince: z.string().nullish(),
});

export const queryResolvers: Record<string, FieldResolver> = {
  getProjectSettings: (_source, args, ctx) => {
    const { projectIdOrKey } = argsOf(z.object({ projectIdOrKey: z.string().nullish() }), args);
    if (!projectIdOrKey) throw new XrayError('"projectIdOrKey" is required');
    const project = ctx.jira.project(projectIdOrKey);
    if (!project || !ctx.store.tenantSeesProject(ctx.tenant, project.id)) {
      throw new XrayError(`Project "${projectIdOrKey}" was not found.`);
    }
    const settings = ctx.store.projects.get(project.id);
    return settings ? settingsView(settings) : null;
  },

  getCoverableIssue: single('CoverableIssue', (ctx, id) => ctx.store.isCoverable(id)),
  getCoverableIssues: (_source, args, ctx) => {
    const { limit, start, issueIds, jql } = argsOf(filterArgs, args);
    const warnings: string[] = [];
    let ids = [...ctx.jira.issues.keys()].filter((id) => visibleIssue(ctx, id) && ctx.store.isCoverable(id));
    if (issueIds) {
      issueIds.forEach((id) => assertIssueId(id));
      for (const id of issueIds) {
        if (!ids.includes(id))
          warnings.push(`Issue with id "${id}" was not found or is not a coverable issue.`);
      }
      ids = ids.filter((id) => issueIds.includes(id));
    }
    if (jql) {
      const matched = jqlIssueIds(ctx, jql);
      ids = ids.filter((id) => matched.has(id));
    }
    ids.sort((a, b) => Number(a) - Number(b));
    return page(
      ids.map((id) => new IssueRef('CoverableIssue', id)),
      { limit, start },
      { warnings },
    );
  },

  getTest: single('Test', (ctx, id) => ctx.store.tests.has(id)),
  /** "Returns a test … by issue id and version id": the default version without `versionId`. */
  getExpandedTest: (source, args, ctx) => {
    const found = single('Test', (c, id) => c.store.tests.has(id))(source, args, ctx);
    const { versionId } = argsOf(z.object({ versionId: z.number().int().nullish() }), args);
    if (!(found instanceof IssueRef) || versionId === null || versionId === undefined) return found;
    ctx.store.requireTestVersion(found.issueId, versionId);
    return new IssueRef('Test', found.issueId, versionId);
  },
  getTests: (_source, args, ctx) => {
    const { ids, paging } = selectTests(ctx, args);
    return page(
      ids.map((id) => new IssueRef('Test', id)),
      paging,
      { warnings: [] },
    );
  },
  /** `tests: [{ issueId, versionId }]` asks for those versions; the others answer the default one. */
  getExpandedTests: (_source, args, ctx) => {
    const { ids, paging } = selectTests(ctx, args);
    const { tests } = argsOf(testsArgs.pick({ tests: true }), args);
    const versions = new Map<string, number>();
    for (const test of tests ?? []) {
      if (!test?.issueId || test.versionId === null || test.versionId === undefined) continue;
      if (ctx.store.tests.has(test.issueId)) ctx.store.requireTestVersion(test.issueId, test.versionId);
      versions.set(test.issueId, test.versionId);
    }
    return page(
      ids.map((id) => new IssueRef('Test', id, versions.get(id))),
      paging,
    );
  },

  getTestSet: single('TestSet', (ctx, id) => ctx.store.testSets.has(id)),
  getTestSets: listOf(
    'TestSet',
    (ctx) => ctx.store.testSets.keys(),
    (ctx, id) => ctx.store.testSets.get(id)?.lastModified,
  ),
  getTestExecution: single('TestExecution', (ctx, id) => ctx.store.testExecutions.has(id)),
  getTestExecutions: listOf(
    'TestExecution',
    (ctx) => ctx.store.testExecutions.keys(),
    (ctx, id) => ctx.store.testExecutions.get(id)?.lastModified,
  ),
  getTestPlan: single('TestPlan', (ctx, id) => ctx.store.testPlans.has(id)),
  getTestPlans: listOf(
    'TestPlan',
    (ctx) => ctx.store.testPlans.keys(),
    (ctx, id) => ctx.store.testPlans.get(id)?.lastModified,
  ),
  getPrecondition: single('Precondition', (ctx, id) => ctx.store.preconditions.has(id)),
  getPreconditions: listOf(
    'Precondition',
    (ctx) => ctx.store.preconditions.keys(),
    (ctx, id) => ctx.store.preconditions.get(id)?.lastModified,
  ),

  /** "Returns multiple Test Runs testIssueIds and/or testExecIssueIds": one of them is required. */
  getTestRuns: (_source, args, ctx) => {
    const { limit, start, testIssueIds, testExecIssueIds, testRunAssignees, modifiedSince } = argsOf(
      testRunsArgs,
      args,
    );
    if (!testIssueIds?.length && !testExecIssueIds?.length) {
      throw new XrayError('"testIssueIds" or "testExecIssueIds" must be provided.');
    }
    [...(testIssueIds ?? []), ...(testExecIssueIds ?? [])].forEach((id) => assertIssueId(id));
    const since = parseModifiedSince(modifiedSince);
    const runs = [...ctx.store.testRuns.values()]
      .filter(
        (run) =>
          visibleIssue(ctx, run.testIssueId) &&
          (!testIssueIds?.length || testIssueIds.includes(run.testIssueId)) &&
          (!testExecIssueIds?.length || testExecIssueIds.includes(run.testExecIssueId)) &&
          (!testRunAssignees?.length ||
            (run.assigneeId !== null && testRunAssignees.includes(run.assigneeId))) &&
          (since === undefined || Date.parse(run.lastModified) >= since),
      )
      .sort((a, b) => a.seq - b.seq);
    return page(
      runs.map((run) => new RunRef(run.id)),
      { limit, start },
    );
  },
  getTestRun: (_source, args, ctx) => {
    const { testIssueId, testExecIssueId } = argsOf(
      z.object({ testIssueId: z.string().nullish(), testExecIssueId: z.string().nullish() }),
      args,
    );
    if (!testIssueId || !testExecIssueId) return null;
    assertIssueId(testIssueId);
    assertIssueId(testExecIssueId);
    const run = ctx.store.runOf(testExecIssueId, testIssueId);
    return run && visibleIssue(ctx, run.testIssueId) ? new RunRef(run.id) : null;
  },
  getTestRunById: (_source, args, ctx) => {
    const { id } = argsOf(z.object({ id: z.string().nullish() }), args);
    const run = id ? ctx.store.testRuns.get(id) : undefined;
    return run && visibleIssue(ctx, run.testIssueId) ? new RunRef(run.id) : null;
  },
  getTestRunsById: (_source, args, ctx) => {
    const { ids, limit, start } = argsOf(pageArgs.extend({ ids: idList }), args);
    const runs = (ids ?? []).flatMap((id) => {
      const run = ctx.store.testRuns.get(id);
      return run && visibleIssue(ctx, run.testIssueId) ? [new RunRef(run.id)] : [];
    });
    return page(runs, { limit, start });
  },

  getStatuses: (_source, _args, ctx) => ctx.store.statuses.map(runStatusView),
  getStatus: (_source, args, ctx) => {
    const { name } = argsOf(z.object({ name: z.string().nullish() }), args);
    const status = name ? ctx.store.status(name) : undefined;
    return status ? runStatusView(status) : null;
  },
  getStepStatuses: (_source, _args, ctx) => DEFAULT_STEP_STATUSES.map((name) => stepStatusView(ctx, name)),
  getStepStatus: (_source, args, ctx) => {
    const { name } = argsOf(z.object({ name: z.string().nullish() }), args);
    const match = DEFAULT_STEP_STATUSES.find((status) => status.toLowerCase() === name?.toLowerCase());
    return match ? stepStatusView(ctx, match) : null;
  },
  getIssueLinkTypes: (_source, _args, ctx) =>
    [...ctx.jira.linkTypes.values()].map((type) => ({ id: type.id, name: type.name })),

  getFolder: () => null,
  getDataset: () => null,
  getDatasets: () => [],
};
