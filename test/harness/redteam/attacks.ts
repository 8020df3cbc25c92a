/**
 * `npm run redteam`: issue 13's findings, replayed against the local playground through the app's
 * own entry points — the resolvers as the browser calls them (`POST /__invoke`, the context Forge
 * would build) and the delivery web trigger over HTTP — as the people who found them acted: Uma
 * (browse only), Priya (creates in DEMO, cannot see OTHER), the site admin, an anonymous caller and
 * a hostile SQAI. Each attack answers `blocked` or `got through`, with the evidence.
 *
 * The simulators' state is set up directly (another team's private Test Set, a hostile SQAI
 * answer), as an attacker with access to those systems would; everything the app does is reached
 * only through the playground.
 */
import type {
  ContextPreviewDto,
  CreationDto,
  GenerationDto,
  GenerationPanelDto,
  ResolverResult,
} from '../../../src/api';
import { data, demoSettings } from '../demo-settings';
import { PEOPLE } from '../fixtures/demo-requirements';
import { worstCaseInput } from '../fixtures/duplicate-check-worst-case';
import { generatedTestsOf, otherTeamContainers } from '../scenarios/generate';
import { startLocalPlayground, type LocalPlayground } from '../playground/playground';
import { deliveryBody, deliveryHeaders } from '../sqai-sim/deliveries';
import { DEMO, type World } from '../world';

export interface Outcome {
  blocked: boolean;
  evidence: string;
}

export interface Attack {
  item: number;
  title: string;
  as: string;
  run(target: Target): Promise<Outcome>;
}

const UMA = PEOPLE.user.accountId;
const PRIYA = PEOPLE.po.accountId;
const ADMIN = DEMO.admin;
/** Forge's limits on one resolver answer and the context document's documented cap. */
const RESOLVER_ANSWER_BYTES = 500 * 1024;
const DOCUMENT_BYTES = 256 * 1024;
const RESOLVER_SECONDS = 25;

/** One playground, as an attacker reaches it. */
export class Target {
  constructor(private readonly playground: LocalPlayground) {}

  get url(): string {
    return this.playground.url;
  }

  get world(): World {
    return this.playground.world();
  }

  /** A resolver call from a page of the playground's mini Jira, with the context Forge builds. */
  async invoke<T>(
    functionKey: string,
    payload: unknown,
    as: string,
    where: { issueKey: string; projectKey?: string } | { projectKey: string },
  ): Promise<ResolverResult<T>> {
    const issue = 'issueKey' in where ? this.world.jiraStore.issue(where.issueKey) : undefined;
    const project = this.world.jiraStore.project(
      where.projectKey ?? (issue ? (this.world.jiraStore.projects.get(issue.projectId)?.key ?? '') : ''),
    );
    const response = await fetch(`${this.url}/__invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        functionKey,
        payload,
        context: {
          accountId: as,
          cloudId: DEMO.cloudId,
          moduleKey: issue ? 'sqai-issue-panel' : 'sqai-settings',
          siteUrl: DEMO.siteUrl,
          ...(project ? { projectId: project.id, projectKey: project.key } : {}),
          ...(issue ? { issueId: issue.id, issueKey: issue.key } : {}),
        },
      }),
    });
    return (await response.json()) as ResolverResult<T>;
  }

  /** Connects DEMO as its admin (what the settings page does). */
  async connect(): Promise<void> {
    data(await this.invoke('saveSettings', demoSettings('enterprise'), ADMIN, { projectKey: 'DEMO' }));
  }

  /** Starts a generation on `issueKey` and polls until SQAI answers; `tests` replaces SQAI's answer. */
  async generate(
    issueKey: string,
    as: string,
    tests?: unknown[],
    maxTests = 10,
  ): Promise<{ generation: GenerationDto; lastPollMs: number }> {
    let generation = data(
      await this.invoke<GenerationDto>(
        'startGeneration',
        { testTypes: ['Manual', 'Cucumber', 'Generic'], maxTests },
        as,
        { issueKey },
      ),
    );
    const remote = this.world.sqai.generations.get(generation.id);
    if (tests && remote) remote.tests = tests as typeof remote.tests;
    let lastPollMs = 0;
    for (
      let poll = 0;
      poll < 10 && generation.status !== 'succeeded' && generation.status !== 'failed';
      poll += 1
    ) {
      const started = performance.now();
      generation = data(await this.invoke<GenerationDto>('pollGeneration', {}, as, { issueKey }));
      lastPollMs = performance.now() - started;
    }
    return { generation, lastPollMs };
  }
}

const distinctTests = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `rt-${i}`,
    title: `Red team check ${i}: discount code variant ${'abcdefghijklmnopqrstuvwxyz'[i % 26] ?? ''}${i}`,
    testType: 'Manual',
    steps: [{ action: `Apply variant ${i} of the code`, result: `Variant ${i} is handled` }],
  }));

const answerOf = (result: ResolverResult<unknown>) => (result.ok ? 'answered' : result.error.code);

export const ATTACKS: Attack[] = [
  {
    item: 0,
    title: 'a reload during creation creates everything twice',
    as: 'Alex (project admin)',
    async run(target) {
      await target.connect();
      const { generation } = await target.generate('DEMO-1', ADMIN);
      const selections = generation.proposals.slice(0, 5).map((proposal) => ({ id: proposal.id }));
      const payload = { selections, destination: { testSet: { mode: 'new', summary: 'Reloaded set' } } };
      // The panel's Create, then the reloaded panel's Create and its Continue, all at once.
      await Promise.all([
        target.invoke('createGeneratedTests', payload, ADMIN, { issueKey: 'DEMO-1' }),
        target.invoke('createGeneratedTests', payload, ADMIN, { issueKey: 'DEMO-1' }),
        target.invoke('continueCreation', {}, ADMIN, { issueKey: 'DEMO-1' }),
      ]);
      await target.invoke('continueCreation', {}, ADMIN, { issueKey: 'DEMO-1' });
      const tests = generatedTestsOf(target.world).length;
      const sets = [...target.world.jiraStore.issues.values()].filter(
        (issue) => issue.summary === 'Reloaded set',
      );
      return {
        blocked: tests === selections.length && sets.length === 1,
        evidence: `${tests} tests for ${selections.length} selected, ${sets.length} Test Set(s)`,
      };
    },
  },
  {
    item: 1,
    title:
      'adding tests to another project’s Test Set and Execution the user cannot see (25 tests, via the queue)',
    as: 'Priya (creates in DEMO, cannot see OTHER)',
    async run(target) {
      await target.connect();
      const { set, execution } = otherTeamContainers(target.world);
      const { generation } = await target.generate('DEMO-2', PRIYA, distinctTests(25), 25);
      const answer = await target.invoke<CreationDto>(
        'createGeneratedTests',
        {
          selections: generation.proposals.map((proposal) => ({ id: proposal.id })),
          destination: {
            testSet: { mode: 'existing', key: set.key },
            testExecution: { mode: 'existing', key: execution.key },
          },
        },
        PRIYA,
        { issueKey: 'DEMO-2' },
      );
      await target.world.platform.queue.drain();
      const inSet = target.world.xrayStore.testSets.get(set.id)?.testIds.length ?? 0;
      const inExecution = target.world.xrayStore.testExecutions.get(execution.id)?.testIds.length ?? 0;
      return {
        blocked: !answer.ok && inSet === 0 && inExecution === 0,
        evidence: `answer ${answerOf(answer)}; ${set.key} holds ${inSet} tests, ${execution.key} ${inExecution}`,
      };
    },
  },
  {
    item: 2,
    title: 'creating tests without Jira’s Create Issues permission',
    as: 'Uma (browse only)',
    async run(target) {
      await target.connect();
      const { generation } = await target.generate('DEMO-1', UMA);
      const answer = await target.invoke<CreationDto>(
        'createGeneratedTests',
        {
          selections: generation.proposals.slice(0, 3).map((proposal) => ({ id: proposal.id })),
          destination: {},
        },
        UMA,
        { issueKey: 'DEMO-1' },
      );
      await target.world.platform.queue.drain();
      const tests = generatedTestsOf(target.world).length;
      return {
        blocked: !answer.ok && tests === 0,
        evidence: `answer ${answerOf(answer)}; ${tests} tests created`,
      };
    },
  },
  {
    item: 3,
    title: 'reading another user’s proposals on an issue-security-restricted issue',
    as: 'Priya (cannot see the restricted DEMO-18)',
    async run(target) {
      await target.connect();
      const restricted = [...target.world.jiraStore.issues.values()].find(
        (issue) => issue.restrictedTo !== undefined,
      );
      if (!restricted) return { blocked: false, evidence: 'the demo has no restricted issue' };
      const { generation } = await target.generate(restricted.key, ADMIN);
      const leaks: string[] = [];
      for (const resolver of ['pollGeneration', 'getGenerationPanel', 'getIssuePanel', 'previewContext']) {
        const answer = await target.invoke(resolver, {}, PRIYA, { issueKey: restricted.key });
        const text = JSON.stringify(answer);
        if (answer.ok || generation.proposals.some((proposal) => text.includes(proposal.title)))
          leaks.push(`${resolver}: ${answerOf(answer)}`);
      }
      return {
        blocked: leaks.length === 0,
        evidence:
          leaks.length === 0
            ? `4 resolvers on ${restricted.key}: ISSUE_NOT_FOUND, no titles`
            : leaks.join('; '),
      };
    },
  },
  {
    item: 4,
    title:
      'names of another team’s Test Set and Execution in the preview, the destination list and SQAI’s copy',
    as: 'Uma (browse only)',
    async run(target) {
      await target.connect();
      const { set, execution } = otherTeamContainers(target.world);
      const requirement = target.world.jiraStore.issue('DEMO-2');
      const test = target.world.xrayStore.coveringTestIds(requirement?.id ?? '')[0] ?? '';
      target.world.xrayStore.addTestsToTestSet(set.id, [test]);
      target.world.xrayStore.addTestsToTestExecution(execution.id, [test]);
      const preview = await target.invoke<ContextPreviewDto>('previewContext', {}, UMA, {
        issueKey: 'DEMO-2',
      });
      const panel = await target.invoke<GenerationPanelDto>('getGenerationPanel', {}, UMA, {
        issueKey: 'DEMO-2',
      });
      await target.invoke('sendToSqai', { force: true }, UMA, { issueKey: 'DEMO-2' });
      const sqaiCopy = target.world.sqai.contexts.get(`${DEMO.cloudId}/${requirement?.id ?? ''}`);
      const places = { preview, panel, sqai: sqaiCopy ?? null };
      const seen = Object.entries(places).filter(([, value]) =>
        ['OTHER private set', 'OTHER private exec', set.key, execution.key].some((name) =>
          JSON.stringify(value).includes(name),
        ),
      );
      return {
        blocked: preview.ok && panel.ok && sqaiCopy !== undefined && seen.length === 0,
        evidence:
          seen.length === 0
            ? 'no OTHER names in the preview, the panel or SQAI’s copy'
            : `seen in ${seen.map(([where]) => where).join(', ')}`,
      };
    },
  },
  {
    item: 5,
    title: 'telling configured projects from others through the delivery web trigger',
    as: 'an anonymous caller',
    async run(target) {
      await target.connect();
      const rotated = data(
        await target.invoke<{ url: string }>('rotateDeliverySecret', {}, ADMIN, { projectKey: 'DEMO' }),
      );
      const body = deliveryBody('generation.succeeded', { id: 'g', status: 'succeeded' });
      const signed = deliveryHeaders('whsec_YS1ndWVzcy1ieS1hbi1hdHRhY2tlcg==', {
        id: 'msg_probe0001',
        body,
        unixSeconds: Math.floor(Date.now() / 1000),
      });
      const probe = async (projectId: string) => {
        const url = new URL(rotated.url);
        url.searchParams.set('project', projectId);
        const response = await fetch(`${target.url}${url.pathname}${url.search}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signed },
          body,
        });
        return `${response.status} ${await response.text()}`;
      };
      const configured = await probe(DEMO.project.id);
      const unknown = await probe(DEMO.otherProject.id);
      return { blocked: configured === unknown, evidence: `DEMO: ${configured} · OTHER: ${unknown}` };
    },
  },
  {
    item: 6,
    title: 'a context document and preview past their size limits (1,900 web links of 255 characters)',
    as: 'Alex (project admin)',
    async run(target) {
      await target.connect();
      const requirement = target.world.jiraStore.issue('DEMO-2');
      for (let n = 0; n < 1_900; n += 1) {
        target.world.jiraStore.addRemoteLink(requirement?.id ?? '', {
          object: { url: `https://wiki.example.com/page/${n}`, title: `${n} ${'w'.repeat(250)}` },
        });
      }
      const preview = await target.invoke<ContextPreviewDto>('previewContext', {}, ADMIN, {
        issueKey: 'DEMO-2',
      });
      if (!preview.ok) return { blocked: false, evidence: `preview failed: ${preview.error.code}` };
      const answerBytes = Buffer.byteLength(JSON.stringify(preview));
      const tests = JSON.stringify(preview.data.document).includes('"tests":[{');
      return {
        blocked: preview.data.sizeBytes <= DOCUMENT_BYTES && answerBytes <= RESOLVER_ANSWER_BYTES && tests,
        evidence: `document ${Math.round(preview.data.sizeBytes / 1024)} KiB, answer ${Math.round(answerBytes / 1024)} KiB, tests ${tests ? 'kept' : 'dropped'}`,
      };
    },
  },
  {
    item: 7,
    title: 'a generation at SQAI’s limits against 700 known tests outlasting the resolver',
    as: 'a hostile SQAI',
    async run(target) {
      await target.connect();
      const worst = worstCaseInput();
      const requirement = target.world.jiraStore.issue('DEMO-3');
      for (const known of worst.known) {
        target.world.xrayStore.createTest({
          projectIdOrKey: 'DEMO',
          summary: known.summary,
          testType: 'Manual',
          steps: [0, 1, 2, 3].map((part) => ({
            action: known.text.slice(part * 1_000, (part + 1) * 1_000) || 'x',
          })),
          coversIssueIds: [requirement?.id ?? ''],
        });
      }
      const { generation, lastPollMs } = await target.generate('DEMO-3', ADMIN, worst.tests, 20);
      return {
        blocked: generation.status === 'succeeded' && lastPollMs < RESOLVER_SECONDS * 1000,
        evidence: `the reviewing poll answered in ${(lastPollMs / 1000).toFixed(1)} s (Forge allows ${RESOLVER_SECONDS} s)`,
      };
    },
  },
  {
    item: 8,
    title: 'one user starting 15 generations of 50 tests in a burst, replacing others’ proposals',
    as: 'Priya',
    async run(target) {
      await target.connect();
      const quinns = await target.generate('DEMO-3', PEOPLE.qa.accountId);
      let accepted = 0;
      for (let round = 0; round < 3; round += 1) {
        for (const issueKey of ['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5']) {
          const answer = await target.invoke(
            'startGeneration',
            { testTypes: ['Manual'], maxTests: 50 },
            PRIYA,
            { issueKey },
          );
          if (answer.ok) accepted += 1;
        }
      }
      const panel = data(
        await target.invoke<GenerationPanelDto>('getGenerationPanel', {}, PEOPLE.qa.accountId, {
          issueKey: 'DEMO-3',
        }),
      );
      const kept = panel.generation?.id === quinns.generation.id;
      return {
        blocked: accepted <= 3 && kept,
        evidence: `${accepted} of 15 started; Quinn's proposals on DEMO-3 ${kept ? 'kept' : 'replaced'}`,
      };
    },
  },
  {
    item: 9,
    title: 'an SQAI 307 to another host receiving the document',
    as: 'a hostile SQAI',
    async run(target) {
      await target.connect();
      const elsewhere = 'https://sqai.example.com';
      target.world.platform.egress.approve('sqai.example.com');
      target.world.sqai.faults.add({
        path: /\/v1\/contexts/,
        status: 307,
        headers: { location: `${elsewhere}/v1/contexts/collect` },
        count: 10,
      });
      const answer = await target.invoke('sendToSqai', { force: true }, ADMIN, { issueKey: 'DEMO-1' });
      const reached = target.world.platform.fetched.filter(({ url }) => url.startsWith(elsewhere)).length;
      return {
        blocked: reached === 0,
        evidence: `answer ${answerOf(answer)}; ${reached} requests reached ${elsewhere}`,
      };
    },
  },
  {
    item: 10,
    title: 'an SQAI endpoint that defeats the host checks (trailing dot, port 22)',
    as: 'Alex (project admin)',
    async run(target) {
      const accepted: string[] = [];
      for (const endpoint of [
        'https://localhost.',
        'https://metadata.google.internal.',
        'https://api.sqai-suite.com:22',
      ]) {
        const settings = demoSettings('enterprise');
        const answer = await target.invoke(
          'saveSettings',
          { ...settings, sqai: { ...settings.sqai, endpoint } },
          ADMIN,
          { projectKey: 'DEMO' },
        );
        if (answer.ok) accepted.push(endpoint);
      }
      return {
        blocked: accepted.length === 0,
        evidence: accepted.length === 0 ? '3 endpoints refused' : `accepted ${accepted.join(', ')}`,
      };
    },
  },
  {
    item: 11,
    title: 'the SQAI token, base64-encoded, reversed or spaced out, in a failure message',
    as: 'a hostile SQAI',
    async run(target) {
      await target.connect();
      const token: string = DEMO.sqaiToken;
      const disguises = [
        Buffer.from(token).toString('base64'),
        [...token].reverse().join(''),
        [...token].join(' '),
      ];
      const started = data(
        await target.invoke<GenerationDto>('startGeneration', { testTypes: ['Manual'], maxTests: 3 }, ADMIN, {
          issueKey: 'DEMO-1',
        }),
      );
      const remote = target.world.sqai.generations.get(started.id);
      if (remote) {
        remote.status = 'failed';
        remote.error = `upstream refused: ${disguises.join(' | ')}`;
      }
      const answer = await target.invoke('pollGeneration', {}, ADMIN, { issueKey: 'DEMO-1' });
      const text = JSON.stringify(answer);
      const leaked = disguises.filter((disguise) => text.includes(disguise));
      return {
        blocked: leaked.length === 0,
        evidence: `${leaked.length} of ${disguises.length} disguises reached the user`,
      };
    },
  },
  {
    item: 12,
    title: 'javascript: links sent to SQAI, and any /wiki/ URL marked Confluence',
    as: 'Alex (project admin)',
    async run(target) {
      await target.connect();
      const requirement = target.world.jiraStore.issue('DEMO-1');
      target.world.jiraStore.addRemoteLink(requirement?.id ?? '', {
        object: { url: 'javascript:alert(document.cookie)', title: 'Click me' },
      });
      target.world.jiraStore.addRemoteLink(requirement?.id ?? '', {
        object: { url: 'https://evil.example/wiki/spaces/X/pages/1', title: 'Not our Confluence' },
      });
      const preview = await target.invoke<ContextPreviewDto>('previewContext', {}, ADMIN, {
        issueKey: 'DEMO-1',
      });
      const document = JSON.stringify(preview.ok ? preview.data.document : null);
      const javascript = document.includes('javascript:');
      const evil = /"url":"https:\/\/evil\.example\/wiki[^"]*"[^}]*"isConfluence":true/.test(document);
      return {
        blocked: preview.ok && !javascript && !evil,
        evidence: `javascript: link ${javascript ? 'sent' : 'dropped'}; evil.example/wiki ${evil ? 'marked' : 'not marked'} Confluence`,
      };
    },
  },
  {
    item: 13,
    title: 'another project’s issue synced under this project',
    as: 'Alex (site admin, sees OTHER)',
    async run(target) {
      await target.connect();
      const other = target.world.jiraStore.issuesOfProject(DEMO.otherProject.id)[0];
      if (!other) return { blocked: false, evidence: 'OTHER has no issue' };
      const answer = await target.invoke('sendToSqai', { force: true }, ADMIN, {
        issueKey: other.key,
        projectKey: 'DEMO',
      });
      const received = target.world.sqai.contexts.has(`${DEMO.cloudId}/${other.id}`);
      return {
        blocked: !answer.ok && !received,
        evidence: `answer ${answerOf(answer)}; SQAI ${received ? 'received' : 'did not receive'} ${other.key}`,
      };
    },
  },
];

export interface RedTeamResult {
  attack: Attack;
  outcome: Outcome;
  ms: number;
}

/** Runs each attack on a fresh playground (its own port, its own demo site). */
export async function runRedTeam(attacks: Attack[] = ATTACKS): Promise<RedTeamResult[]> {
  const results: RedTeamResult[] = [];
  for (const attack of attacks) {
    const playground = await startLocalPlayground({ port: 0 });
    const started = performance.now();
    try {
      const outcome = await attack.run(new Target(playground)).catch((error: unknown): Outcome => ({
        blocked: false,
        evidence: `the attack could not run: ${error instanceof Error ? error.message : String(error)}`,
      }));
      results.push({ attack, outcome, ms: performance.now() - started });
    } finally {
      await playground.close();
    }
  }
  return results;
}
