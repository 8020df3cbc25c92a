/**
 * Creating the selected tests in Xray: one row per test (creating… / created KEY / failed: why),
 * then "Created N tests" with where they went, or — when some failed — what is missing and
 * "Retry failed" (the backend retries only failed and pending items; nothing is created twice).
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../../common/src/SectionMessage';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import type { CreationDto, CreationItemDto, ErrorDto } from '../../../../src/api';
import { TRY_AGAIN } from '../../../common/src/actions';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { InlineError } from '../../../common/src/InlineError';
import { FocusHeading, IssueKeyLink } from './controls';
import {
  countsText,
  createdText,
  creationCounts,
  creationSummaryText,
  organisedParts,
  testsText,
} from './model';
import type { CreateState } from './useGeneration';

const listStyle: CSSProperties = { listStyle: 'none', margin: 0, padding: 0 };

const rowStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(0, 1fr) auto',
  columnGap: token('space.150'),
  alignItems: 'center',
  paddingBlock: token('space.050'),
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  margin: 0,
};

const titleStyle: CSSProperties = {
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
  font: token('font.body'),
};

const partsStyle: CSSProperties = { margin: 0, paddingInlineStart: token('space.250') };

function ItemStatus({ item, active }: { item: CreationItemDto; active: boolean }) {
  if (item.status === 'created') {
    return (
      <Inline space="space.075" alignBlock="center">
        <Lozenge appearance="success">Created</Lozenge>
        {item.key ? <IssueKeyLink issueKey={item.key} /> : null}
      </Inline>
    );
  }
  if (item.status === 'notLinked') {
    return (
      <Inline space="space.075" alignBlock="center">
        <Lozenge appearance="moved">Created, not linked</Lozenge>
        {item.key ? <IssueKeyLink issueKey={item.key} /> : null}
      </Inline>
    );
  }
  if (item.status === 'failed') {
    return (
      <Inline space="space.075" alignBlock="center">
        <Lozenge appearance="removed">Failed</Lozenge>
        {item.key ? <IssueKeyLink issueKey={item.key} /> : null}
      </Inline>
    );
  }
  return active ? (
    <Inline space="space.075" alignBlock="center">
      <Spinner size="small" label="" />
      <Text size="small" color="color.text.subtle">
        Creating…
      </Text>
    </Inline>
  ) : (
    <Lozenge>Not created</Lozenge>
  );
}

function Item({ item, active }: { item: CreationItemDto; active: boolean }) {
  return (
    <li style={rowStyle} data-testid={`creation-item-${item.proposalId}`} data-status={item.status}>
      <span style={titleStyle} title={item.title}>
        {item.title}
      </span>
      <ItemStatus item={item} active={active} />
      {(item.status === 'failed' || item.status === 'notLinked') && item.error ? (
        <InlineError error={item.error} />
      ) : null}
    </li>
  );
}

function Where({ creation }: { creation: CreationDto }) {
  const parts = organisedParts(creation.organised);
  if (parts.length === 0) return <p>Not added to a test set, execution, plan or folder.</p>;
  return (
    <ul style={partsStyle} data-testid="creation-where">
      {parts.map((part) => (
        <li key={part.label}>
          {`${part.label} `}
          {part.key ? <IssueKeyLink issueKey={part.key} /> : <code>{part.path}</code>}
          {part.created ? ' (new)' : null}
        </li>
      ))}
    </ul>
  );
}

function OrganiseErrors({ errors }: { errors: ErrorDto[] }) {
  if (errors.length === 0) return null;
  return (
    <ul style={partsStyle} data-testid="creation-errors">
      {errors.map((error, index) => (
        <li key={index}>
          <strong>{error.message}</strong>
          {error.remedy ? ` ${error.remedy}` : null}
        </li>
      ))}
    </ul>
  );
}

export const CREATION_HEADING_ID = 'sqai-creation-heading';

/**
 * The review once its tests were created: one sentence naming them and where they went, with
 * links, and a way back to the review.
 */
export function CreatedSummary({
  creation,
  headingId,
  onShowReview,
  onNewGeneration,
}: {
  creation: CreationDto;
  headingId: string;
  onShowReview: () => void;
  onNewGeneration: () => void;
}) {
  const tests = creation.items.flatMap((item) => (item.status === 'created' && item.key ? [item.key] : []));
  return (
    <section aria-labelledby={headingId} data-testid="creation-summary">
      <Stack space="space.100">
        <FocusHeading id={headingId}>{createdText(creationCounts(creation.items))}</FocusHeading>
        <Text as="p" testId="creation-summary-text">
          {creationSummaryText(creation)}
        </Text>
        <Inline space="space.075" shouldWrap>
          {tests.map((key) => (
            <IssueKeyLink key={key} issueKey={key} />
          ))}
        </Inline>
        <Where creation={creation} />
        <OrganiseErrors errors={creation.errors} />
        <Inline space="space.100">
          <Button appearance="default" aria-expanded={false} onClick={onShowReview} testId="show-review">
            Show review
          </Button>
          <Button appearance="subtle" onClick={onNewGeneration}>
            New generation
          </Button>
        </Inline>
      </Stack>
    </section>
  );
}

export interface CreationProgressProps {
  creation: CreationDto | null;
  create: CreateState;
  onRetry: () => void;
  onRecreate: () => void;
}

export function CreationProgress({ creation, create, onRetry, onRecreate }: CreationProgressProps) {
  const submitting = create.status === 'submitting';
  const items = submitting ? create.items : (creation?.items ?? []);
  const active = submitting || create.status === 'continuing' || creation?.status === 'running';
  const counts = creationCounts(items);
  const continuing = create.status === 'continuing';

  return (
    <Stack space="space.150">
      {items.length > 0 ? (
        <section aria-labelledby={CREATION_HEADING_ID} data-testid="creation-progress" aria-busy={active}>
          <Stack space="space.050">
            <Inline space="space.100" alignBlock="baseline" spread="space-between" shouldWrap>
              <FocusHeading id={CREATION_HEADING_ID}>
                {active ? `Creating ${testsText(counts.total)} in Xray…` : 'Created in Xray'}
              </FocusHeading>
              <Text size="small" color="color.text.subtle" testId="creation-counts">
                {countsText(counts)}
              </Text>
            </Inline>
            {creation?.queued && active ? (
              <Text size="small" color="color.text.subtle">
                A large job: the app creates these in the background. You can leave this page; the progress is
                kept.
              </Text>
            ) : null}
            <ul style={listStyle}>
              {items.map((item) => (
                <Item key={item.proposalId} item={item} active={active} />
              ))}
            </ul>
          </Stack>
        </section>
      ) : null}

      {!submitting && creation?.status === 'done' ? (
        <SectionMessage appearance="success" title={createdText(counts)} testId="creation-done">
          <Where creation={creation} />
          <OrganiseErrors errors={creation.errors} />
        </SectionMessage>
      ) : null}

      {!submitting && creation?.status === 'partial' ? (
        <SectionMessage appearance="warning" title={createdText(counts)} testId="creation-partial">
          <Stack space="space.100">
            <p>
              {counts.notLinked > 0
                ? `${testsText(counts.notLinked)} created but not linked to the requirement. `
                : ''}
              {counts.failed + counts.pending > 0
                ? `${testsText(counts.failed + counts.pending)} could not be created (reasons above). `
                : counts.notLinked === 0
                  ? 'Some of the organising steps failed. '
                  : ''}
              Retry failed finishes the job; tests already created are never created twice.
            </p>
            <OrganiseErrors errors={creation.errors} />
            <div>
              <Button appearance="primary" isLoading={continuing} onClick={onRetry} testId="retry-failed">
                Retry failed
              </Button>
            </div>
          </Stack>
        </SectionMessage>
      ) : null}

      {create.status === 'failed' ? (
        <ErrorMessageBox error={create.error} testId="creation-error">
          {/* A missing permission is not fixed by trying again: the remedy says whom to ask. */}
          {create.error.code === 'FORBIDDEN' ? null : (
            <p>
              <Button onClick={create.during === 'create' ? onRecreate : onRetry}>{TRY_AGAIN}</Button>
            </p>
          )}
        </ErrorMessageBox>
      ) : null}
    </Stack>
  );
}
