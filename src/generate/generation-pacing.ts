/**
 * How fast generations may be asked for: one in flight per issue, a few per user, and never a
 * silent replacement of another user's proposals.
 *
 * - A start holds the issue's start lease while it runs, so two starts on one issue never race.
 * - A generation SQAI has not answered within GENERATION_STALE_MS is abandoned; before that, a new
 *   one for the same issue is refused.
 * - Each user holds at most USER_GENERATION_LIMIT generations in flight on the site (one slot each,
 *   an atomic lease that ends when SQAI answers, or when it goes stale).
 * - Proposals another user has not created yet are replaced only when the caller says so.
 */
import { AppError } from '../errors';
import { RESOLVER_LEASE_MS } from '../platform/limits';
import { takeLease, releaseLease, type LeaseDeps } from './lease';
import type { StoredGeneration } from './store';

export const GENERATION_STALE_MS = 15 * 60_000;
export const USER_GENERATION_LIMIT = 3;

const startKey = (projectId: string, issueId: string) => `genstart:${projectId}:${issueId}`;
const userSlotKey = (accountId: string, slot: number) => `genuser:${accountId}:${slot}`;

export interface UserSlot {
  slot: number;
  holder: string;
}

const minutesAgo = (from: string, now: Date) =>
  Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 60_000));

/** Refuses a start while the issue's last generation is still in flight (and not stale). */
export function refuseWhileInFlight(previous: StoredGeneration | null, accountId: string, now: Date): void {
  if (!previous || (previous.status !== 'pending' && previous.status !== 'running')) return;
  if (now.getTime() - Date.parse(previous.requestedAt) >= GENERATION_STALE_MS) return;
  const who = previous.requestedBy === accountId ? 'you' : 'another user';
  throw new AppError('VALIDATION', {
    message: `A generation for ${previous.issue.key} is already running (asked for by ${who} ${minutesAgo(previous.requestedAt, now)} min ago). Wait for its proposals.`,
    remedy: `SQAI usually answers within a few minutes; after ${GENERATION_STALE_MS / 60_000} minutes without an answer a new generation may be started.`,
  });
}

/**
 * Refuses to replace proposals another user has not created yet, unless `replace` says to. The
 * field error names how many and whose, so the panel can ask before replacing them.
 */
export function refuseSilentReplacement(
  previous: StoredGeneration | null,
  accountId: string,
  replace: boolean,
): void {
  if (replace || !previous || previous.status !== 'succeeded' || previous.requestedBy === accountId) return;
  const created = previous.creation?.items.filter((item) => item.status === 'created').length ?? 0;
  const waiting = previous.proposalCount - created;
  if (waiting <= 0) return;
  throw new AppError('VALIDATION', {
    fieldErrors: {
      replace: `Another user's ${waiting} proposed test${waiting === 1 ? '' : 's'} for ${previous.issue.key} (asked for ${previous.requestedAt.slice(0, 16).replace('T', ' ')} UTC) ${waiting === 1 ? 'has' : 'have'} not been created yet. A new generation replaces them.`,
    },
  });
}

/** Holds the issue while a start runs; refuses a second start at the same time. */
export async function holdIssueForStart(
  deps: LeaseDeps,
  projectId: string,
  issue: { id: string; key: string },
): Promise<{ release(): Promise<void> }> {
  const answer = await takeLease(deps, startKey(projectId, issue.id), RESOLVER_LEASE_MS);
  if ('held' in answer) return answer.held;
  throw new AppError('VALIDATION', {
    message: `A generation for ${issue.key} is being started right now. Wait for it.`,
    remedy: 'Reload the panel in a few seconds to see it.',
  });
}

/** Takes one of the caller's generation slots; RATE_LIMITED when all are in flight. */
export async function takeUserSlot(deps: LeaseDeps, accountId: string, issueKey: string): Promise<UserSlot> {
  let soonestMs = GENERATION_STALE_MS;
  for (let slot = 0; slot < USER_GENERATION_LIMIT; slot += 1) {
    const answer = await takeLease(deps, userSlotKey(accountId, slot), GENERATION_STALE_MS, { issueKey });
    if ('held' in answer) return { slot, holder: answer.held.holder };
    soonestMs = Math.min(soonestMs, answer.busyForMs);
  }
  throw new AppError('RATE_LIMITED', {
    message: `Rate Limited — you already have ${USER_GENERATION_LIMIT} generations waiting for SQAI.`,
    remedy: `Wait until SQAI answers one of them (at most ${Math.ceil(soonestMs / 60_000)} min), then try again.`,
    retryAfterMs: soonestMs,
  });
}

/** Gives a generation's slot back (when SQAI has answered, or the start failed). */
export function releaseUserSlot(
  deps: Pick<LeaseDeps, 'kvs'>,
  accountId: string,
  held: UserSlot | undefined,
): Promise<void> {
  return held ? releaseLease(deps, userSlotKey(accountId, held.slot), held.holder) : Promise.resolve();
}
