/**
 * Jest setup (unit suite, jest.config.cjs `setupFilesAfterEnv`): the suite-wide secret scan.
 * Every real handler's answer, every log line and every request to SQAI, Jira and Xray a test
 * produces is scanned after the test for every configured secret (test/harness/secret-scan.ts); a
 * leak fails the test, naming the kind of secret and where it appeared, never the value.
 * Personal data a test plants in Jira content is scanned for the same way once the test registers
 * it: `secretScan.addPlanted(values)` (a surviving value is a `planted PII` leak).
 *
 * `SECRET_SCAN_REPORT=<file>`: after each test file, one JSON line with what was scanned is
 * appended to that file.
 *
 * The browser tests (jest.e2e.config.cjs spreads the unit config) run without it.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type * as Handlers from '../../src/index';
import { secretScan, wrapHandlers, type Finding } from '../harness/secret-scan';

function installSecretScan(): void {
  secretScan.enable();

  jest.mock('../../src/index', () => wrapHandlers(jest.requireActual<typeof Handlers>('../../src/index')));

  beforeEach(() => {
    secretScan.beginTest();
  });

  afterEach(() => {
    secretScan.check(expect.getState().currentTestName ?? 'a test');
  });

  afterAll(() => {
    // Whatever a file's own afterAll hooks left behind.
    let findings: Finding[] = [];
    try {
      findings = secretScan.scan();
    } finally {
      secretScan.clear({ leaks: findings.length });
    }
    const report = process.env.SECRET_SCAN_REPORT;
    if (report) {
      const file = path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');
      appendFileSync(report, `${JSON.stringify({ file, ...secretScan.fileTotals() })}\n`);
    }
    if (findings.length > 0) throw new Error(secretScan.describe(findings, 'afterAll'));
  });
}

if (!/\.e2e\.ts$/.test(expect.getState().testPath ?? '')) installSecretScan();
