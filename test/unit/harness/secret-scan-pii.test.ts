/**
 * The secret scan's planted-PII extension (issue 20 "Redaction"): values a test plants in Jira
 * content are looked for in everything collected, like secrets, and reported as `planted PII`
 * without the value. A fresh registry is used so that the global scan is not tripped on purpose.
 */
import { PLANTED_PII, SecretScanRegistry, secretScan } from '../../harness/secret-scan';

function registry(): SecretScanRegistry {
  const scan = new SecretScanRegistry();
  scan.enable();
  return scan;
}

const sqaiRequest = (body: string) => ({
  method: 'PUT',
  url: 'https://sqai.example/v1/contexts/cloud/DEMO-1',
  headers: { 'content-type': 'application/json' },
  body,
});

describe('secret scan: planted PII', () => {
  it('finds a planted value in a document sent to SQAI, raw and JSON-escaped, naming no value', () => {
    const scan = registry();
    expect(scan.addPlanted(['alice.smith@example.com', 'DE89 3704 0044 0532 0130 00', 'line\none"two'])).toBe(
      3,
    );
    scan.recordRequest('sqai', sqaiRequest(JSON.stringify({ description: 'Mail alice.smith@example.com' })));
    scan.recordRequest('sqai', sqaiRequest(JSON.stringify({ note: 'line\none"two' })));
    scan.recordResponse('resolver getPreview', { iban: 'DE89 3704 0044 0532 0130 00' });
    const findings = scan.takeFindings();
    expect(
      findings.map((finding) => `${finding.kind} ${finding.encoding} ${finding.channel}`).sort(),
    ).toEqual([`${PLANTED_PII} JSON-escaped sqai`, `${PLANTED_PII} raw response`, `${PLANTED_PII} raw sqai`]);
    const message = scan.describe(findings);
    expect(message).not.toContain('alice.smith');
    expect(message).not.toContain('DE89');
  });

  it('passes a redacted document, and does not look for folded forms of planted values', () => {
    const scan = registry();
    scan.addPlanted(['alice.smith@example.com']);
    scan.recordRequest('sqai', sqaiRequest(JSON.stringify({ description: 'Mail [email-1]' })));
    // Folded, an address is ordinary prose ("Alice Smith, example.com"): no finding.
    scan.recordResponse('resolver getPreview', 'Alice Smith (example) com: alice smith example com');
    expect(scan.takeFindings()).toEqual([]);
  });

  it('ignores values too short to search for, and says so', () => {
    const scan = registry();
    expect(scan.addPlanted(['1.2.3.4', 'a@b.co', '10.0.0.1'])).toBe(1);
    expect(scan.secretCount).toBe(1);
  });

  it('forgets values planted during a test when it ends; keeps values planted for the file', () => {
    const scan = registry();
    scan.addPlanted(['file-wide@example.com']);
    scan.beginTest();
    scan.addPlanted(['test-only@example.com']);
    expect(scan.secretCount).toBe(2);
    scan.check('first');
    expect(scan.secretCount).toBe(1);
    scan.recordResponse('resolver x', 'test-only@example.com file-wide@example.com');
    expect(scan.takeFindings()).toHaveLength(1);
  });

  it('fails a test of the global scan when a planted value leaks (leak consumed here)', () => {
    secretScan.addPlanted(['carol.jones@example.net']);
    secretScan.recordRequest('sqai', sqaiRequest('{"x":"carol.jones@example.net"}'));
    const findings = secretScan.takeFindings();
    expect(findings).toEqual([expect.objectContaining({ kind: PLANTED_PII, channel: 'sqai' })]);
  });

  it('scans requests to Confluence too (a page read that carried a planted value in its query)', () => {
    const scan = registry();
    scan.addPlanted(['dave.brown@example.org']);
    scan.recordRequest('confluence', {
      method: 'GET',
      url: `/wiki/api/v2/pages?title=${encodeURIComponent('dave.brown@example.org')}`,
      headers: {},
    });
    scan.recordRequest('confluence', { method: 'GET', url: '/wiki/api/v2/pages/98305', headers: {} });
    const findings = scan.takeFindings();
    expect(findings.map((finding) => [finding.channel, finding.encoding, finding.where])).toEqual([
      [
        'confluence',
        'URL-encoded',
        expect.stringContaining('Confluence request #1 GET /wiki/api/v2/pages URL'),
      ],
    ]);
  });
});
