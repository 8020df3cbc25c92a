/** Hands a creation of generated tests to the queue consumer (src/consumers/generation-consumer.ts). */
import type { Platform } from '../platform/ports';
import type { RequirementRef } from '../sync/issue-ref';

export const GENERATION_QUEUE = 'sqai-generation';

/** One consumer per site at a time: the Xray budget is per site. */
export async function queueCreation(
  platform: Platform,
  requirement: RequirementRef,
  options: { delayInSeconds?: number },
): Promise<void> {
  await platform.queue.push(GENERATION_QUEUE, [
    {
      body: {
        kind: 'createGeneratedTests',
        cloudId: requirement.cloudId,
        siteUrl: requirement.siteUrl,
        project: requirement.project,
        issue: requirement.issue,
      },
      concurrency: { key: `create-${requirement.cloudId}`, limit: 1 },
      ...options,
    },
  ]);
}
