/**
 * An update proposal as a diff (issue 19 item 3): the steps table with added / removed / changed rows
 * (action, data, expected result), Gherkin line by line, a definition word by word. Every change is
 * said in text as well as colour — each row's "added" / "removed" / "changed", a line's + / −, and
 * `<del>` / `<ins>` (struck through / underlined) for words — so it reads without colour (axe runs on
 * it in the browser tests). Everything is rendered as text, never as HTML.
 */
import { token } from '@atlaskit/tokens';
import VisuallyHidden from '@atlaskit/visually-hidden';
import { useMemo, type CSSProperties } from 'react';
import { cellStyle, codeStyle, StepsHead, tableStyle } from '../TestBody';
import {
  diffGherkin,
  diffSteps,
  diffWordsOf,
  sideOf,
  STEP_FIELDS,
  type LineDiffRow,
  type RowChange,
  type Step,
  type StepDiffRow,
  type StepField,
} from './diff';
import { Segments } from './StaleReason';

const ROW_BACKGROUND: Record<RowChange, string | undefined> = {
  same: undefined,
  added: token('color.background.success'),
  removed: token('color.background.danger'),
  changed: token('color.background.warning'),
};

export const CHANGE_TEXT: Record<RowChange, string> = {
  same: 'unchanged',
  added: 'added',
  removed: 'removed',
  changed: 'changed',
};

const numberCellStyle: CSSProperties = { ...cellStyle, width: 64, whiteSpace: 'normal' };
const changeLabelStyle: CSSProperties = {
  display: 'block',
  font: token('font.body.small'),
  fontWeight: token('font.weight.semibold'),
  color: token('color.text'),
};
const emptyStyle: CSSProperties = { color: token('color.text.subtle') };
const struckStyle: CSSProperties = { textDecoration: 'line-through' };
const blockStyle: CSSProperties = { display: 'block' };
const wasStyle: CSSProperties = { display: 'block', color: token('color.text.subtle') };
const sideLabelStyle: CSSProperties = {
  font: token('font.body.small'),
  fontWeight: token('font.weight.semibold'),
  color: token('color.text.subtle'),
};

const fieldText = (step: Step, field: StepField): string =>
  field === 'action' ? step.action : (step[field] ?? '');

function Empty() {
  return <span style={emptyStyle}>—</span>;
}

/** One field of a changed row: the words it had (removed marked) and has now (added marked). */
function ChangedField({ before, after }: { before: string; after: string }) {
  const segments = useMemo(() => diffWordsOf(before, after), [before, after]);
  return (
    <>
      <span style={wasStyle}>
        <span style={sideLabelStyle}>was </span>
        {before ? <Segments segments={sideOf(segments, 'before')} /> : <Empty />}
      </span>
      <span style={blockStyle}>
        <span style={sideLabelStyle}>now </span>
        {after ? <Segments segments={sideOf(segments, 'after')} /> : <Empty />}
      </span>
    </>
  );
}

function FieldCell({ row, field }: { row: StepDiffRow; field: StepField }) {
  const before = row.before ? fieldText(row.before.step, field) : '';
  const after = row.after ? fieldText(row.after.step, field) : '';
  let content;
  if (row.change === 'changed' && row.fields?.[field])
    content = <ChangedField before={before} after={after} />;
  else if (row.change === 'removed') content = before ? <del style={struckStyle}>{before}</del> : <Empty />;
  else if (row.change === 'added') content = after ? <ins>{after}</ins> : <Empty />;
  else content = after ? after : <Empty />;
  return <td style={cellStyle}>{content}</td>;
}

/** "3", "2 → 3" (moved) or the one side's number. */
function numberText(row: StepDiffRow): string {
  if (row.before && row.after)
    return row.before.number === row.after.number
      ? String(row.after.number)
      : `${row.before.number} → ${row.after.number}`;
  return String((row.after ?? row.before)?.number ?? '');
}

export function StepsDiff({
  before,
  after,
  caption = 'Steps: the proposed changes',
}: {
  before: readonly Step[];
  after: readonly Step[];
  caption?: string;
}) {
  const rows = useMemo(() => diffSteps(before, after), [before, after]);
  return (
    <table style={tableStyle} aria-label={caption} data-testid="steps-diff">
      <StepsHead numberWidth={64} />
      <tbody>
        {rows.map((row, index) => {
          const background = ROW_BACKGROUND[row.change];
          return (
            <tr
              key={index}
              data-change={row.change}
              style={background ? { backgroundColor: background } : undefined}
            >
              <th scope="row" style={{ ...numberCellStyle, fontWeight: 'normal' }}>
                {numberText(row)}
                {row.change !== 'same' ? (
                  <span style={changeLabelStyle}>{CHANGE_TEXT[row.change]}</span>
                ) : null}
              </th>
              {STEP_FIELDS.map((field) => (
                <FieldCell key={field} row={row} field={field} />
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const lineStyle: CSSProperties = { display: 'flex', gap: token('space.075'), whiteSpace: 'pre-wrap' };
const signStyle: CSSProperties = { flex: '0 0 1ch', fontWeight: token('font.weight.bold') };
const lineTextStyle: CSSProperties = { flex: '1 1 auto', minWidth: 0, textDecoration: 'none' };

const LINE_SIGN: Record<LineDiffRow['change'], string> = { same: ' ', added: '+', removed: '−' };

function LineText({ line }: { line: LineDiffRow }) {
  const text = line.text === '' ? ' ' : line.text;
  if (line.change === 'added')
    return (
      <ins style={lineTextStyle}>
        <VisuallyHidden>Added line: </VisuallyHidden>
        {text}
      </ins>
    );
  if (line.change === 'removed')
    return (
      <del style={{ ...lineTextStyle, textDecoration: 'line-through' }}>
        <VisuallyHidden>Removed line: </VisuallyHidden>
        {text}
      </del>
    );
  return <span style={lineTextStyle}>{text}</span>;
}

export function GherkinDiff({ before, after }: { before: string; after: string }) {
  const lines = useMemo(() => diffGherkin(before, after), [before, after]);
  return (
    <div style={codeStyle} role="group" aria-label="Gherkin: the proposed changes" data-testid="gherkin-diff">
      {lines.map((line, index) => {
        const background = ROW_BACKGROUND[line.change];
        return (
          <div
            key={index}
            data-change={line.change}
            style={background ? { ...lineStyle, backgroundColor: background } : lineStyle}
          >
            <span style={signStyle} aria-hidden="true">
              {LINE_SIGN[line.change]}
            </span>
            <LineText line={line} />
          </div>
        );
      })}
    </div>
  );
}

const definitionStyle: CSSProperties = { margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };

export function DefinitionDiff({ before, after }: { before: string; after: string }) {
  const segments = useMemo(() => diffWordsOf(before, after), [before, after]);
  return (
    <p style={definitionStyle} data-testid="definition-diff">
      <Segments segments={segments} />
    </p>
  );
}
