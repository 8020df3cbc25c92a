/**
 * Pure wording and mapping for the issue panel: sync status, counts, sizes, lozenge appearances.
 * No React, no bridge — unit-tested in node (test/unit/static/issuePanelFormat.test.ts).
 */
import type {
  ContextSummaryDto,
  IssuePanelView,
  IssueSyncStateDto,
  PeopleDto,
  PersonDto,
  SyncOutcome,
  SyncTrigger,
} from '../../../src/api';
import { plural, type LozengeAppearance, type StatusBadge } from '../../common/src/format';
import { personOf } from '../../common/src/people';

/** The panel's one-word verdict on the issue's sync. A failed last attempt wins. */
export function syncStatusOf(view: Pick<IssuePanelView, 'state' | 'upToDate'>): StatusBadge {
  if (view.state.status === 'failed') return { text: 'Sync failed', appearance: 'removed' };
  if (view.upToDate) return { text: 'Up to date', appearance: 'success' };
  if (view.state.status === 'synced' || view.state.syncedAt)
    return { text: 'Changed since last sync', appearance: 'moved' };
  return { text: 'Never synced', appearance: 'default' };
}

/**
 * Who pushed: the person who pressed the button, as the view names them (never the raw account id),
 * or undefined for the app (scheduled / backfill syncs).
 */
export function syncedByPerson(by: string | undefined, people: PeopleDto | undefined): PersonDto | undefined {
  return by && by.trim() !== '' ? personOf(people, by) : undefined;
}

/** Who pushed, in words: the person's display name, or "the app". */
export function syncedByText(by: string | undefined, people: PeopleDto | undefined): string {
  return syncedByPerson(by, people)?.displayName ?? 'the app';
}

/** Test types in a fixed, familiar order first (Manual, Cucumber, Generic), then any others by name. */
const KNOWN_TEST_TYPES = ['Manual', 'Cucumber', 'Generic'];

/** "Manual 3 · Cucumber 1 · Generic 1" (types with no tests left out); "" when there are none. */
export function testsByTypeText(byType: Record<string, number>): string {
  const entries = Object.entries(byType).filter(([, count]) => count > 0);
  const rank = (type: string) => {
    const index = KNOWN_TEST_TYPES.indexOf(type);
    return index === -1 ? KNOWN_TEST_TYPES.length : index;
  };
  entries.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return entries.map(([type, count]) => `${type} ${count}`).join(' · ');
}

/** "820 bytes", "12.4 KB", "1.3 MB" (binary units, as the limits are). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb < 100 ? kb.toFixed(1) : Math.round(kb)} KB`;
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** "3 (2 Confluence pages)" — remote links, calling out how many are Confluence pages. */
export function remoteLinksText(summary: Pick<ContextSummaryDto, 'remoteLinks' | 'confluencePages'>): string {
  if (summary.confluencePages <= 0) return String(summary.remoteLinks);
  return `${summary.remoteLinks} (${plural(summary.confluencePages, 'Confluence page')})`;
}

export type ResultKey = keyof ContextSummaryDto['latestResults'];

export interface ResultPart {
  key: ResultKey;
  count: number;
  text: string;
  appearance: LozengeAppearance;
}

const RESULT_PARTS: { key: ResultKey; label: string; appearance: LozengeAppearance }[] = [
  { key: 'passed', label: 'passed', appearance: 'success' },
  { key: 'failed', label: 'failed', appearance: 'removed' },
  { key: 'executing', label: 'executing', appearance: 'inprogress' },
  { key: 'todo', label: 'to do', appearance: 'new' },
  { key: 'other', label: 'other', appearance: 'moved' },
  { key: 'notRun', label: 'not run', appearance: 'default' },
];

/** The latest results worth showing: "2 passed", "1 failed", … (zero counts left out). */
export function latestResultParts(results: ContextSummaryDto['latestResults']): ResultPart[] {
  return RESULT_PARTS.filter(({ key }) => results[key] > 0).map(({ key, label, appearance }) => ({
    key,
    count: results[key],
    text: `${results[key]} ${label}`,
    appearance,
  }));
}

/** Xray's coverage status as a lozenge: OK green, NOK red, UNCOVERED yellow, NOTRUN/UNKNOWN grey. */
export function coverageBadge(coverage: string | null): StatusBadge | null {
  if (coverage === null || coverage.trim() === '') return null;
  const name = coverage.trim().toUpperCase();
  switch (name) {
    case 'OK':
      return { text: 'OK', appearance: 'success' };
    case 'NOK':
      return { text: 'NOK', appearance: 'removed' };
    case 'UNCOVERED':
      return { text: 'Uncovered', appearance: 'moved' };
    case 'NOTRUN':
    case 'NOT_RUN':
      return { text: 'Not run', appearance: 'default' };
    case 'UNKNOWN':
      return { text: 'Unknown', appearance: 'default' };
    default:
      return { text: coverage.trim(), appearance: 'default' };
  }
}

/** The success flag's description: "DEMO-1: 12 tests, 3 linked issues". */
export function sentDescription(
  summary: Pick<ContextSummaryDto, 'issue' | 'tests' | 'linkedIssues'>,
): string {
  return `${summary.issue.key}: ${plural(summary.tests.total, 'test')}, ${plural(summary.linkedIssues, 'linked issue')}`;
}

export const TRIGGER_TEXT: Record<SyncTrigger, string> = {
  panel: 'Panel',
  scheduled: 'Scheduled',
  backfill: 'Backfill',
};

export const OUTCOME_BADGE: Record<SyncOutcome, StatusBadge> = {
  pushed: { text: 'Sent', appearance: 'success' },
  unchanged: { text: 'Unchanged', appearance: 'default' },
  failed: { text: 'Failed', appearance: 'removed' },
};

export const HISTORY_LIMIT = 10;

/** The newest entries of the (already newest-first) history, at most HISTORY_LIMIT. */
export function recentHistory(state: Pick<IssueSyncStateDto, 'history'>): IssueSyncStateDto['history'] {
  return state.history.slice(0, HISTORY_LIMIT);
}
