/**
 * The panel's actions — Send to SQAI, Preview, Refresh — and the outcome of the last send: "Sent to
 * SQAI", "Already up to date — nothing sent" (with Send anyway), or the error with its remedy.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { SectionMessage } from '../../common/src/SectionMessage';
import Spinner from '@atlaskit/spinner';
import { REFRESH } from '../../common/src/actions';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { sentDescription } from './format';
import type { PreviewState, SendState } from './useIssuePanel';

export interface SendActionsProps {
  send: SendState;
  preview: PreviewState;
  /** Refreshing (or anything else) that must not overlap a send. */
  busy: boolean;
  canSend: boolean;
  onSend: (force: boolean) => void;
  onPreview: () => void;
  onRefresh: () => void;
}

function SendingIcon() {
  return <Spinner size="small" label="" />;
}

export function SendActions(props: SendActionsProps) {
  const sending = props.send.status === 'sending';
  /** A plain send (not "Send anyway", whose spinner is on its own button). */
  const sendingPlain = props.send.status === 'sending' && !props.send.force;
  const disabled = sending || props.busy;
  const previewOpen = props.preview.status !== 'closed';
  return (
    <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Button
          appearance="primary"
          isDisabled={disabled || !props.canSend}
          iconBefore={sendingPlain ? SendingIcon : undefined}
          onClick={() => props.onSend(false)}
          testId="send-to-sqai"
        >
          {sendingPlain ? 'Sending…' : 'Send to SQAI'}
        </Button>
        <Button
          isDisabled={props.busy}
          aria-expanded={previewOpen}
          aria-controls={previewOpen ? 'context-preview' : undefined}
          onClick={props.onPreview}
          testId="preview-toggle"
        >
          Preview
        </Button>
      </Inline>
      <Button appearance="subtle" isDisabled={disabled} onClick={props.onRefresh} testId="refresh">
        {REFRESH}
      </Button>
    </Inline>
  );
}

export function SendOutcome({ send, onSend }: { send: SendState; onSend: (force: boolean) => void }) {
  if (send.status === 'failed') return <ErrorMessageBox error={send.error} testId="send-error" />;
  const forcing = send.status === 'sending' && send.force;
  if (send.status === 'done' && send.result.outcome === 'pushed') {
    return (
      <SectionMessage appearance="success" title="Sent to SQAI" testId="send-outcome">
        <p>{`${sentDescription(send.result.summary)} — SQAI now has this issue’s latest testing context.`}</p>
      </SectionMessage>
    );
  }
  if ((send.status === 'done' && send.result.outcome === 'unchanged') || forcing) {
    return (
      <SectionMessage
        appearance="information"
        title="Already up to date — nothing sent"
        testId="send-outcome"
      >
        <p>SQAI already holds exactly this content. Send it again only if SQAI lost it or needs a re-run.</p>
        <p>
          <Button
            isDisabled={forcing}
            iconBefore={forcing ? SendingIcon : undefined}
            onClick={() => onSend(true)}
            testId="send-anyway"
          >
            {forcing ? 'Sending…' : 'Send anyway'}
          </Button>
        </p>
      </SectionMessage>
    );
  }
  return null;
}
