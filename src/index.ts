/** The handlers manifest.yml names, and nothing else. */
import { handleGenerationEvent } from './consumers/generation-consumer';
import { buildResolver } from './resolvers';

export const resolverHandler = buildResolver().getDefinitions();

/** Queue `sqai-generation`: large creations of generated tests. */
export const generationConsumer = (event: unknown): Promise<void> => handleGenerationEvent(event);
