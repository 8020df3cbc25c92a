/**
 * The requirement's context once a generation's tests are created. The tests cover the
 * requirement, so its context (and hash) changes by them; recording the hash then keeps the tests
 * just created from making the requirement "changed since the last generation", while any later
 * change to it still does.
 */
import type { Deadline } from '../clients/upstream';
import { gatherForUser } from '../context/gather';
import { isAppError } from '../errors';
import type { JiraActor, Platform } from '../platform/ports';
import type { RequirementRef } from '../sync/issue-ref';
import type { ProjectClients } from '../sync/project-clients';
import { GenerationStore, type AfterCreation, type Creation, type StoredGeneration } from './store';

/** Gathering the context again needs about this much of the call's budget. */
const GATHER_RESERVE_MS = 3_000;

/** A creation that will not change by itself any more (done, or stopped with failures). */
export const isFinished = (creation: Creation | undefined): creation is Creation & { finishedAt: string } =>
  creation !== undefined && creation.status !== 'running' && creation.finishedAt !== undefined;

/** Whether `record` is the one for the generation's current finish. */
export const recordsFinish = (record: AfterCreation | null, generation: StoredGeneration): boolean =>
  record !== null &&
  record.generationId === generation.id &&
  record.finishedAt === generation.creation?.finishedAt;

/** Records `contentHash` as the requirement's context after the generation's finished creation. */
export async function recordAfterCreation(
  platform: Platform,
  requirement: Pick<RequirementRef, 'project' | 'issue'>,
  generation: StoredGeneration,
  contentHash: string,
): Promise<void> {
  const creation = generation.creation;
  if (!isFinished(creation)) return;
  await new GenerationStore(platform.kvs).putAfterCreation(requirement.project.id, requirement.issue.id, {
    generationId: generation.id,
    finishedAt: creation.finishedAt,
    contentHash,
  });
}

/**
 * Right after a creation finished: reads the requirement's context again (as `actor`) and records
 * its hash. Best effort — out of budget or on an error it is left to the next panel read.
 */
export async function captureAfterCreation(
  platform: Platform,
  requirement: RequirementRef,
  clients: ProjectClients,
  generation: StoredGeneration,
  deadline: Deadline,
  actor: JiraActor,
): Promise<void> {
  if (!isFinished(generation.creation) || deadline.remainingMs() < GATHER_RESERVE_MS) return;
  try {
    const { document } = await gatherForUser(platform, requirement, clients, deadline, actor);
    await recordAfterCreation(platform, requirement, generation, document.contentHash);
  } catch (error) {
    platform.log.warn('Reading the context after creating tests failed', {
      issueKey: requirement.issue.key,
      code: isAppError(error) ? error.code : 'UNKNOWN',
    });
  }
}
