/**
 * The audit trail's store (docs/data-controls.md "Audit trail"), in Forge's key-value store, one key
 * per entry so that key order IS time order, newest first:
 *
 *   audit:<projectId>:<99999 − UTC day number>:<99999999 − ms of the day>:<id>  → AuditEntry
 *   auditprune:<projectId>                                                        → PruneState
 *
 * - Recording is one write (no read): nothing else is kept per entry.
 * - Listing pages the project's prefix with the store's cursor (≤ 100 entries a query, at most
 *   LIST_MAX_QUERIES queries a call); a date range narrows the query to the day prefixes it covers
 *   (the range [to … from] of inverted day numbers as the fewest decimal prefixes), so entries
 *   outside it are never read. The cursor names its project and is refused for another; every key a
 *   query answers is checked against the project's prefix besides.
 * - Pruning never scans the trail on a write. It runs at the end of each sync run (hourly at least)
 *   and, for a project whose sync is off, from the hourly trigger once a day (src/audit/idle-prune.ts),
 *   bounded per call (PRUNE_MAX_QUERIES queries, PRUNE_MAX_DELETES deletes):
 *   - retention: the expired days — from the last day already cleared (PruneState.clearedBefore) to
 *     the retention's first day — are covered by the same day prefixes and deleted; once the whole
 *     range is cleared, `clearedBefore` moves up, so a steady-state prune reads one or two prefixes;
 *   - the cap (AUDIT_CAP entries per project): a sweep walks the trail from the newest entry with a
 *     stored cursor, SWEEP_QUERIES queries a call, counting; every entry it meets past the AUDIT_CAP-th
 *     is deleted. Entries recorded after the sweep started sit before its cursor (they are newer), so
 *     an entry's count is a lower bound of its rank: the sweep never deletes one of the newest
 *     AUDIT_CAP. The trail may exceed the cap by what is recorded during one sweep (a sweep of a full
 *     trail takes AUDIT_CAP / (100 × SWEEP_QUERIES) runs).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuditEntryDto } from '../api';
import { AppError, toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import { auditEntrySchema, type AuditEntry } from './entry';

export const DEFAULT_RETENTION_DAYS = 90;
export const MAX_RETENTION_DAYS = 3_650;
/** Entries kept per project at most (about 400 bytes each: 8 MB). */
export const AUDIT_CAP = 20_000;
/** Forge KVS answers at most 100 entries a query. */
export const QUERY_LIMIT = 100;
export const LIST_MAX_QUERIES = 25;
export const PRUNE_MAX_QUERIES = 30;
export const PRUNE_MAX_DELETES = 500;
export const SWEEP_QUERIES = 5;

const DAY_MS = 86_400_000;
const DAY_WIDTH = 5;
const MS_WIDTH = 8;
const DAY_MAX = 10 ** DAY_WIDTH - 1;
const MS_MAX = 10 ** MS_WIDTH - 1;

const projectIdSchema = z.string().regex(/^\d{1,18}$/);

export const auditPrefix = (projectId: string) => `audit:${projectId}:`;
export const pruneStateKey = (projectId: string) => `auditprune:${projectId}`;

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
const invDay = (day: number) => String(DAY_MAX - day).padStart(DAY_WIDTH, '0');

export function auditKey(projectId: string, at: Date, id: string): string {
  const ms = at.getTime();
  const inMs = String(MS_MAX - (ms - dayOf(ms) * DAY_MS)).padStart(MS_WIDTH, '0');
  return `${auditPrefix(projectId)}${invDay(dayOf(ms))}:${inMs}:${id}`;
}

/** The UTC day number of an entry's key, or undefined when it is not one of `projectId`'s keys. */
function dayOfKey(projectId: string, key: string): number | undefined {
  if (!key.startsWith(auditPrefix(projectId))) return undefined;
  const digits = key.slice(auditPrefix(projectId).length, auditPrefix(projectId).length + DAY_WIDTH);
  return /^\d{5}$/.test(digits) ? DAY_MAX - Number(digits) : undefined;
}

/**
 * The fewest decimal prefixes of width-`width` numbers covering exactly [lo, hi], in ascending order
 * (at most 18 per digit).
 */
export function rangePrefixes(lo: number, hi: number, width = DAY_WIDTH): string[] {
  const out: string[] = [];
  const visit = (prefix: string) => {
    const span = 10 ** (width - prefix.length);
    const start = prefix === '' ? 0 : Number(prefix) * span;
    const end = start + span - 1;
    if (end < lo || start > hi) return;
    if (start >= lo && end <= hi) {
      out.push(prefix);
      return;
    }
    for (let digit = 0; digit <= 9; digit += 1) visit(`${prefix}${digit}`);
  };
  if (lo <= hi) visit('');
  return out;
}

/** The retention the settings ask for (dataControls.auditRetentionDays), read defensively. */
export function retentionDaysOf(settings: unknown): number {
  const parsed = z
    .object({
      dataControls: z
        .object({ auditRetentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS) })
        .partial()
        .optional(),
    })
    .safeParse(settings);
  return (
    (parsed.success ? parsed.data.dataControls?.auditRetentionDays : undefined) ?? DEFAULT_RETENTION_DAYS
  );
}

/** Failures to record, since the process started (a failure never fails the send: it is counted, logged). */
export const auditCounters = { recorded: 0, failed: 0 };

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/**
 * Records one entry (one KVS write). Never throws: a failure to record is logged and counted, and
 * the send it describes goes on. Answers the entry stored, or undefined.
 */
export async function recordAudit(
  platform: Pick<Platform, 'kvs' | 'clock' | 'log'>,
  projectId: string,
  entry: NewAuditEntry,
): Promise<AuditEntry | undefined> {
  try {
    if (!projectIdSchema.safeParse(projectId).success) throw new AppError('INTERNAL');
    const at = platform.clock.now();
    const id = randomBytes(6).toString('hex');
    const parsed = auditEntrySchema.safeParse({ ...entry, id, at: at.toISOString() });
    if (!parsed.success) {
      throw new AppError('INTERNAL', {
        message: `An audit entry did not match its schema (${parsed.error.issues
          .map((issue) => issue.path.join('.'))
          .join(', ')}).`,
      });
    }
    await platform.kvs.set(auditKey(projectId, at, id), parsed.data);
    auditCounters.recorded += 1;
    return parsed.data;
  } catch (error) {
    auditCounters.failed += 1;
    platform.log.warn('Could not record an audit trail entry; the send goes on', {
      projectId,
      direction: entry.direction,
      code: toErrorDto(error).code,
    });
    return undefined;
  }
}

// ---------- listing ----------

export interface AuditFilters {
  direction?: 'sent' | 'received';
  issueKey?: string;
  /** YYYY-MM-DD, inclusive, UTC. */
  from?: string;
  to?: string;
}

const cursorSchema = z
  .object({
    v: z.literal(1),
    p: z.string(),
    /** Filters' fingerprint: a cursor is for the listing it came from. */
    f: z.string(),
    /** Inverted day range [lo, hi] and the prefix being read. */
    r: z.tuple([z.number().int().min(0).max(DAY_MAX), z.number().int().min(0).max(DAY_MAX)]),
    i: z.number().int().min(0).max(200),
    c: z.string().max(2_000).optional(),
  })
  .strict();
type ListCursor = z.infer<typeof cursorSchema>;

const fingerprint = (filters: AuditFilters) =>
  [
    filters.direction ?? '',
    (filters.issueKey ?? '').toUpperCase(),
    filters.from ?? '',
    filters.to ?? '',
  ].join('|');

const encodeCursor = (cursor: ListCursor) =>
  Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

function decodeCursor(raw: string, projectId: string, filters: AuditFilters): ListCursor {
  const invalid = () =>
    new AppError('VALIDATION', {
      fieldErrors: { cursor: 'This cursor is not one of this listing’s: read the first page again.' },
    });
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.p !== projectId || parsed.data.f !== fingerprint(filters))
    throw invalid();
  return parsed.data;
}

const dayNumber = (date: string) => dayOf(Date.parse(`${date}T00:00:00Z`));

export interface AuditPage {
  entries: AuditEntryDto[];
  nextCursor?: string;
  /** Store queries this call made. */
  queries: number;
}

/**
 * A page of the project's entries, newest first, matching `filters` (and within the retention): at
 * most `limit` entries and LIST_MAX_QUERIES queries. `nextCursor` when more may match — a page may
 * hold fewer than `limit` entries (even none) and still have a next one.
 */
export async function listAudit(
  platform: Pick<Platform, 'kvs' | 'clock'>,
  projectId: string,
  filters: AuditFilters,
  cursor: string | undefined,
  limit: number,
  retentionDays = DEFAULT_RETENTION_DAYS,
  maxQueries = LIST_MAX_QUERIES,
): Promise<AuditPage> {
  if (!projectIdSchema.safeParse(projectId).success) throw new AppError('INTERNAL');
  const now = platform.clock.now().getTime();
  const oldest = now - retentionDays * DAY_MS;
  const state: ListCursor = cursor
    ? decodeCursor(cursor, projectId, filters)
    : !filters.from && !filters.to
      ? // No date range: the project's whole prefix, one query per 100 entries (what the retention
        // hides is at its end, until the next prune).
        { v: 1 as const, p: projectId, f: fingerprint(filters), r: [0, DAY_MAX] as [number, number], i: 0 }
      : (() => {
          // Newest day first: the day after today (a clock ahead) down to the oldest day kept.
          const newestDay = Math.min(dayOf(now) + 1, filters.to ? dayNumber(filters.to) : Infinity);
          const oldestDay = Math.max(dayOf(oldest), filters.from ? dayNumber(filters.from) : 0);
          return {
            v: 1 as const,
            p: projectId,
            f: fingerprint(filters),
            r: [DAY_MAX - newestDay, DAY_MAX - oldestDay] as [number, number],
            i: 0,
          };
        })();
  const prefixes = rangePrefixes(state.r[0], state.r[1]);
  const wantKey = filters.issueKey?.toUpperCase();
  const entries: AuditEntryDto[] = [];
  let queries = 0;
  let index = state.i;
  let kvsCursor = state.c;
  while (index < prefixes.length && entries.length < limit && queries < maxQueries) {
    const prefix = `${auditPrefix(projectId)}${prefixes[index] ?? ''}`;
    // Never more than the page still needs: the store's cursor then always marks where it stopped.
    const page = await platform.kvs.query(prefix, {
      limit: Math.min(QUERY_LIMIT, limit - entries.length),
      ...(kvsCursor ? { cursor: kvsCursor } : {}),
    });
    queries += 1;
    for (const { key, value } of page.entries) {
      // Defence in depth: only this project's keys (whatever cursor the store was handed).
      if (!key.startsWith(prefix) || dayOfKey(projectId, key) === undefined) continue;
      const parsed = auditEntrySchema.safeParse(value);
      if (!parsed.success) continue;
      const entry = parsed.data;
      if (Date.parse(entry.at) < oldest) continue;
      if (filters.direction && entry.direction !== filters.direction) continue;
      if (wantKey && entry.requirement.key.toUpperCase() !== wantKey) continue;
      const day = entry.at.slice(0, 10);
      if (filters.from && day < filters.from) continue;
      if (filters.to && day > filters.to) continue;
      entries.push(entry);
    }
    if (page.cursor) kvsCursor = page.cursor;
    else {
      index += 1;
      kvsCursor = undefined;
    }
  }
  const more = index < prefixes.length;
  return {
    entries,
    ...(more
      ? {
          nextCursor: encodeCursor({
            v: 1,
            p: state.p,
            f: state.f,
            r: state.r,
            i: index,
            ...(kvsCursor ? { c: kvsCursor } : {}),
          }),
        }
      : {}),
    queries,
  };
}

// ---------- pruning ----------

const pruneStateSchema = z.object({
  /** Every day before this one (UTC day number) holds no entry of the project any more. */
  clearedBefore: z.number().int().min(0).max(DAY_MAX).default(0),
  sweep: z
    .object({ cursor: z.string().max(2_000).optional(), seen: z.number().int().nonnegative() })
    .default({ seen: 0 }),
  /** When the last prune ran (ms since the epoch): a project with sync off is pruned once a day. */
  lastRunAt: z.number().int().nonnegative().optional(),
});
type PruneState = z.infer<typeof pruneStateSchema>;

export interface PruneResult {
  deleted: number;
  queries: number;
  /** The expired range is all cleared (false: the next prune goes on). */
  retentionDone: boolean;
}

/** Deletes expired entries and those past the cap, bounded per call (see the header). Never throws. */
export async function pruneAudit(
  platform: Pick<Platform, 'kvs' | 'clock' | 'log'>,
  projectId: string,
  retentionDays = DEFAULT_RETENTION_DAYS,
  cap = AUDIT_CAP,
): Promise<PruneResult> {
  let deleted = 0;
  let queries = 0;
  try {
    const parsedState = pruneStateSchema.safeParse((await platform.kvs.get(pruneStateKey(projectId))) ?? {});
    const state: PruneState = parsedState.success
      ? parsedState.data
      : { clearedBefore: 0, sweep: { seen: 0 } };
    const firstKept = dayOf(platform.clock.now().getTime() - retentionDays * DAY_MS);
    // Retention: days [clearedBefore, firstKept) — inverted, [DAY_MAX − (firstKept − 1), DAY_MAX − clearedBefore].
    let retentionDone = true;
    if (state.clearedBefore < firstKept) {
      for (const prefix of rangePrefixes(
        DAY_MAX - (firstKept - 1),
        DAY_MAX - state.clearedBefore,
      ).reverse()) {
        if (queries >= PRUNE_MAX_QUERIES || deleted >= PRUNE_MAX_DELETES) {
          retentionDone = false;
          break;
        }
        let cursor: string | undefined;
        do {
          const page = await platform.kvs.query(`${auditPrefix(projectId)}${prefix}`, {
            limit: QUERY_LIMIT,
            ...(cursor ? { cursor } : {}),
          });
          queries += 1;
          const expired = page.entries.filter((entry) => {
            const day = dayOfKey(projectId, entry.key);
            return day !== undefined && day < firstKept;
          });
          await Promise.all(expired.map((entry) => platform.kvs.delete(entry.key)));
          deleted += expired.length;
          // Deleted entries shift nothing before the cursor: go on from it.
          cursor = page.cursor;
        } while (cursor && queries < PRUNE_MAX_QUERIES && deleted < PRUNE_MAX_DELETES);
        if (cursor) {
          retentionDone = false;
          break;
        }
      }
      if (retentionDone) state.clearedBefore = firstKept;
    }
    // The cap: a sweep from the newest entry, a few queries a call.
    let sweepQueries = 0;
    while (sweepQueries < SWEEP_QUERIES && deleted < PRUNE_MAX_DELETES) {
      const page = await platform.kvs.query(auditPrefix(projectId), {
        limit: QUERY_LIMIT,
        ...(state.sweep.cursor ? { cursor: state.sweep.cursor } : {}),
      });
      sweepQueries += 1;
      queries += 1;
      const over: string[] = [];
      for (const entry of page.entries) {
        state.sweep.seen += 1;
        if (state.sweep.seen > cap && dayOfKey(projectId, entry.key) !== undefined) over.push(entry.key);
      }
      await Promise.all(over.map((key) => platform.kvs.delete(key)));
      deleted += over.length;
      if (page.cursor) state.sweep = { cursor: page.cursor, seen: state.sweep.seen };
      else {
        state.sweep = { seen: 0 };
        break;
      }
    }
    state.lastRunAt = platform.clock.now().getTime();
    await platform.kvs.set(pruneStateKey(projectId), state);
    if (deleted > 0) platform.log.info('Audit trail pruned', { projectId, deleted, queries });
    return { deleted, queries, retentionDone };
  } catch (error) {
    platform.log.warn('Could not prune the audit trail; the next sync run tries again', {
      projectId,
      code: toErrorDto(error).code,
    });
    return { deleted, queries, retentionDone: false };
  }
}

/** When the project's trail was last pruned (ms since the epoch), or undefined when never. */
export async function lastPrunedAt(
  platform: Pick<Platform, 'kvs'>,
  projectId: string,
): Promise<number | undefined> {
  const parsed = pruneStateSchema.safeParse((await platform.kvs.get(pruneStateKey(projectId))) ?? {});
  return parsed.success ? parsed.data.lastRunAt : undefined;
}

/**
 * One bounded step of forgetting a disconnected project's whole trail (the purge calls it until it
 * deletes nothing): the first page of the project's entries, deleted. Answers how many.
 */
export async function forgetAuditStep(platform: Pick<Platform, 'kvs'>, projectId: string): Promise<number> {
  const page = await platform.kvs.query(auditPrefix(projectId), { limit: QUERY_LIMIT });
  await Promise.all(page.entries.map((entry) => platform.kvs.delete(entry.key)));
  return page.entries.length;
}
