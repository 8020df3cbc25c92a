/**
 * Jest reporter (unit suite): the heap each test file leaves behind stays within a budget.
 *
 * `npm run test:unit` runs jest under `node --expose-gc` with `--logHeapUsage`, so after every test
 * file jest collects garbage and records the heap still in use: what that file (or one before it)
 * keeps alive. A file over HEAP_BUDGET_MB fails the run, and so does a heap that grows over the run
 * (the lowest figure of its last quarter of files over GROWTH_BUDGET_MB above the lowest of its
 * first quarter): both mean memory is kept from one file to the next. Lowest figures, because the
 * heap a single file leaves varies; a leak raises them all. The figures are printed at the end.
 */
const MB = 1024 * 1024;
const HEAP_BUDGET_MB = Number(process.env.HEAP_BUDGET_MB ?? 1024);
const GROWTH_BUDGET_MB = 256;

class HeapBudgetReporter {
  constructor() {
    this.files = [];
    this.problems = [];
  }

  onTestFileResult(test, result) {
    if (typeof result.memoryUsage !== 'number') return;
    this.files.push({ path: test.path.replace(`${process.cwd()}/`, ''), heapMb: result.memoryUsage / MB });
  }

  onRunComplete() {
    if (this.files.length === 0) return;
    if (typeof global.gc !== 'function') {
      // Without a collection before each reading the figures count garbage: nothing to judge.
      process.stdout.write(
        'heap budget: not judged (run jest under node --expose-gc, as npm run test:unit does)\n',
      );
      return;
    }
    const over = this.files.filter((file) => file.heapMb > HEAP_BUDGET_MB);
    for (const file of over)
      this.problems.push(
        `${file.path} left ${Math.round(file.heapMb)} MB of heap (budget ${HEAP_BUDGET_MB} MB)`,
      );
    const quarter = Math.max(1, Math.floor(this.files.length / 4));
    const lowest = (files) => Math.min(...files.map((file) => file.heapMb));
    const early = lowest(this.files.slice(0, quarter));
    const late = lowest(this.files.slice(-quarter));
    this.growthMb = late - early;
    if (this.files.length >= 8 && this.growthMb > GROWTH_BUDGET_MB)
      this.problems.push(
        `the heap grew over the run: ${Math.round(early)} MB early, ${Math.round(late)} MB late (budget ${GROWTH_BUDGET_MB} MB)`,
      );
    const peak = this.files.reduce((top, file) => (file.heapMb > top.heapMb ? file : top));
    const last = this.files[this.files.length - 1];
    process.stdout.write(
      `heap budget: ${this.files.length} files, largest ${Math.round(peak.heapMb)} MB after ${peak.path}, ` +
        `${Math.round(last.heapMb)} MB after the last, growth ${Math.round(this.growthMb)} MB ` +
        `(budgets ${HEAP_BUDGET_MB} MB per file, ${GROWTH_BUDGET_MB} MB growth): ` +
        `${this.problems.length === 0 ? 'ok' : 'OVER'}\n`,
    );
  }

  getLastError() {
    return this.problems.length > 0 ? new Error(`Heap budget:\n  ${this.problems.join('\n  ')}`) : undefined;
  }
}

module.exports = HeapBudgetReporter;
