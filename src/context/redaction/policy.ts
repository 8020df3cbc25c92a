/**
 * The redaction policy: which built-in detectors run and which admin-defined patterns apply
 * (DataControlsDto['redaction'], docs/data-controls.md "Redaction"). Its hash is part of the
 * context document's content hash, so changing the policy re-sends.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { z } from 'zod';
import { REDACTION_KINDS, type RedactionKind } from '../../api';

/** The longest custom pattern accepted (characters of its source). */
export const MAX_CUSTOM_PATTERN_CHARS = 500;
/** The most custom patterns one policy holds. */
export const MAX_CUSTOM_PATTERNS = 20;
/** A custom pattern's name: the placeholder's kind, e.g. `customer-id` → `[customer-id-1]`. */
export const CUSTOM_PATTERN_NAME = /^[a-z0-9-]{1,30}$/;

/** Why `name` cannot name a custom pattern, or undefined when it can. */
export function customPatternNameProblem(name: string): string | undefined {
  if (!CUSTOM_PATTERN_NAME.test(name))
    return 'A pattern name is 1 to 30 lower-case letters, digits or dashes (e.g. customer-id).';
  if ((REDACTION_KINDS as readonly string[]).some((kind) => kind.toLowerCase() === name))
    return `"${name}" is the name of a built-in detector: choose another name.`;
  return undefined;
}

const detectorsShape = Object.fromEntries(
  REDACTION_KINDS.map((kind) => [kind, z.boolean().default(true)]),
) as Record<RedactionKind, z.ZodDefault<z.ZodBoolean>>;

export const customPatternSchema = z.object({
  name: z.string().superRefine((name, context) => {
    const problem = customPatternNameProblem(name);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  pattern: z.string().min(1).max(MAX_CUSTOM_PATTERN_CHARS),
});

/** DataControlsDto['redaction']: every detector on and no custom pattern unless said otherwise. */
export const redactionPolicySchema = z.object({
  detectors: z.object(detectorsShape).prefault({}),
  customPatterns: z
    .array(customPatternSchema)
    .max(MAX_CUSTOM_PATTERNS)
    .default([])
    .superRefine((patterns, context) => {
      const seen = new Set<string>();
      for (const [index, pattern] of patterns.entries()) {
        if (seen.has(pattern.name))
          context.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: `Two patterns are named "${pattern.name}".`,
          });
        seen.add(pattern.name);
      }
    }),
});

export type RedactionPolicy = z.output<typeof redactionPolicySchema>;

/** Every detector on, no custom pattern (a fresh object: callers may spread it, never share edits). */
export const defaultRedactionPolicy: RedactionPolicy = redactionPolicySchema.parse({});

/**
 * 16 hex characters identifying the policy: SHA-256 of its canonical JSON (RFC 8785). Equal
 * policies, whatever their key order, hash alike; custom patterns count in their order (the
 * order decides nothing, but a reorder is an edit the admin made).
 */
export function redactionPolicyHash(policy: RedactionPolicy): string {
  const normalized = {
    detectors: Object.fromEntries(REDACTION_KINDS.map((kind) => [kind, policy.detectors[kind]])),
    customPatterns: policy.customPatterns.map(({ name, pattern }) => ({ name, pattern })),
  };
  const text: unknown = canonicalize(normalized);
  if (typeof text !== 'string') throw new TypeError('The policy has no JSON representation');
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}
