/**
 * Polling shared by both UIs: re-read every `intervalMs` while the data says something is running;
 * a failed read is tried again at the same pace, and after MAX_POLL_FAILURES failures in a row the
 * query settles in error and polling stops until the user asks again ("Try again" → refetch).
 */
import type { Query, QueryClient, QueryKey, UseQueryResult } from '@tanstack/react-query';
import type { ErrorDto } from '../../../../src/api';
import { errorDtoOf } from '../result';

/** Consecutive failed reads before a screen stops polling and says it cannot reach the server. */
export const MAX_POLL_FAILURES = 3;

export interface PollingOptions<T> {
  intervalMs: number;
  /** Whether `data` is still changing on the server (e.g. a backfill queued or running). */
  isActive: (data: T | undefined) => boolean;
}

export function pollingQueryOptions<T, TKey extends QueryKey>(
  client: QueryClient,
  queryKey: TKey,
  { intervalMs, isActive }: PollingOptions<T>,
) {
  return {
    refetchInterval: (query: Query<T, Error, T, TKey>): number | false =>
      query.state.status !== 'error' && isActive(query.state.data) ? intervalMs : false,
    // Polled before react-query too, whether or not the iframe had focus.
    refetchIntervalInBackground: true,
    // Only reads of something running are retried: a first read that fails is shown at once.
    retry: (failureCount: number): boolean =>
      failureCount < MAX_POLL_FAILURES - 1 && isActive(client.getQueryData<T>(queryKey)),
    retryDelay: intervalMs,
  };
}

/** The error to show once polling gave up (null while it polls, checks again, or never failed). */
export function pollErrorOf<T>(query: UseQueryResult<T>): ErrorDto | null {
  return query.isError && query.data !== undefined && !query.isFetching ? errorDtoOf(query.error) : null;
}
