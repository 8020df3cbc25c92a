/** Per-field form errors (pure: unit-tested in node, test/unit/static/fieldErrors.test.ts). */

/**
 * `errors` without the errors of `fields` (the user just edited them); the same object when none
 * of them had one, so React skips the re-render.
 */
export function withoutErrorsFor<E extends Partial<Record<string, string>>>(
  errors: E,
  fields: readonly (keyof E)[],
): E {
  if (!fields.some((field) => errors[field] !== undefined)) return errors;
  const next = { ...errors };
  for (const field of fields) delete next[field];
  return next;
}

/** `errors` with `field`'s error set to `message`, or removed when `message` is undefined. */
export function withFieldError<E extends Partial<Record<string, string>>>(
  errors: E,
  field: keyof E,
  message: string | undefined,
): E {
  const next = { ...errors };
  if (message === undefined) delete next[field];
  else next[field] = message as E[keyof E];
  return next;
}
