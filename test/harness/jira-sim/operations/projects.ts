/**
 * Projects: `GET /rest/api/3/project/{projectIdOrKey}` (getProject) and
 * `GET /rest/api/3/issuetype/project?projectId=` (getIssueTypesForProject). A project the caller cannot
 * browse does not exist for them: 404, the same answer as for an unknown key.
 *
 * getProject names the project `lead` ("the project description, issue types, and project lead are
 * included in all responses by default": the spec's `expand` parameter) as a `User`, which Jira words
 * for whoever asks (profile visibility; a deleted account is "Former user", inactive) — the same
 * `bulkUserJson` the user reads answer with. A project whose lead Jira does not know has none.
 */
import type { SimResponse } from '../../sim-kit';
import { bulkUserJson, issueTypeJson, projectJson } from '../representations';
import type { SimIssueType } from '../store';
import { jiraError, ok, param, projectNotFound, visibleProject, type OperationContext } from './context';

export function getProject(ctx: OperationContext): SimResponse {
  const idOrKey = param(ctx, 'projectIdOrKey');
  const project = visibleProject(ctx, idOrKey);
  if (!project) return projectNotFound(idOrKey);
  // projectJson names the lead as stored (for every reader); the answer names them for this one.
  const lead = ctx.store.users.get(project.leadAccountId);
  return ok({
    ...projectJson(ctx.store, project),
    ...(lead ? { lead: bulkUserJson(ctx.store, lead, ctx.actor) } : {}),
  });
}

export function getIssueTypesForProject(ctx: OperationContext): SimResponse {
  const projectId = ctx.query.get('projectId') ?? '';
  if (!/^\d+$/.test(projectId))
    return jiraError(400, ["The 'projectId' query parameter must be a project id."]);
  const project = ctx.store.projects.get(projectId);
  if (!project || !ctx.store.canBrowseProject(ctx.actor, project)) return projectNotFound(projectId);
  const level = ctx.query.get('level');
  const types = project.issueTypeIds
    .map((id) => ctx.store.issueTypes.get(id))
    .filter((type): type is SimIssueType => type !== undefined)
    .filter((type) => level === null || type.hierarchyLevel === Number(level));
  return ok(types.map((type) => issueTypeJson(ctx.store, type)));
}
