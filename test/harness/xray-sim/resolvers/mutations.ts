/**
 * Xray Cloud's mutations that the simulator models, all through the XrayStore seeding API. The
 * `jira: JSON!` argument of the create mutations carries Jira's create-issue fields
 * (`{ fields: { summary, project: { key } | { id }, labels?, priority?, description? } }`); the issue
 * type is implied by the mutation. A description may be a string (converted to ADF paragraphs) or an
 * ADF document. Mutations the simulator does not model answer an explicit GraphQL error.
 */
import { z } from 'zod';
import type { AdfDoc, AdfNode } from '../../jira-sim/store';
import { assertIssueId, XrayError } from '../errors';
import type { XrayStep } from '../model';
import type { AddResult, IssueInput } from '../store';
import { argsOf, idList, IssueRef, visibleIssue, type FieldResolver, type ResolverContext } from './context';

const adfNode: z.ZodType<AdfNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    text: z.string().optional(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    marks: z
      .array(z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() }))
      .optional(),
    content: z.array(adfNode).optional(),
  }),
);
const adfDoc = z.object({ type: z.literal('doc'), version: z.literal(1), content: z.array(adfNode) });

const jiraInput = z.object({
  fields: z
    .object({
      summary: z.string().optional(),
      project: z.object({ key: z.string().optional(), id: z.string().optional() }).optional(),
      labels: z.array(z.string()).optional(),
      priority: z.object({ name: z.string().optional(), id: z.string().optional() }).optional(),
      description: z.union([z.string(), adfDoc]).optional(),
      assignee: z.object({ accountId: z.string() }).nullish(),
      reporter: z.object({ accountId: z.string() }).nullish(),
    })
    .loose(),
});

function textToAdf(text: string): AdfDoc | null {
  const paragraphs = text.split(/\n{2,}/).filter((part) => part.trim() !== '');
  if (paragraphs.length === 0) return null;
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((part) => ({ type: 'paragraph', content: [{ type: 'text', text: part }] })),
  };
}

/** Jira's create-issue fields → the seeding API's input, with Jira's messages for missing fields. */
function issueInput(ctx: ResolverContext, jira: unknown): IssueInput {
  const parsed = jiraInput.safeParse(jira);
  if (!parsed.success) {
    throw new XrayError(
      `"jira" must be an object with the issue "fields": ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  const { fields } = parsed.data;
  const projectRef = fields.project?.id ?? fields.project?.key;
  const project = projectRef ? ctx.jira.project(projectRef) : undefined;
  if (!project || !ctx.store.tenantSeesProject(ctx.tenant, project.id)) {
    throw new XrayError(
      'Error creating the issue in Jira: {"errors":{"project":"Specify a valid project ID or key"}}',
    );
  }
  if (!fields.summary?.trim()) {
    throw new XrayError(
      'Error creating the issue in Jira: {"errors":{"summary":"You must specify a summary of the issue."}}',
    );
  }
  const priority = fields.priority
    ? ctx.jira.priority(fields.priority.id ?? fields.priority.name ?? '')
    : undefined;
  if (fields.priority && !priority) {
    throw new XrayError(
      'Error creating the issue in Jira: {"errors":{"priority":"Specify the Priority (id or name) in the string format"}}',
    );
  }
  const description =
    fields.description === undefined
      ? undefined
      : typeof fields.description === 'string'
        ? textToAdf(fields.description)
        : fields.description;
  return {
    projectIdOrKey: project.id,
    summary: fields.summary,
    ...(description !== undefined ? { description } : {}),
    ...(fields.labels ? { labels: fields.labels } : {}),
    ...(priority ? { priorityName: priority.name } : {}),
    ...(fields.assignee ? { assigneeId: fields.assignee.accountId } : {}),
    ...(fields.reporter ? { reporterId: fields.reporter.accountId } : {}),
  };
}

/** An issue of a kind the tenant sees, or Xray's "not found". */
function requireVisible(
  ctx: ResolverContext,
  issueId: string,
  what: string,
  has: (id: string) => boolean,
): string {
  assertIssueId(issueId);
  if (!visibleIssue(ctx, issueId) || !has(issueId))
    throw new XrayError(`${what} with id "${issueId}" was not found.`);
  return issueId;
}

const ids = (values: string[] | undefined) => {
  (values ?? []).forEach((id) => assertIssueId(id));
  return values ?? [];
};

/** Xray's "add" results: the ids added and one warning text (or null). */
const addView = (key: string, result: AddResult) => ({
  [key]: result.added,
  warning: result.warnings.length > 0 ? result.warnings.join(' ') : null,
});

const stepInput = z.object({
  action: z.string().nullish(),
  data: z.string().nullish(),
  result: z.string().nullish(),
  callTestIssueId: z.string().nullish(),
});

const stepView = (step: XrayStep) => ({
  id: step.id,
  action: step.action,
  data: step.data,
  result: step.result,
  callTestIssueId: step.callTestIssueId ?? null,
  attachments: [],
  customFields: [],
});

const typeRef = z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish();
const withTests = z
  .array(z.object({ issueId: z.string().nullish(), versionId: z.number().int().nullish() }).nullable())
  .nullish();
const testIdsFrom = (testIssueIds: string[] | undefined, tests: z.infer<typeof withTests>) =>
  ids([...(testIssueIds ?? []), ...(tests ?? []).flatMap((test) => (test?.issueId ? [test.issueId] : []))]);
/** `tests: [{ issueId, versionId }]`: the version each test is added with (runs execute it). */
const versionsFrom = (tests: z.infer<typeof withTests>) =>
  new Map(
    (tests ?? []).flatMap((test) =>
      test?.issueId && test.versionId !== null && test.versionId !== undefined
        ? [[test.issueId, test.versionId] as const]
        : [],
    ),
  );

const versionArg = z.object({ versionId: z.number().int().nullish() });

/**
 * Edits of a test's definition take an optional `versionId`. The simulator edits the default version
 * (the Test's own fields); a version that does not exist is Xray's "not found", and a non-default one
 * is refused explicitly rather than silently editing the default.
 */
function requireEditableVersion(ctx: ResolverContext, testId: string, args: Record<string, unknown>): void {
  const { versionId } = argsOf(versionArg, args);
  if (versionId === null || versionId === undefined) return;
  ctx.store.requireTestVersion(testId, versionId);
  if (ctx.store.tests.get(testId)?.defaultVersionId !== versionId) {
    throw new XrayError(
      `The Xray simulator edits only the default version of a test; version "${versionId}" of the Test with id "${testId}" is not the default.`,
    );
  }
}

const isTest = (ctx: ResolverContext) => (id: string) => ctx.store.tests.has(id);

export const mutationResolvers: Record<string, FieldResolver> = {
  createTest: (_source, args, ctx) => {
    const input = argsOf(
      z.object({
        jira: z.unknown(),
        testType: typeRef,
        steps: z.array(stepInput.nullable()).nullish(),
        gherkin: z.string().nullish(),
        unstructured: z.string().nullish(),
        preconditionIssueIds: idList,
        folderPath: z.string().nullish(),
      }),
      args,
    );
    const issue = ctx.store.createTest({
      ...issueInput(ctx, input.jira),
      ...(input.testType?.id || input.testType?.name
        ? { testType: input.testType.id ?? input.testType.name ?? '' }
        : {}),
      ...(input.steps
        ? {
            steps: input.steps.flatMap((step) =>
              step ? [{ action: step.action ?? '', data: step.data ?? '', result: step.result ?? '' }] : [],
            ),
          }
        : {}),
      ...(input.gherkin ? { gherkin: input.gherkin } : {}),
      ...(input.unstructured ? { unstructured: input.unstructured } : {}),
      ...(input.preconditionIssueIds ? { preconditionIssueIds: ids(input.preconditionIssueIds) } : {}),
      ...(input.folderPath ? { folderPath: input.folderPath } : {}),
    });
    return { test: new IssueRef('Test', issue.id), warnings: [] };
  },

  createPrecondition: (_source, args, ctx) => {
    const input = argsOf(
      z.object({
        jira: z.unknown(),
        preconditionType: typeRef,
        definition: z.string().nullish(),
        testIssueIds: idList,
        tests: withTests,
        folderPath: z.string().nullish(),
      }),
      args,
    );
    const type = input.preconditionType?.id ?? input.preconditionType?.name;
    const issue = ctx.store.createPrecondition({
      ...issueInput(ctx, input.jira),
      ...(type ? { preconditionType: type } : {}),
      ...(input.definition ? { definition: input.definition } : {}),
      ...(input.folderPath ? { folderPath: input.folderPath } : {}),
    });
    const warnings: string[] = [];
    for (const testId of testIdsFrom(input.testIssueIds, input.tests)) {
      if (!ctx.store.tests.has(testId)) warnings.push(`Test with id "${testId}" was not found.`);
      else ctx.store.addPreconditionsToTest(testId, [issue.id]);
    }
    return { precondition: new IssueRef('Precondition', issue.id), warnings };
  },

  createTestSet: (_source, args, ctx) => {
    const input = argsOf(z.object({ jira: z.unknown(), testIssueIds: idList }), args);
    const issue = ctx.store.createTestSet(issueInput(ctx, input.jira));
    const result = ctx.store.addTestsToTestSet(issue.id, ids(input.testIssueIds));
    return { testSet: new IssueRef('TestSet', issue.id), warnings: result.warnings };
  },

  createTestExecution: (_source, args, ctx) => {
    const input = argsOf(
      z.object({ jira: z.unknown(), testIssueIds: idList, tests: withTests, testEnvironments: idList }),
      args,
    );
    const jiraIssue = issueInput(ctx, input.jira);
    const known = new Set(ctx.store.projects.get(jiraIssue.projectIdOrKey)?.testEnvironments ?? []);
    const environments = input.testEnvironments ?? [];
    const issue = ctx.store.createTestExecution({ ...jiraIssue, testEnvironments: environments });
    const result = ctx.store.addTestsToTestExecution(
      issue.id,
      testIdsFrom(input.testIssueIds, input.tests),
      undefined,
      versionsFrom(input.tests),
    );
    return {
      testExecution: new IssueRef('TestExecution', issue.id),
      warnings: result.warnings,
      createdTestEnvironments: environments.filter((env) => !known.has(env)),
    };
  },

  createTestPlan: (_source, args, ctx) => {
    const input = argsOf(
      z.object({ jira: z.unknown(), testIssueIds: idList, savedFilter: z.string().nullish() }),
      args,
    );
    const issue = ctx.store.createTestPlan(issueInput(ctx, input.jira));
    const result = ctx.store.addTestsToTestPlan(issue.id, ids(input.testIssueIds));
    return { testPlan: new IssueRef('TestPlan', issue.id), warnings: result.warnings };
  },

  addTestsToTestSet: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testIssueIds: idList }), args);
    const setId = requireVisible(ctx, input.issueId, 'Test Set', (id) => ctx.store.testSets.has(id));
    return addView('addedTests', ctx.store.addTestsToTestSet(setId, ids(input.testIssueIds)));
  },
  addTestsToTestExecution: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testIssueIds: idList, tests: withTests }), args);
    const execId = requireVisible(ctx, input.issueId, 'Test Execution', (id) =>
      ctx.store.testExecutions.has(id),
    );
    return addView(
      'addedTests',
      ctx.store.addTestsToTestExecution(
        execId,
        testIdsFrom(input.testIssueIds, input.tests),
        undefined,
        versionsFrom(input.tests),
      ),
    );
  },
  addTestsToTestPlan: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testIssueIds: idList }), args);
    const planId = requireVisible(ctx, input.issueId, 'Test Plan', (id) => ctx.store.testPlans.has(id));
    return addView('addedTests', ctx.store.addTestsToTestPlan(planId, ids(input.testIssueIds)));
  },
  addTestExecutionsToTestPlan: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testExecIssueIds: idList }), args);
    const planId = requireVisible(ctx, input.issueId, 'Test Plan', (id) => ctx.store.testPlans.has(id));
    return addView(
      'addedTestExecutions',
      ctx.store.addTestExecutionsToTestPlan(planId, ids(input.testExecIssueIds)),
    );
  },
  addTestEnvironmentsToTestExecution: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testEnvironments: idList }), args);
    const execId = requireVisible(ctx, input.issueId, 'Test Execution', (id) =>
      ctx.store.testExecutions.has(id),
    );
    const result = ctx.store.addTestEnvironmentsToTestExecution(execId, input.testEnvironments ?? []);
    return {
      associatedTestEnvironments: result.associated,
      createdTestEnvironments: result.created,
      warning: null,
    };
  },
  addPreconditionsToTest: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), preconditionIssueIds: idList }), args);
    const testId = requireVisible(ctx, input.issueId, 'Test', isTest(ctx));
    requireEditableVersion(ctx, testId, args);
    return addView(
      'addedPreconditions',
      ctx.store.addPreconditionsToTest(testId, ids(input.preconditionIssueIds)),
    );
  },
  addTestStep: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), step: stepInput }), args);
    const testId = requireVisible(ctx, input.issueId, 'Test', isTest(ctx));
    requireEditableVersion(ctx, testId, args);
    return stepView(
      ctx.store.addTestStep(testId, {
        action: input.step.action ?? '',
        data: input.step.data ?? '',
        result: input.step.result ?? '',
      }),
    );
  },

  updateTestStep: (_source, args, ctx) => {
    const input = argsOf(
      z.object({
        stepId: z.string(),
        step: z.object({
          action: z.string().nullish(),
          data: z.string().nullish(),
          result: z.string().nullish(),
        }),
      }),
      args,
    );
    requireVisibleStep(ctx, input.stepId);
    ctx.store.updateTestStep(input.stepId, {
      ...(input.step.action != null ? { action: input.step.action } : {}),
      ...(input.step.data != null ? { data: input.step.data } : {}),
      ...(input.step.result != null ? { result: input.step.result } : {}),
    });
    // UpdateTestStepResult: attachments added / removed and warnings (the simulator keeps no attachments).
    return { addedAttachments: [], removedAttachments: [], warnings: [] };
  },
  removeTestStep: (_source, args, ctx) => {
    const input = argsOf(z.object({ stepId: z.string() }), args);
    requireVisibleStep(ctx, input.stepId);
    ctx.store.removeTestStep(input.stepId);
    // The SDL answers a String and documents no value; the simulator answers null rather than invent one.
    return null;
  },

  removeTestsFromTestSet: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testIssueIds: idList }), args);
    const setId = requireVisible(ctx, input.issueId, 'Test Set', (id) => ctx.store.testSets.has(id));
    ctx.store.removeTestsFromTestSet(setId, ids(input.testIssueIds));
    return null;
  },
  removeTestsFromTestExecution: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testIssueIds: idList }), args);
    const execId = requireVisible(ctx, input.issueId, 'Test Execution', (id) =>
      ctx.store.testExecutions.has(id),
    );
    ctx.store.removeTestsFromTestExecution(execId, ids(input.testIssueIds));
    return null;
  },
  removeTestsFromTestPlan: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), testIssueIds: idList }), args);
    const planId = requireVisible(ctx, input.issueId, 'Test Plan', (id) => ctx.store.testPlans.has(id));
    ctx.store.removeTestsFromTestPlan(planId, ids(input.testIssueIds));
    return null;
  },

  updateTestType: (_source, args, ctx) => {
    const input = argsOf(
      z.object({
        issueId: z.string(),
        testType: z.object({ id: z.string().nullish(), name: z.string().nullish() }),
      }),
      args,
    );
    const testId = requireVisible(ctx, input.issueId, 'Test', isTest(ctx));
    requireEditableVersion(ctx, testId, args);
    ctx.store.updateTestType(testId, input.testType.id ?? input.testType.name ?? '');
    return new IssueRef('Test', testId);
  },
  updateGherkinTestDefinition: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), gherkin: z.string() }), args);
    const testId = requireVisible(ctx, input.issueId, 'Test', isTest(ctx));
    requireEditableVersion(ctx, testId, args);
    ctx.store.updateDefinition(testId, { gherkin: input.gherkin });
    return new IssueRef('Test', testId);
  },
  updateUnstructuredTestDefinition: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string(), unstructured: z.string() }), args);
    const testId = requireVisible(ctx, input.issueId, 'Test', isTest(ctx));
    requireEditableVersion(ctx, testId, args);
    ctx.store.updateDefinition(testId, { unstructured: input.unstructured });
    return new IssueRef('Test', testId);
  },
  deleteTest: (_source, args, ctx) => {
    const input = argsOf(z.object({ issueId: z.string() }), args);
    ctx.store.deleteTest(requireVisible(ctx, input.issueId, 'Test', isTest(ctx)));
    return null;
  },

  updateTestRunStatus: (_source, args, ctx) => {
    const input = argsOf(z.object({ id: z.string(), status: z.string() }), args);
    requireRun(ctx, input.id);
    ctx.store.updateRun(input.id, input.status);
    return null;
  },
  updateTestRunComment: (_source, args, ctx) => {
    const input = argsOf(z.object({ id: z.string(), comment: z.string() }), args);
    requireRun(ctx, input.id);
    ctx.store.updateRunFields(input.id, { comment: input.comment });
    return null;
  },
  updateTestRun: (_source, args, ctx) => {
    const input = argsOf(
      z.object({
        id: z.string(),
        comment: z.string().nullish(),
        startedOn: z.string().nullish(),
        finishedOn: z.string().nullish(),
        assigneeId: z.string().nullish(),
        executedById: z.string().nullish(),
      }),
      args,
    );
    requireRun(ctx, input.id);
    ctx.store.updateRunFields(input.id, {
      ...(input.comment != null ? { comment: input.comment } : {}),
      ...(input.startedOn != null ? { startedOn: input.startedOn } : {}),
      ...(input.finishedOn != null ? { finishedOn: input.finishedOn } : {}),
      ...(input.assigneeId != null ? { assigneeId: input.assigneeId } : {}),
      ...(input.executedById != null ? { executedById: input.executedById } : {}),
    });
    return { warnings: [] };
  },
  addDefectsToTestRun: (_source, args, ctx) => {
    const input = argsOf(z.object({ id: z.string(), issues: idList }), args);
    requireRun(ctx, input.id);
    const result = ctx.store.addDefectsToRun(input.id, input.issues ?? []);
    return { addedDefects: result.added, warnings: result.warnings };
  },
};

/** A step of a test the tenant sees, or Xray's "not found" (a step of another site's test is not found). */
function requireVisibleStep(ctx: ResolverContext, stepId: string): void {
  const test = [...ctx.store.tests.values()].find((candidate) =>
    candidate.steps.some((step) => step.id === stepId),
  );
  if (test && !visibleIssue(ctx, test.issueId))
    throw new XrayError(`Step with id "${stepId}" was not found.`);
}

function requireRun(ctx: ResolverContext, runId: string): void {
  const run = ctx.store.testRuns.get(runId);
  if (!run || !visibleIssue(ctx, run.testIssueId))
    throw new XrayError(`Test Run with id "${runId}" was not found.`);
}
