/**
 * The issue panel's use cases: show what the app knows about an issue's testing context, preview
 * the exact document, and send it to SQAI. Everything reads Jira as the calling user, so a user can
 * only see and send what Jira lets them see.
 */
import type { ContextPreviewDto, ContextSummaryDto, IssuePanelView, SendToSqaiResult } from '../api';
import { keyReminderOf } from '../config/connection-check';
import { Deadline } from '../clients/upstream';
import { gatherForUser } from '../context/gather';
import { byteSize } from '../context/content-hash';
import type { ContextDocument } from '../context/schema';
import type { Platform } from '../platform/ports';
import { findProjectClients, loadProjectClients, type ProjectClients } from './project-clients';
import { holdsContent, SyncStateStore, toStateDto } from './state';
import { syncIssue } from './sync-issue';
import { isProjectAdmin } from '../access/project-admin';

/** A panel action has Forge's 25 s; leave room for storage and the response. */
export const PANEL_BUDGET_MS = 20_000;

export interface IssueRef {
  cloudId: string;
  siteUrl: string | null;
  accountId: string;
  project: { id: string; key: string };
  issue: { id: string; key: string };
}

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

export class IssuePanelService {
  private readonly states: SyncStateStore;

  constructor(private readonly platform: Platform) {
    this.states = new SyncStateStore(platform.kvs);
  }

  private async gather(ref: IssueRef, clients: ProjectClients, deadline: Deadline): Promise<ContextDocument> {
    return (await gatherForUser(this.platform, ref, clients, deadline)).document;
  }

  async view(ref: IssueRef): Promise<IssuePanelView> {
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const [clients, state] = await Promise.all([
      findProjectClients(this.platform, ref.project.id, deadline),
      this.states.get(ref.project.id, ref.issue.id),
    ]);
    const base = { project: ref.project, issue: ref.issue, state: toStateDto(state) };
    if (!clients) {
      return {
        ...base,
        configured: false,
        canConfigure: await isProjectAdmin(this.platform, ref.project.id),
        summary: null,
        upToDate: false,
      };
    }
    const reminder = keyReminderOf(clients.settings, this.platform.clock.now());
    const [document, isAdmin] = await Promise.all([
      this.gather(ref, clients, deadline),
      reminder ? isProjectAdmin(this.platform, ref.project.id) : Promise.resolve(false),
    ]);
    return {
      ...base,
      ...(reminder && isAdmin ? { keyReminder: reminder } : {}),
      configured: true,
      canConfigure: isAdmin,
      summary: summarize(document),
      upToDate: holdsContent(state, document.contentHash, clients.settings.sqaiSince),
    };
  }

  async preview(ref: IssueRef): Promise<ContextPreviewDto> {
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
    const document = await this.gather(ref, clients, deadline);
    return { document, contentHash: document.contentHash, sizeBytes: byteSize(document) };
  }

  async send(ref: IssueRef, force: boolean): Promise<SendToSqaiResult> {
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
    const result = await syncIssue(this.platform, clients, {
      cloudId: ref.cloudId,
      siteUrl: ref.siteUrl,
      project: ref.project,
      issueId: ref.issue.id,
      actor: 'user',
      trigger: 'panel',
      by: ref.accountId,
      force,
      deadline,
    });
    return {
      outcome: result.outcome,
      state: toStateDto(result.state),
      summary: summarize(result.document),
      durationMs: result.durationMs,
    };
  }
}
