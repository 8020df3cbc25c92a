/**
 * The `jira(fields: [...])` field of Xray's issue types: "Extra Jira information" as JSON, with the
 * requested Jira fields in Jira REST representation. The key is always included (Xray's examples
 * show it even for `jira(fields: ["assignee"])`); unknown field names are left out, as Jira does.
 */
import { toJiraTimestamp } from '../jira-sim/jira-time';
import type { JiraStore, SimIssue, SimUser } from '../jira-sim/store';

const CATEGORY = {
  new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' },
} as const;

const user = (jira: JiraStore, accountId: string | undefined): Record<string, unknown> | null => {
  if (!accountId) return null;
  const record: SimUser | undefined = jira.users.get(accountId);
  return { accountId, displayName: record?.displayName ?? accountId, active: true };
};

function fieldValue(jira: JiraStore, issue: SimIssue, field: string): unknown {
  switch (field) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description;
    case 'status': {
      const status = jira.statuses.get(issue.statusId);
      return status ? { id: status.id, name: status.name, statusCategory: CATEGORY[status.category] } : null;
    }
    case 'issuetype': {
      const type = jira.issueTypes.get(issue.issueTypeId);
      return type
        ? { id: type.id, name: type.name, subtask: type.subtask, hierarchyLevel: type.hierarchyLevel }
        : null;
    }
    case 'project': {
      const project = jira.projects.get(issue.projectId);
      return project ? { id: project.id, key: project.key, name: project.name } : null;
    }
    case 'priority': {
      const priority = issue.priorityId ? jira.priorities.get(issue.priorityId) : undefined;
      return priority ? { id: priority.id, name: priority.name } : null;
    }
    case 'labels':
      return [...issue.labels];
    case 'components':
      return issue.components.map((name) => ({ name }));
    case 'fixVersions':
      return issue.fixVersions.map((name) => ({ name }));
    case 'assignee':
      return user(jira, issue.assigneeId);
    case 'reporter':
      return user(jira, issue.reporterId);
    case 'created':
      return toJiraTimestamp(issue.created);
    case 'updated':
      return toJiraTimestamp(issue.updated);
    case 'issuelinks':
      return jira.linksOf(issue.id).map((view) => ({
        id: view.link.id,
        type: {
          id: view.type.id,
          name: view.type.name,
          inward: view.type.inward,
          outward: view.type.outward,
        },
        [view.direction === 'outward' ? 'outwardIssue' : 'inwardIssue']: {
          id: view.other.id,
          key: view.other.key,
          fields: { summary: view.other.summary },
        },
      }));
    default:
      return undefined;
  }
}

export function renderJiraFields(
  jira: JiraStore,
  issue: SimIssue,
  fields: readonly (string | null)[] | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { key: issue.key };
  for (const field of fields ?? []) {
    if (!field || field === 'key') continue;
    const value = fieldValue(jira, issue, field);
    if (value !== undefined) out[field] = value;
  }
  return out;
}
