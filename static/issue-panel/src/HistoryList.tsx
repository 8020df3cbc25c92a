/** A collapsible list of the most recent syncs: when, what started it, the outcome, any error. */
import Lozenge from '@atlaskit/lozenge';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import type { PeopleDto, SyncHistoryEntryDto } from '../../../src/api';
import { HISTORY_LIMIT, OUTCOME_BADGE, recentHistory, syncedByPerson, TRIGGER_TEXT } from './format';
import { Person } from '../../common/src/Person';
import { RelativeTime } from '../../common/src/RelativeTime';

const summaryStyle: CSSProperties = {
  cursor: 'pointer',
  font: token('font.body'),
  fontWeight: token('font.weight.semibold'),
  color: token('color.text'),
  paddingBlock: token('space.050'),
};

const tableStyle: CSSProperties = {
  width: '100%',
  // Fixed layout so a long name ellipsizes instead of widening the table.
  tableLayout: 'fixed',
  borderCollapse: 'collapse',
  font: token('font.body.small'),
  marginBlockStart: token('space.050'),
};

const cellStyle: CSSProperties = {
  padding: `${token('space.050')} ${token('space.100')} ${token('space.050')} 0`,
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  textAlign: 'start',
  verticalAlign: 'middle',
};

const whenStyle: CSSProperties = { ...cellStyle, whiteSpace: 'nowrap' };

const byStyle: CSSProperties = {
  display: 'block',
  overflow: 'hidden',
  color: token('color.text.subtlest'),
};

const headStyle: CSSProperties = { ...cellStyle, color: token('color.text.subtle'), fontWeight: 600 };

const codeStyle: CSSProperties = {
  font: token('font.code'),
  fontSize: 11,
  color: token('color.text.danger'),
};

export interface HistoryListProps {
  history: SyncHistoryEntryDto[];
  /** Who each entry's `by` is (IssuePanelView.people). */
  people?: PeopleDto | undefined;
}

export function HistoryList({ history, people }: HistoryListProps) {
  if (history.length === 0) return null;
  const entries = recentHistory({ history });
  return (
    <details data-testid="history">
      <summary style={summaryStyle}>
        History{' '}
        <Text size="small" color="color.text.subtlest" weight="regular">
          {history.length > HISTORY_LIMIT ? `(last ${HISTORY_LIMIT})` : `(${history.length})`}
        </Text>
      </summary>
      <table style={tableStyle}>
        <thead>
          <tr>
            <th style={{ ...headStyle, width: '30%' }} scope="col">
              When
            </th>
            <th style={headStyle} scope="col">
              Trigger
            </th>
            <th style={{ ...headStyle, width: '36%' }} scope="col">
              Outcome
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => {
            const badge = OUTCOME_BADGE[entry.outcome] ?? { text: entry.outcome, appearance: 'default' };
            const by = syncedByPerson(entry.by, people);
            return (
              <tr key={`${entry.at}-${index}`} data-testid="history-entry">
                <td style={whenStyle}>
                  <RelativeTime iso={entry.at} />
                </td>
                <td style={cellStyle}>
                  {TRIGGER_TEXT[entry.trigger] ?? entry.trigger}
                  {by ? (
                    <span style={byStyle}>
                      <Person person={by} testId="history-by" />
                    </span>
                  ) : null}
                </td>
                <td style={cellStyle}>
                  <Lozenge appearance={badge.appearance}>{badge.text}</Lozenge>
                  {entry.errorCode ? <span style={codeStyle}>{` ${entry.errorCode}`}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}
