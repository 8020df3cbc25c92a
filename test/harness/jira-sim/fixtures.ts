/**
 * A small, fully deterministic Jira site for simulator tests (the playground's demo seed lives
 * elsewhere). Project DEMO (10000) uses Xray's issue types; OTHER (10001) is a second project with its
 * own admin. Timestamps are fixed; the store's clock is `SMALL.now` unless a test passes another.
 *
 * Users:
 * - admin-account-id — DEMO admin (ADMINISTER_PROJECTS), sees everything in DEMO incl. DEMO-6
 * - user-account-id — DEMO member (browse, create, edit, link)
 * - viewer-account-id — DEMO viewer: browse only
 * - contributor-account-id — DEMO contributor: create and link; edit only what they reported
 * - other-admin-account-id — OTHER's admin; cannot browse DEMO
 *
 * Issues (DEMO unless said): 1 Story "Login with SSO" (In Progress, High, labels auth+sso, ADF),
 * 2 Story "Password reset" (To Do, auth), 3 Epic "Authentication", 4 Bug "Crash on logout" (Done,
 * Highest), 5 Test "Verify SSO login" (tests DEMO-1), 6 Story "Security audit findings" (restricted to
 * the admin), 7–12 Stories "Backlog item 7…12" (no labels, priority Low, one without priority), OTHER-1.
 * Links: DEMO-5 tests DEMO-1; DEMO-4 blocks DEMO-2; DEMO-1 relates to DEMO-6. DEMO-1 has a remote link.
 */
import type { AdfDoc } from './store';
import { JiraStore } from './store';

export const SMALL = {
  siteUrl: 'https://demo-site.atlassian.net',
  now: new Date('2026-11-25T12:00:00.000Z'),
  project: { id: '10000', key: 'DEMO' },
  other: { id: '10001', key: 'OTHER' },
  admin: 'admin-account-id',
  user: 'user-account-id',
  otherAdmin: 'other-admin-account-id',
  viewer: 'viewer-account-id',
  contributor: 'contributor-account-id',
  types: {
    epic: '10000',
    story: '10001',
    bug: '10002',
    test: '10100',
    testSet: '10101',
    testExecution: '10102',
    testPlan: '10103',
    precondition: '10104',
  },
  linkTypes: { blocks: '10000', relates: '10003', test: '10006' },
} as const;

export function adf(...paragraphs: string[]): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

export function smallJiraStore(options: { now?: () => Date } = {}): JiraStore {
  const store = new JiraStore(SMALL.siteUrl, options.now ?? (() => SMALL.now));
  store.addUser({ accountId: SMALL.admin, displayName: 'Ada Admin', emailAddress: 'ada@example.com' });
  store.addUser({ accountId: SMALL.user, displayName: 'Uma User', emailAddress: 'uma@example.com' });
  store.addUser({ accountId: SMALL.otherAdmin, displayName: 'Oscar Other' });
  store.addUser({ accountId: SMALL.viewer, displayName: 'Vera Viewer' });
  store.addUser({ accountId: SMALL.contributor, displayName: 'Cole Contributor' });

  const type = (id: string, name: string, description: string, hierarchyLevel = 0) =>
    store.addIssueType({ id, name, description, subtask: false, hierarchyLevel });
  type(SMALL.types.epic, 'Epic', 'A big user story that needs to be broken down.', 1);
  type(SMALL.types.story, 'Story', 'Functionality or a feature expressed as a user goal.');
  type(SMALL.types.bug, 'Bug', 'A problem or error.');
  type(SMALL.types.test, 'Test', 'Represents a Test');
  type(SMALL.types.testSet, 'Test Set', 'Represents a Test Set');
  type(SMALL.types.testExecution, 'Test Execution', 'Represents a Test Execution');
  type(SMALL.types.testPlan, 'Test Plan', 'Represents a Test Plan');
  type(SMALL.types.precondition, 'Precondition', 'Represents a Precondition');

  store.addLinkType({
    id: SMALL.linkTypes.blocks,
    name: 'Blocks',
    inward: 'is blocked by',
    outward: 'blocks',
  });
  store.addLinkType({
    id: SMALL.linkTypes.relates,
    name: 'Relates',
    inward: 'relates to',
    outward: 'relates to',
  });
  store.addLinkType({ id: SMALL.linkTypes.test, name: 'Test', inward: 'is tested by', outward: 'tests' });

  store.addProject({
    id: SMALL.project.id,
    key: SMALL.project.key,
    name: 'Demo',
    projectTypeKey: 'software',
    leadAccountId: SMALL.admin,
    issueTypeIds: Object.values(SMALL.types),
    admins: [SMALL.admin],
    members: [SMALL.admin, SMALL.user],
    contributors: [SMALL.contributor],
    viewers: [SMALL.viewer],
    description: 'The demo project',
  });
  store.addProject({
    id: SMALL.other.id,
    key: SMALL.other.key,
    name: 'Other',
    projectTypeKey: 'software',
    leadAccountId: SMALL.otherAdmin,
    issueTypeIds: [SMALL.types.story, SMALL.types.bug],
    admins: [SMALL.otherAdmin],
    members: [SMALL.otherAdmin],
  });

  const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
  const demo = SMALL.project.key;
  const login = store.createIssue({
    projectIdOrKey: demo,
    issueTypeIdOrName: 'Story',
    summary: 'Login with SSO',
    description: adf('As a user I can sign in with the company SSO.', 'Acceptance: SAML and OIDC both work.'),
    statusName: 'In Progress',
    priorityName: 'High',
    labels: ['auth', 'sso'],
    components: ['Web'],
    fixVersions: ['1.0'],
    reporterId: SMALL.admin,
    assigneeId: SMALL.user,
    created: at(20),
  });
  const reset = store.createIssue({
    projectIdOrKey: demo,
    issueTypeIdOrName: 'Story',
    summary: 'Password reset',
    description: adf('Users reset their password by e-mail.'),
    labels: ['auth'],
    reporterId: SMALL.user,
    created: at(21),
  });
  store.createIssue({
    projectIdOrKey: demo,
    issueTypeIdOrName: 'Epic',
    summary: 'Authentication',
    description: null,
    created: at(18),
  });
  const crash = store.createIssue({
    projectIdOrKey: demo,
    issueTypeIdOrName: 'Bug',
    summary: 'Crash on logout',
    description: adf('The app crashes when logging out twice.'),
    statusName: 'Done',
    priorityName: 'Highest',
    created: at(22),
  });
  const test = store.createIssue({
    projectIdOrKey: demo,
    issueTypeIdOrName: 'Test',
    summary: 'Verify SSO login',
    description: adf('Sign in through the SSO provider.'),
    created: at(23),
  });
  const secret = store.createIssue({
    projectIdOrKey: demo,
    issueTypeIdOrName: 'Story',
    summary: 'Security audit findings',
    description: adf('Confidential: penetration test results.'),
    restrictedTo: [SMALL.admin],
    created: at(24),
  });
  for (let n = 7; n <= 12; n += 1) {
    store.createIssue({
      projectIdOrKey: demo,
      issueTypeIdOrName: 'Story',
      summary: `Backlog item ${n}`,
      description: adf(`Backlog item number ${n}.`),
      ...(n === 12 ? {} : { priorityName: 'Low' }),
      created: at(10 + n),
    });
  }
  const demo12 = store.issue('DEMO-12');
  if (demo12) delete demo12.priorityId;
  store.createIssue({
    projectIdOrKey: SMALL.other.key,
    issueTypeIdOrName: 'Story',
    summary: 'Other project story',
    description: adf('Lives in OTHER.'),
    created: at(19),
  });

  store.link('Test', test.id, login.id);
  store.link('Blocks', crash.id, reset.id);
  store.link('Relates', login.id, secret.id);
  store.addRemoteLink(login.id, {
    globalId: 'appId=confluence&pageId=12345',
    application: { type: 'com.atlassian.confluence', name: 'Confluence' },
    relationship: 'mentioned in',
    object: { url: `${SMALL.siteUrl}/wiki/spaces/DEMO/pages/12345`, title: 'SSO design' },
  });

  // Links and remote links bump `updated`; pin every timestamp for deterministic tests.
  for (const issue of store.issues.values()) issue.updated = issue.created;
  login.updated = at(25);
  return store;
}
