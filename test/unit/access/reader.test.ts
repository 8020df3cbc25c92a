/**
 * Stored generation and creation errors, read through the REAL resolvers against the simulators, are
 * worded for whoever reads them (src/access/reader.ts, src/generate/to-dto.ts): a project admin reads
 * what to change, anyone else whom to ask — the project lead named when Jira tells the reader who
 * that is (getProject's `lead`, read as them), and Jira asked only when such an error is shown.
 */
import type { CreationDto, GenerationDto, GenerationPanelDto, SendToSqaiResult } from '../../../src/api';
import { defaultWording } from '../../../src/errors';
import { GenerationStore } from '../../../src/generate/store';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { generateOn } from '../../harness/scenarios/generate';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

const ISSUE = 'DEMO-3';
/** Quinn works on every issue but administers nothing; Priya leads the project (demo-jira.ts). */
const TESTER = PEOPLE.qa.accountId;
const LEAD = PEOPLE.po;

const SQAI_REJECTED = defaultWording('SQAI_REJECTED');
const TESTER_SQAI_REJECTED = `Ask a project admin (the project lead is ${LEAD.displayName}) to check the SQAI endpoint URL in the project’s SQAI settings (it should be the API base).`;
const PLAIN_SQAI_REJECTED =
  'Ask a project admin to check the SQAI endpoint URL in the project’s SQAI settings (it should be the API base).';

describeWithContracts('stored errors name whom to ask', () => {
  let world: World;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
  });

  afterEach(() => expectWorldWithinContracts(world));

  /** Jira project reads (getProject) since `from`, as [actor, path]. */
  const projectReads = (from: number) =>
    world.jira.requests
      .slice(from)
      .filter((request) => request.path.startsWith('/rest/api/3/project/'))
      .map((request) => [request.actor, request.path]);

  /** The generation on ISSUE, stored failed as SQAI's generation answer stores it: the admin's remedy. */
  async function storeFailedGeneration(): Promise<void> {
    const generated = await generateOn(world, ISSUE);
    const store = new GenerationStore(world.platform.kvs);
    const issueId = world.jiraStore.issue(ISSUE)?.id ?? '';
    const { generation } = await store.generationWithProposals(DEMO.project.id, issueId);
    if (!generation) throw new Error('no stored generation');
    expect(generation.id).toBe(generated.id);
    await store.put(DEMO.project.id, issueId, {
      ...generation,
      status: 'failed',
      error: { code: 'SQAI_REJECTED', message: SQAI_REJECTED.message, remedy: SQAI_REJECTED.remedy },
    });
  }

  async function panelAs(as: string) {
    const from = world.jira.requests.length;
    const panel = data(await world.invokeIssue<GenerationPanelDto>('getGenerationPanel', {}, ISSUE, as));
    return { generation: panel.generation, projectReads: projectReads(from) };
  }

  it('a failed generation: the admin reads what to change, a tester whom to ask, by name', async () => {
    await storeFailedGeneration();
    const admin = await panelAs(DEMO.admin);
    const tester = await panelAs(TESTER);
    expect(admin.generation?.error).toMatchObject({ code: 'SQAI_REJECTED', remedy: SQAI_REJECTED.remedy });
    expect(tester.generation?.error).toMatchObject({ code: 'SQAI_REJECTED', remedy: TESTER_SQAI_REJECTED });
    // The same stored message for both; only the remedy is the reader's.
    expect(tester.generation?.error?.message).toBe(admin.generation?.error?.message);
    // The lead is read as the tester, once, and only for the tester.
    expect(admin.projectReads).toEqual([]);
    expect(tester.projectReads).toEqual([['user', `/rest/api/3/project/${DEMO.project.id}`]]);

    // A poll answers the same stored generation, worded the same way.
    const polled = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE, TESTER));
    expect(polled.error?.remedy).toBe(TESTER_SQAI_REJECTED);
  });

  it('creation errors: a test created but not linked tells a tester whom to ask, the admin what to check', async () => {
    const generation = await generateOn(world, ISSUE);
    world.jira.faults.add({ path: /\/rest\/api\/3\/issueLink/, method: 'POST', status: 403, count: 5 });
    const selections = generation.proposals.slice(0, 1).map((proposal) => ({ id: proposal.id }));
    const created = data(
      await world.invokeIssue<CreationDto>('createGeneratedTests', { selections, destination: {} }, ISSUE),
    );
    world.jira.faults.clear();
    const [item] = created.items;
    expect(item).toMatchObject({ status: 'notLinked', key: expect.stringMatching(/^DEMO-\d+$/) as string });
    expect(item?.error?.code).toBe('JIRA_UNAUTHORIZED');
    expect(item?.error?.message).toMatch(new RegExp(`^Could not link ${item?.key ?? ''} to ${ISSUE}: `));
    // The admin asked: their answer is theirs.
    expect(item?.error?.remedy).toBe(defaultWording('JIRA_UNAUTHORIZED').remedy);

    const tester = await panelAs(TESTER);
    expect(tester.generation?.creation?.items[0]?.error?.remedy).toBe(
      `Ask a project admin (the project lead is ${LEAD.displayName}) to check that the project’s permission scheme lets the app and you browse the project.`,
    );
    const admin = await panelAs(DEMO.admin);
    expect(admin.generation?.creation?.items[0]?.error?.remedy).toBe(
      defaultWording('JIRA_UNAUTHORIZED').remedy,
    );
  });

  it('names nobody when Jira names no lead the reader could ask', async () => {
    await storeFailedGeneration();
    const lead = world.jiraStore.users.get(LEAD.accountId);
    if (!lead) throw new Error('no lead');

    // A deactivated lead.
    lead.inactive = true;
    expect((await panelAs(TESTER)).generation?.error?.remedy).toBe(PLAIN_SQAI_REJECTED);
    lead.inactive = false;

    // A lead whose account was deleted (Jira: "Former user").
    lead.deleted = true;
    expect((await panelAs(TESTER)).generation?.error?.remedy).toBe(PLAIN_SQAI_REJECTED);
    lead.deleted = false;

    // Jira does not answer the project read: the panel still opens, with the plain wording.
    world.jira.faults.add({ path: /^\/rest\/api\/3\/project\//, status: 503, count: 10 });
    const unanswered = await panelAs(TESTER);
    world.jira.faults.clear();
    expect(unanswered.generation?.error?.remedy).toBe(PLAIN_SQAI_REJECTED);

    // The project is hidden from the reader: no lead to name.
    world.jira.faults.add({ path: /^\/rest\/api\/3\/project\//, status: 404, count: 10 });
    expect((await panelAs(TESTER)).generation?.error?.remedy).toBe(PLAIN_SQAI_REJECTED);
    world.jira.faults.clear();

    // The reader is the lead: pointing them to themself would help nobody.
    expect((await panelAs(LEAD.accountId)).generation?.error?.remedy).toBe(PLAIN_SQAI_REJECTED);
  });

  it('costs no Jira request when no error sends the reader to an admin', async () => {
    await generateOn(world, ISSUE);
    const tester = await panelAs(TESTER);
    expect(tester.generation?.status).toBe('succeeded');
    expect(tester.projectReads).toEqual([]);
  });

  it('an error thrown to a tester names the lead too', async () => {
    world.sqai.faults.add({ path: '/v1/contexts/', method: 'PUT', status: 401, rate: 1 });
    const answer = await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', TESTER);
    world.sqai.faults.clear();
    expect(failure(answer)).toMatchObject({
      code: 'SQAI_UNAUTHORIZED',
      remedy: `Ask a project admin (the project lead is ${LEAD.displayName}) to save a new SQAI API token in the project’s SQAI settings.`,
    });
  });
});
