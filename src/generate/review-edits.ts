/**
 * A reviewer's edits of the issue's generation — edited titles, deselections, destination — kept
 * per user (the calling account from the Forge context) with the generation, so a reload shows the
 * review as it was left. Edits of a generation that was replaced are refused, never stored.
 */
import type { SavedReviewEditsDto } from '../api';
import { AppError } from '../errors';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { GenerationStore, type ReviewEdits } from './store';

export async function saveReviewEdits(
  platform: Platform,
  caller: IssueRef,
  edits: ReviewEdits,
): Promise<SavedReviewEditsDto> {
  const store = new GenerationStore(platform.kvs);
  const generation = await store.get(caller.project.id, caller.issue.id);
  if (!generation || generation.id !== edits.generationId || generation.status !== 'succeeded') {
    throw new AppError('VALIDATION', { message: 'The proposals changed; review them again.' });
  }
  await store.putReview(caller.project.id, caller.issue.id, caller.accountId, edits);
  return { savedAt: platform.clock.now().toISOString() };
}
