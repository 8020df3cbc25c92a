/**
 * Requirements parked for retry: how many, and a compact list — issue key (or id), attempts, the
 * last error's message and remedy, and "Gave up" once the app stopped retrying one.
 */
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import type { RetryEntryDto } from '../../../../src/api';
import { InlineError } from '../../../common/src/InlineError';
import { attemptsText, retryLabel, retrySummaryText } from './format';

const listStyle: CSSProperties = { listStyle: 'none', margin: 0, padding: 0 };

const rowStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(6rem, max-content) minmax(0, 1fr)',
  columnGap: token('space.150'),
  rowGap: token('space.025'),
  alignItems: 'center',
  paddingBlock: token('space.075'),
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  margin: 0,
};

const keyStyle: CSSProperties = {
  font: token('font.body'),
  fontWeight: token('font.weight.semibold'),
  overflowWrap: 'anywhere',
};

function RetryRow({ entry }: { entry: RetryEntryDto }) {
  return (
    <li
      style={rowStyle}
      data-testid={`retry-${entry.issueId}`}
      data-gave-up={entry.gaveUp ? 'true' : 'false'}
    >
      <span style={keyStyle}>{retryLabel(entry)}</span>
      <Inline space="space.100" alignBlock="center">
        <Text size="small" color="color.text.subtle">
          {attemptsText(entry.attempts)}
        </Text>
        {entry.gaveUp ? <Lozenge appearance="removed">Gave up</Lozenge> : null}
      </Inline>
      <InlineError error={entry.lastError} />
    </li>
  );
}

export function RetryList({ size, retries }: { size: number; retries: RetryEntryDto[] }) {
  const gaveUp = retries.some((entry) => entry.gaveUp);
  return (
    <Stack space="space.100">
      <Heading size="xsmall" as="h3">
        Retries
      </Heading>
      <Text as="p" size="small" color="color.text.subtle" testId="retry-summary">
        {retrySummaryText(size, retries)}
      </Text>
      {retries.length > 0 ? (
        <ul style={listStyle} data-testid="retry-list" aria-label="Requirements waiting to be retried">
          {retries.map((entry) => (
            <RetryRow key={entry.issueId} entry={entry} />
          ))}
        </ul>
      ) : null}
      {gaveUp ? (
        <Text as="p" size="small" color="color.text.subtlest">
          Fix what stopped the requirements marked “Gave up”, then send them again from their issue panel or
          with “Sync all now”.
        </Text>
      ) : null}
    </Stack>
  );
}
