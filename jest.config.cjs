/** Unit, service and contract tests (fast, no browser). Browser tests: jest.e2e.config.cjs. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // ESM-only packages that must be compiled to CommonJS for Jest on Node 20: @forge/egress,
  // mdast-util-to-markdown with its GFM extensions and their small dependencies (ADF → Markdown).
  transformIgnorePatterns: [
    '/node_modules/(?!(@forge/egress|mdast-util-[^/]+|micromark[^/]*|unist-util-[^/]+|decode-named-character-reference|character-entities|devlop|longest-streak|markdown-table|zwitch|@cucumber/gherkin|@cucumber/messages)/)',
  ],
  testTimeout: 20000,
  // Both cores: Jest's default (cores − 1) would leave one idle on the 2-core CI machine, where the
  // whole \`npm test\` has 8 minutes.
  maxWorkers: 2,
  // The suite-wide secret scan: after every test, its resolver answers, log lines and upstream
  // requests are searched for every configured secret (test/harness/secret-scan.ts).
  setupFilesAfterEnv: ['<rootDir>/test/setup/secret-scan.ts'],
  // Every fast-check property runs with one seed, fixed unless FC_SEED says otherwise, printed once.
  globalSetup: '<rootDir>/test/setup/fast-check-global.ts',
  // The heap each file leaves behind, after a collection (npm run test:unit: --expose-gc --logHeapUsage).
  reporters: ['default', '<rootDir>/test/setup/heap-budget-reporter.cjs'],
  setupFiles: ['<rootDir>/test/setup/fast-check-seed.ts'],
};
