/**
 * The queue consumer's part of a big creation: acting as the app, resumed until done. An error
 * outside the per-test steps (settings gone, Xray refusing, a 429 past its retries) either asks for
 * another delivery (`retry`, while `retryFor` allows) or stops the creation as `partial` with the
 * error, so the panel shows it and offers to finish the job: never `running` for good.
 */
import type { CreationDto } from '../api';
import { Deadline } from '../clients/upstream';
import { retryFor } from '../consumers/retry-policy';
import { AppError, toErrorDto } from '../errors';
import { MAX_QUEUE_DELAY_S, MAX_RETRY_AFTER_S } from '../platform/limits';
import type { Platform, RetryRequest } from '../platform/ports';
import type { RequirementRef } from '../sync/issue-ref';
import { loadProjectClients } from '../sync/project-clients';
import { runCreation } from './create-tests';
import { creationContextFor } from './creation-context';
import { takeCreationLease } from './creation-lease';
import { queueCreation } from './creation-queue';
import { GenerationStore, type Creation } from './store';
import { toCreationDto } from './to-dto';

export interface QueuedCreationRun {
  /** How long this invocation may work on it. */
  budgetMs: number;
  /** How many times the queue delivered this event again (0 the first time). */
  retryCount: number;
}

export interface QueuedCreationOutcome {
  creation: CreationDto | null;
  /** Deliver the event again later (the consumer returns the platform's retry answer). */
  retry?: RetryRequest;
}

/** Whole seconds from `ms`, within what Forge allows (1 s to `maxSeconds`). */
const secondsWithin = (ms: number, maxSeconds: number) =>
  Math.min(maxSeconds, Math.max(1, Math.ceil(ms / 1000)));

export async function runQueuedCreation(
  platform: Platform,
  requirement: RequirementRef,
  { budgetMs, retryCount }: QueuedCreationRun,
): Promise<QueuedCreationOutcome> {
  const store = new GenerationStore(platform.kvs);
  const first = (await store.generationWithProposals(requirement.project.id, requirement.issue.id)).generation
    ?.creation;
  if (!first || first.status !== 'running') return { creation: first ? toCreationDto(first) : null };
  const lease = await takeCreationLease(
    platform,
    requirement.project.id,
    requirement.issue.id,
    budgetMs + 60_000,
  );
  if (!('held' in lease)) {
    // A second delivery of this event, or a panel call, is on it: look again when its lease ends.
    return {
      creation: toCreationDto(first),
      retry: { afterSeconds: secondsWithin(lease.busyForMs, MAX_RETRY_AFTER_S), reason: 'retry' },
    };
  }
  try {
    return await runHeld(platform, requirement, { budgetMs, retryCount });
  } finally {
    await lease.held.release();
  }
}

async function runHeld(
  platform: Platform,
  requirement: RequirementRef,
  { budgetMs, retryCount }: QueuedCreationRun,
): Promise<QueuedCreationOutcome> {
  const store = new GenerationStore(platform.kvs);
  const { generation, proposals } = await store.generationWithProposals(
    requirement.project.id,
    requirement.issue.id,
  );
  const creation = generation?.creation;
  if (!generation || !creation || creation.status !== 'running')
    return { creation: creation ? toCreationDto(creation) : null };
  const stop = async (errors: Creation['errors']): Promise<QueuedCreationOutcome> => {
    creation.status = 'partial';
    creation.finishedAt = platform.clock.now().toISOString();
    creation.errors = errors;
    await store.put(requirement.project.id, requirement.issue.id, generation);
    return { creation: toCreationDto(creation) };
  };
  if (!creation.authorized) {
    // Stored before creations recorded who was authorized: the worker (acting as the app) never
    // decides that itself. It stops; the next Continue authorizes its caller.
    return stop([
      toErrorDto(
        new AppError('FORBIDDEN', {
          message: 'Forbidden — this creation was not authorized for the person who started it.',
          remedy: 'Press “Finish creating” to authorize it as yourself.',
        }),
      ),
    ]);
  }
  let result: Creation;
  try {
    const deadline = new Deadline(budgetMs);
    const clients = await loadProjectClients(platform, requirement.project.id, deadline);
    const context = await creationContextFor(platform, {
      requirement,
      clients,
      generation,
      proposals,
      deadline,
      as: 'app',
    });
    result = await runCreation(context, creation);
  } catch (error) {
    const retry = retryFor(error, retryCount);
    platform.log.warn('Background creation interrupted', {
      issueKey: requirement.issue.key,
      code: toErrorDto(error).code,
      retryCount,
      ...(retry ? { retryInSeconds: retry.afterSeconds } : { stopped: true }),
    });
    if (retry) return { creation: toCreationDto(creation), retry };
    // A run starts with no errors (runCreation clears them): this one says why it stopped.
    return stop([toErrorDto(error)]);
  }
  if (result.status === 'running') {
    // Out of time, or waiting for search to show an earlier attempt: continue in a fresh invocation.
    const waitMs = result.resumeAfter ? Date.parse(result.resumeAfter) - platform.clock.now().getTime() : 0;
    await queueCreation(platform, requirement, { delayInSeconds: secondsWithin(waitMs, MAX_QUEUE_DELAY_S) });
  }
  return { creation: toCreationDto(result) };
}
