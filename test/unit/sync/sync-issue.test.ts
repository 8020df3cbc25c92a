/**
 * `syncIssue` acts only on an issue of the project it was called for (issue 13 item 13): the
 * project comes from the Forge context, the issue's project from Jira's own answer, and an issue
 * Jira places in another project is refused with a typed error before anything is pushed to SQAI
 * or recorded — whoever the actor (the app reads every project).
 */
import { Deadline } from '../../../src/clients/upstream';
import { isAppError } from '../../../src/errors';
import { loadProjectClients } from '../../../src/sync/project-clients';
import { syncIssue, type SyncIssueInput } from '../../../src/sync/sync-issue';
import { syncStateKey } from '../../../src/sync/state';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

async function connected(): Promise<World> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  // The first backfill the save queued is not run: the store holds no sync state yet.
  return world;
}

function input(world: World, issueKey: string, actor: SyncIssueInput['actor']): SyncIssueInput {
  const issue = world.jiraStore.issue(issueKey);
  if (!issue) throw new Error(`no issue ${issueKey}`);
  return {
    cloudId: DEMO.cloudId,
    siteUrl: DEMO.siteUrl,
    project: DEMO.project,
    issueId: issue.id,
    actor,
    trigger: 'panel',
    by: DEMO.admin,
    force: true,
    deadline: new Deadline(20_000),
  };
}

const syncKeysOf = (world: World) =>
  [...world.platform.kvs.data.keys()].filter((key) => key.startsWith('sync:'));

describeWithContracts('syncIssue: the issue must belong to the project of the call', () => {
  it('refuses an issue Jira places in another project with FORBIDDEN, sending and recording nothing', async () => {
    const world = await connected();
    const other = world.jiraStore.issue('OTHER-1');
    expect(other?.projectId).toBe(DEMO.otherProject.id);
    const clients = await loadProjectClients(world.platform, DEMO.project.id);
    const before = syncKeysOf(world);
    const sqaiCalls = world.sqai.log.entries.length;

    // Acting as the app, which may read every project of the site: only the check stands between.
    const error: unknown = await syncIssue(world.platform, clients, input(world, 'OTHER-1', 'app')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isAppError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect((error as Error).message).toMatch(/not in project DEMO/);
    // Nothing reached SQAI, nothing was recorded — under either project.
    expect(world.sqai.log.entries.length).toBe(sqaiCalls);
    expect(world.sqai.contexts.size).toBe(0);
    expect(syncKeysOf(world)).toEqual(before);
    expect(world.platform.kvs.data.has(syncStateKey(DEMO.project.id, other?.id ?? ''))).toBe(false);
    expect(world.platform.kvs.data.has(syncStateKey(DEMO.otherProject.id, other?.id ?? ''))).toBe(false);
  });

  it('still syncs an issue of the project itself', async () => {
    const world = await connected();
    const clients = await loadProjectClients(world.platform, DEMO.project.id);
    const result = await syncIssue(world.platform, clients, input(world, 'DEMO-1', 'app'));
    expect(result.outcome).toBe('pushed');
    expect(result.document.source.project).toEqual(DEMO.project);
    expect(
      world.platform.kvs.data.has(syncStateKey(DEMO.project.id, world.jiraStore.issue('DEMO-1')?.id ?? '')),
    ).toBe(true);
  });

  it('an issue moved out of the project after it was sent: SQAI is told to forget it, and so is its state', async () => {
    const world = await connected();
    const clients = await loadProjectClients(world.platform, DEMO.project.id);
    const issue = world.jiraStore.issue('DEMO-1');
    if (!issue) throw new Error('no DEMO-1');
    await syncIssue(world.platform, clients, input(world, 'DEMO-1', 'app'));
    expect(world.sqai.contexts.has(`${DEMO.cloudId}/${issue.id}`)).toBe(true);
    issue.projectId = DEMO.otherProject.id; // moved (Jira keeps the id)
    const error: unknown = await syncIssue(world.platform, clients, input(world, 'DEMO-1', 'app')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
    expect(world.sqai.received.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/v1/contexts/${DEMO.cloudId}/${issue.id}`,
    });
    expect(world.sqai.contexts.has(`${DEMO.cloudId}/${issue.id}`)).toBe(false);
    expect(world.platform.kvs.data.has(syncStateKey(DEMO.project.id, issue.id))).toBe(false);
  });
});
