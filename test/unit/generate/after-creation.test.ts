/**
 * Issue 16 items 2, 6 and 7 through the REAL resolvers against the simulators: the tests a
 * generation created do not make its requirement "changed since the last generation" (a later
 * change still does); a test created but not linked says so, by key; and a reviewer's edits are
 * kept per user with the generation.
 */
import type {
  ContextPreviewDto,
  CreationDto,
  GenerationPanelDto,
  ReviewEditsDto,
  SavedReviewEditsDto,
} from '../../../src/api';
import { GenerationStore } from '../../../src/generate/store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { generateOn } from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

const ISSUE = 'DEMO-3';
const PRIYA = PEOPLE.po.accountId;

const panelOf = async (world: World, as: string = DEMO.admin) =>
  data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE, as));

const editsFor = (generationId: string, proposalIds: string[]): ReviewEditsDto => ({
  generationId,
  selected: { [proposalIds[0] ?? '']: false },
  titles: { [proposalIds[1] ?? '']: 'A title the reviewer wrote' },
  destination: {
    testSet: { mode: 'new', key: '', summary: 'Reviewed set', keyTyped: false },
    testExecution: { mode: 'none', key: '', summary: '', keyTyped: false },
    testPlan: { mode: 'existing', key: 'DEMO-40', keyTyped: true },
    folder: '/Checkout/Generated',
  },
});

describeWithContracts('after creating generated tests', () => {
  let world: World;

  beforeEach(async () => {
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  it('the tests just created do not make the requirement changed; a later change does', async () => {
    const generation = await generateOn(world, ISSUE);
    const selections = generation.proposals.slice(0, 2).map((proposal) => ({ id: proposal.id }));
    const creation = data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    expect(creation.status).toBe('done');
    const panel = await panelOf(world);
    expect(panel.contextChanged).toBe(false);
    // The context really did change by them: it now covers the new tests.
    const preview = data(await world.invokeIssue<ContextPreviewDto>('previewContext', {}, ISSUE));
    expect(preview.contentHash).not.toBe(generation.contentHash);

    const demo3 = world.jiraStore.issue(ISSUE);
    world.jiraStore.updateIssue(demo3?.id ?? '', { labels: ['checkout', 'changed-after-creation'] });
    expect((await panelOf(world)).contextChanged).toBe(true);
  });

  it('a creation finished without a record (e.g. in the background) is recorded by the next panel read', async () => {
    const generation = await generateOn(world, ISSUE);
    const selections = generation.proposals.slice(0, 1).map((proposal) => ({ id: proposal.id }));
    data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    const demo3 = world.jiraStore.issue(ISSUE)?.id ?? '';
    await world.platform.kvs.delete(`genc:${DEMO.project.id}:${demo3}`);
    expect((await panelOf(world)).contextChanged).toBe(false);
    expect(await new GenerationStore(world.platform.kvs).afterCreation(DEMO.project.id, demo3)).toMatchObject(
      {
        generationId: generation.id,
      },
    );
  });

  it('a test created but not linked is "notLinked", named by its key and the requirement’s; Retry links it', async () => {
    const generation = await generateOn(world, ISSUE);
    world.jira.faults.add({ path: /\/rest\/api\/3\/issueLink/, method: 'POST', status: 503, count: 20 });
    const selections = generation.proposals.slice(0, 1).map((proposal) => ({ id: proposal.id }));
    const creation = data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    expect(creation.status).toBe('partial');
    const [item] = creation.items;
    expect(item?.status).toBe('notLinked');
    expect(item?.key).toMatch(/^DEMO-\d+$/);
    expect(item?.error?.message).toBe(
      `Could not link ${item?.key ?? ''} to ${ISSUE} — Jira answered 503 Service Unavailable.`,
    );
    expect(item?.error?.message).not.toMatch(/\d{5,}/);

    world.jira.faults.clear();
    const retried = data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE));
    expect(retried.status).toBe('done');
    expect(retried.items[0]).toMatchObject({ status: 'created', key: item?.key });
  });

  it('a link Jira refuses (400) names the keys and Jira’s answer, read from the status it carries', async () => {
    const generation = await generateOn(world, ISSUE);
    world.jira.faults.add({ path: /\/rest\/api\/3\/issueLink/, method: 'POST', status: 400, count: 5 });
    const selections = generation.proposals.slice(0, 1).map((proposal) => ({ id: proposal.id }));
    const creation = data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    world.jira.faults.clear();
    const [item] = creation.items;
    expect(item?.status).toBe('notLinked');
    expect(item?.error).toMatchObject({
      code: 'INTERNAL',
      message: `Could not link ${item?.key ?? ''} to ${ISSUE} — Jira answered 400 Bad Request.`,
    });
  });

  it('keeps a reviewer’s edits per user, for the generation they were made on', async () => {
    const generation = await generateOn(world, ISSUE);
    const ids = generation.proposals.map((proposal) => proposal.id);
    const edits = editsFor(generation.id, ids);
    expect((await panelOf(world)).reviewEdits).toBeNull();
    data(await world.invokeIssue<SavedReviewEditsDto>('saveReviewEdits', edits, ISSUE));

    expect((await panelOf(world)).reviewEdits).toEqual(edits);
    // Another reviewer of the same issue starts from the proposals, not from someone else's edits.
    expect((await panelOf(world, PRIYA)).reviewEdits).toBeNull();

    // Edits of a replaced generation are refused; an account named in the payload is refused.
    expect(
      failure(await world.invokeIssue('saveReviewEdits', { ...edits, generationId: 'another' }, ISSUE)).code,
    ).toBe('VALIDATION');
    expect(
      failure(await world.invokeIssue('saveReviewEdits', { ...edits, accountId: PRIYA }, ISSUE, PRIYA)).code,
    ).toBe('VALIDATION');
    const tooLong = { ...edits, titles: { [ids[0] ?? '']: 'x'.repeat(256) } };
    expect(failure(await world.invokeIssue('saveReviewEdits', tooLong, ISSUE)).code).toBe('VALIDATION');

    // A new generation starts a new review.
    data(
      await world.invokeIssue(
        'startGeneration',
        { testTypes: ['Manual'], maxTests: 2, replace: true },
        ISSUE,
      ),
    );
    expect((await panelOf(world)).reviewEdits).toBeNull();
  });
});
