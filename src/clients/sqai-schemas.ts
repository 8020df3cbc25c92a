/**
 * The SQAI contract's bodies as zod schemas: the one source of truth. The app validates what it
 * sends and what SQAI answers with them, and `docs/sqai-openapi.yaml` takes its components from
 * them (`npm run docs:openapi`; a unit test fails when the file is stale). docs/sqai-contract.md is
 * the guide to that file.
 *
 * Answers are read the way the contract's evolution rules ask every consumer to read (docs/sqai-contract.md
 * "Evolution"): unknown fields are ignored (zod's default object strips them) and an unknown enum value is
 * read as its documented fallback, never as a failure — a status SQAI adds in a minor version must not
 * fail every poll. What the app sends is exact (`strictObject`).
 *
 * "Characters" are UTF-16 code units everywhere in the contract (`String.prototype.length`, zod's
 * `max`, Jira's own field limits): one definition. A JSON Schema `maxLength` counts code points, never
 * more than UTF-16 units, so a value within the contract's limit always passes `maxLength`.
 */
import { z } from 'zod';
import { chars } from '../context/characters';
import { contextDocumentSchema } from '../context/schema';
import { gherkinProblems } from '../generate/gherkin';
import { safeParse } from './safe-parse';

/** The contract's version (docs/sqai-contract.md "Changelog"): `info.version` of the OpenAPI file. */
export const SQAI_CONTRACT_VERSION = '1.3.0';

/** The limits of the contract, in one place (the doc, the app and the simulator read them here). */
export const SQAI_CONTRACT_LIMITS = {
  /** Documents in one `POST /v1/contexts:batch`. */
  batchDocuments: 50,
  /** Any request body (4 MiB of UTF-8 JSON): a batch is cut to fit; SQAI answers 413 above it. */
  requestBodyBytes: 4 * 1024 * 1024,
  /** One context document (`CONTEXT_LIMITS.documentBytes`): 256 KiB. */
  documentBytes: 256 * 1024,
  /** A `GET /v1/generations/{id}` answer the app reads; a larger one is refused unread. */
  generationAnswerBytes: 2 * 1024 * 1024,
  /** How long SQAI keeps an Idempotency-Key of `POST /v1/generations` (hours). */
  idempotencyKeyHours: 24,
  instructionsChars: 4_000,
  testTypesPerRequest: 20,
  errorChars: 1_000,
} as const;

export const SQAI_LIMITS = {
  testsPerGeneration: 50,
  titleChars: 255,
  // Each proposal is stored under its own KVS key (≤ 240 KiB): 50 steps × 3 fields × 1,000 characters fits.
  stepFieldChars: 1_000,
  stepsPerTest: 50,
  definitionChars: 32_000,
  rationaleChars: 2_000,
  labels: 20,
  labelChars: 255,
  priorityChars: 40,
  idChars: 100,
  testTypeChars: 60,
  /** A criterion id (`ac-` + 8 hex digits and a suffix: src/criteria/schema.ts) and how many one test names. */
  criterionIdChars: 100,
  criterionIdsPerTest: 100,
} as const;

/** Where RFC 9457 problem `type` URIs of this contract live: `<base><code>`. */
export const PROBLEM_TYPE_BASE = 'https://api.sqai-suite.com/problems/';

/**
 * The problem types the contract defines (RFC 9457 §3.1.1 `type`), with the status each comes with.
 * A client acts on the code, never on the words of `title` or `detail`.
 */
export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'The API token is missing, wrong or revoked' },
  'wrong-tenant': {
    status: 403,
    title: 'The API token is bound to another Jira site (cloudId) than the request names',
  },
  'not-found': { status: 404, title: 'No such resource' },
  'context-not-pushed': {
    status: 409,
    title: 'SQAI holds no context with this contentHash for the issue: push the context first',
  },
  'idempotency-key-in-use': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
  },
  'precondition-failed': {
    status: 412,
    title: 'SQAI holds another version than If-Match names (or one, for If-None-Match: *)',
  },
  'content-too-large': { status: 413, title: 'The body (or one document) is over its size limit' },
  'invalid-document': { status: 422, title: 'The context document does not match its schema' },
  'idempotency-key-reused': {
    status: 422,
    title: 'This Idempotency-Key was used with another request body',
  },
  'precondition-required': {
    status: 428,
    title: 'A context write needs If-Match or If-None-Match',
  },
  'rate-limited': { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'SQAI cannot answer right now' },
} as const;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export const problemTypeOf = (code: ProblemCode): string => `${PROBLEM_TYPE_BASE}${code}`;

/** The code of a problem `type` this contract defines, or `undefined`. */
export function problemCodeOf(type: string | undefined): ProblemCode | undefined {
  if (!type?.startsWith(PROBLEM_TYPE_BASE)) return undefined;
  const code = type.slice(PROBLEM_TYPE_BASE.length);
  return code in PROBLEM_TYPES ? (code as ProblemCode) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

const contentHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: 'The context document’s `contentHash` (SHA-256, lower-case hex).' });
const cloudIdSchema = z.string().min(1).max(100).meta({ description: 'The Jira site’s cloudId.' });
const issueIdSchema = z
  .string()
  .regex(/^\d{1,18}$/)
  .meta({ description: 'The Jira issue id (digits).' });
const issueKeySchema = z.string().min(1).max(255).meta({ description: 'The Jira issue key, e.g. DEMO-1.' });
const generationIdSchema = chars(SQAI_LIMITS.idChars, z.string().trim().min(1));

/**
 * An enum read tolerantly: a value the app does not know becomes `fallback` (what an unknown value
 * must be treated as), so SQAI may add values in a minor version.
 */
function tolerantEnum<const T extends readonly [string, ...string[]], F extends T[number]>(
  values: T,
  fallback: F,
  description: string,
) {
  const known = z.enum(values);
  return z
    .string()
    .transform((value): T[number] => (known.safeParse(value).success ? value : fallback))
    .meta({ description, 'x-extensible-enum': [...values] });
}

// ---------------------------------------------------------------------------------------------
// Problem details (RFC 9457)
// ---------------------------------------------------------------------------------------------

/** `application/problem+json` (RFC 9457 §3): every error answer, and each failed item of a batch. */
export const problemSchema = z
  .object({
    type: chars(500).meta({
      description: `A URI reference naming the problem type: \`${PROBLEM_TYPE_BASE}<code>\` with a code of this contract; "about:blank" when only the status says what happened.`,
      example: problemTypeOf('context-not-pushed'),
    }),
    title: chars(500).optional(),
    status: z.number().int().min(100).max(599).optional(),
    detail: chars(SQAI_CONTRACT_LIMITS.errorChars).optional(),
    instance: chars(500).optional(),
    currentContentHash: contentHashSchema.optional().meta({
      description:
        'With `precondition-failed`: the contentHash SQAI holds for the issue (absent when it holds none).',
    }),
  })
  .meta({ description: 'RFC 9457 problem details; unknown members are ignored.' });

export type Problem = z.infer<typeof problemSchema>;

// ---------------------------------------------------------------------------------------------
// GET /v1/health
// ---------------------------------------------------------------------------------------------

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  contractVersion: chars(20)
    .optional()
    .meta({ description: 'The contract version SQAI implements, e.g. 1.0.0.' }),
});

// ---------------------------------------------------------------------------------------------
// Contexts
// ---------------------------------------------------------------------------------------------

export const CONTEXT_WRITE_STATUSES = ['created', 'updated', 'unchanged'] as const;

/** `PUT /v1/contexts/{cloudId}/{issueId}` → 200/201. */
export const contextWriteResultSchema = z.object({
  issueId: issueIdSchema,
  contentHash: contentHashSchema,
  status: tolerantEnum(
    CONTEXT_WRITE_STATUSES,
    'updated',
    'created | updated | unchanged (the same content was already held: a repeat, or a write already applied). An unknown value is read as "updated".',
  ),
});

/** One item of a batch: the document and its precondition (the JSON form of If-Match / If-None-Match). */
export const batchItemSchema = z
  .strictObject({
    document: contextDocumentSchema,
    ifMatch: contentHashSchema.optional().meta({
      description: 'Write only if SQAI holds this contentHash for the issue (If-Match).',
    }),
    ifNoneMatch: z.literal('*').optional().meta({
      description: 'Write only if SQAI holds no context for the issue (If-None-Match: *).',
    }),
  })
  .meta({
    description: 'Exactly one of `ifMatch` and `ifNoneMatch`.',
  });

export const batchRequestSchema = z.strictObject({
  items: z.array(batchItemSchema).min(1).max(SQAI_CONTRACT_LIMITS.batchDocuments),
});

export const batchResultSchema = z.object({
  issueId: issueIdSchema,
  contentHash: contentHashSchema.meta({ description: 'The hash of the document this result is for.' }),
  status: tolerantEnum(
    [...CONTEXT_WRITE_STATUSES, 'failed'],
    'failed',
    'created | updated | unchanged | failed (then `problem` says why). An unknown value is read as "failed".',
  ),
  problem: problemSchema.optional(),
});

/** `POST /v1/contexts:batch` → 200: one result per item, in the order of the items. */
export const batchResponseSchema = z.object({
  results: z.array(batchResultSchema).max(SQAI_CONTRACT_LIMITS.batchDocuments),
});

export type BatchResult = z.infer<typeof batchResultSchema>;

/** `DELETE /v1/tenants/{cloudId}…` → 202. */
export const purgeAcceptedSchema = z.object({
  status: z.literal('accepted'),
  deleted: z.number().int().nonnegative().optional().meta({
    description: 'Contexts deleted so far (the purge may finish later; it is idempotent).',
  }),
});

// ---------------------------------------------------------------------------------------------
// Generations
// ---------------------------------------------------------------------------------------------

export const TEST_KINDS = ['Steps', 'Gherkin', 'Unstructured'] as const;

/** A test type as the project names it, with the shape SQAI must give a test of it. */
export const testTypeRefSchema = z.strictObject({
  name: chars(SQAI_LIMITS.testTypeChars, z.string().min(1)).meta({
    description: 'The project’s own test type name (projects rename and add types), e.g. "Manual".',
  }),
  kind: z.enum(TEST_KINDS).meta({
    description:
      'Steps: `steps` (at least one); Gherkin: `gherkin` (must parse as Gherkin); Unstructured: `definition` (not blank).',
  }),
});

export type TestTypeRef = z.infer<typeof testTypeRefSchema>;

/** One step (`{action, data?, result?}`) of a generated, classified or updated test. */
export const generatedStepSchema = z.object({
  action: chars(SQAI_LIMITS.stepFieldChars),
  data: chars(SQAI_LIMITS.stepFieldChars).nullish(),
  result: chars(SQAI_LIMITS.stepFieldChars).nullish().meta({ description: 'Expected result' }),
});

// ---------------------------------------------------------------------------------------------
// Update mode (since 1.3.0): proposed updates to existing tests after criteria changed
// ---------------------------------------------------------------------------------------------

/** The limits of update mode (docs/sqai-contract.md "Update mode"). */
export const UPDATE_LIMITS = {
  /** Changed criteria in one request (a requirement has at most 100 criteria). */
  changedCriteria: 100,
  /** A criterion's wording, before or after (the context document's limit). */
  criterionTextChars: 500,
  /** Tests in one request, and updates in one answer. */
  tests: 100,
  /** Steps of a test sent, and of an updated test answered (a generated test has at most 50). */
  stepsPerTest: 100,
  /**
   * A step field of an existing test (people write longer steps than SQAI generates; the app sends at
   * most 1.5 MiB of test content per request: src/living/propose-updates.ts).
   */
  stepFieldChars: 10_000,
  /** Why a test may be stale: one reason per changed criterion it maps to, or "requirement changed". */
  reasonsPerTest: 100,
  /** An update's `reason`, shown to the reviewer. */
  reasonChars: 2_000,
} as const;

export const GENERATION_MODES = ['tests', 'updates'] as const;
export type GenerationMode = (typeof GENERATION_MODES)[number];

export const STALE_REASON_KINDS = ['criterionChanged', 'criterionRemoved', 'requirementChanged'] as const;
export const TEST_UPDATE_VERDICTS = ['update', 'obsolete', 'valid'] as const;
export type TestUpdateVerdict = (typeof TEST_UPDATE_VERDICTS)[number];

const criterionIdRef = chars(SQAI_LIMITS.criterionIdChars, z.string().min(1));
const criterionWording = chars(UPDATE_LIMITS.criterionTextChars, z.string().min(1));

/** One criterion that changed since tests were written against it. */
export const changedCriterionSchema = z
  .strictObject({
    id: criterionIdRef.meta({
      description:
        'The criterion’s id (`requirement.criteria[].id`); for a removed criterion, the id it had.',
    }),
    before: criterionWording.nullable().meta({
      description: 'Its wording when the tests were written or last reviewed; null: a new criterion.',
    }),
    after: criterionWording.nullable().meta({
      description: 'Its wording now (as the context document lists it); null: the criterion was removed.',
    }),
  })
  .meta({ description: 'Not both null. `before` null: new (SQAI proposes new tests for it, in `tests`).' });

export const staleReasonSchema = z
  .strictObject({
    kind: z.enum(STALE_REASON_KINDS).meta({
      description:
        'criterionChanged / criterionRemoved: a criterion the test maps to changed / is gone (`criterionId` names it, one of `changedCriteria`); requirementChanged: the test maps to no current criterion and the requirement changed since it was reviewed.',
    }),
    criterionId: criterionIdRef.optional(),
  })
  .meta({ description: 'Why the app thinks the test may be stale.' });

/** A step of an existing test, or of its update: fields up to UPDATE_LIMITS.stepFieldChars. */
export const updateStepSchema = z.object({
  action: chars(UPDATE_LIMITS.stepFieldChars),
  data: chars(UPDATE_LIMITS.stepFieldChars).nullish(),
  result: chars(UPDATE_LIMITS.stepFieldChars).nullish().meta({ description: 'Expected result' }),
});
const updateStepsSchema = z.array(updateStepSchema).max(UPDATE_LIMITS.stepsPerTest);

/** An existing test sent for review, with its current content (by its kind). */
export const testToUpdateSchema = z
  .strictObject({
    key: issueKeySchema.meta({ description: 'The test’s Jira issue key; the answer names tests by it.' }),
    summary: chars(SQAI_LIMITS.titleChars),
    testType: testTypeRefSchema,
    criterionIds: z.array(criterionIdRef).max(SQAI_LIMITS.criterionIdsPerTest).meta({
      description: 'The criteria the test is mapped to (current ids; a removed one by the id it had).',
    }),
    reasons: z.array(staleReasonSchema).min(1).max(UPDATE_LIMITS.reasonsPerTest),
    steps: updateStepsSchema.optional().meta({ description: 'Steps kind: the current steps, in order.' }),
    gherkin: chars(SQAI_LIMITS.definitionChars).optional().meta({ description: 'Gherkin kind.' }),
    definition: chars(SQAI_LIMITS.definitionChars).optional().meta({ description: 'Unstructured kind.' }),
  })
  .meta({ description: 'By its kind: `steps` (Steps), `gherkin` (Gherkin) or `definition` (Unstructured).' });

/** `updates` of an update-mode `POST /v1/generations`. */
export const testUpdateRequestSchema = z
  .strictObject({
    changedCriteria: z.array(changedCriterionSchema).max(UPDATE_LIMITS.changedCriteria).meta({
      description:
        'Empty when every test is asked about only because the requirement changed (`requirementChanged`): the context names the current criteria.',
    }),
    tests: z.array(testToUpdateSchema).min(1).max(UPDATE_LIMITS.tests),
  })
  .superRefine((value, ctx) => {
    const ids = new Set<string>();
    value.changedCriteria.forEach((criterion, index) => {
      if (criterion.before === null && criterion.after === null)
        ctx.addIssue({
          code: 'custom',
          path: ['changedCriteria', index, 'after'],
          message: 'before and after cannot both be null',
        });
      if (ids.has(criterion.id))
        ctx.addIssue({
          code: 'custom',
          path: ['changedCriteria', index, 'id'],
          message: 'the same criterion appears twice',
        });
      ids.add(criterion.id);
    });
    const keys = new Set<string>();
    value.tests.forEach((test, index) => {
      if (keys.has(test.key))
        ctx.addIssue({
          code: 'custom',
          path: ['tests', index, 'key'],
          message: 'the same test appears twice',
        });
      keys.add(test.key);
      test.reasons.forEach((reason, at) => {
        if (reason.kind === 'requirementChanged') return;
        if (reason.criterionId === undefined || !ids.has(reason.criterionId))
          ctx.addIssue({
            code: 'custom',
            path: ['tests', index, 'reasons', at, 'criterionId'],
            message: `a ${reason.kind} reason names one of changedCriteria`,
          });
      });
    });
  })
  .meta({
    description:
      'Since 1.3.0, with `mode: "updates"`: the criteria that changed (before → after) and the tests that may be stale, with their current content.',
  });

export type ChangedCriterion = z.infer<typeof changedCriterionSchema>;
export type StaleReason = z.infer<typeof staleReasonSchema>;
export type TestToUpdate = z.infer<typeof testToUpdateSchema>;
export type TestUpdateRequest = z.infer<typeof testUpdateRequestSchema>;

/** `POST /v1/generations` body. */
export const generationRequestSchema = z
  .strictObject({
    cloudId: cloudIdSchema,
    issueId: issueIdSchema,
    issueKey: issueKeySchema,
    contentHash: contentHashSchema.meta({
      description: 'The context to generate from; SQAI must hold it (else 409 context-not-pushed).',
    }),
    previousContentHash: contentHashSchema.optional().meta({
      description: 'The context of the issue’s previous generation, when it differed.',
    }),
    testTypes: z.array(testTypeRefSchema).min(1).max(SQAI_CONTRACT_LIMITS.testTypesPerRequest),
    maxTests: z.number().int().min(1).max(SQAI_LIMITS.testsPerGeneration),
    instructions: chars(SQAI_CONTRACT_LIMITS.instructionsChars).optional(),
    criterionIds: z
      .array(chars(SQAI_LIMITS.criterionIdChars, z.string().min(1)))
      .min(1)
      .max(SQAI_LIMITS.criterionIdsPerTest)
      .optional()
      .meta({
        description:
          'Since 1.2.0: generate tests that prove only these acceptance criteria (ids as the context document lists them, `requirement.criteria[].id`); every returned test’s `criterionIds` must be among them. Absent: tests for the whole requirement.',
        example: ['ac-3f2a9c41'],
      }),
    mode: z.enum(GENERATION_MODES).optional().meta({
      description:
        'Since 1.3.0: `tests` (absent: the same) generates tests; `updates` reviews existing tests against changed criteria (`updates` required) and answers per test in `Generation.updates`, plus new tests for new criteria in `tests`.',
    }),
    updates: testUpdateRequestSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.mode === 'updates' && value.updates === undefined)
      ctx.addIssue({ code: 'custom', path: ['updates'], message: 'required when mode is "updates"' });
    if (value.mode !== 'updates' && value.updates !== undefined)
      ctx.addIssue({ code: 'custom', path: ['updates'], message: 'only with mode "updates"' });
  })
  .meta({
    description: '`updates` is required with `mode: "updates"` and not allowed otherwise.',
    // The refinement above, as JSON Schema (zod exports no refinement).
    if: { properties: { mode: { const: 'updates' } }, required: ['mode'] },
    // Written without `required` / `properties` in the branches, which Redocly's linter reads as
    // closed objects of their own: with mode "updates", mode requires updates; otherwise no updates.
    then: { dependentRequired: { mode: ['updates'] } },
    else: { propertyNames: { not: { const: 'updates' } } },
  });

export type GenerationRequest = z.infer<typeof generationRequestSchema>;

/**
 * What is wrong with a generation request, field by field (`updates.tests.3.steps` → message), as the
 * contract's refinements say it; empty when it may be sent. The first problem of each field.
 */
export function generationRequestProblems(request: unknown): Record<string, string> {
  const parsed = safeParse(generationRequestSchema, request);
  if (parsed.success) return {};
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.') || 'request';
    problems[field] ??= issue.message;
  }
  return problems;
}
/** An update-mode request (`mode: "updates"`, `updates` set). */
export type UpdateGenerationRequest = GenerationRequest & { mode: 'updates'; updates: TestUpdateRequest };

export const createGenerationResponseSchema = z.object({ id: generationIdSchema });

const trimmed = (max: number) => chars(max, z.string().trim().min(1));

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
const titleSchema = z.string().transform(titleText).pipe(chars(SQAI_LIMITS.titleChars).min(1)).meta({
  description:
    'The test’s Jira summary: trimmed, a lone trailing backslash dropped; 1–255 characters left, else the test is refused.',
});

export const generatedTestSchema = z
  .object({
    id: trimmed(SQAI_LIMITS.idChars).meta({ description: 'Unique within the generation.' }),
    title: titleSchema,
    testType: trimmed(SQAI_LIMITS.testTypeChars).meta({
      description: 'The `name` of one of the requested test types; its kind says which fields must be set.',
    }),
    priority: chars(SQAI_LIMITS.priorityChars).nullish(),
    labels: z
      .array(
        chars(SQAI_LIMITS.labelChars, z.string().trim().min(1).regex(/^\S+$/, 'Jira labels have no spaces')),
      )
      .max(SQAI_LIMITS.labels)
      .nullish(),
    steps: z.array(generatedStepSchema).max(SQAI_LIMITS.stepsPerTest).nullish().meta({
      description: 'Steps kind: at least one step.',
    }),
    gherkin: chars(SQAI_LIMITS.definitionChars).nullish().meta({
      description: 'Gherkin kind: a scenario (or scenario outline) that parses as Gherkin.',
    }),
    definition: chars(SQAI_LIMITS.definitionChars).nullish().meta({
      description: 'Unstructured kind: not blank.',
    }),
    rationale: chars(SQAI_LIMITS.rationaleChars).nullish(),
    criterionIds: z
      .array(chars(SQAI_LIMITS.criterionIdChars, z.string().min(1)))
      .max(SQAI_LIMITS.criterionIdsPerTest)
      .nullish()
      // Never a reason to refuse the test: a list the app cannot read is ignored.
      .catch(null)
      .meta({
        description:
          'Since 1.1.0: the ids of the acceptance criteria this test proves, as the context document lists them (`requirement.criteria[].id`, e.g. "ac-3f2a9c41"). An id the document does not list is dropped by the app with a note to the reviewer, and a list that is not this array is ignored; the test is kept either way.',
        example: ['ac-3f2a9c41'],
      }),
  })
  .meta({
    description:
      'Checked one by one: a test that breaks a rule is refused with its reason, the others are kept.',
  });

export type GeneratedTest = z.infer<typeof generatedTestSchema>;

export const GENERATION_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;

/** A status the app does not know means "not finished yet": the app keeps polling. */
export const generationStatusSchema = tolerantEnum(
  GENERATION_STATUSES,
  'running',
  'pending | running | succeeded | failed. An unknown value means "not finished": keep polling.',
);

/** The envelope; `tests` are checked one by one (see `parseGeneratedTests`). */
export const generationSchema = z.object({
  id: generationIdSchema,
  status: generationStatusSchema,
  tests: z
    .array(z.unknown())
    .max(SQAI_LIMITS.testsPerGeneration)
    .nullish()
    .meta({ description: 'When succeeded: GeneratedTest items (checked one by one).' }),
  updates: z.array(z.unknown()).max(UPDATE_LIMITS.tests).nullish().meta({
    description:
      'Since 1.3.0, when an update-mode generation succeeded: one TestUpdate per requested test (checked one by one).',
  }),
  error: chars(SQAI_CONTRACT_LIMITS.errorChars).nullish().meta({
    description: 'When failed: the reason, shown to the user (redacted).',
  }),
});

export type Generation = z.infer<typeof generationSchema>;

/**
 * SQAI's verdict on one test of an update-mode request (since 1.3.0). `update` carries the test's new
 * content, of the requested test's kind; `obsolete` (the criterion it proved is gone) and `valid`
 * (it still holds) carry none — the app never deletes a test.
 */
export const testUpdateSchema = z
  .object({
    testKey: issueKeySchema.meta({ description: 'The `key` of one of the requested tests.' }),
    verdict: z.enum(TEST_UPDATE_VERDICTS).meta({
      description:
        'update: `steps`, `gherkin` or `definition` (the test’s kind) is its new content; obsolete: the criterion it proved is gone; valid: it still holds. Another value refuses this item only.',
    }),
    steps: z.array(updateStepSchema).max(UPDATE_LIMITS.stepsPerTest).nullish().meta({
      description: 'An update of a Steps test: all its steps, in order (at least one).',
    }),
    gherkin: chars(SQAI_LIMITS.definitionChars).nullish().meta({
      description: 'An update of a Gherkin test: the whole scenario; it must parse as Gherkin.',
    }),
    definition: chars(SQAI_LIMITS.definitionChars).nullish().meta({
      description: 'An update of an Unstructured test: the whole definition, not blank.',
    }),
    reason: chars(UPDATE_LIMITS.reasonChars).nullish().meta({
      description: 'Why, shown to the reviewer, e.g. Criterion changed: "within 30 days" → "within 14 days".',
    }),
    criterionIds: z
      .array(criterionIdRef)
      .max(SQAI_LIMITS.criterionIdsPerTest)
      .nullish()
      // Never a reason to refuse the update: a list the app cannot read is ignored.
      .catch(null)
      .meta({ description: 'The criteria the test proves after the update (optional).' }),
  })
  .meta({
    description:
      'Checked one by one: an item that breaks a rule is refused with its reason, the others are kept.',
  });

export type TestUpdate = z.infer<typeof testUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// POST /v1/coverage:classify (since 1.1.0)
// ---------------------------------------------------------------------------------------------

/** Limits of a classification request. */
export const CLASSIFY_LIMITS = {
  /** Criteria in one request (a requirement has at most this many: src/criteria/schema.ts). */
  criteria: 100,
  criterionTextChars: 500,
  /** Tests in one request (more are sent in several requests). */
  tests: 100,
  /** Suggestions SQAI gives per test. */
  suggestionsPerTest: 20,
} as const;

const criterionIdText = chars(SQAI_LIMITS.criterionIdChars, z.string().min(1)).meta({
  description:
    'A criterion id as the context document lists it (`requirement.criteria[].id`), e.g. ac-3f2a9c41.',
});

/** A criterion to classify tests against. */
export const classifyCriterionSchema = z.strictObject({
  id: criterionIdText,
  text: chars(CLASSIFY_LIMITS.criterionTextChars, z.string().min(1)),
});

/** An existing test (written by people, or by SQAI before criteria ids existed), with what it does. */
export const classifyTestSchema = z
  .strictObject({
    key: issueKeySchema.meta({ description: 'The test’s Jira issue key; the answer names tests by it.' }),
    summary: chars(SQAI_LIMITS.titleChars),
    testType: testTypeRefSchema,
    steps: z.array(generatedStepSchema).max(SQAI_LIMITS.stepsPerTest).optional(),
    gherkin: chars(SQAI_LIMITS.definitionChars).optional(),
    definition: chars(SQAI_LIMITS.definitionChars).optional(),
  })
  .meta({ description: 'By its kind: `steps` (Steps), `gherkin` (Gherkin) or `definition` (Unstructured).' });

/** `POST /v1/coverage:classify` body. */
export const classifyRequestSchema = z.strictObject({
  cloudId: cloudIdSchema,
  issueId: issueIdSchema,
  issueKey: issueKeySchema,
  criteria: z.array(classifyCriterionSchema).min(1).max(CLASSIFY_LIMITS.criteria),
  tests: z.array(classifyTestSchema).min(1).max(CLASSIFY_LIMITS.tests),
});

export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;

export const classifySuggestionSchema = z.object({
  criterionId: criterionIdText,
  confidence: z.number().min(0).max(1).meta({
    description: 'How sure SQAI is that the test proves the criterion: 0 (a guess) to 1 (certain).',
  }),
});

/** One test's suggestions, most confident first; none when the test proves no listed criterion. */
export const classifyResultSchema = z.object({
  testKey: issueKeySchema,
  suggestions: z.array(classifySuggestionSchema).max(CLASSIFY_LIMITS.suggestionsPerTest),
});

/** `POST /v1/coverage:classify` → 200: one result per test, in the order of the request. */
export const classifyResponseSchema = z.object({
  results: z.array(classifyResultSchema).max(CLASSIFY_LIMITS.tests),
});

export type ClassifyResponse = z.infer<typeof classifyResponseSchema>;

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
      const idGuess = safeParse(z.object({ id: chars(100) }).loose(), item);
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

export interface ParsedTestUpdates {
  /** Kept items; content of another verdict than `update` is dropped. */
  valid: TestUpdate[];
  invalid: { index: number; testKey?: string; reason: string }[];
}

const CONTENT_FIELD = { Steps: 'steps', Gherkin: 'gherkin', Unstructured: 'definition' } as const;

/** Why an `update` cannot be applied to a test of `kind`, or undefined when it can. */
function updateContentProblem(update: TestUpdate, kind: TestTypeRef['kind']): string | undefined {
  const field = CONTENT_FIELD[kind];
  for (const other of Object.values(CONTENT_FIELD)) {
    if (other !== field && update[other] !== null && update[other] !== undefined)
      return `${other}: the test is of kind ${kind}, updated with ${field}`;
  }
  if (kind === 'Steps') {
    return (update.steps ?? []).length === 0 ? 'steps: an update of a Steps test needs steps' : undefined;
  }
  if (kind === 'Gherkin') {
    if (!update.gherkin?.trim()) return 'gherkin: an update of a Gherkin test needs Gherkin';
    const problems = gherkinProblems(update.gherkin);
    return problems[0] ? `gherkin: ${problems[0]}` : undefined;
  }
  return update.definition?.trim()
    ? undefined
    : 'definition: an update of an Unstructured test needs a definition that is not blank';
}

/**
 * SQAI's `updates` (since 1.3.0), checked one by one against the tests the request sent: an item
 * that is malformed (an unknown verdict included), names a test the request did not send, repeats
 * a test, or is an `update` without content of the requested test's kind (steps / Gherkin that
 * parses / a definition that is not blank) is refused with its reason; the others are kept.
 */
export function parseTestUpdates(
  raw: readonly unknown[],
  requested: readonly Pick<TestToUpdate, 'key' | 'testType'>[],
): ParsedTestUpdates {
  const kinds = new Map(requested.map((test) => [test.key, test.testType.kind]));
  const out: ParsedTestUpdates = { valid: [], invalid: [] };
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const keyGuess = safeParse(z.object({ testKey: chars(255) }).loose(), item);
    const testKey = keyGuess.success ? { testKey: keyGuess.data.testKey } : {};
    const parsed = safeParse(testUpdateSchema, item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.invalid.push({
        index,
        ...testKey,
        reason: `${issue?.path.join('.') || 'update'}: ${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    const update = parsed.data;
    const kind = kinds.get(update.testKey);
    const refuse = (reason: string) => out.invalid.push({ index, testKey: update.testKey, reason });
    if (kind === undefined) return void refuse('testKey: not one of the requested tests');
    if (seen.has(update.testKey)) return void refuse('testKey: the same test appears twice');
    seen.add(update.testKey);
    if (update.verdict === 'update') {
      const problem = updateContentProblem(update, kind);
      if (problem) return void refuse(problem);
      const field = CONTENT_FIELD[kind];
      const kept: TestUpdate = { testKey: update.testKey, verdict: 'update', [field]: update[field] };
      out.valid.push(withExtras(kept, update));
      return;
    }
    out.valid.push(withExtras({ testKey: update.testKey, verdict: update.verdict }, update));
  });
  return out;
}

const withExtras = (kept: TestUpdate, update: TestUpdate): TestUpdate => ({
  ...kept,
  ...(update.reason ? { reason: update.reason } : {}),
  ...(update.criterionIds ? { criterionIds: update.criterionIds } : {}),
});
