/**
 * A test's body as the panel shows it, whoever wrote it (SQAI's proposals, Xray's tests in the
 * context preview): steps as a compact Action / Data / Expected result table, Gherkin in a
 * monospace block, a generic definition as text. Everything is rendered as text, never as HTML.
 */
import { token } from '@atlaskit/tokens';
import VisuallyHidden from '@atlaskit/visually-hidden';
import { RedactedText } from './preview/Redacted';
import type { CSSProperties } from 'react';

export interface StepRow {
  action: string;
  data: string | null;
  result: string | null;
}

/** The panel's compact tables (steps, the preview's tests and Markdown tables). */
export const tableStyle: CSSProperties = {
  width: '100%',
  tableLayout: 'fixed',
  borderCollapse: 'collapse',
  font: token('font.body.small'),
};

export const cellStyle: CSSProperties = {
  padding: `${token('space.050')} ${token('space.075')}`,
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  textAlign: 'start',
  verticalAlign: 'top',
  overflowWrap: 'anywhere',
  whiteSpace: 'pre-wrap',
};

export const headStyle: CSSProperties = {
  ...cellStyle,
  color: token('color.text.subtle'),
  fontWeight: token('font.weight.semibold'),
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
};

const numberStyle: CSSProperties = { ...cellStyle, width: 24, color: token('color.text.subtlest') };
const emptyStyle: CSSProperties = { color: token('color.text.subtlest') };

/** A monospace block (Gherkin, a Gherkin diff). */
export const codeStyle: CSSProperties = {
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
  return (
    <td style={cellStyle}>{value ? <RedactedText text={value} /> : <span style={emptyStyle}>—</span>}</td>
  );
}

export function StepsTable({ steps, caption }: { steps: readonly StepRow[]; caption?: string }) {
  return (
    <table style={tableStyle} data-testid="steps-table">
      {caption ? (
        <caption>
          <VisuallyHidden>{caption}</VisuallyHidden>
        </caption>
      ) : null}
      <StepsHead numberWidth={24} />
      <tbody>
        {steps.map((step, index) => (
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
}

/** The steps tables' header row: #, Action, Data, Expected result. */
export function StepsHead({ numberWidth }: { numberWidth: number }) {
  return (
    <thead>
      <tr>
        <th style={{ ...headStyle, width: numberWidth }} scope="col">
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
  );
}

export function GherkinBlock({ gherkin }: { gherkin: string }) {
  return (
    <pre style={codeStyle} data-testid="gherkin-block">
      <RedactedText text={gherkin} raw />
    </pre>
  );
}

export function DefinitionText({ definition }: { definition: string }) {
  return (
    <p style={definitionStyle} data-testid="definition-text">
      <RedactedText text={definition} />
    </p>
  );
}
