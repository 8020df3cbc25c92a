/**
 * Settings schemas (DESIGN.md §4): what the UI sends, what is stored, and how zod issues become the
 * field-level errors the form shows.
 */
import { z } from 'zod';
import { XRAY_REGIONS, XRAY_TIERS } from '../api';
import { normalizeSqaiEndpoint } from './endpoint';

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the format YYYY-MM-DD.')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'Enter a real calendar date.');

const issueTypeName = z
  .string()
  .trim()
  .min(1, 'Issue type names cannot be empty.')
  .max(60, 'Issue type names are at most 60 characters.');

const sectionTitle = z
  .string()
  .trim()
  .min(1, 'Section names cannot be empty.')
  .max(60, 'Section names are at most 60 characters.');

export const syncOptionsSchema = z.object({
  enabled: z.boolean(),
  requirementIssueTypes: z
    .array(issueTypeName)
    .max(30, 'Pick at most 30 issue types.')
    .transform((names) => [...new Set(names)]),
  includeRemoteLinks: z.boolean(),
  includeTestRuns: z.boolean(),
  /**
   * A Jira text field that holds acceptance criteria (`customfield_10042`); '' = none, the description
   * is read (docs/criteria.md "A configured field"). Records saved before it existed read as ''.
   */
  criteriaField: z
    .string()
    .trim()
    .regex(
      /^(customfield_\d{1,18})?$/,
      'Enter a custom field id such as customfield_10042, or leave it empty.',
    )
    .default(''),
  /** Section names that hold criteria; empty = the defaults (src/criteria/extract.ts DEFAULT_CRITERIA_TITLES). */
  criteriaTitles: z
    .array(sectionTitle)
    .max(12, 'Name at most 12 sections.')
    .transform((names) => [...new Set(names)])
    .default([]),
});

export const sqaiEndpointSchema = z
  .string()
  .max(2048, 'The URL is too long.')
  .transform((value, ctx) => {
    const checked = normalizeSqaiEndpoint(value);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', message: checked.message });
      return z.NEVER;
    }
    return checked.url;
  });

const settingsShape = {
  xray: z.object({
    clientId: z
      .string()
      .trim()
      .min(1, 'Enter the Xray Client ID.')
      .max(128, 'A Client ID is at most 128 characters.')
      .regex(/^\S+$/, 'A Client ID has no spaces.'),
    region: z.enum(XRAY_REGIONS, { message: 'Choose one of the Xray regions.' }),
    tier: z.enum(XRAY_TIERS, { message: 'Choose Standard or Enterprise.' }),
  }),
  sqai: z.object({ endpoint: sqaiEndpointSchema }),
  keyExpiresOn: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    isoDate.optional(),
  ),
  sync: syncOptionsSchema,
};

const secretField = (label: string, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .trim()
      .max(max, `${label} is at most ${max} characters.`)
      .regex(/^\S+$/, `${label} has no spaces.`)
      .optional(),
  );

/** `saveSettings` payload. Secrets are optional: empty means "keep the stored one". */
export const saveSettingsInputSchema = z
  .object({
    ...settingsShape,
    secrets: z
      .object({
        xrayClientSecret: secretField('The Client Secret', 256),
        sqaiToken: secretField('The SQAI token', 4096),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ParsedSaveInput = z.output<typeof saveSettingsInputSchema>;

export const secretSlotSchema = z.enum(['a', 'b']);
export type SecretSlot = z.infer<typeof secretSlotSchema>;
export type SecretSlots = { xray: SecretSlot; sqai: SecretSlot };

/** The stored record under `settings:<projectId>` (no secrets in it). */
export const storedSettingsSchema = z.object({
  version: z.literal(1),
  /** The project's key when it was saved (scheduled work names the project without asking Jira). */
  projectKey: z.string().optional(),
  ...settingsShape,
  /**
   * When the project was pointed at its current SQAI endpoint: SQAI holds nothing the app sent
   * before then, so older sync states do not count as delivered (no state is deleted in the save).
   */
  sqaiSince: z.string().optional(),
  /**
   * Which of the two slots holds each secret (absent: slot `a`, the original keys). A save writes new
   * secrets to the spare slot and then this record, so it is all-or-nothing: cut off before the
   * record is written, the project keeps working with its old settings and secrets.
   */
  secretSlots: z.object({ xray: secretSlotSchema, sqai: secretSlotSchema }).optional(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export type StoredSettings = z.output<typeof storedSettingsSchema>;

/** zod issues → `{ 'sqai.endpoint': 'The SQAI endpoint must use https://' }` (first message per field). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.filter((part) => typeof part === 'string' || typeof part === 'number').join('.');
    const key = path === '' ? '_form' : path;
    out[key] ??=
      issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : issue.message;
  }
  return out;
}
