/**
 * What one run of a creation (./create-tests.ts `runCreation`) works with: the project's clients,
 * Xray's coverage link type, the generation and a save that stores the creation after every step.
 */
import type { Deadline } from '../clients/upstream';
import { getXrayProjectSettings } from '../clients/xray/project-settings';
import { AppError } from '../errors';
import type { JiraActor, Platform } from '../platform/ports';
import type { RequirementRef } from '../sync/issue-ref';
import type { ProjectClients } from '../sync/project-clients';
import type { CreationContext } from './create-tests';
import { GenerationStore, type StoredGeneration, type StoredProposal } from './store';

export interface CreationRun {
  requirement: RequirementRef;
  clients: ProjectClients;
  generation: StoredGeneration;
  proposals: StoredProposal[];
  deadline: Deadline;
  /** The user of a panel call, or the app in the queue consumer. */
  as: JiraActor;
}

export async function creationContextFor(platform: Platform, run: CreationRun): Promise<CreationContext> {
  const { requirement, clients, generation, proposals, deadline, as } = run;
  const store = new GenerationStore(platform.kvs);
  const coverageLinkTypeId = await coverageLinkTypeOf(requirement.project.id, clients);
  return {
    platform,
    clients,
    actor: as,
    project: requirement.project,
    requirement: requirement.issue,
    coverageLinkTypeId,
    generation,
    proposals,
    deadline,
    save: async (creation) => {
      generation.creation = creation;
      await store.put(requirement.project.id, requirement.issue.id, generation);
    },
  };
}

/** Xray's coverage link type for the project (discovered at run time, never assumed). */
export async function coverageLinkTypeOf(projectId: string, clients: ProjectClients): Promise<string> {
  const settings = await getXrayProjectSettings(clients.xray, projectId);
  if (!settings?.coverageLinkTypeId) {
    throw new AppError('XRAY_API_ERROR', {
      message: 'Xray API Error — the project has no test coverage link type configured in Xray.',
    });
  }
  return settings.coverageLinkTypeId;
}
