/**
 * Every resolver the settings page and the issue panel call, on a project with many requirements
 * (each with its sync state, history and a full retry set), with latency on every upstream request
 * and every storage call. Shared by the resolver budget test (bounds) and `npm run bench` (figures).
 * Each call goes through the harness's Forge limits (25 s, 500 KB in, 5 MB out).
 */
import type { ResolverResult } from '../../../src/api';
import { runKeys } from '../../../src/sync/run-store';
import { HISTORY_LIMIT, syncStateKey, syncStateSchema } from '../../../src/sync/state';
import { data, demoSettings } from '../demo-settings';
import { addRequirements } from '../fixtures/bulk-requirements';
import { createCapturingLog } from '../local-platform';
import { createWorld, DEMO, type World } from '../world';

export interface ResolverCallFigures {
  resolver: string;
  ok: boolean;
  ms: number;
  storageReads: number;
  storageWrites: number;
  upstreamRequests: number;
  answerBytes: number;
}

export interface LargeProjectOptions {
  requirements: number;
  upstreamLatencyMs: number;
  storageLatencyMs: number;
}

const ALTERNATE_ENDPOINT = 'https://sqai.example.com';
const ALTERNATE_TOKEN = 'sqai-token-for-the-alternate-host';

function seedSyncStates(world: World, issueIds: string[], at: Date): void {
  const lastAttemptAt = at.toISOString();
  const history = Array.from({ length: HISTORY_LIMIT }, (_, index) => ({
    at: new Date(at.getTime() - index * 3_600_000).toISOString(),
    trigger: 'scheduled',
    contentHash: `sha256:${String(index).padStart(64, '0')}`,
    outcome: 'unchanged',
    durationMs: 120,
  }));
  for (const issueId of issueIds) {
    world.platform.kvs.data.set(
      syncStateKey(DEMO.project.id, issueId),
      syncStateSchema.parse({
        version: 1,
        status: 'synced',
        contentHash: `sha256:${issueId.padStart(64, '0')}`,
        syncedAt: lastAttemptAt,
        lastAttemptAt,
        attempts: 0,
        history,
      }),
    );
  }
  world.platform.kvs.data.set(
    runKeys.retry(DEMO.project.id),
    issueIds.slice(0, 600).map((issueId) => ({
      issueId,
      attempts: 2,
      lastError: { code: 'SQAI_REJECTED', message: 'SQAI refused the document (413)', remedy: 'Shorten it.' },
      lastAt: lastAttemptAt,
      gaveUp: false,
    })),
  );
}

export async function measureResolversOnLargeProject(
  options: LargeProjectOptions,
): Promise<ResolverCallFigures[]> {
  const world = createWorld({
    latencyMs: options.upstreamLatencyMs,
    validateContracts: false,
    log: createCapturingLog(false),
  });
  const now = new Date();
  const added = addRequirements(world, options.requirements, 1, now);
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  seedSyncStates(world, added, now);
  world.sqai.addToken(ALTERNATE_TOKEN);
  world.platform.egress.approve(new URL(ALTERNATE_ENDPOINT).hostname);
  const lastKey = world.jiraStore.issue(added.at(-1) ?? '')?.key ?? 'DEMO-1';
  world.platform.kvs.meter.latencyMs = options.storageLatencyMs;
  world.platform.secrets.meter.latencyMs = options.storageLatencyMs;

  const figures: ResolverCallFigures[] = [];
  const upstream = () => world.platform.fetched.length + world.jira.log.entries.length;
  async function measure(label: string, call: () => Promise<ResolverResult<unknown>>): Promise<void> {
    const { kvs, secrets } = world.platform;
    const before = {
      reads: kvs.meter.reads + secrets.meter.reads,
      writes: kvs.meter.writes + secrets.meter.writes,
      upstream: upstream(),
    };
    const started = performance.now();
    const answer = await call();
    figures.push({
      resolver: label,
      ok: answer.ok,
      ms: Math.round(performance.now() - started),
      storageReads: kvs.meter.reads + secrets.meter.reads - before.reads,
      storageWrites: kvs.meter.writes + secrets.meter.writes - before.writes,
      upstreamRequests: upstream() - before.upstream,
      answerBytes: Buffer.byteLength(JSON.stringify(answer), 'utf8'),
    });
  }

  const settingsCall =
    (name: string, payload: unknown = {}) =>
    () =>
      world.invoke<unknown>(name, payload);
  const panelCall =
    (name: string, payload: unknown = {}) =>
    () =>
      world.invokeIssue<unknown>(name, payload, lastKey);
  await measure('getSettings', settingsCall('getSettings'));
  await measure('testConnection', settingsCall('testConnection'));
  await measure(
    'saveSettings (same endpoint)',
    settingsCall('saveSettings', { ...demoSettings('enterprise'), secrets: {} }),
  );
  await measure('getSyncStatus', settingsCall('getSyncStatus'));
  await measure('getDeliverySettings', settingsCall('getDeliverySettings'));
  await measure('rotateDeliverySecret', settingsCall('rotateDeliverySecret'));
  await measure('getIssuePanel', panelCall('getIssuePanel'));
  await measure('previewContext', panelCall('previewContext'));
  await measure('sendToSqai', panelCall('sendToSqai', { force: true }));
  await measure('getGenerationPanel', panelCall('getGenerationPanel'));
  await measure(
    'saveSettings (new endpoint)',
    settingsCall('saveSettings', {
      ...demoSettings('enterprise'),
      sqai: { endpoint: ALTERNATE_ENDPOINT },
      secrets: { sqaiToken: ALTERNATE_TOKEN },
    }),
  );
  // The backfill that save started has finished (it is the consumer's work, not measured here).
  world.platform.kvs.data.delete(runKeys.run(DEMO.project.id, 'backfill'));
  await measure('startBackfill', settingsCall('startBackfill'));
  await measure('disconnect', settingsCall('disconnect'));
  return figures;
}
