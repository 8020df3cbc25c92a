/**
 * One test SQAI answered for in update mode (issue 19 item 3): the test, why it is possibly stale,
 * SQAI's verdict and reason, and — by verdict — the proposed update as a diff with Accept / Edit /
 * Reject, "Remove coverage link" / "Keep" for an obsolete test (never delete), or "Still valid" to
 * confirm it. Once decided, its status: applying (with progress), applied, conflict (nothing was
 * written), rejected, kept, unlinked, confirmed, or failed (with the error and Retry).
 * Everything from SQAI and the requirement is rendered as text, never as HTML.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import { useState, type CSSProperties } from 'react';
import type { TestContentDto, TestUpdateProposalDto } from '../../../../src/api';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { IssueKeyLink } from '../generate/controls';
import { ContentEditor } from './ContentEditor';
import { DefinitionDiff, GherkinDiff, StepsDiff } from './DiffViews';
import { sameContent, stepsOf, textOf } from './diff';
import {
  CHOICE_TEXT,
  choicesFor,
  CONFLICT_TEXT,
  decisionOf,
  decisionText,
  isChosen,
  progressText,
  proposalNoteOf,
  STATUS_BADGES,
  VERDICT_BADGES,
  type Decision,
  type ProposalChoice,
} from './model';
import { StaleReason } from './StaleReason';
import { cardStyle } from '../styles';

const headStyle: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'center',
  gap: token('space.075'),
};
const summaryStyle: CSSProperties = { flex: '1 1 10rem', minWidth: 0, overflowWrap: 'anywhere' };
const reasonsStyle: CSSProperties = {
  margin: 0,
  paddingInlineStart: token('space.250'),
  font: token('font.body.small'),
  color: token('color.text.subtle'),
  overflowWrap: 'anywhere',
};

/** The proposed content as a diff of its kind against what the test held. */
export function ContentDiff({ before, after }: { before: TestContentDto; after: TestContentDto }) {
  if (sameContent(before, after))
    return (
      <Text as="p" size="small" color="color.text.subtle">
        No change to its content.
      </Text>
    );
  const same = before.kind === after.kind;
  if (after.kind === 'Steps')
    return <StepsDiff before={same ? stepsOf(before) : []} after={stepsOf(after)} />;
  if (after.kind === 'Gherkin')
    return <GherkinDiff before={same ? textOf(before) : ''} after={textOf(after)} />;
  return <DefinitionDiff before={same ? textOf(before) : ''} after={textOf(after)} />;
}

export interface UpdateProposalCardProps {
  proposal: TestUpdateProposalDto;
  /** The decision made in this view, not sent yet. */
  decision: Decision | undefined;
  /** A decision on it is on its way. */
  sending: boolean;
  disabled: boolean;
  onDecide: (decision: Decision | undefined) => void;
  /** Retry a failed decision now (the remembered one, or `decision`). */
  onRetry: () => void;
  /** Continue an apply that was interrupted. */
  onContinue: () => void;
}

export function UpdateProposalCard({
  proposal,
  decision,
  sending,
  disabled,
  onDecide,
  onRetry,
  onContinue,
}: UpdateProposalCardProps) {
  const [editing, setEditing] = useState(false);
  const verdict = VERDICT_BADGES[proposal.verdict];
  const status = STATUS_BADGES[proposal.status];
  const choices = choicesFor(proposal);
  const note = proposalNoteOf(proposal);
  const after = decision?.edited ?? proposal.after;
  const showsDiff =
    proposal.verdict === 'update' &&
    after !== undefined &&
    ['proposed', 'failed', 'applying', 'conflict'].includes(proposal.status);

  const choose = (choice: ProposalChoice) => {
    if (choice === 'retry') return onRetry();
    if (choice === 'continue') return onContinue();
    if (choice === 'edit') return setEditing(true);
    // Choosing the recorded decision again takes it back.
    onDecide(isChosen(decision, choice) ? undefined : (decisionOf(choice) ?? undefined));
  };

  return (
    <li
      style={cardStyle}
      data-testid={`update-${proposal.testKey}`}
      data-verdict={proposal.verdict}
      data-status={proposal.status}
    >
      <Stack space="space.100">
        <div style={headStyle}>
          <IssueKeyLink issueKey={proposal.testKey} />
          <span style={summaryStyle}>
            <Text size="small">{proposal.summary ?? ''}</Text>
          </span>
          <Lozenge appearance={verdict.appearance} testId="update-verdict">
            {verdict.text}
          </Lozenge>
          {status ? (
            <Lozenge appearance={status.appearance} testId="update-status">
              {status.text}
            </Lozenge>
          ) : null}
        </div>
        {proposal.staleReasons.length > 0 ? (
          <ul style={reasonsStyle} aria-label={`Why ${proposal.testKey} is possibly stale`}>
            {proposal.staleReasons.map((reason, index) => (
              <li key={index} data-testid="update-stale-reason">
                <StaleReason reason={reason} />
              </li>
            ))}
          </ul>
        ) : null}
        {note ? (
          <Text
            as="p"
            size="small"
            {...(note.fromApp ? { color: 'color.text.warning' as const } : {})}
            testId={note.fromApp ? 'update-unusable' : 'update-reason'}
          >
            {note.text}
          </Text>
        ) : proposal.verdict === 'obsolete' ? (
          <Text as="p" size="small">
            SQAI says the criterion this test proved is gone.
          </Text>
        ) : null}

        {editing ? (
          <ContentEditor
            testKey={proposal.testKey}
            initial={after ?? proposal.before}
            onCancel={() => setEditing(false)}
            onSave={(edited) => {
              setEditing(false);
              onDecide(decisionOf('edit', edited) ?? undefined);
            }}
          />
        ) : showsDiff && after ? (
          <ContentDiff before={proposal.before} after={after} />
        ) : null}

        {proposal.status === 'applying' ? (
          <div role="status">
            <Text size="small" testId="update-progress">
              {progressText(proposal.progress)}
            </Text>
          </div>
        ) : null}
        {proposal.status === 'conflict' ? (
          <Text as="p" size="small" testId="update-conflict">
            {CONFLICT_TEXT}
          </Text>
        ) : null}
        {proposal.status === 'failed' ? (
          <ErrorMessageBox
            error={
              proposal.error ?? {
                message: 'The decision could not be carried out.',
                remedy: 'Retry. Nothing is written twice.',
              }
            }
            testId="update-error"
          />
        ) : null}

        {choices.length > 0 && !editing ? (
          <Inline space="space.100" rowSpace="space.050" shouldWrap alignBlock="center">
            {choices.map((choice) => {
              const chosen = isChosen(decision, choice);
              return (
                <Button
                  key={choice}
                  appearance={choice === 'retry' || choice === 'continue' ? 'primary' : 'default'}
                  spacing="compact"
                  isSelected={chosen}
                  aria-pressed={choice === 'retry' || choice === 'continue' ? undefined : chosen}
                  isDisabled={disabled}
                  isLoading={sending && (choice === 'retry' || choice === 'continue')}
                  testId={`update-${choice}`}
                  onClick={() => choose(choice)}
                >
                  {CHOICE_TEXT[choice]}
                </Button>
              );
            })}
          </Inline>
        ) : null}
        {decision && (proposal.status === 'proposed' || proposal.status === 'failed') && !editing ? (
          <Text as="p" size="small" color="color.text.subtle" testId="update-decision">
            {sending ? 'Sending your decision…' : decisionText(decision)}
          </Text>
        ) : null}
      </Stack>
    </li>
  );
}
