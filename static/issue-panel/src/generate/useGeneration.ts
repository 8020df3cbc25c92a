/**
 * "Generate tests" server state: the GenerationPanelDto, starting a generation and polling it while
 * SQAI writes, the review (selection, edited titles) and destination form, and creating the selected
 * tests in Xray — continuing a creation the backend paused (Forge's 25 s limit, queued jobs) and
 * retrying failed items. The backend stores the generation per issue, so a reload resumes polling,
 * and the reviewer's edits per user (saved here, debounced), so a reload shows the review as left.
 * A finished creation is flagged (showFlag), announced, and refreshes the issue panel's summary.
 * Server state is react-query's: the panel, and the generation (with its creation) as one cached value.
 */
import { showFlag } from '@forge/bridge';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { RESOLVERS } from '../../../../src/api';
import type {
  CreateGeneratedTestsInput,
  CreationDto,
  CreationItemDto,
  ErrorDto,
  GenerationDto,
  GenerationPanelDto,
  ReviewEditsDto,
  SavedReviewEditsDto,
  StartGenerationInput,
} from '../../../../src/api';
import { updateCachedQuery } from '../../../common/src/data/cache';
import { withoutErrorsFor } from '../../../common/src/fieldErrors';
import { loadOf, type Load } from '../../../common/src/data/load';
import { pollErrorOf, pollingQueryOptions } from '../../../common/src/data/polling';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';
import { CRITERIA_KEY } from '../criteria/keys';
import { PANEL_KEY } from '../useIssuePanel';
import { openIssue } from './controls';
import { generationKey, generationPanelKey } from './keys';
import {
  buildCreateInput,
  CREATION_POLL_INTERVAL_MS,
  createdKeys,
  creationKeys,
  creationSummaryText,
  defaultDestinationForm,
  hasErrors,
  initialReview,
  isCreationActive,
  isGenerationActive,
  mapCreateFieldErrors,
  mapGenerateFieldErrors,
  pendingItemsOf,
  POLL_INTERVAL_MS,
  reviewEditsOf,
  reviewErrors,
  testsText,
  validateDestination,
  withSelected,
  withTitle,
  type DestinationErrors,
  type DestinationForm,
  type GenerateErrors,
  type ReviewState,
} from './model';

export type GenerationLoad = Load<GenerationPanelDto>;

export type StartState =
  | { status: 'idle' }
  | { status: 'starting' }
  | {
      status: 'failed';
      error: ErrorDto;
      fields: GenerateErrors;
      other: string[];
      /** The server asks before replacing another user's uncreated proposals (its words). */
      confirmReplace?: string;
    };

export type CreateState =
  | { status: 'idle' }
  /** The first createGeneratedTests call is on its way (rows are the selection, all pending). */
  | { status: 'submitting'; items: CreationItemDto[] }
  /** A continueCreation call the user asked for is on its way (Retry failed, or Try again). */
  | { status: 'continuing' }
  /** `create`: createGeneratedTests failed (Try again re-sends it); `continue`: continueCreation did. */
  | { status: 'failed'; error: ErrorDto; during: 'create' | 'continue' };

export interface Timing {
  pollMs: number;
  creationPollMs: number;
  /** How long the review waits after an edit before saving it. */
  saveReviewMs: number;
}

const DEFAULT_TIMING: Timing = {
  pollMs: POLL_INTERVAL_MS,
  creationPollMs: CREATION_POLL_INTERVAL_MS,
  saveReviewMs: 600,
};

/** Saving the reviewer's edits: `failed` says they will not survive a reload. */
export type ReviewSaveState = 'idle' | 'saving' | 'saved' | 'failed';

/** Where the panel moves keyboard focus after a result arrived (a new request each time). */
export interface FocusRequest {
  target: 'proposals' | 'created' | 'creation';
  serial: number;
}

/** The success flag after a creation: what was made, where it went, and a way to open it. */
function notifyCreated(creation: CreationDto): void {
  const keys = creationKeys(creation);
  const container = creation.organised.testSet?.key ?? creation.organised.testExecution?.key;
  const target = container ?? keys[0];
  try {
    showFlag({
      id: `sqai-created-${Date.now()}`,
      title: 'Tests created in Xray',
      description: creationSummaryText(creation),
      type: 'success',
      isAutoDismiss: true,
      ...(target ? { actions: [{ text: `Open ${target}`, onClick: () => openIssue(target) }] } : {}),
    });
  } catch (error) {
    // The panel's own summary says so; a host without flags is not an error for the user.
    console.warn('Could not show the flag', error);
  }
}

const panelKey = generationPanelKey;

interface CreateVariables {
  input: CreateGeneratedTestsInput;
  generationId: string;
  /** What the progress list shows until the answer arrives. */
  items: CreationItemDto[];
}

interface ContinueVariables {
  generationId: string;
  /** Asked for by the user (shown as "continuing"), not the background keep-going. */
  manual: boolean;
}

function startStateOf(error: ErrorDto): StartState {
  const mapped =
    error.code === 'VALIDATION' ? mapGenerateFieldErrors(error.fieldErrors) : { fields: {}, other: [] };
  return { status: 'failed', error, ...mapped };
}

export function useGeneration(issueKey: string, timing: Timing = DEFAULT_TIMING) {
  const client = useQueryClient();
  const genKey = useMemo(() => generationKey(issueKey), [issueKey]);
  const [createMessages, setCreateMessages] = useState<string[]>([]);
  const [reviewState, setReviewState] = useState<ReviewState | null>(null);
  const [titleErrors, setTitleErrors] = useState<Record<string, string>>({});
  /** The destination as edited in this view (null: as saved, or the default). */
  const [destinationState, setDestinationState] = useState<DestinationForm | null>(null);
  const [destinationErrors, setDestinationErrors] = useState<DestinationErrors>({});
  /** Bumped by each edit of the review or destination: the edits to save. */
  const [editSerial, setEditSerial] = useState(0);
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null);
  /** The last result to announce (read out by the section's live region). */
  const [announcement, setAnnouncement] = useState('');
  const requestFocus = useCallback(
    (target: FocusRequest['target']) =>
      setFocusRequest((current) => ({ target, serial: (current?.serial ?? 0) + 1 })),
    [],
  );

  const panelQuery = useQuery({
    queryKey: panelKey(issueKey),
    queryFn: async () => {
      const panel = await fetchResolver<GenerationPanelDto>(RESOLVERS.getGenerationPanel);
      // The panel's generation is where polling starts; answers still on their way predate it.
      await client.cancelQueries({ queryKey: genKey });
      client.setQueryData<GenerationDto | null>(genKey, panel.generation);
      return panel;
    },
  });

  const generationQuery = useQuery({
    queryKey: genKey,
    queryFn: (): Promise<GenerationDto | null> => fetchResolver<GenerationDto>(RESOLVERS.pollGeneration),
    // Filled by the panel read; polled from then on while SQAI writes.
    enabled: panelQuery.isSuccess,
    ...pollingQueryOptions<GenerationDto | null, typeof genKey>(client, genKey, {
      intervalMs: timing.pollMs,
      isActive: isGenerationActive,
    }),
  });
  const generation = generationQuery.data ?? null;
  const creation = generation?.creation ?? null;
  const savedEdits: ReviewEditsDto | null =
    panelQuery.data?.reviewEdits && panelQuery.data.reviewEdits.generationId === generation?.id
      ? panelQuery.data.reviewEdits
      : null;
  const destination: DestinationForm =
    destinationState ?? savedEdits?.destination ?? defaultDestinationForm(issueKey);

  // Proposals that arrive while the user watches are announced, and focus moves to them.
  const lastStatus = useRef<{ id: string; status: string } | null>(null);
  useEffect(() => {
    if (!generation) return;
    const before = lastStatus.current;
    lastStatus.current = { id: generation.id, status: generation.status };
    const wasWaiting =
      before !== null &&
      before.id === generation.id &&
      (before.status === 'pending' || before.status === 'running');
    const started = before !== null && before.id !== generation.id;
    if (generation.status === 'succeeded' && (wasWaiting || started)) {
      setAnnouncement(
        generation.mode === 'updates'
          ? `SQAI answered for ${testsText(generation.updates?.length ?? 0)} possibly stale. Review the proposals below.`
          : `SQAI proposed ${testsText(generation.proposals.length)}. Review them below.`,
      );
      requestFocus('proposals');
    } else if (generation.status === 'failed' && (wasWaiting || started)) {
      setAnnouncement('SQAI could not generate tests.');
    }
  }, [generation, requestFocus]);

  /** Adopts a creation answer, unless a newer generation has replaced the one it belongs to. */
  const adoptCreation = useCallback(
    (generationId: string, next: CreationDto) =>
      updateCachedQuery<GenerationDto | null>(client, genKey, (current) =>
        current?.id === generationId ? { ...current, creation: next } : current,
      ),
    [client, genKey],
  );

  const startCall = useMutation({
    mutationFn: (input: StartGenerationInput) =>
      fetchResolver<GenerationDto>(RESOLVERS.startGeneration, input),
    onSuccess: async (started) => {
      await updateCachedQuery<GenerationDto | null>(client, genKey, () => started);
      // The next generation covers the change; the notice has done its job.
      client.setQueryData<GenerationPanelDto>(panelKey(issueKey), (panel) =>
        panel ? { ...panel, contextChanged: false } : panel,
      );
    },
  });
  const createCall = useMutation({
    mutationFn: ({ input }: CreateVariables) =>
      fetchResolver<CreationDto>(RESOLVERS.createGeneratedTests, input),
    onSuccess: (next, { generationId }) => adoptCreation(generationId, next),
  });
  const continueCall = useMutation({
    mutationFn: (_: ContinueVariables) => fetchResolver<CreationDto>(RESOLVERS.continueCreation),
    onSuccess: (next, { generationId }) => adoptCreation(generationId, next),
  });

  const saveCall = useMutation({
    mutationFn: (edits: ReviewEditsDto) =>
      fetchResolver<SavedReviewEditsDto>(RESOLVERS.saveReviewEdits, edits),
  });

  // A creation the user started (or retried) that finished: flag, announcement, focus, and the
  // panel's context summary and "changed since" read again (the new tests cover the requirement).
  const awaitingResult = useRef(false);
  const creationStatus = creation?.status;
  useEffect(() => {
    if (creationStatus === 'running') awaitingResult.current = true; // watched until it finishes
    if (!creation || creationStatus === 'running' || !awaitingResult.current) return;
    awaitingResult.current = false;
    const summary = creationSummaryText(creation);
    if (creationStatus === 'done') {
      notifyCreated(creation);
      setAnnouncement(summary);
      requestFocus('created');
    } else {
      setAnnouncement(`Not everything was created. ${summary} Retry failed finishes the job.`);
      requestFocus('creation');
    }
    void client.invalidateQueries({ queryKey: PANEL_KEY });
    void client.invalidateQueries({ queryKey: panelKey(issueKey) });
    // Generated tests carry the criteria they prove.
    void client.invalidateQueries({ queryKey: CRITERIA_KEY });
  }, [creation, creationStatus, client, issueKey, requestFocus]);

  const start: StartState = useMemo(() => {
    if (startCall.isPending) return { status: 'starting' };
    return startCall.isError ? startStateOf(errorDtoOf(startCall.error)) : { status: 'idle' };
  }, [startCall.isPending, startCall.isError, startCall.error]);

  const create: CreateState = useMemo(() => {
    if (createCall.isPending) return { status: 'submitting', items: createCall.variables.items };
    if (continueCall.isPending && continueCall.variables.manual) return { status: 'continuing' };
    if (createCall.isError)
      return { status: 'failed', error: errorDtoOf(createCall.error), during: 'create' };
    if (continueCall.isError)
      return { status: 'failed', error: errorDtoOf(continueCall.error), during: 'continue' };
    return { status: 'idle' };
  }, [
    createCall.isPending,
    createCall.variables,
    createCall.isError,
    createCall.error,
    continueCall.isPending,
    continueCall.variables,
    continueCall.isError,
    continueCall.error,
  ]);

  const reload = useCallback(() => client.resetQueries({ queryKey: panelKey(issueKey) }), [client, issueKey]);

  /** "Try again" after polling gave up. */
  const { refetch: refetchGeneration } = generationQuery;
  const resumePolling = useCallback(() => void refetchGeneration(), [refetchGeneration]);

  const { mutateAsync: startMutation, reset: dismissStartError } = startCall;
  const { mutateAsync: createMutation, reset: resetCreate } = createCall;
  const { mutate: continueMutation, reset: resetContinue } = continueCall;

  const startGeneration = useCallback(
    async (input: StartGenerationInput): Promise<boolean> => {
      try {
        await startMutation(input);
      } catch {
        return false; // shown through `start`
      }
      resetCreate();
      resetContinue();
      setCreateMessages([]);
      setTitleErrors({});
      setDestinationErrors({});
      setReviewState(null);
      setDestinationState(null);
      return true;
    },
    [startMutation, resetCreate, resetContinue],
  );

  // ----- review -----

  const created = useMemo(
    () => (generation ? createdKeys(generation, creation) : {}),
    [generation, creation],
  );

  const review: ReviewState | null =
    generation && generation.status === 'succeeded'
      ? reviewState?.generationId === generation.id
        ? reviewState
        : initialReview(generation, savedEdits)
      : null;

  const setSelected = useCallback(
    (id: string, selected: boolean) => {
      if (!review) return;
      setReviewState(withSelected(review, id, selected));
      setCreateMessages([]);
      setEditSerial((serial) => serial + 1);
    },
    [review],
  );

  const setTitle = useCallback(
    (id: string, title: string) => {
      if (!review) return;
      setReviewState(withTitle(review, id, title));
      setTitleErrors((current) => withoutErrorsFor(current, [id]));
      setEditSerial((serial) => serial + 1);
    },
    [review],
  );

  const setDestination = useCallback(
    (patch: Partial<DestinationForm>) => {
      setDestinationState({ ...destination, ...patch });
      setDestinationErrors((current) =>
        withoutErrorsFor(current, Object.keys(patch) as (keyof DestinationForm)[]),
      );
      setEditSerial((serial) => serial + 1);
    },
    [destination],
  );

  // The reviewer's edits are saved (debounced) with the generation, so a reload shows them.
  const { mutate: saveMutation } = saveCall;
  const editsToSave =
    generation && review && editSerial > 0 ? reviewEditsOf(generation, review, destination) : null;
  const editsJson = editsToSave ? JSON.stringify(editsToSave) : null;
  useEffect(() => {
    if (!editsJson) return;
    const timer = window.setTimeout(
      () => saveMutation(JSON.parse(editsJson) as ReviewEditsDto),
      timing.saveReviewMs,
    );
    return () => window.clearTimeout(timer);
  }, [editsJson, saveMutation, timing.saveReviewMs]);
  const saveState: ReviewSaveState = saveCall.isPending
    ? 'saving'
    : saveCall.isError
      ? 'failed'
      : saveCall.isSuccess
        ? 'saved'
        : 'idle';

  // ----- creating -----

  // Keep a running creation going (the backend stops before Forge's time limit, or works from a
  // queue). continueCreation does work, so it is a mutation repeated on a timer, not a polled read.
  const generationId = generation?.id;
  useEffect(() => {
    if (!generationId || !isCreationActive(creation) || create.status !== 'idle') return;
    const timer = window.setTimeout(
      () => continueMutation({ generationId, manual: false }),
      timing.creationPollMs,
    );
    return () => window.clearTimeout(timer);
  }, [generationId, creation, create.status, timing.creationPollMs, continueMutation]);

  /** "Retry failed" (partial) and "Try again" (after a failed continue): the backend retries only what is left. */
  const retryCreation = useCallback(() => {
    if (!generationId) return;
    resetCreate();
    awaitingResult.current = true;
    continueMutation({ generationId, manual: true });
  }, [generationId, resetCreate, continueMutation]);

  /** Validates titles and destination; returns false (with the errors shown) when something is off. */
  const createTests = useCallback(async (): Promise<boolean> => {
    if (!generation || !review) return false;
    const titles = reviewErrors(generation, review, created);
    const destinationProblems = validateDestination(destination);
    setTitleErrors(titles);
    setDestinationErrors(destinationProblems);
    setCreateMessages([]);
    if (hasErrors(titles) || hasErrors(destinationProblems)) return false;
    const input: CreateGeneratedTestsInput = buildCreateInput(generation, review, created, destination);
    if (input.selections.length === 0) return false;
    resetContinue();
    awaitingResult.current = true;
    try {
      await createMutation({
        input,
        generationId: generation.id,
        items: pendingItemsOf(input, generation.proposals),
      });
      return true;
    } catch (failure) {
      awaitingResult.current = false;
      const error = errorDtoOf(failure);
      if (error.code !== 'VALIDATION') return false; // shown through `create`
      const mapped = mapCreateFieldErrors(error.fieldErrors, input);
      setDestinationErrors(mapped.destination);
      setTitleErrors(mapped.titles);
      const shown = hasErrors(mapped.destination) || hasErrors(mapped.titles);
      setCreateMessages(
        mapped.other.length > 0 || shown ? mapped.other : [`${error.message} ${error.remedy}`],
      );
      resetCreate();
      return false;
    }
  }, [generation, review, created, destination, createMutation, resetCreate, resetContinue]);

  const load = loadOf(panelQuery);
  const panel = load.status === 'ready' ? load.data : null;
  const creating =
    create.status === 'submitting' || create.status === 'continuing' || isCreationActive(creation);

  return {
    load,
    panel,
    generation,
    start,
    pollError: pollErrorOf(generationQuery),
    creation,
    create,
    createMessages,
    creating,
    created,
    review,
    titleErrors,
    destination,
    destinationErrors,
    saveState,
    focusRequest,
    announcement,
    reload,
    startGeneration,
    dismissStartError,
    resumePolling,
    setSelected,
    setTitle,
    setDestination,
    createTests,
    retryCreation,
  };
}

export type GenerationController = ReturnType<typeof useGeneration>;
