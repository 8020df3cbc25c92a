/**
 * The duplicate check of a review on its worst-shaped input (issue 13, item 7): 20 proposals at
 * SQAI's limits (≈ 1.95 MB) against 700 known tests of 4,000 characters.
 *   node --import tsx bench/duplicate-check.ts               the bounded check (median of 5)
 *   node --import tsx bench/duplicate-check.ts --reference   also the unbounded definition (≈ 30 s)
 */
import { bodyOf, DUPLICATE_CHECK_BUDGET_MS, reviewProposals } from '../src/generate/proposals';
import { similarity } from '../src/generate/similarity';
import { worstCaseInput } from '../test/harness/fixtures/duplicate-check-worst-case';

export interface DuplicateCheckFigures {
  proposals: number;
  proposalMb: number;
  known: number;
  medianMs: number;
  budgetMs: number;
  incomplete: number;
  referenceMs?: number;
}

/** Every proposal against every known test and earlier proposal with `similarity`: the definition. */
function reference(input: ReturnType<typeof worstCaseInput>): void {
  const seen = input.known.map((entry) => ({ title: entry.summary, body: entry.text }));
  for (const test of input.tests) {
    const candidate = { title: test.title, body: bodyOf(test) };
    for (const entry of seen) similarity(candidate, entry);
    seen.push(candidate);
  }
}

export function benchDuplicateCheck(
  options: { runs?: number; reference?: boolean } = {},
): DuplicateCheckFigures {
  const input = worstCaseInput();
  const times: number[] = [];
  let incomplete = 0;
  for (let run = 0; run < (options.runs ?? 5); run += 1) {
    const started = performance.now();
    const proposals = reviewProposals(input);
    times.push(performance.now() - started);
    incomplete = Math.max(incomplete, proposals.filter((proposal) => proposal.warnings).length);
  }
  times.sort((a, b) => a - b);
  const figures: DuplicateCheckFigures = {
    proposals: input.tests.length,
    proposalMb: Math.round(input.proposalChars / 10_000) / 100,
    known: input.known.length,
    medianMs: Math.round(times[Math.floor(times.length / 2)] ?? 0),
    budgetMs: DUPLICATE_CHECK_BUDGET_MS,
    incomplete,
  };
  if (options.reference) {
    const started = performance.now();
    reference(input);
    figures.referenceMs = Math.round(performance.now() - started);
  }
  return figures;
}

if (require.main === module) {
  console.log('\nDuplicate check, worst-shaped review (goal: < 5,000 ms, every proposal compared)');
  console.table(benchDuplicateCheck({ reference: process.argv.includes('--reference') }));
}
