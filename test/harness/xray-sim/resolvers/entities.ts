/**
 * Field resolvers of Xray's object types (CoverableIssue, Test, ExpandedTest, TestSet, TestExecution,
 * TestPlan, Precondition, TestRun, TestVersion) per the SDL. Fields the simulator does not model
 * (history, dataset, folders of plans, iterations, evidence …) resolve to null or empty lists.
 *
 * Test versions: a Test's own fields (steps, gherkin, testType …) are its DEFAULT version's; every
 * version is listed by `testVersions`; a Test Run answers the version it executes (`testVersion`);
 * an ExpandedTest asked for a version (`getExpandedTest(versionId:)`) answers that version's
 * definition and `versionId`.
 */
import { z } from 'zod';
import { renderJiraFields } from '../jira-fields';
import {
  COVERAGE_STATUSES,
  type XrayRunStatus,
  type XrayStep,
  type XrayTest,
  type XrayTestDefinition,
} from '../model';
import {
  argsOf,
  IssueRef,
  narrow,
  nestedListArgs,
  onIssue,
  onRun,
  page,
  pageArgs,
  RunRef,
  VersionRef,
  visibleIssue,
  type FieldResolver,
  type ResolverContext,
  type ResolverMap,
} from './context';

const jiraArgs = z.object({ fields: z.array(z.string().nullable()).nullish() });
const statusArgs = z.object({
  environment: z.string().nullish(),
  isFinal: z.boolean().nullish(),
  testPlan: z.string().nullish(),
  version: z.string().nullish(),
});

const refs = (type: IssueRef['refType'], ctx: ResolverContext, ids: readonly string[]) =>
  ids.filter((id) => visibleIssue(ctx, id)).map((id) => new IssueRef(type, id));

/** `jira(fields: [...])`: Xray returns Jira's field values as JSON, the key always included. */
const jiraField: FieldResolver = onIssue((ref, args, ctx) => {
  const issue = ctx.jira.issues.get(ref.issueId);
  if (!issue) return { key: null };
  return renderJiraFields(ctx.jira, issue, argsOf(jiraArgs, args).fields);
});

const projectIdField: FieldResolver = onIssue(
  (ref, _args, ctx) => ctx.jira.issues.get(ref.issueId)?.projectId ?? null,
);

export const runStatusView = (status: XrayRunStatus) => ({
  name: status.name,
  description: status.description,
  color: status.color,
  final: status.final,
  coverageStatus: status.coverageStatus,
});

export const stepStatusView = (ctx: ResolverContext, name: string) => {
  const status = ctx.store.status(name);
  return {
    name,
    description: status?.description ?? null,
    color: status?.color ?? null,
    testStatus: status ? runStatusView(status) : null,
  };
};

const stepView = (step: XrayStep) => ({
  id: step.id,
  action: step.action,
  data: step.data,
  result: step.result,
  callTestIssueId: step.callTestIssueId ?? null,
  attachments: [],
  customFields: [],
});

const folderView = (path: string) => ({ path, name: path === '/' ? '' : (path.split('/').at(-1) ?? '') });

const testOf = (ref: IssueRef, ctx: ResolverContext): XrayTest | undefined =>
  ctx.store.tests.get(ref.issueId);

const onTest = (resolve: (test: XrayTest, args: Record<string, unknown>, ctx: ResolverContext) => unknown) =>
  onIssue((ref, args, ctx) => {
    const test = testOf(ref, ctx);
    return test ? resolve(test, args, ctx) : null;
  });

/** The definition an issue ref reads: the version it names, else the default version (the test). */
const definitionOf = (ref: IssueRef, test: XrayTest, ctx: ResolverContext): XrayTestDefinition =>
  ref.versionId === undefined ? test : (ctx.store.versionDefinition(test, ref.versionId) ?? test);

/** A resolver of a test's definition field, for the version the ref names. */
const onDefinition = (
  resolve: (definition: XrayTestDefinition, test: XrayTest, ctx: ResolverContext) => unknown,
): FieldResolver =>
  onIssue((ref, _args, ctx) => {
    const test = testOf(ref, ctx);
    return test ? resolve(definitionOf(ref, test, ctx), test, ctx) : null;
  });

const testTypeView = (ctx: ResolverContext, test: XrayTest, definition: XrayTestDefinition) => {
  const issue = ctx.jira.issues.get(test.issueId);
  return issue ? (ctx.store.testType(issue.projectId, definition.testTypeId) ?? null) : null;
};

const versionArgs = pageArgs.extend({ archived: z.boolean().nullish(), testTypeId: z.string().nullish() });

const testFields: Record<string, FieldResolver> = {
  jira: jiraField,
  projectId: projectIdField,
  testType: onTest((test, _args, ctx) => ctx.store.testTypeOf(test) ?? null),
  steps: onTest((test) => test.steps.map(stepView)),
  gherkin: onTest((test) => test.gherkin),
  scenarioType: onTest((test) => test.scenarioType),
  unstructured: onTest((test) => test.unstructured),
  folder: onTest((test) => folderView(test.folderPath)),
  lastModified: onTest((test) => test.lastModified),
  status: onTest((test, args, ctx) => {
    const scope = argsOf(statusArgs, args);
    const status = ctx.store.testStatus(test.issueId, {
      ...(scope.environment ? { environment: scope.environment } : {}),
      ...(scope.testPlan ? { testPlanId: scope.testPlan } : {}),
      ...(scope.isFinal ? { isFinal: true } : {}),
    });
    return { name: status.name, description: status.description, color: status.color, final: status.final };
  }),
  preconditions: onTest((test, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('Precondition', ctx, narrow(test.preconditionIds, issueIds)), paging);
  }),
  testSets: onTest((test, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('TestSet', ctx, narrow(ctx.store.testSetsOfTest(test.issueId), issueIds)), paging);
  }),
  testExecutions: onTest((test, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(
      refs('TestExecution', ctx, narrow(ctx.store.testExecutionsOfTest(test.issueId), issueIds)),
      paging,
    );
  }),
  testPlans: onTest((test, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('TestPlan', ctx, narrow(ctx.store.testPlansOfTest(test.issueId), issueIds)), paging);
  }),
  testRuns: onTest((test, args, ctx) =>
    page(
      ctx.store.runsOfTest(test.issueId).map((run) => new RunRef(run.id)),
      argsOf(pageArgs, args),
    ),
  ),
  coverableIssues: onTest((test, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(
      refs('CoverableIssue', ctx, narrow(ctx.store.coveredIssueIds(test.issueId), issueIds)),
      paging,
    );
  }),
  dataset: () => null,
  history: () => null,
  testVersions: onTest((test, args, ctx) => {
    const { archived, testTypeId, ...paging } = argsOf(versionArgs, args);
    const versions = test.versions.filter((version) => {
      if (archived !== null && archived !== undefined && version.archived !== archived) return false;
      if (!testTypeId) return true;
      return ctx.store.versionDefinition(test, version.id)?.testTypeId === testTypeId;
    });
    return page(
      versions.map((version) => new VersionRef(test.issueId, version.id)),
      paging,
    );
  }),
};

/**
 * getExpandedTest(s): call-test steps expanded (the simulator has no call-test steps to expand), for
 * the version asked (`versionId`), else the default version.
 */
const expandedTestFields: Record<string, FieldResolver> = {
  ...testFields,
  testType: onDefinition((definition, test, ctx) => testTypeView(ctx, test, definition)),
  steps: onDefinition((definition, test) =>
    definition.steps.map((step) => ({
      ...stepView(step),
      parentTestIssueId: test.issueId,
      calledTestIssueId: step.callTestIssueId ?? null,
    })),
  ),
  gherkin: onDefinition((definition) => definition.gherkin),
  scenarioType: onDefinition((definition) => definition.scenarioType),
  unstructured: onDefinition((definition) => definition.unstructured),
  preconditions: onIssue((ref, args, ctx) => {
    const test = testOf(ref, ctx);
    if (!test) return null;
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    const ids = definitionOf(ref, test, ctx).preconditionIds;
    return page(refs('Precondition', ctx, narrow(ids, issueIds)), paging);
  }),
  versionId: onIssue((ref, _args, ctx) => {
    const test = testOf(ref, ctx);
    return test ? (ref.versionId ?? test.defaultVersionId) : null;
  }),
  warnings: onTest(() => []),
};

/** A version of a test (source: VersionRef); null when the test or the version is gone. */
const onVersion =
  (
    resolve: (
      test: XrayTest,
      definition: XrayTestDefinition,
      versionId: number,
      args: Record<string, unknown>,
      ctx: ResolverContext,
    ) => unknown,
  ): FieldResolver =>
  (source, args, ctx) => {
    if (!(source instanceof VersionRef)) return null;
    const test = ctx.store.tests.get(source.testIssueId);
    const definition = test ? ctx.store.versionDefinition(test, source.versionId) : undefined;
    return test && definition ? resolve(test, definition, source.versionId, args, ctx) : null;
  };

const versionOf = (test: XrayTest, versionId: number) =>
  test.versions.find((version) => version.id === versionId);

const testVersionFields: Record<string, FieldResolver> = {
  id: onVersion((_test, _definition, versionId) => versionId),
  name: onVersion((test, _definition, versionId) => versionOf(test, versionId)?.name ?? null),
  default: onVersion((test, _definition, versionId) => test.defaultVersionId === versionId),
  archived: onVersion((test, _definition, versionId) => versionOf(test, versionId)?.archived ?? false),
  lastModified: onVersion((test, _definition, versionId) => versionOf(test, versionId)?.lastModified ?? null),
  testType: onVersion((test, definition, _versionId, _args, ctx) => testTypeView(ctx, test, definition)),
  steps: onVersion((_test, definition) => definition.steps.map(stepView)),
  gherkin: onVersion((_test, definition) => definition.gherkin),
  scenarioType: onVersion((_test, definition) => definition.scenarioType),
  unstructured: onVersion((_test, definition) => definition.unstructured),
  preconditions: onVersion((_test, definition, _versionId, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('Precondition', ctx, narrow(definition.preconditionIds, issueIds)), paging);
  }),
  testRuns: onVersion((test, _definition, versionId, args, ctx) =>
    page(
      ctx.store
        .runsOfTest(test.issueId)
        .filter((run) => run.testVersionId === versionId)
        .map((run) => new RunRef(run.id)),
      argsOf(pageArgs, args),
    ),
  ),
  testExecutions: onVersion((test, _definition, versionId, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    const ids = [
      ...new Set(
        ctx.store
          .runsOfTest(test.issueId)
          .filter((run) => run.testVersionId === versionId)
          .map((run) => run.testExecIssueId),
      ),
    ];
    return page(refs('TestExecution', ctx, narrow(ids, issueIds)), paging);
  }),
  test: onVersion((test, _definition, _versionId, _args, ctx) =>
    visibleIssue(ctx, test.issueId) ? new IssueRef('Test', test.issueId) : null,
  ),
};

const coverableIssueFields: Record<string, FieldResolver> = {
  jira: jiraField,
  status: onIssue((ref, args, ctx) => {
    const scope = argsOf(statusArgs, args);
    const coverage = ctx.store.coverageOf(ref.issueId, {
      ...(scope.environment ? { environment: scope.environment } : {}),
      ...(scope.testPlan ? { testPlanId: scope.testPlan } : {}),
      ...(scope.isFinal ? { isFinal: true } : {}),
    });
    return { name: coverage.status, ...COVERAGE_STATUSES[coverage.status] };
  }),
  tests: onIssue((ref, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('Test', ctx, narrow(ctx.store.coveringTestIds(ref.issueId), issueIds)), paging);
  }),
};

const testsOf = (ids: readonly string[]) =>
  onIssue((_ref, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('Test', ctx, narrow(ids, issueIds)), paging);
  });

const testSetFields: Record<string, FieldResolver> = {
  jira: jiraField,
  projectId: projectIdField,
  lastModified: onIssue((ref, _args, ctx) => ctx.store.testSets.get(ref.issueId)?.lastModified ?? null),
  tests: onIssue((ref, args, ctx) =>
    testsOf(ctx.store.testSets.get(ref.issueId)?.testIds ?? [])(ref, args, ctx),
  ),
  history: () => null,
};

const testExecutionFields: Record<string, FieldResolver> = {
  jira: jiraField,
  projectId: projectIdField,
  lastModified: onIssue((ref, _args, ctx) => ctx.store.testExecutions.get(ref.issueId)?.lastModified ?? null),
  testEnvironments: onIssue(
    (ref, _args, ctx) => ctx.store.testExecutions.get(ref.issueId)?.testEnvironments ?? [],
  ),
  tests: onIssue((ref, args, ctx) =>
    testsOf(ctx.store.testExecutions.get(ref.issueId)?.testIds ?? [])(ref, args, ctx),
  ),
  testPlans: onIssue((ref, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    return page(refs('TestPlan', ctx, narrow(ctx.store.testPlansOfExecution(ref.issueId), issueIds)), paging);
  }),
  testRuns: onIssue((ref, args, ctx) =>
    page(
      ctx.store.runsOfExecution(ref.issueId).map((run) => new RunRef(run.id)),
      argsOf(pageArgs, args),
    ),
  ),
  history: () => null,
};

const testPlanFields: Record<string, FieldResolver> = {
  jira: jiraField,
  projectId: projectIdField,
  lastModified: onIssue((ref, _args, ctx) => ctx.store.testPlans.get(ref.issueId)?.lastModified ?? null),
  tests: onIssue((ref, args, ctx) =>
    testsOf(ctx.store.testPlans.get(ref.issueId)?.testIds ?? [])(ref, args, ctx),
  ),
  testExecutions: onIssue((ref, args, ctx) => {
    const { issueIds, ...paging } = argsOf(nestedListArgs, args);
    const ids = ctx.store.testPlans.get(ref.issueId)?.testExecIds ?? [];
    return page(refs('TestExecution', ctx, narrow(ids, issueIds)), paging);
  }),
  folders: () => null,
  history: () => null,
};

const preconditionFields: Record<string, FieldResolver> = {
  jira: jiraField,
  projectId: projectIdField,
  definition: onIssue((ref, _args, ctx) => ctx.store.preconditions.get(ref.issueId)?.definition ?? null),
  lastModified: onIssue((ref, _args, ctx) => ctx.store.preconditions.get(ref.issueId)?.lastModified ?? null),
  folder: onIssue((ref, _args, ctx) => {
    const precondition = ctx.store.preconditions.get(ref.issueId);
    return precondition ? folderView(precondition.folderPath) : null;
  }),
  preconditionType: onIssue((ref, _args, ctx) => {
    const precondition = ctx.store.preconditions.get(ref.issueId);
    const issue = ctx.jira.issues.get(ref.issueId);
    if (!precondition || !issue) return null;
    return ctx.store.testType(issue.projectId, precondition.preconditionTypeId) ?? null;
  }),
  tests: onIssue((ref, args, ctx) => testsOf(ctx.store.testsOfPrecondition(ref.issueId))(ref, args, ctx)),
  history: () => null,
  testVersions: () => null,
};

const testRunFields: Record<string, FieldResolver> = {
  status: onRun((run, _args, ctx) => {
    const status = ctx.store.status(run.status);
    return status ? runStatusView(status) : { name: run.status };
  }),
  test: onRun((run, _args, ctx) =>
    visibleIssue(ctx, run.testIssueId) ? new IssueRef('Test', run.testIssueId) : null,
  ),
  testExecution: onRun((run, _args, ctx) =>
    visibleIssue(ctx, run.testExecIssueId) ? new IssueRef('TestExecution', run.testExecIssueId) : null,
  ),
  testType: onRun((run, _args, ctx) => {
    const issue = ctx.jira.issues.get(run.testIssueId);
    return issue ? (ctx.store.testType(issue.projectId, run.testTypeId) ?? null) : null;
  }),
  steps: onRun((run, _args, ctx) =>
    run.steps.map((step) => ({
      id: step.id,
      action: step.action,
      data: step.data,
      result: step.result,
      status: stepStatusView(ctx, step.status),
      comment: step.comment,
      actualResult: step.actualResult,
      defects: [...step.defects],
      evidence: [],
      attachments: [],
      customFields: [],
    })),
  ),
  preconditions: onRun((run, args, ctx) => {
    const ids = ctx.store.tests.get(run.testIssueId)?.preconditionIds ?? [];
    const items = ids.map((id) => ({
      definition: ctx.store.preconditions.get(id)?.definition ?? null,
      preconditionRef: visibleIssue(ctx, id) ? new IssueRef('Precondition', id) : null,
    }));
    return page(items, argsOf(pageArgs, args));
  }),
  comment: onRun((run) => run.comment),
  startedOn: onRun((run) => run.startedOn),
  finishedOn: onRun((run) => run.finishedOn),
  gherkin: onRun((run) => run.gherkin),
  scenarioType: onRun((run) => run.scenarioType),
  unstructured: onRun((run) => run.unstructured),
  lastModified: onRun((run) => run.lastModified),
  assigneeId: onRun((run) => run.assigneeId),
  executedById: onRun((run) => run.executedById),
  defects: onRun((run) => [...run.defects]),
  evidence: onRun(() => []),
  examples: onRun(() => []),
  results: onRun(() => []),
  parameters: onRun(() => []),
  customFields: onRun(() => []),
  iterations: () => null,
  testVersion: onRun((run, _args, ctx) => {
    const test = ctx.store.tests.get(run.testIssueId);
    return test && versionOf(test, run.testVersionId)
      ? new VersionRef(test.issueId, run.testVersionId)
      : null;
  }),
};

export const entityResolvers: ResolverMap = {
  Test: testFields,
  ExpandedTest: expandedTestFields,
  CoverableIssue: coverableIssueFields,
  TestSet: testSetFields,
  TestExecution: testExecutionFields,
  TestPlan: testPlanFields,
  Precondition: preconditionFields,
  TestRun: testRunFields,
  TestVersion: testVersionFields,
};
