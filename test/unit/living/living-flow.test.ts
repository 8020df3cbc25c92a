/**
 * Living tests end to end through the real resolvers (issue 19): a reworded criterion flags exactly the
 * test mapped to it; "Propose updates" asks SQAI in update mode (contract 1.3.0) with that test's current
 * content; accepting the update writes it to Xray, records it in the test's provenance and clears the
 * flag; a test a person edited since the proposal is a conflict and nothing is written; a user who may
 * not edit the test is refused before anything is written; an obsolete test's coverage link can be
 * removed, and the test itself is never deleted.
 */
import type {
  CriteriaViewDto,
  DecideTestUpdatesResult,
  GenerationDto,
  TestUpdateProposalDto,
} from '../../../src/api';
import { PROVENANCE_PROPERTY } from '../../../src/generate/create-tests';
import { data, demoSettings } from '../../harness/demo-settings';
import { describeWithContracts } from '../../harness/contracts';
import {
  criteriaViewOf,
  LIVING_DEMO_ISSUE,
  LIVING_REWORD,
  prepareLivingDemo,
  proposeUpdates,
  rewordRequirement,
  sendDemo,
  type LivingDemo,
} from '../../harness/scenarios/living-tests';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

function updateOf(generation: GenerationDto, testKey: string): TestUpdateProposalDto {
  const found = generation.updates?.find((update) => update.testKey === testKey);
  if (!found)
    throw new Error(
      `No proposal for ${testKey}: ${JSON.stringify(generation.updates?.map((u) => u.testKey))}`,
    );
  return found;
}

function gherkinOf(world: World, testKey: string): string | null {
  const issue = world.jiraStore.issue(testKey);
  return world.xrayStore.tests.get(issue?.id ?? '')?.gherkin ?? null;
}

describeWithContracts('living tests: flag, propose, apply', () => {
  let world: World;
  let demo: LivingDemo;

  beforeEach(async () => {
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain();
    demo = await prepareLivingDemo(world);
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('flags exactly the test mapped to the reworded criterion, with the wording before and after', () => {
    expect(demo.view.staleTests?.map((test) => test.key)).toEqual([demo.tests.declined]);
    const [stale] = demo.view.staleTests ?? [];
    expect(stale?.reasons).toEqual([
      expect.objectContaining({
        kind: 'criterionChanged',
        criterionId: demo.criterionIds[3],
        number: 4,
        before: expect.stringContaining(LIVING_REWORD.from) as unknown,
        after: expect.stringContaining(LIVING_REWORD.to) as unknown,
      }),
    ]);
    const states = Object.fromEntries(demo.view.criteria.map((criterion) => [criterion.id, criterion.state]));
    expect(states[demo.criterionIds[3] ?? '']).toBe('stale');
    expect(demo.view.summary.staleTests).toBe(1);
  });

  it('proposes an update of the stale test only, and applying it writes Xray, the provenance, and clears the flag', async () => {
    const generation = await proposeUpdates(world);
    expect(generation).toMatchObject({ status: 'succeeded', mode: 'updates' });
    expect(generation.updates?.map((update) => update.testKey)).toEqual([demo.tests.declined]);
    const update = updateOf(generation, demo.tests.declined);
    expect(update).toMatchObject({ verdict: 'update', status: 'proposed' });
    expect(update.before.gherkin).toContain(LIVING_REWORD.from);
    expect(update.after?.gherkin).toContain(LIVING_REWORD.to);

    const sent = [...world.sqai.generations.values()].at(-1);
    expect(JSON.stringify(sent)).toContain('"mode":"updates"');

    const result = data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(result.running).toBe(false);
    expect(result.updates.map((item) => [item.testKey, item.status])).toEqual([
      [demo.tests.declined, 'applied'],
    ]);
    expect(gherkinOf(world, demo.tests.declined)).toContain(LIVING_REWORD.to);
    expect(gherkinOf(world, demo.tests.declined)).not.toContain(LIVING_REWORD.from);

    const testId = world.jiraStore.issue(demo.tests.declined)?.id ?? '';
    const provenance = world.jiraStore.issues.get(testId)?.properties.get(PROVENANCE_PROPERTY) as {
      updates?: unknown[];
    };
    expect(provenance.updates).toEqual([
      expect.objectContaining({
        generationId: generation.id,
        acceptedBy: DEMO.admin,
        criterionIds: [demo.criterionIds[3]],
      }),
    ]);

    const after = await criteriaViewOf(world);
    expect(after.staleTests ?? []).toEqual([]);
    expect(after.summary.staleTests ?? 0).toBe(0);

    // Deciding the same again changes nothing more: Xray is not written twice.
    const gherkin = gherkinOf(world, demo.tests.declined);
    const again = data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(again.updates[0]?.status).toBe('applied');
    expect(gherkinOf(world, demo.tests.declined)).toBe(gherkin);
  });

  it('a test a person edited since the proposal is a conflict: nothing is written and it stays stale', async () => {
    const generation = await proposeUpdates(world);
    const testId = world.jiraStore.issue(demo.tests.declined)?.id ?? '';
    const personal = `${gherkinOf(world, demo.tests.declined) ?? ''}\n    And the shopper sees a retry button`;
    world.xrayStore.updateDefinition(testId, { gherkin: personal });
    const result = data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(result.updates[0]?.status).toBe('conflict');
    expect(gherkinOf(world, demo.tests.declined)).toBe(personal);
    expect((await criteriaViewOf(world)).staleTests?.map((test) => test.key)).toEqual([demo.tests.declined]);
  });

  it('a user who may not edit the test is refused before anything is written', async () => {
    const generation = await proposeUpdates(world);
    const testId = world.jiraStore.issue(demo.tests.declined)?.id ?? '';
    const before = gherkinOf(world, demo.tests.declined);
    // A contributor may edit only issues they reported: made DEMO-2's reporter, Dan may review its
    // tests' proposals, but not write the tests (reported by others).
    const requirement = world.jiraStore.issue(LIVING_DEMO_ISSUE);
    if (requirement) requirement.reporterId = PEOPLE.dev.accountId;
    const answer = await world.invokeIssue<DecideTestUpdatesResult>(
      'decideTestUpdates',
      { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
      LIVING_DEMO_ISSUE,
      PEOPLE.dev.accountId,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!answer.ok) expect(answer.error.message).toContain(demo.tests.declined);
    expect(world.xrayStore.tests.get(testId)?.gherkin ?? null).toBe(before);
  });

  it('"still valid" marks the test reviewed; the next rewording flags it again', async () => {
    const generation = await proposeUpdates(world);
    data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'confirm' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect((await criteriaViewOf(world)).staleTests ?? []).toEqual([]);
    rewordRequirement(world, 'card issuer declined', 'card issuer refused');
    await sendDemo(world);
    expect((await criteriaViewOf(world)).staleTests?.map((test) => test.key)).toEqual([demo.tests.declined]);
  });

  it('a removed criterion makes its test obsolete; removing the coverage link keeps the test', async () => {
    rewordRequirement(
      world,
      'A declined challenge returns the shopper to the payment step with the message "Your card issuer declined the payment"',
      '',
    );
    await sendDemo(world);
    const generation = await proposeUpdates(world);
    const update = updateOf(generation, demo.tests.declined);
    expect(update.verdict).toBe('obsolete');
    const refused = await world.invokeIssue(
      'decideTestUpdates',
      { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
      LIVING_DEMO_ISSUE,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const result = data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'unlink' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(result.updates[0]?.status).toBe('unlinked');
    const testId = world.jiraStore.issue(demo.tests.declined)?.id ?? '';
    const requirementId = world.jiraStore.issue(LIVING_DEMO_ISSUE)?.id ?? '';
    expect(world.xrayStore.coveringTestIds(requirementId)).not.toContain(testId);
    expect(world.xrayStore.tests.has(testId)).toBe(true);
  });

  it('a generated test is baselined against the wording SQAI generated from, even when the criterion changed before its creation', async () => {
    const reworded = demo.criterionIds[3] ?? '';
    // Review the stale test first, so only the new test can be flagged below.
    const updates = await proposeUpdates(world);
    data(
      await world.invokeIssue(
        'decideTestUpdates',
        { generationId: updates.id, decisions: [{ testKey: demo.tests.declined, action: 'confirm' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    let generation = data(
      await world.invokeIssue<GenerationDto>(
        'startGeneration',
        { testTypes: ['Manual'], maxTests: 1, criterionIds: [reworded] },
        LIVING_DEMO_ISSUE,
      ),
    );
    for (let poll = 0; poll < 10 && generation.status !== 'succeeded'; poll += 1)
      generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, LIVING_DEMO_ISSUE));
    const proposal = generation.proposals.find((candidate) => candidate.problems.length === 0);
    if (!proposal) throw new Error('SQAI proposed no valid test');
    // The product owner rewords the criterion while the proposal waits for review.
    rewordRequirement(world, 'card issuer declined', 'card issuer refused');
    await sendDemo(world);
    const creation = data(
      await world.invokeIssue<{ items: { key?: string; status: string }[] }>(
        'createGeneratedTests',
        { selections: [{ id: proposal.id }], destination: {} },
        LIVING_DEMO_ISSUE,
      ),
    );
    const created = creation.items[0]?.key ?? '';
    expect(creation.items[0]?.status).toBe('created');
    const testId = world.jiraStore.issue(created)?.id ?? '';
    const provenance = world.jiraStore.issues.get(testId)?.properties.get(PROVENANCE_PROPERTY) as {
      criteria?: Record<string, string>;
    };
    // The provenance records the wording the test was generated against, not today's.
    expect(Object.keys(provenance.criteria ?? {})).toEqual([reworded]);
    const view = await criteriaViewOf(world);
    const flagged = view.staleTests?.find((test) => test.key === created);
    expect(flagged?.reasons).toEqual([
      expect.objectContaining({ kind: 'criterionChanged', criterionId: reworded }),
    ]);
    // The test reviewed a moment ago is flagged again by the second rewording (it is mapped to it), no other.
    expect(view.staleTests?.map((test) => test.key).sort()).toEqual([created, demo.tests.declined].sort());
  });

  it('a new generation never interrupts an apply under way, nor silently replaces another user’s undecided proposals', async () => {
    const generation = await proposeUpdates(world);
    const start = (as: string, replace?: boolean) =>
      world.invokeIssue<GenerationDto>(
        'startGeneration',
        { testTypes: ['Manual'], maxTests: 1, ...(replace ? { replace } : {}) },
        LIVING_DEMO_ISSUE,
        as,
      );
    // Quinn (QA) is not the one who asked: the undecided proposal is not replaced without saying so.
    const refused = await start(PEOPLE.qa.accountId);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fieldErrors: { replace: expect.stringContaining('not been decided yet') as unknown },
      },
    });
    // An apply under way (stored as the decision is carried out) refuses any new start, even with replace.
    const key = [...world.platform.kvs.data.keys()].find((candidate) => candidate.startsWith('genu:'));
    if (!key) throw new Error('no stored update item');
    const item = world.platform.kvs.data.get(key) as Record<string, unknown>;
    world.platform.kvs.data.set(key, { ...item, status: 'applying', target: item.after });
    const busy = await start(PEOPLE.qa.accountId, true);
    expect(busy).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!busy.ok) expect(busy.error.message).toContain('being applied');
    // Continuing finishes it; then Quinn may replace the generation.
    const continued = data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(continued.updates[0]?.status).toBe('applied');
    expect(gherkinOf(world, demo.tests.declined)).toContain(LIVING_REWORD.to);
    expect(await start(PEOPLE.qa.accountId)).toMatchObject({ ok: true });
  });

  it('"Mark reviewed" clears a possibly stale test without asking SQAI; a key that is not one is a field error', async () => {
    const refused = await world.invokeIssue(
      'markTestsReviewed',
      { testKeys: [demo.tests.approved] },
      LIVING_DEMO_ISSUE,
    );
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fieldErrors: { testKeys: expect.stringContaining(demo.tests.approved) as unknown },
      },
    });
    const sqaiRequests = world.sqai.log.entries.length;
    const view = data(
      await world.invokeIssue<CriteriaViewDto>(
        'markTestsReviewed',
        { testKeys: [demo.tests.declined] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(view.staleTests ?? []).toEqual([]);
    expect(view.criteria.find((criterion) => criterion.id === demo.criterionIds[3])?.state).not.toBe('stale');
    expect(world.sqai.log.entries.length).toBe(sqaiRequests);
    expect(await criteriaViewOf(world)).toEqual(view);
  });

  it('a stale test too large for SQAI’s update mode is not sent; the answer says to update it in Xray and mark it reviewed', async () => {
    const savedCards = world.jiraStore.issue(demo.tests.savedCards)?.id ?? '';
    for (let step = 0; step < 100; step += 1)
      world.xrayStore.addTestStep(savedCards, { action: `Check card ${step}`, data: '', result: 'Shown' });
    rewordRequirement(
      world,
      'brand, last four digits and expiry',
      'brand, last four digits, expiry and holder name',
    );
    await sendDemo(world);
    const generations = world.sqai.generations.size;
    const answer = await world.invokeIssue<GenerationDto>(
      'proposeTestUpdates',
      { testKeys: [demo.tests.savedCards] },
      LIVING_DEMO_ISSUE,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!answer.ok) {
      expect(answer.error.message).toContain('too large');
      expect(answer.error.remedy).toContain('Mark reviewed');
    }
    expect(world.sqai.generations.size).toBe(generations);
  });

  it('a stale test holding a value the project redacts is proposed: SQAI gets a placeholder, the proposal the value', async () => {
    // The project's default controls redact card numbers; DEMO-2's declined test holds a test card.
    const card = '4000 0027 6000 3184';
    expect(gherkinOf(world, demo.tests.declined)).toContain(card);
    const generation = await proposeUpdates(world);
    const stored = [...world.sqai.generations.values()].find((candidate) => candidate.mode === 'updates');
    const answered = stored?.updates?.find((update) => update.testKey === demo.tests.declined);
    expect(answered?.gherkin).toMatch(/\[paymentCard-\d+\]/);
    expect(answered?.gherkin).not.toContain(card);
    const proposal = updateOf(generation, demo.tests.declined);
    expect(proposal).toMatchObject({ verdict: 'update', status: 'proposed' });
    expect(proposal.after?.gherkin).toContain(card);
    expect(proposal.after?.gherkin).not.toMatch(/\[paymentCard-\d+\]/);
  });

  it('an unknown test key or a decision that does not fit the verdict is a field error that writes nothing', async () => {
    const generation = await proposeUpdates(world);
    const snapshot = () =>
      JSON.stringify([...world.platform.kvs.data].filter(([key]) => !key.startsWith('xray-usage:')));
    const before = snapshot();
    const unknown = await world.invokeIssue(
      'decideTestUpdates',
      { generationId: generation.id, decisions: [{ testKey: 'DEMO-999', action: 'apply' }] },
      LIVING_DEMO_ISSUE,
    );
    expect(unknown).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fieldErrors: { 'decisions.0': expect.stringContaining('DEMO-999') as unknown },
      },
    });
    const unfit = await world.invokeIssue(
      'decideTestUpdates',
      { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'unlink' }] },
      LIVING_DEMO_ISSUE,
    );
    expect(unfit).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(snapshot()).toBe(before);
  });
});
