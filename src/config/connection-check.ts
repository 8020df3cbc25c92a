/**
 * The connection check (DESIGN.md §6): Jira, Xray, SQAI and the key-expiry date, one result each.
 * Jira, Xray and SQAI run in parallel under one deadline that fits inside Forge's 25 s resolver limit.
 */
import type { CheckName, CheckResult, ConnectionReport, KeyReminderDto, XrayRegion } from '../api';
import { XRAY_REGION_LABELS } from '../api';
import { getProject } from '../clients/jira';
import { SqaiClient } from '../clients/sqai';
import { Deadline } from '../clients/upstream';
import { siteBudget } from '../clients/xray/rate-budget';
import { XrayClient } from '../clients/xray/client';
import { getXrayProjectSettings } from '../clients/xray/project-settings';
import { otherRegions } from '../clients/xray/regions';
import { AppError, hasCode, toErrorDto, wrongRegionError } from '../errors';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { StoredSettings } from './schema';
import type { ProjectSecrets } from './settings-store';
import { passConsentThrough } from '../platform/forge-errors';

/** The check runs in a settings-page resolver: a panel call's budget. */
export const CHECK_BUDGET_MS = PANEL_BUDGET_MS;
export const KEY_EXPIRY_WARNING_DAYS = 14;

const LABELS: Record<CheckName, string> = {
  jira: 'Jira project access',
  xray: 'Xray API',
  sqai: 'SQAI endpoint',
  keyExpiry: 'Xray API key expiry',
};

export interface CheckInput {
  project: { id: string; key: string };
  settings: StoredSettings;
  secrets: ProjectSecrets;
  /** KVS key for the persisted Xray token (see settings-store `keys.xrayToken`). */
  xrayTokenKey: string;
}

type Outcome = { status: CheckResult['status']; detail: string; error?: AppError };

async function timed(
  check: CheckName,
  log: Platform['log'],
  run: () => Promise<Outcome>,
): Promise<CheckResult> {
  const started = Date.now();
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    passConsentThrough(error);
    const appError = error instanceof AppError ? error : new AppError('INTERNAL', { cause: error });
    if (appError.code === 'INTERNAL') log.error('Connection check failed unexpectedly', { check, error });
    outcome = { status: 'fail', detail: appError.message, error: appError };
  }
  return {
    check,
    label: LABELS[check],
    status: outcome.status,
    detail: outcome.detail,
    ...(outcome.error ? { error: toErrorDto(outcome.error) } : {}),
    durationMs: Date.now() - started,
  };
}

async function checkJira(platform: Platform, input: CheckInput, deadline: Deadline): Promise<Outcome> {
  const project = await getProject(platform.jira, input.project.id, { as: 'app', deadline });
  return { status: 'pass', detail: `The app can read project ${project.key} (${project.name}).` };
}

async function probeXray(platform: Platform, input: CheckInput, region: XrayRegion, deadline: Deadline) {
  const client = new XrayClient(
    {
      http: platform.http,
      now: () => platform.clock.now(),
      tokenStore: { secrets: platform.secrets, key: input.xrayTokenKey },
      // The check's requests count against the site's budget like every other Xray request.
      budget: siteBudget(platform, input.settings.xray.tier),
    },
    { clientId: input.settings.xray.clientId, clientSecret: input.secrets.xrayClientSecret ?? '', region },
    deadline,
  );
  return getXrayProjectSettings(client, input.project.id);
}

/** Probes the other regions with the same key; the first one whose data call works wins. */
async function findWorkingRegion(
  platform: Platform,
  input: CheckInput,
  deadline: Deadline,
): Promise<XrayRegion | undefined> {
  const probeInput = { ...input, xrayTokenKey: `${input.xrayTokenKey}:probe` };
  const attempts = otherRegions(input.settings.xray.region).map(async (region) => {
    const settings = await probeXray(platform, probeInput, region, deadline);
    if (!settings) throw new Error('no settings');
    return region;
  });
  try {
    return await Promise.any(attempts);
  } catch {
    return undefined;
  } finally {
    await platform.secrets.deleteSecret(probeInput.xrayTokenKey);
  }
}

async function checkXray(platform: Platform, input: CheckInput, deadline: Deadline): Promise<Outcome> {
  if (!input.secrets.xrayClientSecret) {
    throw new AppError('XRAY_AUTH_FAILED', { message: 'Xray API Error — no Client Secret is stored.' });
  }
  const region = input.settings.xray.region;
  let settings;
  try {
    settings = await probeXray(platform, input, region, deadline);
  } catch (error) {
    if (!hasCode(error, 'XRAY_WRONG_REGION')) throw error;
    const working = await findWorkingRegion(platform, input, deadline);
    if (working) throw wrongRegionError(working, error);
    throw new AppError('XRAY_WRONG_REGION', {
      message: `Xray API Error — Xray says this site's data is not in ${XRAY_REGION_LABELS[region]}, and no other region accepted this API key.`,
      cause: error,
    });
  }
  if (!settings) {
    throw new AppError('XRAY_API_ERROR', {
      message: `Xray API Error — Xray has no settings for project ${input.project.key}. Is Xray enabled for this project?`,
    });
  }
  const types = settings.testTypes.map((type) => type.name).join(', ') || 'none';
  return {
    status: 'pass',
    detail: `Authenticated in ${XRAY_REGION_LABELS[region]}; project ${input.project.key} test types: ${types}.`,
  };
}

async function checkSqai(platform: Platform, input: CheckInput, deadline: Deadline): Promise<Outcome> {
  if (!input.secrets.sqaiToken) {
    throw new AppError('SQAI_UNAUTHORIZED', { message: 'SQAI Unauthorized — no SQAI API token is stored.' });
  }
  const client = new SqaiClient(
    { http: platform.http },
    { endpoint: input.settings.sqai.endpoint, token: input.secrets.sqaiToken },
    deadline,
  );
  await client.health();
  return { status: 'pass', detail: `SQAI at ${new URL(input.settings.sqai.endpoint).host} is healthy.` };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days from today (UTC) until the key's expiry date; negative once it has passed. */
export function daysUntil(isoDate: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - today) / DAY_MS);
}

/**
 * What the Xray check found about the key, for the expiry check: `accepted` (Xray authenticated it),
 * `refused` (Xray said the Client ID / Secret are wrong) or `unknown` (not checked, or failed otherwise).
 */
export type XrayKeyState = 'accepted' | 'refused' | 'unknown';

/** The entered date as people read it in a sentence, e.g. "2026-11-23" (the UI shows it in the user's locale). */
const passedFact = (keyExpiresOn: string) => `The expiry date you entered, ${keyExpiresOn}, has passed`;

/**
 * The key-expiry check. The date is what the admin typed, not Xray's word: a date that has passed
 * fails the check only when Xray also refused the key; while Xray still authenticates it, it is a
 * warning that says so (and the connection stays Connected).
 */
export function checkKeyExpiry(
  keyExpiresOn: string | undefined,
  now: Date,
  xrayKey: XrayKeyState = 'unknown',
): Outcome {
  if (!keyExpiresOn) return { status: 'skipped', detail: 'No expiry date entered, so no reminders.' };
  const days = daysUntil(keyExpiresOn, now);
  if (days < 0) {
    if (xrayKey === 'refused') {
      const message = `${passedFact(keyExpiresOn)} and Xray refused the Xray API key: it has probably expired.`;
      return { status: 'fail', detail: message, error: new AppError('KEY_EXPIRED', { message }) };
    }
    const message =
      xrayKey === 'accepted'
        ? `${passedFact(keyExpiresOn)}; the Xray API key still authenticates today — replace it before Xray stops accepting it.`
        : `${passedFact(keyExpiresOn)}; whether Xray still accepts the Xray API key was not checked — replace it before Xray stops accepting it.`;
    const remedy =
      'Create a new Xray API key (Apps → Xray → Settings → API Keys) and enter it here with its expiry date — or correct the date if it was entered wrong.';
    return { status: 'warn', detail: message, error: new AppError('KEY_EXPIRED', { message, remedy }) };
  }
  if (days <= KEY_EXPIRY_WARNING_DAYS) {
    const when = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
    const message = `The Xray API key expires ${when} (${keyExpiresOn}), by the date you entered.`;
    return { status: 'warn', detail: message, error: new AppError('KEY_EXPIRING', { message }) };
  }
  return { status: 'pass', detail: `The Xray API key is valid until ${keyExpiresOn} (${days} days).` };
}

/** The Xray check's answer about the key (see XrayKeyState). */
export function xrayKeyStateOf(xray: CheckResult | undefined): XrayKeyState {
  if (xray?.status === 'pass') return 'accepted';
  if (xray?.error?.code === 'XRAY_AUTH_FAILED') return 'refused';
  return 'unknown';
}

export async function runConnectionCheck(platform: Platform, input: CheckInput): Promise<ConnectionReport> {
  const deadline = new Deadline(CHECK_BUDGET_MS);
  const upstream = await Promise.all([
    timed('jira', platform.log, () => checkJira(platform, input, deadline)),
    timed('xray', platform.log, () => checkXray(platform, input, deadline)),
    timed('sqai', platform.log, () => checkSqai(platform, input, deadline)),
  ]);
  // The expiry date is judged with what Xray said about the key (no request of its own).
  const xrayKey = xrayKeyStateOf(upstream.find((check) => check.check === 'xray'));
  const checks = [
    ...upstream,
    await timed('keyExpiry', platform.log, async () =>
      checkKeyExpiry(input.settings.keyExpiresOn, platform.clock.now(), xrayKey),
    ),
  ];
  return {
    ok: checks.every((check) => check.status !== 'fail'),
    checkedAt: platform.clock.now().toISOString(),
    checks,
  };
}

/** The key-expiry reminder for a project's settings, if one is due. */
export function keyReminderOf(
  settings: Pick<StoredSettings, 'keyExpiresOn'> | null,
  now: Date,
): KeyReminderDto | undefined {
  const expiresOn = settings?.keyExpiresOn;
  if (!expiresOn) return undefined;
  const days = daysUntil(expiresOn, now);
  if (days > KEY_EXPIRY_WARNING_DAYS) return undefined;
  return { status: days < 0 ? 'expired' : 'expiring', expiresOn, days };
}
