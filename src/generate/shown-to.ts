/**
 * The generation as the calling user may see it: a proposal resembling a test hidden from them
 * (stored when someone else, or the app, reviewed it) says so without naming it; of an update-mode
 * generation (issue 19), only the stale tests they may see are listed (one bulk read with the rest).
 */
import type { GenerationDto } from '../api';
import { visibleTo } from '../access/authorize';
import type { Deadline } from '../clients/upstream';
import type { Platform } from '../platform/ports';
import { UpdateStore, type UpdateItem } from '../living/update-store';
import type { StoredGeneration, StoredProposal } from './store';
import { toGenerationDto } from './to-dto';

/** An update-mode generation's items (none for a generation of new tests). */
export async function updateItemsOf(
  platform: Pick<Platform, 'kvs'>,
  generation: StoredGeneration,
): Promise<UpdateItem[]> {
  if (generation.mode !== 'updates') return [];
  return new UpdateStore(platform.kvs).items(
    generation.project.id,
    generation.issue.id,
    generation.updateCount ?? 0,
  );
}

export async function generationShownTo(
  platform: Platform,
  generation: StoredGeneration,
  proposals: StoredProposal[],
  deadline: Deadline,
  updates?: UpdateItem[],
): Promise<GenerationDto> {
  const items = updates ?? (await updateItemsOf(platform, generation));
  const ids = [
    ...proposals.flatMap((proposal) => (proposal.duplicateOf?.issueId ? [proposal.duplicateOf.issueId] : [])),
    ...items.map((item) => item.testIssueId),
  ];
  const canSee = await visibleTo(platform, 'user', ids, deadline);
  return toGenerationDto(generation, proposals, canSee, items);
}
