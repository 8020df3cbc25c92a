/**
 * A requirement's generation, kept per issue so the panel survives a reload and every creation is
 * idempotent:
 *   gen:<projectId>:<issueId>            the generation: request, status, creation progress
 *   genp:<projectId>:<issueId>:<n>       its n-th proposal (one key each: KVS values are ≤ 240 KiB)
 *   genh:<projectId>:<issueId>           fingerprints of earlier proposals (duplicate detection)
 *   genc:<projectId>:<issueId>           the requirement's context hash after the generation's tests were created
 *   genr:<projectId>:<issueId>:<account> one reviewer's edits of the generation (titles, selection, destination)
 */
import { z } from 'zod';
import type { ErrorCode } from '../api';
import type { KeyValueStore } from '../platform/ports';
import { KVS_MAX_VALUE_BYTES } from '../platform/limits';
import { boundError, clipText, fitList } from '../platform/storage-bounds';

const errorSchema = z.object({
  code: z.custom<ErrorCode>((value) => typeof value === 'string' && /^[A-Z_]+$/.test(value)),
  message: z.string(),
  remedy: z.string(),
});

export const proposalSchema = z.object({
  id: z.string(),
  title: z.string(),
  testType: z.string(),
  kind: z.string(),
  priority: z.string().nullable(),
  labels: z.array(z.string()),
  steps: z
    .array(z.object({ action: z.string(), data: z.string().nullable(), result: z.string().nullable() }))
    .optional(),
  gherkin: z.string().optional(),
  definition: z.string().optional(),
  rationale: z.string().nullable(),
  /** The requirement's criteria this test proves (ids the context document listed; issue 18). */
  criterionIds: z.array(z.string()).optional(),
  problems: z.array(z.string()),
  /** Said to the reviewer without blocking the test (e.g. the duplicate check ran out of time). */
  warnings: z.array(z.string()).optional(),
  /** `issueId`: the existing test it resembles (shown only to users who can see that test). */
  duplicateOf: z
    .object({ key: z.string(), summary: z.string(), similarity: z.number(), issueId: z.string().optional() })
    .optional(),
  selectedByDefault: z.boolean(),
});

export type StoredProposal = z.infer<typeof proposalSchema>;

export const creationItemSchema = z.object({
  proposalId: z.string(),
  title: z.string(),
  status: z.enum(['pending', 'created', 'failed']),
  /** How far the item got: the test exists, is linked to the requirement, carries its provenance. */
  step: z.enum(['none', 'created', 'linked', 'done']),
  /** A create was attempted; before another, look the test up by its label (the answer may have been lost). */
  attempted: z.boolean(),
  /** When the last create was attempted: search may not show the test until SEARCH_SETTLE_MS later. */
  attemptedAt: z.string().optional(),
  issueId: z.string().optional(),
  key: z.string().optional(),
  error: errorSchema.optional(),
});

export type CreationItem = z.infer<typeof creationItemSchema>;

const destinationChoiceSchema = z.union([
  z.object({ mode: z.literal('existing'), key: z.string() }),
  z.object({ mode: z.literal('new'), summary: z.string() }),
]);

export const destinationSchema = z.object({
  testSet: destinationChoiceSchema.optional(),
  testExecution: destinationChoiceSchema.optional(),
  testPlan: z.object({ key: z.string() }).optional(),
  folder: z.string().optional(),
});

const organisedEntry = z.object({
  key: z.string(),
  issueId: z.string(),
  created: z.boolean(),
  /** Creation was attempted: look it up by label before creating again. */
  attempted: z.boolean().optional(),
  attemptedAt: z.string().optional(),
  done: z.boolean(),
});

const authorizedIssue = z.object({ key: z.string(), issueId: z.string() });

/** What `authorizeCreation` granted: who, when, and the resolved ids of the chosen existing issues. */
const authorizedSchema = z.object({
  by: z.string(),
  at: z.string(),
  testSet: authorizedIssue.optional(),
  testExecution: authorizedIssue.optional(),
  testPlan: authorizedIssue.optional(),
});

export const creationSchema = z.object({
  status: z.enum(['running', 'done', 'partial']),
  destination: destinationSchema,
  /** Absent only in creations stored before authorization was recorded: those must be continued. */
  authorized: authorizedSchema.optional(),
  items: z.array(creationItemSchema),
  organised: z.object({
    testSet: organisedEntry.partial({ key: true, issueId: true }).optional(),
    testExecution: organisedEntry.partial({ key: true, issueId: true }).optional(),
    testPlan: organisedEntry.optional(),
    folder: z.object({ path: z.string(), done: z.boolean() }).optional(),
  }),
  errors: z.array(errorSchema),
  startedAt: z.string(),
  startedBy: z.string(),
  finishedAt: z.string().optional(),
  queued: z.boolean(),
  /** Running, but waiting until then for Jira search to show an earlier attempt (SEARCH_SETTLE_MS). */
  resumeAfter: z.string().optional(),
});

export type Creation = z.infer<typeof creationSchema>;

export const generationSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed']),
  project: z.object({ id: z.string(), key: z.string() }),
  issue: z.object({ id: z.string(), key: z.string() }),
  requestedAt: z.string(),
  requestedBy: z.string(),
  contentHash: z.string(),
  previousContentHash: z.string().optional(),
  testTypes: z.array(z.string()),
  maxTests: z.number().int(),
  instructions: z.string().optional(),
  error: errorSchema.optional(),
  proposalCount: z.number().int().nonnegative(),
  rejected: z.array(z.object({ id: z.string().optional(), reason: z.string() })),
  creation: creationSchema.optional(),
  /**
   * Issue 19: id → wording hash (src/living/baselines.ts) of each criterion in the context SQAI
   * generated from — what a created test was written against, even if the criteria changed before
   * its creation. Absent in generations stored before.
   */
  criteria: z.record(z.string(), z.string()).optional(),
  /**
   * `updates`: SQAI was asked to propose updates of stale tests (issue 19); `updateCount` items are
   * stored under `genu:` keys (src/living/update-store.ts). Absent: a generation of new tests.
   */
  mode: z.literal('updates').optional(),
  updateCount: z.number().int().nonnegative().optional(),
  /** The requester's generation slot while SQAI has not answered (generation-pacing.ts). */
  userSlot: z.object({ slot: z.number().int().nonnegative(), holder: z.string() }).optional(),
});

export type StoredGeneration = z.infer<typeof generationSchema>;

const fingerprintsSchema = z
  .array(z.object({ key: z.string(), summary: z.string(), text: z.string(), issueId: z.string().optional() }))
  .max(200);
export type Fingerprint = z.infer<typeof fingerprintsSchema>[number];

/** A fingerprint's text is cut to this: enough words to compare, and many fingerprints fit one value. */
const FINGERPRINT_TEXT_CHARS = 2_000;

/**
 * The byte budgets (of JSON) that keep a generation record within one value at its maximum — 50
 * creation items, 50 rejected tests, instructions of 2,000 characters — whatever its text (each
 * CJK character is 3 bytes, a control character 6). Limits on identifiers and on what the resolvers
 * already bound are above any real value: clipping them only bounds what is not real.
 */
export const GENERATION_BOUNDS = {
  /** 255 characters of 3-byte text fit whole. */
  title: 768,
  /** A Jira key, an account id, a test type name (≤ 60 characters). */
  id: 384,
  /** Instructions (≤ 2,000 characters) and summaries, folder paths (≤ 255). */
  instructions: 12_288,
  summary: 2_048,
  itemError: { message: 512, remedy: 256 },
  rejectedReason: 384,
  /** The rejected tests together; more are summed up in one last entry. */
  rejected: 48 * 1024,
  /** The creation's organising errors together, the most recent kept. */
  creationErrors: 16 * 1024,
} as const;

/** A fingerprint's key and summary (a title, an issue summary: ≤ 255 characters) as stored. */
const FINGERPRINT_LABEL_BYTES = 2_048;

export const generationKeys = {
  generation: (projectId: string, issueId: string) => `gen:${projectId}:${issueId}`,
  proposal: (projectId: string, issueId: string, index: number) =>
    `genp:${projectId}:${issueId}:${String(index).padStart(3, '0')}`,
  proposals: (projectId: string, issueId: string) => `genp:${projectId}:${issueId}:`,
  fingerprints: (projectId: string, issueId: string) => `genh:${projectId}:${issueId}`,
  afterCreation: (projectId: string, issueId: string) => `genc:${projectId}:${issueId}`,
  review: (projectId: string, issueId: string, accountId: string) =>
    `genr:${projectId}:${issueId}:${accountId}`,
};

/**
 * The requirement's context hash once the generation's tests were created (they cover it, so its
 * context changed by them): the panel compares with it too, so the tests just created do not make
 * the requirement "changed since the last generation". `finishedAt` ties it to one finish of the
 * creation (a retry that creates more records again).
 */
export const afterCreationSchema = z.object({
  generationId: z.string(),
  finishedAt: z.string(),
  contentHash: z.string(),
});
export type AfterCreation = z.infer<typeof afterCreationSchema>;

/** Limits of a stored review (a generation has at most 50 proposals; ids ≤ 100, titles ≤ 255 characters). */
export const REVIEW_LIMITS = {
  proposals: 50,
  id: 100,
  title: 255,
  key: 40,
  summary: 255,
  folder: 255,
} as const;

const reviewChoiceSchema = z
  .object({
    mode: z.enum(['none', 'existing', 'new']),
    key: z.string().max(REVIEW_LIMITS.key),
    summary: z.string().max(REVIEW_LIMITS.summary),
    keyTyped: z.boolean(),
  })
  .strict();

const proposalIdSchema = z.string().min(1).max(REVIEW_LIMITS.id);

/** A reviewer's edits as the resolver accepts and the store keeps them (bounded in every part). */
export const reviewEditsSchema = z
  .object({
    generationId: z.string().min(1).max(REVIEW_LIMITS.id),
    selected: z
      .record(proposalIdSchema, z.boolean())
      .refine((value) => Object.keys(value).length <= REVIEW_LIMITS.proposals, 'Too many proposals.'),
    titles: z
      .record(proposalIdSchema, z.string().max(REVIEW_LIMITS.title, 'A title is at most 255 characters.'))
      .refine((value) => Object.keys(value).length <= REVIEW_LIMITS.proposals, 'Too many proposals.'),
    destination: z
      .object({
        testSet: reviewChoiceSchema,
        testExecution: reviewChoiceSchema,
        testPlan: z
          .object({
            mode: z.enum(['none', 'existing']),
            key: z.string().max(REVIEW_LIMITS.key),
            keyTyped: z.boolean(),
          })
          .strict(),
        folder: z.string().max(REVIEW_LIMITS.folder),
      })
      .strict(),
  })
  .strict();
export type ReviewEdits = z.infer<typeof reviewEditsSchema>;

export class GenerationStore {
  constructor(private readonly kvs: KeyValueStore) {}

  async get(projectId: string, issueId: string): Promise<StoredGeneration | null> {
    const parsed = generationSchema.safeParse(
      await this.kvs.get(generationKeys.generation(projectId, issueId)),
    );
    return parsed.success ? parsed.data : null;
  }

  async put(projectId: string, issueId: string, generation: StoredGeneration): Promise<void> {
    await this.kvs.set(generationKeys.generation(projectId, issueId), boundGeneration(generation));
  }

  /** The issue's generation with its proposals (none when nothing was generated for it). */
  async generationWithProposals(
    projectId: string,
    issueId: string,
  ): Promise<{ generation: StoredGeneration | null; proposals: StoredProposal[] }> {
    const generation = await this.get(projectId, issueId);
    const proposals = generation ? await this.proposals(projectId, issueId, generation.proposalCount) : [];
    return { generation, proposals };
  }

  async proposals(projectId: string, issueId: string, count: number): Promise<StoredProposal[]> {
    const keys = Array.from({ length: count }, (_, index) =>
      generationKeys.proposal(projectId, issueId, index),
    );
    const values = await Promise.all(keys.map((key) => this.kvs.get(key)));
    return values.flatMap((value) => {
      const parsed = proposalSchema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Replaces the proposals (a new generation); stale ones beyond the new count are removed. */
  async putProposals(
    projectId: string,
    issueId: string,
    proposals: StoredProposal[],
    previousCount: number,
  ): Promise<void> {
    await Promise.all(
      proposals.map((proposal, index) =>
        this.kvs.set(generationKeys.proposal(projectId, issueId, index), proposalSchema.parse(proposal)),
      ),
    );
    const stale = [];
    for (let index = proposals.length; index < previousCount; index += 1) {
      stale.push(this.kvs.delete(generationKeys.proposal(projectId, issueId, index)));
    }
    await Promise.all(stale);
  }

  async afterCreation(projectId: string, issueId: string): Promise<AfterCreation | null> {
    const parsed = afterCreationSchema.safeParse(
      await this.kvs.get(generationKeys.afterCreation(projectId, issueId)),
    );
    return parsed.success ? parsed.data : null;
  }

  async putAfterCreation(projectId: string, issueId: string, record: AfterCreation): Promise<void> {
    await this.kvs.set(generationKeys.afterCreation(projectId, issueId), afterCreationSchema.parse(record));
  }

  /** `accountId`'s saved review of the issue's generation (it names the generation it was made for). */
  async review(projectId: string, issueId: string, accountId: string): Promise<ReviewEdits | null> {
    const parsed = reviewEditsSchema.safeParse(
      await this.kvs.get(generationKeys.review(projectId, issueId, accountId)),
    );
    return parsed.success ? parsed.data : null;
  }

  async putReview(projectId: string, issueId: string, accountId: string, edits: ReviewEdits): Promise<void> {
    await this.kvs.set(generationKeys.review(projectId, issueId, accountId), reviewEditsSchema.parse(edits));
  }

  async fingerprints(projectId: string, issueId: string): Promise<Fingerprint[]> {
    const parsed = fingerprintsSchema.safeParse(
      await this.kvs.get(generationKeys.fingerprints(projectId, issueId)),
    );
    return parsed.success ? parsed.data : [];
  }

  async addFingerprints(projectId: string, issueId: string, added: Fingerprint[]): Promise<void> {
    if (added.length === 0) return;
    const known = await this.fingerprints(projectId, issueId);
    const merged = [
      ...added.map((entry) => ({
        ...entry,
        key: clipText(entry.key, FINGERPRINT_LABEL_BYTES),
        summary: clipText(entry.summary, FINGERPRINT_LABEL_BYTES),
        text: entry.text.slice(0, FINGERPRINT_TEXT_CHARS),
      })),
      ...known.filter((entry) => !added.some((a) => a.key === entry.key)),
    ].slice(0, 200);
    // All fingerprints share one value: the oldest give way rather than the write failing (a
    // generation's bodies, up to SQAI_LIMITS each, are far more than 240 KiB).
    await this.kvs.set(generationKeys.fingerprints(projectId, issueId), fitList(merged, KVS_MAX_VALUE_BYTES));
  }
}

type DestinationChoice = z.infer<typeof destinationChoiceSchema>;

/** `{ [key]: value }`, or nothing when `value` is undefined. */
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Partial<Record<K, V>>);

const clipId = (value: string) => clipText(value, GENERATION_BOUNDS.id);
const clipSummary = (value: string) => clipText(value, GENERATION_BOUNDS.summary);
const clipKey = <T extends { key?: string }>(value: T): T =>
  value.key === undefined ? value : { ...value, key: clipId(value.key) };

/**
 * A generation as stored: within one value at its maximum (GENERATION_BOUNDS). Texts are clipped;
 * rejected tests beyond their budget are summed up in a last entry, and only the most recent
 * organising errors are kept. Nothing a creation resumes from — item ids, states, issue ids — changes.
 */
export function boundGeneration(generation: StoredGeneration): StoredGeneration {
  const { error, instructions, creation, rejected, testTypes, ...rest } = generationSchema.parse(generation);
  const clipped = rejected.map((entry) => ({
    ...entry,
    reason: clipText(entry.reason, GENERATION_BOUNDS.rejectedReason),
  }));
  // All of them when they fit (a list bounded before, its summing-up entry included, does);
  // otherwise what fits with room for the summing-up entry.
  const whole = fitList(clipped, GENERATION_BOUNDS.rejected);
  const kept = whole.length === clipped.length ? whole : fitList(clipped, GENERATION_BOUNDS.rejected - 256);
  const dropped = clipped.length - kept.length;
  return {
    ...rest,
    testTypes: testTypes.map(clipId),
    ...optional('instructions', instructions && clipText(instructions, GENERATION_BOUNDS.instructions)),
    ...optional('error', error && boundError(error)),
    rejected:
      dropped > 0
        ? [...kept, { reason: `… and ${dropped} more tests SQAI sent that could not be used.` }]
        : kept,
    ...optional('creation', creation && boundCreation(creation)),
  };
}

function boundCreation(creation: Creation): Creation {
  const { destination, authorized, organised } = creation;
  const choice = (value: DestinationChoice): DestinationChoice =>
    value.mode === 'existing'
      ? { mode: 'existing', key: clipId(value.key) }
      : { mode: 'new', summary: clipSummary(value.summary) };
  return {
    ...creation,
    destination: {
      ...optional('testSet', destination.testSet && choice(destination.testSet)),
      ...optional('testExecution', destination.testExecution && choice(destination.testExecution)),
      ...optional('testPlan', destination.testPlan && clipKey(destination.testPlan)),
      ...optional('folder', destination.folder === undefined ? undefined : clipSummary(destination.folder)),
    },
    ...optional(
      'authorized',
      authorized && {
        ...authorized,
        by: clipId(authorized.by),
        ...optional('testSet', authorized.testSet && clipKey(authorized.testSet)),
        ...optional('testExecution', authorized.testExecution && clipKey(authorized.testExecution)),
        ...optional('testPlan', authorized.testPlan && clipKey(authorized.testPlan)),
      },
    ),
    items: creation.items.map((item) => ({
      ...clipKey(item),
      title: clipText(item.title, GENERATION_BOUNDS.title),
      ...optional('error', item.error && boundError(item.error, GENERATION_BOUNDS.itemError)),
    })),
    organised: {
      ...optional('testSet', organised.testSet && clipKey(organised.testSet)),
      ...optional('testExecution', organised.testExecution && clipKey(organised.testExecution)),
      ...optional('testPlan', organised.testPlan && clipKey(organised.testPlan)),
      ...optional(
        'folder',
        organised.folder && { ...organised.folder, path: clipSummary(organised.folder.path) },
      ),
    },
    // Errors are appended: the most recent are the ones worth keeping.
    errors: fitList(
      [...creation.errors].reverse().map((error) => boundError(error)),
      GENERATION_BOUNDS.creationErrors,
    ).reverse(),
  };
}
