/**
 * What Forge's `requestJira` throws on purpose (docs/forge-fidelity.md, rule 11), recognised by
 * name as `@forge/api`'s own `isForgePlatformError` does, so domain code needs no Forge import:
 * - `NEEDS_AUTHENTICATION_ERR` (`NeedsAuthenticationError`): the user has not granted the app access
 *   to act as them yet. It must reach Forge uncaught and unwrapped: Forge then shows the user its
 *   "Allow access" prompt. Never retried, never turned into an app error.
 * - `PROXY_ERR` (`ProxyRequestError`): Forge's proxy could not forward the request; carries a status.
 */
export function isConsentRequired(error: unknown): error is Error {
  return error instanceof Error && error.name === 'NEEDS_AUTHENTICATION_ERR';
}

/** The status of a `ProxyRequestError`, or undefined for any other error. */
export function proxyErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'PROXY_ERR') return undefined;
  const status = (error as Error & { status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) ? status : 500;
}

/**
 * Forge's egress refusal when thrown rather than answered (`NotAllowedError` and its
 * `ExternalEndpointNotAllowedError`, name `REQUEST_EGRESS_ALLOWLIST_ERR`).
 */
export function isEgressRefusal(error: unknown): boolean {
  return error instanceof Error && error.name === 'REQUEST_EGRESS_ALLOWLIST_ERR';
}

/** In a catch block that handles errors: lets Forge's consent error through untouched. */
export function passConsentThrough(error: unknown): void {
  if (isConsentRequired(error)) throw error;
}
