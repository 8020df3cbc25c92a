/**
 * The panel's "Send to SQAI" in round trips (issues 4 and 20): how many requests one send makes to
 * Jira, Xray, Confluence and SQAI, and how many of them it waits for one after the other (the
 * dependency chain that sets its wall time under latency: bench/panel-sync.ts measures the times).
 *
 * The chain is found without timing: every upstream request is held at the platform's transport
 * until the app has nothing left to start (the event loop stays idle), then the held requests are
 * answered together — one "wave". A request that could start only after another answered lands in a
 * later wave, so the number of waves is the number of sequential round trips, whatever the machine's
 * speed.
 */
import type { SendToSqaiResult } from '../../../src/api';
import type { HttpRequestInit, HttpResponse, JiraActor } from '../../../src/platform/ports';
import { PEOPLE } from '../../harness/fixtures/demo-requirements';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';
import { syncStateKey, syncStateSchema } from '../../../src/sync/state';
import { expectWorldWithinContracts } from '../../harness/world-checks';

type Service = 'jira' | 'confluence' | 'xray' | 'sqai';

interface Held {
  service: Service;
  what: string;
  wave: number;
}

/** Turns of the event loop with no new request before a wave is answered. */
const QUIET_TURNS = 25;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Holds every upstream request of `world` until the app is idle, then answers them as one wave. */
function inWaves(world: World): { requests: Held[]; reset(): void } {
  const requests: Held[] = [];
  let waiting: (() => void)[] = [];
  let wave = 1;
  let arrivals = 0;
  let watching = false;

  const watch = async () => {
    watching = true;
    let quiet = 0;
    let seen = arrivals;
    while (quiet < QUIET_TURNS) {
      await turn();
      if (arrivals === seen) quiet += 1;
      else [quiet, seen] = [0, arrivals];
    }
    const release = waiting;
    waiting = [];
    wave += 1;
    watching = false;
    for (const answer of release) answer();
  };

  const held = async <T>(service: Service, what: string, call: () => Promise<T>): Promise<T> => {
    requests.push({ service, what, wave });
    arrivals += 1;
    const released = new Promise<void>((resolve) => waiting.push(resolve));
    if (!watching) void watch();
    await released;
    return call();
  };

  const platform = world.platform;
  const jira = platform.jira.request.bind(platform.jira);
  const confluence = platform.confluence.request.bind(platform.confluence);
  const fetch = platform.http.fetch.bind(platform.http);
  const pathOf = (target: string) => target.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? target;
  platform.jira.request = (path: string, init: HttpRequestInit, options: { as: JiraActor }) =>
    held('jira', `${init.method ?? 'GET'} ${pathOf(path)}`, () => jira(path, init, options));
  platform.confluence.request = (path: string, init: HttpRequestInit, options: { as: JiraActor }) =>
    held('confluence', `${init.method ?? 'GET'} ${pathOf(path)}`, () => confluence(path, init, options));
  platform.http.fetch = (url: string, init: HttpRequestInit): Promise<HttpResponse> =>
    held(
      new URL(url).hostname.includes('xray') ? 'xray' : 'sqai',
      `${init.method ?? 'GET'} ${pathOf(url)}`,
      () => fetch(url, init),
    );
  return {
    requests,
    reset() {
      requests.length = 0;
      wave = 1;
    },
  };
}

/** The requests of each wave, in a stable order. */
const wavesOf = (requests: readonly Held[]): string[][] => {
  const waves: string[][] = [];
  for (const request of requests) (waves[request.wave - 1] ??= []).push(`${request.service} ${request.what}`);
  return waves.map((each) => [...each].sort());
};

const countsOf = (requests: readonly Held[]) => {
  const count = (service: Service) => requests.filter((request) => request.service === service).length;
  return { jira: count('jira'), xray: count('xray'), confluence: count('confluence'), sqai: count('sqai') };
};

describeWithContracts('panel "Send to SQAI": round trips and their chain', () => {
  let world: World;
  let waves: ReturnType<typeof inWaves>;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    waves = inWaves(world);
  });

  afterEach(() => expectWorldWithinContracts(world));

  /** A forced send of `issueKey` after the panel opened and a first send (the Xray token is cached). */
  async function resend(issueKey: string): Promise<Held[]> {
    data(await world.invokeIssue('getIssuePanel', {}, issueKey));
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, issueKey));
    waves.reset();
    const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, issueKey));
    expect(sent.outcome).toBe('pushed');
    return [...waves.requests];
  }

  it('a requirement without linked pages: 4 Jira, 1 Xray, 1 SQAI request in 2 sequential round trips', async () => {
    const requests = await resend('DEMO-3');
    expect(countsOf(requests)).toEqual({ jira: 4, xray: 1, confluence: 0, sqai: 1 });
    // The access check, the issue, its web links, Xray and which of the issues Xray named at the last
    // send the caller may see, all at once; then the push.
    expect(wavesOf(requests)).toEqual([
      [
        'jira GET /rest/api/3/issue/10103',
        'jira GET /rest/api/3/issue/10103/remotelink',
        'jira GET /rest/api/3/mypermissions',
        'jira POST /rest/api/3/issue/bulkfetch',
        'xray POST /api/v2/graphql',
      ],
      ['sqai PUT /v1/contexts/demo-cloud-id/10103'],
    ]);
  });

  it("the first send (nothing guessed yet) asks which of Xray's issues the caller sees once Xray named them: the push in the 3rd round trip", async () => {
    data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-3'));
    waves.reset();
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-3'));
    expect(wavesOf(waves.requests)).toEqual([
      [
        'jira GET /rest/api/3/issue/10103',
        'jira GET /rest/api/3/issue/10103/remotelink',
        'jira GET /rest/api/3/mypermissions',
        'xray POST /api/v2/graphql',
      ],
      ['jira POST /rest/api/3/issue/bulkfetch'],
      // Its content is new: the criterion state is kept beside the push (Test Plan results, then the property).
      ['sqai PUT /v1/contexts/demo-cloud-id/10103', 'xray POST /api/v2/graphql'],
      ['jira PUT /rest/api/3/issue/10103/properties/sqaiCriteria'],
    ]);
  });

  it('a requirement with two linked Confluence pages: the pages once the links answered, then the push (3 round trips)', async () => {
    const requests = await resend('DEMO-1');
    expect(countsOf(requests)).toEqual({ jira: 4, xray: 1, confluence: 2, sqai: 1 });
    expect(wavesOf(requests)).toEqual([
      [
        'jira GET /rest/api/3/issue/10101',
        'jira GET /rest/api/3/issue/10101/remotelink',
        'jira GET /rest/api/3/mypermissions',
        'jira POST /rest/api/3/issue/bulkfetch',
        'xray POST /api/v2/graphql',
      ],
      ['confluence GET /wiki/api/v2/pages/98305', 'confluence GET /wiki/api/v2/pages/98330'],
      ['sqai PUT /v1/contexts/demo-cloud-id/10101'],
    ]);
  });

  it('an unchanged re-send reads the same and pushes nothing', async () => {
    await resend('DEMO-1');
    waves.reset();
    const again = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
    expect(again.outcome).toBe('unchanged');
    expect(countsOf(waves.requests)).toEqual({ jira: 4, xray: 1, confluence: 2, sqai: 0 });
    expect(wavesOf(waves.requests)).toHaveLength(2);
  });
});

/**
 * The caller's access check runs beside the send's first reads (src/sync/send-to-sqai.ts
 * `readingUntil`): a refused caller still gets nothing written or sent.
 */
describeWithContracts('panel "Send to SQAI": the access check beside the reads', () => {
  let world: World;
  let waves: ReturnType<typeof inWaves>;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    waves = inWaves(world);
  });

  afterEach(() => expectWorldWithinContracts(world));

  it('a caller who cannot see the issue: ISSUE_NOT_FOUND, nothing written, nothing sent', async () => {
    const restricted = [...world.jiraStore.issues.values()].find(
      (issue) => issue.summary === 'Fraud scoring thresholds for card payments',
    );
    if (!restricted) throw new Error('the demo has no restricted requirement');
    // Something stored already for the issue (a send by someone who may see it).
    data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, restricted.key));
    const writes = () =>
      JSON.stringify([
        [...world.platform.kvs.data.entries()],
        [...world.platform.secrets.data.entries()],
        world.platform.queue.waiting,
      ]);
    const before = writes();
    const sqaiBefore = world.sqai.log.entries.length;
    waves.reset();
    // The access check runs beside the send's reads (src/resolvers/define.ts `issueViewerBesideReads`):
    // its refusal wins, before the payload is judged (as when the check ran first).
    const viaResolver = await world.invokeIssue(
      'sendToSqai',
      { force: 'yes' },
      restricted.key,
      PEOPLE.po.accountId,
    );
    expect(failure(viaResolver).code).toBe('ISSUE_NOT_FOUND');
    const viaResolverValid = await world.invokeIssue(
      'sendToSqai',
      { force: true },
      restricted.key,
      PEOPLE.po.accountId,
    );
    expect(failure(viaResolverValid).code).toBe('ISSUE_NOT_FOUND');
    expect(writes()).toBe(before);
    expect(world.sqai.log.entries.length).toBe(sqaiBefore);
    // Only reads went out while the check was running (Jira's answer hides the issue from them too).
    expect(
      waves.requests.every((request) =>
        /^(GET|POST \/api\/v2\/graphql|POST \/rest\/api\/3\/issue\/bulkfetch)/.test(`${request.what}`),
      ),
    ).toBe(true);
  });
});

/**
 * The visibility read guessed ahead (src/context/gather.ts `visibilityGuess`): the ids Xray named at
 * the last send are asked of Jira as the caller beside the Xray read; any other id Xray names is
 * asked once Xray answered — every id the document uses is checked live, as the caller.
 */
describeWithContracts('panel "Send to SQAI": the visibility read guessed from the last send', () => {
  let world: World;
  let waves: ReturnType<typeof inWaves>;
  const PRIYA = PEOPLE.po.accountId;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    waves = inWaves(world);
  });

  afterEach(() => expectWorldWithinContracts(world));

  const requirementId = (key: string) => {
    const id = world.jiraStore.issue(key)?.id;
    if (!id) throw new Error(`no ${key}`);
    return id;
  };
  const sentDocument = (key: string) =>
    JSON.stringify(world.sqai.contexts.get(`${DEMO.cloudId}/${requirementId(key)}`)?.document);
  const stateOf = (key: string) =>
    syncStateSchema.parse(world.platform.kvs.data.get(syncStateKey(DEMO.project.id, requirementId(key))));
  const send = async (key: string, as?: string, force = true) => {
    waves.reset();
    const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force }, key, as));
    return { sent, waves: wavesOf(waves.requests) };
  };
  const coveringTest = (projectIdOrKey: string, summary: string, key: string) =>
    world.xrayStore.createTest({
      projectIdOrKey,
      summary,
      testType: 'Manual',
      steps: [{ action: `${summary}: act`, result: 'Done' }],
      coversIssueIds: [requirementId(key)],
    });

  it('tests newly covering the requirement since the last send are checked once Xray named them; one the caller cannot see stays out, guessed or not', async () => {
    data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-3'));
    await send('DEMO-3');
    const before = stateOf('DEMO-3').namedIssueIds ?? [];
    expect(before.length).toBeGreaterThan(0);
    const visible = coveringTest('DEMO', 'Refund to an expired card', 'DEMO-3');
    const hidden = coveringTest('OTHER', 'Confidential partner refund override', 'DEMO-3');
    // Another team's set holding the visible test (the document lists a test's sets: only Jira hides this one).
    const hiddenSet = world.xrayStore.createTestSet({
      projectIdOrKey: 'OTHER',
      summary: 'OTHER private set',
    });
    world.xrayStore.addTestsToTestSet(hiddenSet.id, [visible.id]);
    const secrets = [hidden.key, 'Confidential partner', hiddenSet.key, 'OTHER private set'];

    // Priya may see DEMO-3 but not OTHER: the new ids were not guessed, so one more read asks about them.
    const changed = await send('DEMO-3', PRIYA);
    expect(changed.waves).toEqual([
      [
        'jira GET /rest/api/3/issue/10103',
        'jira GET /rest/api/3/issue/10103/remotelink',
        'jira GET /rest/api/3/mypermissions',
        'jira POST /rest/api/3/issue/bulkfetch',
        'xray POST /api/v2/graphql',
      ],
      ['jira POST /rest/api/3/issue/bulkfetch'],
      // New content: the covering tests' Test Plan results are read beside the push.
      ['sqai PUT /v1/contexts/demo-cloud-id/10103', 'xray POST /api/v2/graphql'],
    ]);
    expect(sentDocument('DEMO-3')).toContain(visible.key);
    for (const secret of secrets) expect(sentDocument('DEMO-3')).not.toContain(secret);
    // Kept for the next send, the hidden ones too (as ids only: each is checked again, as that caller).
    expect(stateOf('DEMO-3').namedIssueIds).toEqual(
      expect.arrayContaining([...before, visible.id, hidden.id, hiddenSet.id]),
    );

    // Now guessed: 2 round trips; someone who sees OTHER gets the hidden test, Priya still does not.
    const admin = await send('DEMO-3');
    expect(admin.waves).toHaveLength(2);
    expect(sentDocument('DEMO-3')).toContain(hidden.key);
    expect(sentDocument('DEMO-3')).toContain(hiddenSet.key);
    const priya = await send('DEMO-3', PRIYA);
    expect(priya.waves).toHaveLength(2);
    expect(sentDocument('DEMO-3')).toContain(visible.key);
    for (const secret of secrets) {
      expect(sentDocument('DEMO-3')).not.toContain(secret);
      expect(JSON.stringify(priya.sent)).not.toContain(secret);
    }
  });

  it('a guessed id Xray no longer names is ignored: the same document, pushed or not, as without it', async () => {
    data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-3'));
    const first = await send('DEMO-3');
    // A test covering DEMO-1 only, which the caller may see: guessed for DEMO-3, never named there.
    const elsewhere = coveringTest('DEMO', 'Card limits on another requirement', 'DEMO-1');
    const key = syncStateKey(DEMO.project.id, requirementId('DEMO-3'));
    const state = stateOf('DEMO-3');
    await world.platform.kvs.set(key, {
      ...state,
      namedIssueIds: [...(state.namedIssueIds ?? []), elsewhere.id],
    });
    const again = await send('DEMO-3', undefined, false);
    expect(again.sent.outcome).toBe('unchanged');
    expect(again.sent.state.contentHash).toBe(first.sent.state.contentHash);
    expect(again.waves).toHaveLength(1);
    expect(sentDocument('DEMO-3')).not.toContain(elsewhere.key);
    // What is kept is what Xray named this time.
    expect(stateOf('DEMO-3').namedIssueIds).not.toContain(elsewhere.id);
  });

  it('a failed guessed read: its ids are asked again once Xray answered, and the document is the same', async () => {
    data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-3'));
    const first = await send('DEMO-3');
    const request = world.platform.jira.request.bind(world.platform.jira);
    let failures = 0;
    world.platform.jira.request = async (path, init, options) => {
      const answer = await request(path, init, options);
      if (path.startsWith('/rest/api/3/issue/bulkfetch') && failures === 0) {
        failures += 1;
        return { status: 400, headers: { get: () => null }, text: async () => '{"errorMessages":["no"]}' };
      }
      return answer;
    };
    const again = await send('DEMO-3', undefined, false);
    expect(failures).toBe(1);
    expect(again.sent.outcome).toBe('unchanged');
    expect(again.sent.state.contentHash).toBe(first.sent.state.contentHash);
    expect(again.waves).toEqual([
      [
        'jira GET /rest/api/3/issue/10103',
        'jira GET /rest/api/3/issue/10103/remotelink',
        'jira GET /rest/api/3/mypermissions',
        'jira POST /rest/api/3/issue/bulkfetch',
        'xray POST /api/v2/graphql',
      ],
      ['jira POST /rest/api/3/issue/bulkfetch'],
    ]);
  });
});
