/**
 * The connection status at the top of the page — Connected / Not connected / Not configured /
 * Checking… — and one row per check with what was verified, and for problems the message, the
 * remedy and a one-click fix where there is one (wrong Xray region, SQAI host not approved).
 */
import Button from '@atlaskit/button/new';
import CheckCircleIcon from '@atlaskit/icon/core/check-circle';
import CrossCircleIcon from '@atlaskit/icon/core/cross-circle';
import MinusIcon from '@atlaskit/icon/core/minus';
import StatusWarningIcon from '@atlaskit/icon/core/status-warning';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import { XRAY_REGION_LABELS } from '../../../src/api';
import type { CheckResult, ConnectionReport, SettingsView, XrayRegion } from '../../../src/api';
import {
  connectionStatusOf,
  hostNeedingApproval,
  STALE_TEXT,
  STATUS_TEXT,
  type ConnectionStatus,
} from './connection';
import { EgressApproval } from './EgressApproval';
import { formatDatesIn, formatDateTime } from '../../common/src/datetime';
import type { EgressOutcome } from './useSettings';

const STATUS_APPEARANCE = {
  checking: 'inprogress',
  'not-configured': 'default',
  'not-checked': 'default',
  connected: 'success',
  'not-connected': 'removed',
} as const satisfies Record<ConnectionStatus, string>;

const CHECK_TEXT: Record<CheckResult['status'], string> = {
  pass: 'Passed',
  fail: 'Failed',
  warn: 'Warning',
  skipped: 'Skipped',
};

const CHECK_APPEARANCE = {
  pass: 'success',
  fail: 'removed',
  warn: 'moved',
  skipped: 'default',
} as const satisfies Record<CheckResult['status'], string>;

function CheckIcon({ status }: { status: CheckResult['status'] }) {
  switch (status) {
    case 'pass':
      return <CheckCircleIcon label="" color={token('color.icon.success')} />;
    case 'fail':
      return <CrossCircleIcon label="" color={token('color.icon.danger')} />;
    case 'warn':
      return <StatusWarningIcon label="" color={token('color.icon.warning')} />;
    default:
      return <MinusIcon label="" color={token('color.icon.subtle')} />;
  }
}

const rowStyle: CSSProperties = {
  paddingBlock: token('space.100'),
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
};

const listStyle: CSSProperties = { margin: 0, padding: 0, listStyle: 'none' };

function CheckRow(props: {
  result: CheckResult;
  isDisabled: boolean;
  onUseRegion: (region: XrayRegion) => void;
}) {
  const { result } = props;
  const error = result.error;
  const showDetail = !error || result.detail !== error.message;
  return (
    <li style={rowStyle} data-testid={`check-${result.check}`}>
      <Inline space="space.100" alignBlock="start">
        <CheckIcon status={result.status} />
        <Stack space="space.050" grow="fill">
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Text weight="semibold">{result.label}</Text>
            <Lozenge appearance={CHECK_APPEARANCE[result.status]}>{CHECK_TEXT[result.status]}</Lozenge>
          </Inline>
          {showDetail ? <Text color="color.text.subtle">{formatDatesIn(result.detail)}</Text> : null}
          {error ? (
            <Stack space="space.050">
              <Text
                color={result.status === 'fail' ? 'color.text.danger' : 'color.text.warning'}
                weight="medium"
              >
                {formatDatesIn(error.message)}
              </Text>
              {error.remedy ? <Text color="color.text.subtle">{formatDatesIn(error.remedy)}</Text> : null}
              {error.code === 'XRAY_WRONG_REGION' && error.suggestedRegion ? (
                <div>
                  <Button
                    appearance="primary"
                    isDisabled={props.isDisabled}
                    onClick={() => error.suggestedRegion && props.onUseRegion(error.suggestedRegion)}
                  >
                    {`Use ${XRAY_REGION_LABELS[error.suggestedRegion]}`}
                  </Button>
                </div>
              ) : null}
            </Stack>
          ) : null}
        </Stack>
      </Inline>
    </li>
  );
}

export interface ConnectionReportViewProps {
  configured: boolean;
  report: ConnectionReport | null;
  checking: boolean;
  /** The form has unsaved edits: the shown check describes the stored settings, not the form. */
  stale: boolean;
  isDisabled: boolean;
  approving: boolean;
  sqaiEgress: SettingsView['sqaiEgress'];
  egressOutcome: EgressOutcome | null;
  onUseRegion: (region: XrayRegion) => void;
  onApproveHost: (host: string) => void;
}

export function ConnectionReportView(props: ConnectionReportViewProps) {
  const status = connectionStatusOf(props.configured, props.report, props.checking);
  const host = props.configured ? hostNeedingApproval(props.report, props.sqaiEgress) : undefined;
  const stale =
    props.stale && props.report !== null && (status === 'connected' || status === 'not-connected');
  return (
    <Stack space="space.150">
      <Inline space="space.100" alignBlock="center" shouldWrap role="status">
        <Text weight="semibold">Connection</Text>
        {status === 'checking' ? <Spinner size="small" label="Checking the connection" /> : null}
        <Lozenge appearance={STATUS_APPEARANCE[status]} testId="connection-status">
          {STATUS_TEXT[status]}
        </Lozenge>
        {props.report && status !== 'not-configured' ? (
          <Text size="small" color="color.text.subtlest" testId="last-checked">
            Last checked {formatDateTime(props.report.checkedAt)}
          </Text>
        ) : null}
      </Inline>
      {/* Its own live region: it appears on the first edit, so it is announced once, not per keystroke. */}
      <div role="status">
        {stale ? (
          <Inline space="space.050" alignBlock="center" testId="connection-stale">
            <StatusWarningIcon label="" color={token('color.icon.warning')} size="small" />
            <Text size="small" color="color.text.warning" weight="medium">
              {STALE_TEXT}
            </Text>
          </Inline>
        ) : null}
      </div>
      {props.configured && props.report ? (
        <ul style={listStyle} aria-label="Connection checks">
          {props.report.checks.map((result) => (
            <CheckRow
              key={result.check}
              result={result}
              isDisabled={props.isDisabled}
              onUseRegion={props.onUseRegion}
            />
          ))}
        </ul>
      ) : null}
      {host ? (
        <EgressApproval
          host={host}
          busy={props.approving}
          isDisabled={props.isDisabled}
          outcome={props.egressOutcome}
          onApprove={props.onApproveHost}
        />
      ) : null}
    </Stack>
  );
}
