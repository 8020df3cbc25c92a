/**
 * The settings form as plain data, and everything pure about it: defaults, SettingsDto ↔ form,
 * form → `saveSettings` payload, client-side validation (a mirror of the obvious server rules —
 * the server stays the authority), and mapping the server's field-error paths onto form fields.
 */
import type { SaveSettingsInput, SettingsDto, SettingsView, XrayRegion, XrayTier } from '../../../src/api';
import {
  dataControlsDtoOf,
  dataControlsErrorOrder,
  dataControlsFieldOf,
  dataControlsModelOf,
  validateDataControls,
  type DataControlsFieldName,
  type DataControlsModel,
} from './data-controls/model';

export interface FormModel {
  clientId: string;
  /** Write-only: always starts empty; empty on save = keep the stored secret. */
  clientSecret: string;
  region: XrayRegion;
  tier: XrayTier;
  sqaiEndpoint: string;
  /** Write-only, like `clientSecret`. */
  sqaiToken: string;
  /** ISO `YYYY-MM-DD`, or '' for none. */
  keyExpiresOn: string;
  syncEnabled: boolean;
  /** Comma-separated issue type names as typed; '' = the types Xray treats as coverable. */
  requirementIssueTypes: string;
  includeRemoteLinks: boolean;
  includeTestRuns: boolean;
  /** A custom field id (`customfield_10042`) holding acceptance criteria; '' = read the description. */
  criteriaField: string;
  /** Comma-separated section names that hold criteria; '' = the defaults ("Acceptance criteria", …). */
  criteriaTitles: string;
  /**
   * What leaves Jira (data-controls/model.ts). Absent until the page has them (a new configuration, or
   * a view without them): the section shows the defaults, and a save without them keeps what is stored.
   */
  dataControls?: DataControlsModel;
}

/** A control of the form: a model key, or one of the data controls (their server error paths). */
export type FieldName = keyof FormModel | DataControlsFieldName;
export type FieldErrors = Partial<Record<FieldName, string>>;

/** Form order: the first invalid field in this order gets the focus (the data controls come last). */
export const FIELD_ORDER: readonly (keyof FormModel)[] = [
  'clientId',
  'clientSecret',
  'region',
  'tier',
  'sqaiEndpoint',
  'sqaiToken',
  'keyExpiresOn',
  'syncEnabled',
  'requirementIssueTypes',
  'includeRemoteLinks',
  'includeTestRuns',
  'criteriaField',
  'criteriaTitles',
];

/** The `saveSettings` payload path of each field (the keys of the server's `fieldErrors`). */
export const FIELD_PATHS: Record<Exclude<keyof FormModel, 'dataControls'>, string> = {
  clientId: 'xray.clientId',
  clientSecret: 'secrets.xrayClientSecret',
  region: 'xray.region',
  tier: 'xray.tier',
  sqaiEndpoint: 'sqai.endpoint',
  sqaiToken: 'secrets.sqaiToken',
  keyExpiresOn: 'keyExpiresOn',
  syncEnabled: 'sync.enabled',
  requirementIssueTypes: 'sync.requirementIssueTypes',
  includeRemoteLinks: 'sync.includeRemoteLinks',
  includeTestRuns: 'sync.includeTestRuns',
  criteriaField: 'sync.criteriaField',
  criteriaTitles: 'sync.criteriaTitles',
};

export const DEFAULT_SQAI_ENDPOINT = 'https://api.sqai-suite.com';
export const MAX_ISSUE_TYPES = 30;
export const MAX_ISSUE_TYPE_LENGTH = 60;
export const MAX_CRITERIA_TITLES = 12;
export const MAX_CRITERIA_TITLE_LENGTH = 60;
const CUSTOM_FIELD_ID = /^customfield_\d{1,18}$/;

export function emptyForm(): FormModel {
  return {
    clientId: '',
    clientSecret: '',
    region: 'global',
    tier: 'standard',
    sqaiEndpoint: '',
    sqaiToken: '',
    keyExpiresOn: '',
    syncEnabled: true,
    requirementIssueTypes: '',
    includeRemoteLinks: true,
    includeTestRuns: true,
    criteriaField: '',
    criteriaTitles: '',
  };
}

/** "Story, Epic ,, story" → ["Story", "Epic"] (trimmed, empties dropped, case-insensitive dedupe). */
export function parseIssueTypes(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const name = part.trim().replace(/\s+/g, ' ');
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

export function formatIssueTypes(names: readonly string[]): string {
  return names.join(', ');
}

/** The form for a stored configuration (secrets empty: they are never sent to the page). */
export function formFromSettings(settings: SettingsDto | null): FormModel {
  if (!settings) return emptyForm();
  return {
    clientId: settings.xray.clientId,
    clientSecret: '',
    region: settings.xray.region,
    tier: settings.xray.tier,
    sqaiEndpoint: settings.sqai.endpoint,
    sqaiToken: '',
    keyExpiresOn: settings.keyExpiresOn ?? '',
    syncEnabled: settings.sync.enabled,
    requirementIssueTypes: formatIssueTypes(settings.sync.requirementIssueTypes),
    includeRemoteLinks: settings.sync.includeRemoteLinks,
    includeTestRuns: settings.sync.includeTestRuns,
    criteriaField: settings.sync.criteriaField ?? '',
    criteriaTitles: formatIssueTypes(settings.sync.criteriaTitles ?? []),
    ...(settings.dataControls ? { dataControls: dataControlsModelOf(settings.dataControls) } : {}),
  };
}

/** The `saveSettings` payload. Empty secrets are left out, which means "keep the stored one". */
export function toSaveInput(model: FormModel): SaveSettingsInput {
  const clientSecret = model.clientSecret.trim();
  const sqaiToken = model.sqaiToken.trim();
  const keyExpiresOn = model.keyExpiresOn.trim();
  const input: SaveSettingsInput = {
    xray: { clientId: model.clientId.trim(), region: model.region, tier: model.tier },
    sqai: { endpoint: model.sqaiEndpoint.trim() },
    sync: {
      enabled: model.syncEnabled,
      requirementIssueTypes: parseIssueTypes(model.requirementIssueTypes),
      includeRemoteLinks: model.includeRemoteLinks,
      includeTestRuns: model.includeTestRuns,
      criteriaField: model.criteriaField.trim(),
      criteriaTitles: parseIssueTypes(model.criteriaTitles),
    },
  };
  if (keyExpiresOn !== '') input.keyExpiresOn = keyExpiresOn;
  if (model.dataControls) input.dataControls = dataControlsDtoOf(model.dataControls);
  if (clientSecret !== '' || sqaiToken !== '') {
    input.secrets = {
      ...(clientSecret !== '' ? { xrayClientSecret: clientSecret } : {}),
      ...(sqaiToken !== '' ? { sqaiToken } : {}),
    };
  }
  return input;
}

/**
 * Whether the form differs from what is stored (a typed secret counts as an edit): while it does,
 * the last connection check describes settings the form no longer shows.
 */
export function hasUnsavedEdits(model: FormModel, settings: SettingsDto | null): boolean {
  if (!settings) return false;
  const stored = toSaveInput(formFromSettings(settings));
  return JSON.stringify(toSaveInput(model)) !== JSON.stringify(stored);
}

/** A form with both secret inputs emptied (after a successful save). */
export function withoutSecrets(model: FormModel): FormModel {
  return { ...model, clientSecret: '', sqaiToken: '' };
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * A typed `YYYY-M-D` date as a local Date, only when it is exactly that calendar date: `2026-02-31`
 * is not rolled over to March and `1` is not guessed as 2001-01-01 (the browser's `Date` parser
 * would); anything else is an Invalid Date, which the page shows as a field error.
 */
export function parseTypedDate(text: string): Date {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!match) return new Date(Number.NaN);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  const exact = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
  return exact ? date : new Date(Number.NaN);
}

/** The ISO date a typed text stands for, or undefined. */
export function typedToIso(text: string): string | undefined {
  const date = parseTypedDate(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return isIsoDate(iso) ? iso : undefined;
}

/** The obvious rules of the SQAI endpoint; the server adds the rest (IP literals, local names…). */
export function endpointProblem(value: string): string | undefined {
  const raw = value.trim();
  if (raw === '') return 'Enter the SQAI endpoint URL.';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter a full URL, e.g. https://api.sqai-suite.com';
  }
  if (url.protocol !== 'https:') return 'The SQAI endpoint must use https://';
  if (url.username || url.password) {
    return 'Remove the user name or password from the URL; the token goes in its own field.';
  }
  if (url.search || url.hash) return 'Remove the query string or fragment from the URL.';
  return undefined;
}

type SecretStates = SettingsView['secrets'];

export function validateForm(model: FormModel, secrets: SecretStates): FieldErrors {
  const errors: FieldErrors = {};
  const clientId = model.clientId.trim();
  if (clientId === '') errors.clientId = 'Enter the Xray Client ID.';
  else if (/\s/.test(clientId)) errors.clientId = 'A Client ID has no spaces.';

  const clientSecret = model.clientSecret.trim();
  if (clientSecret === '' && secrets.xrayClientSecret === 'unset') {
    errors.clientSecret = 'Enter the Xray Client Secret.';
  } else if (/\s/.test(clientSecret)) errors.clientSecret = 'The Client Secret has no spaces.';

  const endpoint = endpointProblem(model.sqaiEndpoint);
  if (endpoint) errors.sqaiEndpoint = endpoint;

  const token = model.sqaiToken.trim();
  if (token === '' && secrets.sqaiToken === 'unset') errors.sqaiToken = 'Enter the SQAI API token.';
  else if (/\s/.test(token)) errors.sqaiToken = 'The SQAI token has no spaces.';

  const expiry = model.keyExpiresOn.trim();
  if (expiry !== '' && !isIsoDate(expiry)) errors.keyExpiresOn = 'Enter a real date as YYYY-MM-DD.';

  const types = parseIssueTypes(model.requirementIssueTypes);
  if (types.length > MAX_ISSUE_TYPES) {
    errors.requirementIssueTypes = `Pick at most ${MAX_ISSUE_TYPES} issue types.`;
  } else if (types.some((name) => name.length > MAX_ISSUE_TYPE_LENGTH)) {
    errors.requirementIssueTypes = `Issue type names are at most ${MAX_ISSUE_TYPE_LENGTH} characters.`;
  }

  const field = model.criteriaField.trim();
  if (field !== '' && !CUSTOM_FIELD_ID.test(field)) {
    errors.criteriaField = 'Enter a custom field id such as customfield_10042, or leave it empty.';
  }
  const titles = parseIssueTypes(model.criteriaTitles);
  if (titles.length > MAX_CRITERIA_TITLES) {
    errors.criteriaTitles = `Name at most ${MAX_CRITERIA_TITLES} sections.`;
  } else if (titles.some((name) => name.length > MAX_CRITERIA_TITLE_LENGTH)) {
    errors.criteriaTitles = `Section names are at most ${MAX_CRITERIA_TITLE_LENGTH} characters.`;
  }
  if (model.dataControls) Object.assign(errors, validateDataControls(model.dataControls));
  return errors;
}

export interface MappedServerErrors {
  fields: FieldErrors;
  /** `_form` and any path that matches no field (shown above the form). */
  form: string[];
}

/** `{ 'sqai.endpoint': '…', 'sync.requirementIssueTypes.3': '…', _form: '…' }` → fields + form. */
export function mapServerFieldErrors(fieldErrors: Record<string, string> | undefined): MappedServerErrors {
  const fields: FieldErrors = {};
  const form: string[] = [];
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const controls = dataControlsFieldOf(path);
    if (controls) {
      fields[controls] ??= message;
      continue;
    }
    const field = (Object.keys(FIELD_PATHS) as (keyof typeof FIELD_PATHS)[]).find(
      (name) => path === FIELD_PATHS[name] || path.startsWith(`${FIELD_PATHS[name]}.`),
    );
    if (field) fields[field] ??= message;
    else form.push(path === '_form' ? message : `${path}: ${message}`);
  }
  return { fields, form };
}

export function firstInvalidField(errors: FieldErrors): FieldName | undefined {
  const field = FIELD_ORDER.find((name) => errors[name] !== undefined);
  if (field) return field;
  const controls = (Object.keys(errors) as FieldName[]).filter(
    (name) => errors[name] !== undefined && dataControlsFieldOf(name) !== undefined,
  );
  return dataControlsErrorOrder(controls)[0] as FieldName | undefined;
}
