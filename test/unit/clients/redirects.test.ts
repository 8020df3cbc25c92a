/**
 * Issue 13 item 9: Forge's fetch follows redirects (the local platform does too), so an SQAI or
 * Xray answer of 307 to another host would receive the document and the Idempotency-Key there.
 * Every outbound call says `redirect: 'error'`: a redirect is a failed call, and nothing reaches
 * the other host.
 */
import type { ConnectionReport, IssueSyncStateDto } from '../../../src/api';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld } from '../../harness/world';

const ELSEWHERE = 'https://sqai.example.com';

describeWithContracts('redirects from upstreams', () => {
  it('an SQAI 307 to another host fails the push; the other host receives nothing', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
    world.platform.egress.approve(new URL(ELSEWHERE).hostname);
    world.sqai.faults.add({
      path: /\/v1\/contexts/,
      status: 307,
      headers: { location: `${ELSEWHERE}/v1/contexts/collect` },
      count: 10,
    });
    const answer = await world.invokeIssue<IssueSyncStateDto>('sendToSqai', { force: true }, 'DEMO-1');
    expect(answer.ok).toBe(false);
    expect(world.platform.fetched.filter(({ url }) => url.startsWith(ELSEWHERE))).toEqual([]);
  });

  it('an Xray 307 fails the check instead of being followed', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
    world.xray.faults.add({
      path: /graphql/,
      status: 307,
      headers: { location: `${ELSEWHERE}/api/v2/graphql` },
      count: 10,
    });
    const report = data(await world.invoke<ConnectionReport>('testConnection', {}));
    expect(report.checks.find((check) => check.check === 'xray')?.status).toBe('fail');
    expect(world.platform.fetched.filter(({ url }) => url.startsWith(ELSEWHERE))).toEqual([]);
  });
});
