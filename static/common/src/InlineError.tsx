/** An error inside a list row: the message in red, the remedy after it in subtle text. */
import { Text } from '@atlaskit/primitives/compiled/text';
import type { CSSProperties } from 'react';
import type { ErrorDto } from '../../../src/api';

/** Spans the row's grid and wraps long words (ids, URLs). */
const errorStyle: CSSProperties = { gridColumn: '1 / -1', overflowWrap: 'anywhere' };

export function InlineError({ error }: { error: Pick<ErrorDto, 'message' | 'remedy'> }) {
  return (
    <span style={errorStyle}>
      <Text size="small" color="color.text.danger">
        {error.message}
      </Text>
      {error.remedy ? (
        <Text size="small" color="color.text.subtle">
          {` ${error.remedy}`}
        </Text>
      ) : null}
    </span>
  );
}
