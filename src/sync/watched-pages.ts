/**
 * The Confluence pages the synced requirements' documents include, per project, and the version of
 * each that went into them — so that the hourly sync notices a page edit, which Jira does not: editing
 * a linked page changes nothing in the Jira issue (its `updated` stays), so the JQL pass never finds
 * it and the document SQAI holds would silently go stale (docs/confluence-fidelity.md C9).
 *
 *   pagewatch:<projectId>   { version: 1, requirements: { <issueId>: [[<pageId>, <state>], …] }, refused }
 *
 * A page's state is what the requirement's last app-view build read of it: its version number (≥ 1),
 * NOT_READABLE (0: Confluence answered 404/401/403 — deleted, trashed or restricted) or READ_FAILED
 * (−1: no answer; any look at it counts as a change, so the next run reads it again). Versions are
 * kept per requirement, not per page: two requirements that read one page an hour apart may have read
 * different versions, and each is re-sent exactly when what *it* holds is behind.
 *
 * Written by each batch of a scheduled run or backfill (`recordBatch`, from the builds it made: one
 * read and one write per batch); read by each hourly run (`changedByPages`), which asks
 * Confluence for the current versions of every watched page with `getPages` — one request per 250
 * distinct pages, none when nothing is watched — and adds the requirements whose pages moved (or went)
 * to the run's work, like a Jira change.
 *
 * Bounded: at most MAX_WATCHED_PAGES distinct pages (so at most 4 Confluence requests an hour) and
 * WATCH_MAX_BYTES of JSON (under Forge's 240 KiB). Past either cap a requirement not yet watched is
 * not added (counted in `refused`, logged): its pages' edits are found only when the requirement
 * itself changes in Jira or Xray, or by the next backfill — as before this record existed.
 */
import { z } from 'zod';
import { isPageId, readPageVersions, type PageRead } from '../clients/confluence';
import type { Deadline } from '../clients/upstream';
import { toErrorDto } from '../errors';
import { KVS_MAX_VALUE_BYTES } from '../platform/limits';
import type { ConfluenceTransport, KeyValueStore, Log } from '../platform/ports';
import { jsonBytes } from '../platform/storage-bounds';

/** A page Confluence answered 404, 401 or 403 for: gone, trashed or restricted (for the app). */
export const NOT_READABLE = 0;
/** A page whose read failed (5xx, no answer): the next look re-reads it, whatever Confluence says. */
export const READ_FAILED = -1;
/** Distinct pages watched per project: 4 `getPages` requests of 250 an hour at most. */
export const MAX_WATCHED_PAGES = 1_000;
/** The record's JSON at most (Forge's 240 KiB less room to spare). */
export const WATCH_MAX_BYTES = KVS_MAX_VALUE_BYTES - 1_024;
/** Pages per requirement: a document reads at most 10 (CONTEXT_LIMITS.linkedPagesRead); room for more. */
const MAX_PAGES_PER_REQUIREMENT = 50;
const JIRA_ISSUE_ID = /^\d{1,19}$/;

export const watchKey = (projectId: string) => `pagewatch:${projectId}`;

const pageStateSchema = z.tuple([
  z.string().refine(isPageId, 'a Confluence page id'),
  z.number().int().min(READ_FAILED),
]);

export const watchRecordSchema = z.object({
  version: z.literal(1),
  /** Requirement issue id → the pages its last build included, each with the state it read. */
  requirements: z.record(
    z.string().regex(JIRA_ISSUE_ID),
    z.array(pageStateSchema).min(1).max(MAX_PAGES_PER_REQUIREMENT),
  ),
  /** Requirements not watched because the record was full, ever. */
  refused: z.number().int().nonnegative(),
  /** When it was last written (a disconnect's purge deletes only a record written before it). */
  writtenAt: z.string().optional(),
});

export type WatchRecord = z.infer<typeof watchRecordSchema>;
export type PageState = z.infer<typeof pageStateSchema>;

const emptyRecord = (): WatchRecord => ({ version: 1, requirements: {}, refused: 0 });

/**
 * What a build read of each page, as the watch keeps it: the version read; NOT_READABLE for a 404 or
 * no access; READ_FAILED for no answer. A page too large to convert is watched at its version when
 * the answer said it, else not at all (its edits do not change what the document holds of it).
 */
export function pageStatesOf(pageReads: ReadonlyMap<string, PageRead>): PageState[] {
  const states: PageState[] = [];
  for (const [pageId, read] of pageReads) {
    if (!isPageId(pageId)) continue;
    if (read.ok) states.push([pageId, read.page.version ?? READ_FAILED]);
    else if (read.reason === 'notFoundOrRestricted' || read.reason === 'noAccess')
      states.push([pageId, NOT_READABLE]);
    else if (read.reason === 'unavailable') states.push([pageId, READ_FAILED]);
    else if (read.version !== undefined) states.push([pageId, read.version]);
  }
  return states.sort(([a], [b]) => a.localeCompare(b)).slice(0, MAX_PAGES_PER_REQUIREMENT);
}

/** Why a watched requirement is re-sent. */
export type PageChange = 'edited' | 'gone' | 'back' | 'reread';

export interface PageLook {
  /** Requirements to re-sync, each with its first changed page and why. */
  changed: { issueId: string; pageId: string; change: PageChange }[];
  /** Distinct pages asked about. */
  pages: number;
  /** Confluence requests made (one per 250 pages). */
  requests: number;
}

export class WatchedPages {
  constructor(
    private readonly kvs: KeyValueStore,
    private readonly log: Pick<Log, 'warn'>,
  ) {}

  /** The project's record (an unreadable one is treated as empty and rewritten by the next batch). */
  async read(projectId: string): Promise<WatchRecord> {
    const raw = await this.kvs.get(watchKey(projectId));
    if (raw === undefined || raw === null) return emptyRecord();
    const parsed = watchRecordSchema.safeParse(raw);
    return parsed.success ? parsed.data : emptyRecord();
  }

  /**
   * A batch's builds: each requirement's pages replace what was recorded for it (none: it drops
   * out, as does each of `removed`). One read and one write.
   */
  async recordBatch(
    projectId: string,
    built: ReadonlyMap<string, PageState[]>,
    removed: readonly string[] = [],
    at: Date = new Date(),
  ): Promise<WatchRecord> {
    const record = await this.read(projectId);
    const next = applyBatch(record, built, removed);
    if (next.refusedNow > 0) {
      this.log.warn('Linked Confluence pages not watched: the record is full', {
        projectId,
        refused: next.refusedNow,
        maxPages: MAX_WATCHED_PAGES,
      });
    }
    if (built.size === 0 && removed.length === 0) return record;
    // Written even when unchanged: `writtenAt` tells a late purge that a sync wrote it since.
    const written = { ...next.record, writtenAt: at.toISOString() };
    await this.kvs.set(watchKey(projectId), written);
    return written;
  }

  /**
   * The requirements whose watched pages changed since their documents were built, by `getPages` as
   * the app. A failed look changes nothing (logged; the next hourly run looks again) — the run goes
   * on with what Jira and Xray said.
   */
  async changedByPages(
    projectId: string,
    confluence: ConfluenceTransport | undefined,
    deadline?: Deadline,
  ): Promise<PageLook> {
    const record = await this.read(projectId);
    const entries = Object.entries(record.requirements);
    const pageIds = [...new Set(entries.flatMap(([, pages]) => pages.map(([pageId]) => pageId)))];
    if (pageIds.length === 0 || !confluence) return { changed: [], pages: 0, requests: 0 };
    let versions: Map<string, number>;
    let requests = 0;
    try {
      ({ versions, requests } = await readPageVersions(confluence, pageIds, {
        as: 'app',
        ...(deadline ? { deadline } : {}),
      }));
    } catch (error) {
      this.log.warn('Could not look at the linked Confluence pages; the next hourly run looks again', {
        projectId,
        code: toErrorDto(error).code,
      });
      // A request was made (and failed): it counts.
      return { changed: [], pages: pageIds.length, requests: Math.max(requests, 1) };
    }
    const changed: PageLook['changed'] = [];
    for (const [issueId, pages] of entries) {
      for (const [pageId, held] of pages) {
        const now = versions.get(pageId) ?? NOT_READABLE;
        const change: PageChange | null =
          held === READ_FAILED
            ? 'reread'
            : held === now
              ? null
              : now === NOT_READABLE
                ? 'gone'
                : held === NOT_READABLE
                  ? 'back'
                  : 'edited';
        if (change) {
          changed.push({ issueId, pageId, change });
          break;
        }
      }
    }
    return { changed, pages: pageIds.length, requests };
  }
}

/**
 * A disconnect's purge (./purge-sync-states.ts): the record goes unless a sync of the project, connected
 * again since, wrote it after `before`.
 */
export async function forgetWatchedPages(
  kvs: KeyValueStore,
  projectId: string,
  before: number,
): Promise<void> {
  const parsed = watchRecordSchema.safeParse(await kvs.get(watchKey(projectId)));
  const writtenAt = parsed.success ? Date.parse(parsed.data.writtenAt ?? '') : Number.NaN;
  if (Number.isNaN(writtenAt) || writtenAt < before) await kvs.delete(watchKey(projectId));
}

/** The record after a batch (pure): replaced, added within the caps, removed (without `writtenAt`). */
export function applyBatch(
  record: WatchRecord,
  built: ReadonlyMap<string, PageState[]>,
  removed: readonly string[],
): { record: WatchRecord; refusedNow: number } {
  const requirements = { ...record.requirements };
  for (const issueId of removed) delete requirements[issueId];
  for (const [issueId, pages] of built) if (pages.length === 0) delete requirements[issueId];
  // Page use counts and size without the requirements about to be written.
  const uses = new Map<string, number>();
  for (const [issueId, pages] of Object.entries(requirements)) {
    if (built.has(issueId)) continue;
    for (const [pageId] of pages) uses.set(pageId, (uses.get(pageId) ?? 0) + 1);
  }
  const kept: Record<string, PageState[]> = {};
  for (const [issueId, pages] of Object.entries(requirements)) if (!built.has(issueId)) kept[issueId] = pages;
  let bytes = jsonBytes({ version: 1, requirements: kept, refused: record.refused });
  let refusedNow = 0;
  for (const [issueId, pages] of built) {
    if (pages.length === 0 || !JIRA_ISSUE_ID.test(issueId)) continue;
    const fresh = pages.filter(([pageId]) => !uses.has(pageId)).length;
    const size = jsonBytes({ [issueId]: pages }) - 2 + 1; // its member and a comma
    if (uses.size + fresh > MAX_WATCHED_PAGES || bytes + size + 16 > WATCH_MAX_BYTES) {
      // No room: not watched (a requirement watched before drops out rather than keep stale states).
      refusedNow += 1;
      continue;
    }
    kept[issueId] = pages;
    bytes += size;
    for (const [pageId] of pages) uses.set(pageId, (uses.get(pageId) ?? 0) + 1);
  }
  return {
    record: watchRecordSchema.parse({ version: 1, requirements: kept, refused: record.refused + refusedNow }),
    refusedNow,
  };
}
