/** The audit export (src/audit/export.ts): RFC 4180 CSV, formula-injection safe, JSON, bounded. */
import { csvCell, csvRow, exportAudit, EXPORT_MAX_ENTRIES } from '../../../src/audit/export';
import { recordAudit } from '../../../src/audit/store';
import type { AuditEntryDto } from '../../../src/api';
import { createCapturingLog, MemoryKeyValueStore } from '../../harness/local-platform';

/** RFC 4180 records of a CSV text (quoted fields only, as the export writes them). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i += 1;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else field += text[i++];
      }
    } else if (text[i] === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else throw new Error(`unquoted character at ${i}`);
  }
  return rows;
}

describe('audit export', () => {
  it('quotes every cell, doubles quotes, keeps newlines inside quotes, and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    for (const start of ['=', '+', '-', '@', '\t', '\r', '\0'])
      expect(csvCell(`${start}SUM(A1)`)).toBe(`"'${start}SUM(A1)"`);
    expect(csvCell(42)).toBe('"42"');
    const entry: AuditEntryDto = {
      id: 'abcdefabcdef',
      at: '2026-12-01T10:00:00.000Z',
      direction: 'sent',
      actor: { kind: 'user', accountId: '-1+2' },
      requirement: { id: '1', key: 'DEMO-1' },
      sources: ['description'],
      redactions: { email: 2, phone: 1 },
      bytes: 10,
      host: '=cmd|" /C calc"!A0',
      outcome: 'pushed',
    };
    const [row] = parseCsv(`${csvRow(entry)}\r\n`);
    expect(row).toEqual([
      'abcdefabcdef',
      '2026-12-01T10:00:00.000Z',
      'sent',
      'user',
      "'-1+2",
      '1',
      'DEMO-1',
      'description',
      'email:2 phone:1',
      '10',
      '',
      `'=cmd|" /C calc"!A0`,
      'pushed',
    ]);
  });

  it('exports CSV and JSON of the filtered entries, bounded and marked truncated past the bound', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const platform = {
      kvs: new MemoryKeyValueStore(),
      log: createCapturingLog(),
      clock: { now: () => new Date(now), sleep: () => Promise.resolve() },
    };
    for (let i = 0; i < 30; i += 1) {
      await recordAudit(platform, '10000', {
        direction: i % 2 === 0 ? 'sent' : 'received',
        actor: i % 2 === 0 ? { kind: 'schedule' } : { kind: 'sqai' },
        requirement: { id: String(10_000 + i), key: `DEMO-${i}` },
        sources: ['tests'],
        redactions: {},
        bytes: 100 + i,
        host: 'api.sqai-suite.com',
        outcome: 'pushed',
      });
      now += 60_000;
    }
    const csv = await exportAudit(platform, '10000', 'DEMO', { direction: 'sent' }, 'csv', 90);
    expect(csv).toMatchObject({ entries: 15, truncated: false, mimeType: 'text/csv; charset=utf-8' });
    expect(csv.filename).toBe('sqai-audit-DEMO-2026-12-01.csv');
    const rows = parseCsv(csv.content);
    expect(rows[0]?.[0]).toBe('id');
    expect(rows).toHaveLength(16);
    expect(rows[1]?.[6]).toBe('DEMO-28');
    const json = await exportAudit(platform, '10000', 'DEMO', {}, 'json', 90);
    const parsed = JSON.parse(json.content) as { entries: AuditEntryDto[]; truncated: boolean };
    expect(parsed.entries).toHaveLength(30);
    expect(parsed.truncated).toBe(false);
    expect(json.entries).toBe(30);
    expect(EXPORT_MAX_ENTRIES).toBe(5_000);
  });
});
