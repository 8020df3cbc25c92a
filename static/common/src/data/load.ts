/** A read as the screens show it: loading, ready with its data, or failed with the resolver's error. */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ErrorDto } from '../../../../src/api';
import { errorDtoOf } from '../result';

export type Load<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'failed'; error: ErrorDto };

/** A failed re-read counts as failed (the screen offers "Try again"); see `polledLoadOf` for polls. */
export function loadOf<T>(query: UseQueryResult<T>): Load<T> {
  if (query.isError) return { status: 'failed', error: errorDtoOf(query.error) };
  if (query.isPending) return { status: 'loading' };
  return { status: 'ready', data: query.data };
}

/** For polled reads: what was read stays shown when a later poll fails (pollErrorOf reports that). */
export function polledLoadOf<T>(query: UseQueryResult<T>): Load<T> {
  return query.data !== undefined ? { status: 'ready', data: query.data } : loadOf(query);
}
