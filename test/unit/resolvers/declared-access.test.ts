/**
 * Every resolver in RESOLVERS (src/api.ts) is registered with a declared access rule, and that rule
 * is enforced: called through the real resolver handler by someone who lacks the right it asks for,
 * with a payload it would otherwise accept, it answers the rule's refusal and nothing is written —
 * no stored value, no secret, no queued event.
 */
import { RESOLVERS, type ErrorCode, type GenerationDto, type ResolverName } from '../../../src/api';
import {
  issueViewer,
  issueViewerBesideReads,
  projectAdmin,
  projectAdminOnSite,
  type Access,
} from '../../../src/resolvers/define';
import { allResolvers } from '../../../src/resolvers';
import { criteriaEditor, criteriaReader } from '../../../src/resolvers/criteria';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { generateOn } from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

/** A requirement only some people may see; Priya (who works on every other DEMO issue) may not. */
const RESTRICTED_SUMMARY = 'Fraud scoring thresholds for card payments';
const PRIYA = PEOPLE.po.accountId;

interface Refusal {
  who: string;
  /** Calls resolver `name` as someone lacking the rule's right. */
  call: (world: World, name: ResolverName, payload: unknown) => ReturnType<World['invokeAs']>;
  code: ErrorCode;
}

const notAnAdmin: Refusal = {
  who: 'a plain user of the project (not its admin)',
  call: (world, name, payload) => world.invoke(name, payload, DEMO.user),
  code: 'FORBIDDEN',
};

const cannotSeeIssue: Refusal = {
  who: 'a user who cannot see the issue',
  call: (world, name, payload) => world.invokeIssue(name, payload, restrictedKey(world), PRIYA),
  code: 'ISSUE_NOT_FOUND',
};

/** Each access rule a resolver may declare, and how someone without its right is refused. */
const REFUSALS = new Map<Access<unknown>, Refusal>([
  [projectAdmin, notAnAdmin],
  [projectAdminOnSite, notAnAdmin],
  [issueViewer, cannotSeeIssue],
  [issueViewerBesideReads, cannotSeeIssue],
  [criteriaReader, cannotSeeIssue],
  [criteriaEditor, cannotSeeIssue],
]);

function restrictedKey(world: World): string {
  const issue = [...world.jiraStore.issues.values()].find((each) => each.summary === RESTRICTED_SUMMARY);
  if (!issue) throw new Error('the demo has no restricted requirement');
  return issue.key;
}

/** A payload each resolver accepts, so that only its access rule can refuse the call. */
function payloadFor(name: ResolverName, generation: GenerationDto): unknown {
  const payloads: Record<ResolverName, unknown> = {
    getSettings: {},
    saveSettings: demoSettings('enterprise'),
    testConnection: {},
    disconnect: {},
    getIssuePanel: {},
    previewContext: {},
    sendToSqai: { force: true },
    getGenerationPanel: {},
    startGeneration: { testTypes: ['Manual'], maxTests: 3, replace: true },
    pollGeneration: {},
    createGeneratedTests: {
      selections: generation.proposals.slice(0, 2).map((proposal) => ({ id: proposal.id })),
      destination: {},
    },
    continueCreation: {},
    saveReviewEdits: {
      generationId: generation.id,
      selected: {},
      titles: {},
      destination: {
        testSet: { mode: 'none', key: '', summary: '', keyTyped: false },
        testExecution: { mode: 'none', key: '', summary: '', keyTyped: false },
        testPlan: { mode: 'none', key: '', keyTyped: false },
        folder: '',
      },
    },
    getDeliverySettings: {},
    rotateDeliverySecret: {},
    getSyncStatus: {},
    startBackfill: {},
    getCriteria: { testExecutionKey: 'DEMO-87' },
    changeCriterionMapping: { action: 'map', testKey: 'DEMO-2', criterionId: 'ac-0123abcd' },
    suggestCriterionMappings: {},
    getProjectCriteria: { limit: 10 },
    proposeTestUpdates: {},
    decideTestUpdates: { generationId: generation.id, decisions: [] },
    markTestsReviewed: { testKeys: ['DEMO-2'] },
    getAuditTrail: { limit: 10, issueKey: 'DEMO-1' },
    exportAuditTrail: { format: 'csv' },
    checkRedactionPattern: { pattern: 'CUST-[0-9]{6}', sample: 'Customer CUST-123456 called.' },
  };
  return payloads[name];
}

function writesOf(world: World): string {
  return JSON.stringify([
    [...world.platform.kvs.data.entries()],
    [...world.platform.secrets.data.entries()],
    world.platform.queue.waiting,
  ]);
}

const NAMES = Object.values(RESOLVERS);

describe('declared access', () => {
  it('every resolver in RESOLVERS is registered under its name, with a known access rule', () => {
    expect(Object.keys(allResolvers).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      expect([name, REFUSALS.has(allResolvers[name].access)]).toEqual([name, true]);
    }
  });
});

describeWithContracts('declared access, enforced', () => {
  let world: World;
  let generation: GenerationDto;

  beforeEach(async () => {
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill
    // Something stored to refuse access to: the restricted issue's generation, with proposals.
    generation = await generateOn(world, restrictedKey(world), { as: DEMO.admin, maxTests: 5 });
    expect(generation.proposals.length).toBeGreaterThan(0);
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it.each(NAMES)('%s refuses a caller without the right its access rule asks for', async (name) => {
    const refusal = REFUSALS.get(allResolvers[name].access);
    if (!refusal) throw new Error(`${name} declares an access rule this test does not know`);
    const before = writesOf(world);
    const answer = await refusal.call(world, name, payloadFor(name, generation));
    expect([name, refusal.who, answer.ok ? 'answered' : answer.error.code]).toEqual([
      name,
      refusal.who,
      refusal.code,
    ]);
    expect(writesOf(world)).toBe(before);
  });
});
