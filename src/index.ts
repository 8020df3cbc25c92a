/** The handlers manifest.yml names, and nothing else. */
import { handleGenerationEvent } from './consumers/generation-consumer';
import { handleSyncEvent } from './consumers/sync-consumer';
import { platform } from './platform/runtime';
import { buildResolver } from './resolvers';
import { runHourlySync } from './scheduled/hourly-sync';
import { asWebTriggerError, handleDelivery, type WebTriggerRequestLike } from './webtrigger/delivery-handler';

export const resolverHandler = buildResolver().getDefinitions();

/** Queue `sqai-generation`: large creations of generated tests. */
export const generationConsumer = (event: unknown): Promise<void> => handleGenerationEvent(event);

/** Web trigger `sqai-delivery`: SQAI's signed deliveries of finished generations. */
export const deliveryWebtrigger = async (
  request: WebTriggerRequestLike,
  context: { installContext?: string },
) => {
  try {
    return await handleDelivery(platform(), request, context);
  } catch (error) {
    return asWebTriggerError(error);
  }
};

/** Scheduled trigger `hourly-sync`: plans each configured project's incremental sync. */
export const scheduledSync = (_event: unknown, context: unknown) => runHourlySync(context);

/** Queue `sqai-sync`: the sync runs themselves. */
export const syncConsumer = (event: unknown): Promise<void> => handleSyncEvent(event);
