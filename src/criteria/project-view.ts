/**
 * The settings page's project view of acceptance criteria (issue 18 item 6; docs/criteria.md
 * "Project view"): totals across the project — criteria proven, failing, with no test — and the
 * requirements with the most unproven criteria first, a page at a time, from the ranking the one
 * writer keeps (./project-index.ts).
 *
 * - Totals are the stored ones (recomputed at the end of each sync run that changed an entry), "as
 *   of" when they were computed. With none stored yet — or stored over an hour ago while entries
 *   changed since (the hourly sync may be off) — they are counted now, within a time budget, and
 *   stored; when the budget runs out first, the older totals are answered, or with none what was
 *   counted, without `computedAt` (the page says so), and the end of the next sync run completes them.
 * - A page holds only requirements the caller can see in Jira (one bulk read as the user per store
 *   page, which also gives the current key and summary) that are still in this project: the others
 *   are skipped, so a page may be shorter than asked. The cursor handed back always points just after
 *   an entry the caller was shown — never after a hidden one — so it reveals nothing about them.
 *   A page reads the store once when nothing on it is hidden; past hidden entries it scans 100 at a
 *   time, up to {@link MAX_STORE_PAGES} reads. After a longer run of hidden entries (about 400) the
 *   list ends early rather than hand out a cursor inside them.
 */
import { z } from 'zod';
import type { GetProjectCriteriaInput, ProjectCriteriaDto, ProjectCriteriaRequirementDto } from '../api';
import { visibleIssues as readVisibleIssues, type VisibleIssue } from '../clients/jira-issues';
import { Deadline } from '../clients/upstream';
import { AppError } from '../errors';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { ProjectContext } from '../resolvers/context';
import {
  countProjectTotals,
  RANK_QUERY_LIMIT,
  rankEntrySchema,
  rankPrefix,
  readProjectTotals,
  refreshProjectTotals,
  type RankEntry,
} from './project-index';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 50;
/** Store pages one call reads at most (each with one Jira bulk read). */
export const MAX_STORE_PAGES = 5;
/** Counting totals on demand stops with this much of the resolver's budget left (for the page). */
const TOTALS_RESERVE_MS = 8_000;
/** Stored totals younger than this are shown as they are (the end of each sync run counts again). */
export const TOTALS_FRESH_MS = 60 * 60_000;

const inputSchema = z
  .object({
    cursor: z.string().min(1).max(2_000).optional(),
    limit: z.number().int().min(1).max(MAX_PAGE).optional(),
  })
  .strict();

export interface ProjectViewOptions {
  /** The resolver's budget (default: PANEL_BUDGET_MS). */
  deadline?: Deadline;
}

export async function getProjectCriteria(
  platform: Platform,
  caller: ProjectContext,
  input: GetProjectCriteriaInput,
  options: ProjectViewOptions = {},
): Promise<ProjectCriteriaDto> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION', {
      message: 'The page of requirements asked for is not valid (cursor, or a limit of 1–50).',
    });
  }
  const deadline = options.deadline ?? new Deadline(PANEL_BUDGET_MS);
  const projectId = caller.project.id;
  // Independent: the totals (stored, or counted) and the page are read at once.
  const [totals, page] = await Promise.all([
    totalsFor(platform, projectId, deadline),
    pageOf(platform, projectId, parsed.data.limit ?? DEFAULT_PAGE, parsed.data.cursor, deadline),
  ]);
  return {
    totals: totals.totals,
    ...(totals.computedAt ? { computedAt: totals.computedAt } : {}),
    requirements: page.requirements,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

async function totalsFor(
  platform: Platform,
  projectId: string,
  deadline: Deadline,
): Promise<Pick<ProjectCriteriaDto, 'totals' | 'computedAt'>> {
  const stored = await readProjectTotals(platform.kvs, projectId);
  const age = stored ? platform.clock.now().getTime() - Date.parse(stored.computedAt) : Infinity;
  if (stored && age < TOTALS_FRESH_MS) return stored;
  // None yet, or older than an hour (no sync run has ended since: the hourly sync may be off):
  // counted again if anything changed since, within the budget.
  const refreshed = await refreshProjectTotals(platform, projectId, deadline, TOTALS_RESERVE_MS);
  if ((refreshed.outcome === 'current' || refreshed.outcome === 'computed') && refreshed.totals) {
    return {
      totals: refreshed.totals,
      ...(refreshed.computedAt ? { computedAt: refreshed.computedAt } : {}),
    };
  }
  if (stored) return stored;
  if (refreshed.totals) return { totals: refreshed.totals };
  // The store failed while counting (logged): count what the budget allows, without storing.
  return {
    totals: (await countProjectTotals(platform.kvs, platform.log, projectId, deadline, TOTALS_RESERVE_MS))
      .totals,
  };
}

interface Page {
  requirements: ProjectCriteriaRequirementDto[];
  nextCursor?: string;
}

async function pageOf(
  platform: Platform,
  projectId: string,
  limit: number,
  startCursor: string | undefined,
  deadline: Deadline,
): Promise<Page> {
  const prefix = rankPrefix(projectId);
  const requirements: ProjectCriteriaRequirementDto[] = [];
  let cursor = startCursor;
  /** The last entry shown: where its store page began, how many entries up to it, and that page's size and cursor. */
  let lastShown:
    { from: string | undefined; read: number; size: number; cursor: string | undefined } | undefined;
  let more = true;
  /** Whether, when the page filled up, entries after the last one shown on its store page are visible. */
  let visibleAfter = false;
  for (let pages = 0; pages < MAX_STORE_PAGES && requirements.length < limit && more; pages += 1) {
    const from = cursor;
    // The first read takes just what the page needs (all of it, when nothing is hidden); after hidden
    // entries the store is scanned 100 at a time, and the cursor is cut after the last one shown.
    const size = pages === 0 ? limit : RANK_QUERY_LIMIT;
    const page = await platform.kvs.query(prefix, { limit: size, ...(from ? { cursor: from } : {}) });
    const entries = page.entries.map(({ value }) => rankEntrySchema.safeParse(value));
    const issues = await visibleInProject(
      platform,
      projectId,
      entries.flatMap((entry) => (entry.success ? [entry.data] : [])),
      deadline,
    );
    for (const [index, entry] of entries.entries()) {
      const issue = entry.success ? issues.get(entry.data.issueId) : undefined;
      if (!entry.success || !issue) continue;
      requirements.push(rowOf(entry.data, issue));
      lastShown = { from, read: index + 1, size: entries.length, cursor: page.cursor };
      if (requirements.length === limit) {
        visibleAfter = entries.slice(index + 1).some((next) => next.success && issues.has(next.data.issueId));
        break;
      }
    }
    cursor = page.cursor;
    more = cursor !== undefined;
  }
  const filled = requirements.length === limit;
  // The rest of the project's ranking is hidden from the caller, or there is none: the list ends.
  if (!lastShown || (!more && !(filled && visibleAfter))) return { requirements };
  // The last entry shown ends its store page: that page's cursor is just after it.
  if (lastShown.read === lastShown.size) {
    return { requirements, ...(lastShown.cursor ? { nextCursor: lastShown.cursor } : {}) };
  }
  // Hidden (or not yet shown) entries follow it on its page: read that page again up to it.
  const again = await platform.kvs.query(prefix, {
    limit: lastShown.read,
    ...(lastShown.from ? { cursor: lastShown.from } : {}),
  });
  return { requirements, ...(again.cursor ? { nextCursor: again.cursor } : {}) };
}

/** The entries' issues the caller can see and that are still in the project (one bulk read as them). */
async function visibleInProject(
  platform: Platform,
  projectId: string,
  entries: RankEntry[],
  deadline: Deadline,
): Promise<Map<string, VisibleIssue>> {
  const issues = await readVisibleIssues(
    platform.jira,
    entries.map((entry) => entry.issueId),
    { as: 'user', deadline },
  );
  return new Map([...issues].filter(([, issue]) => issue.projectId === projectId));
}

function rowOf(entry: RankEntry, issue: VisibleIssue): ProjectCriteriaRequirementDto {
  return {
    key: issue.key,
    ...(issue.summary !== undefined ? { summary: issue.summary } : {}),
    summaryCounts: entry.counts,
  };
}
