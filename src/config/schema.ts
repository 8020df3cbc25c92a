/**
 * Settings schemas (DESIGN.md §4): what the UI sends, what is stored, and how zod issues become the
 * field-level errors the form shows.
 */
import { z } from 'zod';
import {
  AUDIT_RETENTION_DAYS,
  defaultDataControls,
  CONTEXT_SOURCES,
  REDACTION_KINDS,
  REQUIREMENT_FIELDS,
  XRAY_REGIONS,
  XRAY_TIERS,
} from '../api';
import { checkCustomPattern } from '../context/redaction';
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

// ---------- what leaves Jira (issue 20; docs/data-controls.md "What leaves Jira") ----------

export const MAX_CUSTOM_PATTERNS = 20;
export const MAX_PATTERN_LENGTH = 500;
export const MAX_PATTERN_SAMPLE_LENGTH = 2_000;
export { AUDIT_RETENTION_DAYS };
export const CUSTOM_PATTERN_NAME = /^[a-z0-9-]{1,30}$/;

/**
 * Names a custom pattern may not take: the built-in detectors' kinds, as written and in the
 * pattern-name style (`paymentCard` → `paymentcard`, `payment-card`), so that no placeholder of a
 * custom pattern can be mistaken for a built-in one.
 */
export const RESERVED_PATTERN_NAMES: ReadonlySet<string> = new Set(
  REDACTION_KINDS.flatMap((kind) => [
    kind.toLowerCase(),
    kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
  ]),
);

/** The defaults, and what settings saved before data controls existed read as: everything may leave. */
export { defaultDataControls };

/**
 * One on/off per key. Saved (`stored`), a key missing reads as on: a source or detector added in a
 * later version is on for projects saved before it, like every default.
 */
function switches<K extends string>(keys: readonly K[], stored: boolean) {
  const flag = z.boolean({ message: 'Choose on or off.' });
  const shape = Object.fromEntries(keys.map((key) => [key, stored ? flag.default(true) : flag])) as Record<
    K,
    z.ZodBoolean | z.ZodDefault<z.ZodBoolean>
  >;
  return z.object(shape).strict();
}

const customPatternName = z
  .string({ message: 'Enter a name.' })
  .trim()
  .regex(CUSTOM_PATTERN_NAME, 'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.')
  .refine(
    (name) => !RESERVED_PATTERN_NAMES.has(name),
    'That is the name of a built-in detector; choose another.',
  );

const customPatternSource = z
  .string({ message: 'Enter a pattern.' })
  .min(1, 'Enter a pattern.')
  .max(MAX_PATTERN_LENGTH, `A pattern is at most ${MAX_PATTERN_LENGTH} characters.`);

/**
 * Saved patterns are checked when they are saved (`checkCustomPattern`: syntax, catastrophic
 * backtracking, empty matches); reading them back checks their shape only, so a record stays readable
 * whatever a later version of the check thinks, and reading settings costs no pattern analysis.
 */
function customPatternSchema(checked: boolean) {
  const pattern = checked
    ? customPatternSource.superRefine((source, ctx) => {
        const check = checkCustomPattern(source);
        if (!check.ok)
          ctx.addIssue({ code: 'custom', message: check.problem ?? 'This pattern cannot be used.' });
      })
    : customPatternSource;
  return z.object({ name: customPatternName, pattern }).strict();
}

function customPatternsSchema(checked: boolean) {
  return z
    .array(customPatternSchema(checked), { message: 'Send the patterns as a list.' })
    .max(MAX_CUSTOM_PATTERNS, `Add at most ${MAX_CUSTOM_PATTERNS} patterns.`)
    .superRefine((patterns, ctx) => {
      const seen = new Set<string>();
      patterns.forEach((pattern, index) => {
        if (seen.has(pattern.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: 'Another pattern has this name; names must differ.',
          });
        }
        seen.add(pattern.name);
      });
    });
}

const requirementFields = z
  .array(z.enum(REQUIREMENT_FIELDS, { message: 'Choose fields from the list.' }), {
    message: 'Send the fields as a list.',
  })
  .max(REQUIREMENT_FIELDS.length * 2, 'Choose fields from the list.')
  // Each once, in the list's order (so an unchanged choice compares equal).
  .transform((fields) => REQUIREMENT_FIELDS.filter((field) => fields.includes(field)));

const auditRetentionDays = z
  .number({ message: 'Enter a number of days.' })
  .int('Enter a whole number of days.')
  .min(
    AUDIT_RETENTION_DAYS.min,
    `Keep entries for ${AUDIT_RETENTION_DAYS.min} to ${AUDIT_RETENTION_DAYS.max} days.`,
  )
  .max(
    AUDIT_RETENTION_DAYS.max,
    `Keep entries for ${AUDIT_RETENTION_DAYS.min} to ${AUDIT_RETENTION_DAYS.max} days.`,
  );

/** "What leaves Jira" as the settings page saves it: every part required, custom patterns checked. */
export const dataControlsSchema = z
  .object({
    sources: switches(CONTEXT_SOURCES, false),
    fields: requirementFields,
    redaction: z
      .object({ detectors: switches(REDACTION_KINDS, false), customPatterns: customPatternsSchema(true) })
      .strict(),
    auditRetentionDays,
  })
  .strict();

/** "What leaves Jira" as stored: a part missing reads as its default (everything may leave). */
export const storedDataControlsSchema = z
  .object({
    sources: switches(CONTEXT_SOURCES, true).default(() => defaultDataControls().sources),
    fields: requirementFields.default(() => [...REQUIREMENT_FIELDS]),
    redaction: z
      .object({
        detectors: switches(REDACTION_KINDS, true).default(() => defaultDataControls().redaction.detectors),
        customPatterns: customPatternsSchema(false).default(() => []),
      })
      .strict()
      .default(() => defaultDataControls().redaction),
    auditRetentionDays: auditRetentionDays.default(AUDIT_RETENTION_DAYS.default),
  })
  .strict();

/** `checkRedactionPattern` payload (the settings page's "Try it"). */
export const checkRedactionPatternInputSchema = z
  .object({
    pattern: z
      .string({ message: 'Enter a pattern.' })
      .max(MAX_PATTERN_LENGTH, `A pattern is at most ${MAX_PATTERN_LENGTH} characters.`),
    sample: z
      .string({ message: 'Enter a sample text.' })
      .max(
        MAX_PATTERN_SAMPLE_LENGTH,
        `A sample is at most ${MAX_PATTERN_SAMPLE_LENGTH.toLocaleString('en-US')} characters.`,
      )
      .optional(),
    /** The pattern's name, so the sample shows the placeholders it will send (`[customer-id-1]`). */
    name: customPatternName.optional(),
  })
  .strict();

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

/**
 * `saveSettings` payload. Secrets are optional: empty means "keep the stored one"; so are the data
 * controls (absent: keep the stored ones, or the defaults).
 */
export const saveSettingsInputSchema = z
  .object({
    ...settingsShape,
    dataControls: dataControlsSchema.optional(),
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
  /** What leaves Jira; records saved before it existed read as the defaults (everything may leave). */
  dataControls: storedDataControlsSchema.default(defaultDataControls),
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
