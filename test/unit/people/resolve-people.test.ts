/**
 * People by account id (src/people/resolve-people.ts): one bulkGetUsers request per view, as the
 * viewing user, against the Jira simulator (request and answer validated against the OpenAPI spec);
 * what Jira cannot name degrades to a neutral name, never the raw id, never a failed view.
 */
import type { IssuePanelView, SettingsView } from '../../../src/api';
import { FORMER_USER, resolvePeople, UNKNOWN_USER } from '../../../src/people/resolve-people';
import type { Platform } from '../../../src/platform/ports';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { invocationScope } from '../../harness/local-platform';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

/** resolvePeople as `viewer`, the way a resolver runs it. */
function asViewer(world: World, viewer: string, ids: (string | undefined)[]) {
  return invocationScope.run({ accountId: viewer }, () => resolvePeople(world.platform, ids));
}

const bulkRequests = (world: World) =>
  world.jira.requests.filter((request) => request.operationId === 'bulkGetUsers');

describeWithContracts('resolvePeople', () => {
  let world: World;

  beforeEach(() => {
    world = createWorld();
  });

  afterEach(() => expectWorldWithinContracts(world));

  it('names every distinct id in one request, as the viewing user, with an avatar', async () => {
    const people = await asViewer(world, DEMO.user, [
      PEOPLE.po.accountId,
      PEOPLE.qa.accountId,
      PEOPLE.po.accountId,
      undefined,
      '',
      ` ${PEOPLE.qa.accountId} `,
    ]);
    expect(Object.keys(people).sort()).toEqual([PEOPLE.po.accountId, PEOPLE.qa.accountId].sort());
    expect(people[PEOPLE.po.accountId]).toMatchObject({
      accountId: PEOPLE.po.accountId,
      displayName: PEOPLE.po.displayName,
      avatarUrl: expect.stringMatching(/^data:image\/svg\+xml;base64,/) as unknown,
    });
    expect(people[PEOPLE.qa.accountId]?.displayName).toBe(PEOPLE.qa.displayName);
    const requests = bulkRequests(world);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.actor).toBe('user');
    // The ids repeated (the spec's form), each once, and a page large enough for all of them.
    const query = new URL(requests[0]?.path ?? '', 'https://x').searchParams;
    expect(query.getAll('accountId').sort()).toEqual([PEOPLE.po.accountId, PEOPLE.qa.accountId].sort());
    expect(query.get('maxResults')).toBe('2');
  });

  it('sends nothing when there is no one to name', async () => {
    expect(await asViewer(world, DEMO.user, [undefined, ''])).toEqual({});
    expect(bulkRequests(world)).toHaveLength(0);
  });

  it('an id Jira does not know is "Unknown user", a deleted account "Former user" — never the raw id', async () => {
    world.jiraStore.addUser({ accountId: 'gone-account-id', displayName: 'Gina Gone', deleted: true });
    const people = await asViewer(world, DEMO.user, ['no-such-account', 'gone-account-id', DEMO.admin]);
    expect(people['no-such-account']).toEqual({ accountId: 'no-such-account', displayName: UNKNOWN_USER });
    expect(people['gone-account-id']?.displayName).toBe(FORMER_USER);
    expect(people[DEMO.admin]?.displayName).toBe(PEOPLE.admin.displayName);
    for (const person of Object.values(people)) expect(person.displayName).not.toMatch(/account/);
    expect(bulkRequests(world)).toHaveLength(1);
  });

  it('follows profile visibility: an avatar shown only to the organization is the default one to others', async () => {
    world.jiraStore.addUser({
      accountId: 'managed-account-id',
      displayName: 'Maya Managed',
      organization: 'example.com',
      avatarVisibility: 'organization',
    });
    world.jiraStore.addUser({
      accountId: 'colleague-account-id',
      displayName: 'Carl Colleague',
      organization: 'example.com',
    });
    const outsider = await asViewer(world, DEMO.user, ['managed-account-id']);
    const colleague = await asViewer(world, 'colleague-account-id', ['managed-account-id']);
    expect(outsider['managed-account-id']?.displayName).toBe('Maya Managed');
    expect(colleague['managed-account-id']?.avatarUrl).toBeDefined();
    expect(outsider['managed-account-id']?.avatarUrl).not.toBe(colleague['managed-account-id']?.avatarUrl);
  });

  it('a Jira failure degrades every person to "Unknown user" and does not throw', async () => {
    world.jira.failNext({ status: 400 });
    const people = await asViewer(world, DEMO.user, [PEOPLE.po.accountId]);
    expect(people).toEqual({
      [PEOPLE.po.accountId]: { accountId: PEOPLE.po.accountId, displayName: UNKNOWN_USER },
    });
    world.jira.clearRecords(); // the injected 400 is not the app's contract problem
  });

  it("lets Forge's consent prompt through", async () => {
    const consent = Object.assign(new Error('needs consent'), { name: 'NEEDS_AUTHENTICATION_ERR' });
    const platform: Pick<Platform, 'jira' | 'log'> = {
      jira: { request: () => Promise.reject(consent) },
      log: world.platform.log,
    };
    await expect(resolvePeople(platform, [DEMO.user])).rejects.toBe(consent);
  });

  it('keeps only image URLs a page may load (https or an inline image)', async () => {
    const answer = (avatar: string) =>
      new Response(
        JSON.stringify({
          values: [{ accountId: 'a', displayName: 'Ann', avatarUrls: { '48x48': avatar } }],
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const platformWith = (avatar: string): Pick<Platform, 'jira' | 'log'> => ({
      jira: { request: () => Promise.resolve(answer(avatar)) },
      log: world.platform.log,
    });
    expect((await resolvePeople(platformWith('javascript:alert(1)'), ['a'])).a).toEqual({
      accountId: 'a',
      displayName: 'Ann',
    });
    expect((await resolvePeople(platformWith('https://avatars.example/a.png'), ['a'])).a?.avatarUrl).toBe(
      'https://avatars.example/a.png',
    );
  });
});

describeWithContracts('people in the views', () => {
  let world: World;

  beforeEach(() => {
    world = createWorld();
  });

  afterEach(() => expectWorldWithinContracts(world));

  it('the issue panel names who synced (status line and history) and the viewer, in one request', async () => {
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain();
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1', PEOPLE.po.accountId));
    world.jira.clearRecords();
    const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.user));
    expect(view.state.syncedBy).toBe(PEOPLE.po.accountId);
    expect(view.people?.[PEOPLE.po.accountId]?.displayName).toBe(PEOPLE.po.displayName);
    expect(view.people?.[DEMO.user]?.displayName).toBe(PEOPLE.user.displayName);
    for (const entry of view.state.history)
      if (entry.by) expect(view.people?.[entry.by]?.displayName).toBeDefined();
    expect(bulkRequests(world)).toHaveLength(1);
    expect(bulkRequests(world)[0]?.actor).toBe('user');
  });

  it('the panel still opens when Jira cannot name anyone', async () => {
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain();
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1', PEOPLE.po.accountId));
    world.jira.faults.add({ path: '/rest/api/3/user/bulk', status: 503, count: 10 });
    const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.user));
    expect(view.configured).toBe(true);
    expect(view.people?.[PEOPLE.po.accountId]?.displayName).toBe(UNKNOWN_USER);
    world.jira.clearRecords();
  });

  it('the settings page names who saved last', async () => {
    data(await world.invoke('saveSettings', demoSettings()));
    const view = data(await world.invoke<SettingsView>('getSettings', {}));
    expect(view.updatedBy).toBe(DEMO.admin);
    expect(view.people?.[DEMO.admin]).toMatchObject({ displayName: PEOPLE.admin.displayName });
  });
});
