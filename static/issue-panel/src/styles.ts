/**
 * The issue panel's shared layout styles (Atlaskit design tokens): the bordered card each
 * criterion, stale-test list and proposal sits in, and the plain list of rows inside one.
 */
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';

/** A bordered card. Longhands only: a selected card swaps the colour, and React cannot mix shorthand and longhand. */
export const cardStyle: CSSProperties = {
  borderWidth: token('border.width'),
  borderStyle: 'solid',
  borderColor: token('color.border'),
  borderRadius: token('radius.medium', '6px'),
  padding: `${token('space.100')} ${token('space.150')}`,
  backgroundColor: token('elevation.surface'),
  minWidth: 0,
};

/** A list without bullets or indent. */
export const plainListStyle: CSSProperties = { listStyle: 'none', margin: 0, padding: 0 };

/** One row of such a list: wrapping items, a rule above. */
export const listRowStyle: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'center',
  columnGap: token('space.100'),
  rowGap: token('space.025'),
  paddingBlock: token('space.050'),
  borderBlockStart: `${token('border.width')} solid ${token('color.border')}`,
  minWidth: 0,
};
