/**
 * Outcome counts of the fast-check properties, for docs/reliability.md. A property counts each
 * case's outcome (`ok`, an error code, an HTTP status …) with `tally`, then `report`s it; when
 * PROPERTY_REPORT names a file (set by `npm run trust`) one JSON line per property is appended
 * there. Otherwise nothing is written.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';

export class OutcomeTally {
  readonly outcomes: Record<string, number> = {};

  add(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }

  get cases(): number {
    return Object.values(this.outcomes).reduce((sum, count) => sum + count, 0);
  }

  /** Records the property under `name` for the test file `testFile` (pass `__filename`). */
  report(testFile: string, name: string): void {
    const target = process.env.PROPERTY_REPORT;
    if (!target) return;
    const file = path.relative(path.resolve(__dirname, '../..'), testFile);
    appendFileSync(target, `${JSON.stringify({ file, name, cases: this.cases, outcomes: this.outcomes })}\n`);
  }
}

/** One tally per property of a test file, reported together (e.g. in an `afterAll`). */
export class OutcomeTallies {
  private readonly tallies = new Map<string, OutcomeTally>();

  count(property: string, outcome: string): void {
    const tally = this.tallies.get(property) ?? new OutcomeTally();
    this.tallies.set(property, tally);
    tally.add(outcome);
  }

  /** Reports each property as `<prefix><property>` for the test file `testFile` (pass `__filename`). */
  report(testFile: string, prefix: string): void {
    for (const [property, tally] of this.tallies) tally.report(testFile, `${prefix}${property}`);
  }
}
