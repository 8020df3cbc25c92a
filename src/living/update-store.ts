/**
 * The per-test items of an update-mode generation (issue 19; docs/living-tests.md "Proposed updates"),
 * one store value each — a test's steps can be long, and a value holds at most 240 KiB:
 *   genu:<projectId>:<issueId>:<n>   the n-th stale test asked about: what SQAI was shown (its
 *                                    content, and the hashes the apply reconciles against), what
 *                                    SQAI proposed, and what the reviewers decided and the apply did
 * The generation record (src/generate/store.ts) says how many there are (`updateCount`).
 */
import { z } from 'zod';
import { UNUSABLE_ANSWERS, type ErrorCode } from '../api';
import type { KeyValueStore } from '../platform/ports';
import { KVS_MAX_VALUE_BYTES } from '../platform/limits';
import { byteSize } from '../context/content-hash';

const stepSchema = z.object({
  action: z.string(),
  data: z.string().nullable(),
  result: z.string().nullable(),
});

export const testContentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('Steps'), steps: z.array(stepSchema) }),
  z.object({ kind: z.literal('Gherkin'), gherkin: z.string() }),
  z.object({ kind: z.literal('Unstructured'), definition: z.string() }),
]);
export type TestContent = z.infer<typeof testContentSchema>;

const reasonSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('criterionChanged'),
    criterionId: z.string(),
    number: z.number().int().min(1),
    before: z.string().optional(),
    after: z.string(),
  }),
  z.object({ kind: z.literal('criterionRemoved'), criterionId: z.string(), before: z.string().optional() }),
  z.object({ kind: z.literal('requirementChanged') }),
]);
export type StoredStaleReason = z.infer<typeof reasonSchema>;

const errorSchema = z.object({
  code: z.custom<ErrorCode>((value) => typeof value === 'string' && /^[A-Z_]+$/.test(value)),
  message: z.string(),
  remedy: z.string(),
});

export const UPDATE_STATUSES = [
  'asked',
  'proposed',
  'applying',
  'applied',
  'conflict',
  'rejected',
  'kept',
  'unlinked',
  'confirmed',
  'failed',
] as const;

/**
 * One stale test of an update-mode generation. `asked` until SQAI answers (a test SQAI said nothing
 * of stays `asked` and shows as "no proposal"). `pendingAction` is the decision being carried out
 * (`apply` with the target content), so an interrupted apply resumes with exactly what was accepted.
 */
export const updateItemSchema = z.object({
  testIssueId: z.string(),
  testKey: z.string(),
  summary: z.string(),
  testType: z.string(),
  criterionIds: z.array(z.string()),
  reasons: z.array(reasonSchema),
  /** The test's content as SQAI was shown it (what the diff is drawn from, and the apply's base). */
  before: testContentSchema,
  verdict: z.enum(['update', 'obsolete', 'valid']).optional(),
  /** SQAI's proposed content (verdict `update`). */
  after: testContentSchema.optional(),
  reason: z.string().nullable().optional(),
  status: z.enum(UPDATE_STATUSES),
  /** The content being applied: SQAI's, or the reviewer's edit of it. */
  target: testContentSchema.optional(),
  edited: z.boolean().optional(),
  progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }).optional(),
  error: errorSchema.optional(),
  detail: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  /**
   * Undoing the ask's redaction (src/living/update-redaction.ts): each placeholder sent for this test
   * with the value it replaced. Jira content the caller can see, kept here only — never logged, sent,
   * audited or returned.
   */
  redaction: z
    .object({
      placeholders: z.record(z.string(), z.string()),
      kinds: z.array(z.string()),
      kept: z.array(z.string()),
    })
    .optional(),
  /** Why SQAI's answer for this test cannot be used (its content was not kept): src/api.ts. */
  unusable: z.enum(UNUSABLE_ANSWERS).optional(),
});
export type UpdateItem = z.infer<typeof updateItemSchema>;

export const updateItemKey = (projectId: string, issueId: string, index: number) =>
  `genu:${projectId}:${issueId}:${String(index).padStart(3, '0')}`;

/** Does the item fit one store value? (A test at Xray's limits in multi-byte text may not.) */
export const fitsOneValue = (item: UpdateItem): boolean => byteSize(item) <= KVS_MAX_VALUE_BYTES;

export class UpdateStore {
  constructor(private readonly kvs: KeyValueStore) {}

  async items(projectId: string, issueId: string, count: number): Promise<UpdateItem[]> {
    const values = await Promise.all(
      Array.from({ length: count }, (_, index) => this.kvs.get(updateItemKey(projectId, issueId, index))),
    );
    return values.flatMap((value) => {
      const parsed = updateItemSchema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
  }

  async put(projectId: string, issueId: string, index: number, item: UpdateItem): Promise<void> {
    await this.kvs.set(updateItemKey(projectId, issueId, index), updateItemSchema.parse(item));
  }

  /** Replaces the items (a new update-mode generation); those beyond the new count are removed. */
  async replace(
    projectId: string,
    issueId: string,
    items: UpdateItem[],
    previousCount: number,
  ): Promise<void> {
    await Promise.all(items.map((item, index) => this.put(projectId, issueId, index, item)));
    const removed = [];
    for (let index = items.length; index < previousCount; index += 1) {
      removed.push(this.kvs.delete(updateItemKey(projectId, issueId, index)));
    }
    await Promise.all(removed);
  }
}
