/**
 * Issues: getIssue, bulkFetchIssues, createIssue, getRemoteIssueLinks.
 *
 * Jira's behaviour, as modelled:
 * - An issue the caller cannot see (project not browsable, or an issue security level that excludes
 *   them) answers exactly like a missing one: 404 "Issue does not exist or you do not have permission
 *   to see it." Links to issues the caller cannot see are left out of `issuelinks`.
 * - GET issue: `fields` defaults to `*all`; `properties` lists property keys (or `*all`); `expand` is
 *   accepted and ignored.
 * - Bulk fetch: 1–100 ids or keys; issues come back in ascending id order; missing or invisible ones
 *   are simply absent (Jira lists only retriable failures in `issueErrors`); `fields` defaults to
 *   `*navigable`.
 * - Create: `fields` with project, issuetype, summary, description (ADF), labels, priority,
 *   components, fixVersions, assignee, reporter; per-field problems come back as 400
 *   `{errorMessages: [], errors: {field: message}}` with Jira's wording. The reporter is the caller.
 * - Remote links: an array; with `globalId`, that one link (a 404 when none has it).
 */
import { z } from 'zod';
import type { SimResponse } from '../../sim-kit';
import { selectFields } from '../fields';
import { issueJson, remoteLinkJson, restUrl } from '../representations';
import type { AdfDoc, AdfNode } from '../store';
import {
  ISSUE_NOT_FOUND,
  jiraError,
  listParam,
  ok,
  param,
  parseBody,
  visibleIssue,
  type OperationContext,
} from './context';
import { json } from '../../sim-kit';

export function getIssue(ctx: OperationContext): SimResponse {
  const issue = visibleIssue(ctx, param(ctx, 'issueIdOrKey'));
  if (!issue) return jiraError(404, [ISSUE_NOT_FOUND]);
  const properties = listParam(ctx, 'properties');
  return ok(
    issueJson(ctx.store, issue, {
      selection: selectFields(listParam(ctx, 'fields'), '*all'),
      actor: ctx.actor,
      ...(properties ? { properties: properties.includes('*all') ? '*all' : properties } : {}),
    }),
  );
}

const bulkFetchSchema = z.object({
  issueIdsOrKeys: z.array(z.string()),
  fields: z.array(z.string()).optional(),
  properties: z.array(z.string()).optional(),
  expand: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
});

export function bulkFetchIssues(ctx: OperationContext): SimResponse {
  const parsed = parseBody(ctx, bulkFetchSchema);
  if (!parsed.ok) return parsed.response;
  const { issueIdsOrKeys, fields, properties } = parsed.data;
  if (issueIdsOrKeys.length === 0) return jiraError(400, ['At least one issue ID or key must be provided.']);
  if (issueIdsOrKeys.length > 100) {
    return jiraError(400, ['The number of requested issues exceeds the maximum of 100.']);
  }
  const found = new Map<string, NonNullable<ReturnType<typeof visibleIssue>>>();
  for (const ref of issueIdsOrKeys) {
    const issue = visibleIssue(ctx, ref);
    if (issue) found.set(issue.id, issue);
  }
  const selection = selectFields(fields, '*navigable');
  const issues = [...found.values()]
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((issue) =>
      issueJson(ctx.store, issue, {
        selection,
        actor: ctx.actor,
        ...(properties ? { properties: properties.includes('*all') ? '*all' : properties } : {}),
      }),
    );
  return ok({ issues, issueErrors: [] });
}

// ---------- create ----------

const adfNode: z.ZodType<AdfNode> = z.lazy(() =>
  z
    .object({
      type: z.string(),
      text: z.string().optional(),
      attrs: z.record(z.string(), z.unknown()).optional(),
      marks: z
        .array(z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() }))
        .optional(),
      content: z.array(adfNode).optional(),
    })
    .loose(),
);
const adfDoc = z.object({ type: z.literal('doc'), version: z.literal(1), content: z.array(adfNode) }).loose();

const ref = z
  .object({ id: z.string().optional(), key: z.string().optional(), name: z.string().optional() })
  .loose();
const createSchema = z
  .object({
    fields: z.record(z.string(), z.unknown()),
    update: z.record(z.string(), z.unknown()).optional(),
    properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
  })
  .loose();

const SETTABLE = new Set([
  'project',
  'issuetype',
  'summary',
  'description',
  'labels',
  'priority',
  'components',
  'fixVersions',
  'assignee',
  'reporter',
]);

interface CreateFields {
  projectId: string;
  issueTypeId: string;
  summary: string;
  description: AdfDoc | null;
  labels: string[];
  priorityName?: string;
  components: string[];
  fixVersions: string[];
  assigneeId?: string;
  reporterId?: string;
}

/** Reads `fields` the way Jira validates them: every problem goes into `errors` under its field. */
function readCreateFields(
  ctx: OperationContext,
  fields: Record<string, unknown>,
): { ok: true; value: CreateFields } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  for (const name of Object.keys(fields)) {
    if (!SETTABLE.has(name)) {
      errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
  }

  const projectRef = ref.safeParse(fields.project);
  const projectKey = projectRef.success ? (projectRef.data.id ?? projectRef.data.key) : undefined;
  const project = projectKey ? ctx.store.project(projectKey) : undefined;
  if (!project || !ctx.store.canBrowseProject(ctx.actor, project)) {
    errors.project = 'Specify a valid project ID or key';
  } else if (!ctx.store.projectPermissions(ctx.actor, project).CREATE_ISSUES) {
    errors.project = 'You do not have permission to create issues in this project.';
  }

  const typeRef = ref.safeParse(fields.issuetype);
  const typeName = typeRef.success ? (typeRef.data.id ?? typeRef.data.name) : undefined;
  const type = typeName && project ? ctx.store.issueType(typeName, project.id) : undefined;
  if (!typeName) errors.issuetype = 'Specify an issue type';
  else if (!type || !project?.issueTypeIds.includes(type.id)) errors.issuetype = 'Specify a valid issue type';

  const summary = typeof fields.summary === 'string' ? fields.summary.trim() : '';
  if (!summary) errors.summary = 'You must specify a summary of the issue.';
  else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';

  let description: AdfDoc | null = null;
  if (fields.description !== undefined && fields.description !== null) {
    const parsed = adfDoc.safeParse(fields.description);
    if (parsed.success) description = { type: 'doc', version: 1, content: parsed.data.content };
    else
      errors.description =
        'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
  }

  const labels = z.array(z.string()).safeParse(fields.labels ?? []);
  if (!labels.success) errors.labels = 'Operation value must be a string array';
  else {
    const spaced = labels.data.find((label) => /\s/.test(label));
    if (spaced !== undefined) errors.labels = `The label '${spaced}' contains spaces which is invalid.`;
  }

  let priorityName: string | undefined;
  if (fields.priority !== undefined) {
    const priorityRef = ref.safeParse(fields.priority);
    const wanted = priorityRef.success ? (priorityRef.data.id ?? priorityRef.data.name) : undefined;
    const priority = wanted ? ctx.store.priority(wanted) : undefined;
    if (!priority) errors.priority = `Specify a valid value for priority`;
    else priorityName = priority.name;
  }

  const names = (value: unknown, field: string): string[] => {
    const parsed = z.array(ref).safeParse(value ?? []);
    if (!parsed.success || parsed.data.some((item) => !item.name)) {
      errors[field] = `Specify ${field === 'components' ? 'components' : 'versions'} by name`;
      return [];
    }
    return parsed.data.map((item) => item.name ?? '');
  };
  const components = names(fields.components, 'components');
  const fixVersions = names(fields.fixVersions, 'fixVersions');

  const person = (value: unknown, field: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    const parsed = z.object({ accountId: z.string() }).loose().safeParse(value);
    if (!parsed.success || !ctx.store.users.has(parsed.data.accountId)) {
      errors[field] = `Specify a valid value for ${field}`;
      return undefined;
    }
    return parsed.data.accountId;
  };
  const assigneeId = person(fields.assignee, 'assignee');
  const reporterId =
    person(fields.reporter, 'reporter') ?? (ctx.actor.as === 'user' ? ctx.actor.accountId : undefined);

  if (Object.keys(errors).length > 0 || !project || !type || !labels.success) return { ok: false, errors };
  return {
    ok: true,
    value: {
      projectId: project.id,
      issueTypeId: type.id,
      summary,
      description,
      labels: labels.data,
      ...(priorityName ? { priorityName } : {}),
      components,
      fixVersions,
      ...(assigneeId ? { assigneeId } : {}),
      ...(reporterId ? { reporterId } : {}),
    },
  };
}

export function createIssue(ctx: OperationContext): SimResponse {
  const parsed = parseBody(ctx, createSchema);
  if (!parsed.ok) return parsed.response;
  const read = readCreateFields(ctx, parsed.data.fields);
  if (!read.ok) return jiraError(400, [], read.errors);
  const { projectId, issueTypeId, ...rest } = read.value;
  const stamp = ctx.now().toISOString();
  const issue = ctx.store.createIssue({
    projectIdOrKey: projectId,
    issueTypeIdOrName: issueTypeId,
    ...rest,
    created: stamp,
    updated: stamp,
  });
  for (const property of parsed.data.properties ?? [])
    ctx.store.setProperty(issue.id, property.key, property.value);
  return json(201, { id: issue.id, key: issue.key, self: restUrl(ctx.store, `issue/${issue.id}`) });
}

// ---------- remote links ----------

export function getRemoteIssueLinks(ctx: OperationContext): SimResponse {
  const issue = visibleIssue(ctx, param(ctx, 'issueIdOrKey'));
  if (!issue) return jiraError(404, [ISSUE_NOT_FOUND]);
  const links = ctx.store.remoteLinksOf(issue.id);
  const globalId = ctx.query.get('globalId');
  if (globalId !== null) {
    const link = links.find((candidate) => candidate.globalId === globalId);
    if (!link)
      return jiraError(404, [`No remote link with global id '${globalId}' exists on issue ${issue.key}.`]);
    return ok(remoteLinkJson(ctx.store, link));
  }
  return ok(links.map((link) => remoteLinkJson(ctx.store, link)));
}
