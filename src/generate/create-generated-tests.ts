/**
 * Starts the one creation of the current generation's selected proposals. A Create for a generation
 * whose creation exists (running, done or stopped part-way) attaches to it instead: its tests are
 * never made twice, whether the second call comes from a reloaded panel or arrives at the same moment.
 */
import type { CreateGeneratedTestsInput, CreationDto } from '../api';
import { AppError } from '../errors';
import { RESOLVER_LEASE_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { itemsFor } from './create-tests';
import { takeCreationLease } from './creation-lease';
import { authorizeCaller, carryCreationForward, creationBeingStarted } from './panel-creation';
import { GenerationStore } from './store';
import { toCreationDto } from './to-dto';

/** Creations of more tests than this run in the queue consumer. */
export const QUEUE_THRESHOLD = 20;

export async function createGeneratedTests(
  platform: Platform,
  caller: IssueRef,
  input: CreateGeneratedTestsInput,
): Promise<CreationDto> {
  const store = new GenerationStore(platform.kvs);
  const { generation, proposals } = await store.generationWithProposals(caller.project.id, caller.issue.id);
  if (!generation || generation.status !== 'succeeded') {
    throw new AppError('VALIDATION', { message: 'There are no proposals to create yet.' });
  }
  if (generation.creation) return toCreationDto(generation.creation);
  const fieldErrors: Record<string, string> = {};
  input.selections.forEach((selection, index) => {
    const proposal = proposals.find((candidate) => candidate.id === selection.id);
    if (!proposal) fieldErrors[`selections.${index}`] = 'No such proposal.';
    else if (proposal.problems.length > 0)
      fieldErrors[`selections.${index}`] =
        `“${proposal.title}” cannot be created: ${proposal.problems.join(' ')}`;
  });
  if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });
  const lease = await takeCreationLease(platform, caller.project.id, caller.issue.id, RESOLVER_LEASE_MS);
  if (!('held' in lease)) {
    // Another call is starting this creation right now: show it once it is stored.
    const current = await creationBeingStarted(platform, caller);
    if (current) return toCreationDto(current);
    throw new AppError('VALIDATION', { message: 'These tests are already being created.' });
  }
  try {
    // Read again under the lease: a creation stored meanwhile is the one to show.
    const fresh = await store.generationWithProposals(caller.project.id, caller.issue.id);
    if (fresh.generation?.id !== generation.id) {
      throw new AppError('VALIDATION', { message: 'The proposals changed; review them again.' });
    }
    if (fresh.generation.creation) return toCreationDto(fresh.generation.creation);
    // Everything this creation will write, authorized for the caller before anything is written
    // or queued; the creation keeps the resolved ids, so nobody resolves a key later.
    const authorized = await authorizeCaller(platform, caller, input.destination);
    const queued = input.selections.length > QUEUE_THRESHOLD;
    generation.creation = {
      status: 'running',
      destination: input.destination,
      authorized,
      items: itemsFor(input.selections, proposals),
      organised: {},
      errors: [],
      startedAt: platform.clock.now().toISOString(),
      startedBy: caller.accountId,
      queued,
    };
    await store.put(caller.project.id, caller.issue.id, generation);
    // The consumer takes its own lease: this call only hands the creation over.
    if (queued) await lease.held.release();
    return await carryCreationForward(platform, caller, generation, proposals);
  } finally {
    await lease.held.release();
  }
}
