/**
 * The resolver layer words errors for whoever called (src/resolvers/define.ts): the access rule says
 * whether the caller administers the project — for the issue panel from the same mypermissions request
 * that checks they may see the issue, no extra request — and `toErrorDto` picks the remedy for them.
 */
import type { SendToSqaiResult } from '../../../src/api';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

describeWithContracts('errors worded for the reader', () => {
  let world: World;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain();
  });

  /** Sends DEMO-1 as `as` while SQAI rejects the token; the error the panel gets. */
  async function sendWithTokenRejected(as: string) {
    world.jiraStore.updateIssue(world.jiraStore.issue('DEMO-1')?.id ?? '', { labels: ['changed', as] });
    world.sqai.faults.add({ path: '/v1/contexts/', method: 'PUT', status: 401, rate: 1 });
    const before = world.jira.requests.length;
    const answer = await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', as);
    const permissionReads = world.jira.requests
      .slice(before)
      .filter((request) => request.path.startsWith('/rest/api/3/mypermissions')).length;
    world.sqai.faults.clear();
    return { error: failure(answer), permissionReads };
  }

  it('a tester is told to ask a project admin; the admin is told what to change', async () => {
    const tester = await sendWithTokenRejected(PEOPLE.po.accountId);
    const admin = await sendWithTokenRejected(DEMO.admin);
    for (const { error } of [tester, admin]) {
      expect(error).toMatchObject({ code: 'SQAI_UNAUTHORIZED', title: 'SQAI Unauthorized' });
      expect(error.detail).toMatch(/SQAI answered 401 Unauthorized for PUT \/v1\/contexts\//);
    }
    expect(tester.error.remedy).toMatch(/^Ask a project admin to save a new SQAI API token/);
    expect(admin.error.remedy).toMatch(/^Create a new API token in SQAI Suite/);
    // Who reads it costs nothing: one permission read per call, as before.
    expect([tester.permissionReads, admin.permissionReads]).toEqual([1, 1]);
  });

  it('a refused caller reads the wording for someone who is not an admin', async () => {
    const answer = await world.invoke('getSettings', {}, DEMO.user);
    expect(failure(answer)).toMatchObject({ code: 'FORBIDDEN', title: 'Forbidden' });
    expect(failure(answer).remedy).toMatch(/^Ask a project admin/);
  });
});
