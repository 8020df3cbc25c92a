/**
 * One batch size (docs/sqai-contract.md "The batch"): at most 50 items and 4 MiB (4,194,304 bytes) of
 * body, measured exactly. Requirements whose documents are near their 256 KiB cap do not fit 25 to a
 * batch: the app cuts the batch so that no body SQAI receives is over 4 MiB, and every document still
 * arrives (the simulator answers 413 and fails the test on any body over the limit).
 */
import { SQAI_CONTRACT_LIMITS } from '../../../src/clients/sqai-schemas';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO } from '../../harness/world';

describe('SQAI batches', () => {
  it('never exceed 4 MiB of body or 50 items, and lose no document', async () => {
    const world = createWorld();
    const bodies: number[] = [];
    const items: number[] = [];
    const handle = world.sqai.handle.bind(world.sqai);
    world.sqai.handle = (request) => {
      if (request.method === 'POST' && request.url.endsWith('/v1/contexts:batch')) {
        bodies.push(Buffer.byteLength(request.body ?? '', 'utf8'));
        items.push((JSON.parse(request.body ?? '{}') as { items: unknown[] }).items.length);
      }
      return handle(request);
    };
    // 30 requirements, each covered by 3 tests of 40 long steps: every document near its 256 KiB cap.
    const long = (n: number) =>
      `Step ${n}: ${'enter the data, check the total, compare with the receipt; '.repeat(40)}`;
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const requirement = world.jiraStore.createIssue({
        projectIdOrKey: 'DEMO',
        issueTypeIdOrName: 'Story',
        summary: `Big requirement ${i}`,
        created: new Date().toISOString(),
      });
      ids.push(requirement.id);
      for (let t = 0; t < 3; t += 1) {
        world.xrayStore.createTest({
          projectIdOrKey: 'DEMO',
          summary: `Check ${t} of big requirement ${i}`,
          testType: 'Manual',
          steps: Array.from({ length: 40 }, (_, n) => ({
            action: long(n),
            data: long(n + 1),
            result: long(n + 2),
          })),
          coversIssueIds: [requirement.id],
        });
      }
    }
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain();

    for (const id of ids) expect(world.sqai.contexts.has(`${DEMO.cloudId}/${id}`)).toBe(true);
    expect(Math.max(...bodies)).toBeLessThanOrEqual(SQAI_CONTRACT_LIMITS.requestBodyBytes);
    expect(Math.max(...items)).toBeLessThanOrEqual(SQAI_CONTRACT_LIMITS.batchDocuments);
    // The documents did not fit one batch per 25 requirements: the app cut them by bytes.
    expect(bodies.length).toBeGreaterThan(Math.ceil(world.sqai.contexts.size / 25));
    expect(Math.max(...bodies)).toBeGreaterThan(3.5 * 1024 * 1024);
    expect(world.sqai.log.entries.filter((entry) => entry.status === 413)).toEqual([]);
  }, 60_000);
});
