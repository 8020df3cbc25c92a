/**
 * Per-issue sync state (DESIGN.md §7) under `sync:<projectId>:<issueId>`: the hash SQAI holds, when
 * and by whom it was pushed, the last error, consecutive failed attempts, and a bounded history.
 */
import { z } from 'zod';
import type { ErrorDto, IssueSyncStateDto, SyncHistoryEntryDto, SyncOutcome, SyncTrigger } from '../api';
import { errorFor, type Reader } from '../errors';
import type { Held } from '../clients/sqai';
import type { KeyValueStore } from '../platform/ports';
import { boundError, clipText, itemBytes } from '../platform/storage-bounds';

export const HISTORY_LIMIT = 20;
/**
 * What a state keeps of its identifiers (bytes of JSON): far more than a real one needs (an account
 * id is at most 128 characters, a content hash 71), so clipping bounds only what is not one. With
 * the error's texts clipped too (ERROR_TEXT_BYTES), a state stays under 16 KiB
 * (test/unit/sync/storage-bounds.test.ts).
 */
export const STATE_ID_BYTES = 256;

export const syncStateKey = (projectId: string, issueId: string) => `sync:${projectId}:${issueId}`;

/**
 * The issue ids Xray named at the last send kept for the next one's visibility read (src/context/gather.ts
 * `visibilityGuess`): at most this many, and at most VISIBILITY_GUESS_BYTES of JSON, the first ones in
 * Xray's order. An id past either bound is still checked at the next send, after Xray answers (one
 * round trip more, as if it had not been kept).
 */
export const VISIBILITY_GUESS_LIMIT = 250;
export const VISIBILITY_GUESS_BYTES = 3_000;
/** A Jira issue id: digits (Jira's REST API answers it as a string of a long). */
const ISSUE_ID = /^\d{1,19}$/;

const errorCodeSchema = z.string().min(1);

const errorDtoSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  remedy: z.string(),
});

const historyEntrySchema = z.object({
  at: z.string(),
  trigger: z.enum(['panel', 'scheduled', 'backfill']),
  by: z.string().optional(),
  contentHash: z.string(),
  outcome: z.enum(['pushed', 'unchanged', 'failed']),
  errorCode: errorCodeSchema.optional(),
  durationMs: z.number().nonnegative(),
});

export const syncStateSchema = z.object({
  version: z.literal(1),
  status: z.enum(['synced', 'failed']),
  contentHash: z.string().optional(),
  syncedAt: z.string().optional(),
  syncedBy: z.string().optional(),
  lastAttemptAt: z.string(),
  error: errorDtoSchema.optional(),
  attempts: z.number().int().nonnegative(),
  history: z.array(historyEntrySchema).max(HISTORY_LIMIT),
  /**
   * What SQAI said it holds when it refused a write (412): the hash (or null: nothing), and when.
   * The next write names it in If-Match (docs/sqai-contract.md "Which version wins").
   */
  sqaiHolds: z.string().nullable().optional(),
  sqaiHoldsAt: z.string().optional(),
  /**
   * The hash of the app's own view (a scheduled sync or backfill) last sent or found held, and when.
   * A panel send holds the user's view, which may leave out tests the user cannot see; the next
   * scheduled run sends the app's view only when that changed, so the two never take turns.
   */
  appViewHash: z.string().optional(),
  appViewAt: z.string().optional(),
  /**
   * The issue ids Xray named at the last send or sync of the requirement (its tests, their sets,
   * executions, plans, preconditions and runs' executions) — what the next panel send asks Jira
   * about as the caller beside its Xray read, instead of after it. A guess only: every id the next
   * document uses is checked live, as that caller (src/context/gather.ts). A malformed list reads as none.
   */
  namedIssueIds: z
    .array(z.string().regex(ISSUE_ID))
    .max(VISIBILITY_GUESS_LIMIT)
    .optional()
    .catch(() => undefined),
});

export type SyncState = z.infer<typeof syncStateSchema>;

export interface SyncAttempt {
  at: Date;
  trigger: SyncTrigger;
  by?: string;
  contentHash: string;
  outcome: SyncOutcome;
  error?: ErrorDto;
  durationMs: number;
  /** With a refused write (412): what SQAI said it holds (null: nothing). */
  sqaiHolds?: string | null;
  /** The issue ids Xray named for this attempt's document (kept bounded); without it the last kept stay. */
  namedIssueIds?: readonly string[];
}

/**
 * The ids kept for the next visibility read: distinct Jira issue ids, in order, at most
 * VISIBILITY_GUESS_LIMIT of them and VISIBILITY_GUESS_BYTES of JSON.
 */
export function boundNamedIssueIds(ids: readonly string[]): string[] {
  const kept: string[] = [];
  let bytes = 2;
  for (const id of new Set(ids)) {
    if (kept.length >= VISIBILITY_GUESS_LIMIT) break;
    if (!ISSUE_ID.test(id)) continue;
    const more = itemBytes(id) + (kept.length > 0 ? 1 : 0);
    if (bytes + more > VISIBILITY_GUESS_BYTES) break;
    kept.push(id);
    bytes += more;
  }
  return kept;
}

/**
 * The precondition of the next write (RFC 9110 If-Match / If-None-Match): the version SQAI last
 * accepted or said it holds — at the endpoint in use (`sqaiSince`) — or "nothing".
 */
export function heldBySqai(state: SyncState | null | undefined, sqaiSince: string | undefined): Held {
  const current = (at: string | undefined) =>
    sqaiSince === undefined || Date.parse(at ?? '') >= Date.parse(sqaiSince);
  if (state?.sqaiHolds !== undefined && current(state.sqaiHoldsAt)) {
    return state.sqaiHolds === null ? 'nothing' : { contentHash: state.sqaiHolds };
  }
  if (state?.contentHash && current(state.syncedAt)) return { contentHash: state.contentHash };
  return 'nothing';
}

/**
 * A scheduled run need not send the app's view `contentHash`: the app's view has not changed since
 * it was last sent to the endpoint in use (SQAI may hold a panel send, the user's view, since).
 */
export function appViewSent(
  state: SyncState | null | undefined,
  contentHash: string,
  sqaiSince: string | undefined,
): boolean {
  if (state?.appViewHash !== contentHash) return false;
  return sqaiSince === undefined || Date.parse(state.appViewAt ?? '') >= Date.parse(sqaiSince);
}

/**
 * SQAI already holds this content: the last push succeeded with this hash, to the endpoint in use
 * (a push before `sqaiSince`, the time the endpoint was set, went to another SQAI).
 */
export function holdsContent(
  state: SyncState | null | undefined,
  contentHash: string,
  sqaiSince: string | undefined,
): boolean {
  if (state?.status !== 'synced' || state.contentHash !== contentHash) return false;
  return sqaiSince === undefined || Date.parse(state.syncedAt ?? '') >= Date.parse(sqaiSince);
}

/** The state as `reader` reads it: a stored error's remedy worded for them (see `errorFor`). */
export function toStateDto(state: SyncState | null, reader?: Reader): IssueSyncStateDto {
  if (!state) return { status: 'never', attempts: 0, history: [] };
  return {
    status: state.status,
    ...(state.syncedAt ? { syncedAt: state.syncedAt } : {}),
    ...(state.syncedBy ? { syncedBy: state.syncedBy } : {}),
    ...(state.contentHash ? { contentHash: state.contentHash } : {}),
    ...(state.error
      ? { error: reader ? errorFor(state.error as ErrorDto, reader) : (state.error as ErrorDto) }
      : {}),
    attempts: state.attempts,
    history: state.history as SyncHistoryEntryDto[],
  };
}

export class SyncStateStore {
  constructor(private readonly kvs: KeyValueStore) {}

  async get(projectId: string, issueId: string): Promise<SyncState | null> {
    const raw = await this.kvs.get(syncStateKey(projectId, issueId));
    if (raw === undefined || raw === null) return null;
    const parsed = syncStateSchema.safeParse(raw);
    // An unreadable record is treated as "never synced": the next push rewrites it.
    return parsed.success ? parsed.data : null;
  }

  /** Records an attempt and returns the new state. A failure keeps the hash SQAI still holds. */
  async record(projectId: string, issueId: string, attempt: SyncAttempt): Promise<SyncState> {
    const previous = await this.get(projectId, issueId);
    const at = attempt.at.toISOString();
    const entry: z.infer<typeof historyEntrySchema> = {
      at,
      trigger: attempt.trigger,
      ...(attempt.by ? { by: attempt.by } : {}),
      contentHash: attempt.contentHash,
      outcome: attempt.outcome,
      ...(attempt.error ? { errorCode: attempt.error.code } : {}),
      durationMs: attempt.durationMs,
    };
    const history = [entry, ...(previous?.history ?? [])].slice(0, HISTORY_LIMIT);
    // The ids Xray named: this attempt's when it knows them, else the last kept (a failed read).
    const namedIssueIds = attempt.namedIssueIds ?? previous?.namedIssueIds;
    const named = namedIssueIds ? { namedIssueIds: [...namedIssueIds] } : {};
    // The app's view: what a scheduled run or backfill sent (or found held); a panel send keeps it.
    const appView =
      attempt.outcome !== 'failed' && attempt.trigger !== 'panel'
        ? { appViewHash: attempt.contentHash, appViewAt: at }
        : {
            ...(previous?.appViewHash ? { appViewHash: previous.appViewHash } : {}),
            ...(previous?.appViewAt ? { appViewAt: previous.appViewAt } : {}),
          };
    const next: SyncState =
      attempt.outcome === 'failed'
        ? {
            version: 1,
            status: 'failed',
            ...(previous?.contentHash ? { contentHash: previous.contentHash } : {}),
            ...(previous?.syncedAt ? { syncedAt: previous.syncedAt } : {}),
            ...(previous?.syncedBy ? { syncedBy: previous.syncedBy } : {}),
            lastAttemptAt: at,
            ...(attempt.error
              ? {
                  error: {
                    code: attempt.error.code,
                    message: attempt.error.message,
                    remedy: attempt.error.remedy,
                  },
                }
              : {}),
            attempts: (previous?.attempts ?? 0) + 1,
            history,
            ...appView,
            ...(attempt.sqaiHolds !== undefined
              ? { sqaiHolds: attempt.sqaiHolds, sqaiHoldsAt: at }
              : previous?.sqaiHolds !== undefined
                ? {
                    sqaiHolds: previous.sqaiHolds,
                    ...(previous.sqaiHoldsAt ? { sqaiHoldsAt: previous.sqaiHoldsAt } : {}),
                  }
                : {}),
            ...named,
          }
        : {
            version: 1,
            status: 'synced',
            contentHash: attempt.contentHash,
            syncedAt: attempt.outcome === 'pushed' ? at : (previous?.syncedAt ?? at),
            ...(attempt.outcome === 'pushed'
              ? attempt.by
                ? { syncedBy: attempt.by }
                : {}
              : previous?.syncedBy
                ? { syncedBy: previous.syncedBy }
                : {}),
            lastAttemptAt: at,
            attempts: 0,
            history,
            ...appView,
            ...named,
          };
    const stored = boundSyncState(next);
    await this.kvs.set(syncStateKey(projectId, issueId), stored);
    return stored;
  }
}

/** A state as stored: its identifiers and error texts clipped, at most HISTORY_LIMIT attempts. */
export function boundSyncState(state: SyncState): SyncState {
  const { contentHash, syncedBy, error, history, sqaiHolds, appViewHash, namedIssueIds, ...rest } =
    syncStateSchema.parse({
      ...state,
      history: state.history.slice(0, HISTORY_LIMIT),
      ...(state.namedIssueIds ? { namedIssueIds: boundNamedIssueIds(state.namedIssueIds) } : {}),
    });
  const id = (value: string) => clipText(value, STATE_ID_BYTES);
  return {
    ...rest,
    ...(contentHash === undefined ? {} : { contentHash: id(contentHash) }),
    ...(syncedBy === undefined ? {} : { syncedBy: id(syncedBy) }),
    ...(sqaiHolds === undefined ? {} : { sqaiHolds: sqaiHolds === null ? null : id(sqaiHolds) }),
    ...(appViewHash === undefined ? {} : { appViewHash: id(appViewHash) }),
    ...(error ? { error: boundError(error) } : {}),
    ...(namedIssueIds === undefined ? {} : { namedIssueIds }),
    history: history.map(({ by, contentHash: hash, errorCode, ...entry }) => ({
      ...entry,
      ...(by === undefined ? {} : { by: id(by) }),
      contentHash: id(hash),
      ...(errorCode === undefined ? {} : { errorCode: id(errorCode) }),
    })),
  };
}
