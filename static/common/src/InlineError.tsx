/**
 * An error inside a list row: the title and detail in red (the one-line message when the error has
 * no title), the remedy after them in subtle text.
 */
import { Text } from '@atlaskit/primitives/compiled/text';
import type { CSSProperties } from 'react';
import { errorTexts, type ShownError } from './ErrorMessageBox';

/** Spans the row's grid and wraps long words (ids, URLs). */
const errorStyle: CSSProperties = { gridColumn: '1 / -1', overflowWrap: 'anywhere' };

export function InlineError({ error }: { error: ShownError }) {
  const { title, detail } = errorTexts(error);
  return (
    <span style={errorStyle}>
      <Text size="small" color="color.text.danger">
        {detail ? `${title} — ${detail}` : title}
      </Text>
      {error.remedy ? (
        <Text size="small" color="color.text.subtle">
          {` ${error.remedy}`}
        </Text>
      ) : null}
    </span>
  );
}
