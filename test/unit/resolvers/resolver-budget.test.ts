/**
 * Forge ends a resolver after 25 s and meters storage per installation (4,000 writes a minute), so
 * nothing a page calls may grow with the project (issue 12 item 8). Every settings-page and
 * issue-panel resolver runs on a 10,000-requirement project with 25 ms on every upstream request
 * and 10 ms on every storage call, through the harness's Forge limits; its storage calls and
 * upstream requests must be the same as on a 100-requirement project.
 */
import {
  measureResolversOnLargeProject,
  type ResolverCallFigures,
} from '../../harness/scenarios/large-project-resolvers';

const LATENCY = { upstreamLatencyMs: 25, storageLatencyMs: 10 };

const cost = (figures: ResolverCallFigures[]) =>
  figures.map(({ resolver, ok, storageReads, storageWrites, upstreamRequests }) => ({
    resolver,
    ok,
    storageReads,
    storageWrites,
    upstreamRequests,
  }));

describe('resolvers on a 10,000-requirement project', () => {
  let large: ResolverCallFigures[];
  let small: ResolverCallFigures[];

  beforeAll(async () => {
    small = await measureResolversOnLargeProject({ requirements: 100, ...LATENCY });
    large = await measureResolversOnLargeProject({ requirements: 10_000, ...LATENCY });
  }, 240_000);

  it('every resolver answers, within Forge’s 25 s and 5 MB', () => {
    expect(large.map((call) => [call.resolver, call.ok])).toEqual(large.map((call) => [call.resolver, true]));
    for (const call of large) {
      expect(call.ms).toBeLessThan(25_000);
      expect(call.answerBytes).toBeLessThan(5 * 1024 * 1024);
    }
  });

  it('costs the same storage calls and upstream requests as on 100 requirements', () => {
    expect(cost(large)).toEqual(cost(small));
    for (const call of large) expect(call.storageWrites).toBeLessThanOrEqual(25);
  });
});
