import { z } from 'zod';
import { JIRA_OPERATIONS } from '../../../src/clients/jira-operations';
import { describeWithContracts, loadJiraSpec } from '../../harness/contracts';
import { SMALL, smallJiraStore } from '../../harness/jira-sim/fixtures';
import { HANDLERS } from '../../harness/jira-sim/operations';
import { ROUTES } from '../../harness/jira-sim/routes';
import { createJiraSimulator, type JiraRequest, type JiraSimulator } from '../../harness/jira-sim/simulator';
import { SimulatedNetworkError } from '../../harness/sim-kit';

const admin = { as: 'user', accountId: SMALL.admin } as const;
const user = { as: 'user', accountId: SMALL.user } as const;
const otherAdmin = { as: 'user', accountId: SMALL.otherAdmin } as const;
const app = { as: 'app' } as const;
const JIRA_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;

function simulator(spec = loadJiraSpec()): JiraSimulator {
  return createJiraSimulator({ store: smallJiraStore(), now: () => SMALL.now, spec });
}

async function call(
  sim: JiraSimulator,
  method: string,
  path: string,
  actor: JiraRequest['actor'],
  body?: unknown,
): Promise<{ status: number; json: unknown; text: string }> {
  const response = await sim.handle({
    method,
    path,
    actor,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'Content-Type': 'application/json' },
        }),
  });
  return {
    status: response.status,
    text: response.body,
    json: response.body ? (JSON.parse(response.body) as unknown) : undefined,
  };
}

const issueShape = z
  .object({
    id: z.string(),
    key: z.string(),
    self: z.string(),
    fields: z.record(z.string(), z.unknown()),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
const linksShape = z.array(
  z
    .object({
      type: z.object({ name: z.string() }).loose(),
      inwardIssue: z
        .object({ key: z.string(), fields: z.record(z.string(), z.unknown()) })
        .loose()
        .optional(),
      outwardIssue: z
        .object({ key: z.string(), fields: z.record(z.string(), z.unknown()) })
        .loose()
        .optional(),
    })
    .loose(),
);
const searchShape = z.object({
  issues: z.array(z.object({ id: z.string(), key: z.string().optional() }).loose()),
  nextPageToken: z.string().optional(),
  isLast: z.boolean(),
});
const errorShape = z.object({ errorMessages: z.array(z.string()), errors: z.record(z.string(), z.string()) });
const permissionsShape = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean(), type: z.string() }).loose()),
});

describeWithContracts('Jira simulator against the real OpenAPI spec', () => {
  let sim: JiraSimulator;
  beforeEach(() => {
    sim = simulator();
  });
  afterEach(() => {
    // Every test in this block must leave the contract clean unless it says otherwise.
    expect(sim.violations).toEqual([]);
  });

  describe('getMyPermissions', () => {
    const path = '/rest/api/3/mypermissions?projectId=10000&permissions=ADMINISTER_PROJECTS,BROWSE_PROJECTS';
    it('reports project admin rights for the admin and not for a plain user', async () => {
      const forAdmin = permissionsShape.parse((await call(sim, 'GET', path, admin)).json).permissions;
      expect(forAdmin.ADMINISTER_PROJECTS).toMatchObject({
        havePermission: true,
        type: 'PROJECT',
        key: 'ADMINISTER_PROJECTS',
        id: '23',
      });
      expect(forAdmin.BROWSE_PROJECTS?.havePermission).toBe(true);
      const forUser = permissionsShape.parse((await call(sim, 'GET', path, user)).json).permissions;
      expect(forUser.ADMINISTER_PROJECTS?.havePermission).toBe(false);
      expect(forUser.BROWSE_PROJECTS?.havePermission).toBe(true);
    });

    it('answers 404 for a project the caller cannot browse, and 400 without permissions', async () => {
      const hidden = await call(sim, 'GET', path, otherAdmin);
      expect(hidden.status).toBe(404);
      expect(errorShape.parse(hidden.json).errorMessages).toEqual([
        "No project could be found with id '10000'.",
      ]);
      const byKey = await call(
        sim,
        'GET',
        '/rest/api/3/mypermissions?projectKey=OTHER&permissions=ADMINISTER_PROJECTS',
        otherAdmin,
      );
      expect(permissionsShape.parse(byKey.json).permissions.ADMINISTER_PROJECTS?.havePermission).toBe(true);
      const missing = await call(sim, 'GET', '/rest/api/3/mypermissions?projectId=10000', admin);
      expect(missing.status).toBe(400);
      expect(errorShape.parse(missing.json).errorMessages[0]).toMatch(/permissions/);
      const unknown = await call(sim, 'GET', '/rest/api/3/mypermissions?permissions=FLY', admin);
      expect(unknown.status).toBe(400);
    });

    // The spec's own rule (getMyPermissions): a permission granted through issue data (Reporter)
    // shows in a project context, but in an issue context only on the caller's own issues.
    it('holds each role’s permissions, issue-level grants only in an issue’s context', async () => {
      const keys = 'BROWSE_PROJECTS,CREATE_ISSUES,EDIT_ISSUES,LINK_ISSUES';
      const held = async (who: string, scope: string) => {
        const answer = await call(sim, 'GET', `/rest/api/3/mypermissions?${scope}&permissions=${keys}`, {
          as: 'user',
          accountId: who,
        });
        const permissions = permissionsShape.parse(answer.json).permissions;
        return keys.split(',').filter((key) => permissions[key]?.havePermission);
      };
      expect(await held(SMALL.viewer, 'projectId=10000')).toEqual(['BROWSE_PROJECTS']);
      expect(await held(SMALL.user, 'projectId=10000')).toEqual(keys.split(','));
      expect(await held(SMALL.contributor, 'projectId=10000')).toEqual(keys.split(','));
      // DEMO-2 was reported by Uma, not by the contributor.
      expect(await held(SMALL.contributor, 'issueKey=DEMO-2')).toEqual([
        'BROWSE_PROJECTS',
        'CREATE_ISSUES',
        'LINK_ISSUES',
      ]);
      expect(await held(SMALL.user, 'issueKey=DEMO-2')).toEqual(keys.split(','));
      // An issue the caller cannot see is a 404 (DEMO-6 is restricted to the admin).
      const hidden = await call(
        sim,
        'GET',
        `/rest/api/3/mypermissions?issueKey=DEMO-6&permissions=${keys}`,
        user,
      );
      expect(hidden.status).toBe(404);
    });

    it('refuses writes a role does not allow: a viewer cannot link, a contributor cannot edit others’ issues', async () => {
      const viewer = { as: 'user', accountId: SMALL.viewer } as const;
      const contributor = { as: 'user', accountId: SMALL.contributor } as const;
      const link = {
        type: { name: 'Relates' },
        inwardIssue: { key: 'DEMO-7' },
        outwardIssue: { key: 'DEMO-8' },
      };
      expect((await call(sim, 'POST', '/rest/api/3/issueLink', viewer, link)).status).toBe(404);
      expect((await call(sim, 'POST', '/rest/api/3/issueLink', contributor, link)).status).toBe(201);
      const property = '/rest/api/3/issue/DEMO-2/properties/sqai.note';
      expect((await call(sim, 'PUT', property, contributor, { note: 1 })).status).toBe(403);
      expect((await call(sim, 'PUT', property, user, { note: 1 })).status).toBe(201);
    });

    it('deleteIssueLink: 204 for Link issues on an end; 404 alike for a viewer and a missing link (the link stays)', async () => {
      const viewer = { as: 'user', accountId: SMALL.viewer } as const;
      const contributor = { as: 'user', accountId: SMALL.contributor } as const;
      const link = {
        type: { name: 'Relates' },
        inwardIssue: { key: 'DEMO-7' },
        outwardIssue: { key: 'DEMO-8' },
      };
      expect((await call(sim, 'POST', '/rest/api/3/issueLink', contributor, link)).status).toBe(201);
      const created = sim.store
        .linksOf(sim.store.issue('DEMO-7')?.id ?? '')
        .find((view) => view.other.key === 'DEMO-8');
      if (!created) throw new Error('the link was not made');
      const path = `/rest/api/3/issueLink/${created.link.id}`;
      const refused = await call(sim, 'DELETE', path, viewer);
      const missing = await call(sim, 'DELETE', '/rest/api/3/issueLink/999999', contributor);
      expect([refused.status, missing.status]).toEqual([404, 404]);
      expect(refused.json).toEqual(missing.json);
      expect(sim.store.links.has(created.link.id)).toBe(true);
      expect((await call(sim, 'DELETE', path, contributor)).status).toBe(204);
      expect(sim.store.links.has(created.link.id)).toBe(false);
    });

    it('answers 401 for an unknown or absent user', async () => {
      expect((await call(sim, 'GET', path, { as: 'user', accountId: 'stranger' })).status).toBe(401);
      const anonymous = await call(sim, 'GET', path, { as: 'user' });
      expect(anonymous.status).toBe(401);
      expect(errorShape.parse(anonymous.json).errorMessages[0]).toMatch(/not authenticated/);
    });
  });

  describe('projects, issue types, users, link types', () => {
    it('getProject: issue types, lead, type, style; 404 when invisible', async () => {
      const { status, json } = await call(sim, 'GET', '/rest/api/3/project/DEMO', user);
      expect(status).toBe(200);
      expect(json).toMatchObject({
        id: '10000',
        key: 'DEMO',
        name: 'Demo',
        projectTypeKey: 'software',
        simplified: false,
        style: 'classic',
        self: `${SMALL.siteUrl}/rest/api/3/project/10000`,
        lead: { accountId: SMALL.admin, displayName: 'Ada Admin' },
      });
      const types = z
        .object({ issueTypes: z.array(z.object({ name: z.string() }).loose()) })
        .parse(json).issueTypes;
      expect(types.map((type) => type.name)).toEqual([
        'Epic',
        'Story',
        'Bug',
        'Test',
        'Test Set',
        'Test Execution',
        'Test Plan',
        'Precondition',
      ]);
      expect((await call(sim, 'GET', '/rest/api/3/project/10000', admin)).status).toBe(200);
      const hidden = await call(sim, 'GET', '/rest/api/3/project/DEMO', otherAdmin);
      expect(hidden.status).toBe(404);
      expect(errorShape.parse(hidden.json).errorMessages).toEqual([
        "No project could be found with key 'DEMO'.",
      ]);
    });

    it('getIssueTypesForProject, getCurrentUser, getIssueLinkTypes', async () => {
      const types = await call(sim, 'GET', '/rest/api/3/issuetype/project?projectId=10000&level=1', admin);
      expect(types.json).toEqual([expect.objectContaining({ name: 'Epic', hierarchyLevel: 1 })]);
      // Jira serves this one anonymously: no user means no project, not a 401.
      expect(
        (await call(sim, 'GET', '/rest/api/3/issuetype/project?projectId=10000', { as: 'user' })).status,
      ).toBe(404);
      expect((await call(sim, 'GET', '/rest/api/3/myself', user)).json).toMatchObject({
        accountId: SMALL.user,
        displayName: 'Uma User',
        accountType: 'atlassian',
        active: true,
      });
      expect((await call(sim, 'GET', '/rest/api/3/myself', app)).json).toMatchObject({ accountType: 'app' });
      expect((await call(sim, 'GET', '/rest/api/3/issueLinkType', app)).json).toEqual({
        issueLinkTypes: expect.arrayContaining([
          {
            id: SMALL.linkTypes.test,
            name: 'Test',
            inward: 'is tested by',
            outward: 'tests',
            self: `${SMALL.siteUrl}/rest/api/3/issueLinkType/10006`,
          },
        ]) as unknown,
      });
    });
  });

  describe('issues', () => {
    it('getIssue: Jira field shapes, dates, links and remote links', async () => {
      const { status, json } = await call(sim, 'GET', '/rest/api/3/issue/DEMO-1', admin);
      expect(status).toBe(200);
      const issue = issueShape.parse(json);
      expect(issue).toMatchObject({
        id: '10100',
        key: 'DEMO-1',
        self: `${SMALL.siteUrl}/rest/api/3/issue/10100`,
      });
      expect(issue.fields).toMatchObject({
        summary: 'Login with SSO',
        description: { type: 'doc', version: 1 },
        issuetype: { id: SMALL.types.story, name: 'Story', subtask: false },
        status: { name: 'In Progress', statusCategory: { key: 'indeterminate', name: 'In Progress' } },
        priority: { name: 'High' },
        labels: ['auth', 'sso'],
        components: [{ name: 'Web' }],
        fixVersions: [{ name: '1.0' }],
        reporter: { accountId: SMALL.admin, displayName: 'Ada Admin', active: true },
        assignee: { accountId: SMALL.user },
        project: { id: '10000', key: 'DEMO' },
        created: '2026-11-20T10:00:00.000+0000',
        updated: '2026-11-25T10:00:00.000+0000',
      });
      expect(issue.fields.created).toMatch(JIRA_TIMESTAMP);
      expect(issue.fields.security).toBeUndefined();
      const links = linksShape.parse(issue.fields.issuelinks);
      expect(links.map((link) => [link.type.name, link.inwardIssue?.key, link.outwardIssue?.key])).toEqual([
        ['Test', 'DEMO-5', undefined],
        ['Relates', undefined, 'DEMO-6'],
      ]);
      expect(links[0]?.inwardIssue?.fields).toMatchObject({
        summary: 'Verify SSO login',
        status: { name: 'To Do' },
        issuetype: { name: 'Test' },
      });

      const remote = await call(sim, 'GET', '/rest/api/3/issue/10100/remotelink', user);
      expect(remote.json).toEqual([
        expect.objectContaining({
          id: 30000,
          object: expect.objectContaining({ title: 'SSO design' }) as unknown,
        }),
      ]);
      const one = await call(
        sim,
        'GET',
        `/rest/api/3/issue/DEMO-1/remotelink?globalId=${encodeURIComponent('appId=confluence&pageId=12345')}`,
        user,
      );
      expect(one.json).toMatchObject({ id: 30000 });
    });

    it('honours fields and properties', async () => {
      await call(sim, 'PUT', '/rest/api/3/issue/DEMO-2/properties/sqai.provenance', app, {
        generatedBy: 'sqai',
      });
      const few = issueShape.parse(
        (
          await call(
            sim,
            'GET',
            '/rest/api/3/issue/DEMO-2?fields=summary,status&properties=sqai.provenance',
            user,
          )
        ).json,
      );
      expect(Object.keys(few.fields).sort()).toEqual(['status', 'summary']);
      expect(few.properties).toEqual({ 'sqai.provenance': { generatedBy: 'sqai' } });
      const most = issueShape.parse(
        (await call(sim, 'GET', '/rest/api/3/issue/DEMO-2?fields=*all,-description,-issuelinks', user)).json,
      );
      expect(most.fields).toHaveProperty('summary');
      expect(most.fields).not.toHaveProperty('description');
      expect(most.fields).not.toHaveProperty('issuelinks');
    });

    it('an issue-security-restricted issue: 404 for the user, 200 for the app and the admin', async () => {
      const forUser = await call(sim, 'GET', '/rest/api/3/issue/DEMO-6', user);
      expect(forUser.status).toBe(404);
      expect(errorShape.parse(forUser.json).errorMessages).toEqual([
        'Issue does not exist or you do not have permission to see it.',
      ]);
      const forApp = issueShape.parse((await call(sim, 'GET', '/rest/api/3/issue/DEMO-6', app)).json);
      expect(forApp.fields.security).toMatchObject({ name: 'Restricted' });
      expect((await call(sim, 'GET', '/rest/api/3/issue/DEMO-6', admin)).status).toBe(200);
      // …and a link to it is invisible to the user.
      const demo1 = issueShape.parse(
        (await call(sim, 'GET', '/rest/api/3/issue/DEMO-1?fields=issuelinks', user)).json,
      );
      expect(
        linksShape
          .parse(demo1.fields.issuelinks)
          .map((link) => link.inwardIssue?.key ?? link.outwardIssue?.key),
      ).toEqual(['DEMO-5']);
      expect((await call(sim, 'GET', '/rest/api/3/issue/DEMO-6/properties/x', user)).status).toBe(404);
    });

    it('bulkFetchIssues: ascending ids, invisible and missing issues left out, at most 100', async () => {
      const { json } = await call(sim, 'POST', '/rest/api/3/issue/bulkfetch', user, {
        issueIdsOrKeys: ['DEMO-3', '10100', 'DEMO-6', 'NOPE-1'],
        fields: ['summary'],
      });
      const parsed = z.object({ issues: z.array(issueShape), issueErrors: z.array(z.unknown()) }).parse(json);
      expect(parsed.issues.map((issue) => [issue.key, Object.keys(issue.fields)])).toEqual([
        ['DEMO-1', ['summary']],
        ['DEMO-3', ['summary']],
      ]);
      const tooMany = Array.from({ length: 101 }, (_, i) => `DEMO-${i + 1}`);
      expect(
        (await call(sim, 'POST', '/rest/api/3/issue/bulkfetch', app, { issueIdsOrKeys: tooMany })).status,
      ).toBe(400);
    });

    it('createIssue: 201 {id,key,self}; field errors the Jira way', async () => {
      const created = await call(sim, 'POST', '/rest/api/3/issue', admin, {
        fields: {
          project: { key: 'DEMO' },
          issuetype: { name: 'Test' },
          summary: 'Generated: SSO happy path',
          description: {
            type: 'doc',
            version: 1,
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Steps' }] }],
          },
          labels: ['sqai-generated'],
          priority: { name: 'High' },
        },
      });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({
        id: '10113',
        key: 'DEMO-13',
        self: `${SMALL.siteUrl}/rest/api/3/issue/10113`,
      });
      const fetched = issueShape.parse((await call(sim, 'GET', '/rest/api/3/issue/DEMO-13', user)).json);
      expect(fetched.fields).toMatchObject({
        issuetype: { name: 'Test' },
        labels: ['sqai-generated'],
        reporter: { accountId: SMALL.admin },
        created: '2026-11-25T12:00:00.000+0000',
      });

      const bad = await call(sim, 'POST', '/rest/api/3/issue', admin, {
        fields: {
          project: { key: 'OTHER' },
          issuetype: { name: 'Test' },
          description: 'plain text',
          sprint: 1,
        },
      });
      expect(bad.status).toBe(400);
      expect(errorShape.parse(bad.json).errors).toEqual({
        project: 'Specify a valid project ID or key',
        issuetype: 'Specify a valid issue type',
        summary: 'You must specify a summary of the issue.',
        description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        sprint: "Field 'sprint' cannot be set. It is not on the appropriate screen, or unknown.",
      });
    });
  });

  describe('links and properties', () => {
    it('linkIssues: 201 with no body; the link reads "inward <outward verb> outward"', async () => {
      const linked = await call(sim, 'POST', '/rest/api/3/issueLink', user, {
        type: { name: 'Test' },
        inwardIssue: { key: 'DEMO-5' },
        outwardIssue: { key: 'DEMO-2' },
      });
      expect(linked).toEqual({ status: 201, text: '', json: undefined });
      const demo2 = issueShape.parse(
        (await call(sim, 'GET', '/rest/api/3/issue/DEMO-2?fields=issuelinks', user)).json,
      );
      expect(linksShape.parse(demo2.fields.issuelinks)).toContainEqual(
        expect.objectContaining({
          type: expect.objectContaining({ name: 'Test', inward: 'is tested by' }) as unknown,
          inwardIssue: expect.objectContaining({ key: 'DEMO-5' }) as unknown,
        }),
      );
      const byId = await call(sim, 'POST', '/rest/api/3/issueLink', app, {
        type: { id: SMALL.linkTypes.relates },
        inwardIssue: { id: '10101' },
        outwardIssue: { id: '10102' },
      });
      expect(byId.status).toBe(201);
    });

    it('linkIssues: 404 for an unknown type or an issue the caller cannot see', async () => {
      const unknownType = await call(sim, 'POST', '/rest/api/3/issueLink', admin, {
        type: { name: 'Clones' },
        inwardIssue: { key: 'DEMO-5' },
        outwardIssue: { key: 'DEMO-2' },
      });
      expect(unknownType.status).toBe(404);
      expect(errorShape.parse(unknownType.json).errorMessages).toEqual([
        "No issue link type with name 'Clones' found.",
      ]);
      const hidden = await call(sim, 'POST', '/rest/api/3/issueLink', user, {
        type: { name: 'Test' },
        inwardIssue: { key: 'DEMO-5' },
        outwardIssue: { key: 'DEMO-6' },
      });
      expect(hidden.status).toBe(404);
      expect(sim.store.linksOf('10105').map((view) => view.other.key)).toEqual(['DEMO-1']);
    });

    it('setIssueProperty: 201 created, 200 updated, empty bodies; ≤ 32,768 characters', async () => {
      const path = '/rest/api/3/issue/DEMO-1/properties/sqai.provenance';
      expect(await call(sim, 'PUT', path, app, { v: 1 })).toMatchObject({ status: 201, text: '' });
      expect(await call(sim, 'PUT', path, app, { v: 2 })).toMatchObject({ status: 200, text: '' });
      expect((await call(sim, 'GET', path, user)).json).toEqual({ key: 'sqai.provenance', value: { v: 2 } });
      expect((await call(sim, 'PUT', path, app, { big: 'x'.repeat(32_768) })).status).toBe(400);
      const missing = await call(sim, 'GET', '/rest/api/3/issue/DEMO-1/properties/nothing', app);
      expect(missing.status).toBe(404);
      expect(errorShape.parse(missing.json).errorMessages).toEqual([
        "The property with key 'nothing' does not exist.",
      ]);
    });
  });

  describe('enhanced search', () => {
    it('POST: fields, visibility per actor, ids-only by default', async () => {
      const forUser = searchShape.parse(
        (
          await call(sim, 'POST', '/rest/api/3/search/jql', user, {
            jql: 'project = DEMO AND issuetype = Story',
            fields: ['summary'],
          })
        ).json,
      );
      expect(forUser.issues.map((issue) => issue.key)).toEqual([
        'DEMO-1',
        'DEMO-2',
        'DEMO-7',
        'DEMO-8',
        'DEMO-9',
        'DEMO-10',
        'DEMO-11',
        'DEMO-12',
      ]);
      expect(forUser.isLast).toBe(true);
      expect(forUser.nextPageToken).toBeUndefined();
      const forApp = searchShape.parse(
        (
          await call(sim, 'POST', '/rest/api/3/search/jql', app, {
            jql: 'project = DEMO AND issuetype = Story',
          })
        ).json,
      );
      expect(forApp.issues).toHaveLength(9);
      expect(forApp.issues[0]).toEqual({ id: '10100' });
    });

    it('GET: the same search from query parameters', async () => {
      const jql = encodeURIComponent('updated >= "2026-11-25 10:00" ORDER BY key DESC');
      const found = searchShape.parse(
        (
          await call(
            sim,
            'GET',
            `/rest/api/3/search/jql?jql=${jql}&fields=summary,updated&maxResults=10`,
            user,
          )
        ).json,
      );
      expect(found.issues.map((issue) => issue.key)).toEqual(['DEMO-1']);
    });

    it('pages with nextPageToken until isLast', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = searchShape.parse(
          (
            await call(sim, 'POST', '/rest/api/3/search/jql', admin, {
              jql: 'project = DEMO ORDER BY key',
              fields: ['key'],
              maxResults: 5,
              ...(token ? { nextPageToken: token } : {}),
            })
          ).json,
        );
        pages += 1;
        seen.push(...page.issues.map((issue) => issue.key ?? ''));
        token = page.nextPageToken;
        expect(page.isLast).toBe(token === undefined);
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `DEMO-${i + 1}`));
      const stale = await call(sim, 'POST', '/rest/api/3/search/jql', admin, {
        jql: 'project = OTHER',
        nextPageToken: 'bm9wZQ',
      });
      expect(stale.status).toBe(400);
    });

    it('answers 400 like Jira for invalid, unsupported and unbounded JQL', async () => {
      const reserved = await call(sim, 'POST', '/rest/api/3/search/jql', user, { jql: 'summary ~ 50%' });
      expect(reserved.status).toBe(400);
      expect(errorShape.parse(reserved.json).errorMessages[0]).toMatch(
        /^Error in the JQL Query: The character '%' is a reserved JQL character/,
      );
      const field = await call(sim, 'POST', '/rest/api/3/search/jql', user, { jql: 'foo = bar' });
      expect(field.json).toEqual({
        errorMessages: ["Field 'foo' does not exist or you do not have permission to view it."],
        errors: {},
      });
      const hidden = await call(sim, 'POST', '/rest/api/3/search/jql', user, { jql: 'project = OTHER' });
      expect(errorShape.parse(hidden.json).errorMessages).toEqual([
        "The value 'OTHER' does not exist for the field 'project'.",
      ]);
      const unbounded = await call(sim, 'POST', '/rest/api/3/search/jql', user, { jql: 'order by key desc' });
      expect(unbounded.status).toBe(400);
      expect(errorShape.parse(unbounded.json).errorMessages[0]).toMatch(
        /^Unbounded JQL queries are not allowed here/,
      );
    });
  });

  describe('contract violations', () => {
    afterEach(() => {
      sim.violations.length = 0; // these tests make violations on purpose
    });

    it('a made-up path is a violation and a 404', async () => {
      const response = await call(sim, 'GET', '/rest/api/3/nope', admin);
      expect(response.status).toBe(404);
      expect(sim.violations).toEqual(['no such Jira operation: GET /rest/api/3/nope']);
      expect(sim.requests).toEqual([{ method: 'GET', path: '/rest/api/3/nope', status: 404, actor: 'user' }]);
    });

    it('a body that fails the schema is a violation and a 400', async () => {
      const response = await call(sim, 'POST', '/rest/api/3/search/jql', admin, {
        jql: 'project = DEMO',
        maxResults: 'x',
      });
      expect(response.status).toBe(400);
      expect(sim.violations).toEqual([
        'request to searchAndReconsileIssuesUsingJqlPost (POST /rest/api/3/search/jql) does not match the spec: /requestBody/maxResults must be integer',
      ]);
    });

    it('an unknown query parameter is a violation (Jira would ignore it)', async () => {
      const response = await call(sim, 'GET', '/rest/api/3/issue/DEMO-1?fields=summary&bogus=1', admin);
      expect(response.status).toBe(200);
      expect(sim.violations).toEqual([
        'request to getIssue (GET /rest/api/3/issue/DEMO-1?fields=summary&bogus=1) does not match the spec: /query must NOT have additional properties (bogus)',
      ]);
    });

    it('an operation Jira has and the simulator does not is a violation and a 501', async () => {
      const response = await call(sim, 'DELETE', '/rest/api/3/issue/DEMO-1', admin);
      expect(response.status).toBe(501);
      expect(sim.violations).toEqual([
        'not implemented by the Jira simulator: deleteIssue (DELETE /rest/api/3/issue/DEMO-1)',
      ]);
      expect(sim.requests[0]).toMatchObject({ operationId: 'deleteIssue', status: 501 });
    });
  });

  it('records every request with its operationId, status and actor', async () => {
    await call(sim, 'GET', '/rest/api/3/project/DEMO', admin);
    await call(sim, 'GET', '/rest/api/3/issue/DEMO-6', user);
    await call(sim, 'POST', '/rest/api/3/search/jql', app, { jql: 'key = DEMO-1' });
    expect(sim.requests).toEqual([
      {
        method: 'GET',
        path: '/rest/api/3/project/DEMO',
        operationId: 'getProject',
        status: 200,
        actor: 'user',
      },
      {
        method: 'GET',
        path: '/rest/api/3/issue/DEMO-6',
        operationId: 'getIssue',
        status: 404,
        actor: 'user',
      },
      {
        method: 'POST',
        path: '/rest/api/3/search/jql',
        operationId: 'searchAndReconsileIssuesUsingJqlPost',
        status: 200,
        actor: 'app',
      },
    ]);
    expect(sim.log.entries.map((entry) => entry.operation)).toEqual([
      'getProject',
      'getIssue',
      'searchAndReconsileIssuesUsingJqlPost',
    ]);
  });

  describe('faults and latency', () => {
    it('failNext answers with the given status once, then recovers', async () => {
      sim.failNext({ path: '/rest/api/3/issue/', status: 503, body: { errorMessages: ['busy'] } });
      expect((await call(sim, 'GET', '/rest/api/3/issue/DEMO-1', admin)).status).toBe(503);
      expect((await call(sim, 'GET', '/rest/api/3/issue/DEMO-1', admin)).status).toBe(200);
      expect(sim.requests.map((request) => request.status)).toEqual([503, 200]);
      expect(sim.log.entries[0]).toMatchObject({ fault: true, status: 503 });
    });

    it('a timeout hangs until the caller aborts; a reset drops the connection', async () => {
      sim.faults.add({ timeout: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      await expect(
        sim.handle({ method: 'GET', path: '/rest/api/3/myself', actor: admin, signal: controller.signal }),
      ).rejects.toBeInstanceOf(SimulatedNetworkError);
      sim.failNext({ reset: true, method: 'GET' });
      await expect(sim.handle({ method: 'GET', path: '/rest/api/3/myself', actor: admin })).rejects.toThrow(
        'connection reset',
      );
      expect(sim.requests.map((request) => request.status)).toEqual([0, 0]);
    });

    it('adds latency', async () => {
      await call(sim, 'GET', '/rest/api/3/myself', admin); // warm the validator
      sim.latencyMs = 60;
      const started = Date.now();
      await call(sim, 'GET', '/rest/api/3/myself', admin);
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    });
  });

  it('serves over real HTTP with the actor taken from headers', async () => {
    const served = await sim.serve();
    try {
      const asUser = await fetch(`${served.url}/rest/api/3/issue/DEMO-6?fields=summary`, {
        headers: { 'X-Sim-Account-Id': SMALL.user },
      });
      expect(asUser.status).toBe(404);
      const asApp = await fetch(`${served.url}/rest/api/3/issue/DEMO-6?fields=summary`, {
        headers: { 'X-Sim-Actor': 'app' },
      });
      expect(asApp.status).toBe(200);
      expect(await asApp.json()).toMatchObject({
        key: 'DEMO-6',
        fields: { summary: 'Security audit findings' },
      });
      const linked = await fetch(`${served.url}/rest/api/3/issueLink`, {
        method: 'POST',
        headers: { 'X-Sim-Account-Id': SMALL.admin, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          type: { name: 'Blocks' },
          inwardIssue: { key: 'DEMO-4' },
          outwardIssue: { key: 'DEMO-3' },
        }),
      });
      expect(linked.status).toBe(201);
      expect((await fetch(`${served.url}/rest/api/3/myself`)).status).toBe(401);
    } finally {
      await served.close();
    }
  });
});

describeWithContracts('Jira simulator route table', () => {
  const spec = loadJiraSpec();
  const operationSchema = z
    .object({ operationId: z.string(), responses: z.record(z.string(), z.unknown()) })
    .loose();

  it.each(ROUTES.map((route) => [route.operationId, route] as const))('%s matches the spec', (_id, route) => {
    const operation = operationSchema.parse(spec.paths[route.template]?.[route.method.toLowerCase()]);
    expect(operation.operationId).toBe(route.operationId);
    expect('401' in operation.responses).toBe(route.answers401);
    expect(HANDLERS[route.operationId]).toBeDefined();
  });

  it('implements every Jira operation the app calls', () => {
    const implemented = new Set(ROUTES.map((route) => route.operationId));
    expect(Object.keys(JIRA_OPERATIONS).filter((name) => !implemented.has(name))).toEqual([]);
  });
});

describe('Jira simulator without the spec', () => {
  it('routes by its own table and still flags unknown paths', async () => {
    const sim = createJiraSimulator({ store: smallJiraStore(), now: () => SMALL.now, spec: null });
    expect(sim.validating).toBe(false);
    expect(
      (await call(sim, 'POST', '/rest/api/3/issue/bulkfetch', app, { issueIdsOrKeys: ['DEMO-1'] })).status,
    ).toBe(200);
    expect((await call(sim, 'GET', '/rest/api/3/issue/DEMO-1?fields=summary', user)).json).toMatchObject({
      key: 'DEMO-1',
    });
    expect(
      (await call(sim, 'POST', '/rest/api/3/search/jql', user, { jql: 'project = DEMO', maxResults: 'x' }))
        .status,
    ).toBe(400);
    expect((await call(sim, 'GET', '/rest/api/3/nope', user)).status).toBe(404);
    expect(sim.violations).toEqual(['no such Jira operation: GET /rest/api/3/nope']);
    expect(sim.requests.map((request) => request.operationId)).toEqual([
      'bulkFetchIssues',
      'getIssue',
      'searchAndReconsileIssuesUsingJqlPost',
      undefined,
    ]);
  });
});

// Jira's search is eventually consistent ("Search after write with search and reconcile"): a write
// reaches search/jql after a delay; ids passed in reconcileIssues are read as they are now.
describeWithContracts('Jira simulator search lag', () => {
  it('finds a new or changed issue only after the index lag, or at once when reconciled', async () => {
    let now = SMALL.now.getTime();
    const store = smallJiraStore({ now: () => new Date(now) });
    store.indexLagMs = 5_000;
    const sim = createJiraSimulator({ store, now: () => new Date(now), spec: loadJiraSpec() });
    const searchFor = async (jql: string, reconcileIssues?: number[]) => {
      const answer = await call(sim, 'POST', '/rest/api/3/search/jql', app, {
        jql,
        fields: ['labels'],
        ...(reconcileIssues ? { reconcileIssues } : {}),
      });
      expect(answer.status).toBe(200);
      return z.object({ issues: z.array(z.object({ id: z.string() }).loose()) }).parse(answer.json).issues;
    };
    const created = store.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Test',
      summary: 'Made a moment ago',
      labels: ['sqai-t-lagging'],
    });
    expect(await searchFor('labels = "sqai-t-lagging"')).toEqual([]);
    expect(
      (await searchFor('labels = "sqai-t-lagging"', [Number(created.id)])).map((issue) => issue.id),
    ).toEqual([created.id]);
    now += 5_000;
    expect((await searchFor('labels = "sqai-t-lagging"')).map((issue) => issue.id)).toEqual([created.id]);

    // A change is served as the old version until the lag has passed.
    store.updateIssue(created.id, { labels: ['sqai-t-renamed'] });
    expect(await searchFor('labels = "sqai-t-renamed"')).toEqual([]);
    expect(await searchFor('labels = "sqai-t-lagging"')).toHaveLength(1);
    now += 5_000;
    expect(await searchFor('labels = "sqai-t-renamed"')).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });
});
