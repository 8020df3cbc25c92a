/**
 * Living tests in the issue panel (issue 19): the words and choices of stale flags and update
 * proposals, kept free of React and Atlaskit so they unit-test in Node
 * (test/unit/static/livingModel.test.ts) — a stale reason in words, what a proposal offers for its
 * verdict and status, the decisions "Apply decisions" sends, and the counts the section shows.
 */
import type {
  DecideTestUpdatesInput,
  GenerationDto,
  StaleReasonDto,
  TestContentDto,
  TestUpdateProposalDto,
  TestUpdateVerdict,
} from '../../../../src/api';
import { plural, type StatusBadge } from '../../../common/src/format';

export type DecisionAction = DecideTestUpdatesInput['decisions'][number]['action'];
export type UpdateStatus = TestUpdateProposalDto['status'];

/** A reviewer's decision on one proposal, before it is sent. */
export interface Decision {
  action: DecisionAction;
  /** `apply` of the reviewer's edit of the proposed content (same kind). */
  edited?: TestContentDto;
}

/** "2 tests possibly stale" (the panel's header next to the criteria summary). */
export function staleTestsText(count: number): string {
  return `${plural(count, 'test')} possibly stale`;
}

/** A stale reason as one sentence's parts: the lead-in and, for a changed wording, before → after. */
export type ReasonText =
  | { kind: 'changed'; lead: string; before?: string; after: string }
  | { kind: 'removed'; lead: string; before?: string }
  | { kind: 'requirement'; lead: string };

export function reasonText(reason: StaleReasonDto): ReasonText {
  switch (reason.kind) {
    case 'criterionChanged':
      return reason.before !== undefined
        ? {
            kind: 'changed',
            lead: `criterion ${reason.number} changed`,
            before: reason.before,
            after: reason.after,
          }
        : { kind: 'changed', lead: `criterion ${reason.number} changed`, after: reason.after };
    case 'criterionRemoved':
      return reason.before !== undefined
        ? { kind: 'removed', lead: 'a criterion it proved was removed', before: reason.before }
        : { kind: 'removed', lead: 'a criterion it proved was removed' };
    default:
      return { kind: 'requirement', lead: 'requirement changed since this test was reviewed' };
  }
}

/** The reason as plain text: `criterion 2 changed: “within 30 days” → “within 14 days”`. */
export function reasonPlainText(reason: StaleReasonDto): string {
  const text = reasonText(reason);
  if (text.kind === 'changed')
    return text.before !== undefined
      ? `${text.lead}: “${text.before}” → “${text.after}”`
      : `${text.lead}: now “${text.after}”`;
  if (text.kind === 'removed')
    return text.before !== undefined ? `${text.lead}: “${text.before}”` : text.lead;
  return text.lead;
}

export const VERDICT_BADGES: Record<TestUpdateVerdict, StatusBadge> = {
  update: { text: 'Update proposed', appearance: 'inprogress' },
  obsolete: { text: 'Obsolete', appearance: 'removed' },
  valid: { text: 'Still valid', appearance: 'success' },
};

/** A proposal's status once decided (none while it awaits a decision). */
export const STATUS_BADGES: Record<UpdateStatus, StatusBadge | null> = {
  proposed: null,
  applying: { text: 'Applying', appearance: 'inprogress' },
  applied: { text: 'Applied', appearance: 'success' },
  conflict: { text: 'Conflict', appearance: 'moved' },
  rejected: { text: 'Rejected', appearance: 'default' },
  kept: { text: 'Kept', appearance: 'default' },
  unlinked: { text: 'Coverage link removed', appearance: 'default' },
  confirmed: { text: 'Confirmed still valid', appearance: 'success' },
  failed: { text: 'Failed', appearance: 'removed' },
};

/** What a reviewer can do with a proposal, by its verdict and status. */
export type ProposalChoice =
  'accept' | 'edit' | 'reject' | 'unlink' | 'keep' | 'confirm' | 'retry' | 'continue';

export const CHOICE_TEXT: Record<ProposalChoice, string> = {
  accept: 'Accept',
  edit: 'Edit',
  reject: 'Reject',
  unlink: 'Remove coverage link',
  keep: 'Keep',
  confirm: 'Confirm still valid',
  retry: 'Retry',
  continue: 'Continue applying',
};

/** The decisions a verdict offers (never "delete": an obsolete test is unlinked or kept). */
const VERDICT_CHOICES: Record<TestUpdateVerdict, ProposalChoice[]> = {
  update: ['accept', 'edit', 'reject'],
  obsolete: ['unlink', 'keep'],
  valid: ['confirm'],
};

/**
 * The choices a proposal shows: its verdict's while it awaits a decision; "Retry" once it failed
 * (with the verdict's choices, so the decision can be changed); "Continue applying" for an apply that
 * was interrupted; none once settled (applied, conflict, rejected, kept, unlinked, confirmed).
 */
export function choicesFor(proposal: Pick<TestUpdateProposalDto, 'verdict' | 'status'>): ProposalChoice[] {
  switch (proposal.status) {
    case 'proposed':
      return VERDICT_CHOICES[proposal.verdict];
    case 'failed':
      return ['retry', ...VERDICT_CHOICES[proposal.verdict]];
    case 'applying':
      return ['continue'];
    default:
      return [];
  }
}

/** A settled proposal needs nothing more. */
export function isSettled(proposal: Pick<TestUpdateProposalDto, 'status'>): boolean {
  return choicesFor({ verdict: 'valid', status: proposal.status }).length === 0;
}

/** The decision a choice records (edit records `apply` with the edited content). */
export function decisionOf(choice: ProposalChoice, edited?: TestContentDto): Decision | null {
  switch (choice) {
    case 'accept':
      return { action: 'apply' };
    case 'edit':
      return edited ? { action: 'apply', edited } : null;
    case 'reject':
      return { action: 'reject' };
    case 'unlink':
      return { action: 'unlink' };
    case 'keep':
      return { action: 'keep' };
    case 'confirm':
      return { action: 'confirm' };
    default:
      return null;
  }
}

/** Whether a recorded decision is the one a choice stands for (its button shows pressed). */
export function isChosen(decision: Decision | undefined, choice: ProposalChoice): boolean {
  if (!decision) return false;
  if (choice === 'accept') return decision.action === 'apply' && !decision.edited;
  if (choice === 'edit') return decision.action === 'apply' && Boolean(decision.edited);
  const action = decisionOf(choice)?.action;
  return action !== undefined && action === decision.action;
}

/**
 * "Retry" of a failed proposal: the decision made in this view when there is one, else the one its
 * verdict implies (apply an update, confirm a still valid test); an obsolete test needs the reviewer
 * to say again whether to unlink or keep it (null).
 */
export function retryDecision(
  proposal: Pick<TestUpdateProposalDto, 'verdict'>,
  remembered: Decision | undefined,
): Decision | null {
  if (remembered) return remembered;
  if (proposal.verdict === 'update') return { action: 'apply' };
  if (proposal.verdict === 'valid') return { action: 'confirm' };
  return null;
}

/** What a decision will do, in words (shown under the proposal until "Apply decisions"). */
export function decisionText(decision: Decision): string {
  switch (decision.action) {
    case 'apply':
      return decision.edited ? 'Your edit will be applied.' : 'The update will be applied.';
    case 'reject':
      return 'The proposal will be rejected; the test stays as it is.';
    case 'keep':
      return 'The test will be kept as it is and marked reviewed.';
    case 'unlink':
      return 'Its coverage link to this requirement will be removed; the test is not deleted.';
    default:
      return 'The test will be marked reviewed (still valid).';
  }
}

/** The input "Apply decisions" sends: every decision made on a proposal that can still take one. */
export function decideInputOf(
  generationId: string,
  updates: readonly TestUpdateProposalDto[],
  decisions: Readonly<Record<string, Decision>>,
): DecideTestUpdatesInput {
  const open = new Set(
    updates
      .filter(({ status }) => status === 'proposed' || status === 'failed')
      .map(({ testKey }) => testKey),
  );
  return {
    generationId,
    decisions: Object.entries(decisions)
      .filter(([testKey]) => open.has(testKey))
      .map(([testKey, decision]) => ({
        testKey,
        action: decision.action,
        ...(decision.edited ? { edited: decision.edited } : {}),
      })),
  };
}

/** "3 updates, 1 obsolete, 1 still valid" (verdicts with none left out). */
export function verdictCountsText(updates: readonly Pick<TestUpdateProposalDto, 'verdict'>[]): string {
  const count = (verdict: TestUpdateVerdict) => updates.filter((update) => update.verdict === verdict).length;
  const parts = [
    count('update') > 0 ? plural(count('update'), 'update') : '',
    count('obsolete') > 0 ? `${count('obsolete')} obsolete` : '',
    count('valid') > 0 ? `${count('valid')} still valid` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no proposals';
}

/** "Apply 3 decisions". */
export function applyButtonText(count: number): string {
  return count === 1 ? 'Apply 1 decision' : `Apply ${count} decisions`;
}

/** A proposal still being written to Xray. */
export function isApplying(update: Pick<TestUpdateProposalDto, 'status'>): boolean {
  return update.status === 'applying';
}

/** The generation's update proposals (an update-mode generation). */
export function updatesOf(generation: Pick<GenerationDto, 'mode' | 'updates'> | null | undefined) {
  return generation?.mode === 'updates' ? (generation.updates ?? []) : [];
}

export function isUpdateMode(generation: Pick<GenerationDto, 'mode'> | null | undefined): boolean {
  return generation?.mode === 'updates';
}

/** Why a conflict wrote nothing, in the reviewer's words. */
export const CONFLICT_TEXT =
  'The test was changed in Xray since the proposal — nothing was written. Propose again to review an update of its current content.';

/** "Applying: 40 of 100 steps written". */
export function progressText(progress: { done: number; total: number } | undefined): string {
  if (!progress || progress.total <= 0) return 'Applying…';
  return `Applying: ${progress.done} of ${progress.total} written`;
}

/** An edited step list is refused when a step has no action (Xray needs one). */
export function stepsEditError(steps: readonly { action: string }[]): string | undefined {
  if (steps.length === 0) return 'Keep at least one step.';
  const blank = steps.findIndex((step) => step.action.trim() === '');
  return blank >= 0 ? `Step ${blank + 1} needs an action.` : undefined;
}

/** The stale reasons of a test, worded for the criteria list ("possibly stale: …"). */
export function staleSummaryText(reasons: readonly StaleReasonDto[]): string {
  return reasons.map(reasonPlainText).join('; ');
}

const STATUS_WORDS: [UpdateStatus, string][] = [
  ['applied', 'applied'],
  ['applying', 'applying'],
  ['conflict', 'in conflict'],
  ['failed', 'failed'],
  ['unlinked', 'unlinked'],
  ['kept', 'kept'],
  ['confirmed', 'confirmed still valid'],
  ['rejected', 'rejected'],
];

/** "2 applied, 1 in conflict" — the decided proposals by status (empty when none is decided). */
export function statusCountsText(updates: readonly Pick<TestUpdateProposalDto, 'status'>[]): string {
  return STATUS_WORDS.map(
    ([status, words]) => [updates.filter((update) => update.status === status).length, words] as const,
  )
    .filter(([count]) => count > 0)
    .map(([count, words]) => `${count} ${words}`)
    .join(', ');
}

/** The tests in conflict ("Propose again" asks SQAI about their current content). */
export function conflictKeys(
  updates: readonly Pick<TestUpdateProposalDto, 'status' | 'testKey'>[],
): string[] {
  return updates.filter(({ status }) => status === 'conflict').map(({ testKey }) => testKey);
}

/**
 * What the card says under a proposal: SQAI's reason (prefixed "SQAI:"), or — when the app could not
 * use SQAI's answer (`unusable`) — the app's own words, as a warning; null when there is no reason.
 */
export function proposalNoteOf(
  proposal: Pick<TestUpdateProposalDto, 'reason' | 'unusable'>,
): { text: string; fromApp: boolean } | null {
  if (!proposal.reason) return null;
  return proposal.unusable
    ? { text: proposal.reason, fromApp: true }
    : { text: `SQAI: ${proposal.reason}`, fromApp: false };
}
