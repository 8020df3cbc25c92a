/**
 * One test SQAI proposed: select it, its type, an editable title, its body (steps table, Gherkin or
 * definition), SQAI's rationale, and why it cannot be created / what it may duplicate / the test it
 * became. Everything from SQAI is rendered as text (React escapes it); never as HTML.
 */
import { ErrorMessage } from '@atlaskit/form';
import InlineEdit from '@atlaskit/inline-edit';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../../common/src/SectionMessage';
import TextArea from '@atlaskit/textarea';
import { token } from '@atlaskit/tokens';
import { useRef, useState, type CSSProperties } from 'react';
import type { ProposalDto } from '../../../../src/api';
import { Checkbox, IssueKeyLink } from './controls';
import { ProposalBody } from './ProposalBody';
import { similarityText, testTypeAppearance, titleError } from './model';
import { cardStyle } from '../styles';

const selectedCardStyle: CSSProperties = {
  borderColor: token('color.border.selected'),
  boxShadow: `inset 2px 0 0 ${token('color.border.selected')}`,
};

const mutedCardStyle: CSSProperties = { backgroundColor: token('color.background.neutral.subtle') };

const titleTextStyle: CSSProperties = {
  margin: 0,
  font: token('font.body'),
  fontWeight: token('font.weight.semibold'),
  overflowWrap: 'anywhere',
};

/** The read view: the whole title, wrapped (never cut off at the panel's width). */
const titleReadStyle: CSSProperties = {
  ...titleTextStyle,
  whiteSpace: 'pre-wrap',
  paddingBlock: token('space.050'),
  paddingInline: token('space.075'),
};

/** A stable DOM id for a proposal's title (SQAI ids may hold any character). */
export const proposalTitleId = (index: number) => `sqai-proposal-title-${index}`;

/** Moves focus to a proposal's title: its edit field when open, else the button that opens it. */
export function focusProposalTitle(index: number): void {
  document.getElementById(proposalTitleId(index))?.querySelector<HTMLElement>('textarea, button')?.focus();
}

export interface ProposalCardProps {
  proposal: ProposalDto;
  index: number;
  /** The title as edited (or SQAI's). */
  title: string;
  selected: boolean;
  selectable: boolean;
  /** Key of the Xray test created from it. */
  createdKey: string | undefined;
  titleError: string | undefined;
  disabled: boolean;
  onSelect: (selected: boolean) => void;
  onTitle: (title: string) => void;
}

export function ProposalCard(props: ProposalCardProps) {
  const { proposal, selected, selectable, createdKey } = props;
  const titleId = proposalTitleId(props.index);
  const errorId = `${titleId}-error`;
  const invalid = proposal.problems.length > 0;
  const [editing, setEditing] = useState(false);
  // The title being typed, kept here as well as in Atlaskit's form: the form ignores input until an
  // effect after the editor's first render registers its field, so keystrokes typed the instant the
  // editor opens (a busy machine, a fast typist) would be lost. Confirming uses this draft.
  const [draft, setDraft] = useState(props.title);
  const draftRef = useRef(props.title);
  /** A confirm the draft failed (shown when the form itself saw nothing wrong). */
  const [refused, setRefused] = useState(false);
  const changeDraft = (value: string) => {
    draftRef.current = value;
    setDraft(value);
    setRefused(false);
  };
  const style = {
    ...cardStyle,
    ...(selected ? selectedCardStyle : {}),
    ...(invalid || createdKey ? mutedCardStyle : {}),
  };
  const meta = [
    proposal.priority ? `Priority ${proposal.priority}` : null,
    proposal.labels.length > 0 ? `Labels ${proposal.labels.join(', ')}` : null,
  ].filter((part): part is string => part !== null);

  return (
    <article style={style} data-testid={`proposal-${proposal.id}`} aria-label={props.title}>
      <Stack space="space.075">
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <Checkbox
            ariaLabel={`Select ${proposal.title}`}
            checked={selected}
            disabled={!selectable || props.disabled}
            onChange={props.onSelect}
          />
          <Lozenge appearance={testTypeAppearance(proposal.kind)}>{proposal.testType}</Lozenge>
          {proposal.duplicateOf ? (
            <span
              title={`${proposal.duplicateOf.summary} (${similarityText(proposal.duplicateOf.similarity)})`}
            >
              <Lozenge appearance="moved" maxWidth={280} testId="duplicate-lozenge">
                {`Possible duplicate of ${proposal.duplicateOf.key}`}
              </Lozenge>
            </span>
          ) : null}
          {createdKey ? (
            <Inline space="space.050" alignBlock="center">
              <Lozenge appearance="success">Created</Lozenge>
              <IssueKeyLink issueKey={createdKey} testId="created-key" />
            </Inline>
          ) : null}
        </Inline>

        {selectable ? (
          <div id={titleId} data-testid="proposal-title">
            <InlineEdit<string>
              defaultValue={props.title}
              editButtonLabel={`Edit title of ${proposal.title}`}
              readViewFitContainerWidth
              isEditing={editing}
              onEdit={() => {
                changeDraft(props.title);
                setEditing(true);
              }}
              onCancel={() => setEditing(false)}
              validate={() => titleError(draftRef.current)}
              onConfirm={() => {
                const error = titleError(draftRef.current);
                // The form validated what it had registered; the draft decides.
                if (error) {
                  setRefused(true);
                  return;
                }
                setEditing(false);
                props.onTitle(draftRef.current.trim());
              }}
              readView={() => <p style={titleReadStyle}>{props.title}</p>}
              editView={({ errorMessage, onChange, ...fieldProps }, ref) => (
                <>
                  <TextArea
                    {...fieldProps}
                    ref={ref}
                    value={draft}
                    onChange={(event) => {
                      changeDraft(event.currentTarget.value);
                      onChange(event.currentTarget.value);
                    }}
                    aria-label={`Title of ${proposal.title}`}
                    resize="smart"
                    minimumRows={1}
                    spellCheck
                    isDisabled={props.disabled}
                    autoFocus
                    // A title is one line: Enter saves it (Escape cancels).
                    onKeyDown={(event) => {
                      if (event.key !== 'Enter') return;
                      event.preventDefault();
                      event.currentTarget.form?.requestSubmit();
                    }}
                  />
                  {errorMessage || refused ? (
                    <ErrorMessage>{errorMessage ?? titleError(draft)}</ErrorMessage>
                  ) : null}
                </>
              )}
            />
            {props.titleError ? (
              <div id={errorId}>
                <ErrorMessage>{props.titleError}</ErrorMessage>
              </div>
            ) : null}
          </div>
        ) : (
          <p id={titleId} style={titleTextStyle}>
            {props.title}
          </p>
        )}

        {proposal.duplicateOf ? (
          <Text size="small" color="color.text.subtle">
            Similar to <IssueKeyLink issueKey={proposal.duplicateOf.key} />{' '}
            {`“${proposal.duplicateOf.summary}” (${similarityText(proposal.duplicateOf.similarity)}); not selected unless you tick it.`}
          </Text>
        ) : null}

        {proposal.warnings && proposal.warnings.length > 0 ? (
          <SectionMessage appearance="warning" testId="proposal-warning">
            {proposal.warnings.map((warning) => (
              <p key={warning}>{warning}</p>
            ))}
          </SectionMessage>
        ) : null}

        <ProposalBody proposal={proposal} />

        {proposal.rationale ? (
          <Text as="p" size="small" color="color.text.subtle">
            {`Why: ${proposal.rationale}`}
          </Text>
        ) : null}
        {meta.length > 0 ? (
          <Text as="p" size="small" color="color.text.subtlest">
            {meta.join(' · ')}
          </Text>
        ) : null}

        {invalid ? (
          <SectionMessage appearance="error" testId="cannot-create">
            <p>{`Cannot be created: ${proposal.problems.join('; ')}`}</p>
          </SectionMessage>
        ) : null}
      </Stack>
    </article>
  );
}
