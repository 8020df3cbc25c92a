/**
 * One runner per creation. A creation's tests are made by whoever holds its lease: the panel's
 * resolver for a small creation, the queue consumer for a large one. A second Create, a Continue
 * from a reloaded panel, or a second delivery of the same event finds the lease taken and attaches
 * to the creation instead of creating its tests a second time. A lease ends when its holder
 * releases it, or at `until` (Forge may end its holder without notice).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock, KeyValueStore } from '../platform/ports';

const leaseSchema = z.object({ holder: z.string(), until: z.string() });

export const leaseKey = (projectId: string, issueId: string) => `genlock:${projectId}:${issueId}`;

export interface CreationLease {
  readonly holder: string;
  release(): Promise<void>;
}

export type LeaseAnswer = { held: CreationLease } | { busyForMs: number };

export async function takeCreationLease(
  deps: { kvs: KeyValueStore; clock: Clock },
  projectId: string,
  issueId: string,
  durationMs: number,
): Promise<LeaseAnswer> {
  const key = leaseKey(projectId, issueId);
  const holder = randomUUID();
  const now = deps.clock.now().getTime();
  const lease = { holder, until: new Date(now + durationMs).toISOString() };
  const held: CreationLease = {
    holder,
    release: async () => {
      const current = leaseSchema.safeParse(await deps.kvs.get(key));
      if (current.success && current.data.holder === holder) await deps.kvs.delete(key);
    },
  };
  if (await deps.kvs.claim(key, lease)) return { held };
  const current = leaseSchema.safeParse(await deps.kvs.get(key));
  const until = current.success ? Date.parse(current.data.until) : Number.NaN;
  if (Number.isFinite(until) && until > now) return { busyForMs: until - now };
  // Its holder was ended before releasing it (or the record is unreadable): take it over.
  await deps.kvs.delete(key);
  if (await deps.kvs.claim(key, lease)) return { held };
  return { busyForMs: durationMs };
}
