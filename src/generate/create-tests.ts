/**
 * Creates the selected proposals in Xray, idempotently and resumably. Each test goes through
 * created → linked (coverage link to the requirement) → done (provenance property); its state is
 * saved after every step, so a retry, a second click or another invocation continues where the last
 * one stopped and never creates a test twice. A create whose answer was lost (timeout, 5xx) is found
 * again by its per-test label before anything is re-created. Then the created tests are organised:
 * Test Set, Test Execution (existing or new), Test Plan, folder — all idempotent adds.
 */
import { createHash } from 'node:crypto';
import type { ErrorDto } from '../api';
import { linkIssues, searchIssues, setIssueProperty } from '../clients/jira-writes';
import { failureIn, upstreamFailureIn, type Deadline } from '../clients/upstream';
import { addTests, createTest, createTestExecution, createTestSet } from '../clients/xray/mutations';
import { APP_VERSION } from '../context/gather';
import { AppError, defaultWording, isAppError, toErrorDto } from '../errors';
import type { JiraActor, Platform } from '../platform/ports';
import type { ProjectClients } from '../sync/project-clients';
import { ORIGIN_LABEL } from './proposals';
import type { Creation, CreationItem, StoredGeneration, StoredProposal } from './store';
import { passConsentThrough } from '../platform/forge-errors';
import { generatedAgainst, provenanceCriteriaOf, recordGeneratedMappings } from './record-criteria';

export const PROVENANCE_PROPERTY = 'sqai.provenance';
/**
 * How long after a create whose answer was lost the app trusts a search that does not find it.
 * Jira's search/jql is eventually consistent: "the delay might vary from a few seconds to minutes.
 * The majority of modifications are shown within seconds" (Atlassian, "Search after write with search
 * and reconcile"); the id that `reconcileIssues` needs is what the lost answer held. Until then the
 * item waits (the creation stays `running`); after it, nothing found means nothing was created.
 */
export const SEARCH_SETTLE_MS = 60_000;
/** Stop taking new steps when less than this is left of the invocation's budget. */
const STEP_RESERVE_MS = 4_000;

const shortHash = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12);

/** The label that finds one generated test again (and marks it as SQAI's). */
export const testLabelOf = (generationId: string, proposalId: string) =>
  `sqai-t-${shortHash(generationId, proposalId)}`;
const containerLabelOf = (generationId: string, what: 'set' | 'execution') =>
  `sqai-${what[0] ?? 'x'}-${shortHash(generationId, what)}`;

export interface CreationContext {
  platform: Platform;
  clients: ProjectClients;
  actor: JiraActor;
  project: { id: string; key: string };
  requirement: { id: string; key: string };
  coverageLinkTypeId: string;
  generation: StoredGeneration;
  proposals: StoredProposal[];
  deadline: Deadline;
  /** Saves the creation state (called after every step). */
  save(creation: Creation): Promise<void>;
}

async function findByLabel(
  context: CreationContext,
  label: string,
): Promise<{ id: string; key: string } | undefined> {
  const page = await searchIssues(
    context.platform.jira,
    { jql: `project = ${context.project.key} AND labels = "${label}"`, fields: ['summary'], maxResults: 2 },
    { as: context.actor, deadline: context.deadline },
  );
  const found = page.issues[0];
  return found ? { id: found.id, key: found.key ?? found.id } : undefined;
}

function errorOf(error: unknown): ErrorDto {
  return toErrorDto(error);
}

/** How much longer search may still be missing what the attempt at `attemptedAt` created. */
function settlingForMs(context: CreationContext, attemptedAt: string | undefined): number {
  if (!attemptedAt) return 0;
  const since = context.platform.clock.now().getTime() - Date.parse(attemptedAt);
  return Number.isFinite(since) ? Math.max(0, SEARCH_SETTLE_MS - since) : 0;
}

/**
 * Whether a failed create may still have happened: its answer was lost (no answer, a timeout, a 5xx).
 * A refusal Xray answered (a GraphQL error, a 4xx, a 429) means nothing was created.
 */
function mayHaveHappened(error: unknown): boolean {
  const failure = upstreamFailureIn(error);
  return failure !== undefined && (failure.kind !== 'http' || (failure.status ?? 0) >= 500);
}

/** Runs a create; on a refusal Xray answered, forgets the attempt (there is nothing to look for). */
async function attempt<T>(target: { attempted?: boolean; attemptedAt?: string }, create: () => Promise<T>) {
  try {
    return await create();
  } catch (error) {
    if (!mayHaveHappened(error)) {
      target.attempted = false;
      delete target.attemptedAt;
    }
    throw error;
  }
}

/** An earlier attempt's result may not be searchable yet: look again later rather than create twice. */
class StillIndexing extends Error {
  constructor(readonly waitMs: number) {
    super('waiting for Jira search to show an earlier attempt');
  }
}

/**
 * What an earlier create of `target` (a test, a new Test Set or Execution) made, found by its label;
 * undefined when there was no earlier attempt, or when search had time to show it and does not.
 * Throws StillIndexing while search may not show the attempt yet.
 */
async function earlierAttempt(
  context: CreationContext,
  target: { attempted?: boolean | undefined; attemptedAt?: string | undefined } | undefined,
  label: string,
): Promise<{ id: string; key: string } | undefined> {
  if (!target?.attempted) return undefined;
  const found = await findByLabel(context, label);
  const waitMs = found ? 0 : settlingForMs(context, target.attemptedAt);
  if (waitMs > 0) throw new StillIndexing(waitMs);
  return found;
}

/**
 * Runs a step on an issue the reader knows by its key: a failure says `what` in those words (the
 * Jira client's own words name internal issue ids), keeping the code, remedy and the answer's detail.
 */
async function namingKeys<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    passConsentThrough(error);
    if (!isAppError(error)) throw error;
    // "Failed to link issue 10211 to 10103: Jira Unavailable — …" → "Could not link DEMO-11 to
    // DEMO-1 — Jira answered 503 Service Unavailable." (the clients' one wording of Jira's answer).
    const answer = failureIn('Jira', error);
    throw new AppError(error.code, {
      message: answer ? `${what} — ${answer}.` : `${what}: ${defaultWording(error.code).message}`,
      remedy: error.remedy,
      cause: error,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    });
  }
}

async function advanceItem(context: CreationContext, creation: Creation, item: CreationItem): Promise<void> {
  const proposal = context.proposals.find((candidate) => candidate.id === item.proposalId);
  if (!proposal) {
    item.status = 'failed';
    item.error = errorOf(
      new AppError('VALIDATION', { message: 'This proposal no longer exists; generate again.' }),
    );
    return;
  }
  const label = testLabelOf(context.generation.id, proposal.id);
  const jiraOptions = { as: context.actor, deadline: context.deadline };
  if (item.step === 'none') {
    const existing = await earlierAttempt(context, item, label);
    if (existing) {
      Object.assign(item, { issueId: existing.id, key: existing.key, step: 'created' });
    } else {
      item.attempted = true;
      item.attemptedAt = context.platform.clock.now().toISOString();
      await context.save(creation);
      const createdTest = await attempt(item, () =>
        createTest(context.clients.xray, {
          projectKey: context.project.key,
          summary: item.title,
          testTypeName: proposal.testType,
          kind:
            proposal.kind === 'Gherkin'
              ? 'Gherkin'
              : proposal.kind === 'Unstructured'
                ? 'Unstructured'
                : 'Steps',
          ...(proposal.steps ? { steps: proposal.steps } : {}),
          ...(proposal.gherkin !== undefined ? { gherkin: proposal.gherkin } : {}),
          ...(proposal.definition !== undefined ? { definition: proposal.definition } : {}),
          labels: [...new Set([ORIGIN_LABEL, label, ...proposal.labels])],
          priority: proposal.priority,
          ...(creation.destination.folder ? { folderPath: creation.destination.folder } : {}),
        }),
      );
      Object.assign(item, { issueId: createdTest.issueId, key: createdTest.key, step: 'created' });
    }
    await context.save(creation);
  }
  if (item.step === 'created' && item.issueId) {
    const issueId = item.issueId;
    await namingKeys(`Could not link ${item.key ?? 'the test'} to ${context.requirement.key}`, () =>
      linkIssues(
        context.platform.jira,
        {
          typeId: context.coverageLinkTypeId,
          inwardIssueId: issueId,
          outwardIssueId: context.requirement.id,
        },
        jiraOptions,
      ),
    );
    item.step = 'linked';
    await context.save(creation);
  }
  if (item.step === 'linked' && item.issueId) {
    // The provenance is the app's own record on a test the app's Xray key created (its reporter is
    // not the user, so a user allowed to create but not to edit others' issues could not write it).
    const issueId = item.issueId;
    const provenanceCriteria = await provenanceCriteriaOf(
      context.platform,
      context.generation,
      context.requirement.id,
      proposal.criterionIds,
    );
    await namingKeys(`Could not record where ${item.key ?? 'the test'} came from`, () =>
      setIssueProperty(
        context.platform.jira,
        issueId,
        PROVENANCE_PROPERTY,
        {
          source: 'SQAI Suite',
          generationId: context.generation.id,
          generatedTestId: proposal.id,
          // The requirement's criteria this test proves (issue 18; read back by the criterion state).
          ...(proposal.criterionIds && proposal.criterionIds.length > 0
            ? { criterionIds: proposal.criterionIds }
            : {}),
          // Issue 19: the wording (hash) of each of those criteria it was generated against.
          ...(provenanceCriteria ? { criteria: provenanceCriteria } : {}),
          requirement: context.requirement,
          contentHash: context.generation.contentHash,
          createdAt: context.platform.clock.now().toISOString(),
          createdBy: creation.startedBy,
          appVersion: APP_VERSION,
        },
        { as: 'app', deadline: context.deadline },
      ),
    );
    item.step = 'done';
    item.status = 'created';
    delete item.error;
    await context.save(creation);
  }
}

/**
 * The id `authorizeCreation` resolved (as the user who asked) for a chosen existing issue. A
 * creation never resolves a key itself: the queue worker acts as the app, which sees everything.
 */
function authorizedIdOf(creation: Creation, which: 'testSet' | 'testExecution' | 'testPlan'): string {
  const granted = creation.authorized?.[which];
  if (!granted) {
    throw new AppError('FORBIDDEN', {
      message: 'Forbidden — this destination was not authorized for the person who asked.',
      remedy: 'Press “Finish creating” to authorize it as yourself.',
    });
  }
  return granted.issueId;
}

/**
 * Adds the created tests to their destinations; each step is idempotent and recorded. Answers how
 * long to wait before a new container's earlier attempt can be looked up (0: nothing waits).
 */
async function organise(context: CreationContext, creation: Creation): Promise<number> {
  const testIds = creation.items.flatMap((item) =>
    item.status === 'created' && item.issueId ? [item.issueId] : [],
  );
  if (testIds.length === 0) return 0;
  const { destination, organised } = creation;
  const summaryOf = (choice: { summary: string }) =>
    choice.summary.trim() || `${context.requirement.key} — SQAI generated tests`;
  let waitMs = 0;
  const run = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      passConsentThrough(error);
      if (error instanceof StillIndexing) {
        waitMs = Math.max(waitMs, error.waitMs);
        return;
      }
      creation.errors.push(errorOf(error));
      context.platform.log.warn('Organising generated tests failed', { what, code: errorOf(error).code });
    }
    await context.save(creation);
  };

  for (const which of ['testSet', 'testExecution'] as const) {
    const choice = destination[which];
    if (!choice) continue;
    const typeName = which === 'testSet' ? 'Test Set' : 'Test Execution';
    const adder = which === 'testSet' ? 'addTestsToTestSet' : 'addTestsToTestExecution';
    await run(typeName, async () => {
      let entry = organised[which];
      if (choice.mode === 'existing') {
        const issueId = entry?.issueId ?? authorizedIdOf(creation, which);
        entry = { key: choice.key.toUpperCase(), issueId, created: false, done: false };
        organised[which] = entry;
      } else if (!entry?.issueId) {
        const label = containerLabelOf(context.generation.id, which === 'testSet' ? 'set' : 'execution');
        const found = await earlierAttempt(context, entry, label);
        if (found) {
          entry = { key: found.key, issueId: found.id, created: true, done: false };
        } else {
          organised[which] = {
            created: true,
            attempted: true,
            attemptedAt: context.platform.clock.now().toISOString(),
            done: false,
          };
          await context.save(creation);
          const input = {
            projectKey: context.project.key,
            summary: summaryOf(choice),
            labels: [ORIGIN_LABEL, label],
            testIssueIds: testIds,
          };
          const attempted = organised[which] ?? {};
          const made = await attempt(attempted, () =>
            which === 'testSet'
              ? createTestSet(context.clients.xray, input)
              : createTestExecution(context.clients.xray, input),
          );
          entry = { key: made.key, issueId: made.issueId, created: true, done: true };
        }
        organised[which] = entry;
      }
      if (entry.issueId) {
        await addTests(context.clients.xray, adder, entry.issueId, testIds, `${typeName} ${entry.key ?? ''}`);
        entry.done = true;
      }
    });
  }

  const plan = destination.testPlan;
  if (plan) {
    await run('Test Plan', async () => {
      const issueId = organised.testPlan?.issueId ?? authorizedIdOf(creation, 'testPlan');
      organised.testPlan = { key: plan.key.toUpperCase(), issueId, created: false, done: false };
      await addTests(context.clients.xray, 'addTestsToTestPlan', issueId, testIds, `Test Plan ${plan.key}`);
      organised.testPlan.done = true;
    });
  }
  // The folder was given to createTest itself (folderPath), so every test is already in it.
  if (destination.folder) organised.folder = { path: destination.folder, done: true };
  return waitMs;
}

/**
 * Runs (or resumes) a creation until it is finished or the budget runs low. Items are worked in
 * order; one item's failure does not stop the others.
 */
export async function runCreation(context: CreationContext, creation: Creation): Promise<Creation> {
  creation.status = 'running';
  creation.errors = [];
  delete creation.resumeAfter;
  let waitMs = 0;
  for (const item of creation.items) {
    if (item.status === 'created') continue;
    if (context.deadline.remainingMs() < STEP_RESERVE_MS) return creation;
    try {
      await advanceItem(context, creation, item);
    } catch (error) {
      passConsentThrough(error);
      if (error instanceof StillIndexing) {
        item.status = 'pending';
        waitMs = Math.max(waitMs, error.waitMs);
        continue;
      }
      item.status = 'failed';
      item.error = errorOf(error);
      await context.save(creation);
    }
  }
  if (context.deadline.remainingMs() < STEP_RESERVE_MS) return creation;
  if (waitMs === 0) waitMs = await organise(context, creation);
  if (waitMs > 0) {
    // Still running: look again once search can show the earlier attempts.
    creation.resumeAfter = new Date(context.platform.clock.now().getTime() + waitMs).toISOString();
    await context.save(creation);
    return creation;
  }
  // Issue 18: the criteria each created test proves, as `generated` mappings (best effort).
  await recordGeneratedMappings(
    context.platform,
    { project: context.project, issue: context.requirement },
    creation.items.flatMap((item) => {
      const proposal = context.proposals.find((candidate) => candidate.id === item.proposalId);
      if (item.status !== 'created' || !item.issueId || !item.key || !proposal?.criterionIds) return [];
      const criteria = generatedAgainst(context.generation, proposal.criterionIds);
      return [
        {
          issueId: item.issueId,
          key: item.key,
          criterionIds: proposal.criterionIds,
          ...(criteria ? { criteria } : {}),
        },
      ];
    }),
    context.deadline,
  );
  const failed = creation.items.some((item) => item.status !== 'created') || creation.errors.length > 0;
  creation.status = failed ? 'partial' : 'done';
  creation.finishedAt = context.platform.clock.now().toISOString();
  await context.save(creation);
  return creation;
}

/** Items of a new creation (or a retry: failed items go back to pending; created ones stay). */
export function itemsFor(
  selections: { id: string; title?: string }[],
  proposals: StoredProposal[],
  previous: CreationItem[] = [],
): CreationItem[] {
  return selections.map((selection) => {
    const proposal = proposals.find((candidate) => candidate.id === selection.id);
    const before = previous.find((item) => item.proposalId === selection.id);
    if (before?.status === 'created') return before;
    return {
      proposalId: selection.id,
      title: (selection.title ?? proposal?.title ?? '').trim() || (proposal?.title ?? 'Generated test'),
      status: 'pending',
      step: before?.step ?? 'none',
      attempted: before?.attempted ?? false,
      ...(before?.attemptedAt ? { attemptedAt: before.attemptedAt } : {}),
      ...(before?.issueId ? { issueId: before.issueId } : {}),
      ...(before?.key ? { key: before.key } : {}),
    };
  });
}
