/**
 * Why a test is possibly stale, in words — `criterion 2 changed: “within 30 days” → “within 14
 * days”` — with the words that changed marked: removed ones struck through in the wording before,
 * added ones underlined in the wording now (`<del>` / `<ins>`: the change reads without colour too).
 * Text from the requirement is rendered as text, never as HTML.
 */
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import type { StaleReasonDto } from '../../../../src/api';
import { diffWordsOf, sideOf, type Segment } from './diff';
import { reasonText } from './model';

const removedStyle: CSSProperties = {
  backgroundColor: token('color.background.danger'),
  color: token('color.text'),
  textDecoration: 'line-through',
};
const addedStyle: CSSProperties = {
  backgroundColor: token('color.background.success'),
  color: token('color.text'),
  textDecoration: 'underline',
};

/** One side of a word diff, its own changes marked (`<del>` removed, `<ins>` added). */
export function Segments({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        segment.change === 'removed' ? (
          <del key={index} style={removedStyle}>
            {segment.text}
          </del>
        ) : segment.change === 'added' ? (
          <ins key={index} style={addedStyle}>
            {segment.text}
          </ins>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </>
  );
}

export function StaleReason({ reason }: { reason: StaleReasonDto }) {
  const text = reasonText(reason);
  if (text.kind === 'changed') {
    if (text.before === undefined) return <>{`${text.lead}: now “${text.after}”`}</>;
    const segments = diffWordsOf(text.before, text.after);
    return (
      <>
        {`${text.lead}: “`}
        <Segments segments={sideOf(segments, 'before')} />
        {'” → “'}
        <Segments segments={sideOf(segments, 'after')} />
        {'”'}
      </>
    );
  }
  if (text.kind === 'removed')
    return <>{text.before !== undefined ? `${text.lead}: “${text.before}”` : text.lead}</>;
  return <>{text.lead}</>;
}
