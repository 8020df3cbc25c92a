/**
 * What a new generation must not silently wipe (issue 19): an update-mode generation's items are
 * replaced by the next generation of the requirement. An apply under way is never interrupted, and
 * another user's proposals nobody decided yet are replaced only when the new start says so (`replace`,
 * the same confirmation as for undecided proposed tests: src/generate/generation-pacing.ts).
 */
import { AppError } from '../errors';
import type { StoredGeneration } from '../generate/store';
import type { UpdateItem } from './update-store';

const UNDECIDED = new Set<UpdateItem['status']>(['asked', 'proposed', 'failed']);

export function refuseReplacingUpdates(
  previous: StoredGeneration | null,
  items: readonly UpdateItem[],
  accountId: string,
  replace: boolean,
): void {
  if (!previous || previous.mode !== 'updates') return;
  if (items.some((item) => item.status === 'applying')) {
    throw new AppError('VALIDATION', {
      message: `Updates to ${previous.issue.key}'s tests are being applied; wait for them to finish.`,
      remedy: 'Open the panel’s proposals and press “Continue applying” if they stopped.',
    });
  }
  if (replace || previous.status !== 'succeeded' || previous.requestedBy === accountId) return;
  const waiting = items.filter((item) => UNDECIDED.has(item.status)).length;
  if (waiting === 0) return;
  throw new AppError('VALIDATION', {
    fieldErrors: {
      replace: `Another user's ${waiting} proposed update${waiting === 1 ? '' : 's'} of ${previous.issue.key}'s tests (asked for ${previous.requestedAt.slice(0, 16).replace('T', ' ')} UTC) ${waiting === 1 ? 'has' : 'have'} not been decided yet. A new generation replaces them.`,
    },
  });
}
