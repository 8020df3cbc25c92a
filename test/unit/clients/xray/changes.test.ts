/**
 * Paging through what changed in Xray ends where the answers say it ends — a wrong `total` (say
 * 10^15) must not send the loop through hundreds of thousands of requests.
 */
import type { z } from 'zod';
import { changedRequirementsSince } from '../../../../src/clients/xray/changes';

interface Page {
  tests: number;
  testsTotal: number;
  containers: number;
  containersTotal: number;
}

/** An Xray answer shaped like the `changesSince` document's (getTests, executions, sets, plans). */
function answer(page: Page): unknown {
  const test = (index: number) => ({
    issueId: `2${index}`,
    coverableIssues: { total: 1, results: [{ issueId: `1${index % 7}` }] },
  });
  const container = (index: number) => ({
    issueId: `3${index}`,
    tests: { total: 1, results: [test(index)] },
    testRuns: { total: 0, results: [] },
  });
  const list = (count: number, total: number, item: (index: number) => unknown) => ({
    total,
    results: Array.from({ length: count }, (_, index) => item(index)),
  });
  return {
    getProjectSettings: { testCoverageSettings: { coverableIssueTypeIds: ['10001'] } },
    getTests: list(page.tests, page.testsTotal, test),
    getTestExecutions: list(page.containers, page.containersTotal, container),
    getTestSets: list(page.containers, page.containersTotal, container),
    getTestPlans: list(page.containers, page.containersTotal, container),
  };
}

function replaying(page: Page) {
  const calls: Record<string, unknown>[] = [];
  const client = {
    graphql: <T>(_name: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> => {
      calls.push(variables);
      return Promise.resolve(schema.parse(answer(page)));
    },
  };
  return { client, calls };
}

describe('changedRequirementsSince paging', () => {
  it('a partial page ends the list whatever the total claims', async () => {
    const { client, calls } = replaying({
      tests: 40,
      testsTotal: 1e15,
      containers: 2,
      containersTotal: 1e15,
    });
    const changes = await changedRequirementsSince(client, '10000', '2026-11-25T00:00:00.000Z');
    expect(calls).toHaveLength(1);
    expect(changes.requests).toBe(1);
    expect([...changes.requirementIds].sort()).toEqual(['10', '11', '12', '13', '14', '15', '16']);
  });

  it('full pages with a huge total stop at Xray’s window of 10,000 results', async () => {
    const { client, calls } = replaying({
      tests: 100,
      testsTotal: 1e15,
      containers: 5,
      containersTotal: 1e15,
    });
    await changedRequirementsSince(client, '10000', '2026-11-25T00:00:00.000Z');
    // Tests: 10,000 / 100 pages; containers: 10,000 / 5 pages — both bounded, run side by side.
    expect(calls.length).toBe(2_000);
    expect(Math.max(...calls.map((call) => Number(call.testsStart)).filter((start) => start < 1e6))).toBe(
      9_900,
    );
  });

  it('a list longer than the 10,000 results read is reported incomplete, never silently cut', async () => {
    const cut = replaying({ tests: 100, testsTotal: 12_000, containers: 0, containersTotal: 0 });
    const changes = await changedRequirementsSince(cut.client, '10000', '2026-11-25T00:00:00.000Z');
    // Never asks past the window: the last page is 9,900–9,999.
    expect(Math.max(...cut.calls.map((call) => Number(call.testsStart)).filter((start) => start < 1e6))).toBe(
      9_900,
    );
    expect(changes.complete).toBe(false);

    const whole = replaying({ tests: 100, testsTotal: 250, containers: 5, containersTotal: 12 });
    expect((await changedRequirementsSince(whole.client, '10000', '2026-11-25T00:00:00.000Z')).complete).toBe(
      true,
    );
    // A short page ends a list whatever its total claims: that list is complete.
    const short = replaying({ tests: 40, testsTotal: 1e15, containers: 2, containersTotal: 1e15 });
    expect((await changedRequirementsSince(short.client, '10000', '2026-11-25T00:00:00.000Z')).complete).toBe(
      true,
    );
  });

  it('pages through a real multi-page list', async () => {
    const { client, calls } = replaying({ tests: 100, testsTotal: 250, containers: 5, containersTotal: 12 });
    await changedRequirementsSince(client, '10000', '2026-11-25T00:00:00.000Z');
    expect(calls.map((call) => [call.testsStart, call.containersStart])).toEqual([
      [0, 0],
      [100, 5],
      [200, 10],
    ]);
  });
});
