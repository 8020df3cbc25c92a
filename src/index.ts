/** The handlers manifest.yml names, and nothing else. */
import { purgeSiteAtSqai } from './config/sqai-purge';
import { handleGenerationEvent } from './consumers/generation-consumer';
import { handleSyncEvent } from './consumers/sync-consumer';
import { inInvocation } from './platform/invocation';
import { platform } from './platform/runtime';
import { buildResolver } from './resolvers';
import { handleWorkflowValidator } from './validators/criteria-gate';
import { runHourlySync } from './scheduled/hourly-sync';
import { asWebTriggerError, handleDelivery, type WebTriggerRequestLike } from './webtrigger/delivery-handler';

/** Resolvers: a person waits for each (interactive Xray traffic, served first). */
export const resolverHandler = inInvocation(buildResolver().getDefinitions(), 'interactive');

/** Queue `sqai-generation`: large creations of generated tests. */
export const generationConsumer = inInvocation((event: unknown): Promise<unknown> =>
  handleGenerationEvent(event),
);

/** Web trigger `sqai-delivery`: SQAI's signed deliveries of finished generations. */
export const deliveryWebtrigger = inInvocation(
  async (request: WebTriggerRequestLike, context: { installContext?: string }) => {
    try {
      return await handleDelivery(platform(), request, context);
    } catch (error) {
      return asWebTriggerError(error);
    }
  },
);

/**
 * Scheduled trigger `hourly-sync`: plans each configured project's incremental sync. Forge reads
 * the answer's `statusCode`: 204 is success, a 5xx a failure (anything else is recorded as 424).
 */
export const scheduledSync = inInvocation(
  async (_event: unknown, context: unknown): Promise<{ statusCode: number }> => {
    const plan = await runHourlySync(context);
    return { statusCode: plan ? 204 : 500 };
  },
);

/** Queue `sqai-sync`: the sync runs themselves. */
export const syncConsumer = inInvocation((event: unknown): Promise<void> => handleSyncEvent(event));

/**
 * Trigger `app-uninstalled` (Forge lifecycle event `avi:forge:uninstalled:app`): every SQAI the
 * site's projects were connected to is asked to forget the site (docs/sqai-contract.md).
 */
export const appUninstalled = inInvocation(async (event: unknown, context: unknown): Promise<void> => {
  await purgeSiteAtSqai(platform(), event, context);
});

/** Workflow validator `sqai-criteria-gate`: acceptance criteria covered/proven, from stored state only. */
export const criteriaGateValidator = inInvocation(handleWorkflowValidator);
