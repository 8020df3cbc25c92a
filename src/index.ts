/** The handlers manifest.yml names, and nothing else. */
import { handleGenerationEvent } from './consumers/generation-consumer';
import { platform } from './platform/runtime';
import { buildResolver } from './resolvers';
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
