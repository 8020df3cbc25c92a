/**
 * The generate panel as the calling user opens it: the project's test types, the issue's stored
 * generation, the caller's saved review of it, the destinations its tests could go to, and whether
 * the issue changed since — not counting the tests the generation itself created. The generation's
 * stored errors are worded for the caller (`reader`): a tester reads whom to ask, naming the project
 * lead when Jira says (read only when such an error is shown: src/access/reader.ts).
 */
import type { GenerationDto, GenerationPanelDto } from '../api';
import { readerNamingLead } from '../access/reader';
import { Deadline } from '../clients/upstream';
import type { Reader } from '../errors';
import { gatherForUser } from '../context/gather';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { loadProjectClients } from '../sync/project-clients';
import { isFinished, recordAfterCreation, recordsFinish } from './after-creation';
import { generationShownTo } from './shown-to';
import { GenerationStore, type AfterCreation, type StoredGeneration } from './store';
import { errorsInGeneration, generationFor } from './to-dto';

export async function getGenerationPanel(
  platform: Platform,
  caller: IssueRef,
  reader: Reader,
): Promise<GenerationPanelDto> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const store = new GenerationStore(platform.kvs);
  const [gathered, { generation, proposals }, afterCreation, savedReview] = await Promise.all([
    gatherForUser(platform, caller, clients, deadline),
    store.generationWithProposals(caller.project.id, caller.issue.id),
    store.afterCreation(caller.project.id, caller.issue.id),
    store.review(caller.project.id, caller.issue.id, caller.accountId),
  ]);
  const { document } = gathered;
  // The caller's review counts only for the generation it was made for (a newer one starts afresh).
  const reviewEdits =
    generation?.status === 'succeeded' && savedReview?.generationId === generation.id ? savedReview : null;
  return {
    testTypes: gathered.testTypes,
    generation: generation
      ? await generationReadBy(
          platform,
          caller,
          reader,
          await generationShownTo(platform, generation, proposals, deadline),
          deadline,
        )
      : null,
    knownDestinations: {
      testSets: document.xray.testSets.map(({ key, summary }) => ({ key, summary })),
      testExecutions: document.xray.testExecutions.map(({ key, summary }) => ({ key, summary })),
      testPlans: document.xray.testPlans.map(({ key, summary }) => ({ key, summary })),
    },
    contextChanged:
      generation !== null &&
      (await changedSince(platform, caller, generation, afterCreation, document.contentHash)),
    reviewEdits,
  };
}

/**
 * Whether the requirement's context (`contentHash`) differs from the one the generation was asked
 * for and from the one recorded once its tests were created. A finished creation with no record
 * of its own (the background worker's, or one whose call ran out of time) records what this read
 * sees: the first panel read after it.
 */
async function changedSince(
  platform: Platform,
  caller: IssueRef,
  generation: StoredGeneration,
  afterCreation: AfterCreation | null,
  contentHash: string,
): Promise<boolean> {
  if (contentHash === generation.contentHash) return false;
  if (recordsFinish(afterCreation, generation)) return contentHash !== afterCreation?.contentHash;
  if (!isFinished(generation.creation)) return true;
  await recordAfterCreation(platform, caller, generation, contentHash);
  return false;
}

/** The generation with its stored errors worded for `reader` (the lead read only if one needs it). */
async function generationReadBy(
  platform: Platform,
  caller: IssueRef,
  reader: Reader,
  generation: GenerationDto,
  deadline: Deadline,
): Promise<GenerationDto> {
  const named = await readerNamingLead(platform, caller, reader, errorsInGeneration(generation), deadline);
  return generationFor(generation, named);
}
