/**
 * What SQAI may answer, validated and size-capped before the app uses any of it (DESIGN.md §5).
 * A generation whose tests are partly malformed keeps its valid tests: each test is checked on its
 * own, and a bad one becomes a reason, not a crash.
 */
import { z } from 'zod';
import { safeParse } from './safe-parse';

export const SQAI_LIMITS = {
  testsPerGeneration: 50,
  titleChars: 255,
  // Each proposal is stored under its own KVS key (≤ 240 KiB): 50 steps × 3 fields × 1,000 characters fits.
  stepFieldChars: 1_000,
  stepsPerTest: 50,
  definitionChars: 32_000,
  rationaleChars: 2_000,
  labels: 20,
} as const;

const trimmed = (max: number) => z.string().trim().min(1).max(max);

/**
 * A title as a test's summary: trimmed, without a Markdown hard-break marker left at its end
 * (`…logs in\`, from a description line that ended in a hard break) — a lone trailing backslash,
 * not one escaped by another.
 */
export const titleText = (text: string): string =>
  text
    .trim()
    .replace(/(?<!\\)\\$/, '')
    .trimEnd();
const titleSchema = z.string().transform(titleText).pipe(z.string().min(1).max(SQAI_LIMITS.titleChars));

export const generatedStepSchema = z.object({
  action: z.string().max(SQAI_LIMITS.stepFieldChars),
  data: z.string().max(SQAI_LIMITS.stepFieldChars).nullish(),
  result: z.string().max(SQAI_LIMITS.stepFieldChars).nullish(),
});

export const generatedTestSchema = z.object({
  id: trimmed(100),
  title: titleSchema,
  testType: trimmed(60),
  priority: z.string().max(40).nullish(),
  labels: z
    .array(z.string().trim().min(1).max(255).regex(/^\S+$/, 'Jira labels have no spaces'))
    .max(SQAI_LIMITS.labels)
    .nullish(),
  steps: z.array(generatedStepSchema).max(SQAI_LIMITS.stepsPerTest).nullish(),
  gherkin: z.string().max(SQAI_LIMITS.definitionChars).nullish(),
  definition: z.string().max(SQAI_LIMITS.definitionChars).nullish(),
  rationale: z.string().max(SQAI_LIMITS.rationaleChars).nullish(),
});

export type GeneratedTest = z.infer<typeof generatedTestSchema>;

export const generationStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed']);

/** The envelope; `tests` are checked one by one (see `parseGeneratedTests`). */
export const generationSchema = z.object({
  id: trimmed(100),
  status: generationStatusSchema,
  tests: z.array(z.unknown()).max(SQAI_LIMITS.testsPerGeneration).nullish(),
  error: z.string().max(1_000).nullish(),
});

export type Generation = z.infer<typeof generationSchema>;

export interface ParsedTests {
  valid: GeneratedTest[];
  invalid: { index: number; id?: string; reason: string }[];
}

export function parseGeneratedTests(raw: unknown[]): ParsedTests {
  const out: ParsedTests = { valid: [], invalid: [] };
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const parsed = safeParse(generatedTestSchema, item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const idGuess = safeParse(z.object({ id: z.string().max(100) }).loose(), item);
      out.invalid.push({
        index,
        ...(idGuess.success ? { id: idGuess.data.id } : {}),
        reason: `${issue?.path.join('.') || 'test'}: ${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    if (seen.has(parsed.data.id)) {
      out.invalid.push({ index, id: parsed.data.id, reason: 'id: the same id appears twice' });
      return;
    }
    seen.add(parsed.data.id);
    out.valid.push(parsed.data);
  });
  return out;
}

export const createGenerationResponseSchema = z.object({ id: trimmed(100) });
