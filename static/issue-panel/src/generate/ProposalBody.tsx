/**
 * A proposed test's body by kind: steps as a compact Action / Data / Expected result table, Gherkin
 * in a monospace block, a generic definition as text. All of it is SQAI's text, rendered as text.
 */
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import type { ProposalDto } from '../../../../src/api';
import { bodyKindOf } from './model';

const tableStyle: CSSProperties = {
  width: '100%',
  tableLayout: 'fixed',
  borderCollapse: 'collapse',
  font: token('font.body.small'),
};

const cellStyle: CSSProperties = {
  padding: `${token('space.050')} ${token('space.075')}`,
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  textAlign: 'start',
  verticalAlign: 'top',
  overflowWrap: 'anywhere',
  whiteSpace: 'pre-wrap',
};

const headStyle: CSSProperties = {
  ...cellStyle,
  color: token('color.text.subtle'),
  fontWeight: token('font.weight.semibold'),
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
};

const numberStyle: CSSProperties = { ...cellStyle, width: 24, color: token('color.text.subtlest') };
const emptyStyle: CSSProperties = { color: token('color.text.subtlest') };

const codeStyle: CSSProperties = {
  margin: 0,
  padding: token('space.100'),
  borderRadius: token('radius.small', '3px'),
  backgroundColor: token('color.background.neutral'),
  color: token('color.text'),
  font: token('font.code'),
  fontSize: 12,
  lineHeight: 1.5,
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
};

const definitionStyle: CSSProperties = { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };

function Cell({ value }: { value: string | null }) {
  return <td style={cellStyle}>{value ? value : <span style={emptyStyle}>—</span>}</td>;
}

export function ProposalBody({ proposal }: { proposal: ProposalDto }) {
  switch (bodyKindOf(proposal)) {
    case 'steps':
      return (
        <table style={tableStyle} data-testid="steps-table">
          <thead>
            <tr>
              <th style={{ ...headStyle, width: 24 }} scope="col">
                #
              </th>
              <th style={headStyle} scope="col">
                Action
              </th>
              <th style={headStyle} scope="col">
                Data
              </th>
              <th style={headStyle} scope="col">
                Expected result
              </th>
            </tr>
          </thead>
          <tbody>
            {(proposal.steps ?? []).map((step, index) => (
              <tr key={index}>
                <td style={numberStyle}>{index + 1}</td>
                <Cell value={step.action} />
                <Cell value={step.data} />
                <Cell value={step.result} />
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'gherkin':
      return (
        <pre style={codeStyle} data-testid="gherkin-block">
          {proposal.gherkin}
        </pre>
      );
    case 'definition':
      return (
        <p style={definitionStyle} data-testid="definition-text">
          {proposal.definition}
        </p>
      );
    default:
      return (
        <Text size="small" color="color.text.subtlest">
          SQAI sent no steps, scenario or definition for this test.
        </Text>
      );
  }
}
