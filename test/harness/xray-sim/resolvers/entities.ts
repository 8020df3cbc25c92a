/**
 * Field resolvers of Xray's object types (CoverableIssue, Test, ExpandedTest, TestSet, TestExecution,
 * TestPlan, Precondition, TestRun) per the SDL. Fields the simulator does not model (history,
 * dataset, testVersions, folders of plans, iterations, evidence …) resolve to null or empty lists.
 */
import { z } from 'zod';
import { renderJiraFields } from '../jira-fields';
import { COVERAGE_STATUSES, type XrayRunStatus, type XrayStep, type XrayTest } from '../model';
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
  testVersions: () => null,
};

/** getExpandedTest(s): call-test steps expanded (the simulator has no call-test steps to expand). */
const expandedTestFields: Record<string, FieldResolver> = {
  ...testFields,
  steps: onTest((test) =>
    test.steps.map((step) => ({
      ...stepView(step),
      parentTestIssueId: test.issueId,
      calledTestIssueId: step.callTestIssueId ?? null,
    })),
  ),
  versionId: onTest(() => 1),
  warnings: onTest(() => []),
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
  testVersion: () => null,
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
};
