/**
 * Queue consumer for large creations of generated tests: acts as the app, works until its budget
 * runs low (Forge gives a consumer up to 900 s), and requeues itself to finish the rest.
 */
import { z } from 'zod';
import { GenerationService } from '../generate/generation-service';
import { platform } from '../platform/runtime';

/** Leave a margin under the function's 900 s timeout for the final saves. */
export const CONSUMER_BUDGET_MS = 840_000;

const ref = z.object({ id: z.string().min(1), key: z.string().min(1) });

export const generationEventSchema = z.object({
  kind: z.literal('createGeneratedTests'),
  cloudId: z.string().min(1),
  siteUrl: z.string().nullable(),
  project: ref,
  issue: ref,
});

const eventSchema = z.object({ body: z.unknown() }).loose();

export async function handleGenerationEvent(event: unknown): Promise<void> {
  const current = platform();
  const body = generationEventSchema.safeParse(eventSchema.safeParse(event).data?.body);
  if (!body.success) {
    // A malformed event can never succeed: log and drop it rather than retry forever.
    current.log.error('Dropped a malformed generation event', { issues: body.error.issues.slice(0, 3) });
    return;
  }
  const { cloudId, siteUrl, project, issue } = body.data;
  const result = await new GenerationService(current).runQueued(
    { cloudId, siteUrl, project, issue },
    CONSUMER_BUDGET_MS,
  );
  current.log.info('Generation consumer ran', {
    issueKey: issue.key,
    status: result?.status ?? 'nothing to do',
  });
}
