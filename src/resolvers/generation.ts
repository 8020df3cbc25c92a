/** Generated-tests resolvers: thin — context (issue + project from Forge) → payload (zod) → GenerationService. */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { GenerationService } from '../generate/generation-service';
import { issueContextOf } from './context';
import { defineResolver, parsePayload } from './define';

const emptyPayload = z.object({}).strict();

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
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      parsePayload(emptyPayload, payload);
      return new GenerationService(platform).panel(ref);
    },
  ),

  [RESOLVERS.startGeneration]: defineResolver(
    RESOLVERS.startGeneration,
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      const input = parsePayload(startSchema, payload);
      return new GenerationService(platform).start(ref, input);
    },
  ),

  [RESOLVERS.pollGeneration]: defineResolver(
    RESOLVERS.pollGeneration,
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      parsePayload(emptyPayload, payload);
      return new GenerationService(platform).poll(ref);
    },
  ),

  [RESOLVERS.createGeneratedTests]: defineResolver(
    RESOLVERS.createGeneratedTests,
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      const input = parsePayload(createSchema, payload);
      return new GenerationService(platform).create(ref, input);
    },
  ),

  [RESOLVERS.continueCreation]: defineResolver(
    RESOLVERS.continueCreation,
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      parsePayload(emptyPayload, payload);
      return new GenerationService(platform).continue(ref);
    },
  ),
};
