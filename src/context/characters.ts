/**
 * "Characters", defined once for the whole SQAI contract (docs/sqai-contract.md "Units"): UTF-16 code
 * units — `String.prototype.length`, what the context builder cuts by and what Jira (a Java
 * `String.length()`) limits a summary by. zod 4's `max` and JSON Schema's `maxLength` count code
 * points instead; a value within N code units is within N code points, never the other way round,
 * so `chars(max)` keeps `maxLength` in the published schema and adds the stricter unit check.
 */
import { z } from 'zod';

/** A string (`base`, e.g. trimmed) of at most `max` characters (UTF-16 code units). */
export const chars = (max: number, base: z.ZodString = z.string()) =>
  base.max(max).refine((value) => value.length <= max, {
    message: `Too long: at most ${max} characters (UTF-16 code units)`,
    abort: true,
  });
