/**
 * Pure logic behind the connection status: which status to show, which host needs approving, and
 * the customer-managed egress request an admin approves.
 */
import type { permissions } from '@forge/bridge';
import type { ConnectionReport, SettingsView } from '../../../src/api';

export type ConnectionStatus = 'checking' | 'not-configured' | 'not-checked' | 'connected' | 'not-connected';

export function connectionStatusOf(
  configured: boolean,
  report: ConnectionReport | null,
  checking: boolean,
): ConnectionStatus {
  if (checking) return 'checking';
  if (!configured) return 'not-configured';
  if (!report) return 'not-checked';
  return report.ok ? 'connected' : 'not-connected';
}

/** Whether the last check saw Xray authenticate the key (so a passed expiry date is only a warning). */
export function keyStillAccepted(report: ConnectionReport | null): boolean {
  return report?.checks.some((entry) => entry.check === 'xray' && entry.status === 'pass') ?? false;
}

/** Shown beside the status while the form has edits the shown check did not see. */
export const STALE_TEXT = 'Settings changed since this check — save to check again';

export const STATUS_TEXT: Record<ConnectionStatus, string> = {
  checking: 'Checking…',
  'not-configured': 'Not configured',
  'not-checked': 'Not checked yet',
  connected: 'Connected',
  'not-connected': 'Not connected',
};

/**
 * The host to approve: the one Forge refused in the last check; or, before any check has reached
 * SQAI, a host the manifest does not declare. A host an admin already approved passes the check, so
 * it is not offered again (the backend cannot read approvals, only a fetch shows them).
 */
export function hostNeedingApproval(
  report: ConnectionReport | null,
  sqaiEgress: SettingsView['sqaiEgress'],
): string | undefined {
  const sqaiCheck = report?.checks.find((entry) => entry.check === 'sqai');
  if (sqaiCheck?.error?.code === 'EGRESS_NOT_ALLOWED') return sqaiCheck.error.host ?? sqaiEgress?.host;
  if (sqaiEgress && !sqaiEgress.declared && sqaiCheck?.status !== 'pass') return sqaiEgress.host;
  return undefined;
}

export const EGRESS_KEY = 'sqai-endpoint';

type EgressSetPayload = Parameters<typeof permissions.egress.set>[0];
/** `@forge/egress`'s EgressType enum, reached through the bridge's own types (no runtime import). */
type EgressType = EgressSetPayload['egresses'][number]['configured'][number]['type'][number];
const FETCH_BACKEND_SIDE = 'FETCH_BACKEND_SIDE' as EgressType;

/** The customer-managed egress request for the SQAI host (what an admin approves). */
export function egressRequestFor(host: string): EgressSetPayload {
  return {
    egresses: [
      {
        key: EGRESS_KEY,
        description: 'SQAI Suite API endpoint',
        configured: [{ domain: host, type: [FETCH_BACKEND_SIDE] }],
      },
    ],
  };
}
