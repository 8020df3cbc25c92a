/**
 * Asks SQAI for tests for the caller's issue: makes sure SQAI holds the issue's current context
 * (one sync, as the caller), then requests a generation and stores it as pending. One start per
 * issue at a time, a few generations in flight per user (./generation-pacing.ts).
 */
import type { GenerationDto, StartGenerationInput } from '../api';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GenerationRequest, TestTypeRef } from '../clients/sqai-schemas';
import { Deadline } from '../clients/upstream';
import { canonicalJson } from '../context/content-hash';
import type { ContextDocument } from '../context/schema';
import { AppError } from '../errors';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { loadProjectClients, type ProjectClients } from '../sync/project-clients';
import { syncAsCaller } from '../sync/sync-issue';
import {
  holdIssueForStart,
  refuseSilentReplacement,
  refuseWhileInFlight,
  releaseUserSlot,
  takeUserSlot,
} from './generation-pacing';
import { bodyOf } from './proposals';
import { GenerationStore, type StoredGeneration, type StoredProposal } from './store';
import { generationShownTo, updateItemsOf } from './shown-to';
import { refuseReplacingUpdates } from '../living/replace-guard';
import { UpdateStore, type UpdateItem } from '../living/update-store';
import { criterionWordingHash } from '../living/baselines';
import { readCriteriaRecord } from '../criteria/document-criteria';

/**
 * An update-mode ask (issue 19, src/living/propose-updates.ts): the request's `updates` body and the
 * per-test items to store with the generation. Worked out after the start's sync, from what it read.
 */
export interface UpdateAsk {
  build(
    document: ContextDocument,
    testTypes: readonly { name: string; kind: string }[],
  ): Promise<{
    updates: NonNullable<GenerationRequest['updates']>;
    items: UpdateItem[];
    testTypes: TestTypeRef[];
    maxTests: number;
  }>;
}

export async function startGeneration(
  platform: Platform,
  caller: IssueRef,
  input: StartGenerationInput,
  update?: UpdateAsk,
): Promise<GenerationDto> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const issueHold = await holdIssueForStart(platform, caller.project.id, caller.issue);
  try {
    return await startHeld(platform, { caller, input, clients, deadline, ...(update ? { update } : {}) });
  } finally {
    await issueHold.release();
  }
}

interface Start {
  caller: IssueRef;
  input: StartGenerationInput;
  clients: ProjectClients;
  deadline: Deadline;
  update?: UpdateAsk;
}

/** Under the issue's start hold: refuses what pacing forbids, then asks with a user slot held. */
async function startHeld(platform: Platform, start: Start): Promise<GenerationDto> {
  const { caller, input } = start;
  const { generation: previous, proposals: previousProposals } = await new GenerationStore(
    platform.kvs,
  ).generationWithProposals(caller.project.id, caller.issue.id);
  if (previous?.creation?.status === 'running') {
    throw new AppError('VALIDATION', {
      message: 'Tests from the last generation are still being created; wait for them to finish.',
    });
  }
  refuseWhileInFlight(previous, caller.accountId, platform.clock.now());
  refuseSilentReplacement(previous, caller.accountId, input.replace === true);
  if (previous?.mode === 'updates') {
    refuseReplacingUpdates(
      previous,
      await updateItemsOf(platform, previous),
      caller.accountId,
      input.replace === true,
    );
  }
  const userSlot = await takeUserSlot(platform, caller.accountId, caller.issue.key);
  try {
    return await askSqai(platform, start, { previous, previousProposals, userSlot });
  } catch (error) {
    await releaseUserSlot(platform, caller.accountId, userSlot);
    throw error;
  }
}

async function askSqai(
  platform: Platform,
  { caller, input, clients, deadline, update }: Start,
  held: {
    previous: StoredGeneration | null;
    previousProposals: StoredProposal[];
    userSlot: StoredGeneration['userSlot'];
  },
): Promise<GenerationDto> {
  const { previous, previousProposals, userSlot } = held;
  const store = new GenerationStore(platform.kvs);
  const synced = await syncAsCaller(platform, clients, caller, {
    deadline,
    // The test types exist only in Xray: check them before anything is sent.
    check: ({ testTypes, document }) => {
      const fieldErrors: Record<string, string> = {};
      const known = testTypes.map((type) => type.name.toLowerCase());
      const unknown = input.testTypes.filter((name) => !known.includes(name.toLowerCase()));
      if (unknown.length > 0) fieldErrors.testTypes = `This project has no test type ${unknown.join(', ')}.`;
      // A focused generation (issue 18): only criteria the requirement has now.
      const focusError = unknownFocus(input.criterionIds, document, caller.issue.key);
      if (focusError) fieldErrors.criterionIds = focusError;
      if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });
    },
  });
  const { document } = synced;
  const asked = update ? await update.build(document, synced.testTypes) : undefined;
  const previousContentHash =
    previous && previous.contentHash !== document.contentHash ? previous.contentHash : undefined;
  const request: GenerationRequest = {
    cloudId: caller.cloudId,
    issueId: caller.issue.id,
    issueKey: caller.issue.key,
    contentHash: document.contentHash,
    ...(previousContentHash ? { previousContentHash } : {}),
    // By the project's name for each type, with its kind: the shape SQAI must give the test.
    testTypes:
      asked?.testTypes ??
      input.testTypes.map((name) => {
        const type = synced.testTypes.find((known) => known.name.toLowerCase() === name.toLowerCase());
        return { name: type?.name ?? name, kind: kindOf(type?.kind) };
      }),
    maxTests: asked?.maxTests ?? input.maxTests,
    ...(input.instructions ? { instructions: input.instructions } : {}),
    ...(input.criterionIds && input.criterionIds.length > 0 ? { criterionIds: [...input.criterionIds] } : {}),
    ...(asked ? { mode: 'updates' as const, updates: asked.updates } : {}),
  };
  // What the criteria said when SQAI was asked (issue 19), from the stored record: the document's
  // texts are redacted (issue 20), the wording a test is later compared with is not.
  const record = await readCriteriaRecord(platform.kvs, platform.log, caller.issue.id);
  const inDocument = new Set((document.requirement.criteria ?? []).map((criterion) => criterion.id));
  const wordings = Object.fromEntries(
    (record?.criteria ?? [])
      .filter((criterion) => inDocument.has(criterion.id))
      .map((criterion) => [criterion.id, criterionWordingHash(criterion.text)]),
  );
  const keys = new StartKeys(platform);
  const idempotencyKey = await keys.keyFor(caller, request);
  const id = await clients.sqai.createGeneration(request, idempotencyKey);
  await keys.done(caller);
  // Earlier proposals become history for the duplicate check.
  await store.addFingerprints(
    caller.project.id,
    caller.issue.id,
    previousProposals.map((proposal) => ({
      key: `earlier proposal “${proposal.title.slice(0, 60)}”`,
      summary: proposal.title,
      text: bodyOf(proposal),
    })),
  );
  const generation: StoredGeneration = {
    version: 1,
    id,
    status: 'pending',
    project: caller.project,
    issue: caller.issue,
    requestedAt: platform.clock.now().toISOString(),
    requestedBy: caller.accountId,
    contentHash: document.contentHash,
    ...(previousContentHash ? { previousContentHash } : {}),
    testTypes: asked ? asked.testTypes.map((type) => type.name) : input.testTypes,
    maxTests: asked?.maxTests ?? input.maxTests,
    ...(input.instructions ? { instructions: input.instructions } : {}),
    proposalCount: 0,
    rejected: [],
    ...(userSlot ? { userSlot } : {}),
    ...(asked ? { mode: 'updates' as const, updateCount: asked.items.length } : {}),
    ...(Object.keys(wordings).length > 0 ? { criteria: wordings } : {}),
  };
  await store.putProposals(caller.project.id, caller.issue.id, [], previous?.proposalCount ?? 0);
  await new UpdateStore(platform.kvs).replace(
    caller.project.id,
    caller.issue.id,
    asked?.items ?? [],
    previous?.updateCount ?? 0,
  );
  await store.put(caller.project.id, caller.issue.id, generation);
  platform.log.info('Generation requested', {
    projectId: caller.project.id,
    issueKey: caller.issue.key,
    generationId: id,
  });
  return generationShownTo(platform, generation, [], deadline, asked?.items ?? []);
}

/**
 * Why a generation's focus cannot be used (undefined: it can): each id must be one of the
 * requirement's criteria as the document just read lists them.
 */
export function unknownFocus(
  criterionIds: readonly string[] | undefined,
  document: ContextDocument,
  issueKey: string,
): string | undefined {
  if (criterionIds === undefined) return undefined;
  const current = new Set((document.requirement.criteria ?? []).map((criterion) => criterion.id));
  const unknown = criterionIds.filter((id) => !current.has(id));
  if (unknown.length === 0) return undefined;
  return unknown.length === criterionIds.length && current.size === 0
    ? `${issueKey} has no acceptance criteria the app recognises now; generate for the whole requirement.`
    : `${unknown.length === 1 ? 'A chosen criterion is' : `${unknown.length} chosen criteria are`} no longer among ${issueKey}’s acceptance criteria; reload the panel.`;
}

/** Xray's test type kinds; anything else is created as a Steps (manual) test. */
export const kindOf = (kind: string | undefined): TestTypeRef['kind'] =>
  kind === 'Gherkin' || kind === 'Unstructured' ? kind : 'Steps';

/** How long a start's key is reused (SQAI keeps keys 24 hours; a retry comes within minutes). */
const START_KEY_TTL_MS = 60 * 60_000;

const startKeySchema = z.object({ key: z.string(), fingerprint: z.string(), at: z.string() });

/**
 * The Idempotency-Key of `POST /v1/generations` (docs/sqai-contract.md "Idempotency"), stored
 * before the request under `startkey:<projectId>:<issueId>`: a start that timed out or whose answer
 * was lost is retried — by the client's own retries, or by the user pressing Generate again with
 * the same choices — with the same key, so SQAI answers with the generation it already started
 * instead of starting an orphan. Other choices (another body) get a new key; the key goes once the
 * start is recorded.
 */
class StartKeys {
  constructor(private readonly platform: Platform) {}

  private storeKey = (caller: IssueRef) => `startkey:${caller.project.id}:${caller.issue.id}`;

  async keyFor(caller: IssueRef, request: GenerationRequest): Promise<string> {
    const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const stored = startKeySchema.safeParse(await this.platform.kvs.get(this.storeKey(caller)));
    const now = this.platform.clock.now();
    if (
      stored.success &&
      stored.data.fingerprint === fingerprint &&
      now.getTime() - Date.parse(stored.data.at) < START_KEY_TTL_MS
    ) {
      return stored.data.key;
    }
    const key = randomUUID();
    await this.platform.kvs.set(this.storeKey(caller), { key, fingerprint, at: now.toISOString() });
    return key;
  }

  async done(caller: IssueRef): Promise<void> {
    await this.platform.kvs.delete(this.storeKey(caller));
  }
}
