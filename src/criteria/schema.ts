/**
 * The acceptance criteria of one requirement as the app keeps them (issue 18, docs/criteria.md): the
 * criteria found in its description or configured field, each with a stable id (./ids.ts) and a
 * revision that goes up whenever its wording changes, plus the most recently removed ones (so a test
 * mapped to a removed criterion can still say what it proved).
 *
 * Size: at most MAX_CRITERIA criteria and MAX_REMOVED removed ones of at most MAX_CRITERION_TEXT
 * UTF-16 units, without control characters (./extract.ts `displayText`), so a record's JSON is at most
 * ≈ 120 × 500 × 3 bytes + ids and dates ≈ 200 KB, within one Forge KVS value (240 KiB,
 * src/platform/limits.ts KVS_MAX_VALUE_BYTES).
 */
import { z } from 'zod';

export const MAX_CRITERIA = 100;
export const MAX_REMOVED = 20;
export const MAX_CRITERION_TEXT = 500;
export const MAX_REVISION = 1_000_000;

export const CRITERIA_RECORD_VERSION = 1;

export const CRITERION_SOURCES = ['list', 'table', 'gherkin', 'field'] as const;
export const criterionSourceSchema = z
  .enum(CRITERION_SOURCES)
  .describe(
    'Where the criterion was found: a list item, a table row, a Gherkin scenario, the configured field',
  );
export type CriterionSource = z.infer<typeof criterionSourceSchema>;

/** `ac-` + 8 hex digits, and `-2`, `-3`… when that id was taken (./ids.ts `criterionIdFor`). */
export const CRITERION_ID_PATTERN = /^ac-[0-9a-f]{8}(?:-[1-9][0-9]{0,3})?$/;
export const criterionIdSchema = z
  .string()
  .regex(CRITERION_ID_PATTERN)
  .describe('Stable criterion id, e.g. ac-3f2a9c41');

const criterionText = z
  .string()
  .min(1)
  .max(MAX_CRITERION_TEXT)
  .refine((text) => text === text.trim() && !/\p{Cc}|\s{2}/u.test(text), 'Criterion text is on one line');

const isoDateTime = z.iso.datetime({ offset: true });

/** A criterion as the app shows and sends it. `changed`: its wording changed in the last extraction. */
export const criterionSchema = z.object({
  id: criterionIdSchema,
  text: criterionText,
  source: criterionSourceSchema,
  changed: z.boolean().optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

/** A criterion as stored: `revision` 1 when first found, +1 at each wording change (at `since`). */
export const storedCriterionSchema = z.object({
  id: criterionIdSchema,
  text: criterionText,
  source: criterionSourceSchema,
  revision: z.number().int().min(1).max(MAX_REVISION),
  since: isoDateTime,
});
export type StoredCriterion = z.infer<typeof storedCriterionSchema>;

export const removedCriterionSchema = z.object({
  id: criterionIdSchema,
  text: criterionText,
  revision: z.number().int().min(1).max(MAX_REVISION),
  removedAt: isoDateTime,
});
export type RemovedCriterion = z.infer<typeof removedCriterionSchema>;

/** The stored criteria of one requirement. Ids are unique across `criteria` and `removed`. */
export const criteriaRecordSchema = z
  .object({
    version: z.literal(CRITERIA_RECORD_VERSION),
    updatedAt: isoDateTime,
    /** What the criteria were read from (the caller's hash of description + field + titles), to skip re-reading. */
    inputHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    criteria: z.array(storedCriterionSchema).max(MAX_CRITERIA),
    /** Newest first. */
    removed: z.array(removedCriterionSchema).max(MAX_REMOVED),
  })
  .superRefine((record, context) => {
    const seen = new Set<string>();
    for (const { id } of [...record.criteria, ...record.removed]) {
      if (seen.has(id)) context.addIssue({ code: 'custom', message: `Criterion id ${id} is used twice` });
      seen.add(id);
    }
  });
export type CriteriaRecord = z.infer<typeof criteriaRecordSchema>;
