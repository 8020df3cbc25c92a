/**
 * The scheduled sync's state per project (DESIGN.md §7):
 *   cursor:<projectId>                    changes up to this time are in SQAI
 *   syncrun:<projectId>:<kind>            the current or last run of each kind (scheduled, backfill)
 *   syncwork:<projectId>:<runId>:<n>      the run's work list, 5,000 issue ids per chunk
 *   retry:<projectId>                     requirements parked after a failure (they go first next
 *                                         run): the first page of them, with the set's counts
 *   retry:<projectId>:<n>                 its further pages, n = 0001… (a set over one value's size)
 *
 * Every value stays within Forge's 240 KiB (src/platform/storage-bounds.ts): a run record's error
 * is clipped, a work chunk holds only Jira issue ids, and the retry set — which must lose no waiting
 * requirement — is split across as many pages as it needs, each entry's texts clipped.
 */
import { z } from 'zod';
import type { ErrorCode, SyncRunKind } from '../api';
import type { KeyValueStore } from '../platform/ports';
import { boundError, clipText, itemBytes, jsonBytes, splitList } from '../platform/storage-bounds';
import { KVS_MAX_VALUE_BYTES } from '../platform/limits';

export const WORK_CHUNK = 5_000;
/** Attempts before a requirement is given up on (and shown to admins). */
export const MAX_ATTEMPTS = 5;
/**
 * Gave-up requirements are not retried any more; the most recent this many stay listed for admins,
 * older ones are let go of (counted in the set's `forgotten`). Waiting requirements are never dropped.
 */
export const GAVE_UP_KEPT = 600;
/** A retry page's entries: Forge's limit less room for the first page's counts. */
export const RETRY_PAGE_BYTES = KVS_MAX_VALUE_BYTES - 1_024;
/** What a retry entry keeps of its texts (bytes of JSON): SQAI's reason (≤ 200 characters) fits whole. */
export const RETRY_TEXT_BYTES = { issueKey: 128, message: 1_024, remedy: 512 } as const;
/** More pages than this (2.3 GB) is not a retry set: the head is unreadable. */
const MAX_RETRY_PAGES = 10_000;
/** A Jira issue id: a positive 64-bit integer (at most 19 digits), so 5,000 of them fit a value. */
const JIRA_ISSUE_ID = /^\d{1,19}$/;

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
  /** Rate-limit waits in a row without progress (not failures: the run resumes after each). */
  rateLimitedWaits: z.number().int().nonnegative().default(0),
  /** While a rate limit holds the run back: when its next invocation is due. */
  pausedUntil: z.string().optional(),
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

/** The first page (`retry:<projectId>`): its entries and the whole set's counts. */
const retryHeadSchema = z.object({
  version: z.literal(2),
  /** Pages of the set, this one included: `retry:<projectId>:0001` … `:<pages − 1>`. */
  pages: z.number().int().positive().max(MAX_RETRY_PAGES),
  /** Requirements the next run retries (not given up on). */
  waiting: z.number().int().nonnegative(),
  gaveUp: z.number().int().nonnegative(),
  /** Gave-up requirements let go of beyond GAVE_UP_KEPT, ever. */
  forgotten: z.number().int().nonnegative(),
  entries: z.array(z.unknown()),
});

type RetryHead = z.infer<typeof retryHeadSchema>;

/** The retry set's counts, from its first page alone (one read, however large the set). */
export interface RetrySummary {
  waiting: number;
  gaveUp: number;
  forgotten: number;
  /** The first page's entries, most recent first: a sample, not the set. */
  sample: RetryEntry[];
}

const cursorSchema = z.object({ syncedUpTo: z.string() });
const listSchema = z.array(z.unknown());

export const runKeys = {
  cursor: (projectId: string) => `cursor:${projectId}`,
  run: (projectId: string, kind: SyncRunKind) => `syncrun:${projectId}:${kind}`,
  work: (projectId: string, runId: string, chunk: number) =>
    `syncwork:${projectId}:${runId}:${String(chunk).padStart(4, '0')}`,
  retry: (projectId: string) => `retry:${projectId}`,
  retryPage: (projectId: string, page: number) => `retry:${projectId}:${String(page).padStart(4, '0')}`,
};

/** A retry entry as stored: its texts clipped to RETRY_TEXT_BYTES. */
export function boundRetryEntry(entry: RetryEntry): RetryEntry {
  return {
    issueId: entry.issueId,
    ...(entry.issueKey === undefined
      ? {}
      : { issueKey: clipText(entry.issueKey, RETRY_TEXT_BYTES.issueKey) }),
    attempts: entry.attempts,
    lastError: boundError(entry.lastError, RETRY_TEXT_BYTES),
    lastAt: entry.lastAt,
    gaveUp: entry.gaveUp,
  };
}

/** A run record as stored: its error clipped (the rest is counters and times). */
export function boundRun(run: SyncRun): SyncRun {
  const { error, ...rest } = runSchema.parse(run);
  return { ...rest, ...(error ? { error: boundError(error) } : {}) };
}

const entriesOf = (values: unknown[]): RetryEntry[] =>
  values.flatMap((value) => {
    const parsed = retryEntrySchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });

const afterAttempt = (failure: Omit<RetryEntry, 'attempts' | 'gaveUp'>, attempts: number): RetryEntry =>
  boundRetryEntry({ ...failure, attempts, gaveUp: attempts >= MAX_ATTEMPTS });

const byRecency = (a: RetryEntry, b: RetryEntry) => b.lastAt.localeCompare(a.lastAt);

/** The retry set as read: its pages (the first is the head's) and what was read, to write only changes. */
interface RetryPages {
  pages: RetryEntry[][];
  forgotten: number;
  /** The JSON of each key as read (`undefined`: absent), index 0 the head. */
  read: (string | undefined)[];
}

/**
 * Applies a batch's outcome to the pages, in place. Entries keep their page: one that is updated
 * stays where it is, a new one goes to the first page with room, and a page an update outgrew
 * passes its last entries on to later pages — entries only ever move forward, so writing the pages
 * from the last to the first never leaves an entry in no page. When the pages are less than half
 * full on average they are packed again from the start, but only when that moves every entry back
 * (or leaves it): written from the first page to the last, again no entry is ever in no page.
 */
function applyOutcome(
  set: RetryPages,
  leave: ReadonlySet<string>,
  failed: Map<string, Omit<RetryEntry, 'attempts' | 'gaveUp'>>,
): { compacted: boolean } {
  let pages = set.pages.map((page) =>
    page
      .filter((entry) => !leave.has(entry.issueId))
      .map((entry) => {
        const failure = failed.get(entry.issueId);
        if (!failure) return entry;
        failed.delete(entry.issueId);
        return afterAttempt(failure, entry.attempts + 1);
      }),
  );
  // Gave-up entries beyond GAVE_UP_KEPT go, the oldest first: they are not retried any more.
  const gaveUp = pages.flat().filter((entry) => entry.gaveUp);
  if (gaveUp.length > GAVE_UP_KEPT) {
    const dropped = new Set(gaveUp.sort(byRecency).slice(GAVE_UP_KEPT));
    pages = pages.map((page) => page.filter((entry) => !dropped.has(entry)));
    set.forgotten += dropped.size;
  }
  // Pages past the last non-empty one are not pages any more (after a packing the head still counts them).
  while (pages.length > 1 && (pages.at(-1)?.length ?? 0) === 0) pages.pop();

  const compacted = packed(pages);
  if (compacted) pages = compacted;
  const sizes = pages.map((page) => jsonBytes(page));
  const place = (entry: RetryEntry, after: number) => {
    const size = itemBytes(entry);
    for (let index = after + 1; index < pages.length; index += 1) {
      const page = pages[index] ?? [];
      const grown = (sizes[index] ?? 2) + size + (page.length > 0 ? 1 : 0);
      if (grown <= RETRY_PAGE_BYTES) {
        page.push(entry);
        sizes[index] = grown;
        return;
      }
    }
    pages.push([entry]);
    sizes.push(size + 2);
  };
  // A page an updated entry outgrew (never a packed one: packing fits every page).
  for (let index = 0; index < pages.length; index += 1) {
    const page = pages[index] ?? [];
    while ((sizes[index] ?? 2) > RETRY_PAGE_BYTES && page.length > 0) {
      const moved = page.pop();
      sizes[index] = jsonBytes(page);
      if (moved) place(moved, index);
    }
  }
  for (const failure of failed.values()) place(afterAttempt(failure, 1), -1);
  set.pages = pages.length > 0 ? pages : [[]];
  return { compacted: compacted !== undefined };
}

/**
 * `pages` packed again from the start when they use more than twice the pages their entries need
 * (plus one), and when packing moves no entry to a later page than it is on; otherwise undefined.
 */
function packed(pages: RetryEntry[][]): RetryEntry[][] | undefined {
  const total = pages.reduce((sum, page) => sum + jsonBytes(page), 0);
  if (pages.length <= 2 * Math.max(1, Math.ceil(total / RETRY_PAGE_BYTES)) + 1) return undefined;
  const from = new Map(pages.flatMap((page, index) => page.map((entry) => [entry, index] as const)));
  const packedPages = splitList(pages.flat(), RETRY_PAGE_BYTES);
  const forward = packedPages.some((page, index) => page.some((entry) => (from.get(entry) ?? 0) < index));
  return forward ? undefined : packedPages.length > 0 ? packedPages : [[]];
}

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
      rateLimitedWaits: 0,
    };
    await this.saveRun(projectId, run);
    return run;
  }

  async saveRun(projectId: string, run: SyncRun): Promise<void> {
    await this.kvs.set(runKeys.run(projectId, run.kind), boundRun(run));
  }

  /**
   * Writes a run's work list in chunks of WORK_CHUNK ids. Only Jira issue ids are kept (what is not
   * one names no requirement, and could outgrow a chunk); returns the chunks and the ids kept.
   */
  async writeWork(
    projectId: string,
    runId: string,
    ids: string[],
  ): Promise<{ chunks: number; total: number }> {
    const kept = ids.filter((id) => JIRA_ISSUE_ID.test(id));
    const chunks = Math.ceil(kept.length / WORK_CHUNK);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      await this.kvs.set(
        runKeys.work(projectId, runId, chunk),
        kept.slice(chunk * WORK_CHUNK, (chunk + 1) * WORK_CHUNK),
      );
    }
    return { chunks, total: kept.length };
  }

  async workChunk(projectId: string, runId: string, chunk: number): Promise<string[]> {
    const parsed = z.array(z.string()).safeParse(await this.kvs.get(runKeys.work(projectId, runId, chunk)));
    return parsed.success ? parsed.data : [];
  }

  async dropWork(projectId: string, runId: string, chunks: number): Promise<void> {
    for (let chunk = 0; chunk < chunks; chunk += 1)
      await this.kvs.delete(runKeys.work(projectId, runId, chunk));
  }

  /** The whole retry set, most recent first (reads every page). */
  async retries(projectId: string): Promise<RetryEntry[]> {
    const { pages } = await this.readRetries(projectId);
    return pages.flat().sort(byRecency);
  }

  /** The retry set's counts and a sample, from its first page only: for pages that must stay cheap. */
  async retrySummary(projectId: string): Promise<RetrySummary> {
    const head = parseHead(await this.kvs.get(runKeys.retry(projectId)));
    const sample = entriesOf(head.entries).sort(byRecency);
    return { waiting: head.waiting, gaveUp: head.gaveUp, forgotten: head.forgotten, sample };
  }

  /** Applies a batch's outcome to the retry set: successes leave it, failures enter or count up. */
  async updateRetries(
    projectId: string,
    outcome: { succeeded: string[]; failed: Omit<RetryEntry, 'attempts' | 'gaveUp'>[]; removed?: string[] },
  ): Promise<void> {
    if (outcome.succeeded.length === 0 && outcome.failed.length === 0 && !outcome.removed?.length) return;
    const set = await this.readRetries(projectId);
    const { compacted } = applyOutcome(
      set,
      new Set([...outcome.succeeded, ...(outcome.removed ?? [])]),
      new Map(outcome.failed.map((failure) => [failure.issueId, failure])),
    );
    await this.writeRetries(projectId, set, compacted);
  }

  private async readRetries(projectId: string): Promise<RetryPages> {
    const raw = await this.kvs.get(runKeys.retry(projectId));
    const head = parseHead(raw);
    const rest = await Promise.all(
      Array.from({ length: head.pages - 1 }, (_, index) =>
        this.kvs.get(runKeys.retryPage(projectId, index + 1)),
      ),
    );
    const seen = new Set<string>();
    // An entry on two pages (a write cut off while it moved): the first copy is the one kept.
    const pages = [head.entries, ...rest.map((value) => listSchema.catch([]).parse(value))].map((values) =>
      entriesOf(values).filter((entry) => !seen.has(entry.issueId) && Boolean(seen.add(entry.issueId))),
    );
    return {
      pages,
      forgotten: head.forgotten,
      read: [raw, ...rest].map((value) => (value === undefined ? undefined : JSON.stringify(value))),
    };
  }

  /**
   * Writes the pages that changed. Pages that only gained entries moved forward are written before
   * the pages those entries left: from the last page to the first, the head last; after a packing
   * (entries moved back) from the first to the last, the head — still counting every old page —
   * first. Pages past the last non-empty one are deleted at the end.
   */
  private async writeRetries(projectId: string, set: RetryPages, compacted: boolean): Promise<void> {
    const entries = set.pages.flat();
    const waiting = entries.filter((entry) => !entry.gaveUp).length;
    let used = set.pages.length;
    while (used > 1 && (set.pages[used - 1]?.length ?? 0) === 0) used -= 1;
    const head: RetryHead = {
      version: 2,
      pages: compacted ? Math.max(used, set.read.length) : used,
      waiting,
      gaveUp: entries.length - waiting,
      forgotten: set.forgotten,
      entries: set.pages[0] ?? [],
    };
    const writes: (() => Promise<void>)[] = [];
    const write = (index: number, value: unknown) => {
      const json = JSON.stringify(value);
      if (json === set.read[index]) return;
      const key = index === 0 ? runKeys.retry(projectId) : runKeys.retryPage(projectId, index);
      writes.push(() => this.kvs.set(key, value));
    };
    const pages = Array.from({ length: used - 1 }, (_, index) => index + 1);
    if (!compacted) pages.reverse();
    if (compacted) write(0, head);
    for (const index of pages) write(index, set.pages[index] ?? []);
    if (!compacted) write(0, head);
    for (const run of writes) await run();
    const stale = [];
    for (let index = used; index < set.read.length; index += 1)
      if (set.read[index] !== undefined) stale.push(this.kvs.delete(runKeys.retryPage(projectId, index)));
    await Promise.all(stale);
  }
}

/** The head as stored; a set written before pages (a plain array) is its own single page. */
function parseHead(raw: unknown): RetryHead {
  if (Array.isArray(raw)) {
    const entries = entriesOf(raw);
    const waiting = entries.filter((entry) => !entry.gaveUp).length;
    return { version: 2, pages: 1, waiting, gaveUp: entries.length - waiting, forgotten: 0, entries };
  }
  const parsed = retryHeadSchema.safeParse(raw);
  return parsed.success
    ? parsed.data
    : { version: 2, pages: 1, waiting: 0, gaveUp: 0, forgotten: 0, entries: [] };
}

/**
 * Forgets the project's sync runs: the cursor, the runs, their work lists and the retry set — a
 * handful of keys whatever the project's size. Used when the SQAI endpoint changes (the per-issue
 * states stay, and `holdsContent` no longer counts them: see StoredSettings.sqaiSince).
 */
export async function forgetSyncRuns(kvs: KeyValueStore, projectId: string): Promise<void> {
  await deletePrefix(kvs, `syncwork:${projectId}:`);
  await deletePrefix(kvs, `${runKeys.retry(projectId)}:`);
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
