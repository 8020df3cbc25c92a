/**
 * A generation start that may have taken effect is retried without an orphan (docs/sqai-contract.md
 * "Idempotency"): `POST /v1/generations` carries an Idempotency-Key the app stores before sending, so
 * the client's own retries and the user's second press send the same key, and SQAI answers with the
 * generation it already started. Test types go as {name, kind}.
 */
import type { GenerationDto } from '../../../src/api';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { createWorld, type World } from '../../harness/world';

const ISSUE = 'DEMO-1';
const choices = { testTypes: ['Manual', 'Cucumber'], maxTests: 3 };
const starts = (world: World) =>
  world.sqai.received.filter((request) => request.method === 'POST' && request.path === '/v1/generations');

describe('starting a generation is idempotent', () => {
  let world: World;
  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
  });

  it('an answer lost after SQAI started the generation is retried with the same key: one generation', async () => {
    world.sqai.faults.add({ path: '/v1/generations', method: 'POST', status: 504, lose: true, count: 1 });
    const started = data(await world.invokeIssue<GenerationDto>('startGeneration', choices, ISSUE));
    expect(world.sqai.generations.size).toBe(1);
    expect(started.id).toBe([...world.sqai.generations.keys()][0]);
    const keys = starts(world).map((request) => request.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('a start that failed every attempt is pressed again: the same key, the generation SQAI already started', async () => {
    world.sqai.faults.add({ path: '/v1/generations', method: 'POST', status: 504, lose: true, count: 3 });
    expect(failure(await world.invokeIssue('startGeneration', choices, ISSUE)).code).toBe('SQAI_UNREACHABLE');
    expect(world.sqai.generations.size).toBe(1);
    const again = data(await world.invokeIssue<GenerationDto>('startGeneration', choices, ISSUE));
    expect(world.sqai.generations.size).toBe(1);
    expect(again.id).toBe([...world.sqai.generations.keys()][0]);
    expect(new Set(starts(world).map((request) => request.idempotencyKey)).size).toBe(1);
  });

  it('other choices are another request: a new key (never 422 for a changed body)', async () => {
    world.sqai.faults.add({ path: '/v1/generations', method: 'POST', status: 504, lose: true, count: 3 });
    failure(await world.invokeIssue('startGeneration', choices, ISSUE));
    data(await world.invokeIssue<GenerationDto>('startGeneration', { ...choices, maxTests: 5 }, ISSUE));
    const keys = starts(world).map((request) => request.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(world.sqai.generations.size).toBe(2);
  });

  it('sends the project’s test types by name with their kind', async () => {
    data(await world.invokeIssue<GenerationDto>('startGeneration', { ...choices, maxTests: 10 }, ISSUE));
    const generation = [...world.sqai.generations.values()][0];
    const kinds = new Set(generation?.tests?.map((test) => test.testType));
    expect([...kinds].sort()).toEqual(['Cucumber', 'Manual']);
  });
});
