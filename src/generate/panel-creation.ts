/**
 * What a panel call's Create and Continue share: authorizing the caller for a creation's writes,
 * waiting briefly for a creation another call is starting, and carrying the creation forward —
 * here, within the panel's budget, or by handing it to the queue consumer when it is large.
 */
import type { CreateGeneratedTestsInput, CreationDto } from '../api';
import { authorizeCreation, type AuthorizedCreation } from '../access/authorize';
import { Deadline } from '../clients/upstream';
import { AppError } from '../errors';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef, RequirementRef } from '../sync/issue-ref';
import { loadProjectClients } from '../sync/project-clients';
import { captureAfterCreation } from './after-creation';
import { runCreation } from './create-tests';
import { creationContextFor } from './creation-context';
import { leaseKey } from './creation-lease';
import { queueCreation } from './creation-queue';
import { GenerationStore, type Creation, type StoredGeneration, type StoredProposal } from './store';
import { toCreationDto } from './to-dto';

/** Everything a creation to `destination` will write, authorized for the caller. */
export function authorizeCaller(
  platform: Platform,
  caller: IssueRef,
  destination: CreateGeneratedTestsInput['destination'],
): Promise<AuthorizedCreation> {
  return authorizeCreation(
    platform,
    { accountId: caller.accountId, project: caller.project, requirement: caller.issue },
    destination,
    new Deadline(PANEL_BUDGET_MS),
  );
}

/**
 * The stored creation; when there is none yet but another call holds the lease (it stores its
 * creation a few storage calls later), waits up to a second for it. Undefined when nobody is
 * starting one.
 */
export async function creationBeingStarted(
  platform: Platform,
  requirement: Pick<RequirementRef, 'project' | 'issue'>,
): Promise<Creation | undefined> {
  const store = new GenerationStore(platform.kvs);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    // The proposals are read too, as before: the reads pace this wait (the clock may be warped).
    const creation = (await store.generationWithProposals(requirement.project.id, requirement.issue.id))
      .generation?.creation;
    if (creation) return creation;
    if ((await platform.kvs.get(leaseKey(requirement.project.id, requirement.issue.id))) === undefined)
      return undefined;
    await platform.clock.sleep(100);
  }
  return undefined;
}

/** Runs the generation's stored creation in this call, or queues it when it is a queued one. */
export async function carryCreationForward(
  platform: Platform,
  caller: IssueRef,
  generation: StoredGeneration,
  proposals: StoredProposal[],
): Promise<CreationDto> {
  const creation = generation.creation;
  if (!creation) throw new AppError('INTERNAL');
  if (creation.queued) {
    creation.status = 'running';
    await new GenerationStore(platform.kvs).put(caller.project.id, caller.issue.id, generation);
    await queueCreation(platform, caller, {});
    return toCreationDto(creation);
  }
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const context = await creationContextFor(platform, {
    requirement: caller,
    clients,
    generation,
    proposals,
    deadline,
    as: 'user',
  });
  const result = await runCreation(context, creation);
  // The tests now cover the requirement: its context as it is now is the one they made.
  await captureAfterCreation(platform, caller, clients, generation, deadline, 'user');
  return toCreationDto(result);
}
