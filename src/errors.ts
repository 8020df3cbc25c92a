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
   * `admin` is whom to ask: "a project admin", or with the project lead named when Jira says who
   * that is (`askAnAdmin`).
   */
  remedyForOthers?: (admin: string) => string;
}

const SETTINGS_PAGE = 'Project settings → Apps → SQAI Connector for Xray';

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
    remedyForOthers: (admin) =>
      `Ask ${admin} to check that the project’s permission scheme lets the app and you browse the project.`,
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
    remedyForOthers: (admin) => `Ask ${admin} to check that the project has not been archived or deleted.`,
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
    remedyForOthers: (admin) => `Ask ${admin} to enter a valid Xray API key in the project’s SQAI settings.`,
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
    remedyForOthers: (admin) =>
      `Ask ${admin} to choose the Xray region that matches the site’s data residency in the project’s SQAI settings.`,
  },
  XRAY_API_ERROR: {
    status: 502,
    title: 'Xray API Error',
    detail: 'Xray rejected the request.',
    remedy: 'Check that Xray is installed and enabled for this project, then test the connection again.',
    remedyForOthers: (admin) =>
      `Try again in a few minutes. If it keeps failing, ask ${admin} to check that Xray is enabled for this project.`,
  },
  KEY_EXPIRED: {
    status: 401,
    title: 'Xray API Key Expired',
    detail: 'The Xray API key’s expiry date has passed.',
    remedy: 'Create a new Xray API key (Apps → Xray → Settings → API Keys) and update it here.',
    remedyForOthers: (admin) =>
      `Ask ${admin} to create a new Xray API key and update it in the project’s SQAI settings.`,
  },
  KEY_EXPIRING: {
    status: 200,
    title: 'Xray API Key Expiring',
    detail: 'The Xray API key expires within 14 days.',
    remedy: 'Create a new Xray API key before it expires and update it here, with its new expiry date.',
    remedyForOthers: (admin) => `Ask ${admin} to create a new Xray API key before the current one expires.`,
  },
  SQAI_UNREACHABLE: {
    status: 503,
    title: 'SQAI Unreachable',
    detail: 'The SQAI endpoint did not answer.',
    remedy: 'Check the SQAI endpoint URL and that the SQAI service is up, then try again.',
    remedyForOthers: (admin) =>
      `Try again in a few minutes. If it keeps failing, ask ${admin} to check the SQAI endpoint URL and that SQAI is up.`,
  },
  SQAI_UNAUTHORIZED: {
    status: 401,
    title: 'SQAI Unauthorized',
    detail: 'SQAI rejected the API token.',
    remedy: `Create a new API token in SQAI Suite and save it under ${SETTINGS_PAGE}.`,
    remedyForOthers: (admin) => `Ask ${admin} to save a new SQAI API token in the project’s SQAI settings.`,
  },
  SQAI_REJECTED: {
    status: 502,
    title: 'SQAI Rejected',
    detail: 'SQAI refused the request.',
    remedy: 'Check the SQAI endpoint URL (it should be the API base, e.g. https://api.sqai-suite.com).',
    remedyForOthers: (admin) =>
      `Ask ${admin} to check the SQAI endpoint URL in the project’s SQAI settings (it should be the API base).`,
  },
  EGRESS_NOT_ALLOWED: {
    status: 403,
    title: 'Host Not Approved',
    detail: 'The app is not allowed to reach this SQAI host yet.',
    remedy:
      'A Jira admin must approve the host first (the settings page offers “Approve host”), or use an SQAI host the app already allows.',
    remedyForOthers: (admin) =>
      `Ask ${admin} to have the SQAI host approved (the project’s SQAI settings page offers “Approve host”).`,
  },
  NOT_CONFIGURED: {
    status: 409,
    title: 'Not Configured',
    detail: 'This project is not connected to Xray and SQAI yet.',
    remedy: `Connect it under ${SETTINGS_PAGE}.`,
    remedyForOthers: (admin) => `Ask ${admin} to connect it under ${SETTINGS_PAGE}.`,
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
  /**
   * The project lead's name as Jira shows it to the reader, when Jira says who leads the project:
   * a reader who is not a project admin is told whom to ask (src/access/reader.ts reads it, only
   * for an error that sends them to a project admin).
   */
  projectLead?: string;
}

/** The longest project lead's name put in a remedy (Jira's display names are not bounded). */
const LEAD_NAME_MAX = 80;

/**
 * Whom a reader who is not a project admin is told to ask: "a project admin", or "a project admin
 * (the project lead is Ada Lovelace)" — the lead may or may not administer the project, so the
 * words say only what Jira said.
 */
export function askAnAdmin(reader?: Reader): string {
  const lead = reader?.projectLead?.trim();
  if (!lead) return 'a project admin';
  const name = lead.length > LEAD_NAME_MAX ? `${lead.slice(0, LEAD_NAME_MAX - 1)}…` : lead;
  return `a project admin (the project lead is ${name})`;
}

/**
 * `remedy` of an error coded `code` as `reader` should read it. A configuration problem's default
 * remedy — the admin's, or the plain one for others (stored either way) — becomes the admin's for a
 * project admin and "ask a project admin …" for anyone else; any other (specific) remedy, and every
 * remedy read by nobody in particular (`reader` undefined: stored for later), stays as it is.
 */
function remedyFor(code: ErrorCode, remedy: string, reader: Reader | undefined): string {
  const wording = WORDING[code] as Wording | undefined;
  const forOthers = wording?.remedyForOthers;
  if (!reader || !wording || !forOthers) return remedy;
  if (remedy !== wording.remedy && remedy !== forOthers(askAnAdmin())) return remedy;
  return reader.projectAdmin ? wording.remedy : forOthers(askAnAdmin(reader));
}

/**
 * Whether `reader` reading `error` is sent to a project admin: a configuration problem with its
 * default remedy, read by someone who is not one. Only then is it worth asking Jira who leads the
 * project.
 */
export function asksAnAdmin(error: { code: ErrorCode; remedy: string }, reader: Reader): boolean {
  const forOthers = (WORDING[error.code] as Wording | undefined)?.remedyForOthers;
  if (reader.projectAdmin || !forOthers) return false;
  return remedyFor(error.code, error.remedy, { projectAdmin: false }) === forOthers(askAnAdmin());
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
  /** The remedy for a project admin; `remedyFor(reader)` words it for anyone. */
  readonly remedy: string;
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
    if (options.fieldErrors) this.fieldErrors = options.fieldErrors;
    if (options.suggestedRegion) this.suggestedRegion = options.suggestedRegion;
    if (options.host) this.host = options.host;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** The remedy `reader` can act on; without a reader (stored for later), the one for project admins. */
  remedyFor(reader?: Reader): string {
    return remedyFor(this.code, this.remedy, reader);
  }

  /**
   * This error with the remedy `reader` reads fixed for whoever reads it next (e.g. naming the
   * project lead, which only the reader's own Jira read can tell); itself when nothing changes.
   */
  wordedFor(reader: Reader): AppError {
    const remedy = this.remedyFor(reader);
    if (remedy === this.remedy) return this;
    const worded = new AppError(this.code, {
      message: this.message,
      detail: this.detail,
      remedy,
      ...(this.cause === undefined ? {} : { cause: this.cause }),
      ...(this.fieldErrors ? { fieldErrors: this.fieldErrors } : {}),
      ...(this.suggestedRegion ? { suggestedRegion: this.suggestedRegion } : {}),
      ...(this.host ? { host: this.host } : {}),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    });
    if (this.stack !== undefined) worded.stack = this.stack;
    return worded;
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
 * An error made earlier and stored (a sync state, a generation, a creation), as `reader` should read
 * it now: a reader who is not a project admin gets the code's remedy for others (naming the project
 * lead when the reader knows who that is) in place of the admin's default one, and a project admin
 * the admin's. Any other remedy (a specific one) is kept; an error needing no change is returned as is.
 */
export function errorFor<E extends { code: ErrorCode; remedy: string }>(error: E, reader: Reader): E {
  const remedy = remedyFor(error.code, error.remedy, reader);
  return remedy === error.remedy ? error : { ...error, remedy };
}

/** A code's default wording, its one-line message included. */
export function defaultWording(code: ErrorCode): Readonly<Wording & { message: string }> {
  return { ...WORDING[code], message: messageOf(code, WORDING[code].detail) };
}
