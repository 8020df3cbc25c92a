/**
 * The project's ranking of requirements by unproven acceptance criteria (issue 18 item 6; the
 * settings page's project view, docs/criteria.md "Project view"), kept in the key-value store so that
 * key order IS the ranking and the store's cursor pages it:
 *
 * - `critrank:<projectId>:<999 − unproven>:<999 − failing>:<issueId>` → {@link RankEntry}: one per
 *   requirement with at least one criterion; most unproven first, then most failing, then issue id.
 * - `critrankof:<issueId>` → `{ key, entry }`: where the requirement's entry is (and a copy), so the
 *   one writer (./save-traceability.ts) knows without another read whether it changed, moves it when
 *   its counts or its project change, and a purge finds it.
 * - `critsum:<projectId>` → {@link ProjectTotals}: the totals over every entry, as of `computedAt`.
 * - `critdirty:<projectId>` → `{ at, n }`: an entry changed since the totals were computed. Set by every
 *   change of an entry; the end of each sync run (and a view with no totals yet) recomputes them.
 *
 * Totals are recomputed by paging the ranking (100 entries per query) rather than kept by adding and
 * subtracting: the store has no transactions, and requirements of one project are saved in parallel
 * (sync batches, panel sends, mapping changes), so a running sum would drift.
 */
import { emptyProjectTotals } from '../api';
import { z } from 'zod';
import type { Deadline } from '../clients/upstream';
import { AppError, toErrorDto } from '../errors';
import type { KeyValueStore, Log, Platform } from '../platform/ports';
import { criteriaSummarySchema, issueIdSchema, issueKeySchema, type CriteriaSummary } from './state';

/** Counts are at most MAX_CRITERIA (100); three digits leave room. */
const RANK_WIDTH = 3;
const RANK_MAX = 10 ** RANK_WIDTH - 1;
/** Forge KVS answers at most 100 entries per query. */
export const RANK_QUERY_LIMIT = 100;

const rankDigits = (count: number): string =>
  String(RANK_MAX - Math.min(RANK_MAX, Math.max(0, count))).padStart(RANK_WIDTH, '0');

export const rankPrefix = (projectId: string): string => `critrank:${projectId}:`;
export const rankKey = (projectId: string, issueId: string, counts: CriteriaSummary): string =>
  `${rankPrefix(projectId)}${rankDigits(counts.unproven)}:${rankDigits(counts.failing)}:${issueId}`;
export const rankPointerKey = (issueId: string): string => `critrankof:${issueId}`;
export const totalsKey = (projectId: string): string => `critsum:${projectId}`;
export const dirtyKey = (projectId: string): string => `critdirty:${projectId}`;

export const rankEntrySchema = z.object({
  issueId: issueIdSchema,
  issueKey: issueKeySchema,
  counts: criteriaSummarySchema,
});
export type RankEntry = z.infer<typeof rankEntrySchema>;

const pointerSchema = z.object({ key: z.string().min(1), entry: rankEntrySchema.optional() });
const dirtySchema = z.object({ at: z.string(), n: z.string().optional() });

export type ProjectTotalsCounts = CriteriaSummary & { requirements: number };

export const projectTotalsSchema = z.object({
  totals: criteriaSummarySchema.extend({ requirements: z.number().int().min(0) }),
  computedAt: z.iso.datetime({ offset: true }),
});
export type ProjectTotals = z.infer<typeof projectTotalsSchema>;

const projectIdSchema = z.string().regex(/^\d{1,18}$/);

type Kvs = Pick<KeyValueStore, 'get' | 'set' | 'delete'>;

/**
 * Puts the requirement's entry where its counts rank it in `projectId` (none when it has no
 * criteria), removing the one it had (other counts, another project), and marks the project's totals
 * (and the old project's) out of date. Reads one pointer; writes only what changed. Throws on a store
 * failure: the caller writes its record after this, so the next save tries again.
 */
export async function placeInRanking(
  kvs: Kvs,
  projectId: string,
  entry: RankEntry,
  now: Date,
): Promise<boolean> {
  if (!projectIdSchema.safeParse(projectId).success) {
    throw new AppError('INTERNAL', {
      message: 'The acceptance-criteria ranking was given an invalid project id.',
    });
  }
  const value = rankEntrySchema.parse(entry);
  const pointer = pointerSchema.safeParse(await kvs.get(rankPointerKey(value.issueId)));
  const oldKey = pointer.success ? pointer.data.key : undefined;
  const newKey = value.counts.criteria > 0 ? rankKey(projectId, value.issueId, value.counts) : undefined;
  // The pointer keeps a copy of the entry: nothing else to read to know nothing changed.
  if (oldKey === newKey && (newKey === undefined || sameEntry(pointer.data?.entry, value))) return false;
  const mark = dirtyMark(now);
  if (newKey !== undefined) {
    await kvs.set(newKey, value);
    await kvs.set(rankPointerKey(value.issueId), { key: newKey, entry: value });
    await kvs.set(dirtyKey(projectId), mark);
  }
  if (oldKey !== undefined && oldKey !== newKey) {
    await kvs.delete(oldKey);
    if (newKey === undefined) await kvs.delete(rankPointerKey(value.issueId));
    const oldProject = projectOfRankKey(oldKey);
    if (oldProject !== undefined && (oldProject !== projectId || newKey === undefined)) {
      await kvs.set(dirtyKey(oldProject), mark);
    }
  }
  return true;
}

const sameEntry = (a: RankEntry | undefined, b: RankEntry): boolean =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** A change mark: the time, and a nonce so that two marks in one millisecond still differ. */
const dirtyMark = (now: Date) => ({ at: now.toISOString(), n: Math.random().toString(36).slice(2, 10) });

function projectOfRankKey(key: string): string | undefined {
  const match = /^critrank:(\d+):/.exec(key);
  return match?.[1];
}

/**
 * Removes the requirement's entry from its project's ranking (only from `inProject`'s, when given),
 * if it has one; answers that project. The purge of a disconnected project uses this (its totals go
 * with it: {@link forgetProjectTotals}).
 */
export async function removeRankEntry(
  kvs: Pick<KeyValueStore, 'get' | 'delete'>,
  issueId: string,
  inProject?: string,
): Promise<string | undefined> {
  const pointer = pointerSchema.safeParse(await kvs.get(rankPointerKey(issueId)));
  if (!pointer.success) return undefined;
  const projectId = projectOfRankKey(pointer.data.key);
  if (inProject !== undefined && projectId !== inProject) return undefined;
  await kvs.delete(pointer.data.key);
  await kvs.delete(rankPointerKey(issueId));
  return projectId;
}

/**
 * Removes the requirement from `inProject`'s ranking (deleted, or moved away: an entry another
 * project's sync has made meanwhile stays) and marks that project's totals out of date.
 */
export async function dropFromRanking(
  kvs: Kvs,
  issueId: string,
  now: Date,
  inProject?: string,
): Promise<void> {
  const projectId = await removeRankEntry(kvs, issueId, inProject);
  if (projectId !== undefined) await kvs.set(dirtyKey(projectId), dirtyMark(now));
}

/** Forgets a disconnected project's totals (its entries go with each requirement's purge). */
export async function forgetProjectTotals(
  kvs: Pick<KeyValueStore, 'delete'>,
  projectId: string,
): Promise<void> {
  await Promise.all([kvs.delete(totalsKey(projectId)), kvs.delete(dirtyKey(projectId))]);
}

export const emptyTotals = (): ProjectTotalsCounts => emptyProjectTotals();

function add(totals: ProjectTotalsCounts, counts: CriteriaSummary): void {
  totals.requirements += 1;
  totals.criteria += counts.criteria;
  totals.proven += counts.proven;
  totals.failing += counts.failing;
  totals.stale += counts.stale;
  totals.staleTests += counts.staleTests;
  totals.changed += counts.changed;
  totals.notRun += counts.notRun;
  totals.noTest += counts.noTest;
  totals.unproven += counts.unproven;
}

export interface TotalsCount {
  totals: ProjectTotalsCounts;
  /** Every entry was counted (false: the deadline came first). */
  complete: boolean;
  queries: number;
}

/** Sums the project's ranking, 100 entries per query, until done or `deadline` is below `reserveMs`. */
export async function countProjectTotals(
  kvs: Pick<KeyValueStore, 'query'>,
  log: Pick<Log, 'warn'>,
  projectId: string,
  deadline?: Pick<Deadline, 'remainingMs'>,
  reserveMs = 0,
): Promise<TotalsCount> {
  const totals = emptyTotals();
  let cursor: string | undefined;
  let queries = 0;
  let skipped = 0;
  do {
    if (deadline && deadline.remainingMs() <= reserveMs) return { totals, complete: false, queries };
    const page = await kvs.query(rankPrefix(projectId), {
      limit: RANK_QUERY_LIMIT,
      ...(cursor ? { cursor } : {}),
    });
    queries += 1;
    for (const { value } of page.entries) {
      const entry = rankEntrySchema.safeParse(value);
      if (entry.success) add(totals, entry.data.counts);
      else skipped += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  if (skipped > 0) log.warn('Ranking entries that do not parse were not counted', { projectId, skipped });
  return { totals, complete: true, queries };
}

export async function readProjectTotals(
  kvs: Pick<KeyValueStore, 'get'>,
  projectId: string,
): Promise<ProjectTotals | undefined> {
  const parsed = projectTotalsSchema.safeParse(await kvs.get(totalsKey(projectId)));
  return parsed.success ? parsed.data : undefined;
}

export type RefreshOutcome = 'current' | 'computed' | 'incomplete' | 'failed';

export interface RefreshResult {
  outcome: RefreshOutcome;
  /** The totals now stored (or, when incomplete, what was counted before the deadline). */
  totals?: ProjectTotalsCounts;
  computedAt?: string;
  queries: number;
}

/**
 * Recomputes the project's stored totals when an entry changed since (or none are stored), and
 * clears the mark unless another change came in meanwhile. Never throws (logged): the end of the next
 * run tries again.
 */
export async function refreshProjectTotals(
  platform: Pick<Platform, 'kvs' | 'log' | 'clock'>,
  projectId: string,
  deadline?: Pick<Deadline, 'remainingMs'>,
  reserveMs = 0,
): Promise<RefreshResult> {
  try {
    const [dirty, stored] = await Promise.all([
      platform.kvs.get(dirtyKey(projectId)),
      readProjectTotals(platform.kvs, projectId),
    ]);
    const mark = dirtySchema.safeParse(dirty);
    if (!mark.success && stored) return { outcome: 'current', ...stored, queries: 0 };
    const computedAt = platform.clock.now().toISOString();
    const count = await countProjectTotals(platform.kvs, platform.log, projectId, deadline, reserveMs);
    if (!count.complete) return { outcome: 'incomplete', totals: count.totals, queries: count.queries };
    await platform.kvs.set(
      totalsKey(projectId),
      projectTotalsSchema.parse({ totals: count.totals, computedAt }),
    );
    if (mark.success) {
      const now = dirtySchema.safeParse(await platform.kvs.get(dirtyKey(projectId)));
      if (now.success && now.data.at === mark.data.at && now.data.n === mark.data.n)
        await platform.kvs.delete(dirtyKey(projectId));
    }
    return { outcome: 'computed', totals: count.totals, computedAt, queries: count.queries };
  } catch (error) {
    platform.log.warn('Could not compute the acceptance-criteria totals; the next sync tries again', {
      projectId,
      code: toErrorDto(error).code,
    });
    return { outcome: 'failed', queries: 0 };
  }
}
