/**
 * One Xray budget for the site (issue 14 item 5): each issue-panel open spent Xray requests outside
 * the budget the sync paces itself by. Now every resolver records its Xray requests in the site's
 * usage ledger, and a background run reads it.
 */
import { LEDGER_WINDOW_MINUTES, UsageLedger } from '../../../../src/clients/xray/usage-ledger';
import { describeWithContracts } from '../../../harness/contracts';
import { data, demoSettings } from '../../../harness/demo-settings';
import { createWorld } from '../../../harness/world';

describeWithContracts('the site’s Xray usage ledger', () => {
  it('a panel open records every Xray request it sent; a background reader sees them', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    const ledger = new UsageLedger(world.platform.kvs, () => world.platform.clock.now().getTime());
    const before = await ledger.interactiveRecent();
    const sent = world.xray.requests.length;
    data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-1'));
    data(await world.invokeIssue('previewContext', {}, 'DEMO-2'));
    const spent = world.xray.requests.length - sent;
    expect(spent).toBeGreaterThan(0);
    expect((await ledger.interactiveRecent()) - before).toBe(spent);
  });

  it('counts only the last five minutes, in a ring of ten keys that never grows', async () => {
    let now = Date.parse('2026-12-03T09:00:30.000Z');
    const world = createWorld({ now: () => new Date(now) });
    const ledger = new UsageLedger(world.platform.kvs, () => now);
    for (let minute = 0; minute < 30; minute += 1) {
      await ledger.recordInteractive(2);
      now += 60_000;
    }
    now -= 60_000;
    expect(await ledger.interactiveRecent()).toBe(2 * LEDGER_WINDOW_MINUTES);
    const keys = [...world.platform.kvs.data.keys()].filter((key) => key.startsWith('xray-usage:'));
    expect(keys).toHaveLength(10);
    now += 10 * 60_000;
    expect(await ledger.interactiveRecent()).toBe(0);
  });
});
