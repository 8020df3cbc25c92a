/** Browser tests: real headless Debian chromium driven by playwright-core. */
const base = require('./jest.config.cjs');
module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
  maxWorkers: 1,
};
