/**
 * "Generate tests" in the issue panel: ask SQAI for tests for this requirement, watch it write them,
 * review the proposals, choose where they go, and create them in Xray — then the review collapses to
 * what was created (it can be opened again). Server state lives in useGeneration; this picks what to
 * show for the generation's state, moves focus to results as they arrive and announces them.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import VisuallyHidden from '@atlaskit/visually-hidden';
import { useEffect, useState } from 'react';
import type { GenerationDto, GenerationPanelDto } from '../../../../src/api';
import { TRY_AGAIN } from '../../../common/src/actions';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { Loaded } from '../../../common/src/Loaded';
import { Section } from '../../../common/src/Section';
import { ContextChangedNotice } from './ContextChangedNotice';
import { CreatedSummary, CreationProgress, CREATION_HEADING_ID } from './CreationProgress';
import { DestinationPicker, destinationIds } from './DestinationPicker';
import type { CriteriaFocus } from '../criteria/model';
import { GENERATE_FIELD_IDS, GenerateForm } from './GenerateForm';
import { GenerationProgress } from './GenerationProgress';
import {
  createButtonText,
  defaultGenerateForm,
  DESTINATION_FIELDS,
  selectedProposals,
  startInputOf,
  testsText,
  toStartInput,
  type GenerateErrors,
} from './model';
import { focusProposalTitle } from './ProposalCard';
import { ProposalList, PROPOSALS_HEADING_ID } from './ProposalList';
import { useGeneration, type GenerationController } from './useGeneration';
import { isUpdateMode } from '../living/model';
// Living tests' review (issue 19) is part of the panel's lazily loaded requirement sections
// (../criteria/sections.ts): a chunk of its own split the panel's up-front code further.
import { UpdatesSection } from '../living/UpdatesSection';

const NO_ERRORS: GenerateErrors = {};

function Review({
  controller,
  generation,
  onNewGeneration,
  updateMode = false,
}: {
  controller: GenerationController;
  generation: GenerationDto;
  onNewGeneration: () => void;
  /** Shown under an update-mode generation's updates (its new tests): focus goes to the updates. */
  updateMode?: boolean;
}) {
  const { review, created, creating } = controller;
  const [errorFocusRequest, setErrorFocusRequest] = useState(0);

  // After a refused Create, move focus to the first field that needs attention.
  useEffect(() => {
    if (errorFocusRequest === 0) return;
    const titleIndex = generation.proposals.findIndex((proposal) => controller.titleErrors[proposal.id]);
    if (titleIndex >= 0) {
      focusProposalTitle(titleIndex);
      return;
    }
    const field = DESTINATION_FIELDS.find((name) => controller.destinationErrors[name]);
    if (!field) return;
    const ids = destinationIds(field);
    (document.getElementById(ids.detail) ?? document.getElementById(ids.control))?.focus();
    // Only when a new request comes in (the errors are read as they are then).
  }, [errorFocusRequest]);

  const [reviewOpen, setReviewOpen] = useState(false);
  const { focusRequest } = controller;
  const creation = controller.creation;
  const collapsed = creation?.status === 'done' && controller.create.status !== 'submitting' && !reviewOpen;

  // Results arrive where the user is: focus moves to their heading (not to the top of the page).
  useEffect(() => {
    if (!focusRequest) return;
    if (updateMode && focusRequest.target === 'proposals') return;
    const id =
      focusRequest.target === 'proposals'
        ? PROPOSALS_HEADING_ID
        : focusRequest.target === 'created'
          ? CREATED_HEADING_ID
          : CREATION_HEADING_ID;
    if (focusRequest.target === 'created') setReviewOpen(false);
    // After the render that shows it.
    window.requestAnimationFrame(() => document.getElementById(id)?.focus());
  }, [focusRequest]);

  if (!review) return null;
  const count = selectedProposals(generation, review, created).length;
  const panel = controller.panel;

  if (collapsed && creation) {
    return (
      <Stack space="space.150">
        {panel?.contextChanged ? <ContextChangedNotice /> : null}
        <CreatedSummary
          creation={creation}
          headingId={CREATED_HEADING_ID}
          onShowReview={() => setReviewOpen(true)}
          onNewGeneration={onNewGeneration}
        />
      </Stack>
    );
  }

  return (
    <Stack space="space.200">
      <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
        <Text size="small" color="color.text.subtle" testId="generation-summary">
          {`SQAI proposed ${testsText(generation.proposals.length)} (${generation.testTypes.join(', ')}).`}
        </Text>
        <Inline space="space.050">
          {creation?.status === 'done' ? (
            <Button
              appearance="subtle"
              spacing="compact"
              aria-expanded
              testId="hide-review"
              onClick={() => setReviewOpen(false)}
            >
              Hide review
            </Button>
          ) : null}
          <Button appearance="subtle" spacing="compact" isDisabled={creating} onClick={onNewGeneration}>
            New generation
          </Button>
        </Inline>
      </Inline>
      {panel?.contextChanged ? <ContextChangedNotice /> : null}
      <ProposalList
        generation={generation}
        review={review}
        created={created}
        titleErrors={controller.titleErrors}
        disabled={creating}
        onSelect={controller.setSelected}
        onTitle={controller.setTitle}
      />
      {generation.proposals.length > 0 ? (
        <>
          <DestinationPicker
            form={controller.destination}
            errors={controller.destinationErrors}
            panel={panel}
            disabled={creating}
            onChange={controller.setDestination}
          />
          {controller.createMessages.length > 0 ? (
            <ErrorMessageBox
              error={{
                message: 'The tests could not be created',
                remedy: controller.createMessages.join(' '),
              }}
              testId="create-refused"
            />
          ) : null}
          <ReviewSaveNote state={controller.saveState} />
          {/* One action at a time: once tests are being created, Retry failed finishes the job. */}
          {creation ? null : (
            <div>
              <Button
                appearance="primary"
                isDisabled={count === 0 || creating}
                isLoading={controller.create.status === 'submitting'}
                testId="create-tests"
                onClick={() =>
                  void controller.createTests().then((ok) => {
                    if (!ok) setErrorFocusRequest((request) => request + 1);
                  })
                }
              >
                {createButtonText(count)}
              </Button>
            </div>
          )}
        </>
      ) : null}
      <CreationProgress
        creation={controller.creation}
        create={controller.create}
        onRetry={controller.retryCreation}
        onRecreate={() => void controller.createTests()}
      />
    </Stack>
  );
}

const CREATED_HEADING_ID = 'sqai-created-heading';

/** Whether the review's edits are kept (they are saved with the generation, per user). */
function ReviewSaveNote({ state }: { state: GenerationController['saveState'] }) {
  return (
    <div data-testid="review-save-state" data-state={state}>
      {state === 'failed' ? (
        <Text size="small" color="color.text.warning">
          Your edits could not be saved; they are lost if you reload.
        </Text>
      ) : null}
    </div>
  );
}

function Body({
  issueKey,
  controller,
  panel,
  criteriaFocus,
  onClearCriteriaFocus,
}: {
  issueKey: string;
  controller: GenerationController;
  panel: GenerationPanelDto;
  criteriaFocus: CriteriaFocus | null;
  onClearCriteriaFocus: () => void;
}) {
  const { generation, start } = controller;
  const [formOpen, setFormOpen] = useState(false);

  // "Generate tests for uncovered criteria": the form opens (whatever was shown) with the criteria
  // named at its top, and focus moves there.
  const focusSerial = criteriaFocus?.serial;
  useEffect(() => {
    if (focusSerial === undefined) return;
    controller.dismissStartError();
    setFormOpen(true);
    window.requestAnimationFrame(() => document.getElementById(GENERATE_FIELD_IDS.criteriaFocus)?.focus());
    // Only when a new request comes in.
  }, [focusSerial]);
  const starting = start.status === 'starting';
  const startFailed = start.status === 'failed' ? start : null;

  const showForm =
    generation === null || formOpen || (startFailed !== null && generation.status === 'failed');

  if (generation && (generation.status === 'pending' || generation.status === 'running') && !formOpen) {
    return (
      <GenerationProgress
        generation={generation}
        pollError={controller.pollError}
        onResume={controller.resumePolling}
      />
    );
  }

  if (showForm) {
    return (
      <GenerateForm
        // A fresh form (defaults from the last generation) each time it opens.
        key={generation?.id ?? 'first'}
        testTypes={panel.testTypes}
        initial={defaultGenerateForm(panel.testTypes, generation)}
        contextChanged={panel.contextChanged && generation !== null}
        starting={starting}
        serverErrors={startFailed?.fields ?? NO_ERRORS}
        serverError={startFailed?.error ?? null}
        confirmReplace={startFailed?.confirmReplace}
        criteriaFocus={criteriaFocus}
        onClearCriteriaFocus={onClearCriteriaFocus}
        onSubmit={(model, { replace }) =>
          void controller
            .startGeneration({
              ...toStartInput(model),
              ...(criteriaFocus ? { criterionIds: [...criteriaFocus.ids] } : {}),
              ...(replace ? { replace: true } : {}),
            })
            .then((ok) => {
              if (!ok) return;
              setFormOpen(false);
              onClearCriteriaFocus();
            })
        }
        onCancel={
          generation && !(generation.status === 'failed' && startFailed)
            ? () => {
                controller.dismissStartError();
                setFormOpen(false);
                onClearCriteriaFocus();
              }
            : undefined
        }
      />
    );
  }

  if (generation?.status === 'failed') {
    const error = generation.error ?? {
      message: 'SQAI could not generate tests.',
      remedy: 'Try again. If it keeps failing, check the SQAI connection on the settings page.',
    };
    return (
      <ErrorMessageBox error={error} testId="generation-failed">
        <p>
          <Inline space="space.100">
            <Button
              appearance="primary"
              isLoading={starting}
              onClick={() => void controller.startGeneration(startInputOf(generation))}
            >
              {TRY_AGAIN}
            </Button>
            <Button appearance="subtle" isDisabled={starting} onClick={() => setFormOpen(true)}>
              Change options
            </Button>
          </Inline>
        </p>
      </ErrorMessageBox>
    );
  }

  if (generation?.status === 'succeeded' && isUpdateMode(generation)) {
    const newGeneration = () => {
      controller.dismissStartError();
      setFormOpen(true);
    };
    const focus = controller.focusRequest;
    return (
      <Stack space="space.300">
        <UpdatesSection
          issueKey={issueKey}
          generation={generation}
          focusSerial={focus?.target === 'proposals' ? focus.serial : undefined}
          disabled={controller.creating}
          onNewGeneration={newGeneration}
        />
        {generation.proposals.length > 0 ? (
          <Review
            controller={controller}
            generation={generation}
            onNewGeneration={newGeneration}
            updateMode
          />
        ) : null}
      </Stack>
    );
  }

  if (generation?.status === 'succeeded') {
    return (
      <Review
        controller={controller}
        generation={generation}
        onNewGeneration={() => {
          controller.dismissStartError();
          setFormOpen(true);
        }}
      />
    );
  }
  return null;
}

export interface GenerateSectionProps {
  issueKey: string;
  /** Criteria the Criteria view asked tests for (null: the whole requirement). */
  criteriaFocus?: CriteriaFocus | null;
  onClearCriteriaFocus?: () => void;
}

const noop = () => undefined;

export function GenerateSection({
  issueKey,
  criteriaFocus = null,
  onClearCriteriaFocus = noop,
}: GenerateSectionProps) {
  const controller = useGeneration(issueKey);
  const { load } = controller;
  return (
    <Section
      title="Tests from SQAI"
      headingId="sqai-generate-heading"
      headingSize="xsmall"
      space="space.150"
      testId="generate-section"
    >
      <Loaded
        load={load}
        loadingText="Loading…"
        loadingTestId="generation-loading"
        onTryAgain={() => void controller.reload()}
        errorTestId="generation-load-error"
      >
        {(panel) => (
          <Body
            issueKey={issueKey}
            controller={controller}
            panel={panel}
            criteriaFocus={criteriaFocus}
            onClearCriteriaFocus={onClearCriteriaFocus}
          />
        )}
      </Loaded>
      {/* Results of generating and creating, read out where the user is. */}
      <VisuallyHidden>
        <div role="status" aria-live="polite" data-testid="generate-announcer">
          {controller.announcement}
        </div>
      </VisuallyHidden>
    </Section>
  );
}
