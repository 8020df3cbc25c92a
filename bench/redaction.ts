/**
 * Redaction cost (issue 20 "Must hold"): redacting a realistic 100 KB context document (planted personal
 * data in every source) with the default policy, one redactor per document as the builder uses it.
 * `npx tsx bench/redaction.ts`; part of `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { createRedactor, defaultRedactionPolicy, redactDocumentStrings } from '../src/context/redaction';
import { realisticDocument } from '../test/unit/context/redaction/pii-fixtures';

export interface RedactionFigures {
  documentKb: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  replaced: number;
}

export function benchRedaction(runs = 40): RedactionFigures {
  const document = realisticDocument(100);
  const times: number[] = [];
  let replaced = 0;
  for (let run = 0; run < runs + 5; run += 1) {
    const redactor = createRedactor(defaultRedactionPolicy);
    const started = performance.now();
    redactDocumentStrings(document, redactor);
    const elapsed = performance.now() - started;
    if (run >= 5) times.push(elapsed); // the first runs warm the JIT up
    replaced = Object.values(redactor.counts()).reduce<number>((sum, count) => sum + (count ?? 0), 0);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(share * times.length))] ?? 0) * 10) / 10;
  return { documentKb: 100, runs, p50Ms: at(0.5), p95Ms: at(0.95), replaced };
}

export function printRedaction(figures: RedactionFigures): void {
  console.log(
    `Redaction of a ${figures.documentKb} KB document (${figures.replaced} values replaced): p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms over ${figures.runs} runs`,
  );
}

if (require.main === module) printRedaction(benchRedaction());
