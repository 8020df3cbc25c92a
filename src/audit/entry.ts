/**
 * One audit trail entry (issue 20 item 6; docs/data-controls.md "Audit trail"): a context document
 * sent to SQAI, or a delivery received from it. An entry holds ids, keys, counts, a hash, a host and
 * an outcome — never text from Jira, a secret, or a redacted value. The schema makes that a shape
 * rule, not a promise: every string is held to a narrow pattern (an issue key, a hex hash, a host
 * name, a word), so text of any other kind cannot be stored even by mistake.
 */
import { z } from 'zod';
import type { AuditEntryDto } from '../api';

/** The sources an entry may name (a document's non-empty parts; what a delivery held). */
export const AUDIT_SOURCES = [
  'description',
  'criteria',
  'linkedIssues',
  'remoteLinks',
  'linkedPages',
  'attachments',
  'tests',
  'results',
  'generatedTests',
  'updates',
  'error',
] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/**
 * `pushed`, `unchanged` (a panel send SQAI already held: nothing left), `refused (<code>)` (SQAI
 * answered no), `failed (<code>)` (no answer: network, time), and for deliveries `accepted`,
 * `duplicate`, `ignored`, `refused (<HTTP status>)`, `failed (<code>)`.
 */
export const AUDIT_OUTCOME =
  /^(pushed|unchanged|accepted|duplicate|ignored|refused|failed)( \([A-Za-z0-9_.-]{1,60}\))?$/;

const issueKey = z.string().regex(/^([A-Z][A-Z0-9_]{0,49}-\d{1,18})?$/);
const issueId = z.string().regex(/^(\d{1,19})?$/);
const host = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9.-]*(:\d{1,5})?$/);
const kind = z.string().regex(/^[a-zA-Z0-9-]{1,40}$/);

export const auditEntrySchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{12}$/),
    at: z.iso.datetime(),
    direction: z.enum(['sent', 'received']),
    actor: z
      .object({
        kind: z.enum(['user', 'schedule', 'sqai']),
        accountId: z
          .string()
          .regex(/^[A-Za-z0-9:_-]{1,128}$/)
          .optional(),
      })
      .strict(),
    requirement: z.object({ id: issueId, key: issueKey }).strict(),
    sources: z.array(z.enum(AUDIT_SOURCES)).max(AUDIT_SOURCES.length),
    redactions: z.record(kind, z.number().int().nonnegative()),
    bytes: z.number().int().nonnegative(),
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{16,64}$/)
      .optional(),
    host,
    outcome: z.string().regex(AUDIT_OUTCOME),
  })
  .strict();

export type AuditEntry = z.infer<typeof auditEntrySchema>;

// The stored entry is the DTO, field for field (a compile error here when the two drift apart).
const sameShape = (entry: AuditEntry): AuditEntryDto => entry;
void sameShape;

/** Keeps only what the schema allows for an issue key ('' when it is none). */
export const safeIssueKey = (key: unknown): string =>
  typeof key === 'string' && issueKey.safeParse(key).success ? key : '';

/** The host of an endpoint URL ('' when it is none). */
export function hostOf(endpoint: unknown): string {
  if (typeof endpoint !== 'string') return '';
  try {
    const value = new URL(endpoint).host;
    return host.safeParse(value).success ? value : '';
  } catch {
    return '';
  }
}

const nonEmptyArray = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

/**
 * The sources a context document carries: its non-empty parts. Read defensively (fields added by
 * later schema versions — `linkedPages`, `attachments` — count when present).
 */
export function documentSources(document: unknown): AuditSource[] {
  const doc = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  const requirement = (doc.requirement ?? {}) as Record<string, unknown>;
  const xray = (doc.xray ?? {}) as Record<string, unknown>;
  const tests = Array.isArray(xray.tests) ? (xray.tests as unknown[]) : [];
  const hasResults =
    nonEmptyArray(xray.testExecutions) ||
    tests.some(
      (test) =>
        typeof test === 'object' && test !== null && (test as Record<string, unknown>).latestRun != null,
    );
  const sources: AuditSource[] = [];
  if (typeof requirement.description === 'string' && requirement.description.trim() !== '')
    sources.push('description');
  if (nonEmptyArray(requirement.criteria)) sources.push('criteria');
  if (nonEmptyArray(doc.linkedIssues)) sources.push('linkedIssues');
  if (nonEmptyArray(doc.remoteLinks)) sources.push('remoteLinks');
  if (nonEmptyArray(doc.linkedPages)) sources.push('linkedPages');
  if (nonEmptyArray(doc.attachments)) sources.push('attachments');
  if (tests.length > 0) sources.push('tests');
  if (hasResults) sources.push('results');
  return sources;
}

/** The document's redaction counts by kind (`document.redactions`, when the document has them). */
export function documentRedactions(document: unknown): Record<string, number> {
  const raw =
    typeof document === 'object' && document !== null
      ? (document as Record<string, unknown>).redactions
      : undefined;
  const parsed = z.record(kind, z.number().int().nonnegative()).safeParse(raw);
  return parsed.success ? parsed.data : {};
}
