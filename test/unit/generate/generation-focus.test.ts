/**
 * A focused generation (issue 18, contract 1.2.0): `startGeneration` with `criterionIds` asks SQAI
 * for tests proving only those criteria; an id the requirement does not have is a field error and
 * nothing is sent. The simulator honours the focus deterministically.
 */
import type { GenerationDto } from '../../../src/api';
import type { CriteriaRecord } from '../../../src/criteria/schema';
import { criteriaKey } from '../../../src/criteria/store';
import { generateTests } from '../../harness/sqai-sim/generator';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

const ISSUE = 'DEMO-3';

async function syncedWorld(): Promise<World> {
  const clock = warpClock(Infinity);
  const world = createWorld({ now: clock.now, sleep: clock.sleep });
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  return world;
}

async function criterionIdsOf(world: World): Promise<string[]> {
  const record = (await world.platform.kvs.get(criteriaKey(world.jiraStore.issue(ISSUE)?.id ?? ''))) as
    CriteriaRecord | undefined;
  return (record?.criteria ?? []).map((criterion) => criterion.id);
}

describeWithContracts('startGeneration with criterionIds', () => {
  it('sends the focus to SQAI, and every test SQAI returns proves only focused criteria', async () => {
    const world = await syncedWorld();
    const ids = await criterionIdsOf(world);
    expect(ids.length).toBeGreaterThan(1);
    const focus = [ids[1] ?? ''];
    let generation = data(
      await world.invokeIssue<GenerationDto>(
        'startGeneration',
        { testTypes: ['Manual', 'Cucumber', 'Generic'], maxTests: 10, criterionIds: focus },
        ISSUE,
      ),
    );
    for (let poll = 0; poll < 5 && generation.status !== 'succeeded'; poll += 1) {
      generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE));
    }
    expect(generation.status).toBe('succeeded');
    const [asked] = [...world.sqai.generations.values()];
    const tests = asked?.tests ?? [];
    expect(tests.length).toBeGreaterThan(0);
    for (const test of tests) {
      expect(test.criterionIds?.length).toBeGreaterThan(0);
      expect((test.criterionIds ?? []).every((id) => focus.includes(id))).toBe(true);
    }
    expect(generation.proposals).toHaveLength(tests.length);
    expectWorldWithinContracts(world);
    expect(world.sqai.violations).toEqual([]);
  });

  it('refuses an id the requirement does not have (field error), sending nothing', async () => {
    const world = await syncedWorld();
    const ids = await criterionIdsOf(world);
    const answer = await world.invokeIssue(
      'startGeneration',
      { testTypes: ['Manual'], maxTests: 3, criterionIds: [ids[0] ?? '', 'ac-0badc0de'] },
      ISSUE,
    );
    if (answer.ok) throw new Error('expected a refusal');
    expect(answer.error.code).toBe('VALIDATION');
    expect(answer.error.fieldErrors?.criterionIds).toMatch(/no longer among DEMO-3’s acceptance criteria/);
    expect(world.sqai.generations.size).toBe(0);
    const malformed = await world.invokeIssue(
      'startGeneration',
      { testTypes: ['Manual'], maxTests: 3, criterionIds: ['not an id'] },
      ISSUE,
    );
    expect(malformed.ok ? 'ok' : Object.keys(malformed.error.fieldErrors ?? {})).toEqual(['criterionIds.0']);
  });
});

describe('the simulator’s focused generation', () => {
  it('keeps only tests proving a focused criterion, each naming only focused ones, deterministically', () => {
    const source = {
      issueKey: 'DEMO-9',
      summary: 'Guest checkout',
      description: [
        '## Acceptance criteria',
        '- A guest can pay without signing in',
        '- The receipt is sent within 2 seconds',
      ].join('\n'),
      criteria: [
        { id: 'ac-11111111', text: 'A guest can pay without signing in' },
        { id: 'ac-22222222', text: 'The receipt is sent within 2 seconds' },
      ],
    };
    const types = [
      { name: 'Manual', kind: 'Steps' as const },
      { name: 'Generic', kind: 'Unstructured' as const },
    ];
    const focused = generateTests(source, { testTypes: types, maxTests: 10, criterionIds: ['ac-22222222'] });
    expect(focused.map((test) => [test.testType, test.criterionIds])).toEqual([
      ['Manual', ['ac-22222222']],
      ['Generic', ['ac-22222222']],
    ]);
    expect(generateTests(source, { testTypes: types, maxTests: 10, criterionIds: ['ac-22222222'] })).toEqual(
      focused,
    );
    expect(generateTests(source, { testTypes: types, maxTests: 10 }).length).toBeGreaterThan(focused.length);
  });
});
