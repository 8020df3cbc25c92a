/**
 * Acceptance-criterion traceability resolvers (issue 18; docs/criteria.md "The Criteria view and
 * mappings"): thin — access → payload (zod, strict) → use case.
 *
 * Two access rules of their own, each ONE Jira request as the caller (the permissions of the issue
 * whose panel made the call): `criteriaReader` — anyone who can see the issue, and whether they hold
 * Edit issues on it (the view's `canEdit`, at no extra request); `criteriaEditor` — the same, and
 * Edit issues is required (FORBIDDEN otherwise). The project view is the settings page's
 * (`projectAdmin`).
 */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { answeredTo } from '../access/reader';
import { requireIssueAccess } from '../access/authorize';
import { Deadline } from '../clients/upstream';
import { getCriteriaView, type CriteriaCaller } from '../criteria/criteria-view';
import { cannotEdit, changeCriterionMapping } from '../criteria/mappings';
import { getProjectCriteria } from '../criteria/project-view';
import { CRITERION_ID_PATTERN } from '../criteria/schema';
import { suggestCriterionMappings } from '../criteria/suggest-mappings';
import { PANEL_BUDGET_MS } from '../platform/limits';
import { issueContextOf } from './context';
import { defineResolver, emptyPayload, projectAdmin, type Access } from './define';

/**
 * Anyone Jira lets see the issue whose panel made the call; the same request tells whether they
 * administer the project (error wording) and hold Edit issues on the issue (`canEdit`).
 */
export const criteriaReader: Access<CriteriaCaller> = async (context, current) => {
  const caller = issueContextOf(context);
  const access = await requireIssueAccess(current, caller.issue, [], undefined, ['EDIT_ISSUES']);
  return {
    caller: { ...caller, canEdit: access.holds.has('EDIT_ISSUES') },
    reader: { projectAdmin: access.projectAdmin },
  };
};

/** As `criteriaReader`, and the caller must hold Edit issues on the issue (FORBIDDEN otherwise). */
export const criteriaEditor: Access<CriteriaCaller> = async (context, current) => {
  const vouched = await criteriaReader(context, current);
  if (!vouched.caller.canEdit) throw cannotEdit(vouched.caller.issue.key);
  return vouched;
};

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;

const scopeKey = (what: string, example: string) =>
  z
    .string(`Enter a ${what}’s issue key.`)
    .trim()
    .toUpperCase()
    .max(50, 'An issue key is at most 50 characters.')
    .regex(ISSUE_KEY, `Enter a ${what}’s issue key such as ${example}.`)
    .optional();

/**
 * The view's scope: a Test Plan or a Test Execution (its issue key; not both), or the latest run
 * overall (neither).
 */
const viewSchema = z
  .object({
    testPlanKey: scopeKey('Test Plan', 'DEMO-30'),
    testExecutionKey: scopeKey('Test Execution', 'DEMO-87'),
  })
  .strict()
  .superRefine((input, context) => {
    if (input.testPlanKey !== undefined && input.testExecutionKey !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['testExecutionKey'],
        message: 'Choose a Test Plan or a Test Execution, not both.',
      });
    }
  });

const changeSchema = z
  .object({
    action: z.enum(['map', 'unmap', 'confirm', 'reject'], 'Choose map, unmap, confirm or reject.'),
    testKey: z
      .string('Enter a test’s issue key.')
      .trim()
      .toUpperCase()
      .max(50, 'An issue key is at most 50 characters.')
      .regex(ISSUE_KEY, 'Enter an issue key such as DEMO-12.'),
    criterionId: z
      .string('Choose a criterion.')
      .regex(CRITERION_ID_PATTERN, 'This is not a criterion id; reload the panel.'),
  })
  .strict();

const projectCriteriaSchema = z
  .object({
    cursor: z
      .string()
      .min(1, 'The page cursor is empty.')
      .max(500, 'The page cursor is too long.')
      .optional(),
    limit: z
      .number()
      .int('Enter a whole number.')
      .min(1, 'Ask for at least 1 requirement.')
      .max(50, 'Ask for at most 50 requirements.')
      .optional(),
  })
  .strict();

export const criteriaResolvers = {
  [RESOLVERS.getCriteria]: defineResolver(
    RESOLVERS.getCriteria,
    { access: criteriaReader, payload: viewSchema },
    (caller, input, platform, reader) =>
      answeredTo(platform, caller, reader, () =>
        getCriteriaView(platform, caller, new Deadline(PANEL_BUDGET_MS), {
          testPlanKey: input.testPlanKey,
          testExecutionKey: input.testExecutionKey,
        }),
      ),
  ),

  [RESOLVERS.changeCriterionMapping]: defineResolver(
    RESOLVERS.changeCriterionMapping,
    { access: criteriaEditor, payload: changeSchema },
    (caller, input, platform, reader) =>
      answeredTo(platform, caller, reader, () =>
        changeCriterionMapping(platform, caller, input, new Deadline(PANEL_BUDGET_MS)),
      ),
  ),

  [RESOLVERS.suggestCriterionMappings]: defineResolver(
    RESOLVERS.suggestCriterionMappings,
    { access: criteriaEditor, payload: emptyPayload },
    (caller, _input, platform, reader) =>
      answeredTo(platform, caller, reader, () => suggestCriterionMappings(platform, caller)),
  ),

  [RESOLVERS.getProjectCriteria]: defineResolver(
    RESOLVERS.getProjectCriteria,
    { access: projectAdmin, payload: projectCriteriaSchema },
    (caller, input, platform) => getProjectCriteria(platform, caller, input),
  ),
};
