/**
 * What SQAI answered for a generation, recorded — whether a panel poll or a signed delivery brought
 * it: the reviewed proposals of a finished generation, or why it failed. Either way the requester's
 * generation slot is released (they may ask for another).
 */
import type { GenerationDto } from '../api';
import type { SqaiClient } from '../clients/sqai';
import { parseGeneratedTests } from '../clients/sqai-schemas';
import type { Deadline } from '../clients/upstream';
import { byteSize } from '../context/content-hash';
import { gatherForUser } from '../context/gather';
import type { ContextDocument } from '../context/schema';
import { AppError, toErrorDto } from '../errors';
import { KVS_MAX_VALUE_BYTES } from '../platform/limits';
import type { JiraActor, Platform } from '../platform/ports';
import type { RequirementRef } from '../sync/issue-ref';
import type { ProjectClients } from '../sync/project-clients';
import { releaseUserSlot } from './generation-pacing';
import { bodyOf, DUPLICATE_CHECK_BUDGET_MS, reviewProposals } from './proposals';
import { GenerationStore, type Fingerprint, type StoredGeneration, type StoredProposal } from './store';
import { toGenerationDto } from './to-dto';
import { generationShownTo } from './shown-to';
import { recordUpdateAnswers } from '../living/accept-updates';

/** What the proposals of one generation may weigh together (a resolver answer is capped at 500 KB). */
export const REVIEW_BYTES = 400 * 1024;

const knownOf = (document: ContextDocument): Fingerprint[] =>
  document.xray.tests.map((test) => ({
    key: test.key,
    summary: test.summary,
    text: bodyOf(test),
    issueId: test.id,
  }));

/** SQAI has answered: the requester may ask for another generation. */
async function releaseSlot(platform: Platform, generation: StoredGeneration): Promise<void> {
  await releaseUserSlot(platform, generation.requestedBy, generation.userSlot);
  delete generation.userSlot;
}

export interface AcceptedGeneration {
  /** The issue the generation is for (its context is read again to review the proposals). */
  requirement: RequirementRef;
  clients: ProjectClients;
  generation: StoredGeneration;
  /** SQAI's tests, unchecked: each is parsed, and rejected with its reason when invalid. */
  tests: unknown[];
  /** An update-mode generation's per-test answers (issue 19), unchecked. */
  updates?: unknown[];
  deadline: Deadline;
  /** Who reads the issue's context: the polling user, or the app for a delivery. */
  as: JiraActor;
}

/** Reviews a finished generation's tests and stores them as its proposals. */
export async function acceptGeneration(
  platform: Platform,
  { requirement, clients, generation, tests, updates, deadline, as }: AcceptedGeneration,
): Promise<GenerationDto> {
  const store = new GenerationStore(platform.kvs);
  const parsed = parseGeneratedTests(tests);
  const gathered = await gatherForUser(platform, requirement, clients, deadline, as);
  const history = await store.fingerprints(requirement.project.id, requirement.issue.id);
  const reviewed = reviewProposals({
    tests: parsed.valid,
    projectTestTypes: gathered.testTypes,
    known: [...knownOf(gathered.document), ...history],
    criterionIds: (gathered.document.requirement.criteria ?? []).map((criterion) => criterion.id),
    // The check stops in time for the rest of this call (storage, the answer) to fit.
    duplicateCheckMs: Math.min(DUPLICATE_CHECK_BUDGET_MS, Math.max(0, deadline.remainingMs() - 5_000)),
  });
  // Each proposal is one key-value store value. SQAI_LIMITS count characters, so a test at its
  // limits in multi-byte text can outgrow a value: it is rejected whole, never written in part.
  // All proposals together must also fit one resolver answer (Forge: 500 KB) with the panel around
  // them: those beyond REVIEW_BYTES are left out, each with the reason.
  const proposals: StoredProposal[] = [];
  const tooLarge: { id: string; reason: string }[] = [];
  let reviewBytes = 0;
  for (const proposal of reviewed) {
    const bytes = byteSize(proposal);
    if (bytes > KVS_MAX_VALUE_BYTES) {
      tooLarge.push({
        id: proposal.id,
        reason: `test: too large to store (${Math.ceil(bytes / 1024)} KiB; at most ${KVS_MAX_VALUE_BYTES / 1024} KiB)`,
      });
    } else if (reviewBytes + bytes > REVIEW_BYTES) {
      tooLarge.push({
        id: proposal.id,
        reason: `test: left out — the proposals together exceed ${REVIEW_BYTES / 1024} KiB, more than the panel can show at once; generate fewer tests`,
      });
    } else {
      reviewBytes += bytes;
      proposals.push(proposal);
    }
  }
  const answered =
    generation.mode === 'updates'
      ? await recordUpdateAnswers(platform.kvs, generation, updates ?? [])
      : undefined;
  const previousCount = generation.proposalCount;
  await releaseSlot(platform, generation);
  generation.status = 'succeeded';
  generation.proposalCount = proposals.length;
  generation.rejected = [
    ...parsed.invalid.map(({ id, reason }) => ({ ...(id ? { id } : {}), reason })),
    ...tooLarge,
    ...(answered?.refused ?? []),
  ];
  delete generation.error;
  await store.putProposals(requirement.project.id, requirement.issue.id, proposals, previousCount);
  await store.put(requirement.project.id, requirement.issue.id, generation);
  return as === 'user'
    ? generationShownTo(platform, generation, proposals, deadline, answered?.items ?? [])
    : toGenerationDto(generation, proposals);
}

export interface FailedGeneration {
  /** Where the generation is stored. */
  projectId: string;
  issueId: string;
  generation: StoredGeneration;
  /** SQAI's text: upstream, so redacted before it is cut, stored or shown. */
  reason: string;
  /** The project's SQAI client, which knows the project's token (`SqaiClient.redact`). */
  sqai: Pick<SqaiClient, 'redact'>;
}

/** Records that SQAI could not generate. */
export async function recordGenerationFailure(
  platform: Platform,
  { projectId, issueId, generation, reason, sqai }: FailedGeneration,
): Promise<GenerationDto> {
  await releaseSlot(platform, generation);
  generation.status = 'failed';
  generation.error = toErrorDto(
    new AppError('SQAI_REJECTED', {
      message: `SQAI could not generate tests: ${sqai.redact(reason).slice(0, 300)}`,
    }),
  );
  await new GenerationStore(platform.kvs).put(projectId, issueId, generation);
  return toGenerationDto(generation, []);
}
