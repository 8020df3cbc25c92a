/**
 * Generations in a demo world, as the panel runs them: ask SQAI, poll until it answers. Shared by
 * the tests that need proposals to create (generation, authorization, red team).
 */
import type { GenerationDto } from '../../../src/api';
import { data } from '../demo-settings';
import { DEMO, type World } from '../world';

export interface GenerateOptions {
  testTypes?: string[];
  maxTests?: number;
  /** Who asks (default: the project admin). */
  as?: string;
}

/** Starts a generation on `issueKey` and polls until SQAI has answered. */
export async function generateOn(
  world: World,
  issueKey: string,
  options: GenerateOptions = {},
): Promise<GenerationDto> {
  const as = options.as ?? DEMO.admin;
  const input = {
    testTypes: options.testTypes ?? ['Manual', 'Cucumber', 'Generic'],
    maxTests: options.maxTests ?? 10,
  };
  let generation = data(await world.invokeIssue<GenerationDto>('startGeneration', input, issueKey, as));
  for (
    let poll = 0;
    poll < 5 && generation.status !== 'succeeded' && generation.status !== 'failed';
    poll += 1
  ) {
    generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, issueKey, as));
  }
  return generation;
}

/**
 * A generation of `count` distinct Manual tests (more than the simulator invents on its own): the
 * simulator's answer is replaced before the poll reads it.
 */
export async function generateMany(
  world: World,
  issueKey: string,
  count: number,
  as: string = DEMO.admin,
): Promise<GenerationDto> {
  const started = data(
    await world.invokeIssue<GenerationDto>(
      'startGeneration',
      { testTypes: ['Manual'], maxTests: Math.min(count, 50) },
      issueKey,
      as,
    ),
  );
  const remote = world.sqai.generations.get(started.id);
  if (!remote) throw new Error('no remote generation');
  remote.tests = Array.from({ length: count }, (_, i) => ({
    id: `bulk-${i}`,
    title: `Bulk regression check number ${i} for discount codes ${'abcdefghijklmnopqrstuvwxyz'[i % 26] ?? ''}`,
    testType: 'Manual' as const,
    steps: [{ action: `Apply code variant ${i}`, result: `Variant ${i} behaves` }],
  }));
  let generation = started;
  while (generation.status !== 'succeeded')
    generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, issueKey, as));
  return generation;
}

/** The Xray tests the app created (its origin label), across the site. */
export function generatedTestsOf(world: World) {
  return [...world.jiraStore.issues.values()].filter(
    (issue) =>
      issue.labels.includes('sqai-generated') &&
      world.jiraStore.issueTypes.get(issue.issueTypeId)?.name === 'Test',
  );
}

/** Another team's private Test Set and Test Execution (in OTHER, which nobody in DEMO may browse). */
export function otherTeamContainers(world: World) {
  return {
    set: world.xrayStore.createTestSet({ projectIdOrKey: 'OTHER', summary: 'OTHER private set' }),
    execution: world.xrayStore.createTestExecution({
      projectIdOrKey: 'OTHER',
      summary: 'OTHER private exec',
    }),
  };
}
