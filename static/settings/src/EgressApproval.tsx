/**
 * Forge customer-managed egress: the backend may only fetch hosts declared in the manifest or
 * approved by a Jira admin. When the SQAI host is neither, this explains it and offers to ask for
 * approval (`permissions.egress.set`); Forge shows the admin its own confirmation.
 */
import Button from '@atlaskit/button/new';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { SectionMessage } from '../../common/src/SectionMessage';
import type { EgressOutcome } from './useSettings';

export interface EgressApprovalProps {
  host: string;
  busy: boolean;
  isDisabled: boolean;
  outcome: EgressOutcome | null;
  onApprove: (host: string) => void;
}

export function EgressApproval({ host, busy, isDisabled, outcome, onApprove }: EgressApprovalProps) {
  const refused = outcome && !outcome.ok && outcome.host === host ? outcome : null;
  return (
    <SectionMessage appearance="warning" title={`Approve the SQAI host ${host}`} testId="egress-approval">
      <Stack space="space.150">
        <p>
          Forge apps can only call hosts that are declared in the app’s manifest or approved by a Jira admin
          (customer-managed egress). <strong>{host}</strong> is neither yet, so the app cannot reach your SQAI
          endpoint. A Jira admin can approve it here; Atlassian asks them to confirm.
        </p>
        <div>
          <Button
            appearance="primary"
            isLoading={busy}
            isDisabled={isDisabled}
            onClick={() => onApprove(host)}
          >
            Approve host
          </Button>
        </div>
        {refused ? (
          <SectionMessage appearance="error" title="The host was not approved" testId="egress-refused">
            <p>
              Only a Jira admin can approve a host for the app. Ask one to open this page and click Approve
              host, or use an SQAI endpoint under sqai-suite.com, which the app may always reach.
            </p>
            {refused.message ? <p>Details: {refused.message}</p> : null}
          </SectionMessage>
        ) : null}
      </Stack>
    </SectionMessage>
  );
}
