/**
 * The plan of an accepted update, reconciled against what Xray holds now (issue 19, "Applied safely";
 * docs/living-tests.md). Pure: the same base, target and current content always give the same answer.
 *
 * Steps are planned by position, because Xray can update a step in place (by its id), append one
 * (`addTestStep` adds at the end) and remove one (by its id), but cannot move one:
 *   - for i < min(|base|, |target|), a row that differs is updated in place (the current step's id);
 *   - target rows beyond |base| are added at the end, in order;
 *   - base rows beyond |target| are removed.
 * Reconciling makes the plan safe to run again after any prefix of it was applied and any answer lost:
 *   - each current row i < min must be its base row (still to update) or its target row (done);
 *   - the rows after that must be a prefix of the rows to add (those added so far — so none is ever
 *     added twice), or the surplus base rows not yet removed, in their order;
 *   - anything else means a person edited, added, removed or reordered a step since the proposal: a
 *     conflict, and nothing is written (a person's edit is never overwritten).
 * Gherkin and unstructured definitions: current = base → one update; = target → done; else conflict.
 *
 * Indistinguishable cases are treated as ours: a person who made exactly the change the update makes
 * (edited a row to its target wording, removed a row the update removes) is not told apart — the end
 * content is the target either way, and nothing they wrote is lost.
 */
import type { TestContentDto } from '../api';
import type { CurrentStep, CurrentTest } from '../clients/xray/test-content';
import { stepRowHash, textHash, textOf, type ContentBase } from './content-hash';

export interface TargetStep {
  action: string;
  data: string;
  result: string;
}

/** `position`: the 0-based row the op is about (in the current test for update/remove, the target for add). */
export type StepOp =
  | { op: 'update'; position: number; stepId: string; step: TargetStep }
  | { op: 'add'; position: number; step: TargetStep }
  | { op: 'remove'; position: number; stepId: string };

export type TextOp = { op: 'gherkin'; text: string } | { op: 'unstructured'; text: string };

export type ApplyOp = StepOp | TextOp;

/**
 * `total`: the ops of the whole plan (from the base); `done`: how many of them Xray already shows.
 */
export type Reconciliation =
  | { state: 'done'; done: number; total: number }
  | { state: 'conflict'; detail: string; done: number; total: number }
  | { state: 'pending'; ops: ApplyOp[]; done: number; total: number };

const KIND_WORDS: Record<TestContentDto['kind'], string> = {
  Steps: 'steps',
  Gherkin: 'Gherkin',
  Unstructured: 'unstructured (generic)',
};

const targetStep = (step: { action: string; data: string | null; result: string | null }): TargetStep => ({
  action: step.action,
  data: step.data ?? '',
  result: step.result ?? '',
});

const rowOf = (step: CurrentStep) => stepRowHash(step);

function conflict(detail: string, total: number): Reconciliation {
  return { state: 'conflict', detail, done: 0, total };
}

function reconcileText(base: ContentBase, target: TestContentDto, current: CurrentTest): Reconciliation {
  const targetText = textOf(target) ?? '';
  const now = textHash(current.kind === 'Gherkin' ? current.gherkin : current.definition);
  const wanted = textHash(targetText);
  const total = base.text === wanted ? 0 : 1;
  if (now === wanted) return { state: 'done', done: total, total };
  if (now !== base.text) {
    const what = current.kind === 'Gherkin' ? 'Gherkin scenario' : 'definition';
    return conflict(`The ${what} was edited in Xray since the proposal.`, total);
  }
  const op: TextOp =
    current.kind === 'Gherkin'
      ? { op: 'gherkin', text: targetText }
      : { op: 'unstructured', text: targetText };
  return { state: 'pending', ops: [op], done: 0, total };
}

/** A human account of why row `i` (0-based) is neither its base row nor its target row. */
function rowConflict(i: number, row: string, base: string[], target: string[]): string {
  const elsewhere = base.findIndex((each, j) => j !== i && each === row);
  if (elsewhere >= 0) {
    return `Step ${i + 1} in Xray is step ${elsewhere + 1} of the proposal: steps were added, removed or reordered in Xray since the proposal.`;
  }
  const asTarget = target.findIndex((each, j) => j !== i && each === row);
  if (asTarget >= 0) {
    return `Step ${i + 1} in Xray is not where the update puts it: steps were added, removed or reordered in Xray since the proposal.`;
  }
  return `Step ${i + 1} was edited in Xray since the proposal.`;
}

function reconcileSteps(base: ContentBase, target: TestContentDto, current: CurrentTest): Reconciliation {
  const baseRows = base.rows ?? [];
  const targetSteps = (target.steps ?? []).map(targetStep);
  const targetRows = targetSteps.map((step) => stepRowHash(step));
  const currentRows = current.steps.map(rowOf);
  const common = Math.min(baseRows.length, targetRows.length);
  const changed = baseRows.slice(0, common).filter((row, i) => row !== targetRows[i]).length;
  const adds = Math.max(0, targetRows.length - baseRows.length);
  const surplus = Math.max(0, baseRows.length - targetRows.length);
  const total = changed + adds + surplus;

  const calling = current.steps.findIndex((step) => step.callTestIssueId !== undefined);
  if (calling >= 0) {
    return conflict(
      `Step ${calling + 1} calls another test in Xray; the app does not change tests with call-test steps.`,
      total,
    );
  }
  if (currentRows.length < common) {
    return conflict(
      `Steps were removed in Xray since the proposal (the test has ${currentRows.length} steps, the proposal was made on ${baseRows.length}).`,
      total,
    );
  }

  const updates: StepOp[] = [];
  let done = 0;
  for (let i = 0; i < common; i += 1) {
    const row = currentRows[i];
    const step = current.steps[i];
    const wanted = targetSteps[i];
    if (row === undefined || step === undefined || wanted === undefined) continue;
    if (row === targetRows[i]) {
      if (baseRows[i] !== targetRows[i]) done += 1;
    } else if (row === baseRows[i]) {
      updates.push({ op: 'update', position: i, stepId: step.id, step: wanted });
    } else {
      return conflict(rowConflict(i, row, baseRows, targetRows), total);
    }
  }

  const tail = currentRows.slice(common);
  const tailOps: StepOp[] = [];
  if (targetRows.length >= baseRows.length) {
    // Rows after the base's end: the ones added so far, in order — a prefix of the rows to add.
    const toAdd = targetRows.slice(common);
    if (tail.length > toAdd.length) {
      return conflict(
        `Step ${common + toAdd.length + 1} was added in Xray since the proposal (the test has ${currentRows.length} steps; the update makes ${targetRows.length}).`,
        total,
      );
    }
    const mismatch = tail.findIndex((row, j) => row !== toAdd[j]);
    if (mismatch >= 0) {
      return conflict(`Step ${common + mismatch + 1} was added or edited in Xray since the proposal.`, total);
    }
    done += tail.length;
    for (let j = tail.length; j < toAdd.length; j += 1) {
      const step = targetSteps[common + j];
      if (step) tailOps.push({ op: 'add', position: common + j, step });
    }
  } else {
    // Rows after the target's end: the surplus base rows not removed yet, in their order.
    const surplusRows = baseRows.slice(common);
    let next = 0;
    for (let j = 0; j < tail.length; j += 1) {
      const row = tail[j];
      while (next < surplusRows.length && surplusRows[next] !== row) next += 1;
      const step = current.steps[common + j];
      if (next >= surplusRows.length || step === undefined) {
        return conflict(
          `Step ${common + j + 1} was added, edited or moved in Xray since the proposal.`,
          total,
        );
      }
      next += 1;
      tailOps.push({ op: 'remove', position: common + j, stepId: step.id });
    }
    done += surplusRows.length - tail.length;
  }

  const ops = [...updates, ...tailOps];
  if (ops.length === 0) return { state: 'done', done: total, total };
  return { state: 'pending', ops, done, total };
}

/**
 * Where an accepted update stands against the test's current content: done, a conflict (with why, in
 * words a reviewer understands), or the ops still to write.
 */
export function reconcileUpdate(
  base: ContentBase,
  target: TestContentDto,
  current: CurrentTest,
): Reconciliation {
  if (target.kind !== base.kind) {
    return conflict(
      `The update is a ${KIND_WORDS[target.kind]} definition but the proposal was made on a ${KIND_WORDS[base.kind]} test.`,
      0,
    );
  }
  if (current.kind !== base.kind) {
    return conflict(
      `The test’s type was changed in Xray since the proposal (it is now a ${KIND_WORDS[current.kind]} test).`,
      0,
    );
  }
  return base.kind === 'Steps' ? reconcileSteps(base, target, current) : reconcileText(base, target, current);
}

/** The row hashes of a content's steps, in order. */
export function rowsOf(content: TestContentDto): string[] {
  return (content.steps ?? []).map((step) => stepRowHash(step));
}
