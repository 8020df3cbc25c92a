/**
 * A proposed test's body by kind: steps as a compact Action / Data / Expected result table, Gherkin
 * in a monospace block, a generic definition as text (the panel's shared test-body pieces). All of
 * it is SQAI's text, rendered as text.
 */
import { Text } from '@atlaskit/primitives/compiled/text';
import type { ProposalDto } from '../../../../src/api';
import { DefinitionText, GherkinBlock, StepsTable } from '../TestBody';
import { bodyKindOf } from './model';

export function ProposalBody({ proposal }: { proposal: ProposalDto }) {
  switch (bodyKindOf(proposal)) {
    case 'steps':
      return <StepsTable steps={proposal.steps ?? []} />;
    case 'gherkin':
      return <GherkinBlock gherkin={proposal.gherkin ?? ''} />;
    case 'definition':
      return <DefinitionText definition={proposal.definition ?? ''} />;
    default:
      return (
        <Text size="small" color="color.text.subtlest">
          SQAI sent no steps, scenario or definition for this test.
        </Text>
      );
  }
}
