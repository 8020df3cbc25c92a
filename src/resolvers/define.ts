/**
 * The shape every resolver shares: parse the context, authorize, parse the payload, call a service,
 * and map any failure to an ErrorDto. A resolver never throws to Forge (a thrown error would reach
 * the UI as an opaque failure), except Forge's own consent error, which Forge turns into its "Allow
 * access" prompt; it never returns a secret or a stack.
 */
import type { z } from 'zod';
import type { ResolverResult } from '../api';
import { AppError, isAppError, toErrorDto } from '../errors';
import { fieldErrorsOf } from '../config/schema';
import { passConsentThrough } from '../platform/forge-errors';
import { platform } from '../platform/runtime';
import type { Platform } from '../platform/ports';
import { safeParse } from '../clients/safe-parse';

export interface ResolverRequest {
  payload?: unknown;
  context?: unknown;
}

export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const parsed = safeParse(schema, payload ?? {});
  if (!parsed.success) throw new AppError('VALIDATION', { fieldErrors: fieldErrorsOf(parsed.error) });
  return parsed.data;
}

export function defineResolver<T>(
  name: string,
  run: (request: ResolverRequest, platform: Platform) => Promise<T>,
): (request: ResolverRequest) => Promise<ResolverResult<T>> {
  return async (request) => {
    const current = platform();
    try {
      return { ok: true, data: await run(request, current) };
    } catch (error) {
      // Forge's own "Allow access" prompt needs its error as it was thrown.
      passConsentThrough(error);
      if (!isAppError(error) || error.code === 'INTERNAL') {
        current.log.error('Resolver failed', {
          resolver: name,
          error,
          cause: isAppError(error) ? error.cause : undefined,
        });
      }
      return { ok: false, error: toErrorDto(error) };
    }
  };
}
