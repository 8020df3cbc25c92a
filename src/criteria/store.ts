/**
 * Where a requirement's criteria and traceability are kept (Forge key-value store, through the
 * platform port), and how they are read back: every read is validated, and a record that does not
 * parse is "none" (logged), never trusted.
 *
 * - `criteria:<issueId>` — the criteria record (./schema.ts `criteriaRecordSchema`);
 * - `trace:<issueId>`    — the traceability record (./state.ts `traceRecordSchema`);
 * - `critkey:<issueKey>` — `{ issueId }`: a workflow validator is given the issue's key only;
 * - `living:<issueId>`   — what each test was written or last reviewed against (issue 19,
 *   src/living/baselines.ts);
 * - `critrank:…`, `critrankof:<issueId>` — the requirement's place in its project's ranking
 *   (./project-index.ts).
 *
 * The writer (sync) writes the two records first and the key alias last, and moves the alias when an
 * issue's key changes (an issue moved to another project).
 */
import { z } from 'zod';
import type { KeyValueStore, Log } from '../platform/ports';
import { removeRankEntry } from './project-index';
import { criteriaRecordSchema, type CriteriaRecord } from './schema';
import { issueIdSchema, traceRecordSchema, type TraceRecord } from './state';
import { livingKey, readLiving, type LivingRecord } from '../living/baselines';

export const criteriaKey = (issueId: string): string => `criteria:${issueId}`;
export const traceKey = (issueId: string): string => `trace:${issueId}`;
export const issueKeyAlias = (issueKey: string): string => `critkey:${issueKey}`;

const aliasSchema = z.object({ issueId: issueIdSchema });

/** A requirement's stored criteria and traceability. */
export interface StoredTraceability {
  issueId: string;
  criteria: CriteriaRecord;
  trace: TraceRecord;
  /** What each test was written or last reviewed against (issue 19); absent: none recorded. */
  living?: LivingRecord | undefined;
}

type Store = Pick<KeyValueStore, 'get'>;

/** A stored record, validated: undefined when absent or when it does not parse (logged). */
export async function readParsed<T>(
  kvs: Store,
  log: Pick<Log, 'warn'>,
  key: string,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const raw = await kvs.get(key);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    log.warn('A stored criteria record does not parse; treated as absent', { key });
    return undefined;
  }
  return parsed.data;
}

/** The issue id stored for `issueKey`, if any. */
export async function issueIdForKey(
  kvs: Store,
  log: Pick<Log, 'warn'>,
  issueKey: string,
): Promise<string | undefined> {
  return (await readParsed(kvs, log, issueKeyAlias(issueKey), aliasSchema))?.issueId;
}

/**
 * The stored criteria and traceability of the issue with key `issueKey`: undefined when the app has
 * none (never synced), when either record is missing or does not parse, or when the records name
 * another key (a stale alias of a moved issue). Two round trips: the alias, then both records
 * and the living record (issue 19: which tests are possibly stale).
 */
export async function readTraceabilityByKey(
  kvs: Store,
  log: Pick<Log, 'warn'>,
  issueKey: string,
): Promise<StoredTraceability | undefined> {
  const issueId = await issueIdForKey(kvs, log, issueKey);
  if (issueId === undefined) return undefined;
  const [criteria, trace, living] = await Promise.all([
    readParsed(kvs, log, criteriaKey(issueId), criteriaRecordSchema),
    readParsed(kvs, log, traceKey(issueId), traceRecordSchema),
    readLiving({ kvs, log }, issueId),
  ]);
  if (criteria === undefined || trace === undefined || trace.issueKey !== issueKey) return undefined;
  return { issueId, criteria, trace, ...(living ? { living } : {}) };
}

/** Writes both records, then the key alias (the order a reader relies on). */
export async function writeTraceability(
  kvs: Pick<KeyValueStore, 'set'>,
  stored: StoredTraceability,
): Promise<void> {
  const criteria = criteriaRecordSchema.parse(stored.criteria);
  const trace = traceRecordSchema.parse(stored.trace);
  await kvs.set(criteriaKey(stored.issueId), criteria);
  await kvs.set(traceKey(stored.issueId), trace);
  await kvs.set(issueKeyAlias(trace.issueKey), { issueId: stored.issueId });
}

/**
 * Forgets a requirement's criteria, traceability, key alias and place in its project's ranking (its
 * project was disconnected: the sync-state purge calls this for each requirement whose state it
 * deletes, then forgets the project's totals). The alias goes only if it still names this issue.
 */
export async function forgetTraceability(
  kvs: Pick<KeyValueStore, 'get' | 'delete'>,
  log: Pick<Log, 'warn'>,
  issueId: string,
  /** The disconnected project: a ranking entry another project made since (a moved issue) stays. */
  projectId?: string,
): Promise<void> {
  const trace = await readParsed(kvs, log, traceKey(issueId), traceRecordSchema);
  if (trace !== undefined) {
    const alias = await issueIdForKey(kvs, log, trace.issueKey);
    if (alias === issueId) await kvs.delete(issueKeyAlias(trace.issueKey));
  }
  await removeRankEntry(kvs, issueId, projectId);
  await Promise.all([
    kvs.delete(criteriaKey(issueId)),
    kvs.delete(traceKey(issueId)),
    kvs.delete(livingKey(issueId)),
  ]);
}
