/**
 * Generated-tests resolvers: thin — access (the caller can see the issue) → payload (zod) → use case.
 * Answers carrying stored errors, and errors thrown, are worded for the caller (`answeredTo`).
 */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { answeredTo } from '../access/reader';
import { CRITERION_ID_PATTERN, MAX_CRITERIA } from '../criteria/schema';
import { continueCreation } from '../generate/continue-creation';
import { createGeneratedTests } from '../generate/create-generated-tests';
import { getGenerationPanel } from '../generate/generation-panel';
import { pollGeneration } from '../generate/poll-generation';
import { saveReviewEdits } from '../generate/review-edits';
import { startGeneration } from '../generate/start-generation';
import { reviewEditsSchema } from '../generate/store';
import { STORED_IN_CREATION, STORED_IN_GENERATION } from '../generate/to-dto';
import { defineResolver, emptyPayload, issueViewer } from './define';

const startSchema = z
  .object({
    testTypes: z
      .array(z.string().trim().min(1, 'Test type names cannot be empty.').max(60))
      .min(1, 'Pick at least one test type.')
      .max(10),
    maxTests: z
      .number()
      .int('Enter a whole number.')
      .min(1, 'Ask for at least 1 test.')
      .max(50, 'Ask for at most 50 tests.'),
    instructions: z.string().trim().max(2_000, 'Instructions are at most 2,000 characters.').optional(),
    replace: z.boolean().optional(),
    /** Issue 18: generate tests for these criteria only (checked against the requirement's). */
    criterionIds: z
      .array(z.string().regex(CRITERION_ID_PATTERN, 'This is not a criterion id; reload the panel.'))
      .min(1, 'Choose at least one criterion, or generate for the whole requirement.')
      .max(MAX_CRITERIA, `Choose at most ${MAX_CRITERIA} criteria.`)
      .transform((ids) => [...new Set(ids)])
      .optional(),
  })
  .strict();

const issueKey = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9_]+-\d+$/, 'Enter an issue key such as DEMO-12.');

const choiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('existing'), key: issueKey }).strict(),
  z
    .object({ mode: z.literal('new'), summary: z.string().trim().max(255, 'At most 255 characters.') })
    .strict(),
]);

const createSchema = z
  .object({
    selections: z
      .array(
        z
          .object({
            id: z.string().min(1).max(100),
            title: z
              .string()
              .trim()
              .min(1, 'A title cannot be empty.')
              .max(255, 'A title is at most 255 characters.')
              .optional(),
          })
          .strict(),
      )
      .min(1, 'Select at least one test.')
      .max(50)
      .refine(
        (items) => new Set(items.map((item) => item.id)).size === items.length,
        'A test is selected twice.',
      ),
    destination: z
      .object({
        testSet: choiceSchema.optional(),
        testExecution: choiceSchema.optional(),
        testPlan: z.object({ key: issueKey }).strict().optional(),
        folder: z
          .string()
          .trim()
          .max(255)
          .regex(/^\/[^\\]*$/, 'A folder path starts with "/", e.g. /Checkout/Generated.')
          .optional(),
      })
      .strict(),
  })
  .strict();

export const generationResolvers = {
  [RESOLVERS.getGenerationPanel]: defineResolver(
    RESOLVERS.getGenerationPanel,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform, reader) =>
      answeredTo(platform, caller, reader, () => getGenerationPanel(platform, caller, reader)),
  ),

  [RESOLVERS.startGeneration]: defineResolver(
    RESOLVERS.startGeneration,
    { access: issueViewer, payload: startSchema },
    (caller, input, platform, reader) =>
      answeredTo(
        platform,
        caller,
        reader,
        () => startGeneration(platform, caller, input),
        STORED_IN_GENERATION,
      ),
  ),

  [RESOLVERS.pollGeneration]: defineResolver(
    RESOLVERS.pollGeneration,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform, reader) =>
      answeredTo(platform, caller, reader, () => pollGeneration(platform, caller), STORED_IN_GENERATION),
  ),

  // Writes: the use case authorizes each thing written (authorizeCreation) for the caller.
  [RESOLVERS.createGeneratedTests]: defineResolver(
    RESOLVERS.createGeneratedTests,
    { access: issueViewer, payload: createSchema },
    (caller, input, platform, reader) =>
      answeredTo(
        platform,
        caller,
        reader,
        () => createGeneratedTests(platform, caller, input),
        STORED_IN_CREATION,
      ),
  ),

  // Kept per caller (the Forge context's account), never for an account the payload names.
  [RESOLVERS.saveReviewEdits]: defineResolver(
    RESOLVERS.saveReviewEdits,
    { access: issueViewer, payload: reviewEditsSchema },
    (caller, input, platform, reader) =>
      answeredTo(platform, caller, reader, () => saveReviewEdits(platform, caller, input)),
  ),

  [RESOLVERS.continueCreation]: defineResolver(
    RESOLVERS.continueCreation,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform, reader) =>
      answeredTo(platform, caller, reader, () => continueCreation(platform, caller), STORED_IN_CREATION),
  ),
};
