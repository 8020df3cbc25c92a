/**
 * Issue properties: `GET|PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}`.
 *
 * Jira's rules, as modelled: the value is any non-empty JSON document of at most 32,768 characters
 * (400 otherwise); the key at most 255 characters; PUT answers 201 when it created the property and
 * 200 when it replaced it, with no body; setting a property needs Edit issues (403) on an issue the
 * caller can see (404 otherwise); a missing property is a 404. Setting a property does not change the
 * issue's `updated`.
 */
import type { SimResponse } from '../../sim-kit';
import {
  ISSUE_NOT_FOUND,
  jiraError,
  noBody,
  ok,
  param,
  visibleIssue,
  type OperationContext,
} from './context';

const MAX_VALUE_CHARS = 32_768;
const MAX_KEY_CHARS = 255;

export function getIssueProperty(ctx: OperationContext): SimResponse {
  const issue = visibleIssue(ctx, param(ctx, 'issueIdOrKey'));
  if (!issue) return jiraError(404, [ISSUE_NOT_FOUND]);
  const key = param(ctx, 'propertyKey');
  if (!issue.properties.has(key)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
  return ok({ key, value: structuredClone(issue.properties.get(key)) });
}

export function setIssueProperty(ctx: OperationContext): SimResponse {
  const issue = visibleIssue(ctx, param(ctx, 'issueIdOrKey'));
  if (!issue) return jiraError(404, [ISSUE_NOT_FOUND]);
  const project = ctx.store.projects.get(issue.projectId);
  if (!project || !ctx.store.projectPermissions(ctx.actor, project, issue).EDIT_ISSUES) {
    return jiraError(403, ['You do not have permission to edit this issue.']);
  }
  const key = param(ctx, 'propertyKey');
  if (key.length > MAX_KEY_CHARS) {
    return jiraError(400, [`The property key cannot be longer than ${MAX_KEY_CHARS} characters.`]);
  }
  const raw = ctx.body ?? '';
  if (raw.trim() === '') return jiraError(400, ['The property value must not be empty.']);
  if (raw.length > MAX_VALUE_CHARS) {
    return jiraError(400, [`The property value cannot be longer than ${MAX_VALUE_CHARS} characters.`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return jiraError(400, ['The property value must be a valid JSON.']);
  }
  return noBody(ctx.store.setProperty(issue.id, key, value) === 'created' ? 201 : 200);
}
