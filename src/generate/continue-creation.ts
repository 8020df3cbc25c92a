/**
 * Continues (or retries the failed part of) the caller's issue's stored creation; while another
 * call or the consumer is working on it, answers its progress instead.
 */
import type { CreationDto } from '../api';
import { AppError } from '../errors';
import { RESOLVER_LEASE_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { itemsFor } from './create-tests';
import { takeCreationLease } from './creation-lease';
import { authorizeCaller, carryCreationForward, creationBeingStarted } from './panel-creation';
import { GenerationStore } from './store';
import { toCreationDto } from './to-dto';

export async function continueCreation(platform: Platform, caller: IssueRef): Promise<CreationDto> {
  const first = await creationBeingStarted(platform, caller);
  if (!first) throw new AppError('VALIDATION', { message: 'Nothing is being created.' });
  if (first.status === 'done') return toCreationDto(first);
  if (first.queued && first.status === 'running') return toCreationDto(first); // the consumer is on it
  // Whoever continues is authorized for what is left, as whoever started was.
  const authorized = await authorizeCaller(platform, caller, first.destination);
  const lease = await takeCreationLease(platform, caller.project.id, caller.issue.id, RESOLVER_LEASE_MS);
  if (!('held' in lease)) return toCreationDto(first);
  try {
    const { generation, proposals } = await new GenerationStore(platform.kvs).generationWithProposals(
      caller.project.id,
      caller.issue.id,
    );
    const creation = generation?.creation;
    if (!generation || !creation) throw new AppError('VALIDATION', { message: 'Nothing is being created.' });
    if (creation.status === 'done') return toCreationDto(creation);
    creation.authorized = authorized;
    creation.items = itemsFor(
      creation.items.map((item) => ({ id: item.proposalId, title: item.title })),
      proposals,
      creation.items,
    );
    if (creation.queued) await lease.held.release();
    return await carryCreationForward(platform, caller, generation, proposals);
  } finally {
    await lease.held.release();
  }
}
