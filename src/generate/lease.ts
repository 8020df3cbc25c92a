/**
 * A lease on one key-value store key: taken atomically (`claim`, Forge's `FAIL_IF_EXISTS`), ended by
 * its holder or when `until` passes (Forge may end a holder without notice, so a lease that ran out
 * is taken over). Creations use one per generation; generation starts one per issue and a few per
 * user.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock, KeyValueStore } from '../platform/ports';

const leaseSchema = z.object({ holder: z.string(), until: z.string() }).loose();

export interface Lease {
  readonly holder: string;
  release(): Promise<void>;
}

export type LeaseAnswer = { held: Lease } | { busyForMs: number };

export interface LeaseDeps {
  kvs: KeyValueStore;
  clock: Clock;
}

/** Releases the lease on `key` if `holder` still holds it (a lease taken over is someone else's). */
export async function releaseLease(deps: Pick<LeaseDeps, 'kvs'>, key: string, holder: string): Promise<void> {
  const current = leaseSchema.safeParse(await deps.kvs.get(key));
  if (current.success && current.data.holder === holder) await deps.kvs.delete(key);
}

export async function takeLease(
  deps: LeaseDeps,
  key: string,
  durationMs: number,
  details: Record<string, string> = {},
): Promise<LeaseAnswer> {
  const holder = randomUUID();
  const now = deps.clock.now().getTime();
  const lease = { ...details, holder, until: new Date(now + durationMs).toISOString() };
  const held: Lease = { holder, release: () => releaseLease(deps, key, holder) };
  if (await deps.kvs.claim(key, lease)) return { held };
  const current = leaseSchema.safeParse(await deps.kvs.get(key));
  const until = current.success ? Date.parse(current.data.until) : Number.NaN;
  if (Number.isFinite(until) && until > now) return { busyForMs: until - now };
  // Its holder was ended before releasing it (or the record is unreadable): take it over.
  await deps.kvs.delete(key);
  if (await deps.kvs.claim(key, lease)) return { held };
  return { busyForMs: durationMs };
}
