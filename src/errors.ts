/**
 * The one error taxonomy. Every failure the app reports is an AppError with a code, an HTTP-ish
 * status, a short title, a detail (what failed: the action, who answered what) and what to do about
 * it — worded for the reader: a configuration problem tells a project admin what to change and
 * anyone else to ask a project admin (`toErrorDto(error, reader)`; the resolver layer knows the
 * reader). Titles follow the troubleshooting table of SQAI's Xray integration guide where it has
 * one (DESIGN.md §6), except that the Xray key is always the "Xray API key".
 *
 * Nothing here may carry a secret: messages are fixed strings plus values the app chose
 * (region names, host names, project keys, statuses and request paths). Upstream bodies go to
 * `cause`, which is never sent to the UI and is logged only through the redacting logger.
 */
import type { ErrorCode, ErrorDto, XrayRegion } from './api';
import { XRAY_REGION_LABELS } from './api';

interface Wording {
  status: number;
  /** A few words, shown as the error's title ("SQAI Rejected"). */
  title: string;
  /** What happened, as a sentence. */
  detail: string;
  /** What to do, for a reader who can: a project admin for configuration, anyone otherwise. */
  remedy: string;
  /**
   * For configuration problems only: the remedy for a reader who is *not* a project admin of the
   * project (a tester cannot change the settings, so they are told whom to ask and for what).
   */
  remedyForOthers?: string;
}

const SETTINGS_PAGE = 'Project settings → Apps → SQAI Connector for Xray';
const ASK_AN_ADMIN = 'Ask a project admin to';

/** The remedy when an upstream failed after the retries (a 5xx, no answer): its trouble, not the settings'. */
export const upstreamTroubleRemedy = (upstream: 'Jira' | 'Xray' | 'SQAI'): string =>
  `Try again in a few minutes: ${upstream} is having trouble, not the app or its settings.`;

const WORDING: Record<ErrorCode, Wording> = {
  JIRA_UNAUTHORIZED: {
    status: 401,
    title: 'Jira Unauthorized',
    detail: 'The app or your account lacks access to this project.',
    remedy:
      'Check that the app is installed on this site and that the project permission scheme lets the app (and you) browse the project.',
    remedyForOthers: `${ASK_AN_ADMIN} check that the project’s permission scheme lets the app and you browse the project.`,
  },
  JIRA_UNAVAILABLE: {
    status: 503,
    title: 'Jira Unavailable',
    detail: 'Jira did not answer, or answered with a server error, after several attempts.',
    remedy: upstreamTroubleRemedy('Jira'),
  },
  PROJECT_NOT_FOUND: {
    status: 404,
    title: 'Cannot Find Project',
    detail: 'Jira does not know this project, or the app cannot see it.',
    remedy: 'Check the project key and that the project has not been archived or deleted.',
    remedyForOthers: `${ASK_AN_ADMIN} check that the project has not been archived or deleted.`,
  },
  ISSUE_NOT_FOUND: {
    status: 404,
    title: 'Cannot Find Issue',
    detail: 'It was deleted, or you (or the app) cannot see it.',
    remedy: 'Reload the issue. If it is protected by issue security, ask for access to it.',
  },
  XRAY_AUTH_FAILED: {
    status: 401,
    title: 'Xray API Error',
    detail: 'The Client ID or Client Secret is wrong: Xray refused the Xray API key.',
    remedy:
      'In Jira go to Apps → Xray → Settings → API Keys, create (or copy) an Xray API key for this site, and paste its Client ID and Client Secret here.',
    remedyForOthers: `${ASK_AN_ADMIN} enter a valid Xray API key in the project’s SQAI settings.`,
  },
  XRAY_LICENSE_INVALID: {
    status: 402,
    title: 'Xray API Error',
    detail: 'Xray is not licensed (or its license has expired) on this site.',
    remedy: 'Ask a Jira site admin to check the Xray subscription under Apps → Manage apps.',
  },
  XRAY_WRONG_REGION: {
    status: 409,
    title: 'Xray API Error',
    detail: 'This site’s Xray data lives in another region.',
    remedy: 'Choose the region that matches your site’s data residency and save again.',
    remedyForOthers: `${ASK_AN_ADMIN} choose the Xray region that matches the site’s data residency in the project’s SQAI settings.`,
  },
  XRAY_API_ERROR: {
    status: 502,
    title: 'Xray API Error',
    detail: 'Xray rejected the request.',
    remedy: 'Check that Xray is installed and enabled for this project, then test the connection again.',
    remedyForOthers: `Try again in a few minutes. If it keeps failing, ask a project admin to check that Xray is enabled for this project.`,
  },
  KEY_EXPIRED: {
    status: 401,
    title: 'Xray API Key Expired',
    detail: 'The Xray API key’s expiry date has passed.',
    remedy: 'Create a new Xray API key (Apps → Xray → Settings → API Keys) and update it here.',
    remedyForOthers: `${ASK_AN_ADMIN} create a new Xray API key and update it in the project’s SQAI settings.`,
  },
  KEY_EXPIRING: {
    status: 200,
    title: 'Xray API Key Expiring',
    detail: 'The Xray API key expires within 14 days.',
    remedy: 'Create a new Xray API key before it expires and update it here, with its new expiry date.',
    remedyForOthers: `${ASK_AN_ADMIN} create a new Xray API key before the current one expires.`,
  },
  SQAI_UNREACHABLE: {
    status: 503,
    title: 'SQAI Unreachable',
    detail: 'The SQAI endpoint did not answer.',
    remedy: 'Check the SQAI endpoint URL and that the SQAI service is up, then try again.',
    remedyForOthers:
      'Try again in a few minutes. If it keeps failing, ask a project admin to check the SQAI endpoint URL and that SQAI is up.',
  },
  SQAI_UNAUTHORIZED: {
    status: 401,
    title: 'SQAI Unauthorized',
    detail: 'SQAI rejected the API token.',
    remedy: `Create a new API token in SQAI Suite and save it under ${SETTINGS_PAGE}.`,
    remedyForOthers: `${ASK_AN_ADMIN} save a new SQAI API token in the project’s SQAI settings.`,
  },
  SQAI_REJECTED: {
    status: 502,
    title: 'SQAI Rejected',
    detail: 'SQAI refused the request.',
    remedy: 'Check the SQAI endpoint URL (it should be the API base, e.g. https://api.sqai-suite.com).',
    remedyForOthers: `${ASK_AN_ADMIN} check the SQAI endpoint URL in the project’s SQAI settings (it should be the API base).`,
  },
  EGRESS_NOT_ALLOWED: {
    status: 403,
    title: 'Host Not Approved',
    detail: 'The app is not allowed to reach this SQAI host yet.',
    remedy:
      'A Jira admin must approve the host first (the settings page offers “Approve host”), or use an SQAI host the app already allows.',
    remedyForOthers: `${ASK_AN_ADMIN} have the SQAI host approved (the project’s SQAI settings page offers “Approve host”).`,
  },
  NOT_CONFIGURED: {
    status: 409,
    title: 'Not Configured',
    detail: 'This project is not connected to Xray and SQAI yet.',
    remedy: `Connect it under ${SETTINGS_PAGE}.`,
    remedyForOthers: `${ASK_AN_ADMIN} connect it under ${SETTINGS_PAGE}.`,
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Rate Limited',
    detail: 'An upstream service asked the app to slow down.',
    remedy: 'Wait a minute, then try again.',
  },
  VALIDATION: {
    status: 400,
    title: 'Needs Attention',
    detail: 'Some fields need attention.',
    remedy: 'Correct the highlighted fields and save again.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Forbidden',
    detail: 'Only administrators of this project can do this.',
    remedy: 'Ask a project admin, or a Jira admin, to make the change.',
  },
  INTERNAL: {
    status: 500,
    title: 'Unexpected Error',
    detail: 'Something went wrong inside the app.',
    remedy: 'Try again. If it keeps failing, contact your Jira admin with the time it happened.',
  },
};

/** Codes whose one-line message is the detail alone (their title says nothing the detail does not). */
const UNTITLED_MESSAGE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['VALIDATION', 'INTERNAL']);

/** Heads of "Head — detail" messages, current and earlier ("Token Expired"), stripped from details. */
const KNOWN_HEADS: ReadonlySet<string> = new Set([
  ...Object.values(WORDING).map((wording) => wording.title),
  'Token Expired',
  'Token Expiring',
]);

/** A sentence continued after a dash or colon: "The app …" → "the app …" (names keep their case). */
const continued = (text: string): string =>
  /^(?:[A-Z]{2}|Jira\b|Xray\b|SQAI\b|Forge\b|I\b)/.test(text)
    ? text
    : text.charAt(0).toLowerCase() + text.slice(1);

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The detail of a legacy one-line message: "Forbidden — the call carries no site." → "The call carries no site." */
function detailOfMessage(message: string): string {
  const dash = message.indexOf(' — ');
  if (dash > 0 && KNOWN_HEADS.has(message.slice(0, dash))) return sentence(message.slice(dash + 3));
  return message;
}

function messageOf(code: ErrorCode, detail: string): string {
  return UNTITLED_MESSAGE.has(code) ? detail : `${WORDING[code].title} — ${continued(detail)}`;
}

/** Who reads an error: a project admin can act on configuration remedies, anyone else asks one. */
export interface Reader {
  projectAdmin: boolean;
}

export interface AppErrorOptions {
  /** Replaces the default one-line message (must not contain secrets); the detail is taken from it. */
  message?: string;
  /** Replaces the default detail (must not contain secrets). */
  detail?: string;
  /** Replaces the default remedy (e.g. the Jira permission to ask for), for every reader. */
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
  readonly title: string;
  readonly detail: string;
  readonly remedy: string;
  /** The remedy for a reader who is not a project admin, when it differs (configuration problems). */
  readonly remedyForOthers?: string;
  readonly fieldErrors?: Record<string, string>;
  readonly suggestedRegion?: XrayRegion;
  readonly host?: string;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const wording = WORDING[code];
    const detail =
      options.detail ?? (options.message === undefined ? wording.detail : detailOfMessage(options.message));
    super(
      options.message ?? messageOf(code, detail),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AppError';
    this.code = code;
    this.status = wording.status;
    this.title = wording.title;
    this.detail = detail;
    this.remedy = options.remedy ?? wording.remedy;
    if (options.remedy === undefined && wording.remedyForOthers)
      this.remedyForOthers = wording.remedyForOthers;
    if (options.fieldErrors) this.fieldErrors = options.fieldErrors;
    if (options.suggestedRegion) this.suggestedRegion = options.suggestedRegion;
    if (options.host) this.host = options.host;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** The remedy `reader` can act on; without a reader (stored for later), the one for project admins. */
  remedyFor(reader?: Reader): string {
    return reader && !reader.projectAdmin && this.remedyForOthers ? this.remedyForOthers : this.remedy;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
export const hasCode = (error: unknown, ...codes: ErrorCode[]): error is AppError =>
  isAppError(error) && codes.includes(error.code);
export const isRateLimited = (error: unknown): error is AppError => hasCode(error, 'RATE_LIMITED');

export function wrongRegionError(region: XrayRegion, cause?: unknown): AppError {
  return new AppError('XRAY_WRONG_REGION', {
    detail: `This site’s Xray data lives in ${XRAY_REGION_LABELS[region]}; use that region.`,
    suggestedRegion: region,
    cause,
  });
}

/**
 * A code's error for one purpose: "Failed to read project DEMO: the app or your account lacks
 * access to this project." `options.detail` replaces the code's default detail after the purpose.
 */
export function withPurpose(code: ErrorCode, purpose: string, options: AppErrorOptions = {}): AppError {
  const own = options.detail ?? WORDING[code].detail;
  const detail = `${purpose}: ${continued(own)}`;
  const message = UNTITLED_MESSAGE.has(code) ? detail : `${purpose}: ${messageOf(code, own)}`;
  return new AppError(code, { ...options, message, detail });
}

/**
 * The DTO the UI sees, worded for `reader` (the resolver layer knows who called; without a reader —
 * an error stored for whoever looks later — the remedy is the project admin's). Unknown errors
 * become INTERNAL with no detail at all.
 */
export function toErrorDto(error: unknown, reader?: Reader): ErrorDto {
  const appError = isAppError(error) ? error : new AppError('INTERNAL');
  const dto: ErrorDto = {
    code: appError.code,
    title: appError.title,
    detail: appError.detail,
    message: appError.message,
    remedy: appError.remedyFor(reader),
  };
  if (appError.fieldErrors) dto.fieldErrors = appError.fieldErrors;
  if (appError.suggestedRegion) dto.suggestedRegion = appError.suggestedRegion;
  if (appError.host) dto.host = appError.host;
  return dto;
}

/**
 * An error made earlier and stored (a sync state, a generation), as `reader` should read it now: a
 * reader who is not a project admin gets the code's remedy for others in place of the admin's
 * default one. Any other remedy (a specific one) is kept.
 */
export function errorFor<E extends { code: ErrorCode; remedy: string }>(error: E, reader: Reader): E {
  const wording = WORDING[error.code] as Wording | undefined;
  if (reader.projectAdmin || !wording?.remedyForOthers || error.remedy !== wording.remedy) return error;
  return { ...error, remedy: wording.remedyForOthers };
}

/** A code's default wording, its one-line message included. */
export function defaultWording(code: ErrorCode): Readonly<Wording & { message: string }> {
  return { ...WORDING[code], message: messageOf(code, WORDING[code].detail) };
}
