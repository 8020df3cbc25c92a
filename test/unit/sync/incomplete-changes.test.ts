/**
 * Xray answers at most 10,000 items per list (docs/upstream-fidelity.md): after a mass change, the
 * list of changed tests an hourly run reads is cut (`complete: false`), so which requirements they
 * cover is unknown. Before, the run took the cut list as all there was and moved its cursor past the
 * rest; now it reads every requirement of the project, as a backfill does.
 */
import type { SyncStatusDto } from '../../../src/api';
import * as changes from '../../../src/clients/xray/changes';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO } from '../../harness/world';

jest.mock('../../../src/clients/xray/changes', () => {
  const actual = jest.requireActual<typeof changes>('../../../src/clients/xray/changes');
  return { ...actual, changedRequirementsSince: jest.fn(actual.changedRequirementsSince) };
});

describeWithContracts('an hourly run after a change list Xray cut short', () => {
  it('reads every requirement of the project instead of only the listed ones', async () => {
    let now = Date.parse('2026-12-03T09:00:00.000Z');
    const world = createWorld({ now: () => new Date(now) });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill
    const requirements = world.jiraStore
      .issuesOfProject(DEMO.project.id)
      .filter((issue) =>
        ['Story', 'Epic'].includes(world.jiraStore.issueTypes.get(issue.issueTypeId)?.name ?? ''),
      ).length;

    const actual = jest.requireActual<typeof changes>('../../../src/clients/xray/changes');
    jest.mocked(changes.changedRequirementsSince).mockImplementationOnce(async (...args) => ({
      ...(await actual.changedRequirementsSince(...args)),
      requirementIds: new Set<string>(),
      complete: false,
    }));
    now += 60 * 60_000;
    expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
    await world.platform.queue.drain();
    const status = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
    expect(status.lastRun).toMatchObject({ status: 'done', total: requirements });
  });
});
