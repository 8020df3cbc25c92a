/** Asks SQAI how the caller's issue's generation is doing; on an answer, records it. */
import type { GenerationDto } from '../api';
import { Deadline } from '../clients/upstream';
import { AppError } from '../errors';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { loadProjectClients } from '../sync/project-clients';
import { acceptGeneration, recordGenerationFailure } from './generation-answer';
import { generationShownTo } from './shown-to';
import { GenerationStore } from './store';

export async function pollGeneration(platform: Platform, caller: IssueRef): Promise<GenerationDto> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const store = new GenerationStore(platform.kvs);
  const { generation, proposals } = await store.generationWithProposals(caller.project.id, caller.issue.id);
  if (!generation)
    throw new AppError('VALIDATION', { message: 'Nothing has been generated for this issue yet.' });
  if (generation.status === 'succeeded' || generation.status === 'failed')
    return generationShownTo(platform, generation, proposals, deadline);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const remote = await clients.sqai.getGeneration(generation.id, caller.issue.key);
  if (remote.status === 'pending' || remote.status === 'running') {
    generation.status = remote.status;
    await store.put(caller.project.id, caller.issue.id, generation);
    return generationShownTo(platform, generation, [], deadline);
  }
  if (remote.status === 'failed') {
    // SQAI's reason is upstream text: redacted like a signed delivery's, so a token SQAI echoes
    // back, in any form, is neither stored nor shown.
    return recordGenerationFailure(platform, {
      projectId: caller.project.id,
      issueId: caller.issue.id,
      generation,
      reason: remote.error ?? 'no reason given',
      sqai: clients.sqai,
    });
  }
  return acceptGeneration(platform, {
    requirement: caller,
    clients,
    generation,
    tests: remote.tests ?? [],
    updates: remote.updates ?? [],
    deadline,
    as: 'user',
  });
}
