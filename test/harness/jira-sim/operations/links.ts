/**
 * Issue links: `GET /rest/api/3/issueLinkType` (getIssueLinkTypes), `POST /rest/api/3/issueLink`
 * (linkIssues) and `DELETE /rest/api/3/issueLink/{linkId}` (deleteIssueLink).
 *
 * Jira's linkIssues semantics: the link reads "inwardIssue <outward verb> outwardIssue" — for the
 * link type "Test" (outward "tests"), `{inwardIssue: T, outwardIssue: R}` makes T *test* R, so R's
 * `issuelinks` shows T as an `inwardIssue` ("is tested by"). Jira answers 201 with no body, also when
 * the link already exists; 404 when an issue is missing or not visible, when the caller lacks Link
 * issues, or when the link type does not exist (the spec lists the unknown type under 404). A comment
 * is accepted and not modelled.
 */
import { z } from 'zod';
import type { SimResponse } from '../../sim-kit';
import { linkTypeJson } from '../representations';
import {
  ISSUE_NOT_FOUND,
  jiraError,
  noBody,
  ok,
  parseBody,
  visibleIssue,
  type OperationContext,
} from './context';

export function getIssueLinkTypes(ctx: OperationContext): SimResponse {
  return ok({
    issueLinkTypes: [...ctx.store.linkTypes.values()].map((type) => linkTypeJson(ctx.store, type)),
  });
}

const issueRef = z.object({ id: z.string().optional(), key: z.string().optional() }).loose();
const linkSchema = z
  .object({
    type: z.object({ id: z.string().optional(), name: z.string().optional() }).loose(),
    inwardIssue: issueRef,
    outwardIssue: issueRef,
    comment: z.unknown().optional(),
  })
  .loose();

export function linkIssues(ctx: OperationContext): SimResponse {
  const parsed = parseBody(ctx, linkSchema);
  if (!parsed.ok) return parsed.response;
  const { type, inwardIssue, outwardIssue } = parsed.data;
  const typeRef = type.id ?? type.name;
  const linkType = typeRef ? ctx.store.linkType(typeRef) : undefined;
  if (!linkType) {
    const by = type.id ? `id '${type.id}'` : `name '${type.name ?? ''}'`;
    return jiraError(404, [`No issue link type with ${by} found.`]);
  }
  const inward = visibleIssue(ctx, inwardIssue.id ?? inwardIssue.key ?? '');
  const outward = visibleIssue(ctx, outwardIssue.id ?? outwardIssue.key ?? '');
  if (!inward || !outward) return jiraError(404, [ISSUE_NOT_FOUND]);
  for (const issue of [inward, outward]) {
    const project = ctx.store.projects.get(issue.projectId);
    if (!project || !ctx.store.projectPermissions(ctx.actor, project).LINK_ISSUES) {
      return jiraError(404, [`No Link Issue Permission for issue '${issue.key}'.`]);
    }
  }
  ctx.store.link(linkType.id, inward.id, outward.id);
  return noBody(201);
}

/**
 * Jira's deleteIssueLink: Browse on both ends and Link issues on at least one end's project; 404 —
 * with the same words — when the link does not exist or the caller lacks any of them (the spec's
 * 404: "the issue link is not found … the user doesn't have the required permissions"); 204 on success.
 */
export function deleteIssueLink(ctx: OperationContext): SimResponse {
  const link = ctx.store.links.get(ctx.params.linkId ?? '');
  const notFound = jiraError(404, [
    'No issue link with the given id was found, or you do not have permission to delete it.',
  ]);
  if (!link) return notFound;
  const ends = [visibleIssue(ctx, link.inwardIssueId), visibleIssue(ctx, link.outwardIssueId)];
  if (ends.some((end) => end === undefined)) return notFound;
  const mayLink = ends.some((end) => {
    const project = end ? ctx.store.projects.get(end.projectId) : undefined;
    return project !== undefined && ctx.store.projectPermissions(ctx.actor, project).LINK_ISSUES;
  });
  if (!mayLink) return notFound;
  ctx.store.unlink(link.id);
  return noBody(204);
}
