/**
 * The generated-tests use cases behind the issue panel: show the generation, ask SQAI for tests,
 * poll it, and create the chosen tests in Xray (in the resolver when small, through the queue when
 * large). Reads act as the calling user.
 */
import type {
  CreateGeneratedTestsInput,
  CreationDto,
  GenerationDto,
  GenerationPanelDto,
  ProposalDto,
  StartGenerationInput,
} from '../api';
import { authorizeCreation, visibleTo, type AuthorizedCreation } from '../access/authorize';
import type { SqaiClient } from '../clients/sqai';
import { parseGeneratedTests } from '../clients/sqai-schemas';
import { getXrayProjectSettings } from '../clients/xray/project-settings';
import { Deadline } from '../clients/upstream';
import { gatherForUser, type GatheredContext } from '../context/gather';
import { byteSize } from '../context/content-hash';
import type { ContextDocument } from '../context/schema';
import { AppError, toErrorDto } from '../errors';
import type { Platform, RetryRequest } from '../platform/ports';
import { retryFor } from '../consumers/retry-policy';
import type { IssueRef } from '../sync/issue-panel-service';
import { loadProjectClients, type ProjectClients } from '../sync/project-clients';
import { syncIssue } from '../sync/sync-issue';
import { leaseKey, takeCreationLease } from './creation-lease';
import {
  holdIssueForStart,
  refuseSilentReplacement,
  refuseWhileInFlight,
  releaseUserSlot,
  takeUserSlot,
} from './generation-pacing';
import { itemsFor, runCreation, type CreationContext } from './create-tests';
import { bodyOf, DUPLICATE_CHECK_BUDGET_MS, reviewProposals } from './proposals';
import {
  GenerationStore,
  KVS_VALUE_BYTES,
  type Creation,
  type Fingerprint,
  type StoredGeneration,
  type StoredProposal,
} from './store';

/** What the proposals of one generation may weigh together (a resolver answer is capped at 500 KB). */
export const REVIEW_BYTES = 400 * 1024;

export const PANEL_BUDGET_MS = 20_000;
/** A panel call holds a creation's lease at most this long: past Forge's 25 s it is surely ended. */
const PANEL_LEASE_MS = 30_000;
/** Creations of more tests than this run in the queue consumer. */
export const QUEUE_THRESHOLD = 20;
export const GENERATION_QUEUE = 'sqai-generation';

const knownOf = (document: ContextDocument): Fingerprint[] =>
  document.xray.tests.map((test) => ({
    key: test.key,
    summary: test.summary,
    text: bodyOf(test),
    issueId: test.id,
  }));

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

export function toCreationDto(creation: Creation): CreationDto {
  const { organised } = creation;
  return {
    status: creation.status,
    destination: creation.destination,
    items: creation.items.map((item) => ({
      proposalId: item.proposalId,
      title: item.title,
      status: item.status,
      ...(item.key && item.status === 'created' ? { key: item.key } : {}),
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
): GenerationDto {
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
  };
}

export class GenerationService {
  private readonly store: GenerationStore;

  constructor(private readonly platform: Platform) {
    this.store = new GenerationStore(platform.kvs);
  }

  private gather(ref: IssueRef, clients: ProjectClients, deadline: Deadline): Promise<GatheredContext> {
    return gatherForUser(this.platform, ref, clients, deadline);
  }

  private async load(
    ref: IssueRef,
  ): Promise<{ generation: StoredGeneration | null; proposals: StoredProposal[] }> {
    const generation = await this.store.get(ref.project.id, ref.issue.id);
    const proposals = generation
      ? await this.store.proposals(ref.project.id, ref.issue.id, generation.proposalCount)
      : [];
    return { generation, proposals };
  }

  async panel(ref: IssueRef): Promise<GenerationPanelDto> {
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
    const [gathered, { generation, proposals }] = await Promise.all([
      this.gather(ref, clients, deadline),
      this.load(ref),
    ]);
    const { document } = gathered;
    return {
      testTypes: gathered.testTypes,
      generation: generation ? await this.shownTo(generation, proposals, deadline) : null,
      knownDestinations: {
        testSets: document.xray.testSets.map(({ key, summary }) => ({ key, summary })),
        testExecutions: document.xray.testExecutions.map(({ key, summary }) => ({ key, summary })),
        testPlans: document.xray.testPlans.map(({ key, summary }) => ({ key, summary })),
      },
      contextChanged: generation !== null && generation.contentHash !== document.contentHash,
    };
  }

  /** Makes sure SQAI holds the current context, then asks it for tests. */
  async start(ref: IssueRef, input: StartGenerationInput): Promise<GenerationDto> {
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
    const issueHold = await holdIssueForStart(this.platform, ref.project.id, ref.issue);
    try {
      return await this.startHeld(ref, input, clients, deadline);
    } finally {
      await issueHold.release();
    }
  }

  private async startHeld(
    ref: IssueRef,
    input: StartGenerationInput,
    clients: ProjectClients,
    deadline: Deadline,
  ): Promise<GenerationDto> {
    const { generation: previous, proposals: previousProposals } = await this.load(ref);
    if (previous?.creation?.status === 'running') {
      throw new AppError('VALIDATION', {
        message: 'Tests from the last generation are still being created; wait for them to finish.',
      });
    }
    refuseWhileInFlight(previous, ref.accountId, this.platform.clock.now());
    refuseSilentReplacement(previous, ref.accountId, input.replace === true);
    const userSlot = await takeUserSlot(this.platform, ref.accountId, ref.issue.key);
    try {
      return await this.ask(ref, input, clients, deadline, previous, previousProposals, userSlot);
    } catch (error) {
      await releaseUserSlot(this.platform, ref.accountId, userSlot);
      throw error;
    }
  }

  private async ask(
    ref: IssueRef,
    input: StartGenerationInput,
    clients: ProjectClients,
    deadline: Deadline,
    previous: StoredGeneration | null,
    previousProposals: StoredProposal[],
    userSlot: StoredGeneration['userSlot'],
  ): Promise<GenerationDto> {
    const synced = await syncIssue(this.platform, clients, {
      cloudId: ref.cloudId,
      siteUrl: ref.siteUrl,
      project: ref.project,
      issueId: ref.issue.id,
      actor: 'user',
      trigger: 'panel',
      by: ref.accountId,
      deadline,
      // The test types exist only in Xray: check them before anything is sent.
      check: ({ testTypes }) => {
        const known = testTypes.map((type) => type.name.toLowerCase());
        const unknown = input.testTypes.filter((name) => !known.includes(name.toLowerCase()));
        if (unknown.length > 0) {
          throw new AppError('VALIDATION', {
            fieldErrors: { testTypes: `This project has no test type ${unknown.join(', ')}.` },
          });
        }
      },
    });
    const { document } = synced;
    const previousContentHash =
      previous && previous.contentHash !== document.contentHash ? previous.contentHash : undefined;
    const id = await clients.sqai.createGeneration({
      cloudId: ref.cloudId,
      issueId: ref.issue.id,
      issueKey: ref.issue.key,
      contentHash: document.contentHash,
      ...(previousContentHash ? { previousContentHash } : {}),
      testTypes: input.testTypes,
      maxTests: input.maxTests,
      ...(input.instructions ? { instructions: input.instructions } : {}),
    });
    // Earlier proposals become history for the duplicate check.
    await this.store.addFingerprints(
      ref.project.id,
      ref.issue.id,
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
      project: ref.project,
      issue: ref.issue,
      requestedAt: this.platform.clock.now().toISOString(),
      requestedBy: ref.accountId,
      contentHash: document.contentHash,
      ...(previousContentHash ? { previousContentHash } : {}),
      testTypes: input.testTypes,
      maxTests: input.maxTests,
      ...(input.instructions ? { instructions: input.instructions } : {}),
      proposalCount: 0,
      rejected: [],
      ...(userSlot ? { userSlot } : {}),
    };
    await this.store.putProposals(ref.project.id, ref.issue.id, [], previous?.proposalCount ?? 0);
    await this.store.put(ref.project.id, ref.issue.id, generation);
    this.platform.log.info('Generation requested', {
      projectId: ref.project.id,
      issueKey: ref.issue.key,
      generationId: id,
    });
    return toGenerationDto(generation, []);
  }

  /** Asks SQAI how the generation is doing; on success, checks and stores the proposals. */
  async poll(ref: IssueRef): Promise<GenerationDto> {
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const { generation, proposals } = await this.load(ref);
    if (!generation)
      throw new AppError('VALIDATION', { message: 'Nothing has been generated for this issue yet.' });
    if (generation.status === 'succeeded' || generation.status === 'failed')
      return this.shownTo(generation, proposals, deadline);
    const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
    const remote = await clients.sqai.getGeneration(generation.id, ref.issue.key);
    if (remote.status === 'pending' || remote.status === 'running') {
      generation.status = remote.status;
      await this.store.put(ref.project.id, ref.issue.id, generation);
      return toGenerationDto(generation, []);
    }
    if (remote.status === 'failed') {
      // SQAI's reason is upstream text: redacted like a signed delivery's (`fail`), so a token SQAI
      // echoes back, in any form, is neither stored nor shown.
      return this.fail(
        ref.project.id,
        ref.issue.id,
        generation,
        remote.error ?? 'no reason given',
        clients.sqai,
      );
    }
    return this.accept(ref, clients, generation, remote.tests ?? [], deadline);
  }

  /**
   * Records that SQAI could not generate (from a poll or a signed delivery). `reason` is SQAI's text:
   * the project's SQAI client redacts it (`SqaiClient.redact`, which knows the project's token)
   * before it is cut, stored or shown.
   */
  async fail(
    projectId: string,
    issueId: string,
    generation: StoredGeneration,
    reason: string,
    sqai: Pick<SqaiClient, 'redact'>,
  ): Promise<GenerationDto> {
    await this.releaseSlot(generation);
    generation.status = 'failed';
    generation.error = toErrorDto(
      new AppError('SQAI_REJECTED', {
        message: `SQAI could not generate tests: ${sqai.redact(reason).slice(0, 300)}`,
      }),
    );
    await this.store.put(projectId, issueId, generation);
    return toGenerationDto(generation, []);
  }

  /** Stores a finished generation's proposals (from a poll or a signed delivery). */
  async accept(
    ref: Pick<IssueRef, 'project' | 'issue' | 'cloudId' | 'siteUrl'> & { accountId?: string },
    clients: ProjectClients,
    generation: StoredGeneration,
    rawTests: unknown[],
    deadline: Deadline,
    actor: 'user' | 'app' = 'user',
  ): Promise<GenerationDto> {
    const parsed = parseGeneratedTests(rawTests);
    const gathered = await gatherForUser(this.platform, ref, clients, deadline, actor);
    const history = await this.store.fingerprints(ref.project.id, ref.issue.id);
    const reviewed = reviewProposals({
      tests: parsed.valid,
      projectTestTypes: gathered.testTypes,
      known: [...knownOf(gathered.document), ...history],
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
      if (bytes > KVS_VALUE_BYTES) {
        tooLarge.push({
          id: proposal.id,
          reason: `test: too large to store (${Math.ceil(bytes / 1024)} KiB; at most ${KVS_VALUE_BYTES / 1024} KiB)`,
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
    const previousCount = generation.proposalCount;
    await this.releaseSlot(generation);
    generation.status = 'succeeded';
    generation.proposalCount = proposals.length;
    generation.rejected = [
      ...parsed.invalid.map(({ id, reason }) => ({ ...(id ? { id } : {}), reason })),
      ...tooLarge,
    ];
    delete generation.error;
    await this.store.putProposals(ref.project.id, ref.issue.id, proposals, previousCount);
    await this.store.put(ref.project.id, ref.issue.id, generation);
    return toGenerationDto(generation, proposals);
  }

  /**
   * The generation as the calling user may see it: a proposal resembling a test hidden from them
   * (stored when someone else, or the app, reviewed it) says so without naming it.
   */
  private async shownTo(
    generation: StoredGeneration,
    proposals: StoredProposal[],
    deadline: Deadline,
  ): Promise<GenerationDto> {
    const ids = proposals.flatMap((proposal) =>
      proposal.duplicateOf?.issueId ? [proposal.duplicateOf.issueId] : [],
    );
    const canSee = await visibleTo(this.platform, 'user', ids, deadline);
    return toGenerationDto(generation, proposals, canSee);
  }

  /** SQAI has answered: the requester may ask for another generation. */
  private async releaseSlot(generation: StoredGeneration): Promise<void> {
    await releaseUserSlot(this.platform, generation.requestedBy, generation.userSlot);
    delete generation.userSlot;
  }

  /**
   * Starts the one creation of the current generation. A Create for a generation whose creation
   * exists (running, done or stopped part-way) attaches to it instead: its tests are never made
   * twice, whether the second call comes from a reloaded panel or arrives at the same moment.
   */
  async create(ref: IssueRef, input: CreateGeneratedTestsInput): Promise<CreationDto> {
    const { generation, proposals } = await this.load(ref);
    if (!generation || generation.status !== 'succeeded') {
      throw new AppError('VALIDATION', { message: 'There are no proposals to create yet.' });
    }
    if (generation.creation) return toCreationDto(generation.creation);
    const fieldErrors: Record<string, string> = {};
    input.selections.forEach((selection, index) => {
      const proposal = proposals.find((candidate) => candidate.id === selection.id);
      if (!proposal) fieldErrors[`selections.${index}`] = 'No such proposal.';
      else if (proposal.problems.length > 0)
        fieldErrors[`selections.${index}`] =
          `“${proposal.title}” cannot be created: ${proposal.problems.join(' ')}`;
    });
    if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });
    const lease = await takeCreationLease(this.platform, ref.project.id, ref.issue.id, PANEL_LEASE_MS);
    if (!('held' in lease)) {
      // Another call is starting this creation right now: show it once it is stored.
      const current = await this.creationBeingStarted(ref);
      if (current) return toCreationDto(current);
      throw new AppError('VALIDATION', { message: 'These tests are already being created.' });
    }
    try {
      // Read again under the lease: a creation stored meanwhile is the one to show.
      const fresh = await this.load(ref);
      if (fresh.generation?.id !== generation.id) {
        throw new AppError('VALIDATION', { message: 'The proposals changed; review them again.' });
      }
      if (fresh.generation.creation) return toCreationDto(fresh.generation.creation);
      // Everything this creation will write, authorized for the caller before anything is written
      // or queued; the creation keeps the resolved ids, so nobody resolves a key later.
      const authorized = await this.authorize(ref, input.destination);
      const queued = input.selections.length > QUEUE_THRESHOLD;
      generation.creation = {
        status: 'running',
        destination: input.destination,
        authorized,
        items: itemsFor(input.selections, proposals),
        organised: {},
        errors: [],
        startedAt: this.platform.clock.now().toISOString(),
        startedBy: ref.accountId,
        queued,
      };
      await this.store.put(ref.project.id, ref.issue.id, generation);
      // The consumer takes its own lease: this call only hands the creation over.
      if (queued) await lease.held.release();
      return await this.proceed(ref, generation, proposals);
    } finally {
      await lease.held.release();
    }
  }

  /**
   * Continues (or retries the failed part of) the stored creation; while another call or the
   * consumer is working on it, answers its progress instead.
   */
  async continue(ref: IssueRef): Promise<CreationDto> {
    const first = await this.creationBeingStarted(ref);
    if (!first) throw new AppError('VALIDATION', { message: 'Nothing is being created.' });
    if (first.status === 'done') return toCreationDto(first);
    if (first.queued && first.status === 'running') return toCreationDto(first); // the consumer is on it
    // Whoever continues is authorized for what is left, as whoever started was.
    const authorized = await this.authorize(ref, first.destination);
    const lease = await takeCreationLease(this.platform, ref.project.id, ref.issue.id, PANEL_LEASE_MS);
    if (!('held' in lease)) return toCreationDto(first);
    try {
      const { generation, proposals } = await this.load(ref);
      const creation = generation?.creation;
      if (!generation || !creation)
        throw new AppError('VALIDATION', { message: 'Nothing is being created.' });
      if (creation.status === 'done') return toCreationDto(creation);
      creation.authorized = authorized;
      creation.items = itemsFor(
        creation.items.map((item) => ({ id: item.proposalId, title: item.title })),
        proposals,
        creation.items,
      );
      if (creation.queued) await lease.held.release();
      return await this.proceed(ref, generation, proposals);
    } finally {
      await lease.held.release();
    }
  }

  private authorize(
    ref: IssueRef,
    destination: CreateGeneratedTestsInput['destination'],
  ): Promise<AuthorizedCreation> {
    return authorizeCreation(
      this.platform,
      { accountId: ref.accountId, project: ref.project, requirement: ref.issue },
      destination,
      new Deadline(PANEL_BUDGET_MS),
    );
  }

  /**
   * The stored creation; when there is none yet but another call holds the lease (it stores its
   * creation a few storage calls later), waits up to a second for it. Undefined when nobody is
   * starting one.
   */
  private async creationBeingStarted(ref: IssueRef): Promise<Creation | undefined> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const creation = (await this.load(ref)).generation?.creation;
      if (creation) return creation;
      if ((await this.platform.kvs.get(leaseKey(ref.project.id, ref.issue.id))) === undefined)
        return undefined;
      await this.platform.clock.sleep(100);
    }
    return undefined;
  }

  private async proceed(
    ref: IssueRef,
    generation: StoredGeneration,
    proposals: StoredProposal[],
  ): Promise<CreationDto> {
    const creation = generation.creation;
    if (!creation) throw new AppError('INTERNAL');
    if (creation.queued) {
      creation.status = 'running';
      await this.store.put(ref.project.id, ref.issue.id, generation);
      await this.enqueue(ref, {});
      return toCreationDto(creation);
    }
    const deadline = new Deadline(PANEL_BUDGET_MS);
    const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
    const finished = await runCreation(
      await this.creationContext(ref, clients, generation, proposals, deadline, 'user'),
      creation,
    );
    return toCreationDto(finished);
  }

  /** Hands a creation to the queue consumer (one per site at a time: the Xray budget is per site). */
  private async enqueue(
    ref: Omit<IssueRef, 'accountId'>,
    options: { delayInSeconds?: number },
  ): Promise<void> {
    await this.platform.queue.push(GENERATION_QUEUE, [
      {
        body: {
          kind: 'createGeneratedTests',
          cloudId: ref.cloudId,
          siteUrl: ref.siteUrl,
          project: ref.project,
          issue: ref.issue,
        },
        concurrency: { key: `create-${ref.cloudId}`, limit: 1 },
        ...options,
      },
    ]);
  }

  /**
   * The queue consumer's part: a big creation, acting as the app, resumed until done. An error
   * outside the per-test steps (settings gone, Xray refusing, a 429 past its retries) either asks
   * for another delivery (`retry`, while `retryFor` allows) or stops the creation as `partial` with
   * the error, so the panel shows it and offers to finish the job: never `running` for good.
   */
  async runQueued(
    ref: Omit<IssueRef, 'accountId'>,
    budgetMs: number,
    retryCount = 0,
  ): Promise<{ creation: CreationDto | null; retry?: RetryRequest }> {
    const first = (await this.load({ ...ref, accountId: '' })).generation?.creation;
    if (!first || first.status !== 'running') return { creation: first ? toCreationDto(first) : null };
    const lease = await takeCreationLease(this.platform, ref.project.id, ref.issue.id, budgetMs + 60_000);
    if (!('held' in lease)) {
      // A second delivery of this event, or a panel call, is on it: look again when its lease ends.
      return {
        creation: toCreationDto(first),
        retry: {
          afterSeconds: Math.min(900, Math.max(1, Math.ceil(lease.busyForMs / 1000))),
          reason: 'retry',
        },
      };
    }
    try {
      return await this.runQueuedHeld(ref, budgetMs, retryCount);
    } finally {
      await lease.held.release();
    }
  }

  private async runQueuedHeld(
    ref: Omit<IssueRef, 'accountId'>,
    budgetMs: number,
    retryCount: number,
  ): Promise<{ creation: CreationDto | null; retry?: RetryRequest }> {
    const { generation, proposals } = await this.load({ ...ref, accountId: '' });
    const creation = generation?.creation;
    if (!generation || !creation || creation.status !== 'running')
      return { creation: creation ? toCreationDto(creation) : null };
    if (!creation.authorized) {
      // Stored before creations recorded who was authorized: the worker (acting as the app) never
      // decides that itself. It stops; the next Continue authorizes its caller.
      creation.status = 'partial';
      creation.finishedAt = this.platform.clock.now().toISOString();
      creation.errors = [
        toErrorDto(
          new AppError('FORBIDDEN', {
            message: 'Forbidden — this creation was not authorized for the person who started it.',
            remedy: 'Press “Finish creating” to authorize it as yourself.',
          }),
        ),
      ];
      await this.store.put(ref.project.id, ref.issue.id, generation);
      return { creation: toCreationDto(creation) };
    }
    let result: Creation;
    try {
      const deadline = new Deadline(budgetMs);
      const clients = await loadProjectClients(this.platform, ref.project.id, deadline);
      const context = await this.creationContext(
        { ...ref, accountId: creation.startedBy },
        clients,
        generation,
        proposals,
        deadline,
        'app',
      );
      result = await runCreation(context, creation);
    } catch (error) {
      const retry = retryFor(error, retryCount);
      this.platform.log.warn('Background creation interrupted', {
        issueKey: ref.issue.key,
        code: toErrorDto(error).code,
        retryCount,
        ...(retry ? { retryInSeconds: retry.afterSeconds } : { stopped: true }),
      });
      if (retry) return { creation: toCreationDto(creation), retry };
      creation.status = 'partial';
      creation.finishedAt = this.platform.clock.now().toISOString();
      // A run starts with no errors (runCreation clears them): this one says why it stopped.
      creation.errors = [toErrorDto(error)];
      await this.store.put(ref.project.id, ref.issue.id, generation);
      return { creation: toCreationDto(creation) };
    }
    if (result.status === 'running') {
      // Out of time, or waiting for search to show an earlier attempt: continue in a fresh invocation.
      const waitMs = result.resumeAfter
        ? Date.parse(result.resumeAfter) - this.platform.clock.now().getTime()
        : 0;
      await this.enqueue(ref, { delayInSeconds: Math.min(900, Math.max(1, Math.ceil(waitMs / 1000))) });
    }
    return { creation: toCreationDto(result) };
  }

  private async creationContext(
    ref: IssueRef,
    clients: ProjectClients,
    generation: StoredGeneration,
    proposals: StoredProposal[],
    deadline: Deadline,
    actor: 'user' | 'app',
  ): Promise<CreationContext> {
    const coverageLinkTypeId = await this.coverageLinkTypeOf(ref, clients);
    return {
      platform: this.platform,
      clients,
      actor,
      project: ref.project,
      requirement: ref.issue,
      coverageLinkTypeId,
      generation,
      proposals,
      deadline,
      save: async (creation) => {
        generation.creation = creation;
        await this.store.put(ref.project.id, ref.issue.id, generation);
      },
    };
  }

  /** Xray's coverage link type for the project (discovered at run time, never assumed). */
  private async coverageLinkTypeOf(ref: IssueRef, clients: ProjectClients): Promise<string> {
    const settings = await getXrayProjectSettings(clients.xray, ref.project.id);
    if (!settings?.coverageLinkTypeId) {
      throw new AppError('XRAY_API_ERROR', {
        message: 'Xray API Error — the project has no test coverage link type configured in Xray.',
      });
    }
    return settings.coverageLinkTypeId;
  }
}
