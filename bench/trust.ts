/**
 * `npm run trust`: runs the whole unit suite with the property report and the secret-scan report on,
 * then writes bench/properties.json, bench/secret-scan.json and docs/reliability.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { propertiesSchema, secretScanSchema, writeReliabilityReport } from './report';

const root = path.resolve(__dirname, '..');

function jsonLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line): unknown => JSON.parse(line));
}

/** One line per test file, written by test/setup/secret-scan.ts. */
const scanLineSchema = z.object({
  file: z.string(),
  tests: z.number(),
  responses: z.number(),
  logLines: z.number(),
  sqaiRequests: z.number(),
  sqaiDocuments: z.number(),
  jiraRequests: z.number(),
  xrayRequests: z.number(),
  leaks: z.number(),
});
type ScanLine = z.infer<typeof scanLineSchema>;
type Counted = Exclude<keyof ScanLine, 'file'>;

const SCANNED: Record<string, Counted> = {
  'handler answers': 'responses',
  'log lines': 'logLines',
  'requests to SQAI': 'sqaiRequests',
  'context documents': 'sqaiDocuments',
  'requests to Jira': 'jiraRequests',
  'requests to Xray': 'xrayRequests',
};

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqai-trust-'));
  const propertyFile = path.join(dir, 'properties.jsonl');
  const scanFile = path.join(dir, 'secret-scan.jsonl');
  const jest = spawnSync('npx', ['jest', '-c', 'jest.config.cjs'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PROPERTY_REPORT: propertyFile, SECRET_SCAN_REPORT: scanFile },
  });
  if (jest.status !== 0) {
    console.error('The unit suite failed: no figures written.');
    return jest.status ?? 1;
  }
  const measuredAt = new Date().toISOString();
  const properties = propertiesSchema.parse({
    measuredAt,
    properties: jsonLines(propertyFile).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  });
  const scans = jsonLines(scanFile).map((line) => scanLineSchema.parse(line));
  const sum = (field: Counted) => scans.reduce((total, scan) => total + scan[field], 0);
  const totals = Object.fromEntries(Object.entries(SCANNED).map(([label, field]) => [label, sum(field)]));
  const secretScan = secretScanSchema.parse({
    measuredAt,
    files: new Set(scans.map((scan) => scan.file)).size,
    tests: sum('tests'),
    leaks: sum('leaks'),
    totals,
  });
  writeFileSync(path.join(__dirname, 'properties.json'), `${JSON.stringify(properties, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'secret-scan.json'), `${JSON.stringify(secretScan, null, 2)}\n`);
  await writeReliabilityReport();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
