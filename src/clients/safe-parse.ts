/**
 * `schema.safeParse(value)` that never throws. zod runs some checks (an array's or a string's
 * length limits) on values of the wrong type too, and reading `length` of an object whose own
 * `toString`/`valueOf` are not functions — as `{"length":{"toString":"x"}}` in a hostile answer —
 * throws a TypeError out of `safeParse`. Everything read from outside goes through this instead.
 */
import { z } from 'zod';

export function safeParse<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(value);
  } catch (error) {
    const message = `Unreadable value: ${error instanceof Error ? error.message : 'unknown error'}`;
    return z.custom<z.output<S>>(() => false, { message }).safeParse(value);
  }
}
