/**
 * The sync DTOs the panels receive (src/api.ts) from what the app built or stored: pure mapping,
 * nothing read or written.
 */
import type {
  ContextSummaryDto,
  IssuePanelView,
  IssueSyncStateDto,
  SendToSqaiResult,
  SyncRunDto,
} from '../api';
import type { StoredErrors } from '../access/reader';
import { errorFor, type Reader } from '../errors';
import { byteSize } from '../context/content-hash';
import type { ContextDocument } from '../context/schema';
import type { SyncRun } from './run-store';

/** The account ids a sync state names: who synced last and who pressed the button in each attempt. */
export function peopleNamedIn(state: Pick<IssueSyncStateDto, 'syncedBy' | 'history'>): string[] {
  return [state.syncedBy, ...state.history.map((entry) => entry.by)].filter(
    (id): id is string => id !== undefined && id !== '',
  );
}

/** What the issue panel shows of a context document. */
export function summarize(document: ContextDocument): ContextSummaryDto {
  // A Map: a test type named `constructor` or `__proto__` must not meet Object.prototype.
  const byType = new Map<string, number>();
  const latest = { passed: 0, failed: 0, todo: 0, executing: 0, other: 0, notRun: 0 };
  for (const test of document.xray.tests) {
    byType.set(test.testType.name, (byType.get(test.testType.name) ?? 0) + 1);
    const status = test.latestRun?.status;
    if (!status) latest.notRun += 1;
    else if (status === 'PASSED') latest.passed += 1;
    else if (status === 'FAILED') latest.failed += 1;
    else if (status === 'TODO') latest.todo += 1;
    else if (status === 'EXECUTING') latest.executing += 1;
    else latest.other += 1;
  }
  return {
    issue: {
      id: document.source.issueId,
      key: document.source.issueKey,
      summary: document.requirement.summary,
      type: document.requirement.type,
      status: document.requirement.status ?? '',
    },
    isRequirement: document.xray.isRequirement,
    linkedIssues: document.linkedIssues.length,
    remoteLinks: document.remoteLinks.length,
    confluencePages: document.remoteLinks.filter((link) => link.isConfluence).length,
    tests: { total: document.xray.testsTotal, byType: Object.fromEntries(byType) },
    testSets: document.xray.testSets.length,
    testExecutions: document.xray.testExecutions.length,
    testPlans: document.xray.testPlans.length,
    latestResults: latest,
    coverage: document.xray.coverage.status,
    contentHash: document.contentHash,
    sizeBytes: byteSize(document),
    truncated: document.truncated,
  };
}

/** A sync run as the settings page shows it, with its rate and, while it runs, when it should end. */
export function toRunDto(run: SyncRun, now: Date): SyncRunDto {
  const elapsedMinutes = Math.max(1 / 60, (Date.parse(run.updatedAt) - Date.parse(run.startedAt)) / 60_000);
  const ratePerMinute = Math.round((run.done / elapsedMinutes) * 10) / 10;
  const remaining = run.total - run.done;
  const running = run.status === 'running' || run.status === 'queued';
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    total: run.total,
    done: run.done,
    pushed: run.pushed,
    unchanged: run.unchanged,
    failed: run.failed,
    ratePerMinute,
    ...(running && ratePerMinute > 0 && remaining > 0
      ? { etaAt: new Date(now.getTime() + (remaining / ratePerMinute) * 60_000).toISOString() }
      : {}),
    ...(running && run.pausedUntil && Date.parse(run.pausedUntil) > now.getTime()
      ? { pausedUntil: run.pausedUntil }
      : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

/** A sync state as `reader` reads it: its stored error's remedy worded for them (`errorFor`). */
export function stateFor(state: IssueSyncStateDto, reader: Reader): IssueSyncStateDto {
  return state.error ? { ...state, error: errorFor(state.error, reader) } : state;
}

/** How the issue panel and a send word the sync error they carry (`answeredTo`). */
export const STORED_IN_PANEL: StoredErrors<IssuePanelView> = {
  errorsIn: (view) => (view.state.error ? [view.state.error] : []),
  wordedFor: (view, reader) => ({ ...view, state: stateFor(view.state, reader) }),
};
export const STORED_IN_SEND: StoredErrors<SendToSqaiResult> = {
  errorsIn: (result) => (result.state.error ? [result.state.error] : []),
  wordedFor: (result, reader) => ({ ...result, state: stateFor(result.state, reader) }),
};
