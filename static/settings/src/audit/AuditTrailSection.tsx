/**
 * "Audit trail" (issue 20 item 6): every document sent to SQAI and every delivery received — when,
 * who, which requirement, which sources, redactions by kind, bytes, content hash, host, outcome —
 * filtered by direction, issue key and dates, 25 at a time with "Show more", exportable as CSV or
 * JSON (the file comes from exportAuditTrail and is saved through a Blob link).
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import { useId, useState, type CSSProperties, type FormEvent } from 'react';
import type { AuditEntryDto, PeopleDto } from '../../../../src/api';
import { formatDateTime } from '../../../common/src/datetime';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { Loaded } from '../../../common/src/Loaded';
import { Section } from '../../../common/src/Section';
import { TryAgainBox } from '../../../common/src/TryAgainBox';
import { useAuditTrail, type AuditFilters, type AuditTrailController, type AuditView } from './useAuditTrail';

const tableStyle: CSSProperties = {
  width: '100%',
  borderCollapse: 'collapse',
  font: token('font.body.small'),
};
const cellStyle: CSSProperties = {
  padding: `${token('space.050')} ${token('space.075')} ${token('space.050')} 0`,
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  textAlign: 'start',
  verticalAlign: 'top',
  overflowWrap: 'anywhere',
};
const numberStyle: CSSProperties = { ...cellStyle, textAlign: 'end', whiteSpace: 'nowrap' };
const headStyle: CSSProperties = { ...cellStyle, color: token('color.text.subtle'), fontWeight: 600 };
const fieldStyle: CSSProperties = { display: 'flex', flexDirection: 'column', gap: token('space.050') };
const inputStyle: CSSProperties = {
  font: token('font.body'),
  padding: token('space.050'),
  border: `${token('border.width')} solid ${token('color.border.input')}`,
  borderRadius: token('radius.small'),
  minWidth: '8rem',
};

/** Who: a person's name when the page knows it, else their account id; the schedule; SQAI. */
function who(entry: AuditEntryDto, people: PeopleDto | undefined): string {
  if (entry.actor.kind === 'schedule') return 'Schedule (hourly sync, Sync all)';
  if (entry.actor.kind === 'sqai') return 'SQAI';
  const id = entry.actor.accountId;
  if (!id) return 'A user';
  const person = people && Object.prototype.hasOwnProperty.call(people, id) ? people[id] : undefined;
  return person?.displayName ?? id;
}

const redactionsText = (redactions: AuditEntryDto['redactions']) => {
  const parts = Object.entries(redactions)
    .filter((pair): pair is [string, number] => typeof pair[1] === 'number' && pair[1] > 0)
    .map(([kind, count]) => `${kind} ${count}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
};

function Row({ entry, people }: { entry: AuditEntryDto; people: PeopleDto | undefined }) {
  return (
    <tr data-testid="audit-row" data-key={entry.requirement.key} data-direction={entry.direction}>
      <td style={cellStyle}>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td style={cellStyle} data-testid="audit-who">
        {who(entry, people)}
      </td>
      <th scope="row" style={cellStyle} data-testid="audit-requirement">
        {entry.requirement.key || '—'}
      </th>
      <td style={cellStyle} data-testid="audit-direction">
        {entry.direction}
      </td>
      <td style={cellStyle}>{entry.sources.length > 0 ? entry.sources.join(', ') : '—'}</td>
      <td style={cellStyle}>{redactionsText(entry.redactions)}</td>
      <td style={numberStyle}>{entry.bytes.toLocaleString()}</td>
      <td style={cellStyle}>
        {entry.contentHash ? <code title={entry.contentHash}>{entry.contentHash.slice(0, 12)}</code> : '—'}
      </td>
      <td style={cellStyle}>{entry.host || '—'}</td>
      <td style={cellStyle} data-testid="audit-outcome">
        {entry.outcome}
      </td>
    </tr>
  );
}

const COLUMNS = [
  'When',
  'Who',
  'Requirement',
  'Direction',
  'Sources',
  'Redactions',
  'Bytes',
  'Content hash',
  'Host',
  'Outcome',
];

function Entries({
  view,
  controller,
  people,
}: {
  view: AuditView;
  controller: AuditTrailController;
  people: PeopleDto | undefined;
}) {
  return (
    <Stack space="space.100">
      {view.entries.length === 0 ? (
        <Text as="p" color="color.text.subtle" testId="audit-empty">
          No entry matches{view.hasMore ? ' in the part read so far' : ''}.
        </Text>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <table style={tableStyle} data-testid="audit-table">
            <caption style={{ textAlign: 'start', paddingBlockEnd: token('space.050') }}>
              <Text weight="semibold">Documents sent to SQAI and deliveries received, newest first</Text>
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    key={column}
                    scope="col"
                    style={column === 'Bytes' ? { ...headStyle, textAlign: 'end' } : headStyle}
                  >
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.entries.map((entry) => (
                <Row key={entry.id} entry={entry} people={people} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {controller.moreError ? (
        <TryAgainBox
          error={controller.moreError}
          onTryAgain={controller.showMore}
          testId="audit-more-error"
        />
      ) : null}
      <Inline space="space.100" alignBlock="center">
        {view.hasMore ? (
          <Button onClick={controller.showMore} isLoading={controller.loadingMore} testId="audit-show-more">
            Show more
          </Button>
        ) : null}
        <Text size="small" color="color.text.subtlest" testId="audit-shown">
          {view.entries.length.toLocaleString()} shown. Entries are kept {view.retentionDays} days.
        </Text>
      </Inline>
    </Stack>
  );
}

function Filters({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const id = useId();
  const [direction, setDirection] = useState('');
  const [issueKey, setIssueKey] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      ...(direction === 'sent' || direction === 'received' ? { direction } : {}),
      ...(issueKey.trim() ? { issueKey: issueKey.trim() } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
  };
  return (
    <form onSubmit={submit} aria-label="Filter the audit trail" data-testid="audit-filters">
      <Inline space="space.150" alignBlock="end" shouldWrap>
        <label style={fieldStyle} htmlFor={`${id}-direction`}>
          <Text size="small">Direction</Text>
          <select
            id={`${id}-direction`}
            style={inputStyle}
            value={direction}
            onChange={(event) => setDirection(event.target.value)}
            data-testid="audit-filter-direction"
          >
            <option value="">Both</option>
            <option value="sent">Sent</option>
            <option value="received">Received</option>
          </select>
        </label>
        <label style={fieldStyle} htmlFor={`${id}-key`}>
          <Text size="small">Issue key</Text>
          <input
            id={`${id}-key`}
            style={inputStyle}
            value={issueKey}
            placeholder="DEMO-1"
            onChange={(event) => setIssueKey(event.target.value)}
            data-testid="audit-filter-key"
          />
        </label>
        <label style={fieldStyle} htmlFor={`${id}-from`}>
          <Text size="small">From (UTC)</Text>
          <input
            id={`${id}-from`}
            type="date"
            style={inputStyle}
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            data-testid="audit-filter-from"
          />
        </label>
        <label style={fieldStyle} htmlFor={`${id}-to`}>
          <Text size="small">To (UTC)</Text>
          <input
            id={`${id}-to`}
            type="date"
            style={inputStyle}
            value={to}
            onChange={(event) => setTo(event.target.value)}
            data-testid="audit-filter-to"
          />
        </label>
        <Button type="submit" testId="audit-filter-apply">
          Apply filters
        </Button>
      </Inline>
    </form>
  );
}

export interface AuditTrailSectionProps {
  /** The people the settings view resolved (names for account ids); an id it does not name is shown as is. */
  people?: PeopleDto;
}

export function AuditTrailSection({ people }: AuditTrailSectionProps) {
  const [filters, setFilters] = useState<AuditFilters>({});
  const controller = useAuditTrail(filters);
  return (
    <Section title="Audit trail" testId="audit-section">
      <Text as="p" size="small" color="color.text.subtle">
        Every context document sent to SQAI and every delivery received from it: when, who, which requirement,
        what it held, how many values were redacted, its size and content hash, the host, and the outcome. No
        content and no redacted value is kept here.
      </Text>
      <Filters onApply={setFilters} />
      <Loaded
        load={controller.load}
        loadingText="Loading the audit trail…"
        onTryAgain={() => void controller.reload()}
        loadingTestId="audit-loading"
        errorTestId="audit-error"
      >
        {(view) => <Entries view={view} controller={controller} people={people} />}
      </Loaded>
      <Inline space="space.100" alignBlock="center">
        <Button
          onClick={() => controller.exportAs('csv')}
          isLoading={controller.exporting === 'csv'}
          testId="audit-export-csv"
        >
          Export CSV
        </Button>
        <Button
          onClick={() => controller.exportAs('json')}
          isLoading={controller.exporting === 'json'}
          testId="audit-export-json"
        >
          Export JSON
        </Button>
        <div role="status" aria-live="polite" data-testid="audit-export-status">
          {controller.exported ? (
            <Text size="small" color="color.text.subtle">
              Exported {controller.exported.entries.toLocaleString()} entries to{' '}
              {controller.exported.filename}
              {controller.exported.truncated
                ? ' (more matched than one export holds: narrow the filters)'
                : ''}
              .
            </Text>
          ) : null}
        </div>
      </Inline>
      {controller.exportError ? (
        <ErrorMessageBox error={controller.exportError} testId="audit-export-error" />
      ) : null}
    </Section>
  );
}
