/**
 * Who may create what, and who may see what (issue 13, items 1–4), through the real resolvers
 * against a Jira simulator whose users hold realistic, distinct permissions:
 * Uma only reads DEMO (viewer), Dan may create and link but edit only what he reported
 * (contributor), Priya works on every DEMO issue (member), Alex administers the site.
 */
import type {
  ContextPreviewDto,
  CreationDto,
  GenerationDto,
  GenerationPanelDto,
  ResolverResult,
} from '../../../src/api';
import { generationResolvers } from '../../../src/resolvers/generation';
import { issuePanelResolvers } from '../../../src/resolvers/issue-panel';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import {
  generatedTestsOf,
  generateMany,
  generateOn,
  otherTeamContainers,
} from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

const UMA = PEOPLE.user.accountId;
const DAN = PEOPLE.dev.accountId;
const PRIYA = PEOPLE.po.accountId;
/** DEMO-3: "Apply a discount code at checkout". */
const ISSUE = 'DEMO-3';

const generate = (world: World, as: string, issueKey = ISSUE, maxTests = 10) =>
  generateOn(world, issueKey, { as, maxTests });

const selectionsOf = (generation: GenerationDto, count: number) =>
  generation.proposals
    .filter((proposal) => proposal.problems.length === 0)
    .slice(0, count)
    .map((proposal) => ({ id: proposal.id }));

const testsMade = (world: World) => generatedTestsOf(world).length;

function refusal<T>(result: ResolverResult<T>) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describeWithContracts('authorization of writes and reads', () => {
  let world: World;

  beforeEach(async () => {
    // The app's Jira pacing (25 tests linked to one requirement) waits on this clock, not in real time.
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  describe('who may create (items 1 and 2)', () => {
    it('a browse-only user is refused before anything is created or queued, on both paths', async () => {
      await world.platform.queue.drain(); // the first backfill
      const generation = await generateMany(world, ISSUE, 25, PRIYA);
      for (const count of [3, 25]) {
        const error = refusal(
          await world.invokeIssue<CreationDto>(
            'createGeneratedTests',
            { selections: selectionsOf(generation, count), destination: {} },
            ISSUE,
            UMA,
          ),
        );
        expect(error.code).toBe('FORBIDDEN');
        expect(error.message).toMatch(/“Create Issues” and “Link Issues”/);
        expect(error.remedy).toMatch(/permission scheme/);
      }
      expect(world.platform.queue.waiting).toBe(0);
      await world.platform.queue.drain();
      expect(testsMade(world)).toBe(0);
      // The stored generation has no creation: Priya can still create them.
      const panel = data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE, PRIYA));
      expect(panel.generation?.creation).toBeUndefined();
    });

    it('another project’s Test Set and Execution the user cannot see are refused, ≤ 20 and queued alike', async () => {
      const { set, execution } = otherTeamContainers(world);
      const generation = await generateMany(world, ISSUE, 25, PRIYA);
      for (const count of [5, 25]) {
        const error = refusal(
          await world.invokeIssue<CreationDto>(
            'createGeneratedTests',
            {
              selections: selectionsOf(generation, count),
              destination: {
                testSet: { mode: 'existing', key: set.key },
                testExecution: { mode: 'existing', key: execution.key },
              },
            },
            ISSUE,
            PRIYA,
          ),
        );
        expect(error.fieldErrors).toEqual({
          'destination.testSet': `${set.key} does not exist, or you cannot see it.`,
          'destination.testExecution': `${execution.key} does not exist, or you cannot see it.`,
        });
      }
      await world.platform.queue.drain();
      expect(testsMade(world)).toBe(0);
      expect(world.xrayStore.testSets.get(set.id)?.testIds).toEqual([]);
      expect(world.xrayStore.testExecutions.get(execution.id)?.testIds).toEqual([]);
    });

    it('a container of another project is refused even for a site admin who can see it', async () => {
      const { set } = otherTeamContainers(world);
      const generation = await generate(world, DEMO.admin);
      const error = refusal(
        await world.invokeIssue<CreationDto>(
          'createGeneratedTests',
          {
            selections: selectionsOf(generation, 2),
            destination: { testSet: { mode: 'existing', key: set.key } },
          },
          ISSUE,
        ),
      );
      expect(error.fieldErrors?.['destination.testSet']).toBe(
        `${set.key} belongs to project OTHER; choose a Test Set of DEMO.`,
      );
    });

    it('a contributor creates tests but adds them only to containers he may edit', async () => {
      const othersSet = world.xrayStore.createTestSet({
        projectIdOrKey: 'DEMO',
        summary: 'Priya’s regression set',
        reporterId: PRIYA,
      });
      const ownSet = world.xrayStore.createTestSet({
        projectIdOrKey: 'DEMO',
        summary: 'Dan’s smoke set',
        reporterId: DAN,
      });
      const generation = await generate(world, DAN);
      const refused = refusal(
        await world.invokeIssue<CreationDto>(
          'createGeneratedTests',
          {
            selections: selectionsOf(generation, 2),
            destination: { testSet: { mode: 'existing', key: othersSet.key } },
          },
          ISSUE,
          DAN,
        ),
      );
      expect(refused.fieldErrors?.['destination.testSet']).toMatch(/needs Jira's “Edit Issues” permission/);
      expect(testsMade(world)).toBe(0);

      const made = data(
        await world.invokeIssue<CreationDto>(
          'createGeneratedTests',
          {
            selections: selectionsOf(generation, 2),
            destination: {
              testSet: { mode: 'existing', key: ownSet.key },
              testExecution: { mode: 'new', summary: 'Dan’s run' },
            },
          },
          ISSUE,
          DAN,
        ),
      );
      expect(made.status).toBe('done');
      expect(made.errors).toEqual([]);
      expect(world.xrayStore.testSets.get(ownSet.id)?.testIds).toHaveLength(2);
    });

    it('the queue worker uses the ids authorized for the caller and never resolves a key as the app', async () => {
      const set = world.xrayStore.createTestSet({ projectIdOrKey: 'DEMO', summary: 'Big regression set' });
      await world.platform.queue.drain(); // the first backfill
      const generation = await generateMany(world, ISSUE, 25, PRIYA);
      world.jira.requests.length = 0;
      const started = data(
        await world.invokeIssue<CreationDto>(
          'createGeneratedTests',
          {
            selections: selectionsOf(generation, 25),
            destination: { testSet: { mode: 'existing', key: set.key } },
          },
          ISSUE,
          PRIYA,
        ),
      );
      expect(started.queued).toBe(true);
      const beforeWorker = world.jira.requests.length;
      await world.platform.queue.drain();
      const workerReads = world.jira.requests
        .slice(beforeWorker)
        .filter(
          (request) => request.operationId === 'getIssue' || request.operationId === 'getMyPermissions',
        );
      expect(workerReads).toEqual([]);
      expect(world.xrayStore.testSets.get(set.id)?.testIds).toHaveLength(25);
    });

    it('a Continue authorizes its caller: a browse-only user cannot finish another user’s creation', async () => {
      const generation = await generate(world, PRIYA);
      world.xray.faults.add({
        path: /graphql/,
        bodyMatch: /mutation CreateTest/,
        skip: 1,
        status: 400,
        body: { errors: [{ message: 'Xray is busy' }] },
        contentType: 'application/json',
      });
      const partial = data(
        await world.invokeIssue<CreationDto>(
          'createGeneratedTests',
          { selections: selectionsOf(generation, 3), destination: {} },
          ISSUE,
          PRIYA,
        ),
      );
      expect(partial.status).toBe('partial');
      const made = testsMade(world);
      const error = refusal(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE, UMA));
      expect(error.code).toBe('FORBIDDEN');
      expect(testsMade(world)).toBe(made);
      expect(data(await world.invokeIssue<CreationDto>('continueCreation', {}, ISSUE, PRIYA)).status).toBe(
        'done',
      );
    });
  });

  describe('who may see (items 3 and 4)', () => {
    it('every issue-scoped resolver refuses a user who cannot see the issue, and leaks nothing', async () => {
      const restricted = [...world.jiraStore.issues.values()].find(
        (issue) => issue.summary === 'Fraud scoring thresholds for card payments',
      );
      if (!restricted) throw new Error('the demo has no restricted requirement');
      const generation = await generate(world, DEMO.admin, restricted.key, 5);
      const titles = generation.proposals.map((proposal) => proposal.title);
      expect(titles.length).toBeGreaterThan(0);
      const resolvers = Object.keys({ ...issuePanelResolvers, ...generationResolvers });
      expect(resolvers).toHaveLength(9);
      for (const name of resolvers) {
        const answer = await world.invokeIssue(name, {}, restricted.key, PRIYA);
        expect([name, answer.ok ? 'answered' : answer.error.code]).toEqual([name, 'ISSUE_NOT_FOUND']);
        const text = JSON.stringify(answer);
        for (const title of titles) expect(text).not.toContain(title);
        expect(text).not.toContain(restricted.summary);
      }
    });

    it('a proposal resembling a test the viewer cannot open says so without naming it', async () => {
      const requirement = world.jiraStore.issue(ISSUE);
      const hiddenTest = world.xrayStore.createTest({
        projectIdOrKey: 'OTHER',
        summary: 'Confidential partner discount stacking rules',
        testType: 'Manual',
        steps: [{ action: 'Stack the partner code PARTNER-77 on a sale item', result: 'Rejected' }],
        coversIssueIds: [requirement?.id ?? ''],
      });
      const started = data(
        await world.invokeIssue<GenerationDto>(
          'startGeneration',
          { testTypes: ['Manual'], maxTests: 1 },
          ISSUE,
        ),
      );
      const remote = world.sqai.generations.get(started.id);
      if (!remote) throw new Error('no remote generation');
      remote.tests = [
        {
          id: 'copy',
          title: 'Confidential partner discount stacking rules',
          testType: 'Manual' as const,
          steps: [{ action: 'Stack the partner code PARTNER-77 on a sale item', result: 'Rejected' }],
        },
      ];
      let forAdmin = started;
      while (forAdmin.status !== 'succeeded')
        forAdmin = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE));
      expect(forAdmin.proposals[0]?.duplicateOf?.key).toBe(hiddenTest.key);

      for (const answer of [
        data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE, PRIYA)),
        data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE, PRIYA)).generation,
      ]) {
        const proposal = answer?.proposals[0];
        expect(proposal?.duplicateOf).toBeUndefined();
        expect(proposal?.warnings?.join(' ')).toMatch(/resembles an existing test you cannot open/i);
        expect(proposal?.selectedByDefault).toBe(false);
        expect(JSON.stringify(answer)).not.toContain(hiddenTest.key);
      }
    });

    it('issues Xray names that the user cannot see reach neither the user nor SQAI', async () => {
      const { set, execution } = otherTeamContainers(world);
      const requirement = world.jiraStore.issue('DEMO-2');
      const test = world.xrayStore.coveringTestIds(requirement?.id ?? '')[0];
      if (!test) throw new Error('DEMO-2 has no covering test');
      world.xrayStore.addTestsToTestSet(set.id, [test]);
      world.xrayStore.addTestsToTestExecution(execution.id, [test]);
      const hidden = [set.key, execution.key, 'OTHER private set', 'OTHER private exec'];

      const preview = data(await world.invokeIssue<ContextPreviewDto>('previewContext', {}, 'DEMO-2', UMA));
      const panel = data(
        await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, 'DEMO-2', UMA),
      );
      data(await world.invokeIssue('sendToSqai', {}, 'DEMO-2', UMA));
      const sent = JSON.stringify(world.sqai.contexts.get(`${DEMO.cloudId}/${requirement?.id ?? ''}`));
      expect(sent).toContain('DEMO-2');
      for (const text of [JSON.stringify(preview), JSON.stringify(panel), sent]) {
        for (const name of hidden) expect(text).not.toContain(name);
      }
      // The test itself is visible to Uma and stays, with its DEMO containers.
      expect(JSON.stringify(preview.document)).toContain(world.jiraStore.issues.get(test)?.key ?? '?');

      // The admin of the site sees OTHER: the same read shows him both.
      const adminPreview = JSON.stringify(
        data(await world.invokeIssue<ContextPreviewDto>('previewContext', {}, 'DEMO-2', DEMO.admin)),
      );
      for (const name of hidden) expect(adminPreview).toContain(name);
    });
  });
});
