/**
 * The generation as the calling user may see it: a proposal resembling a test hidden from them
 * (stored when someone else, or the app, reviewed it) says so without naming it.
 */
import type { GenerationDto } from '../api';
import { visibleTo } from '../access/authorize';
import type { Deadline } from '../clients/upstream';
import type { Platform } from '../platform/ports';
import type { StoredGeneration, StoredProposal } from './store';
import { toGenerationDto } from './to-dto';

export async function generationShownTo(
  platform: Platform,
  generation: StoredGeneration,
  proposals: StoredProposal[],
  deadline: Deadline,
): Promise<GenerationDto> {
  const ids = proposals.flatMap((proposal) =>
    proposal.duplicateOf?.issueId ? [proposal.duplicateOf.issueId] : [],
  );
  const canSee = await visibleTo(platform, 'user', ids, deadline);
  return toGenerationDto(generation, proposals, canSee);
}
