/**
 * The contract between the Custom UIs (static/) and the resolvers: resolver names and DTOs.
 * The UI imports this module type-only (`import type`) plus the tiny constant maps below, so
 * nothing backend-only is ever bundled into the browser.
 */

export const RESOLVERS = {
  getSettings: 'getSettings',
  saveSettings: 'saveSettings',
  testConnection: 'testConnection',
  disconnect: 'disconnect',
} as const;

export type ResolverName = (typeof RESOLVERS)[keyof typeof RESOLVERS];

export const XRAY_REGIONS = ['global', 'us', 'eu', 'au'] as const;
export type XrayRegion = (typeof XRAY_REGIONS)[number];

export const XRAY_REGION_LABELS: Record<XrayRegion, string> = {
  global: 'Global (xray.cloud.getxray.app)',
  us: 'United States (us.xray.cloud.getxray.app)',
  eu: 'European Union (eu.xray.cloud.getxray.app)',
  au: 'Australia (au.xray.cloud.getxray.app)',
};

export const XRAY_TIERS = ['standard', 'enterprise'] as const;
export type XrayTier = (typeof XRAY_TIERS)[number];

export const XRAY_TIER_LABELS: Record<XrayTier, string> = {
  standard: 'Standard (300 API requests / 5 min)',
  enterprise: 'Enterprise (1,000 API requests / 5 min)',
};

export type ErrorCode =
  | 'JIRA_UNAUTHORIZED'
  | 'PROJECT_NOT_FOUND'
  | 'XRAY_AUTH_FAILED'
  | 'XRAY_LICENSE_INVALID'
  | 'XRAY_WRONG_REGION'
  | 'XRAY_API_ERROR'
  | 'KEY_EXPIRED'
  | 'KEY_EXPIRING'
  | 'SQAI_UNREACHABLE'
  | 'SQAI_UNAUTHORIZED'
  | 'SQAI_REJECTED'
  | 'EGRESS_NOT_ALLOWED'
  | 'NOT_CONFIGURED'
  | 'RATE_LIMITED'
  | 'VALIDATION'
  | 'FORBIDDEN'
  | 'INTERNAL';

/** What the UI gets for any failure: never a secret, never a stack. */
export interface ErrorDto {
  code: ErrorCode;
  message: string;
  remedy: string;
  /** Field path (e.g. `sqai.endpoint`) → message, for VALIDATION errors. */
  fieldErrors?: Record<string, string>;
  /** For XRAY_WRONG_REGION: the region that answered. */
  suggestedRegion?: XrayRegion;
  /** For EGRESS_NOT_ALLOWED: the host an admin must approve. */
  host?: string;
}

export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: ErrorDto };

export type SecretState = 'set' | 'unset';

export interface SyncOptionsDto {
  enabled: boolean;
  requirementIssueTypes: string[];
  includeRemoteLinks: boolean;
  includeTestRuns: boolean;
}

export interface SettingsDto {
  xray: { clientId: string; region: XrayRegion; tier: XrayTier };
  sqai: { endpoint: string };
  keyExpiresOn?: string;
  sync: SyncOptionsDto;
}

export interface SettingsView {
  project: { id: string; key: string };
  /** `null` when the project has never been configured. */
  settings: SettingsDto | null;
  secrets: { xrayClientSecret: SecretState; sqaiToken: SecretState };
  /** Whether the SQAI endpoint's host is reachable under the app's egress rules. */
  sqaiEgress: { host: string; allowed: boolean } | null;
  lastCheck: ConnectionReport | null;
  updatedAt?: string;
  updatedBy?: string;
}

/** `saveSettings` payload: the settings plus write-only secrets (empty / absent = keep stored). */
export interface SaveSettingsInput extends SettingsDto {
  secrets?: { xrayClientSecret?: string; sqaiToken?: string };
}

export type CheckName = 'jira' | 'xray' | 'sqai' | 'keyExpiry';

export interface CheckResult {
  check: CheckName;
  label: string;
  status: 'pass' | 'fail' | 'warn' | 'skipped';
  /** Short human summary of what was verified, e.g. "Project DEMO readable by the app". */
  detail: string;
  error?: ErrorDto;
  durationMs: number;
}

export interface ConnectionReport {
  ok: boolean;
  checkedAt: string;
  checks: CheckResult[];
}

export interface SaveSettingsResult {
  view: SettingsView;
  report: ConnectionReport;
}
