/**
 * The retry set at scale, through the REAL handlers (configuration → backfill on the queue →
 * consumer) against the simulators: issue 14 item 4. 600 requirements SQAI refuses, each with a
 * 200-character reason, used to make a 289 KiB retry set — over Forge's 240 KiB value limit — so
 * every batch after the ~500th failure threw and the run never finished. Now every refused
 * requirement is parked (nothing dropped), the run finishes, and the next run retries them all.
 */
import type { SyncStatusDto } from '../../../src/api';
import { runKeys } from '../../../src/sync/run-store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import type { SimRequest, SimResponse } from '../../harness/sim-kit';
import { warpClock, type WarpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

const FORGE_MAX_VALUE_BYTES = 240 * 1024;

/** A 200-character refusal (what `SqaiClient.pushBatch` keeps of SQAI's reason at most). */
const REASON =
  `Document rejected by policy P-17: ${'the requirement text mentions a restricted customer name; '.repeat(4)}`.slice(
    0,
    200,
  );

/** SQAI answers every batch push with a per-document refusal (HTTP 200, `status: failed`). */
function refuseEveryDocument(world: World): () => void {
  const original = world.sqai.handle.bind(world.sqai);
  world.sqai.handle = async (request: SimRequest): Promise<SimResponse> => {
    if (request.method !== 'POST' || !request.url.endsWith('/v1/contexts:batch')) return original(request);
    const body = JSON.parse(request.body ?? '{}') as {
      items: { document: { contentHash: string; source: { issueId: string } } }[];
    };
    // Each result echoes the issue and content it refers to; the refusal is an RFC 9457 problem.
    const results = body.items.map(({ document }) => ({
      issueId: document.source.issueId,
      contentHash: document.contentHash,
      status: 'failed',
      problem: { type: 'https://api.sqai-suite.com/problems/invalid-document', detail: REASON },
    }));
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ results }),
    };
  };
  return () => {
    world.sqai.handle = original;
  };
}

/** Requirements of DEMO that Xray treats as coverable (Story, Epic). */
function coverableRequirements(world: World): string[] {
  return world.jiraStore
    .issuesOfProject(DEMO.project.id)
    .filter((issue) =>
      ['Story', 'Epic'].includes(world.jiraStore.issueTypes.get(issue.issueTypeId)?.name ?? ''),
    )
    .map((issue) => issue.id);
}

const largestStoredValue = (world: World): number =>
  Math.max(
    ...[...world.platform.kvs.data.values()].map((value) => Buffer.byteLength(JSON.stringify(value), 'utf8')),
  );

describeWithContracts('retry set: byte-bounded, nothing dropped', () => {
  let world: World;
  let clock: WarpClock;

  beforeEach(async () => {
    // 600 requirements: the app's Jira pacing waits on this clock, not in real time.
    clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep, sqaiKeepsDocuments: false });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
    expect(world.xray.documentErrors).toEqual([]);
    expect(world.platform.queue.failures).toEqual([]);
  });

  it('600 requirements refused with 200-character reasons: the backfill parks them all and finishes; the next run retries every one', async () => {
    for (let i = 0; i < 600; i += 1) {
      world.jiraStore.createIssue({
        projectIdOrKey: 'DEMO',
        issueTypeIdOrName: 'Story',
        summary: `Refused story ${i}`,
      });
    }
    const requirements = coverableRequirements(world);
    expect(requirements.length).toBeGreaterThanOrEqual(600);
    const restore = refuseEveryDocument(world);
    await world.platform.queue.drain(); // the first-configuration backfill

    let status = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
    expect(status.backfill).toMatchObject({
      status: 'done',
      total: requirements.length,
      done: requirements.length,
      pushed: 0,
      failed: requirements.length,
    });
    expect(status.backfill?.error).toBeUndefined();
    // Every refused requirement is parked, none dropped; the sample shows SQAI's whole reason.
    expect(status.retrySetSize).toBe(requirements.length);
    expect(status.retries[0]?.lastError.message).toContain(REASON);
    // The set is more than one value holds: it is split across keys, each within Forge's limit.
    const pages = [...world.platform.kvs.data.keys()].filter(
      (key) => key === runKeys.retry(DEMO.project.id) || key.startsWith(`${runKeys.retry(DEMO.project.id)}:`),
    );
    expect(pages.length).toBeGreaterThan(1);
    expect(largestStoredValue(world)).toBeLessThanOrEqual(FORGE_MAX_VALUE_BYTES);

    // SQAI accepts them again: the next hourly run retries every parked requirement first.
    restore();
    clock.advance(60 * 60_000);
    expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
    await world.platform.queue.drain();
    status = data(await world.invoke<SyncStatusDto>('getSyncStatus', {}));
    expect(status.lastRun).toMatchObject({ status: 'done', pushed: requirements.length, failed: 0 });
    expect(status.retrySetSize).toBe(0);
    expect(status.retries).toEqual([]);
    expect([...world.platform.kvs.data.keys()].filter((key) => key.startsWith('retry:'))).toEqual([
      runKeys.retry(DEMO.project.id),
    ]);
  }, 120_000);
});
