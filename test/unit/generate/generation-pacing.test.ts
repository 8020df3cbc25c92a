/**
 * Generation pacing (issue 13, item 8): one user started 15 generations of 50 tests in 3.5 s,
 * replacing other users' pending proposals. Now: one generation in flight per issue, at most
 * USER_GENERATION_LIMIT per user, and another user's uncreated proposals are replaced only on request.
 */
import type { GenerationDto, GenerationPanelDto } from '../../../src/api';
import { GENERATION_STALE_MS, USER_GENERATION_LIMIT } from '../../../src/generate/generation-pacing';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { data, demoSettings } from '../../harness/demo-settings';
import { generateOn } from '../../harness/scenarios/generate';
import { createWorld, type World } from '../../harness/world';

const PRIYA = PEOPLE.po.accountId;
const QUINN = PEOPLE.qa.accountId;
const input = { testTypes: ['Manual'], maxTests: 50 };

describe('generation pacing', () => {
  let world: World;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2026-12-03T09:00:00.000Z');
    world = createWorld({ now: () => new Date(now) });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  it('a burst of 15 starts by one user: one per issue at a time, at most the user limit in flight', async () => {
    const issues = ['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5'];
    const answers = [];
    for (let round = 0; round < 3; round += 1) {
      for (const issue of issues) {
        answers.push(await world.invokeIssue<GenerationDto>('startGeneration', input, issue, PRIYA));
      }
    }
    const accepted = answers.filter((answer) => answer.ok);
    expect(accepted).toHaveLength(USER_GENERATION_LIMIT);
    const codes = answers.flatMap((answer) => (answer.ok ? [] : [answer.error.code]));
    expect(new Set(codes)).toEqual(new Set(['RATE_LIMITED', 'VALIDATION']));
    const limited = answers.find((answer) => !answer.ok && answer.error.code === 'RATE_LIMITED');
    expect(limited?.ok ? null : limited?.error.message).toMatch(/already have 3 generations waiting/);
    expect(world.sqai.generations.size).toBe(USER_GENERATION_LIMIT);

    // SQAI answers one: its slot is free again.
    while (
      data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, 'DEMO-1', PRIYA)).status !==
      'succeeded'
    );
    expect((await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-4', PRIYA)).ok).toBe(true);
    // Another user is not held back by Priya's slots.
    expect((await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-5', QUINN)).ok).toBe(true);
  });

  it('refuses a second generation for an issue while SQAI works on the first, until it goes stale', async () => {
    data(await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3', PRIYA));
    const second = await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3', QUINN);
    expect(second.ok ? null : second.error.message).toMatch(
      /already running \(asked for by another user 0 min ago\)/,
    );
    now += GENERATION_STALE_MS;
    expect((await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3', QUINN)).ok).toBe(true);
  });

  it('two starts on one issue at the same moment: exactly one asks SQAI', async () => {
    const answers = await Promise.all([
      world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3', PRIYA),
      world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3', QUINN),
    ]);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(world.sqai.generations.size).toBe(1);
  });

  it('another user’s proposals not created yet are replaced only when the caller confirms', async () => {
    const priyas = await generateOn(world, 'DEMO-3', { as: PRIYA, testTypes: ['Manual'], maxTests: 5 });
    expect(priyas.status).toBe('succeeded');
    const count = priyas.proposals.length;

    const asked = await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3', QUINN);
    expect(asked.ok ? null : asked.error.fieldErrors?.replace).toMatch(
      new RegExp(`Another user's ${count} proposed tests? for DEMO-3 .* not been created yet`),
    );
    // Nothing was replaced: Priya still sees hers.
    const panel = data(
      await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, 'DEMO-3', PRIYA),
    );
    expect(panel.generation?.id).toBe(priyas.id);

    // Her own new generation replaces hers without asking; Quinn's, once he confirms.
    const confirmed = await world.invokeIssue<GenerationDto>(
      'startGeneration',
      { ...input, replace: true },
      'DEMO-3',
      QUINN,
    );
    expect(confirmed.ok).toBe(true);
  });
});
