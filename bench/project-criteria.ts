/**
 * Acceptance criteria at scale (issue 18): (a) the extra upstream requests per requirement that
 * criteria traceability costs a scheduled sync — goal 0 for requirements whose content and results
 * did not change, and the Jira property write only when counts changed — and (b) the settings page's
 * project view on 10,000 requirements (docs/criteria.md "Project view").
 *
 *   npx tsx bench/project-criteria.ts            both parts
 *   npx tsx bench/project-criteria.ts --quick    1,000 requirements in the view part
 */
import { rankKey, refreshProjectTotals } from '../src/criteria/project-index';
import type { CriteriaSummary } from '../src/criteria/state';
import type { ProjectCriteriaDto } from '../src/api';
import { data, demoSettings } from '../test/harness/demo-settings';
import { acceptanceCriteria, doc } from '../test/harness/fixtures/adf';
import { createCapturingLog } from '../test/harness/local-platform';
import { createWorld, DEMO, type World } from '../test/harness/world';
import { benchWorld, hourly, SEEDED_REQUIREMENTS } from './sync-scenarios';

// ─── (a) the sync ─────────────────────────────────────────────────────────────────────────────────

export interface CriteriaSyncRow {
  scenario: string;
  requirements: number;
  jiraRequests: number;
  /** PUT …/properties/sqaiCriteria: Jira's only request for criteria traceability. */
  propertyWrites: number;
  /** Xray `PlanResults` reads: the tests' status in their Test Plans (≤ 8 plans per request). */
  planReads: number;
  extraRequestsPerRequirement: number;
  /** Storage writes to the criteria keys (criteria:, trace:, critkey:, critrank…, critdirty:, critsum:). */
  criteriaStorageWrites: number;
  /** Store queries of the ranking (the totals recomputed at the run's end). */
  rankingQueries: number;
}

const CRITERIA_KEY = /^(criteria|trace|critkey|critrank|critrankof|critdirty|critsum):/;

function meterCriteriaStorage(world: World) {
  const counts = { writes: 0, queries: 0 };
  const kvs = world.platform.kvs;
  const set = kvs.set.bind(kvs);
  const del = kvs.delete.bind(kvs);
  const query = kvs.query.bind(kvs);
  kvs.set = (key, value) => {
    if (CRITERIA_KEY.test(key)) counts.writes += 1;
    return set(key, value);
  };
  kvs.delete = (key) => {
    if (CRITERIA_KEY.test(key)) counts.writes += 1;
    return del(key);
  };
  kvs.query = (prefix, options) => {
    if (prefix.startsWith('critrank:')) counts.queries += 1;
    return query(prefix, options);
  };
  return counts;
}

const describeRequirement = (i: number, extra = false) =>
  doc(
    ...acceptanceCriteria(
      `The shopper can pay for order ${i} by card`,
      `A declined card for order ${i} shows why`,
      `The receipt for order ${i} arrives by e-mail`,
      ...(extra ? [`The receipt for order ${i} names the shop`] : []),
    ),
  );

export async function benchCriteriaSync(count = 500): Promise<CriteriaSyncRow[]> {
  const { world, clock } = benchWorld();
  const ids: string[] = [];
  const testIds: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const issue = world.jiraStore.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Story',
      summary: `Checkout requirement ${i}`,
      description: describeRequirement(i),
      created: clock.now().toISOString(),
    });
    ids.push(issue.id);
    for (let t = 0; t < 2; t += 1) {
      const test = world.xrayStore.createTest({
        projectIdOrKey: 'DEMO',
        summary: `Check ${t} of requirement ${i}`,
        testType: 'Manual',
        steps: [{ action: `Do step ${t}`, result: 'It works' }],
        coversIssueIds: [issue.id],
      });
      testIds.push(test.id);
    }
  }
  // Every test is in the release's Test Plan, as on a real project: the sync reads their status in it.
  world.xrayStore.createTestPlan({
    projectIdOrKey: 'DEMO',
    summary: 'Release 2026.12',
    testIssueIds: testIds,
    created: clock.now().toISOString(),
  });
  const storage = meterCriteriaStorage(world);
  const rows: CriteriaSyncRow[] = [];
  async function measure(scenario: string, requirements: number, run: () => Promise<void>) {
    const before = {
      jira: world.jira.requests.length,
      xray: world.xray.requests.length,
      writes: storage.writes,
      queries: storage.queries,
    };
    await run();
    const requests = world.jira.requests.slice(before.jira);
    const propertyWrites = requests.filter(
      (request) => request.method === 'PUT' && request.path.includes('/properties/sqaiCriteria'),
    ).length;
    const planReads = world.xray.requests
      .slice(before.xray)
      .filter((request) => request.operation === 'PlanResults').length;
    rows.push({
      scenario,
      requirements,
      jiraRequests: requests.length,
      propertyWrites,
      planReads,
      extraRequestsPerRequirement:
        requirements > 0 ? Math.round(((propertyWrites + planReads) / requirements) * 1000) / 1000 : 0,
      criteriaStorageWrites: storage.writes - before.writes,
      rankingQueries: storage.queries - before.queries,
    });
  }

  const total = count + SEEDED_REQUIREMENTS;
  await measure(`backfill: ${total} requirements (first time: every count is new)`, total, async () => {
    data(await world.invoke('saveSettings', demoSettings('standard')));
    await world.platform.queue.drain();
  });
  clock.advance(60 * 60_000);
  await hourly(world); // sets the cursor
  clock.advance(30 * 60_000);
  for (const id of ids) world.jiraStore.updateIssue(id, { labels: ['changed'] });
  clock.advance(30 * 60_000);
  await measure(`hourly: ${count} changed (labels only; criteria and results unchanged)`, count, () =>
    hourly(world),
  );
  clock.advance(30 * 60_000);
  const tenth = ids.filter((_, index) => index % 10 === 0);
  for (const id of tenth) {
    const issue = world.jiraStore.issues.get(id);
    const index = ids.indexOf(id);
    if (issue) world.jiraStore.updateIssue(id, { description: describeRequirement(index, true) });
  }
  clock.advance(30 * 60_000);
  await measure(`hourly: ${tenth.length} changed (a criterion added: counts change)`, tenth.length, () =>
    hourly(world),
  );
  clock.advance(60 * 60_000);
  await measure('hourly: nothing changed', 0, () => hourly(world));
  return rows;
}

// ─── (b) the project view ─────────────────────────────────────────────────────────────────────────

export interface ProjectViewRow {
  call: string;
  ok: boolean;
  ms: number;
  storageReads: number;
  storageWrites: number;
  upstreamRequests: number;
  rows: number;
}

const UPSTREAM_LATENCY_MS = 50;
const STORAGE_LATENCY_MS = 10;

const countsOf = (i: number): CriteriaSummary => {
  const criteria = 1 + (i % 12);
  const proven = i % 5 === 0 ? criteria : i % 3;
  const failing = Math.min(criteria - Math.min(proven, criteria), i % 2);
  const provenCount = Math.min(proven, criteria);
  return {
    criteria,
    proven: provenCount,
    failing,
    stale: 0,
    changed: 0,
    notRun: 0,
    noTest: criteria - provenCount - failing,
    staleTests: 0,
    unproven: criteria - provenCount,
  };
};

export async function benchProjectView(requirements = 10_000): Promise<ProjectViewRow[]> {
  const world = createWorld({
    latencyMs: UPSTREAM_LATENCY_MS,
    validateContracts: false,
    log: createCapturingLog(false),
  });
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  // The ranking as the sync leaves it: one entry per requirement, written straight into the store.
  const kvs = world.platform.kvs;
  for (const key of [...kvs.data.keys()]) if (key.startsWith('crit')) kvs.data.delete(key);
  for (let i = 0; i < requirements; i += 1) {
    const issue = world.jiraStore.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Story',
      summary: `Requirement ${i} of the large project`,
    });
    const counts = countsOf(i);
    kvs.data.set(rankKey(DEMO.project.id, issue.id, counts), {
      issueId: issue.id,
      issueKey: issue.key,
      counts,
    });
  }
  kvs.meter.latencyMs = STORAGE_LATENCY_MS;
  const upstream = () => world.platform.fetched.length + world.jira.log.entries.length;
  const rows: ProjectViewRow[] = [];
  async function measure(call: string, run: () => Promise<{ ok: boolean; rows: number }>) {
    const before = { reads: kvs.meter.reads, writes: kvs.meter.writes, upstream: upstream() };
    const started = performance.now();
    const outcome = await run();
    rows.push({
      call,
      ok: outcome.ok,
      ms: Math.round(performance.now() - started),
      storageReads: kvs.meter.reads - before.reads,
      storageWrites: kvs.meter.writes - before.writes,
      upstreamRequests: upstream() - before.upstream,
      rows: outcome.rows,
    });
  }
  let cursor: string | undefined;
  const view = (payload: object) => async () => {
    const answer = await world.invoke<ProjectCriteriaDto>('getProjectCriteria', payload);
    if (answer.ok) cursor = answer.data.nextCursor;
    return { ok: answer.ok, rows: answer.ok ? answer.data.requirements.length : 0 };
  };
  const n = requirements.toLocaleString('en');
  await measure(`first view, no totals stored yet (counts ${n} on demand)`, view({ limit: 20 }));
  await measure('view with stored totals (first page of 20)', view({ limit: 20 }));
  await measure('"Show more" (next page of 20)', view({ limit: 20, ...(cursor ? { cursor } : {}) }));
  await measure('a page of 50', view({ limit: 50 }));
  // The end of a sync run that changed an entry.
  kvs.data.set(`critdirty:${DEMO.project.id}`, { at: new Date().toISOString(), n: 'bench' });
  await measure(`totals recomputed at a run's end (${n} entries)`, async () => {
    const result = await refreshProjectTotals(world.platform, DEMO.project.id);
    return { ok: result.outcome === 'computed', rows: result.totals?.requirements ?? 0 };
  });
  return rows;
}

export function printCriteriaFigures(
  sync: CriteriaSyncRow[],
  view: ProjectViewRow[],
  requirements: number,
): void {
  console.log(
    '\nAcceptance criteria in a scheduled sync (50 ms latency): the extra upstream requests traceability costs (goal 0 when unchanged)',
  );
  console.table(
    Object.fromEntries(
      sync.map((row) => [
        row.scenario,
        {
          'Jira req': row.jiraRequests,
          'property writes': row.propertyWrites,
          'Test Plan reads (Xray)': row.planReads,
          'extra req / requirement': row.extraRequestsPerRequirement,
          'criteria storage writes': row.criteriaStorageWrites,
          'ranking queries': row.rankingQueries,
        },
      ]),
    ),
  );
  console.log(
    `\nProject view of acceptance criteria on ${requirements.toLocaleString('en')} requirements (${UPSTREAM_LATENCY_MS} ms per upstream request, ${STORAGE_LATENCY_MS} ms per storage call; Forge: 25 s)`,
  );
  console.table(
    Object.fromEntries(
      view.map((row) => [
        row.call,
        {
          ok: row.ok,
          'wall ms (< 25,000)': row.ms,
          'storage reads': row.storageReads,
          'storage writes': row.storageWrites,
          'upstream requests': row.upstreamRequests,
          rows: row.rows,
        },
      ]),
    ),
  );
}

async function main(): Promise<void> {
  const requirements = process.argv.includes('--quick') ? 1_000 : 10_000;
  const sync = await benchCriteriaSync(500);
  const view = await benchProjectView(requirements);
  printCriteriaFigures(sync, view, requirements);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
