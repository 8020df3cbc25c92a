/**
 * Decisions on an update-mode generation's proposals (issue 19 items 3–4; docs/living-tests.md
 * "Applying updates"): apply an update (SQAI's, or the reviewer's edit of it), reject it, keep an
 * obsolete test or remove its coverage link (never delete a test), or confirm a test still valid.
 *
 * Safety:
 * - **Who.** The resolver lets only users with Edit issues on the requirement decide; an apply also
 *   needs the caller's Edit issues on each test it writes (one permission read per test), and a
 *   coverage link is removed *as the caller*, so Jira checks their Link issues permission. A test the
 *   caller may not see cannot be named (the same field error as an unknown key).
 * - **Resumable and idempotent.** The decision and its target content are stored before anything is
 *   written (`applying`); the apply reconciles with the test's current content first
 *   (src/living/apply-plan.ts), so a retried, repeated or resumed apply never adds a step twice and a
 *   test a person edited since the proposal is not overwritten (`conflict`). One apply runs per
 *   requirement at a time (a lease); a second caller sees its progress.
 * - **Large tests.** An apply that runs out of the resolver's budget stays `applying` with its
 *   progress, and the answer says `running`: the panel calls again with no decisions to continue.
 *
 * After an apply, a confirm or a keep, the test is marked reviewed against the current wording
 * (src/living/baselines.ts `markTestsReviewed`), so it leaves the stale state everywhere; an applied
 * update is also recorded in the test's `sqai.provenance` (which generation, which criteria changed,
 * who accepted it, when).
 */
import type { DecideTestUpdatesInput, DecideTestUpdatesResult } from '../api';
import { visibleTo } from '../access/authorize';
import { getMyPermissions } from '../clients/jira';
import { deleteIssueLink, getIssueProperty, linksBetween, setIssueProperty } from '../clients/jira-writes';
import { Deadline } from '../clients/upstream';
import { AppError, toErrorDto } from '../errors';
import { coverageLinkTypeOf } from '../generate/creation-context';
import { PROVENANCE_PROPERTY } from '../generate/create-tests';
import { takeLease } from '../generate/lease';
import { GenerationStore, type StoredGeneration } from '../generate/store';
import { PANEL_BUDGET_MS, RESOLVER_LEASE_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { loadProjectClients, type ProjectClients } from '../sync/project-clients';
import { applyTestUpdate } from './apply-update';
import { markTestsReviewed } from './baselines';
import { baseOf } from './content-hash';
import { toUpdateProposalDto } from './to-dto';
import { UpdateStore, type TestContent, type UpdateItem } from './update-store';

type Decision = DecideTestUpdatesInput['decisions'][number];
type Action = Decision['action'];

/** Stop starting new writes when less than this is left of the call's budget. */
const APPLY_RESERVE_MS = 4_000;
/** At most this many past updates are kept in a test's provenance (a property holds ≤ 32 KB). */
export const MAX_PROVENANCE_UPDATES = 20;

const leaseKeyOf = (projectId: string, issueId: string) => `livlock:${projectId}:${issueId}`;

/** Which decisions fit which verdict. */
const ALLOWED: Record<NonNullable<UpdateItem['verdict']>, readonly Action[]> = {
  update: ['apply', 'reject', 'confirm'],
  obsolete: ['keep', 'unlink', 'reject'],
  valid: ['confirm', 'reject'],
};

/** The status a decision ends in (an apply ends in `applied`, or `conflict`). */
const DONE: Record<Exclude<Action, 'apply'>, UpdateItem['status']> = {
  reject: 'rejected',
  keep: 'kept',
  unlink: 'unlinked',
  confirm: 'confirmed',
};

const FINAL = new Set<UpdateItem['status']>(['applied', 'rejected', 'kept', 'unlinked', 'confirmed']);

interface Loaded {
  generation: StoredGeneration;
  items: UpdateItem[];
}

async function load(platform: Platform, caller: IssueRef, generationId: string): Promise<Loaded> {
  const generation = await new GenerationStore(platform.kvs).get(caller.project.id, caller.issue.id);
  if (!generation || generation.id !== generationId || generation.mode !== 'updates') {
    throw new AppError('VALIDATION', {
      fieldErrors: {
        generationId: 'These proposals are no longer the requirement’s latest: reload the panel.',
      },
    });
  }
  if (generation.status !== 'succeeded') {
    throw new AppError('VALIDATION', { message: 'SQAI has not answered yet: wait for its proposals.' });
  }
  const items = await new UpdateStore(platform.kvs).items(
    caller.project.id,
    caller.issue.id,
    generation.updateCount ?? 0,
  );
  return { generation, items };
}

/** The same kind as the test, within Xray's and the store's bounds (a field error otherwise). */
function editedContent(item: UpdateItem, decision: Decision, index: number): TestContent | string {
  const edited = decision.edited;
  if (!edited) return item.after ?? 'SQAI proposed no new content for this test: edit it, or reject.';
  if (edited.kind !== item.before.kind) return `The edit must stay a ${item.before.kind} test.`;
  if (edited.kind === 'Steps') {
    const steps = edited.steps ?? [];
    if (steps.length === 0) return 'A Steps test keeps at least one step.';
    if (steps.some((step) => step.action.trim() === ''))
      return `Step ${steps.findIndex((step) => step.action.trim() === '') + 1} has no action.`;
    return { kind: 'Steps', steps: steps.map(({ action, data, result }) => ({ action, data, result })) };
  }
  if (edited.kind === 'Gherkin') {
    if (!edited.gherkin?.trim()) return 'The Gherkin cannot be empty.';
    return { kind: 'Gherkin', gherkin: edited.gherkin };
  }
  if (!edited.definition?.trim()) return `Decision ${index + 1}: the definition cannot be empty.`;
  return { kind: 'Unstructured', definition: edited.definition };
}

/** Checks every decision before anything is written: field errors name `decisions.<i>`. */
function checkDecisions(
  items: readonly UpdateItem[],
  decisions: readonly Decision[],
  canSee: (issueId: string) => boolean,
  issueKey: string,
): Map<number, { decision: Decision; target?: TestContent }> {
  const fieldErrors: Record<string, string> = {};
  const chosen = new Map<number, { decision: Decision; target?: TestContent }>();
  decisions.forEach((decision, position) => {
    const field = `decisions.${position}`;
    const index = items.findIndex((item) => item.testKey === decision.testKey && canSee(item.testIssueId));
    const item = items[index];
    if (!item) {
      fieldErrors[field] =
        `${decision.testKey} is not among these proposals for ${issueKey}, or you cannot see it.`;
      return;
    }
    if (chosen.has(index)) {
      fieldErrors[field] = `${decision.testKey} is decided twice.`;
      return;
    }
    const verdict = item.verdict ?? 'valid';
    if (!ALLOWED[verdict].includes(decision.action)) {
      fieldErrors[field] =
        `${decision.testKey}: “${decision.action}” does not fit SQAI’s “${verdict}” proposal (choose ${ALLOWED[verdict].join(', ')}).`;
      return;
    }
    if (FINAL.has(item.status)) {
      const same =
        (decision.action === 'apply' && item.status === 'applied') ||
        (decision.action !== 'apply' && DONE[decision.action] === item.status);
      if (!same) fieldErrors[field] = `${decision.testKey} was already decided (${item.status}).`;
      return; // the same decision again: nothing more to do
    }
    if (item.status === 'conflict' && decision.action === 'apply') {
      fieldErrors[field] = `${decision.testKey} changed in Xray since the proposal; propose updates again.`;
      return;
    }
    if (decision.action === 'apply') {
      const target = editedContent(item, decision, position);
      if (typeof target === 'string') {
        fieldErrors[field] = target;
        return;
      }
      chosen.set(index, { decision, target });
      return;
    }
    chosen.set(index, { decision });
  });
  if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });
  return chosen;
}

/** The caller may edit each test an apply writes (FORBIDDEN naming the first one they may not). */
async function requireEditOnTests(
  platform: Platform,
  tests: readonly UpdateItem[],
  deadline: Deadline,
): Promise<void> {
  const held = await Promise.all(
    tests.map((item) =>
      getMyPermissions(
        platform.jira,
        { issueId: item.testIssueId },
        ['BROWSE_PROJECTS', 'EDIT_ISSUES'],
        { as: 'user', deadline },
        item.testKey,
      ),
    ),
  );
  const refused = tests.filter((_, index) => !held[index]?.EDIT_ISSUES);
  if (refused.length > 0) {
    throw new AppError('FORBIDDEN', {
      message: `Forbidden — updating ${refused.map((item) => item.testKey).join(', ')} needs Jira's “Edit Issues” permission on ${refused.length === 1 ? 'it' : 'them'}, which you do not have.`,
      remedy:
        'Ask a Jira admin or the project’s admin to grant you “Edit Issues”, or leave these tests to someone who has it.',
    });
  }
}

interface Run {
  platform: Platform;
  caller: IssueRef;
  generation: StoredGeneration;
  items: UpdateItem[];
  deadline: Deadline;
  clients?: ProjectClients;
}

const save = (run: Run, index: number) => {
  const item = run.items[index];
  return item
    ? new UpdateStore(run.platform.kvs).put(run.caller.project.id, run.caller.issue.id, index, item)
    : Promise.resolve();
};

async function clientsOf(run: Run): Promise<ProjectClients> {
  run.clients ??= await loadProjectClients(run.platform, run.caller.project.id, run.deadline);
  return run.clients;
}

const criterionIdsChanged = (item: UpdateItem) =>
  item.reasons.flatMap((reason) => (reason.kind === 'requirementChanged' ? [] : [reason.criterionId]));

/** Adds the applied update to the test's provenance (as the app: its own record), newest last. */
async function recordInProvenance(run: Run, item: UpdateItem): Promise<void> {
  const options = { as: 'app' as const, deadline: run.deadline };
  const held = await getIssueProperty(
    run.platform.jira,
    item.testIssueId,
    PROVENANCE_PROPERTY,
    options,
    'the origin',
  );
  const provenance =
    typeof held === 'object' && held !== null && !Array.isArray(held)
      ? (held as Record<string, unknown>)
      : { source: 'people' };
  const earlier: unknown[] = Array.isArray(provenance.updates) ? (provenance.updates as unknown[]) : [];
  const entry = {
    generationId: run.generation.id,
    requirement: run.caller.issue,
    criterionIds: criterionIdsChanged(item),
    acceptedBy: item.decidedBy,
    at: run.platform.clock.now().toISOString(),
    edited: item.edited === true,
  };
  await setIssueProperty(
    run.platform.jira,
    item.testIssueId,
    PROVENANCE_PROPERTY,
    { ...provenance, updates: [...earlier, entry].slice(-MAX_PROVENANCE_UPDATES) },
    options,
  );
}

async function reviewed(run: Run, item: UpdateItem, by: 'reviewed' | 'updated'): Promise<void> {
  await markTestsReviewed(run.platform, {
    issueId: run.caller.issue.id,
    projectId: run.caller.project.id,
    testIssueIds: [item.testIssueId],
    by,
    deadline: run.deadline,
  });
}

/** Removes the test's coverage link to the requirement, as the caller. */
async function unlink(run: Run, item: UpdateItem): Promise<void> {
  const clients = await clientsOf(run);
  const typeId = await coverageLinkTypeOf(run.caller.project.id, clients);
  const options = { as: 'user' as const, deadline: run.deadline };
  const links = await linksBetween(run.platform.jira, item.testIssueId, run.caller.issue.id, typeId, options);
  for (const linkId of links) {
    const answer = await deleteIssueLink(run.platform.jira, linkId, options);
    if (answer === 'notFound') {
      const still = await linksBetween(
        run.platform.jira,
        item.testIssueId,
        run.caller.issue.id,
        typeId,
        options,
      );
      if (still.includes(linkId)) {
        throw new AppError('FORBIDDEN', {
          message: `Forbidden — removing ${item.testKey}’s coverage link needs Jira's “Link Issues” permission, which you do not have.`,
          remedy: 'Ask a Jira admin or the project’s admin to grant you “Link Issues” in this project.',
        });
      }
    }
  }
}

/** Carries one item's apply as far as the budget allows. */
async function continueApply(run: Run, index: number): Promise<boolean> {
  const item = run.items[index];
  if (!item?.target) return false;
  const clients = await clientsOf(run);
  const result = await applyTestUpdate(
    clients.xray,
    { issueId: item.testIssueId, key: item.testKey, base: baseOf(item.before), target: item.target },
    {
      deadline: run.deadline,
      onProgress: async (done: number, total: number) => {
        item.progress = { done, total };
        await save(run, index);
      },
    },
  );
  if (result.outcome === 'incomplete') {
    item.progress = { done: result.done, total: result.total };
    await save(run, index);
    return true;
  }
  if (result.outcome === 'conflict') {
    item.status = 'conflict';
    item.detail = result.detail ?? 'The test changed in Xray since the proposal.';
    delete item.progress;
    await save(run, index);
    return false;
  }
  await recordInProvenance(run, item);
  await reviewed(run, item, 'updated');
  item.status = 'applied';
  delete item.progress;
  delete item.error;
  await save(run, index);
  return false;
}

/** Runs `work` for the item; a failure is stored on it (the next decision retries). */
async function guarded(run: Run, index: number, work: () => Promise<boolean>): Promise<boolean> {
  try {
    return await work();
  } catch (error) {
    const item = run.items[index];
    if (!item) return false;
    if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'VALIDATION')) throw error;
    item.error = toErrorDto(error);
    if (item.status !== 'applying') item.status = 'failed';
    await save(run, index);
    return false;
  }
}

async function carryOut(run: Run, index: number, decision: Decision, target?: TestContent): Promise<boolean> {
  const item = run.items[index];
  if (!item) return false;
  item.decidedBy = run.caller.accountId;
  item.decidedAt = run.platform.clock.now().toISOString();
  delete item.error;
  if (decision.action === 'apply' && target) {
    item.status = 'applying';
    item.target = target;
    item.edited = decision.edited !== undefined;
    await save(run, index);
    return guarded(run, index, () => continueApply(run, index));
  }
  return guarded(run, index, async () => {
    if (decision.action === 'unlink') await unlink(run, item);
    if (decision.action === 'confirm' || decision.action === 'keep' || decision.action === 'unlink')
      await reviewed(run, item, 'reviewed');
    item.status = DONE[decision.action as Exclude<Action, 'apply'>];
    await save(run, index);
    return false;
  });
}

export async function decideTestUpdates(
  platform: Platform,
  caller: IssueRef,
  input: DecideTestUpdatesInput,
): Promise<DecideTestUpdatesResult> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const { generation, items } = await load(platform, caller, input.generationId);
  const canSee = await visibleTo(
    platform,
    'user',
    items.map((item) => item.testIssueId),
    deadline,
  );
  const chosen = checkDecisions(items, input.decisions, canSee, caller.issue.key);
  const applies = [...chosen.entries()].filter(([, { decision }]) => decision.action === 'apply');
  await requireEditOnTests(
    platform,
    applies.flatMap(([index]) => (items[index] ? [items[index]] : [])),
    deadline,
  );
  const answer = (running: boolean): DecideTestUpdatesResult => ({
    updates: items.filter((item) => canSee(item.testIssueId)).map(toUpdateProposalDto),
    running,
  });
  const lease = await takeLease(platform, leaseKeyOf(caller.project.id, caller.issue.id), RESOLVER_LEASE_MS, {
    by: caller.accountId,
  });
  if (!('held' in lease)) {
    if (chosen.size > 0) {
      throw new AppError('VALIDATION', {
        message: 'Someone is applying updates to this requirement’s tests right now; try again in a moment.',
      });
    }
    return answer(true);
  }
  try {
    const run: Run = { platform, caller, generation, items, deadline };
    let running = false;
    for (const [index, { decision, target }] of chosen) {
      if (deadline.remainingMs() < APPLY_RESERVE_MS) {
        running = true;
        break;
      }
      running = (await carryOut(run, index, decision, target)) || running;
    }
    // Applies left unfinished (here, or by an earlier call that ran out of time or failed).
    for (const [index, item] of items.entries()) {
      if (item.status !== 'applying' || chosen.has(index)) continue;
      if (deadline.remainingMs() < APPLY_RESERVE_MS) {
        running = true;
        break;
      }
      running = (await guarded(run, index, () => continueApply(run, index))) || running;
    }
    return answer(running || items.some((item) => item.status === 'applying' && !item.error));
  } finally {
    await lease.held.release();
  }
}
