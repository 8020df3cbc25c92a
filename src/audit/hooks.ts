/**
 * What the send paths call to record the audit trail (one KVS write per document or delivery; a
 * failure to record is logged and counted, never thrown — see ./store.ts):
 * - `auditSend`: a context document sent to SQAI (panel send: the user; hourly sync and backfill:
 *   the schedule) with its outcome;
 * - `auditDelivery`: a delivery SQAI made to the web trigger, once it is authenticated (an
 *   unauthenticated request names no project anyone vouched for, and would let anyone fill the trail).
 */
import { createHash } from 'node:crypto';
import { SettingsStore } from '../config/settings-store';
import { canonicalJson } from '../context/content-hash';
import type { ContextDocument } from '../context/schema';
import { isAppError } from '../errors';
import type { Platform } from '../platform/ports';
import {
  documentRedactions,
  documentSources,
  hostOf,
  safeIssueKey,
  type AuditEntry,
  type AuditSource,
} from './entry';
import { recordAudit } from './store';

type AuditPlatform = Pick<Platform, 'kvs' | 'clock' | 'log'>;

/** What a delivery's data held, for its entry. */
export function deliverySources(data: unknown): AuditSource[] {
  const value = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const sources: AuditSource[] = [];
  if (Array.isArray(value.tests) && value.tests.length > 0) sources.push('generatedTests');
  if (Array.isArray(value.updates) && value.updates.length > 0) sources.push('updates');
  if (typeof value.error === 'string' && value.error !== '') sources.push('error');
  return sources;
}

export type SendActor = { kind: 'user'; accountId?: string } | { kind: 'schedule' };

/** An error's outcome: `refused (<code>)` when SQAI answered no, else `failed (<code>)`. */
export function outcomeOfError(error: unknown): string {
  const code = isAppError(error) ? error.code : 'INTERNAL';
  const refused = code === 'SQAI_REJECTED' || code === 'SQAI_UNAUTHORIZED' || code === 'EGRESS_NOT_ALLOWED';
  return `${refused ? 'refused' : 'failed'} (${code})`;
}

/** The audit entry of a document sent to SQAI (or, `unchanged`, a panel send SQAI already held). */
export function sendEntry(
  document: ContextDocument,
  actor: SendActor,
  endpoint: string,
  outcome: string,
): Omit<AuditEntry, 'id' | 'at'> {
  return {
    direction: 'sent',
    actor:
      actor.kind === 'user' && actor.accountId
        ? { kind: 'user', accountId: actor.accountId }
        : { kind: actor.kind },
    requirement: { id: document.source.issueId, key: safeIssueKey(document.source.issueKey) },
    sources: documentSources(document),
    redactions: documentRedactions(document),
    bytes: outcome === 'unchanged' ? 0 : Buffer.byteLength(canonicalJson(document), 'utf8'),
    contentHash: document.contentHash,
    host: hostOf(endpoint),
    outcome,
  };
}

export async function auditSend(
  platform: AuditPlatform,
  projectId: string,
  document: ContextDocument,
  actor: SendActor,
  endpoint: string,
  outcome: string,
): Promise<void> {
  try {
    await recordAudit(platform, projectId, sendEntry(document, actor, endpoint, outcome));
  } catch {
    // recordAudit never throws; building the entry is pure — nothing reaches the send.
  }
}

export interface DeliveryAudit {
  issueId?: string;
  issueKey?: string;
  /** The SQAI endpoint configured for the project (the sender's host); read from the settings when absent. */
  endpoint?: string;
  body: string;
  sources: AuditSource[];
  outcome: string;
}

export async function auditDelivery(
  platform: AuditPlatform & Pick<Platform, 'secrets'>,
  projectId: string,
  delivery: DeliveryAudit,
): Promise<void> {
  try {
    const endpoint =
      delivery.endpoint ??
      (await new SettingsStore(platform).get(projectId).catch(() => null))?.sqai.endpoint;
    await recordAudit(platform, projectId, {
      direction: 'received',
      actor: { kind: 'sqai' },
      requirement: {
        id: delivery.issueId && /^\d{1,19}$/.test(delivery.issueId) ? delivery.issueId : '',
        key: safeIssueKey(delivery.issueKey),
      },
      sources: delivery.sources,
      redactions: {},
      bytes: Buffer.byteLength(delivery.body, 'utf8'),
      contentHash: createHash('sha256').update(delivery.body, 'utf8').digest('hex'),
      host: hostOf(endpoint),
      outcome: delivery.outcome,
    });
  } catch {
    // As above: never fails the delivery.
  }
}
