/**
 * Queue consumer for large creations of generated tests: acts as the app, works until its budget
 * runs low (Forge gives a consumer up to 900 s), and requeues itself to finish the rest.
 */
import { z } from 'zod';
import { runQueuedCreation } from '../generate/run-queued-creation';
import { CONSUMER_BUDGET_MS } from '../platform/limits';
import { platform } from '../platform/runtime';
import { retryCountOf } from './retry-policy';

const ref = z.object({ id: z.string().min(1), key: z.string().min(1) });

export const generationEventSchema = z.object({
  kind: z.literal('createGeneratedTests'),
  cloudId: z.string().min(1),
  siteUrl: z.string().nullable(),
  project: ref,
  issue: ref,
});

const eventSchema = z.object({ body: z.unknown() }).loose();

/**
 * Returns nothing when the event is done with (Forge then drops it), or the platform's retry
 * request when the work should be tried again later (see ./retry-policy.ts).
 */
export async function handleGenerationEvent(event: unknown): Promise<unknown> {
  const current = platform();
  const body = generationEventSchema.safeParse(eventSchema.safeParse(event).data?.body);
  if (!body.success) {
    // A malformed event can never succeed: log and drop it rather than retry forever.
    current.log.error('Dropped a malformed generation event', { issues: body.error.issues.slice(0, 3) });
    return undefined;
  }
  const { cloudId, siteUrl, project, issue } = body.data;
  const { creation, retry } = await runQueuedCreation(
    current,
    { cloudId, siteUrl, project, issue },
    { budgetMs: CONSUMER_BUDGET_MS, retryCount: retryCountOf(event) },
  );
  current.log.info('Generation consumer ran', {
    issueKey: issue.key,
    status: creation?.status ?? 'nothing to do',
    ...(retry ? { retryInSeconds: retry.afterSeconds } : {}),
  });
  return retry ? current.queue.retryLater(retry) : undefined;
}
