/**
 * Jira REST v3 JSON for the store's records: the shapes of the OpenAPI spec's response schemas
 * (IssueBean, Project, User, IssueTypeDetails, IssueLinkType, RemoteIssueLink, …), with `self` URLs on
 * the store's site and timestamps in Jira's `2026-11-25T10:00:00.000+0000` form.
 */
import type { FieldSelection } from './fields';
import { toJiraTimestamp } from './jira-time';
import type {
  Actor,
  JiraStore,
  SimIssue,
  SimIssueType,
  SimLinkType,
  SimPriority,
  SimProject,
  SimAttachment,
  SimRemoteLink,
  SimStatus,
  SimUser,
} from './store';

type Json = Record<string, unknown>;

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. */
export function errorBody(messages: string[], errors: Record<string, string> = {}): Json {
  return { errorMessages: messages, errors };
}

const api = (store: JiraStore, path: string) => `${store.siteUrl}/rest/api/3/${path}`;

/** A small stable number for records the store names but does not number (components, versions). */
function stableId(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(10000 + (hash % 90000));
}

// ---------- users ----------

/**
 * Avatars as Jira Cloud names them — an image per size (`AvatarUrlsBean`) — but as `data:` URIs of an
 * initials image (Jira's own default for people without a photo), so a browser test loads no outside
 * host. `hidden`: the viewer may not see this person's avatar (profile visibility): Jira's default one.
 */
function userAvatars(user: SimUser, hidden = false): Json {
  const image = hidden || user.deleted ? defaultAvatarSvg() : initialsAvatarSvg(user.displayName);
  const uri = `data:image/svg+xml;base64,${Buffer.from(image, 'utf8').toString('base64')}`;
  return { '48x48': uri, '24x24': uri, '16x16': uri, '32x32': uri };
}

const AVATAR_COLOURS = ['#0C66E4', '#1F845A', '#6E5DC6', '#C9372C', '#A54800', '#206A83'];

function initialsAvatarSvg(displayName: string): string {
  const initials = displayName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('')
    .replace(/[^A-Z0-9]/g, '');
  const colour = AVATAR_COLOURS[Number(stableId(displayName)) % AVATAR_COLOURS.length] ?? '#0C66E4';
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">' +
    `<rect width="48" height="48" fill="${colour}"/>` +
    '<text x="24" y="31" font-family="Arial, sans-serif" font-size="19" font-weight="600" fill="#FFFFFF" ' +
    `text-anchor="middle">${initials}</text></svg>`
  );
}

function defaultAvatarSvg(): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">' +
    '<rect width="48" height="48" fill="#8590A2"/><circle cx="24" cy="19" r="8" fill="#FFFFFF"/>' +
    '<path d="M10 42c2-9 8-13 14-13s12 4 14 13z" fill="#FFFFFF"/></svg>'
  );
}

/** The user as Jira embeds it in issues and projects (UserDetails / User without private fields). */
export function userJson(store: JiraStore, user: SimUser): Json {
  return {
    self: `${api(store, 'user')}?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    accountType: 'atlassian',
    avatarUrls: userAvatars(user),
    displayName: user.displayName,
    active: !user.inactive,
    // The profile's zone, else the site default ("if a time zone has not been set, the instance's
    // default time zone will be returned": the spec's User.timeZone).
    timeZone: user.timeZone ?? store.defaultTimeZone,
  };
}

/**
 * A user as `GET /rest/api/3/user/bulk` answers it to `viewer`. Profile visibility decides the avatar:
 * one shown only to the user's organization is Jira's default avatar to anyone else — and to an app
 * acting as itself, which belongs to no organization. A deleted account is "Former user" with
 * defaults for the rest (the spec's `User`: "User record deleted from Atlassian … `displayName`
 * provides an indication and other parameters have default values or are blank").
 */
export function bulkUserJson(store: JiraStore, user: SimUser, viewer: Actor): Json {
  if (user.deleted) {
    return {
      self: `${api(store, 'user')}?accountId=${encodeURIComponent(user.accountId)}`,
      accountId: user.accountId,
      accountType: 'atlassian',
      avatarUrls: userAvatars(user, true),
      displayName: 'Former user',
      active: false,
      timeZone: store.defaultTimeZone,
    };
  }
  const viewerUser = viewer.as === 'user' && viewer.accountId ? store.users.get(viewer.accountId) : undefined;
  const avatarHidden =
    user.avatarVisibility === 'organization' &&
    viewerUser?.accountId !== user.accountId &&
    (user.organization === undefined || viewerUser?.organization !== user.organization);
  return { ...userJson(store, user), avatarUrls: userAvatars(user, avatarHidden) };
}

/** The app's own user, which Jira answers for `/myself` when an app calls asApp. */
export const APP_USER: SimUser = {
  accountId: '557058:sqai-connector-app',
  displayName: 'SQAI Connector for Xray',
};

/** `GET /rest/api/3/myself`: the user with locale, email (own account) and the expandable lists. */
export function currentUserJson(store: JiraStore, user: SimUser, kind: 'atlassian' | 'app'): Json {
  return {
    ...userJson(store, user),
    accountType: kind,
    ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}),
    locale: 'en_US',
    groups: { size: 0, items: [] },
    applicationRoles: { size: 0, items: [] },
    expand: 'groups,applicationRoles',
  };
}

// ---------- projects, types, statuses, priorities ----------

function projectAvatars(store: JiraStore): Json {
  const base = `${store.siteUrl}/rest/api/3/universal_avatar/view/type/project/avatar/10400`;
  return {
    '48x48': base,
    '24x24': `${base}?size=small`,
    '16x16': `${base}?size=xsmall`,
    '32x32': `${base}?size=medium`,
  };
}

/** The project as embedded in an issue's `project` field. */
export function projectRefJson(store: JiraStore, project: SimProject): Json {
  return {
    self: api(store, `project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    avatarUrls: projectAvatars(store),
  };
}

export function issueTypeJson(store: JiraStore, type: SimIssueType): Json {
  return {
    self: api(store, `issuetype/${type.id}`),
    id: type.id,
    description: type.description,
    iconUrl: `${store.siteUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10315?size=medium`,
    name: type.name,
    subtask: type.subtask,
    avatarId: 10315,
    hierarchyLevel: type.hierarchyLevel,
  };
}

/** `GET /rest/api/3/project/{key}` (Jira's default expansion: description, lead, issueTypes, …). */
export function projectJson(store: JiraStore, project: SimProject): Json {
  const lead = store.users.get(project.leadAccountId);
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: api(store, `project/${project.id}`),
    id: project.id,
    key: project.key,
    description: project.description ?? '',
    ...(lead ? { lead: userJson(store, lead) } : {}),
    components: [],
    issueTypes: project.issueTypeIds
      .map((id) => store.issueTypes.get(id))
      .filter((type): type is SimIssueType => type !== undefined)
      .map((type) => issueTypeJson(store, type)),
    assigneeType: 'UNASSIGNED',
    versions: [],
    name: project.name,
    roles: { Administrators: api(store, `project/${project.id}/role/10002`) },
    avatarUrls: projectAvatars(store),
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
}

const CATEGORY = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export function statusJson(store: JiraStore, status: SimStatus): Json {
  const category = CATEGORY[status.category];
  return {
    self: api(store, `status/${status.id}`),
    description: '',
    iconUrl: `${store.siteUrl}/`,
    name: status.name,
    id: status.id,
    statusCategory: { self: api(store, `statuscategory/${category.id}`), ...category },
  };
}

export function priorityJson(store: JiraStore, priority: SimPriority): Json {
  return {
    self: api(store, `priority/${priority.id}`),
    iconUrl: `${store.siteUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function linkTypeJson(store: JiraStore, type: SimLinkType): Json {
  return {
    id: type.id,
    name: type.name,
    inward: type.inward,
    outward: type.outward,
    self: api(store, `issueLinkType/${type.id}`),
  };
}

export function remoteLinkJson(store: JiraStore, link: SimRemoteLink): Json {
  return {
    id: link.id,
    self: api(store, `issue/${link.issueId}/remotelink/${link.id}`),
    ...(link.globalId ? { globalId: link.globalId } : {}),
    ...(link.application ? { application: link.application } : {}),
    ...(link.relationship ? { relationship: link.relationship } : {}),
    object: link.object,
  };
}

// ---------- issues ----------

/** What an issue link shows of the other issue: key, id, self and four fields (as Jira does). */
function linkedIssueJson(store: JiraStore, issue: SimIssue): Json {
  const status = store.statuses.get(issue.statusId);
  const priority = issue.priorityId ? store.priorities.get(issue.priorityId) : undefined;
  const type = store.issueTypes.get(issue.issueTypeId);
  return {
    id: issue.id,
    key: issue.key,
    self: api(store, `issue/${issue.id}`),
    fields: {
      summary: issue.summary,
      ...(status ? { status: statusJson(store, status) } : {}),
      ...(priority ? { priority: priorityJson(store, priority) } : {}),
      ...(type ? { issuetype: issueTypeJson(store, type) } : {}),
    },
  };
}

/** The issue's links, leaving out issues the actor cannot see (Jira hides them too). */
function issueLinksJson(store: JiraStore, issue: SimIssue, actor: Actor): Json[] {
  return store
    .linksOf(issue.id)
    .filter((view) => store.canSeeIssue(actor, view.other))
    .map((view) => ({
      id: view.link.id,
      self: api(store, `issueLink/${view.link.id}`),
      type: linkTypeJson(store, view.type),
      [view.direction === 'outward' ? 'outwardIssue' : 'inwardIssue']: linkedIssueJson(store, view.other),
    }));
}

/** Jira's `Attachment` (the `attachment` field): `content` is where getAttachmentContent serves it. */
export function attachmentJson(store: JiraStore, attachment: SimAttachment): Json {
  const author = attachment.authorId ? store.users.get(attachment.authorId) : undefined;
  return {
    self: api(store, `attachment/${attachment.id}`),
    id: attachment.id,
    filename: attachment.filename,
    ...(author ? { author: userJson(store, author) } : {}),
    created: toJiraTimestamp(attachment.created),
    size: attachment.content.byteLength,
    mimeType: attachment.mimeType,
    content: api(store, `attachment/content/${attachment.id}`),
  };
}

const userOrNull = (store: JiraStore, accountId: string | undefined) => {
  const user = accountId ? store.users.get(accountId) : undefined;
  return user ? userJson(store, user) : null;
};

function fieldValue(store: JiraStore, issue: SimIssue, name: string, actor: Actor): unknown {
  switch (name) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description ? structuredClone(issue.description) : null;
    case 'issuetype': {
      const type = store.issueTypes.get(issue.issueTypeId);
      return type ? issueTypeJson(store, type) : null;
    }
    case 'status': {
      const status = store.statuses.get(issue.statusId);
      return status ? statusJson(store, status) : null;
    }
    case 'priority': {
      const priority = issue.priorityId ? store.priorities.get(issue.priorityId) : undefined;
      return priority ? priorityJson(store, priority) : null;
    }
    case 'labels':
      return [...issue.labels];
    case 'components':
      return issue.components.map((name) => {
        const id = stableId(`${issue.projectId}:component:${name}`);
        return { self: api(store, `component/${id}`), id, name };
      });
    case 'fixVersions':
      return issue.fixVersions.map((name) => {
        const id = stableId(`${issue.projectId}:version:${name}`);
        return { self: api(store, `version/${id}`), id, name, archived: false, released: false };
      });
    case 'reporter':
      return userOrNull(store, issue.reporterId);
    case 'assignee':
      return userOrNull(store, issue.assigneeId);
    case 'created':
      return toJiraTimestamp(issue.created);
    case 'updated':
      return toJiraTimestamp(issue.updated);
    case 'project': {
      const project = store.projects.get(issue.projectId);
      return project ? projectRefJson(store, project) : null;
    }
    case 'issuelinks':
      return issueLinksJson(store, issue, actor);
    case 'attachment':
      return store.attachmentsOf(issue.id).map((attachment) => attachmentJson(store, attachment));
    case 'security':
      // Jira shows the issue security level only when one is set.
      return issue.restrictedTo
        ? {
            self: api(store, 'securitylevel/10100'),
            id: '10100',
            name: 'Restricted',
            description: 'Only the people named on the issue can see it.',
          }
        : undefined;
    default:
      return undefined;
  }
}

export interface IssueJsonOptions {
  selection: FieldSelection;
  /** Property keys to include (`*all`: every one), or none. */
  properties?: string[] | '*all';
  actor: Actor;
}

/** An IssueBean: `{expand, id, self, key, fields, properties?}`, or `{id}` for an ids-only search. */
export function issueJson(store: JiraStore, issue: SimIssue, options: IssueJsonOptions): Json {
  if (options.selection.idOnly) return { id: issue.id };
  const fields: Json = {};
  for (const name of options.selection.fields) {
    const value = fieldValue(store, issue, name, options.actor);
    if (value !== undefined) fields[name] = value;
  }
  // A custom field the issue has no value for is answered as null when named, left out under *all.
  for (const [name, value] of issue.customFields ?? new Map<string, unknown>()) {
    if (options.selection.allCustom || options.selection.custom.has(name))
      fields[name] = structuredClone(value);
  }
  for (const name of options.selection.custom) fields[name] ??= null;
  const out: Json = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: api(store, `issue/${issue.id}`),
    key: issue.key,
    fields,
  };
  if (options.properties) {
    const wanted = options.properties;
    out.properties = Object.fromEntries(
      [...issue.properties.entries()]
        .filter(([key]) => wanted === '*all' || wanted.includes(key))
        .map(([key, value]) => [key, structuredClone(value)]),
    );
  }
  return out;
}

export { api as restUrl };
