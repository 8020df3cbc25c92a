/**
 * "Generate tests" in the issue panel: ask SQAI for tests for this requirement, watch it write them,
 * review the proposals, choose where they go, and create them in Xray. Server state lives in
 * useGeneration; this picks what to show for the generation's state.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { useEffect, useState } from 'react';
import type { GenerationDto, GenerationPanelDto } from '../../../../src/api';
import { TRY_AGAIN } from '../../../common/src/actions';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { Loaded } from '../../../common/src/Loaded';
import { Section } from '../../../common/src/Section';
import { ContextChangedNotice } from './ContextChangedNotice';
import { CreationProgress } from './CreationProgress';
import { DestinationPicker, destinationIds } from './DestinationPicker';
import { GenerateForm } from './GenerateForm';
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
import { proposalTitleId } from './ProposalCard';
import { ProposalList } from './ProposalList';
import { useGeneration, type GenerationController } from './useGeneration';

const NO_ERRORS: GenerateErrors = {};

function Review({
  controller,
  generation,
  onNewGeneration,
}: {
  controller: GenerationController;
  generation: GenerationDto;
  onNewGeneration: () => void;
}) {
  const { review, created, creating } = controller;
  const [focusRequest, setFocusRequest] = useState(0);

  // After a refused Create, move focus to the first field that needs attention.
  useEffect(() => {
    if (focusRequest === 0) return;
    const titleIndex = generation.proposals.findIndex((proposal) => controller.titleErrors[proposal.id]);
    if (titleIndex >= 0) {
      document.getElementById(proposalTitleId(titleIndex))?.focus();
      return;
    }
    const field = DESTINATION_FIELDS.find((name) => controller.destinationErrors[name]);
    if (!field) return;
    const ids = destinationIds(field);
    (document.getElementById(ids.detail) ?? document.getElementById(ids.control))?.focus();
    // Only when a new request comes in (the errors are read as they are then).
  }, [focusRequest]);

  if (!review) return null;
  const count = selectedProposals(generation, review, created).length;
  const panel = controller.panel;

  return (
    <Stack space="space.200">
      <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
        <Text size="small" color="color.text.subtle" testId="generation-summary">
          {`SQAI proposed ${testsText(generation.proposals.length)} (${generation.testTypes.join(', ')}).`}
        </Text>
        <Button appearance="subtle" spacing="compact" isDisabled={creating} onClick={onNewGeneration}>
          New generation
        </Button>
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
          <div>
            <Button
              // While a partial job waits for "Retry failed", that is the primary action.
              appearance={controller.creation?.status === 'partial' ? 'default' : 'primary'}
              isDisabled={count === 0 || creating}
              isLoading={controller.create.status === 'submitting'}
              testId="create-tests"
              onClick={() =>
                void controller.createTests().then((ok) => {
                  if (!ok) setFocusRequest((request) => request + 1);
                })
              }
            >
              {createButtonText(count)}
            </Button>
          </div>
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

function Body({ controller, panel }: { controller: GenerationController; panel: GenerationPanelDto }) {
  const { generation, start } = controller;
  const [formOpen, setFormOpen] = useState(false);
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
        onSubmit={(model, { replace }) =>
          void controller
            .startGeneration({ ...toStartInput(model), ...(replace ? { replace: true } : {}) })
            .then((ok) => {
              if (ok) setFormOpen(false);
            })
        }
        onCancel={
          generation && !(generation.status === 'failed' && startFailed)
            ? () => {
                controller.dismissStartError();
                setFormOpen(false);
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

export function GenerateSection({ issueKey }: { issueKey: string }) {
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
        {(panel) => <Body controller={controller} panel={panel} />}
      </Loaded>
    </Section>
  );
}
