/**
 * An update-mode generation in "Tests from SQAI" (issue 19 item 3): SQAI's answer per possibly
 * stale test, counted per verdict, each reviewed as a diff and decided (UpdateProposalCard); "Apply
 * decisions" sends every decision made (decideTestUpdates). While the answer says work is left (a
 * large apply moved on to the queue) the generation panel is polled, as a generation is; an apply
 * that was interrupted is continued; tests in conflict can be proposed again. Server state lives in
 * useTestUpdates; the decisions not sent yet are this view's.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import VisuallyHidden from '@atlaskit/visually-hidden';
import { useEffect, useState, type CSSProperties } from 'react';
import type { DecideTestUpdatesInput, GenerationDto } from '../../../../src/api';
import { TRY_AGAIN } from '../../../common/src/actions';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { plural } from '../../../common/src/format';
import { FocusHeading } from '../generate/controls';
import {
  applyButtonText,
  conflictKeys,
  decideInputOf,
  isApplying,
  retryDecision,
  statusCountsText,
  updatesOf,
  verdictCountsText,
  type Decision,
} from './model';
import { UpdateProposalCard } from './UpdateProposalCard';
import { useTestUpdates } from './useTestUpdates';

export const UPDATES_HEADING_ID = 'sqai-updates-heading';

const listStyle: CSSProperties = {
  listStyle: 'none',
  margin: 0,
  padding: 0,
  display: 'flex',
  flexDirection: 'column',
  gap: token('space.100'),
};

export interface UpdatesSectionProps {
  issueKey: string;
  generation: GenerationDto;
  /** Bumped when the proposals arrive: focus moves to their heading. */
  focusSerial: number | undefined;
  /** Another action is under way in the section (no decisions meanwhile). */
  disabled?: boolean;
  onNewGeneration: () => void;
}

export function UpdatesSection({
  issueKey,
  generation,
  focusSerial,
  disabled = false,
  onNewGeneration,
}: UpdatesSectionProps) {
  const updates = updatesOf(generation);
  const controller = useTestUpdates(issueKey);
  /** Decisions made in this view and not sent yet, per generation. */
  const [pending, setPending] = useState<{ id: string; decisions: Record<string, Decision> }>({
    id: generation.id,
    decisions: {},
  });
  /** The last decision sent per test (Retry of a failed one sends it again). */
  const [sent, setSent] = useState<Record<string, Decision>>({});
  const [announcement, setAnnouncement] = useState('');
  const decisions = pending.id === generation.id ? pending.decisions : {};

  useEffect(() => {
    if (focusSerial === undefined) return;
    window.requestAnimationFrame(() => document.getElementById(UPDATES_HEADING_ID)?.focus());
  }, [focusSerial]);

  const input = decideInputOf(generation.id, updates, decisions);
  const applying = updates.some(isApplying);
  const busy = disabled || controller.deciding || controller.watching;
  const sendingKeys = new Set(controller.decidingInput?.decisions.map(({ testKey }) => testKey) ?? []);
  const continuing = controller.deciding && controller.decidingInput?.decisions.length === 0;
  const conflicts = conflictKeys(updates);

  const send = async (request: DecideTestUpdatesInput) => {
    const result = await controller.decide(request);
    if (!result) return;
    const sentNow = Object.fromEntries(
      request.decisions.map(({ testKey, action, edited }) => [
        testKey,
        edited ? { action, edited } : { action },
      ]),
    );
    setSent((current) => ({ ...current, ...sentNow }));
    setPending((current) => ({
      id: generation.id,
      decisions: Object.fromEntries(
        Object.entries(current.id === generation.id ? current.decisions : {}).filter(
          ([testKey]) => !(testKey in sentNow),
        ),
      ),
    }));
    const counts = statusCountsText(result.updates);
    setAnnouncement(
      result.running
        ? 'The updates are being applied in the background.'
        : counts
          ? `Decisions carried out: ${counts}.`
          : 'Decisions carried out.',
    );
  };

  const decide = (testKey: string, decision: Decision | undefined) =>
    setPending((current) => {
      const own = current.id === generation.id ? { ...current.decisions } : {};
      if (decision) own[testKey] = decision;
      else delete own[testKey];
      return { id: generation.id, decisions: own };
    });

  const statusLine = statusCountsText(updates);

  return (
    <Stack space="space.150" testId="updates-section">
      <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
        <FocusHeading id={UPDATES_HEADING_ID}>Proposed updates</FocusHeading>
        <Button appearance="subtle" spacing="compact" isDisabled={busy} onClick={onNewGeneration}>
          New generation
        </Button>
      </Inline>
      <Text as="p" size="small" color="color.text.subtle" testId="updates-summary">
        {`SQAI answered for ${plural(updates.length, 'possibly stale test')}: ${verdictCountsText(updates)}.`}
      </Text>
      {statusLine ? (
        <Text as="p" size="small" testId="updates-statuses">
          {statusLine}
        </Text>
      ) : null}
      {updates.length > 0 ? (
        <ul
          style={listStyle}
          aria-label="Proposed updates of possibly stale tests"
          data-testid="updates-list"
        >
          {updates.map((proposal) => (
            <UpdateProposalCard
              key={proposal.testKey}
              proposal={proposal}
              decision={decisions[proposal.testKey]}
              sending={sendingKeys.has(proposal.testKey) || (continuing && proposal.status === 'applying')}
              disabled={busy}
              onDecide={(decision) => decide(proposal.testKey, decision)}
              onRetry={() => {
                const decision = retryDecision(
                  proposal,
                  decisions[proposal.testKey] ?? sent[proposal.testKey],
                );
                if (!decision) return;
                void send({
                  generationId: generation.id,
                  decisions: [{ testKey: proposal.testKey, ...decision }],
                });
              }}
              onContinue={() => void send({ generationId: generation.id, decisions: [] })}
            />
          ))}
        </ul>
      ) : (
        <Text as="p" testId="updates-none">
          SQAI proposed no update.
        </Text>
      )}
      {controller.watching ? (
        <div role="status">
          <Text size="small" color="color.text.subtle" testId="updates-running">
            Applying the updates in the background…
          </Text>
        </div>
      ) : null}
      {controller.pollError ? (
        <ErrorMessageBox error={controller.pollError} testId="updates-poll-error">
          <p>
            <Button spacing="compact" onClick={controller.resumePolling}>
              {TRY_AGAIN}
            </Button>
          </p>
        </ErrorMessageBox>
      ) : null}
      {controller.decideError ? (
        <ErrorMessageBox error={controller.decideError} testId="updates-decide-error">
          <p>
            <Inline space="space.100">
              {controller.decidingInput === undefined && input.decisions.length > 0 ? (
                <Button spacing="compact" onClick={() => void send(input)}>
                  {TRY_AGAIN}
                </Button>
              ) : null}
              <Button spacing="compact" appearance="subtle" onClick={controller.dismissDecideError}>
                Dismiss
              </Button>
            </Inline>
          </p>
        </ErrorMessageBox>
      ) : null}
      {controller.proposeError ? (
        <ErrorMessageBox error={controller.proposeError} testId="updates-propose-error" />
      ) : null}
      <Inline space="space.100" rowSpace="space.100" shouldWrap>
        {updates.some(({ status }) => status === 'proposed' || status === 'failed') ? (
          <Button
            appearance="primary"
            testId="apply-decisions"
            isDisabled={input.decisions.length === 0 || busy}
            isLoading={controller.deciding && !continuing}
            onClick={() => void send(input)}
          >
            {applyButtonText(input.decisions.length)}
          </Button>
        ) : null}
        {conflicts.length > 0 && !applying ? (
          <Button
            appearance="default"
            testId="propose-again"
            isDisabled={busy}
            isLoading={controller.proposing}
            onClick={() => void controller.propose({ testKeys: conflicts })}
          >
            {conflicts.length === 1 ? 'Propose again' : `Propose again for ${conflicts.length} tests`}
          </Button>
        ) : null}
      </Inline>
      <VisuallyHidden>
        <div role="status" aria-live="polite" data-testid="updates-announcer">
          {announcement}
        </div>
      </VisuallyHidden>
    </Stack>
  );
}
