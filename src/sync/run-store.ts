/**
 * The scheduled sync's state per project (DESIGN.md §7):
 *   cursor:<projectId>                    changes up to this time are in SQAI
 *   syncrun:<projectId>:<kind>            the current or last run of each kind (scheduled, backfill)
 *   syncwork:<projectId>:<runId>:<n>      the run's work list, 5,000 issue ids per chunk
 *   retry:<projectId>                     requirements parked after a failure; they go first next run
 */
import { z } from 'zod';
import type { ErrorCode, SyncRunKind } from '../api';
import type { KeyValueStore } from '../platform/ports';

export const WORK_CHUNK = 5_000;
/** Attempts before a requirement is given up on (and shown to admins). */
export const MAX_ATTEMPTS = 5;
const RETRY_LIMIT = 600;

const errorSchema = z.object({
  code: z.custom<ErrorCode>((value) => typeof value === 'string' && /^[A-Z_]+$/.test(value)),
  message: z.string(),
  remedy: z.string(),
});

export const runSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  kind: z.enum(['scheduled', 'backfill']),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  phase: z.enum(['enumerate', 'process', 'finished']),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Scheduled runs: changes since this time (the cursor minus the overlap). */
  since: z.string().optional(),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  pushed: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  position: z.number().int().nonnegative(),
  /** Consumer invocations this run took (continuations after time ran low, retries after errors). */
  invocations: z.number().int().nonnegative(),
  /** Invocations in a row that ended in an error without progress (the run is marked failed after a few). */
  failures: z.number().int().nonnegative().default(0),
  error: errorSchema.optional(),
});

export type SyncRun = z.infer<typeof runSchema>;

const retryEntrySchema = z.object({
  issueId: z.string(),
  issueKey: z.string().optional(),
  attempts: z.number().int().positive(),
  lastError: errorSchema,
  lastAt: z.string(),
  gaveUp: z.boolean(),
});

export type RetryEntry = z.infer<typeof retryEntrySchema>;

const retrySetSchema = z.array(retryEntrySchema).max(RETRY_LIMIT);
const cursorSchema = z.object({ syncedUpTo: z.string() });

export const runKeys = {
  cursor: (projectId: string) => `cursor:${projectId}`,
  run: (projectId: string, kind: SyncRunKind) => `syncrun:${projectId}:${kind}`,
  work: (projectId: string, runId: string, chunk: number) =>
    `syncwork:${projectId}:${runId}:${String(chunk).padStart(4, '0')}`,
  retry: (projectId: string) => `retry:${projectId}`,
};

export class RunStore {
  constructor(private readonly kvs: KeyValueStore) {}

  async cursor(projectId: string): Promise<string | undefined> {
    const parsed = cursorSchema.safeParse(await this.kvs.get(runKeys.cursor(projectId)));
    return parsed.success ? parsed.data.syncedUpTo : undefined;
  }

  async setCursor(projectId: string, syncedUpTo: string): Promise<void> {
    await this.kvs.set(runKeys.cursor(projectId), { syncedUpTo });
  }

  async run(projectId: string, kind: SyncRunKind): Promise<SyncRun | null> {
    const parsed = runSchema.safeParse(await this.kvs.get(runKeys.run(projectId, kind)));
    return parsed.success ? parsed.data : null;
  }

  /** A new queued run of `kind` (replacing the last one of that kind). */
  async createRun(projectId: string, kind: SyncRunKind, id: string, now: Date): Promise<SyncRun> {
    const at = now.toISOString();
    const run: SyncRun = {
      version: 1,
      id,
      kind,
      status: 'queued',
      phase: 'enumerate',
      startedAt: at,
      updatedAt: at,
      total: 0,
      done: 0,
      pushed: 0,
      unchanged: 0,
      failed: 0,
      chunks: 0,
      position: 0,
      invocations: 0,
      failures: 0,
    };
    await this.saveRun(projectId, run);
    return run;
  }

  async saveRun(projectId: string, run: SyncRun): Promise<void> {
    await this.kvs.set(runKeys.run(projectId, run.kind), runSchema.parse(run));
  }

  /** Writes a run's work list in chunks; returns how many chunks. */
  async writeWork(projectId: string, runId: string, ids: string[]): Promise<number> {
    const chunks = Math.ceil(ids.length / WORK_CHUNK);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      await this.kvs.set(
        runKeys.work(projectId, runId, chunk),
        ids.slice(chunk * WORK_CHUNK, (chunk + 1) * WORK_CHUNK),
      );
    }
    return chunks;
  }

  async workChunk(projectId: string, runId: string, chunk: number): Promise<string[]> {
    const parsed = z.array(z.string()).safeParse(await this.kvs.get(runKeys.work(projectId, runId, chunk)));
    return parsed.success ? parsed.data : [];
  }

  async dropWork(projectId: string, runId: string, chunks: number): Promise<void> {
    for (let chunk = 0; chunk < chunks; chunk += 1)
      await this.kvs.delete(runKeys.work(projectId, runId, chunk));
  }

  async retries(projectId: string): Promise<RetryEntry[]> {
    const parsed = retrySetSchema.safeParse(await this.kvs.get(runKeys.retry(projectId)));
    return parsed.success ? parsed.data : [];
  }

  /** Applies a batch's outcome to the retry set: successes leave it, failures enter or count up. */
  async updateRetries(
    projectId: string,
    outcome: { succeeded: string[]; failed: Omit<RetryEntry, 'attempts' | 'gaveUp'>[]; removed?: string[] },
  ): Promise<void> {
    if (outcome.succeeded.length === 0 && outcome.failed.length === 0 && !outcome.removed?.length) return;
    const leave = new Set([...outcome.succeeded, ...(outcome.removed ?? [])]);
    const entries = new Map(
      (await this.retries(projectId))
        .filter((entry) => !leave.has(entry.issueId))
        .map((entry) => [entry.issueId, entry]),
    );
    for (const failure of outcome.failed) {
      const attempts = (entries.get(failure.issueId)?.attempts ?? 0) + 1;
      entries.set(failure.issueId, { ...failure, attempts, gaveUp: attempts >= MAX_ATTEMPTS });
    }
    // Bounded: keep the most recent failures (the cursor has not moved past older ones' changes anyway).
    const kept = [...entries.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt)).slice(0, RETRY_LIMIT);
    await this.kvs.set(runKeys.retry(projectId), kept);
  }
}

/**
 * Forgets the project's sync runs: the cursor, the runs, their work lists and the retry set — a
 * handful of keys whatever the project's size. Used when the SQAI endpoint changes (the per-issue
 * states stay, and `holdsContent` no longer counts them: see StoredSettings.sqaiSince).
 */
export async function forgetSyncRuns(kvs: KeyValueStore, projectId: string): Promise<void> {
  await deletePrefix(kvs, `syncwork:${projectId}:`);
  await Promise.all([
    kvs.delete(runKeys.cursor(projectId)),
    kvs.delete(runKeys.run(projectId, 'scheduled')),
    kvs.delete(runKeys.run(projectId, 'backfill')),
    kvs.delete(runKeys.retry(projectId)),
  ]);
}

async function deletePrefix(kvs: KeyValueStore, prefix: string): Promise<void> {
  let page = await kvs.query(prefix, { limit: 100 });
  while (page.entries.length > 0) {
    await Promise.all(page.entries.map((entry) => kvs.delete(entry.key)));
    page = await kvs.query(prefix, { limit: 100 });
  }
}
