/** The handlers manifest.yml names, and nothing else. */
import { buildResolver } from './resolvers';

export const resolverHandler = buildResolver().getDefinitions();
