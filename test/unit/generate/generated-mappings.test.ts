/**
 * Created generated tests become `generated` mappings of the criteria they prove (issue 18): the
 * panel's Criteria view shows each under its criteria at once, and a later scheduled sync — whose
 * context document carries no criterion ids — keeps them.
 */
import type { CreationDto, CriteriaViewDto } from '../../../src/api';
import { PROVENANCE_PROPERTY } from '../../../src/generate/create-tests';
import { withGeneratedMappings } from '../../../src/generate/record-criteria';
import { traceRecordSchema, type TraceRecord } from '../../../src/criteria/state';
import { traceKey } from '../../../src/criteria/store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { generateOn } from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

const ISSUE = 'DEMO-3';
const T0 = '2026-12-01T10:00:00.000Z';

describeWithContracts('generated tests → generated mappings', () => {
  it('the Criteria view shows each created test under its criteria, and a scheduled sync keeps it', async () => {
    const clock = warpClock(Infinity);
    const world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    const generation = await generateOn(world, ISSUE, { testTypes: ['Manual'], maxTests: 10 });
    expect(generation.status).toBe('succeeded');
    const proposals = generation.proposals;
    const creation = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections: proposals.map((proposal) => ({ id: proposal.id })), destination: {} },
        ISSUE,
      ),
    );
    expect(creation.status).toBe('done');
    // What each created test proves, as its `sqai.provenance` says.
    const expected = new Map<string, string[]>();
    for (const item of creation.items) {
      const provenance = world.jiraStore.issue(item.key ?? '')?.properties.get(PROVENANCE_PROPERTY) as
        { criterionIds?: string[] } | undefined;
      for (const id of provenance?.criterionIds ?? []) {
        expected.set(id, [...(expected.get(id) ?? []), item.key ?? '']);
      }
    }
    expect(expected.size).toBeGreaterThan(0);

    const shown = async () => {
      const view = data(await world.invokeIssue<CriteriaViewDto>('getCriteria', {}, ISSUE));
      return new Map(
        view.criteria.map((criterion) => [
          criterion.id,
          criterion.tests.filter((test) => test.source === 'generated').map((test) => test.key),
        ]),
      );
    };
    const after = await shown();
    for (const [id, keys] of expected)
      expect([id, [...(after.get(id) ?? [])].sort()]).toEqual([id, [...keys].sort()]);

    const requirement = world.jiraStore.issue(ISSUE);
    if (!requirement) throw new Error('no DEMO-3');
    const before = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(requirement.id)));
    // Without `covering`, so that the sync visibly rewrites the record.
    const { covering: _covering, ...rest } = before;
    await world.platform.kvs.set(traceKey(requirement.id), rest);
    world.jiraStore.touch(requirement.id);
    clock.advance(60 * 60 * 1000);
    await world.runScheduledTrigger();
    await world.platform.queue.drain();
    const synced = traceRecordSchema.parse(await world.platform.kvs.get(traceKey(requirement.id)));
    expect(synced.mappings.filter((mapping) => mapping.source === 'generated')).toEqual(
      before.mappings.filter((mapping) => mapping.source === 'generated'),
    );
    const createdKeys = creation.items.map((item) => item.key);
    expect(synced.covering?.map((test) => test.testKey)).toEqual(expect.arrayContaining(createdKeys));
    expect(await shown()).toEqual(after);
    expectWorldWithinContracts(world);
  });
});

describe('withGeneratedMappings (pure)', () => {
  const trace: TraceRecord = {
    version: 1,
    updatedAt: T0,
    issueKey: 'DEMO-3',
    mappings: [{ testIssueId: '101', testKey: 'DEMO-11', criterionIds: ['ac-0123abcd'], source: 'manual' }],
    latest: [],
    plans: [],
    omittedTests: 0,
  };

  it('adds the current criteria only, once; the same record when nothing is new', () => {
    const current = new Set(['ac-0123abcd', 'ac-4567abcd']);
    const next = withGeneratedMappings(
      trace,
      [{ issueId: '102', key: 'DEMO-12', criterionIds: ['ac-4567abcd', 'ac-0badc0de', 'ac-4567abcd'] }],
      current,
      T0,
    );
    expect(next.mappings).toEqual([
      ...trace.mappings,
      { testIssueId: '102', testKey: 'DEMO-12', criterionIds: ['ac-4567abcd'], source: 'generated' },
    ]);
    expect(next.covering).toEqual([{ testIssueId: '102', testKey: 'DEMO-12' }]);
    expect(
      withGeneratedMappings(
        next,
        [{ issueId: '102', key: 'DEMO-12', criterionIds: ['ac-4567abcd'] }],
        current,
        T0,
      ),
    ).toBe(next);
    expect(
      withGeneratedMappings(
        trace,
        [{ issueId: '103', key: 'DEMO-13', criterionIds: ['ac-0badc0de'] }],
        current,
        T0,
      ),
    ).toBe(trace);
  });
});
