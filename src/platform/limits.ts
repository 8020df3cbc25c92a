/**
 * Forge's own limits, each once, with the Atlassian docs page it comes from
 * (`https://developer.atlassian.com/platform/forge/<page>/`; docs/forge-fidelity.md quotes them), and
 * the budgets the app allows itself under them. A budget is derived here, beside its limit, so a
 * change to one shows in the other.
 */
/** Source: `limits-invocation` — a function behind a Custom UI resolver is ended after 25 s. */
export const RESOLVER_TIMEOUT_MS = 25_000;
/** Source: `limits-invocation` — a function only consumers use may ask for up to 900 s (`timeoutSeconds`). */
export const LONG_RUNNING_TIMEOUT_MS = 900_000;
/** Source: `runtime-reference/async-events-api` — a pushed event is delayed by 0–900 s. */
export const MAX_QUEUE_DELAY_S = 900;
/** Source: `runtime-reference/async-events-api` — an `InvocationError` asks for a retry after 1–900 s. */
export const MAX_RETRY_AFTER_S = 900;
/**
 * Source: `limits-kvs-ce` — a key-value store value is at most 240 KiB of JSON (docs/forge-fidelity.md,
 * rule 8). Every structure the app stores is bounded below it by construction (`./storage-bounds.ts`).
 */
export const KVS_MAX_VALUE_BYTES = 240 * 1024;

/** What a panel call spends on upstream work: the rest of its 25 s is for storage and the answer. */
export const PANEL_BUDGET_MS = RESOLVER_TIMEOUT_MS - 5_000;
/** A lease a resolver takes is held this long at most: past its 25 s the call has surely ended. */
export const RESOLVER_LEASE_MS = RESOLVER_TIMEOUT_MS + 5_000;
/** What a queue consumer spends on work: a minute under its 900 s is left for the final saves. */
export const CONSUMER_BUDGET_MS = LONG_RUNNING_TIMEOUT_MS - 60_000;
