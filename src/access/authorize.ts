/**
 * Who may do what, decided in one place, always as the calling user (Forge `asUser`) and always
 * from what the Forge context names — never from a payload:
 *
 * - `requireIssueAccess`: the user can see the issue (and holds the named permissions in its
 *   context). Every issue-scoped resolver calls it before it reads or answers anything.
 * - `authorizeCreation`: everything a creation of generated tests will write — new tests in the
 *   requirement's project (CREATE_ISSUES), their coverage links (LINK_ISSUES), and each chosen
 *   existing Test Set / Test Execution / Test Plan (read as the user, of the right type, in the
 *   requirement's project, EDIT_ISSUES on that very issue). It returns the resolved issue ids, so
 *   whoever carries the creation out (this call, or the queue worker acting as the app) never
 *   resolves a key itself.
 * - `visibleTo`: issues another service (Xray, read with the project's key) names are kept only if
 *   the user can see them in Jira.
 */
import type { DestinationDto as CreationDestinationInput } from '../api';
import { getMyPermissions } from '../clients/jira';
import { getIssueBasics, visibleIssueIds } from '../clients/jira-issues';
import type { Deadline } from '../clients/upstream';
import { AppError, hasCode } from '../errors';
import type { JiraActor, Platform } from '../platform/ports';

export type IssuePermission = 'CREATE_ISSUES' | 'EDIT_ISSUES' | 'LINK_ISSUES';

const PERMISSION_NAMES: Record<IssuePermission, string> = {
  CREATE_ISSUES: 'Create Issues',
  EDIT_ISSUES: 'Edit Issues',
  LINK_ISSUES: 'Link Issues',
};

const namesOf = (permissions: IssuePermission[]) =>
  permissions.map((permission) => `“${PERMISSION_NAMES[permission]}”`).join(' and ');

interface IssueHandle {
  id: string;
  key: string;
}

/** What the access check learnt about the caller besides "may see the issue". */
export interface IssueAccess {
  /** Administers the issue's project: configuration remedies are theirs to act on. */
  projectAdmin: boolean;
  /** Of the permissions asked about (`wants`), those the caller holds on the issue. */
  holds: ReadonlySet<IssuePermission>;
}

/**
 * The calling user can see `issue` and holds each of `needs` in its context: ISSUE_NOT_FOUND when
 * Jira hides it from them, FORBIDDEN naming the missing permission otherwise. One Jira request,
 * which also tells whether they administer the project (for the wording of errors they read).
 */
export async function requireIssueAccess(
  platform: Platform,
  issue: IssueHandle,
  needs: IssuePermission[] = [],
  deadline?: Deadline,
  /** Asked in the same request and reported in `holds`, not required (e.g. whether to offer an edit). */
  wants: IssuePermission[] = [],
): Promise<IssueAccess> {
  const held = await getMyPermissions(
    platform.jira,
    { issueId: issue.id },
    [
      ...new Set<IssuePermission | 'BROWSE_PROJECTS' | 'ADMINISTER_PROJECTS'>([
        'BROWSE_PROJECTS',
        'ADMINISTER_PROJECTS',
        ...needs,
        ...wants,
      ]),
    ],
    { as: 'user', ...(deadline ? { deadline } : {}) },
    issue.key,
  );
  if (!held.BROWSE_PROJECTS) throw new AppError('ISSUE_NOT_FOUND');
  const missing = needs.filter((permission) => !held[permission]);
  if (missing.length > 0) {
    throw new AppError('FORBIDDEN', {
      message: `Forbidden — creating tests for ${issue.key} needs Jira's ${namesOf(missing)} permission, which you do not have in this project.`,
      remedy: `Ask a Jira admin or the project's admin to grant you ${namesOf(missing)} in this project's permission scheme.`,
    });
  }
  return {
    projectAdmin: held.ADMINISTER_PROJECTS === true,
    holds: new Set(wants.filter((permission) => held[permission] === true)),
  };
}

/** A chosen destination, resolved and authorized: the queue worker uses the ids as they are. */
export interface AuthorizedIssue {
  key: string;
  issueId: string;
}

export interface AuthorizedCreation {
  /** Who was authorized, and when (each Continue authorizes its caller again). */
  by: string;
  at: string;
  testSet?: AuthorizedIssue;
  testExecution?: AuthorizedIssue;
  testPlan?: AuthorizedIssue;
}

type ExistingChoice = 'testSet' | 'testExecution' | 'testPlan';

const TYPE_NAMES: Record<ExistingChoice, string> = {
  testSet: 'Test Set',
  testExecution: 'Test Execution',
  testPlan: 'Test Plan',
};

/** The existing issues a destination names (a new Set / Execution needs no more than CREATE_ISSUES). */
function existingChoices(destination: CreationDestinationInput): [ExistingChoice, string][] {
  const chosen: [ExistingChoice, string][] = [];
  if (destination.testSet?.mode === 'existing') chosen.push(['testSet', destination.testSet.key]);
  if (destination.testExecution?.mode === 'existing')
    chosen.push(['testExecution', destination.testExecution.key]);
  if (destination.testPlan) chosen.push(['testPlan', destination.testPlan.key]);
  return chosen;
}

/** One existing destination, as the user sees it: a field error, or its id. */
async function authorizeExisting(
  platform: Platform,
  which: ExistingChoice,
  key: string,
  project: IssueHandle,
  deadline: Deadline | undefined,
): Promise<{ error: string } | { issue: AuthorizedIssue }> {
  const options = { as: 'user' as const, ...(deadline ? { deadline } : {}) };
  const notFound = { error: `${key} does not exist, or you cannot see it.` };
  const [basics, held] = await Promise.all([
    getIssueBasics(platform.jira, key, options).catch((error: unknown) => {
      if (hasCode(error, 'ISSUE_NOT_FOUND', 'JIRA_UNAUTHORIZED')) return null;
      throw error;
    }),
    getMyPermissions(platform.jira, { issueKey: key }, ['BROWSE_PROJECTS', 'EDIT_ISSUES'], options).catch(
      (error: unknown) => {
        if (hasCode(error, 'ISSUE_NOT_FOUND', 'JIRA_UNAUTHORIZED')) return null;
        throw error;
      },
    ),
  ]);
  if (!basics || !held?.BROWSE_PROJECTS) return notFound;
  const typeName = TYPE_NAMES[which];
  if (basics.fields.issuetype.name !== typeName) {
    return { error: `${basics.key} is a ${basics.fields.issuetype.name}, not a ${typeName}.` };
  }
  if (basics.fields.project.id !== project.id) {
    return {
      error: `${basics.key} belongs to project ${basics.fields.project.key}; choose a ${typeName} of ${project.key}.`,
    };
  }
  if (!held.EDIT_ISSUES) {
    return {
      error: `You cannot add tests to ${basics.key}: it needs Jira's “Edit Issues” permission on it.`,
    };
  }
  return { issue: { key: basics.key, issueId: basics.id } };
}

/**
 * Authorizes the calling user for everything a creation writes (see the module comment), before
 * anything is created or queued: FORBIDDEN or ISSUE_NOT_FOUND for the requirement, VALIDATION with
 * one field error per refused destination. Requests: 1 + 2 per existing destination, all at once.
 */
export async function authorizeCreation(
  platform: Platform,
  caller: { accountId: string; project: IssueHandle; requirement: IssueHandle },
  destination: CreationDestinationInput,
  deadline?: Deadline,
): Promise<AuthorizedCreation> {
  const choices = existingChoices(destination);
  const [, ...resolved] = await Promise.all([
    requireIssueAccess(platform, caller.requirement, ['CREATE_ISSUES', 'LINK_ISSUES'], deadline),
    ...choices.map(([which, key]) => authorizeExisting(platform, which, key, caller.project, deadline)),
  ]);
  const fieldErrors: Record<string, string> = {};
  const authorized: AuthorizedCreation = { by: caller.accountId, at: platform.clock.now().toISOString() };
  choices.forEach(([which], index) => {
    const outcome = resolved[index];
    if (!outcome) return;
    if ('error' in outcome) fieldErrors[`destination.${which}`] = outcome.error;
    else authorized[which] = outcome.issue;
  });
  if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });
  return authorized;
}

/**
 * Which of `issueIds` the actor may see in Jira, as a predicate: for a user, one bulk read per 100
 * ids (all at once); the app sees everything (as Jira's own answers to the app include every linked
 * issue). Everything Xray — read with the project's key — names about other issues passes through
 * this before it reaches a user, a document sent on a user's behalf, or a destination list.
 */
export async function visibleTo(
  platform: Pick<Platform, 'jira'>,
  actor: JiraActor,
  issueIds: readonly string[],
  deadline?: Deadline,
): Promise<(issueId: string) => boolean> {
  if (actor === 'app' || issueIds.length === 0) return () => true;
  const visible = await visibleIssueIds(platform.jira, issueIds, {
    as: 'user',
    ...(deadline ? { deadline } : {}),
  });
  return (issueId) => visible.has(issueId);
}
