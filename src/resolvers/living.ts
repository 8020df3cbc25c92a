/**
 * Living-tests resolvers (issue 19; docs/living-tests.md): thin — access → payload (zod, strict) →
 * use case. Both need Jira's Edit issues on the requirement (`criteriaEditor`: reviewing its tests
 * is editing its traceability); the use cases check each test written for the caller as well.
 */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { answeredTo } from '../access/reader';
import { STORED_IN_GENERATION } from '../generate/to-dto';
import { Deadline } from '../clients/upstream';
import { decideTestUpdates } from '../living/decide-updates';
import { markStaleTestsReviewed } from '../living/mark-reviewed';
import { PANEL_BUDGET_MS } from '../platform/limits';
import { MAX_TESTS_PER_ASK, proposeTestUpdates } from '../living/propose-updates';
import { criteriaEditor } from './criteria';
import { defineResolver } from './define';

/** Xray's own bounds are far above any real step; these keep one stored item within a value. */
export const EDIT_LIMITS = { steps: 100, stepFieldChars: 10_000, definitionChars: 32_000 } as const;

const testKey = z
  .string('Enter a test’s issue key.')
  .trim()
  .toUpperCase()
  .max(50, 'An issue key is at most 50 characters.')
  .regex(/^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/, 'Enter an issue key such as DEMO-12.');

const proposeSchema = z
  .object({
    testKeys: z
      .array(testKey)
      .min(1, 'Choose at least one test, or leave the choice out for all of them.')
      .max(MAX_TESTS_PER_ASK, `Choose at most ${MAX_TESTS_PER_ASK} tests.`)
      .transform((keys) => [...new Set(keys)])
      .optional(),
    replace: z.boolean().optional(),
  })
  .strict();

const field = (what: string) =>
  z
    .string()
    .max(
      EDIT_LIMITS.stepFieldChars,
      `${what} is at most ${EDIT_LIMITS.stepFieldChars.toLocaleString('en')} characters.`,
    );

const editedSchema = z
  .object({
    kind: z.enum(['Steps', 'Gherkin', 'Unstructured'], 'Choose Steps, Gherkin or Unstructured.'),
    steps: z
      .array(
        z
          .object({
            action: field('An action'),
            data: field('Data').nullable(),
            result: field('An expected result').nullable(),
          })
          .strict(),
      )
      .max(EDIT_LIMITS.steps, `A test has at most ${EDIT_LIMITS.steps} steps here.`)
      .optional(),
    gherkin: z
      .string()
      .max(EDIT_LIMITS.definitionChars, 'The Gherkin is at most 32,000 characters.')
      .optional(),
    definition: z
      .string()
      .max(EDIT_LIMITS.definitionChars, 'The definition is at most 32,000 characters.')
      .optional(),
  })
  .strict();

const decideSchema = z
  .object({
    generationId: z.string('Reload the panel.').min(1, 'Reload the panel.').max(100, 'Reload the panel.'),
    decisions: z
      .array(
        z
          .object({
            testKey,
            action: z.enum(
              ['apply', 'reject', 'keep', 'unlink', 'confirm'],
              'Choose apply, reject, keep, unlink or confirm.',
            ),
            edited: editedSchema.optional(),
          })
          .strict(),
      )
      .max(MAX_TESTS_PER_ASK, `Decide at most ${MAX_TESTS_PER_ASK} tests at once.`),
  })
  .strict();

const reviewedSchema = z
  .object({
    testKeys: z
      .array(testKey)
      .min(1, 'Choose at least one test.')
      .max(MAX_TESTS_PER_ASK, `Choose at most ${MAX_TESTS_PER_ASK} tests.`)
      .transform((keys) => [...new Set(keys)]),
  })
  .strict();

export const livingResolvers = {
  [RESOLVERS.proposeTestUpdates]: defineResolver(
    RESOLVERS.proposeTestUpdates,
    { access: criteriaEditor, payload: proposeSchema },
    (caller, input, platform, reader) =>
      answeredTo(
        platform,
        caller,
        reader,
        () =>
          proposeTestUpdates(platform, caller, {
            ...(input.testKeys ? { testKeys: input.testKeys } : {}),
            ...(input.replace ? { replace: true } : {}),
          }),
        STORED_IN_GENERATION,
      ),
  ),

  [RESOLVERS.markTestsReviewed]: defineResolver(
    RESOLVERS.markTestsReviewed,
    { access: criteriaEditor, payload: reviewedSchema },
    (caller, input, platform, reader) =>
      answeredTo(platform, caller, reader, () =>
        markStaleTestsReviewed(platform, caller, input, new Deadline(PANEL_BUDGET_MS)),
      ),
  ),

  [RESOLVERS.decideTestUpdates]: defineResolver(
    RESOLVERS.decideTestUpdates,
    { access: criteriaEditor, payload: decideSchema },
    (caller, input, platform, reader) =>
      answeredTo(platform, caller, reader, () => decideTestUpdates(platform, caller, input)),
  ),
};
