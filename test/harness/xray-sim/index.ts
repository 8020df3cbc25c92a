/** The Xray Cloud simulator: state (./store.ts) and HTTP face (./simulator.ts). */
export {
  createXraySimulator,
  regionOfHost,
  type XrayRequestRecord,
  type XraySimulator,
  type XraySimulatorOptions,
} from './simulator';
export {
  XRAY_ISSUE_TYPES,
  XrayStore,
  type AddResult,
  type AddTenantInput,
  type AddTestVersionInput,
  type CreatePreconditionInput,
  type CreateTestExecutionInput,
  type CreateTestInput,
  type CreateTestPlanInput,
  type CreateTestSetInput,
  type DefineProjectOptions,
  type IssueInput,
  type SetRunStatusOptions,
  type StepInput,
} from './store';
export * from './model';
export type { CoverageResult, StatusScope } from './coverage';
export { XrayError } from './errors';
export { AUTH_MESSAGES, TOKEN_TTL_SECONDS } from './auth';
export { MAX_ITEMS, MAX_JQL_ISSUES, MAX_LIMIT, RULE_MESSAGES } from './rules';
export { DEFAULT_RATE_WINDOW_MS, type RateUsage } from './rate-limit';
