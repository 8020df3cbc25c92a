/**
 * The review list: "N selected of M", one card per proposal, and the tests SQAI sent that the app
 * could not read at all (with the reasons).
 */
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../../common/src/SectionMessage';
import type { GenerationDto } from '../../../../src/api';
import { isSelectable, isSelected, selectionSummary, testsText, titleOf, type ReviewState } from './model';
import { FocusHeading } from './controls';
import { ProposalCard } from './ProposalCard';

export const PROPOSALS_HEADING_ID = 'sqai-proposals-heading';

export interface ProposalListProps {
  generation: GenerationDto;
  review: ReviewState;
  created: Record<string, string>;
  titleErrors: Record<string, string>;
  disabled: boolean;
  onSelect: (id: string, selected: boolean) => void;
  onTitle: (id: string, title: string) => void;
}

function Rejected({ rejected }: { rejected: GenerationDto['rejected'] }) {
  if (rejected.length === 0) return null;
  return (
    <SectionMessage
      appearance="warning"
      title={`SQAI sent ${testsText(rejected.length)} the app could not read`}
      testId="rejected-tests"
    >
      <ul>
        {rejected.map((item, index) => (
          <li key={`${item.id ?? ''}-${index}`}>
            {item.id ? <code>{item.id}</code> : 'A test without an id'}
            {`: ${item.reason}`}
          </li>
        ))}
      </ul>
    </SectionMessage>
  );
}

export function ProposalList(props: ProposalListProps) {
  const { generation, review, created } = props;
  return (
    <section aria-labelledby={PROPOSALS_HEADING_ID} data-testid="proposals">
      <Stack space="space.100">
        <Inline space="space.100" alignBlock="baseline" spread="space-between" shouldWrap>
          <FocusHeading id={PROPOSALS_HEADING_ID}>Proposed tests</FocusHeading>
          <Text size="small" color="color.text.subtle" testId="selection-summary">
            {selectionSummary(generation, review, created)}
          </Text>
        </Inline>
        {generation.proposals.length === 0 ? (
          <Text color="color.text.subtle">SQAI proposed no tests this time.</Text>
        ) : null}
        {generation.proposals.map((proposal, index) => (
          <ProposalCard
            key={proposal.id}
            proposal={proposal}
            index={index}
            title={titleOf(review, proposal)}
            selected={isSelected(review, proposal, created)}
            selectable={isSelectable(proposal, created)}
            createdKey={created[proposal.id]}
            titleError={props.titleErrors[proposal.id]}
            disabled={props.disabled}
            onSelect={(selected) => props.onSelect(proposal.id, selected)}
            onTitle={(title) => props.onTitle(proposal.id, title)}
          />
        ))}
        <Rejected rejected={generation.rejected} />
      </Stack>
    </section>
  );
}
