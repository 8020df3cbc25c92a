import type { StaleReasonDto, TestUpdateProposalDto } from '../../../src/api';
import { STATE_BADGES, summaryText } from '../../../static/issue-panel/src/criteria/model';
import {
  applyButtonText,
  choicesFor,
  conflictKeys,
  decideInputOf,
  decisionOf,
  isChosen,
  isSettled,
  progressText,
  proposalNoteOf,
  reasonPlainText,
  retryDecision,
  staleTestsText,
  statusCountsText,
  stepsEditError,
  updatesOf,
  verdictCountsText,
  type UpdateStatus,
} from '../../../static/issue-panel/src/living/model';

const proposal = (
  testKey: string,
  verdict: TestUpdateProposalDto['verdict'],
  status: UpdateStatus = 'proposed',
): TestUpdateProposalDto => ({
  testKey,
  verdict,
  reason: null,
  criterionIds: ['ac-1'],
  staleReasons: [],
  before: { kind: 'Steps', steps: [{ action: 'A', data: null, result: null }] },
  ...(verdict === 'update'
    ? { after: { kind: 'Steps', steps: [{ action: 'B', data: null, result: null }] } }
    : {}),
  status,
});

describe('what a proposal offers, by verdict and status', () => {
  it('offers Accept / Edit / Reject for an update, unlink or keep for an obsolete test (never delete), confirm for a valid one', () => {
    expect(choicesFor(proposal('T-1', 'update'))).toEqual(['accept', 'edit', 'reject']);
    expect(choicesFor(proposal('T-2', 'obsolete'))).toEqual(['unlink', 'keep']);
    expect(choicesFor(proposal('T-3', 'valid'))).toEqual(['confirm']);
  });

  it('offers Retry (and the choices again) once failed, Continue while applying, nothing once settled', () => {
    expect(choicesFor(proposal('T-1', 'update', 'failed'))).toEqual(['retry', 'accept', 'edit', 'reject']);
    expect(choicesFor(proposal('T-2', 'obsolete', 'failed'))).toEqual(['retry', 'unlink', 'keep']);
    expect(choicesFor(proposal('T-1', 'update', 'applying'))).toEqual(['continue']);
    const settled: UpdateStatus[] = ['applied', 'conflict', 'rejected', 'kept', 'unlinked', 'confirmed'];
    for (const status of settled) {
      expect(choicesFor(proposal('T-1', 'update', status))).toEqual([]);
      expect(isSettled({ status })).toBe(true);
    }
    expect(isSettled({ status: 'proposed' })).toBe(false);
    expect(isSettled({ status: 'failed' })).toBe(false);
  });

  it('records each choice as the decision the resolver takes', () => {
    const edited = { kind: 'Gherkin' as const, gherkin: 'Given x' };
    expect(decisionOf('accept')).toEqual({ action: 'apply' });
    expect(decisionOf('edit', edited)).toEqual({ action: 'apply', edited });
    expect(decisionOf('edit')).toBeNull();
    expect(decisionOf('reject')).toEqual({ action: 'reject' });
    expect(decisionOf('unlink')).toEqual({ action: 'unlink' });
    expect(decisionOf('keep')).toEqual({ action: 'keep' });
    expect(decisionOf('confirm')).toEqual({ action: 'confirm' });
    expect(isChosen({ action: 'apply' }, 'accept')).toBe(true);
    expect(isChosen({ action: 'apply', edited }, 'accept')).toBe(false);
    expect(isChosen({ action: 'apply', edited }, 'edit')).toBe(true);
    expect(isChosen({ action: 'keep' }, 'unlink')).toBe(false);
  });

  it('retries the remembered decision, else the one the verdict implies; an obsolete test must be decided again', () => {
    expect(retryDecision({ verdict: 'obsolete' }, { action: 'unlink' })).toEqual({ action: 'unlink' });
    expect(retryDecision({ verdict: 'update' }, undefined)).toEqual({ action: 'apply' });
    expect(retryDecision({ verdict: 'valid' }, undefined)).toEqual({ action: 'confirm' });
    expect(retryDecision({ verdict: 'obsolete' }, undefined)).toBeNull();
  });
});

describe('Apply decisions', () => {
  it('sends the decisions made on proposals that can still take one, with edits', () => {
    const edited = { kind: 'Steps' as const, steps: [{ action: 'C', data: 'd', result: null }] };
    const updates = [
      proposal('T-1', 'update'),
      proposal('T-2', 'obsolete'),
      proposal('T-3', 'valid', 'applied'),
      proposal('T-4', 'update', 'failed'),
    ];
    const input = decideInputOf('gen-1', updates, {
      'T-1': { action: 'apply', edited },
      'T-2': { action: 'unlink' },
      'T-3': { action: 'confirm' },
      'T-4': { action: 'apply' },
      'T-9': { action: 'reject' },
    });
    expect(input).toEqual({
      generationId: 'gen-1',
      decisions: [
        { testKey: 'T-1', action: 'apply', edited },
        { testKey: 'T-2', action: 'unlink' },
        { testKey: 'T-4', action: 'apply' },
      ],
    });
    expect(applyButtonText(1)).toBe('Apply 1 decision');
    expect(applyButtonText(3)).toBe('Apply 3 decisions');
  });

  it('counts per verdict and per status', () => {
    const updates = [
      proposal('T-1', 'update', 'applied'),
      proposal('T-2', 'update', 'conflict'),
      proposal('T-3', 'obsolete', 'unlinked'),
      proposal('T-4', 'valid'),
    ];
    expect(verdictCountsText(updates)).toBe('2 updates, 1 obsolete, 1 still valid');
    expect(verdictCountsText([])).toBe('no proposals');
    expect(statusCountsText(updates)).toBe('1 applied, 1 in conflict, 1 unlinked');
    expect(statusCountsText([proposal('T-4', 'valid')])).toBe('');
    expect(conflictKeys(updates)).toEqual(['T-2']);
    expect(progressText({ done: 40, total: 100 })).toBe('Applying: 40 of 100 written');
    expect(progressText(undefined)).toBe('Applying…');
  });

  it('reads the proposals of an update-mode generation only', () => {
    const updates = [proposal('T-1', 'update')];
    expect(updatesOf({ mode: 'updates', updates })).toBe(updates);
    expect(updatesOf({ mode: 'tests', updates })).toEqual([]);
    expect(updatesOf(null)).toEqual([]);
  });

  it('refuses an edited step list without a step or with a step without action', () => {
    expect(stepsEditError([])).toBe('Keep at least one step.');
    expect(stepsEditError([{ action: 'a' }, { action: '  ' }])).toBe('Step 2 needs an action.');
    expect(stepsEditError([{ action: 'a' }])).toBeUndefined();
  });
});

describe('stale flags in words', () => {
  it('says why a test is possibly stale', () => {
    const changed: StaleReasonDto = {
      kind: 'criterionChanged',
      criterionId: 'ac-1',
      number: 2,
      before: 'within 30 days',
      after: 'within 14 days',
    };
    expect(reasonPlainText(changed)).toBe('criterion 2 changed: “within 30 days” → “within 14 days”');
    expect(reasonPlainText({ kind: 'criterionChanged', criterionId: 'ac-1', number: 3, after: 'x' })).toBe(
      'criterion 3 changed: now “x”',
    );
    expect(reasonPlainText({ kind: 'criterionRemoved', criterionId: 'ac-2', before: 'old' })).toBe(
      'a criterion it proved was removed: “old”',
    );
    expect(reasonPlainText({ kind: 'requirementChanged' })).toBe(
      'requirement changed since this test was reviewed',
    );
    expect(staleTestsText(1)).toBe('1 test possibly stale');
    expect(staleTestsText(2)).toBe('2 tests possibly stale');
  });

  it('shows the stale state apart from "changed" and counts it in the summary', () => {
    expect(STATE_BADGES.stale.text).toBe('Possibly stale');
    expect(STATE_BADGES.stale.appearance).not.toBe(STATE_BADGES.changed.appearance);
    const summary = {
      criteria: 4,
      proven: 1,
      failing: 0,
      stale: 2,
      changed: 1,
      notRun: 0,
      noTest: 0,
      unproven: 3,
    };
    expect(summaryText(summary)).toBe('4 criteria: 1 proven, 2 possibly stale, 1 changed since tested');
    const { stale: _stale, ...older } = summary;
    expect(summaryText({ ...older, criteria: 2, unproven: 1 })).toBe(
      '2 criteria: 1 proven, 1 changed since tested',
    );
  });
});

describe('proposalNoteOf', () => {
  it('prefixes SQAI’s reason, and gives the app’s own words when SQAI’s answer could not be used', () => {
    expect(proposalNoteOf({ reason: 'The step now names the work address.' })).toEqual({
      text: 'SQAI: The step now names the work address.',
      fromApp: false,
    });
    expect(
      proposalNoteOf({ reason: 'SQAI’s proposal named [email-99] …', unusable: 'unknownPlaceholder' }),
    ).toEqual({ text: 'SQAI’s proposal named [email-99] …', fromApp: true });
    expect(proposalNoteOf({ reason: null })).toBeNull();
  });
});
