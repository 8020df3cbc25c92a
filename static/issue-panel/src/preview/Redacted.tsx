/**
 * Text with its redaction placeholders highlighted (./placeholders.ts). In the readable view a
 * placeholder is a marked span whose accessible text is its label ("redacted email 1"); in the raw
 * JSON view it stays exactly the JSON's text (selecting and copying the JSON must give valid JSON),
 * marked, with the label as its title.
 */
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import { hasPlaceholder, splitPlaceholders } from './placeholders';

const markStyle: CSSProperties = {
  backgroundColor: token('color.background.accent.purple.subtlest'),
  color: token('color.text.accent.purple'),
  borderRadius: token('radius.small', '3px'),
  paddingInline: token('space.025'),
};

/** Read out, not shown (the usual visually-hidden recipe; inline, so the module needs no CSS import). */
const hiddenStyle: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

export function RedactedText({ text, raw = false }: { text: string; raw?: boolean }): ReactNode {
  if (!hasPlaceholder(text)) return text;
  return splitPlaceholders(text).map((piece, index) => {
    if (piece.type === 'text') return piece.text;
    return raw ? (
      <mark key={index} style={markStyle} title={piece.label} data-redaction={piece.kind}>
        {piece.text}
      </mark>
    ) : (
      <mark key={index} style={markStyle} title={piece.label} data-redaction={piece.kind}>
        <span aria-hidden="true">{piece.text}</span>
        <span style={hiddenStyle}>{piece.label}</span>
      </mark>
    );
  });
}
