/** Pure helpers for resolver results (kept apart from `@forge/bridge` so they unit-test in node). */
import type { ErrorDto, ResolverResult } from '../../../src/api';

/** An error the UI itself produces when the resolver could not be reached or answered nonsense. */
export function transportError(message: string): ErrorDto {
  return {
    code: 'INTERNAL',
    title: 'Unexpected Error',
    detail: message,
    message,
    remedy: 'Reload the page and try again. If it keeps failing, contact your Jira admin.',
  };
}

/** A text the envelope may carry, kept only when it is one. */
const textOr = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the envelope (not the data inside it: that is the backend's contract, typed by `T`). */
export function toResolverResult<T>(raw: unknown): ResolverResult<T> {
  if (isRecord(raw) && raw.ok === true && 'data' in raw) return { ok: true, data: raw.data as T };
  if (
    isRecord(raw) &&
    raw.ok === false &&
    isRecord(raw.error) &&
    typeof raw.error.code === 'string' &&
    typeof raw.error.message === 'string'
  ) {
    const { title, detail, ...rest } = raw.error as unknown as ErrorDto;
    const error: ErrorDto = { ...rest, remedy: typeof rest.remedy === 'string' ? rest.remedy : '' };
    const shownTitle = textOr(title);
    const shownDetail = textOr(detail);
    // A title without its detail (or the reverse) would hide what failed: both, or the message alone.
    if (shownTitle && shownDetail) Object.assign(error, { title: shownTitle, detail: shownDetail });
    return { ok: false, error };
  }
  return { ok: false, error: transportError('The app answered in an unexpected format.') };
}

/**
 * A resolver's `{ ok: false }` answer as a thrown value: the data layer (react-query) learns about
 * failures by rejection, and the screens still get the ErrorDto back with `errorDtoOf`.
 */
export class ResolverError extends Error {
  constructor(readonly dto: ErrorDto) {
    super(dto.message);
    this.name = 'ResolverError';
  }
}

/** The data of an ok result; a failed one is thrown as a ResolverError. */
export function unwrapResult<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new ResolverError(result.error);
  return result.data;
}

/** What to show for a failed query or mutation: the resolver's ErrorDto, or a generic one for a UI bug. */
export function errorDtoOf(error: unknown): ErrorDto {
  if (error instanceof ResolverError) return error.dto;
  return transportError(error instanceof Error && error.message ? error.message : 'Something went wrong.');
}
