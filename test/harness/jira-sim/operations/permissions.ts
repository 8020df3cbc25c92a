/**
 * `GET /rest/api/3/mypermissions` (getMyPermissions): which of the named permissions the caller holds,
 * in a project, issue or global context.
 *
 * Jira's rules, as modelled: `permissions` is required (400 without it, 400 for an unknown key);
 * `projectId` wins over `projectKey` and `issueId` over `issueKey`; a project or issue the caller
 * cannot see is a 404; without a context, a project permission is held if held in any project. The
 * store decides the project permissions from the caller's project role (`ProjectRole`); in an issue
 * context a grant to *Reporter* counts only on the caller's own issues, in a project context it counts
 * (Jira cannot tell which issue is meant). Global ADMINISTER / SYSTEM_ADMIN follow `siteAdmin`.
 */
import type { SimResponse } from '../../sim-kit';
import type { Actor, JiraStore, ProjectPermissionKey, SimIssue, SimProject } from '../store';
import {
  ISSUE_NOT_FOUND,
  jiraError,
  listParam,
  ok,
  projectNotFound,
  visibleIssue,
  visibleProject,
  type OperationContext,
} from './context';

interface PermissionInfo {
  id: string;
  name: string;
  type: 'PROJECT' | 'GLOBAL';
  description: string;
  /** The store's permission this one follows (project permissions only). */
  follows?: ProjectPermissionKey;
}

/** Jira's permission ids and names for the keys the simulator knows. */
export const PERMISSIONS: Record<string, PermissionInfo> = {
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    type: 'GLOBAL',
    description:
      'Create and administer projects, issue types, fields, workflows, and schemes for all projects.',
  },
  SYSTEM_ADMIN: {
    id: '44',
    name: 'Jira System Administrators',
    type: 'GLOBAL',
    description: 'Ability to perform all administration functions.',
  },
  BROWSE_PROJECTS: {
    id: '10',
    name: 'Browse Projects',
    type: 'PROJECT',
    description: 'Ability to browse projects and the issues within them.',
    follows: 'BROWSE_PROJECTS',
  },
  CREATE_ISSUES: {
    id: '11',
    name: 'Create Issues',
    type: 'PROJECT',
    description: 'Ability to create issues.',
    follows: 'CREATE_ISSUES',
  },
  EDIT_ISSUES: {
    id: '12',
    name: 'Edit Issues',
    type: 'PROJECT',
    description: 'Ability to edit issues.',
    follows: 'EDIT_ISSUES',
  },
  ASSIGN_ISSUES: {
    id: '13',
    name: 'Assign Issues',
    type: 'PROJECT',
    description: 'Ability to assign issues to other people.',
    follows: 'EDIT_ISSUES',
  },
  ADD_COMMENTS: {
    id: '15',
    name: 'Add Comments',
    type: 'PROJECT',
    description: 'Ability to comment on issues.',
    follows: 'BROWSE_PROJECTS',
  },
  DELETE_ISSUES: {
    id: '16',
    name: 'Delete Issues',
    type: 'PROJECT',
    description: 'Ability to delete issues.',
    follows: 'ADMINISTER_PROJECTS',
  },
  LINK_ISSUES: {
    id: '21',
    name: 'Link Issues',
    type: 'PROJECT',
    description:
      'Ability to link issues together and create linked issues. Only useful if issue linking is turned on.',
    follows: 'LINK_ISSUES',
  },
  ADMINISTER_PROJECTS: {
    id: '23',
    name: 'Administer Projects',
    type: 'PROJECT',
    description: 'Ability to administer a project in Jira.',
    follows: 'ADMINISTER_PROJECTS',
  },
};

function holds(
  store: JiraStore,
  actor: Actor,
  info: PermissionInfo,
  projects: SimProject[],
  issue: SimIssue | undefined,
): boolean {
  if (info.type === 'GLOBAL') {
    return (
      actor.as === 'user' &&
      actor.accountId !== undefined &&
      store.users.get(actor.accountId)?.siteAdmin === true
    );
  }
  const follows = info.follows ?? 'BROWSE_PROJECTS';
  return projects.some((project) => store.projectPermissions(actor, project, issue)[follows] === true);
}

export function getMyPermissions(ctx: OperationContext): SimResponse {
  const keys = listParam(ctx, 'permissions') ?? [];
  if (keys.length === 0) {
    return jiraError(400, ["The 'permissions' query parameter is required."]);
  }
  const unknown = keys.find((key) => !(key in PERMISSIONS));
  if (unknown) return jiraError(400, [`The permission key '${unknown}' is not valid.`]);

  let projects: SimProject[];
  let issue: SimIssue | undefined;
  const issueRef = ctx.query.get('issueId') ?? ctx.query.get('issueKey');
  const projectRef = ctx.query.get('projectId') ?? ctx.query.get('projectKey');
  if (issueRef) {
    issue = visibleIssue(ctx, issueRef);
    const project = issue ? ctx.store.projects.get(issue.projectId) : undefined;
    if (!project) return jiraError(404, [ISSUE_NOT_FOUND]);
    projects = [project];
  } else if (projectRef) {
    const project = visibleProject(ctx, projectRef);
    if (!project) return projectNotFound(projectRef);
    projects = [project];
  } else {
    projects = [...ctx.store.projects.values()];
  }

  const permissions: Record<string, unknown> = {};
  for (const key of keys) {
    const info = PERMISSIONS[key];
    if (!info) continue;
    permissions[key] = {
      id: info.id,
      key,
      name: info.name,
      type: info.type,
      description: info.description,
      havePermission: holds(ctx.store, ctx.actor, info, projects, issue),
    };
  }
  return ok({ permissions });
}
