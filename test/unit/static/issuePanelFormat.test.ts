import type { ContextSummaryDto, IssueSyncStateDto } from '../../../src/api';
import {
  coverageBadge,
  formatSize,
  latestResultParts,
  recentHistory,
  remoteLinksText,
  sentDescription,
  syncedByPerson,
  syncedByText,
  syncStatusOf,
  testsByTypeText,
} from '../../../static/issue-panel/src/format';
import { plural } from '../../../static/common/src/format';

const state = (patch: Partial<IssueSyncStateDto> = {}): IssueSyncStateDto => ({
  status: 'never',
  attempts: 0,
  history: [],
  ...patch,
});

const noResults = { passed: 0, failed: 0, todo: 0, executing: 0, other: 0, notRun: 0 };

describe('syncStatusOf', () => {
  it('is "Never synced" for an issue SQAI has never received', () => {
    expect(syncStatusOf({ state: state(), upToDate: false })).toEqual({
      text: 'Never synced',
      appearance: 'default',
    });
  });
  it('is "Up to date" when SQAI holds exactly this content', () => {
    const synced = state({ status: 'synced', syncedAt: '2026-03-10T10:00:00Z', contentHash: 'h' });
    expect(syncStatusOf({ state: synced, upToDate: true })).toEqual({
      text: 'Up to date',
      appearance: 'success',
    });
  });
  it('is "Changed since last sync" when synced before but the content moved on', () => {
    const synced = state({ status: 'synced', syncedAt: '2026-03-10T10:00:00Z', contentHash: 'h' });
    expect(syncStatusOf({ state: synced, upToDate: false })).toEqual({
      text: 'Changed since last sync',
      appearance: 'moved',
    });
  });
  it('is "Sync failed" when the last attempt failed, whatever SQAI holds', () => {
    const error = { code: 'SQAI_UNREACHABLE' as const, message: 'm', remedy: 'r' };
    for (const upToDate of [true, false]) {
      expect(syncStatusOf({ state: state({ status: 'failed', error }), upToDate })).toEqual({
        text: 'Sync failed',
        appearance: 'removed',
      });
    }
  });
});

describe('wording', () => {
  it('pluralises', () => {
    expect(plural(1, 'test')).toBe('1 test');
    expect(plural(0, 'test')).toBe('0 tests');
    expect(plural(3, 'linked issue')).toBe('3 linked issues');
  });

  it('names who synced by display name — never the raw account id — or the app', () => {
    const people = { '557058:abc': { accountId: '557058:abc', displayName: 'Priya Raman' } };
    expect(syncedByText('557058:abc', people)).toBe('Priya Raman');
    expect(syncedByPerson('557058:abc', people)).toEqual(people['557058:abc']);
    // Not in the view's people (e.g. Jira did not answer): a neutral name, not the id.
    expect(syncedByText('557058:zzz', people)).toBe('Unknown user');
    expect(syncedByText('557058:abc', undefined)).toBe('Unknown user');
    // `people` is a plain record: an id like `constructor` must not find Object.prototype's.
    expect(syncedByText('constructor', {})).toBe('Unknown user');
    expect(syncedByText(undefined, people)).toBe('the app');
    expect(syncedByText(' ', people)).toBe('the app');
    expect(syncedByPerson(undefined, people)).toBeUndefined();
  });

  it('lists tests by type in a familiar order, leaving out empty types', () => {
    expect(testsByTypeText({ Generic: 1, Cucumber: 1, Manual: 3 })).toBe('Manual 3 · Cucumber 1 · Generic 1');
    expect(testsByTypeText({ Zeta: 2, Manual: 0, Alpha: 1, Generic: 4 })).toBe(
      'Generic 4 · Alpha 1 · Zeta 2',
    );
    expect(testsByTypeText({})).toBe('');
  });

  it('formats document sizes', () => {
    expect(formatSize(0)).toBe('0 bytes');
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(1023)).toBe('1023 bytes');
    expect(formatSize(12_700)).toBe('12.4 KB');
    expect(formatSize(300 * 1024)).toBe('300 KB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MB');
  });

  it('calls out Confluence pages among remote links', () => {
    expect(remoteLinksText({ remoteLinks: 0, confluencePages: 0 })).toBe('0');
    expect(remoteLinksText({ remoteLinks: 3, confluencePages: 2 })).toBe('3 (2 Confluence pages)');
    expect(remoteLinksText({ remoteLinks: 1, confluencePages: 1 })).toBe('1 (1 Confluence page)');
  });

  it('describes what was sent, for the flag', () => {
    const summary = {
      issue: { id: '10001', key: 'DEMO-1', summary: 's', type: 'Story', status: 'To Do' },
      tests: { total: 12, byType: { Manual: 12 } },
      linkedIssues: 3,
    } satisfies Pick<ContextSummaryDto, 'issue' | 'tests' | 'linkedIssues'>;
    expect(sentDescription(summary)).toBe('DEMO-1: 12 tests, 3 linked issues');
    expect(sentDescription({ ...summary, tests: { total: 1, byType: {} }, linkedIssues: 1 })).toBe(
      'DEMO-1: 1 test, 1 linked issue',
    );
  });
});

describe('latestResultParts', () => {
  it('shows the non-zero results with their lozenge appearances, failures early', () => {
    expect(latestResultParts({ ...noResults, passed: 2, failed: 1, todo: 1, notRun: 1 })).toEqual([
      { key: 'passed', count: 2, text: '2 passed', appearance: 'success' },
      { key: 'failed', count: 1, text: '1 failed', appearance: 'removed' },
      { key: 'todo', count: 1, text: '1 to do', appearance: 'new' },
      { key: 'notRun', count: 1, text: '1 not run', appearance: 'default' },
    ]);
  });
  it('is empty when nothing ran', () => {
    expect(latestResultParts(noResults)).toEqual([]);
  });
});

describe('coverageBadge', () => {
  it.each([
    ['OK', 'OK', 'success'],
    ['NOK', 'NOK', 'removed'],
    ['UNCOVERED', 'Uncovered', 'moved'],
    ['NOTRUN', 'Not run', 'default'],
    ['UNKNOWN', 'Unknown', 'default'],
    ['ok', 'OK', 'success'],
    ['PARTIAL', 'PARTIAL', 'default'],
  ])('%s → %s (%s)', (coverage, text, appearance) => {
    expect(coverageBadge(coverage)).toEqual({ text, appearance });
  });
  it('is absent when Xray reports none', () => {
    expect(coverageBadge(null)).toBeNull();
    expect(coverageBadge('')).toBeNull();
  });
});

describe('recentHistory', () => {
  it('keeps the newest ten', () => {
    const history = Array.from({ length: 14 }, (_, i) => ({
      at: `2026-03-${String(20 - i).padStart(2, '0')}T00:00:00Z`,
      trigger: 'scheduled' as const,
      contentHash: `h${i}`,
      outcome: 'pushed' as const,
      durationMs: 10,
    }));
    const recent = recentHistory({ history });
    expect(recent).toHaveLength(10);
    expect(recent[0]?.contentHash).toBe('h0');
  });
});
