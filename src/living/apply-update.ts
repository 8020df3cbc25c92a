/**
 * Applies one accepted test update in Xray, safely, idempotently and resumably (issue 19, "Applied
 * safely" and "Must hold"; docs/living-tests.md):
 *   read the test → reconcile with the base and target (./apply-plan.ts) → write the ops chunk by
 *   chunk (progress reported after each, so the caller can save it) → read back and verify.
 * - A conflict (a person changed the test since the proposal) writes nothing.
 * - A lost answer or a refused write is never repeated blindly: the test is read again and the plan
 *   reconciled, so a step that was added is not added again.
 * - Near the deadline it stops with `incomplete`; calling again later resumes from what Xray holds.
 * One apply of a test at a time: the caller holds the generation's lease (two concurrent applies of
 * the same test could both add the same missing step).
 */
import type { TestContentDto } from '../api';
import { AppError } from '../errors';
import type { XrayClient } from '../clients/xray/client';
import { readTestContents, type CurrentTest } from '../clients/xray/test-content';
import { chunksOf, writeOps } from '../clients/xray/test-updates';
import type { Deadline } from '../clients/upstream';
import { reconcileUpdate, type Reconciliation } from './apply-plan';
import type { ContentBase } from './content-hash';

export interface ApplyItem {
  issueId: string;
  key: string;
  /** What SQAI was shown, as hashes (`baseOf(before)`). */
  base: ContentBase;
  /** The accepted content (SQAI's proposal or the reviewer's edit of it). */
  target: TestContentDto;
}

export interface ApplyOptions {
  deadline: Deadline;
  /** After each chunk Xray confirmed (await it to save progress before the next one). */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Time kept for one more write and the read back (default: 2 s, or 2.5 × the slowest request). */
  reserveMs?: number;
}

export interface ApplyOutcome {
  outcome: 'applied' | 'conflict' | 'incomplete';
  done: number;
  total: number;
  detail?: string;
  /** Xray requests this call made (reads and writes). */
  requests: number;
}

/** Failed writes tolerated in one call (each followed by a read and a new plan). */
const MAX_WRITE_FAILURES = 3;
const DEFAULT_RESERVE_MS = 2_000;

export async function applyTestUpdate(
  xray: XrayClient,
  item: ApplyItem,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  let requests = 0;
  let slowestMs = 0;
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    requests += 1;
    try {
      return await work();
    } finally {
      slowestMs = Math.max(slowestMs, Date.now() - started);
    }
  };
  const reserve = () => Math.max(options.reserveMs ?? DEFAULT_RESERVE_MS, 2.5 * slowestMs);
  const read = async (): Promise<CurrentTest | undefined> =>
    (await timed(() => readTestContents(xray, [item.issueId], options.deadline))).get(item.issueId);
  const reconcile = (current: CurrentTest | undefined): Reconciliation =>
    current
      ? reconcileUpdate(item.base, item.target, current)
      : { state: 'conflict', detail: 'The test is no longer in Xray.', done: 0, total: 0 };
  const outcome = (
    state: ApplyOutcome['outcome'],
    plan: { done: number; total: number },
    detail?: string,
  ): ApplyOutcome => ({
    outcome: state,
    done: plan.done,
    total: plan.total,
    ...(detail ? { detail } : {}),
    requests,
  });

  let plan = reconcile(await read());
  let failures = 0;
  let verified = 0;
  for (;;) {
    if (plan.state === 'done') return outcome('applied', plan);
    if (plan.state === 'conflict') return outcome('conflict', plan, plan.detail);
    let { done } = plan;
    const { total } = plan;
    let failed = false;
    for (const chunk of chunksOf(plan.ops)) {
      if (options.deadline.remainingMs() < reserve()) {
        return outcome('incomplete', { done, total }, 'Stopped before the time ran out; it resumes later.');
      }
      try {
        await timed(() => writeOps(xray, item, chunk));
      } catch (error) {
        // What took effect is unknown (a lost answer, a refused op): read and reconcile, never resend.
        if (!(error instanceof AppError) || error.code !== 'XRAY_API_ERROR') throw error;
        failures += 1;
        if (failures > MAX_WRITE_FAILURES) throw error;
        failed = true;
        break;
      }
      done += chunk.length;
      await options.onProgress?.(done, total);
    }
    if (options.deadline.remainingMs() < reserve() / 2) {
      return outcome('incomplete', { done, total }, 'Stopped before the time ran out; it resumes later.');
    }
    plan = reconcile(await read());
    if (!failed && plan.state === 'pending') {
      // Every write was confirmed, yet Xray does not show the target: try once more, then say so.
      verified += 1;
      if (verified > 1) {
        return outcome(
          'conflict',
          plan,
          'Xray does not show the update after it was written; the test needs a look in Xray.',
        );
      }
    }
  }
}
