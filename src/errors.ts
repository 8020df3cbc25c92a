/**
 * The one error taxonomy. Every failure the app reports is an AppError with a code, an HTTP-ish
 * status, the message users see and what to do about it. Wording follows the troubleshooting table
 * of SQAI's Xray integration guide where it has one (DESIGN.md §6).
 *
 * Nothing here may carry a secret: messages are fixed strings plus values the app chose
 * (region names, host names, project keys). Upstream bodies go to `cause`, which is never sent
 * to the UI and is logged only through the redacting logger.
 */
import type { ErrorCode, ErrorDto, XrayRegion } from './api';
import { XRAY_REGION_LABELS } from './api';

interface Wording {
  status: number;
  message: string;
  remedy: string;
}

const WORDING: Record<ErrorCode, Wording> = {
  JIRA_UNAUTHORIZED: {
    status: 401,
    message: 'Jira Unauthorized — the app or your account lacks access to this project.',
    remedy:
      'Check that the app is installed on this site and that the project permission scheme lets the app (and you) browse the project.',
  },
  PROJECT_NOT_FOUND: {
    status: 404,
    message: 'Cannot Find Project — Jira does not know this project, or the app cannot see it.',
    remedy: 'Check the project key and that the project has not been archived or deleted.',
  },
  ISSUE_NOT_FOUND: {
    status: 404,
    message: 'Cannot Find Issue — it was deleted, or you (or the app) cannot see it.',
    remedy: 'Reload the issue. If it is protected by issue security, ask for access to it.',
  },
  XRAY_AUTH_FAILED: {
    status: 401,
    message: 'Xray API Error — the Client ID or Client Secret is wrong.',
    remedy:
      'In Jira go to Apps → Xray → Settings → API Keys, create (or copy) a key for this site, and paste its Client ID and Client Secret here.',
  },
  XRAY_LICENSE_INVALID: {
    status: 402,
    message: 'Xray API Error — Xray is not licensed (or its license has expired) on this site.',
    remedy: 'Ask a Jira site admin to check the Xray subscription under Apps → Manage apps.',
  },
  XRAY_WRONG_REGION: {
    status: 409,
    message: 'Xray API Error — this site’s Xray data lives in another region.',
    remedy: 'Choose the region that matches your site’s data residency and save again.',
  },
  XRAY_API_ERROR: {
    status: 502,
    message: 'Xray API Error — Xray rejected the request.',
    remedy: 'Check that Xray is installed and enabled for this project, then test the connection again.',
  },
  KEY_EXPIRED: {
    status: 401,
    message: 'Token Expired — the Xray API key’s expiry date has passed.',
    remedy: 'Create a new Xray API key (Apps → Xray → Settings → API Keys) and update it here.',
  },
  KEY_EXPIRING: {
    status: 200,
    message: 'Token Expiring — the Xray API key expires within 14 days.',
    remedy: 'Create a new Xray API key before it expires and update it here, with its new expiry date.',
  },
  SQAI_UNREACHABLE: {
    status: 503,
    message: 'SQAI Unreachable — the SQAI endpoint did not answer.',
    remedy: 'Check the SQAI endpoint URL and that the SQAI service is up, then test again.',
  },
  SQAI_UNAUTHORIZED: {
    status: 401,
    message: 'SQAI Unauthorized — SQAI rejected the API token.',
    remedy: 'Create a new API token in SQAI Suite and paste it here.',
  },
  SQAI_REJECTED: {
    status: 502,
    message: 'SQAI Rejected — SQAI refused the request.',
    remedy: 'Check the SQAI endpoint URL (it should be the API base, e.g. https://api.sqai-suite.com).',
  },
  EGRESS_NOT_ALLOWED: {
    status: 403,
    message: 'Host Not Approved — the app is not allowed to reach this SQAI host yet.',
    remedy:
      'A Jira admin must approve the host first (the settings page offers “Approve host”), or use an SQAI host the app already allows.',
  },
  NOT_CONFIGURED: {
    status: 409,
    message: 'Not Configured — this project is not connected to Xray and SQAI yet.',
    remedy: 'A project admin can connect it under Project settings → Apps → SQAI Connector for Xray.',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Rate Limited — an upstream service asked the app to slow down.',
    remedy: 'Wait a minute and try again.',
  },
  VALIDATION: {
    status: 400,
    message: 'Some fields need attention.',
    remedy: 'Correct the highlighted fields and save again.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'Forbidden — only administrators of this project can do this.',
    remedy: 'Ask a project admin, or a Jira admin, to make the change.',
  },
  INTERNAL: {
    status: 500,
    message: 'Something went wrong inside the app.',
    remedy: 'Try again. If it keeps failing, contact your Jira admin with the time it happened.',
  },
};

export interface AppErrorOptions {
  /** Replaces the default message (must not contain secrets). */
  message?: string;
  /** Replaces the default remedy (e.g. the Jira permission to ask for). */
  remedy?: string;
  cause?: unknown;
  fieldErrors?: Record<string, string>;
  suggestedRegion?: XrayRegion;
  host?: string;
  /** For RATE_LIMITED: how long the upstream asked us to wait. */
  retryAfterMs?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly remedy: string;
  readonly fieldErrors?: Record<string, string>;
  readonly suggestedRegion?: XrayRegion;
  readonly host?: string;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const wording = WORDING[code];
    super(
      options.message ?? wording.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AppError';
    this.code = code;
    this.status = wording.status;
    this.remedy = options.remedy ?? wording.remedy;
    if (options.fieldErrors) this.fieldErrors = options.fieldErrors;
    if (options.suggestedRegion) this.suggestedRegion = options.suggestedRegion;
    if (options.host) this.host = options.host;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
export const hasCode = (error: unknown, ...codes: ErrorCode[]): error is AppError =>
  isAppError(error) && codes.includes(error.code);
export const isRateLimited = (error: unknown): error is AppError => hasCode(error, 'RATE_LIMITED');

export function wrongRegionError(region: XrayRegion, cause?: unknown): AppError {
  return new AppError('XRAY_WRONG_REGION', {
    message: `Xray API Error — this site’s Xray data lives in ${XRAY_REGION_LABELS[region]}; use that region.`,
    suggestedRegion: region,
    cause,
  });
}

/** Prefixes a purpose ("Failed to read project DEMO") onto a code's default message. */
export function withPurpose(code: ErrorCode, purpose: string, options: AppErrorOptions = {}): AppError {
  return new AppError(code, { ...options, message: `${purpose}: ${WORDING[code].message}` });
}

/** The DTO the UI sees. Unknown errors become INTERNAL with no detail at all. */
export function toErrorDto(error: unknown): ErrorDto {
  const appError = isAppError(error) ? error : new AppError('INTERNAL');
  const dto: ErrorDto = { code: appError.code, message: appError.message, remedy: appError.remedy };
  if (appError.fieldErrors) dto.fieldErrors = appError.fieldErrors;
  if (appError.suggestedRegion) dto.suggestedRegion = appError.suggestedRegion;
  if (appError.host) dto.host = appError.host;
  return dto;
}

export function defaultWording(code: ErrorCode): Readonly<Wording> {
  return WORDING[code];
}
