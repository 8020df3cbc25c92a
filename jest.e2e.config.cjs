/** Browser tests: real headless Debian chromium driven by playwright-core. */
const base = require('./jest.config.cjs');
// No fast-check and no heap budget in the browser tests.
const { globalSetup: _seedPrinter, setupFiles: _seedSetup, reporters: _heapBudget, ...unit } = base;
module.exports = {
  ...unit,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
  // Three: a browser test mostly waits (for the page, the playground, polling) — two cores sit half
  // idle under two workers — and `npm test` has 8 minutes on the 2-core CI machine.
  maxWorkers: 3,
};
