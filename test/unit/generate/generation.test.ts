/**
 * Generated tests end to end through the REAL resolvers against the simulators: ask SQAI, review,
 * create in Xray linked to the requirement and organised, idempotently — including partial failure,
 * a lost answer, and large creations through the queue.
 */
import type { CreationDto, GenerationDto, GenerationPanelDto } from '../../../src/api';
import { SQAI_LIMITS } from '../../../src/clients/sqai-schemas';
import { MAX_CONSUMER_RETRIES } from '../../../src/consumers/retry-policy';
import { PROVENANCE_PROPERTY, SEARCH_SETTLE_MS } from '../../../src/generate/create-tests';
import { leaseKey } from '../../../src/generate/creation-lease';
import { GenerationStore } from '../../../src/generate/store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { generateMany, generateOn } from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

/** DEMO-3: "Apply a discount code at checkout" (acceptance criteria + a Given/When/Then example). */
const ISSUE = 'DEMO-3';

const generate = (world: World, input?: { testTypes: string[]; maxTests: number }) =>
  generateOn(world, ISSUE, input ?? {});

/** Creates 3 proposals of a fresh generation; Xray makes the 2nd test but its answer is lost (503). */
async function createThreeLosingTheSecondAnswer(world: World): Promise<CreationDto> {
  const generation = await generate(world);
  world.xray.faults.add({
    path: /graphql/,
    bodyMatch: /mutation CreateTest/,
    skip: 1,
    lose: true,
    status: 503,
  });
  const selections = generation.proposals.slice(0, 3).map((proposal) => ({ id: proposal.id }));
  return data(
    await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
  );
}

/** A connected demo world on a clock the test moves, with Jira's search 5 s behind every write. */
async function laggingSearchWorld(): Promise<{ world: World; advance(ms: number): void }> {
  let now = Date.parse('2026-12-03T09:00:00.000Z');
  const world = createWorld({ now: () => new Date(now) });
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  world.jiraStore.indexLagMs = 5_000;
  return {
    world,
    advance: (ms) => {
      now += ms;
    },
  };
}

const testsLabelled = (world: World, label: string) =>
  [...world.jiraStore.issues.values()].filter((issue) => issue.labels.includes(label));

describeWithContracts('generated tests', () => {
  let world: World;

  beforeEach(async () => {
    // Creations of dozens of tests write to one requirement: the app's per-issue pacing for Jira
    // waits on this clock, not in real time.
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  afterEach(() => expectWorldWithinContracts(world));

  it('shows the project’s test types and the requirement’s destinations', async () => {
    const panel = data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, 'DEMO-1'));
    expect(panel.testTypes).toEqual([
      { name: 'Manual', kind: 'Steps' },
      { name: 'Cucumber', kind: 'Gherkin' },
      { name: 'Generic', kind: 'Unstructured' },
    ]);
    expect(panel.generation).toBeNull();
    expect(panel.knownDestinations.testSets.map((set) => set.summary)).toEqual(['Checkout regression']);
    expect(panel.knownDestinations.testPlans.map((plan) => plan.summary)).toEqual(['Release 2026.12']);
  });

  it('refuses bad input with field errors and sends nothing', async () => {
    const wrongType = failure(
      await world.invokeIssue('startGeneration', { testTypes: ['Robot'], maxTests: 3 }, ISSUE),
    );
    expect(wrongType).toMatchObject({
      code: 'VALIDATION',
      fieldErrors: { testTypes: 'This project has no test type Robot.' },
    });
    const bad = failure(
      await world.invokeIssue(
        'startGeneration',
        { testTypes: [], maxTests: 0, instructions: 'x'.repeat(2001) },
        ISSUE,
      ),
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['instructions', 'maxTests', 'testTypes']);
    expect(world.sqai.contexts.size).toBe(0);
    expect(world.sqai.generations.size).toBe(0);
  });

  it('asks SQAI with the current context, polls, and proposes checked tests', async () => {
    const generation = await generate(world);
    expect(generation.status).toBe('succeeded');
    const sent = [...world.sqai.generations.values()][0];
    const demo3 = world.jiraStore.issue(ISSUE);
    expect(sent?.contentHash).toBe(
      world.sqai.contexts.get(`${DEMO.cloudId}/${demo3?.id ?? ''}`)?.contentHash,
    );
    expect(generation.proposals.map((proposal) => proposal.kind)).toEqual([
      'Steps',
      'Steps',
      'Steps',
      'Gherkin',
      'Unstructured',
    ]);
    for (const proposal of generation.proposals) {
      expect(proposal.labels).toContain('sqai-generated');
      expect(proposal.problems).toEqual([]);
    }
    // A reload finds the same generation.
    const panel = data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE));
    expect(panel.generation?.proposals.map((proposal) => proposal.id)).toEqual(
      generation.proposals.map((p) => p.id),
    );
    expect(panel.contextChanged).toBe(false);
  });

  it('a generation too big for one panel answer keeps what fits and says why the rest was left out', async () => {
    // 30 tests at SQAI's definition limit: valid one by one, ≈ 960 KB together.
    const generations = world.sqai.generations;
    const originalSet = generations.set.bind(generations);
    generations.set = (id, generation) =>
      originalSet(id, {
        ...generation,
        tests: Array.from({ length: 30 }, (_, index) => ({
          id: `big-${index}`,
          title: `DEMO-3: load profile ${index}`,
          testType: 'Generic',
          definition: `Run load profile ${index}. `.repeat(1_600).slice(0, SQAI_LIMITS.definitionChars),
        })),
      });
    const generation = await generate(world);
    expect(generation.status).toBe('succeeded');
    expect(generation.proposals.length).toBeGreaterThan(5);
    expect(generation.proposals.length).toBeLessThan(30);
    expect(generation.rejected).toHaveLength(30 - generation.proposals.length);
    expect(generation.rejected[0]?.reason).toMatch(/left out .* generate fewer tests/);
    for (const answer of [
      await world.invokeIssue('pollGeneration', {}, ISSUE),
      await world.invokeIssue('getGenerationPanel', {}, ISSUE),
    ]) {
      expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(500 * 1024);
    }
  });

  it('creates the chosen tests in Xray: right types and steps, linked, labelled, with provenance, in a new Test Set', async () => {
    const generation = await generate(world);
    const [manual, , , cucumber, generic] = generation.proposals;
    const plan = [...world.jiraStore.issues.values()].find((issue) => issue.summary === 'Release 2026.12');
    const execution = [...world.jiraStore.issues.values()].find(
      (issue) => issue.summary === 'Sprint 48 smoke — Safari iOS',
    );
    const creation = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        {
          selections: [
            { id: manual?.id ?? '', title: 'Edited: valid code reduces the total' },
            { id: cucumber?.id ?? '' },
            { id: generic?.id ?? '' },
          ],
          destination: {
            testSet: { mode: 'new', summary: 'DEMO-3 — generated' },
            testExecution: { mode: 'existing', key: execution?.key ?? '' },
            testPlan: { key: plan?.key ?? '' },
            folder: '/Checkout/Generated',
          },
        },
        ISSUE,
      ),
    );
    const keys = creation.items.map((item) => item.key);
    if (creation.status !== 'done') throw new Error(JSON.stringify(creation));
    expect(creation.items.every((item) => item.status === 'created')).toBe(true);

    const demo3 = world.jiraStore.issue(ISSUE);
    const covering = world.xrayStore.coveringTestIds(demo3?.id ?? '');
    const created = keys.map((key) => world.jiraStore.issue(key ?? ''));
    for (const issue of created) {
      expect(covering).toContain(issue?.id);
      expect(issue?.labels).toContain('sqai-generated');
      expect(issue?.properties.get(PROVENANCE_PROPERTY)).toMatchObject({
        generationId: generation.id,
        requirement: { key: ISSUE },
        contentHash: generation.contentHash,
      });
    }
    expect(created[0]?.summary).toBe('Edited: valid code reduces the total');
    const manualTest = world.xrayStore.tests.get(created[0]?.id ?? '');
    expect(manualTest && world.xrayStore.testTypeOf(manualTest)?.name).toBe('Manual');
    expect(manualTest?.steps.map((step) => step.action)).toEqual(manual?.steps?.map((step) => step.action));
    const cucumberTest = world.xrayStore.tests.get(created[1]?.id ?? '');
    expect(cucumberTest?.gherkin).toBe(cucumber?.gherkin);
    expect(world.xrayStore.tests.get(created[2]?.id ?? '')?.unstructured).toBe(generic?.definition);

    const set = world.jiraStore.issue(creation.organised.testSet?.key ?? '');
    expect(set?.summary).toBe('DEMO-3 — generated');
    expect(world.xrayStore.testSets.get(set?.id ?? '')?.testIds.sort()).toEqual(
      created.map((issue) => issue?.id).sort(),
    );
    expect(creation.organised.folder).toBe('/Checkout/Generated');
    expect(creation.organised.testExecution).toEqual({ key: execution?.key, created: false });
    expect(creation.organised.testPlan).toEqual({ key: plan?.key });
    for (const issue of created) {
      expect(world.xrayStore.testExecutions.get(execution?.id ?? '')?.testIds).toContain(issue?.id);
      expect(world.xrayStore.testPlans.get(plan?.id ?? '')?.testIds).toContain(issue?.id);
    }
  });

  it('adds to an existing Test Set and a new Test Execution; refuses a key of the wrong type', async () => {
    const generation = await generate(world);
    const set = [...world.jiraStore.issues.values()].find((issue) => issue.summary === 'Checkout regression');
    const wrong = failure(
      await world.invokeIssue(
        'createGeneratedTests',
        { selections: [{ id: 'x' }], destination: { testSet: { mode: 'existing', key: 'not a key' } } },
        ISSUE,
      ),
    );
    expect(wrong.fieldErrors?.['destination.testSet.key']).toMatch(/issue key/);
    const selections = generation.proposals.slice(0, 2).map((proposal) => ({ id: proposal.id }));
    const creation = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        {
          selections,
          destination: {
            testSet: { mode: 'existing', key: set?.key ?? '' },
            testExecution: { mode: 'new', summary: 'Regression run' },
          },
        },
        ISSUE,
      ),
    );
    expect(creation.status).toBe('done');
    expect(creation.organised.testSet).toEqual({ key: set?.key, created: false });
    expect(creation.organised.testExecution?.created).toBe(true);
    const createdIds = creation.items.map((item) => world.jiraStore.issue(item.key ?? '')?.id);
    for (const id of createdIds) expect(world.xrayStore.testSets.get(set?.id ?? '')?.testIds).toContain(id);
    const execution = world.jiraStore.issue(creation.organised.testExecution?.key ?? '');
    expect(execution?.summary).toBe('Regression run');
    expect(world.xrayStore.testExecutions.get(execution?.id ?? '')?.testIds.sort()).toEqual(
      createdIds.sort(),
    );

    // A Test Plan key that is not a Test Plan is refused before anything is created.
    const again = await generate(world, { testTypes: ['Manual'], maxTests: 2 });
    const before = world.jiraStore.issues.size;
    const refused = await world.invokeIssue<CreationDto>(
      'createGeneratedTests',
      { selections: [{ id: again.proposals[0]?.id ?? '' }], destination: { testPlan: { key: 'DEMO-1' } } },
      ISSUE,
    );
    expect(refused.ok ? null : refused.error.fieldErrors).toEqual({
      'destination.testPlan': 'DEMO-1 is a Story, not a Test Plan.',
    });
    expect(world.jiraStore.issues.size).toBe(before);
  });

  it('a failure on the 3rd createTest leaves the rest created; "retry" finishes without duplicates', async () => {
    const generation = await generate(world);
    world.xray.faults.add({
      path: /graphql/,
      bodyMatch: /mutation CreateTest/,
      skip: 2,
      status: 400,
      body: { errors: [{ message: 'Xray is busy' }] },
      contentType: 'application/json',
    });
    const selections = generation.proposals.map((proposal) => ({ id: proposal.id }));
    const partial = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections, destination: { testSet: { mode: 'new', summary: 'Generated' } } },
        ISSUE,
      ),
    );
    expect(partial.status).toBe('partial');
    expect(partial.items.map((item) => item.status)).toEqual([
      'created',
      'created',
      'failed',
      'created',
      'created',
    ]);
    expect(partial.items[2]?.error?.code).toBe('XRAY_API_ERROR');
    const retried = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(retried.status).toBe('done');
    expect(
      testsLabelled(world, 'sqai-generated').filter(
        (issue) => world.jiraStore.issueTypes.get(issue.issueTypeId)?.name === 'Test',
      ),
    ).toHaveLength(5);
    const set = world.jiraStore.issue(retried.organised.testSet?.key ?? '');
    expect(world.xrayStore.testSets.get(set?.id ?? '')?.testIds).toHaveLength(5);
    // Clicking again changes nothing.
    const again = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(again.status).toBe('done');
    expect(
      testsLabelled(world, 'sqai-generated').filter(
        (issue) => world.jiraStore.issueTypes.get(issue.issueTypeId)?.name === 'Test',
      ),
    ).toHaveLength(5);
  });

  // Issue 13 item 0: a reload during creation made 8 tests for 5 selected, and two Test Sets.
  it('one creation per generation: a second Create or a Continue, at once or after a reload, attaches to it', async () => {
    const generation = await generate(world);
    const selections = generation.proposals.slice(0, 5).map((proposal) => ({ id: proposal.id }));
    const payload = { selections, destination: { testSet: { mode: 'new', summary: 'Reloaded set' } } };
    const testsMade = () =>
      testsLabelled(world, 'sqai-generated').filter(
        (issue) => world.jiraStore.issueTypes.get(issue.issueTypeId)?.name === 'Test',
      );
    const setsMade = () =>
      [...world.jiraStore.issues.values()].filter((issue) => issue.summary === 'Reloaded set');
    // The panel's Create, the reloaded panel's Create and its Continue, all at the same moment.
    const answers = await Promise.all([
      world.invokeIssue<CreationDto>('createGeneratedTests', payload, ISSUE),
      world.invokeIssue<CreationDto>('createGeneratedTests', payload, ISSUE),
      world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE),
    ]);
    for (const answer of answers) expect(answer.ok ? true : answer.error).toBe(true);
    const finished = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(finished.status).toBe('done');
    expect(testsMade()).toHaveLength(5);
    expect(setsMade()).toHaveLength(1);
    // Later, with another selection: the generation's creation is shown, nothing new is made.
    const later = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections: selections.slice(0, 2), destination: {} },
        ISSUE,
      ),
    );
    expect(later.items.map((item) => item.key)).toEqual(finished.items.map((item) => item.key));
    expect(testsMade()).toHaveLength(5);
    // No lease is left behind.
    expect([...world.platform.kvs.data.keys()].filter((key) => key.startsWith('genlock:'))).toEqual([]);
  });

  it('a creation lease left by a runner Forge ended is taken over when it runs out', async () => {
    const generation = await generate(world);
    const selections = generation.proposals.slice(0, 2).map((proposal) => ({ id: proposal.id }));
    const issueId = world.jiraStore.issue(ISSUE)?.id ?? '';
    await world.platform.kvs.set(leaseKey(DEMO.project.id, issueId), {
      holder: 'an-invocation-forge-ended',
      until: new Date(Date.now() - 1_000).toISOString(),
    });
    const creation = data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    expect(creation.status).toBe('done');
  });

  it('a create whose answer was lost is found again, not created twice', async () => {
    const partial = await createThreeLosingTheSecondAnswer(world);
    expect(partial.items.map((item) => item.status)).toEqual(['created', 'failed', 'created']);
    const done = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(done.status).toBe('done');
    const titles = testsLabelled(world, 'sqai-generated').map((issue) => issue.summary);
    expect(titles).toHaveLength(3);
    expect(new Set(titles).size).toBe(3);
  });

  // Issue 14 item 2: Jira's search is eventually consistent, so a lookup by label right after a lost
  // create answer finds nothing — and the test was created a second time.
  it('with Jira search lagging, a lost create answer is waited for, not created again', async () => {
    const lagging = await laggingSearchWorld();
    world = lagging.world;
    const partial = await createThreeLosingTheSecondAnswer(world);
    expect(partial.items.map((item) => item.status)).toEqual(['created', 'failed', 'created']);
    // Retried at once: search does not show the lost test yet, so the item waits.
    const waiting = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(waiting.status).toBe('running');
    expect(waiting.items.map((item) => item.status)).toEqual(['created', 'pending', 'created']);
    lagging.advance(6_000);
    const done = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(done.status).toBe('done');
    const titles = testsLabelled(world, 'sqai-generated').map((issue) => issue.summary);
    expect(titles).toHaveLength(3);
    expect(new Set(titles).size).toBe(3);
  });

  it('a create that never happened is made once search had time to show it', async () => {
    const lagging = await laggingSearchWorld();
    world = lagging.world;
    const generation = await generate(world);
    // Refused before Xray made anything (no `lose`): the retry finds nothing, ever.
    world.xray.faults.add({
      path: /graphql/,
      bodyMatch: /mutation CreateTest/,
      skip: 1,
      status: 503,
    });
    const selections = generation.proposals.slice(0, 3).map((proposal) => ({ id: proposal.id }));
    data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    lagging.advance(SEARCH_SETTLE_MS - 1_000);
    expect(data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE)).status).toBe('running');
    lagging.advance(2_000);
    expect(data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE)).status).toBe('done');
    expect(testsLabelled(world, 'sqai-generated')).toHaveLength(3);
  });

  it('refuses to create an invalid proposal, and a proposal that does not exist', async () => {
    const generation = await generate(world);
    const error = failure(
      await world.invokeIssue(
        'createGeneratedTests',
        { selections: [{ id: 'no-such-id' }], destination: {} },
        ISSUE,
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(generation.proposals.length).toBeGreaterThan(0);
    expect(testsLabelled(world, 'sqai-generated')).toHaveLength(0);
  });

  /** 25 proposals (more than the panel creates itself), handed to the queue; not delivered yet. */
  async function queueBulkCreation(): Promise<CreationDto> {
    // The backfill that follows the first configuration is not this creation's business.
    await world.platform.queue.drain();
    await generate(world, { testTypes: ['Manual'], maxTests: 3 });
    // SQAI returns 25 tests this time (the simulator's generation is replaced before the poll reads it).
    const generation = await generateMany(world, ISSUE, 25);
    const selections = generation.proposals.map((proposal) => ({ id: proposal.id }));
    expect(selections).toHaveLength(25);
    return data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections, destination: { testSet: { mode: 'new', summary: 'Bulk' } } },
        ISSUE,
      ),
    );
  }

  const generationDeliveries = () =>
    world.platform.queue.deliveries.filter((event) => event.queueKey === 'sqai-generation');
  const bulkTestsInXray = () =>
    [...world.jiraStore.issues.values()].filter((issue) => issue.summary.startsWith('Bulk regression check'));

  it('large creations go through the queue and finish in the background', async () => {
    const queued = await queueBulkCreation();
    expect(queued).toMatchObject({ queued: true, status: 'running' });
    await world.platform.queue.drain();
    expect(world.platform.queue.failures).toEqual([]);
    const finished = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(finished.status).toBe('done');
    expect(finished.items.filter((item) => item.status === 'created')).toHaveLength(25);
  });

  // Forge retries a consumer that throws for up to 24 hours and then drops the event: a creation
  // left `running` would then refuse every later Create on the issue. Found in review (issue 12).
  it('a background creation that meets a lasting Xray refusal stops as partial with the reason; retry finishes it once', async () => {
    await queueBulkCreation();
    world.xray.faults.add({
      path: '/api/v2/graphql',
      bodyMatch: /query ProjectSettings/,
      status: 200,
      body: { errors: [{ message: 'Xray is being reconfigured' }] },
      contentType: 'application/json',
      count: 1,
    });
    await world.platform.queue.drain();
    expect(world.platform.queue.failures).toEqual([]);
    expect(generationDeliveries()).toHaveLength(1);
    const panel = data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE));
    expect(panel.generation?.creation).toMatchObject({
      status: 'partial',
      errors: [{ code: 'XRAY_API_ERROR' }],
    });
    // The panel's "Retry failed" hands it to the queue again, and it finishes without duplicates.
    expect(data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE))).toMatchObject({
      status: 'running',
      queued: true,
    });
    await world.platform.queue.drain();
    const finished = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(finished.status).toBe('done');
    expect(bulkTestsInXray()).toHaveLength(25);
  });

  it('a background creation interrupted by a passing fault asks Forge to deliver it again, then finishes', async () => {
    await queueBulkCreation();
    // Storage hiccups during the first two deliveries (an unexpected exception, as a KVS outage throws).
    const getSecret = world.platform.secrets.getSecret.bind(world.platform.secrets);
    world.platform.secrets.getSecret = async (key: string) => {
      if (generationDeliveries().length <= 2) throw new Error('KVS is temporarily unavailable');
      return getSecret(key);
    };
    await world.platform.queue.drain();
    expect(world.platform.queue.failures).toEqual([]);
    expect(generationDeliveries().map((event) => event.retryContext?.retryCount ?? 0)).toEqual([0, 1, 2]);
    expect(generationDeliveries()[1]?.retryContext?.retryReason).toBe('FUNCTION_RETRY_REQUEST');
    const finished = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(finished.status).toBe('done');
    expect(bulkTestsInXray()).toHaveLength(25);
  });

  it('gives up after its retries and says so, instead of being retried by Forge for a day', async () => {
    await queueBulkCreation();
    world.platform.secrets.getSecret = async () => {
      throw new Error('KVS is down');
    };
    await world.platform.queue.drain();
    expect(world.platform.queue.failures).toEqual([]);
    expect(world.platform.queue.dropped).toEqual([]);
    expect(generationDeliveries()).toHaveLength(1 + MAX_CONSUMER_RETRIES);
    const stored = await new GenerationStore(world.platform.kvs).get(
      DEMO.project.id,
      world.jiraStore.issue(ISSUE)?.id ?? '',
    );
    expect(stored?.creation).toMatchObject({ status: 'partial', errors: [{ code: 'INTERNAL' }] });
  });

  it('asks for tests for what changed when the requirement changed since the last generation', async () => {
    const first = await generate(world);
    const demo3 = world.jiraStore.issue(ISSUE);
    world.jiraStore.updateIssue(demo3?.id ?? '', { labels: ['checkout', 'promotions', 'changed'] });
    const panel = data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE));
    expect(panel.contextChanged).toBe(true);
    const second = data(
      await world.invokeIssue<GenerationDto>(
        'startGeneration',
        { testTypes: ['Manual'], maxTests: 3 },
        ISSUE,
      ),
    );
    expect(second.previousContentHash).toBe(first.contentHash);
  });
});
