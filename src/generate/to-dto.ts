/**
 * The generated-tests DTOs the panel receives (src/api.ts) from what is stored (./store.ts): pure
 * mapping, nothing read or written. A proposal resembling a test the caller cannot open says so
 * without naming it (`canSee`). Errors are stored as the project admin reads them; `generationFor`
 * and `creationFor` word them for whoever reads the answer (`errorFor`).
 */
import type { CreationDto, CreationItemDto, ErrorDto, GenerationDto, ProposalDto } from '../api';
import type { StoredErrors } from '../access/reader';
import { errorFor, type Reader } from '../errors';
import type { Creation, CreationItem, StoredGeneration, StoredProposal } from './store';
import { toUpdateProposalDto } from '../living/to-dto';
import type { UpdateItem } from '../living/update-store';

/** What a reviewer who cannot open the resembled test is told instead of its key and summary. */
export const hiddenDuplicateWarning = (similarity: number) =>
  `Resembles an existing test you cannot open (similarity ${Math.round(similarity * 100)}%); it is not selected unless you tick it.`;

export function toProposalDto(
  proposal: StoredProposal,
  creation: Creation | undefined,
  canSee: (issueId: string) => boolean = () => true,
): ProposalDto {
  const item = creation?.items.find(
    (candidate) => candidate.proposalId === proposal.id && candidate.status === 'created',
  );
  const { duplicateOf, warnings, ...rest } = proposal;
  const hidden = duplicateOf?.issueId !== undefined && !canSee(duplicateOf.issueId);
  const shownWarnings = [
    ...(warnings ?? []),
    ...(hidden ? [hiddenDuplicateWarning(duplicateOf.similarity)] : []),
  ];
  return {
    ...rest,
    ...(duplicateOf && !hidden
      ? {
          duplicateOf: {
            key: duplicateOf.key,
            summary: duplicateOf.summary,
            similarity: duplicateOf.similarity,
          },
        }
      : {}),
    ...(shownWarnings.length > 0 ? { warnings: shownWarnings } : {}),
    ...(item?.issueId && item.key ? { created: { id: item.issueId, key: item.key } } : {}),
  };
}

/** A failed item whose test was made but not linked to the requirement says so (Retry failed links it). */
function itemStatusOf(item: CreationItem): CreationItemDto['status'] {
  return item.status === 'failed' && item.step === 'created' ? 'notLinked' : item.status;
}

export function toCreationDto(creation: Creation): CreationDto {
  const { organised } = creation;
  return {
    status: creation.status,
    destination: creation.destination,
    items: creation.items.map((item) => ({
      proposalId: item.proposalId,
      title: item.title,
      status: itemStatusOf(item),
      // A test that exists is named by its key, whatever failed after it was made.
      ...(item.key && (item.status === 'created' || item.step !== 'none') ? { key: item.key } : {}),
      ...(item.error ? { error: item.error } : {}),
    })),
    organised: {
      ...(organised.testSet?.key && organised.testSet.done
        ? { testSet: { key: organised.testSet.key, created: organised.testSet.created } }
        : {}),
      ...(organised.testExecution?.key && organised.testExecution.done
        ? { testExecution: { key: organised.testExecution.key, created: organised.testExecution.created } }
        : {}),
      ...(organised.testPlan?.done ? { testPlan: { key: organised.testPlan.key } } : {}),
      ...(organised.folder?.done ? { folder: organised.folder.path } : {}),
    },
    errors: creation.errors,
    startedAt: creation.startedAt,
    ...(creation.finishedAt ? { finishedAt: creation.finishedAt } : {}),
    queued: creation.queued,
  };
}

export function toGenerationDto(
  generation: StoredGeneration,
  proposals: StoredProposal[],
  canSee?: (issueId: string) => boolean,
  updates: readonly UpdateItem[] = [],
): GenerationDto {
  // A stale test's key, content and SQAI's words about it are for those who may see that test.
  const shownUpdates = updates.filter((item) => canSee?.(item.testIssueId) ?? false);
  return {
    id: generation.id,
    status: generation.status,
    requestedAt: generation.requestedAt,
    requestedBy: generation.requestedBy,
    contentHash: generation.contentHash,
    ...(generation.previousContentHash ? { previousContentHash: generation.previousContentHash } : {}),
    testTypes: generation.testTypes,
    maxTests: generation.maxTests,
    ...(generation.instructions ? { instructions: generation.instructions } : {}),
    ...(generation.error ? { error: generation.error } : {}),
    proposals: proposals.map((proposal) => toProposalDto(proposal, generation.creation, canSee)),
    rejected: generation.rejected,
    ...(generation.creation ? { creation: toCreationDto(generation.creation) } : {}),
    ...(generation.mode === 'updates'
      ? { mode: 'updates' as const, updates: shownUpdates.map(toUpdateProposalDto) }
      : {}),
  };
}

/** The stored errors a creation's answer carries: its items' and its organising steps'. */
export function errorsInCreation(creation: CreationDto): ErrorDto[] {
  return [...creation.items.flatMap((item) => (item.error ? [item.error] : [])), ...creation.errors];
}

/** The creation as `reader` reads it: each stored error's remedy worded for them. */
export function creationFor(creation: CreationDto, reader: Reader): CreationDto {
  return {
    ...creation,
    items: creation.items.map((item) =>
      item.error ? { ...item, error: errorFor(item.error, reader) } : item,
    ),
    errors: creation.errors.map((error) => errorFor(error, reader)),
  };
}

/** The stored errors a generation's answer carries: its own and its creation's. */
export function errorsInGeneration(generation: GenerationDto): ErrorDto[] {
  return [
    ...(generation.error ? [generation.error] : []),
    ...(generation.creation ? errorsInCreation(generation.creation) : []),
    ...(generation.updates ?? []).flatMap((update) => (update.error ? [update.error] : [])),
  ];
}

/** The generation as `reader` reads it: each stored error's remedy worded for them. */
export function generationFor(generation: GenerationDto, reader: Reader): GenerationDto {
  return {
    ...generation,
    ...(generation.error ? { error: errorFor(generation.error, reader) } : {}),
    ...(generation.creation ? { creation: creationFor(generation.creation, reader) } : {}),
    ...(generation.updates
      ? {
          updates: generation.updates.map((update) =>
            update.error ? { ...update, error: errorFor(update.error, reader) } : update,
          ),
        }
      : {}),
  };
}

/** How answers carrying a generation or a creation word their stored errors (`answeredTo`). */
export const STORED_IN_GENERATION: StoredErrors<GenerationDto> = {
  errorsIn: errorsInGeneration,
  wordedFor: generationFor,
};
export const STORED_IN_CREATION: StoredErrors<CreationDto> = {
  errorsIn: errorsInCreation,
  wordedFor: creationFor,
};
