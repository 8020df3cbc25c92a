/** Writing an action's answer into the cached read it changes. */
import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Updates the cached data of `queryKey` with `update`. Reads still on their way predate the action,
 * so they are cancelled first (newest answer wins); with nothing cached yet, the data is read instead.
 */
export async function updateCachedQuery<T>(
  client: QueryClient,
  queryKey: QueryKey,
  update: (current: T) => T,
): Promise<void> {
  await client.cancelQueries({ queryKey });
  if (client.getQueryData<T>(queryKey) === undefined) {
    await client.invalidateQueries({ queryKey });
    return;
  }
  client.setQueryData<T>(queryKey, (current) => (current === undefined ? current : update(current)));
}
