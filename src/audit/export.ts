/**
 * The audit trail as a file (exportAuditTrail): CSV (RFC 4180: every field quoted, quotes doubled,
 * CRLF between records) or JSON, bounded — at most EXPORT_MAX_ENTRIES entries and EXPORT_MAX_BYTES
 * bytes; `truncated` says more matched. CSV cells are safe to open in a spreadsheet: a cell starting
 * with `=`, `+`, `-`, `@` (or a tab, carriage return or NUL) gets a leading `'`, so it is read as text, not
 * as a formula (OWASP ASVS 4.0 requirement 1.2.10; OWASP "CSV Injection").
 */
import type { AuditEntryDto, AuditExportDto } from '../api';
import type { Platform } from '../platform/ports';
import { listAudit, type AuditFilters } from './store';

export const EXPORT_MAX_ENTRIES = 5_000;
export const EXPORT_MAX_BYTES = 2 * 1024 * 1024;
/** Store queries one export may make (5,000 entries take 50 when nothing is filtered out). */
export const EXPORT_MAX_QUERIES = 120;

export const CSV_COLUMNS = [
  'id',
  'at',
  'direction',
  'actorKind',
  'actorAccountId',
  'requirementId',
  'requirementKey',
  'sources',
  'redactions',
  'bytes',
  'contentHash',
  'host',
  'outcome',
] as const;

/** One CSV field: formula-safe, then quoted (RFC 4180 §2.5–2.7). */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r\0]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

const redactionsText = (redactions: AuditEntryDto['redactions']) =>
  Object.entries(redactions)
    .filter((pair): pair is [string, number] => typeof pair[1] === 'number')
    .map(([kind, count]) => `${kind}:${count}`)
    .join(' ');

export function csvRow(entry: AuditEntryDto): string {
  return [
    entry.id,
    entry.at,
    entry.direction,
    entry.actor.kind,
    entry.actor.accountId ?? '',
    entry.requirement.id,
    entry.requirement.key,
    entry.sources.join(' '),
    redactionsText(entry.redactions),
    entry.bytes,
    entry.contentHash ?? '',
    entry.host,
    entry.outcome,
  ]
    .map(csvCell)
    .join(',');
}

export const csvHeader = () => CSV_COLUMNS.map(csvCell).join(',');

/** The matching entries, newest first, as a CSV or JSON file within the bounds above. */
export async function exportAudit(
  platform: Pick<Platform, 'kvs' | 'clock'>,
  projectId: string,
  projectKey: string,
  filters: AuditFilters,
  format: 'csv' | 'json',
  retentionDays: number,
): Promise<AuditExportDto> {
  const entries: AuditEntryDto[] = [];
  const rows: string[] = [];
  let bytes = format === 'csv' ? Buffer.byteLength(csvHeader()) + 2 : 200;
  let cursor: string | undefined;
  let queries = 0;
  let truncated = false;
  do {
    const page = await listAudit(platform, projectId, filters, cursor, 100, retentionDays);
    queries += page.queries;
    for (const entry of page.entries) {
      const row = format === 'csv' ? csvRow(entry) : JSON.stringify(entry);
      const size = Buffer.byteLength(row) + 2;
      if (entries.length >= EXPORT_MAX_ENTRIES || bytes + size > EXPORT_MAX_BYTES) {
        truncated = true;
        break;
      }
      entries.push(entry);
      rows.push(row);
      bytes += size;
    }
    cursor = page.nextCursor;
    if (cursor && queries >= EXPORT_MAX_QUERIES) truncated = true;
  } while (cursor && !truncated);
  const stamp = platform.clock.now().toISOString().slice(0, 10);
  const safeKey = projectKey.replace(/[^A-Za-z0-9_-]/g, '') || 'project';
  const content =
    format === 'csv'
      ? [csvHeader(), ...rows].map((line) => `${line}\r\n`).join('')
      : `{"project":${JSON.stringify(safeKey)},"exportedAt":${JSON.stringify(platform.clock.now().toISOString())},"truncated":${String(truncated)},"entries":[\n${rows.join(',\n')}\n]}\n`;
  return {
    filename: `sqai-audit-${safeKey}-${stamp}.${format}`,
    mimeType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    content,
    entries: entries.length,
    truncated,
  };
}
