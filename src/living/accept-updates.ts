/**
 * SQAI's answer to an update-mode generation (issue 19), recorded per stale test: each `updates`
 * entry is checked on its own (`parseTestUpdates`: a verdict the contract does not define, a test
 * SQAI was not asked about, content of another kind than the test's, are refused with their reason)
 * and stored on its item. A test SQAI said nothing of stays `asked`: the panel shows it without a
 * proposal, for the reviewer to judge.
 *
 * SQAI was sent the tests with the values the project redacts replaced by placeholders
 * (./update-redaction.ts): here each placeholder of the proposed content (and of SQAI's reason) is
 * restored to its value, so the reviewer sees — and an apply writes — real values. Proposed content
 * naming a placeholder the ask did not issue is not kept: the item reads as still valid with the
 * reason (`unusable: 'unknownPlaceholder'`), and the answer's refusals name it.
 */
import { parseTestUpdates } from '../clients/sqai-schemas';
import type { KeyValueStore } from '../platform/ports';
import type { StoredGeneration } from '../generate/store';
import { fitsOneValue, UpdateStore, type TestContent, type UpdateItem } from './update-store';
import { Restorer } from './update-redaction';

export interface AnsweredUpdates {
  items: UpdateItem[];
  /** Entries that could not be used, with their reason (shown with the generation's rejected tests). */
  refused: { id?: string; reason: string }[];
}

function contentOf(
  kind: TestContent['kind'],
  entry: {
    steps?: { action: string; data?: string | null; result?: string | null }[] | null;
    gherkin?: string | null;
    definition?: string | null;
  },
): TestContent | undefined {
  if (kind === 'Steps' && entry.steps) {
    return {
      kind,
      steps: entry.steps.map((step) => ({
        action: step.action,
        data: step.data ?? null,
        result: step.result ?? null,
      })),
    };
  }
  if (kind === 'Gherkin' && typeof entry.gherkin === 'string') return { kind, gherkin: entry.gherkin };
  if (kind === 'Unstructured' && typeof entry.definition === 'string')
    return { kind, definition: entry.definition };
  return undefined;
}

export async function recordUpdateAnswers(
  kvs: KeyValueStore,
  generation: StoredGeneration,
  raw: unknown[],
): Promise<AnsweredUpdates> {
  const store = new UpdateStore(kvs);
  const { project, issue } = generation;
  const items = await store.items(project.id, issue.id, generation.updateCount ?? 0);
  const parsed = parseTestUpdates(
    raw,
    items.map((item) => ({ key: item.testKey, testType: { name: item.testType, kind: item.before.kind } })),
  );
  const refused: AnsweredUpdates['refused'] = parsed.invalid.map(({ testKey, reason }) => ({
    ...(testKey ? { id: testKey } : {}),
    reason: `update of ${testKey ?? 'a test'}: ${reason}`,
  }));
  const restorer = new Restorer(items.map((item) => item.redaction));
  const answered = items.map((item): UpdateItem => {
    if (item.status !== 'asked') return item;
    const entry = parsed.valid.find((candidate) => candidate.testKey === item.testKey);
    if (!entry) return item;
    const proposed = entry.verdict === 'update' ? contentOf(item.before.kind, entry) : undefined;
    const restored = proposed ? restorer.restoreContent(proposed) : undefined;
    if (restored && 'unknown' in restored) {
      refused.push({
        id: item.testKey,
        reason: `update of ${item.testKey}: names ${restored.unknown}, a placeholder the app did not send; nothing of it can be written to Xray`,
      });
      return {
        ...item,
        verdict: 'valid',
        reason: `SQAI’s proposal named ${restored.unknown}, a placeholder for a value the app did not send, so it cannot be written to Xray; review this test yourself.`,
        status: 'proposed',
        unusable: 'unknownPlaceholder',
      };
    }
    const after = restored?.content;
    const next: UpdateItem = {
      ...item,
      verdict: entry.verdict,
      reason: entry.reason != null ? restorer.restore(entry.reason) : null,
      status: 'proposed',
      ...(after ? { after } : {}),
    };
    if (!fitsOneValue(next)) {
      refused.push({
        id: item.testKey,
        reason: `update of ${item.testKey}: too large to store; review it in Xray`,
      });
      return {
        ...item,
        verdict: 'valid',
        reason: 'SQAI’s proposal was too large to keep; review this test yourself.',
        status: 'proposed',
        unusable: 'tooLarge',
      };
    }
    return next;
  });
  await Promise.all(
    answered.flatMap((item, index) =>
      item === items[index] ? [] : [store.put(project.id, issue.id, index, item)],
    ),
  );
  return { items: answered, refused };
}
