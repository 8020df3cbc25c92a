/**
 * The Jira simulator's state: users, projects, issue types, issues (ADF descriptions), issue links,
 * remote links and issue properties. The HTTP face (`./simulator.ts`) answers Jira REST v3 from it;
 * the Xray simulator reads and writes it too (Xray tests *are* Jira issues, coverage *is* a Jira
 * issue link), exactly as the real products share one site.
 *
 * Permissions follow a Jira permission scheme with four project roles (see `ProjectRole`), and an
 * issue may carry a security level that only some users pass. The app (asApp) holds everything.
 */
import type { IndexedPropertyValue } from './entity-properties';

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export interface SimUser {
  accountId: string;
  displayName: string;
  emailAddress?: string;
  /** Jira administrators may approve egress and administer every project. */
  siteAdmin?: boolean;
  /** The profile's time zone (IANA id); unset: the site default (`JiraStore.defaultTimeZone`). */
  timeZone?: string;
  /**
   * Profile visibility of the avatar (Atlassian, "Profile visibility"): `anyone` (default) or only
   * people of the user's `organization` (a managed account's default). Others get the default avatar.
   */
  avatarVisibility?: 'anyone' | 'organization';
  /** The managed account's organization (its verified domain), e.g. `example.com`. */
  organization?: string;
  /** Deactivated on the site: still named, `active: false`. */
  inactive?: boolean;
  /** Deleted from Atlassian (right to be forgotten): named "Former user", other fields defaults. */
  deleted?: boolean;
}

/**
 * A project role, as a typical Jira Software permission scheme grants it:
 * - `administrator` — every project permission, ADMINISTER_PROJECTS included;
 * - `member` — browse, create, edit and link any issue;
 * - `contributor` — browse, create and link; EDIT_ISSUES only on issues they reported (the scheme
 *   grants it to *Reporter*, so in a project context Jira says yes, in an issue context only on
 *   their own issues);
 * - `viewer` — browse (and comment) only.
 */
export type ProjectRole = 'administrator' | 'member' | 'contributor' | 'viewer';

export interface SimProject {
  id: string;
  key: string;
  name: string;
  projectTypeKey: 'software' | 'business' | 'service_desk';
  leadAccountId: string;
  issueTypeIds: string[];
  /** Account id → role; a known user without one has `everyone` (or no access when that is unset). */
  roles: Map<string, ProjectRole>;
  /** The role of every other known user (a project open to the whole site), if any. */
  everyone?: ProjectRole;
  description?: string;
}

export type ProjectPermissionKey =
  'BROWSE_PROJECTS' | 'CREATE_ISSUES' | 'EDIT_ISSUES' | 'LINK_ISSUES' | 'ADMINISTER_PROJECTS';

export interface SimIssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
}

export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface SimStatus {
  id: string;
  name: string;
  category: StatusCategory;
}

export interface SimPriority {
  id: string;
  name: string;
}

export interface SimIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  summary: string;
  description: AdfDoc | null;
  statusId: string;
  priorityId?: string;
  labels: string[];
  components: string[];
  fixVersions: string[];
  reporterId?: string;
  assigneeId?: string;
  created: string;
  updated: string;
  /** When set, only these account ids (and the app) can see the issue. */
  restrictedTo?: Set<string>;
  properties: Map<string, unknown>;
  /** Text custom fields (`customfield_<id>` → a string, or ADF for a rich-text field). */
  customFields?: Map<string, unknown>;
}

export interface SimLinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

/** "inwardIssue <outward> outwardIssue", e.g. a test T `tests` requirement R: inward T, outward R. */
export interface SimLink {
  id: string;
  typeId: string;
  inwardIssueId: string;
  outwardIssueId: string;
}

export interface SimRemoteLink {
  id: number;
  issueId: string;
  globalId?: string;
  application?: { type?: string; name?: string };
  relationship?: string;
  object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string } };
}

/** A file attached to an issue (Jira's `attachment` field; content served by getAttachmentContent). */
export interface SimAttachment {
  id: string;
  issueId: string;
  filename: string;
  mimeType: string;
  /** The bytes (a string is stored as UTF-8). */
  content: Buffer;
  created: string;
  authorId?: string;
}

export interface CreateIssueInput {
  projectIdOrKey: string;
  issueTypeIdOrName: string;
  summary: string;
  description?: AdfDoc | null;
  statusName?: string;
  priorityName?: string;
  labels?: string[];
  components?: string[];
  fixVersions?: string[];
  reporterId?: string;
  assigneeId?: string;
  restrictedTo?: string[];
  created?: string;
  updated?: string;
}

export interface LinkView {
  link: SimLink;
  type: SimLinkType;
  /** `outward`: this issue is the link's inward side and the other is shown with the `outward` verb. */
  direction: 'inward' | 'outward';
  other: SimIssue;
}

export type Actor = { as: 'app' } | { as: 'user'; accountId?: string };

const DEFAULT_STATUSES: SimStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'In Review', category: 'indeterminate' },
  { id: '10002', name: 'Done', category: 'done' },
];

const DEFAULT_PRIORITIES: SimPriority[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export class JiraStore {
  readonly users = new Map<string, SimUser>();
  readonly projects = new Map<string, SimProject>();
  readonly issueTypes = new Map<string, SimIssueType>();
  readonly statuses = new Map<string, SimStatus>();
  readonly priorities = new Map<string, SimPriority>();
  readonly issues = new Map<string, SimIssue>();
  readonly linkTypes = new Map<string, SimLinkType>();
  readonly links = new Map<string, SimLink>();
  readonly remoteLinks = new Map<number, SimRemoteLink>();
  readonly attachments = new Map<string, SimAttachment>();
  private nextAttachmentId = 10_100;
  private readonly keyIndex = new Map<string, string>();
  /** issue id → ids of its links (both directions), so linksOf does not scan every link. */
  private readonly linkIndex = new Map<string, Set<string>>();
  private readonly counters = new Map<string, number>();
  /**
   * The site's default user time zone (General configuration): the zone of every user without one of
   * their own, and of the app's account. JQL reads absolute dates in the searcher's zone (`./jql.ts`).
   */
  defaultTimeZone = 'Etc/UTC';
  /**
   * The issue property values the app's `jira:entityProperty` modules index (manifest.yml): JQL can
   * search and sort by them (`./entity-properties.ts`). Empty: no property is searchable.
   */
  indexedProperties: IndexedPropertyValue[] = [];
  /**
   * How long a write takes to reach search (`search/jql`): Jira's search is eventually consistent —
   * "the delay might vary from a few seconds to minutes" (Atlassian, "Search after write with search
   * and reconcile"). 0 (the default) indexes at once; the chaos run and the lag tests set it.
   */
  indexLagMs = 0;
  /** issue id → the versions search may serve (oldest first), while `indexLagMs` > 0. */
  private readonly indexVersions = new Map<string, { at: number; issue: SimIssue }[]>();
  private nextIssueId = 10100;
  private nextLinkId = 20000;
  private nextRemoteLinkId = 30000;

  constructor(
    readonly siteUrl = 'https://demo-site.atlassian.net',
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const status of DEFAULT_STATUSES) this.statuses.set(status.id, status);
    for (const priority of DEFAULT_PRIORITIES) this.priorities.set(priority.id, priority);
  }

  // ---------- setup ----------

  addUser(user: SimUser): SimUser {
    this.users.set(user.accountId, user);
    return user;
  }

  addIssueType(type: SimIssueType): SimIssueType {
    this.issueTypes.set(type.id, type);
    return type;
  }

  addLinkType(type: SimLinkType): SimLinkType {
    this.linkTypes.set(type.id, type);
    return type;
  }

  /**
   * A project; `members` defaults to every known user (a project open to the site). Each account
   * has the strongest role it is listed with.
   */
  addProject(
    project: Omit<SimProject, 'roles' | 'everyone'> & {
      admins: string[];
      members?: string[] | 'everyone';
      contributors?: string[];
      viewers?: string[];
    },
  ): SimProject {
    const { admins, members, contributors = [], viewers = [], ...rest } = project;
    const roles = new Map<string, ProjectRole>();
    for (const id of viewers) roles.set(id, 'viewer');
    for (const id of contributors) roles.set(id, 'contributor');
    if (Array.isArray(members)) for (const id of members) roles.set(id, 'member');
    for (const id of admins) roles.set(id, 'administrator');
    const record: SimProject = {
      ...rest,
      roles,
      ...(members === undefined || members === 'everyone' ? { everyone: 'member' as const } : {}),
    };
    this.projects.set(record.id, record);
    return record;
  }

  // ---------- lookups ----------

  project(idOrKey: string): SimProject | undefined {
    const byId = this.projects.get(idOrKey);
    if (byId) return byId;
    const key = idOrKey.toUpperCase();
    return [...this.projects.values()].find((project) => project.key === key);
  }

  issue(idOrKey: string): SimIssue | undefined {
    return this.issues.get(idOrKey) ?? this.issues.get(this.keyIndex.get(idOrKey.toUpperCase()) ?? '');
  }

  issueType(idOrName: string, projectId?: string): SimIssueType | undefined {
    const byId = this.issueTypes.get(idOrName);
    if (byId) return byId;
    const allowed = projectId ? this.projects.get(projectId)?.issueTypeIds : undefined;
    return [...this.issueTypes.values()].find(
      (type) => type.name.toLowerCase() === idOrName.toLowerCase() && (!allowed || allowed.includes(type.id)),
    );
  }

  linkType(idOrName: string): SimLinkType | undefined {
    return (
      this.linkTypes.get(idOrName) ??
      [...this.linkTypes.values()].find((type) => type.name.toLowerCase() === idOrName.toLowerCase())
    );
  }

  status(idOrName: string): SimStatus | undefined {
    return (
      this.statuses.get(idOrName) ??
      [...this.statuses.values()].find((status) => status.name.toLowerCase() === idOrName.toLowerCase())
    );
  }

  priority(idOrName: string): SimPriority | undefined {
    return (
      this.priorities.get(idOrName) ??
      [...this.priorities.values()].find((p) => p.name.toLowerCase() === idOrName.toLowerCase())
    );
  }

  // ---------- permissions ----------

  isKnownUser(accountId: string | undefined): accountId is string {
    return accountId !== undefined && this.users.has(accountId);
  }

  /** The user's role in the project (site admins administer every project); undefined: no access. */
  roleOf(accountId: string | undefined, project: SimProject): ProjectRole | undefined {
    if (!this.isKnownUser(accountId)) return undefined;
    if (this.users.get(accountId)?.siteAdmin) return 'administrator';
    return project.roles.get(accountId) ?? project.everyone;
  }

  canBrowseProject(actor: Actor, project: SimProject): boolean {
    return actor.as === 'app' || this.roleOf(actor.accountId, project) !== undefined;
  }

  canSeeIssue(actor: Actor, issue: SimIssue): boolean {
    const project = this.projects.get(issue.projectId);
    if (!project || !this.canBrowseProject(actor, project)) return false;
    if (actor.as === 'app' || !issue.restrictedTo) return true;
    return actor.accountId !== undefined && issue.restrictedTo.has(actor.accountId);
  }

  /**
   * The project permissions a user holds (app: everything): in the project's context, or — with
   * `issue` — in that issue's, where a grant to *Reporter* counts only on issues the user reported.
   */
  projectPermissions(
    actor: Actor,
    project: SimProject,
    issue?: SimIssue,
  ): Record<ProjectPermissionKey, boolean> {
    const role = actor.as === 'app' ? 'administrator' : this.roleOf(actor.accountId, project);
    const works = role === 'administrator' || role === 'member' || role === 'contributor';
    const ownIssue = issue === undefined || (actor.as === 'user' && issue.reporterId === actor.accountId);
    return {
      BROWSE_PROJECTS: role !== undefined,
      CREATE_ISSUES: works,
      EDIT_ISSUES: role === 'administrator' || role === 'member' || (role === 'contributor' && ownIssue),
      LINK_ISSUES: works,
      ADMINISTER_PROJECTS: role === 'administrator',
    };
  }

  // ---------- writes ----------

  createIssue(input: CreateIssueInput): SimIssue {
    const project = this.project(input.projectIdOrKey);
    if (!project) throw new Error(`No project ${input.projectIdOrKey}`);
    const type = this.issueType(input.issueTypeIdOrName, project.id);
    if (!type) throw new Error(`No issue type ${input.issueTypeIdOrName} in ${project.key}`);
    const number = (this.counters.get(project.id) ?? 0) + 1;
    this.counters.set(project.id, number);
    const stamp = this.now().toISOString();
    const status = this.status(input.statusName ?? 'To Do');
    if (!status) throw new Error(`No status ${input.statusName ?? ''}`);
    const priority = input.priorityName ? this.priority(input.priorityName) : this.priority('Medium');
    const issue: SimIssue = {
      id: String(this.nextIssueId++),
      key: `${project.key}-${number}`,
      projectId: project.id,
      issueTypeId: type.id,
      summary: input.summary,
      description: input.description ?? null,
      statusId: status.id,
      ...(priority ? { priorityId: priority.id } : {}),
      labels: [...(input.labels ?? [])],
      components: [...(input.components ?? [])],
      fixVersions: [...(input.fixVersions ?? [])],
      ...(input.reporterId ? { reporterId: input.reporterId } : {}),
      ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
      created: input.created ?? stamp,
      updated: input.updated ?? input.created ?? stamp,
      ...(input.restrictedTo ? { restrictedTo: new Set(input.restrictedTo) } : {}),
      properties: new Map(),
    };
    this.issues.set(issue.id, issue);
    this.keyIndex.set(issue.key, issue.id);
    this.reindex(issue.id);
    return issue;
  }

  /**
   * Records the issue as it is now for search, visible `indexLagMs` from now. Every write through the
   * store calls it; a test that edits a SimIssue directly must call it too.
   */
  reindex(issueId: string): void {
    if (this.indexLagMs <= 0) return;
    const issue = this.issues.get(issueId);
    if (!issue) return;
    const now = this.now().getTime();
    const snapshot: SimIssue = {
      ...issue,
      labels: [...issue.labels],
      components: [...issue.components],
      fixVersions: [...issue.fixVersions],
    };
    const versions = this.indexVersions.get(issueId) ?? [];
    versions.push({ at: now, issue: snapshot });
    // Keep the newest version search already serves, and everything newer.
    const served = versions.findLastIndex((version) => version.at + this.indexLagMs <= now);
    this.indexVersions.set(issueId, served > 0 ? versions.slice(served) : versions);
  }

  /**
   * The issues as search sees them at `now`: each at its last version older than the lag (an issue
   * created within the lag is not found at all); ids in `reconcile` as they are now (Jira's
   * `reconcileIssues`, at most 50).
   */
  searchableIssues(now: Date, reconcile: readonly string[] = []): Map<string, SimIssue> {
    if (this.indexLagMs <= 0) return this.issues;
    const cutoff = now.getTime() - this.indexLagMs;
    const out = new Map<string, SimIssue>();
    for (const [id, issue] of this.issues) {
      const versions = this.indexVersions.get(id);
      if (!versions) {
        out.set(id, issue); // indexed before the lag was switched on
        continue;
      }
      const served = versions.findLast((version) => version.at <= cutoff);
      if (served) out.set(id, served.issue);
    }
    for (const id of reconcile) {
      const issue = this.issues.get(id);
      if (issue) out.set(id, issue);
    }
    return out;
  }

  /** Marks an issue as changed now (Jira bumps `updated` on any edit, link or Xray change). */
  touch(issueId: string, at: Date = this.now()): void {
    const issue = this.issues.get(issueId);
    if (issue) issue.updated = at.toISOString();
    this.reindex(issueId);
  }

  updateIssue(
    issueId: string,
    patch: Partial<Pick<SimIssue, 'summary' | 'description' | 'labels' | 'components' | 'fixVersions'>> & {
      statusName?: string;
    },
  ): SimIssue {
    const issue = this.issues.get(issueId);
    if (!issue) throw new Error(`No issue ${issueId}`);
    const { statusName, ...fields } = patch;
    Object.assign(issue, fields);
    if (statusName) {
      const status = this.status(statusName);
      if (!status) throw new Error(`No status ${statusName}`);
      issue.statusId = status.id;
    }
    this.touch(issueId);
    return issue;
  }

  link(typeIdOrName: string, inwardIssueId: string, outwardIssueId: string): SimLink {
    const type = this.linkType(typeIdOrName);
    if (!type) throw new Error(`No link type ${typeIdOrName}`);
    const existing = [...(this.linkIndex.get(inwardIssueId) ?? [])]
      .map((id) => this.links.get(id))
      .find(
        (link) =>
          link !== undefined &&
          link.typeId === type.id &&
          link.inwardIssueId === inwardIssueId &&
          link.outwardIssueId === outwardIssueId,
      );
    if (existing) return existing;
    const link: SimLink = { id: String(this.nextLinkId++), typeId: type.id, inwardIssueId, outwardIssueId };
    this.links.set(link.id, link);
    for (const issueId of [inwardIssueId, outwardIssueId]) {
      const ids = this.linkIndex.get(issueId) ?? new Set<string>();
      ids.add(link.id);
      this.linkIndex.set(issueId, ids);
    }
    this.touch(inwardIssueId);
    this.touch(outwardIssueId);
    return link;
  }

  /** Removes a link (both ends change, as Jira bumps `updated` on each). */
  unlink(linkId: string): void {
    const link = this.links.get(linkId);
    if (!link) return;
    this.links.delete(linkId);
    for (const issueId of [link.inwardIssueId, link.outwardIssueId]) {
      this.linkIndex.get(issueId)?.delete(linkId);
      this.touch(issueId);
    }
  }

  linksOf(issueId: string): LinkView[] {
    const out: LinkView[] = [];
    for (const linkId of this.linkIndex.get(issueId) ?? []) {
      const link = this.links.get(linkId);
      if (!link) continue;
      const type = this.linkTypes.get(link.typeId);
      if (!type) continue;
      if (link.inwardIssueId === issueId) {
        const other = this.issues.get(link.outwardIssueId);
        if (other) out.push({ link, type, direction: 'outward', other });
      } else if (link.outwardIssueId === issueId) {
        const other = this.issues.get(link.inwardIssueId);
        if (other) out.push({ link, type, direction: 'inward', other });
      }
    }
    return out;
  }

  addRemoteLink(issueId: string, link: Omit<SimRemoteLink, 'id' | 'issueId'>): SimRemoteLink {
    const record: SimRemoteLink = { id: this.nextRemoteLinkId++, issueId, ...link };
    this.remoteLinks.set(record.id, record);
    this.touch(issueId);
    return record;
  }

  addAttachment(
    issueId: string,
    file: {
      filename: string;
      mimeType: string;
      content: string | Buffer;
      created?: string;
      authorId?: string;
    },
  ): SimAttachment {
    const record: SimAttachment = {
      id: String(this.nextAttachmentId++),
      issueId,
      filename: file.filename,
      mimeType: file.mimeType,
      content: typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content,
      created: file.created ?? new Date().toISOString(),
      ...(file.authorId ? { authorId: file.authorId } : {}),
    };
    this.attachments.set(record.id, record);
    this.touch(issueId);
    return record;
  }

  attachmentsOf(issueId: string): SimAttachment[] {
    return [...this.attachments.values()].filter((attachment) => attachment.issueId === issueId);
  }

  remoteLinksOf(issueId: string): SimRemoteLink[] {
    return [...this.remoteLinks.values()].filter((link) => link.issueId === issueId);
  }

  setProperty(issueId: string, key: string, value: unknown): 'created' | 'updated' {
    const issue = this.issues.get(issueId);
    if (!issue) throw new Error(`No issue ${issueId}`);
    const existed = issue.properties.has(key);
    issue.properties.set(key, structuredClone(value));
    return existed ? 'updated' : 'created';
  }

  issuesOfProject(projectId: string): SimIssue[] {
    return [...this.issues.values()].filter((issue) => issue.projectId === projectId);
  }
}
