/**
 * "Generate tests" server state: the GenerationPanelDto, starting a generation and polling it while
 * SQAI writes, the review (selection, edited titles) and destination form, and creating the selected
 * tests in Xray — continuing a creation the backend paused (Forge's 25 s limit, queued jobs) and
 * retrying failed items. The backend stores the generation per issue, so a reload resumes polling.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { RESOLVERS } from '../../../../src/api';
import type {
  CreateGeneratedTestsInput,
  CreationDto,
  CreationItemDto,
  ErrorDto,
  GenerationDto,
  GenerationPanelDto,
  StartGenerationInput,
} from '../../../../src/api';
import { callResolver } from '../../../common/src/resolver';
import {
  buildCreateInput,
  CREATION_POLL_INTERVAL_MS,
  createdKeys,
  defaultDestinationForm,
  hasErrors,
  initialReview,
  isCreationActive,
  isGenerationActive,
  mapCreateFieldErrors,
  mapGenerateFieldErrors,
  MAX_POLL_FAILURES,
  pendingItemsOf,
  POLL_INTERVAL_MS,
  reviewErrors,
  validateDestination,
  withSelected,
  withTitle,
  type DestinationErrors,
  type DestinationForm,
  type GenerateErrors,
  type ReviewState,
} from './model';

export type GenerationLoad =
  | { status: 'loading' }
  | { status: 'ready'; panel: GenerationPanelDto }
  | { status: 'failed'; error: ErrorDto };

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
  /** A continueCreation call is on its way (Retry failed, or after a transport error). */
  | { status: 'continuing' }
  /** `create`: createGeneratedTests failed (Try again re-sends it); `continue`: continueCreation did. */
  | { status: 'failed'; error: ErrorDto; during: 'create' | 'continue' };

export interface Timing {
  pollMs: number;
  creationPollMs: number;
}

const DEFAULT_TIMING: Timing = { pollMs: POLL_INTERVAL_MS, creationPollMs: CREATION_POLL_INTERVAL_MS };

export function useGeneration(issueKey: string, timing: Timing = DEFAULT_TIMING) {
  const [load, setLoad] = useState<GenerationLoad>({ status: 'loading' });
  const [generation, setGeneration] = useState<GenerationDto | null>(null);
  const [start, setStart] = useState<StartState>({ status: 'idle' });
  const [pollError, setPollError] = useState<ErrorDto | null>(null);
  const [creation, setCreation] = useState<CreationDto | null>(null);
  const [create, setCreate] = useState<CreateState>({ status: 'idle' });
  const [createMessages, setCreateMessages] = useState<string[]>([]);
  const [reviewState, setReviewState] = useState<ReviewState | null>(null);
  const [titleErrors, setTitleErrors] = useState<Record<string, string>>({});
  const [destination, setDestinationState] = useState<DestinationForm>(() =>
    defaultDestinationForm(issueKey),
  );
  const [destinationErrors, setDestinationErrors] = useState<DestinationErrors>({});
  /** Re-arms the poll after a failed attempt (the generation object itself did not change). */
  const [pollTick, setPollTick] = useState(0);
  const mounted = useRef(true);
  /** Bumped whenever a new generation starts: answers about an older one are dropped. */
  const epoch = useRef(0);
  const pollFailures = useRef(0);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const adopt = useCallback((next: GenerationDto | null) => {
    setGeneration(next);
    setCreation(next?.creation ?? null);
  }, []);

  const fetchPanel = useCallback(async (): Promise<void> => {
    const seq = ++epoch.current;
    const result = await callResolver<GenerationPanelDto>(RESOLVERS.getGenerationPanel, {});
    if (!mounted.current || seq !== epoch.current) return;
    if (!result.ok) {
      setLoad({ status: 'failed', error: result.error });
      return;
    }
    setLoad({ status: 'ready', panel: result.data });
    adopt(result.data.generation);
  }, [adopt]);

  useEffect(() => {
    void fetchPanel();
  }, [fetchPanel]);

  const reload = useCallback(async (): Promise<void> => {
    setLoad({ status: 'loading' });
    await fetchPanel();
  }, [fetchPanel]);

  // Poll while SQAI writes. Every answer is a new object, so the effect re-arms itself.
  useEffect(() => {
    if (!generation || !isGenerationActive(generation) || pollError) return;
    const seq = epoch.current;
    const timer = window.setTimeout(() => {
      void (async () => {
        const result = await callResolver<GenerationDto>(RESOLVERS.pollGeneration, {});
        if (!mounted.current || seq !== epoch.current) return;
        if (result.ok) {
          pollFailures.current = 0;
          adopt(result.data);
          return;
        }
        pollFailures.current += 1;
        if (pollFailures.current >= MAX_POLL_FAILURES) setPollError(result.error);
        else setPollTick((tick) => tick + 1);
      })();
    }, timing.pollMs);
    return () => window.clearTimeout(timer);
  }, [generation, pollError, pollTick, timing.pollMs, adopt]);

  /** "Check again" after polling gave up. */
  const resumePolling = useCallback(() => {
    pollFailures.current = 0;
    setPollError(null);
  }, []);

  const startGeneration = useCallback(
    async (input: StartGenerationInput): Promise<boolean> => {
      const seq = ++epoch.current;
      setStart({ status: 'starting' });
      setPollError(null);
      pollFailures.current = 0;
      const result = await callResolver<GenerationDto>(RESOLVERS.startGeneration, input);
      if (!mounted.current || seq !== epoch.current) return false;
      if (!result.ok) {
        const mapped =
          result.error.code === 'VALIDATION'
            ? mapGenerateFieldErrors(result.error.fieldErrors)
            : { fields: {}, other: [] };
        setStart({ status: 'failed', error: result.error, ...mapped });
        return false;
      }
      setStart({ status: 'idle' });
      adopt(result.data);
      setCreate({ status: 'idle' });
      setCreateMessages([]);
      setTitleErrors({});
      setDestinationErrors({});
      setReviewState(null);
      // The next generation covers the change; the notice has done its job.
      setLoad((current) =>
        current.status === 'ready'
          ? { status: 'ready', panel: { ...current.panel, contextChanged: false } }
          : current,
      );
      return true;
    },
    [adopt],
  );

  const dismissStartError = useCallback(() => setStart({ status: 'idle' }), []);

  // ----- review -----

  const created = useMemo(
    () => (generation ? createdKeys(generation, creation) : {}),
    [generation, creation],
  );

  const review: ReviewState | null =
    generation && generation.status === 'succeeded'
      ? reviewState?.generationId === generation.id
        ? reviewState
        : initialReview(generation)
      : null;

  const setSelected = useCallback(
    (id: string, selected: boolean) => {
      if (!review) return;
      setReviewState(withSelected(review, id, selected));
      setCreateMessages([]);
    },
    [review],
  );

  const setTitle = useCallback(
    (id: string, title: string) => {
      if (!review) return;
      setReviewState(withTitle(review, id, title));
      setTitleErrors((current) => {
        if (current[id] === undefined) return current;
        const next = { ...current };
        delete next[id];
        return next;
      });
    },
    [review],
  );

  const setDestination = useCallback((patch: Partial<DestinationForm>) => {
    setDestinationState((current) => ({ ...current, ...patch }));
    const touched = Object.keys(patch) as (keyof DestinationForm)[];
    setDestinationErrors((current) => {
      if (!touched.some((field) => current[field] !== undefined)) return current;
      const next = { ...current };
      for (const field of touched) delete next[field];
      return next;
    });
  }, []);

  // ----- creating -----

  const continueCreation = useCallback(async (): Promise<void> => {
    const seq = epoch.current;
    const result = await callResolver<CreationDto>(RESOLVERS.continueCreation, {});
    if (!mounted.current || seq !== epoch.current) return;
    if (!result.ok) {
      setCreate({ status: 'failed', error: result.error, during: 'continue' });
      return;
    }
    setCreate({ status: 'idle' });
    setCreation(result.data);
  }, []);

  // Keep a running creation going (the backend stops before Forge's time limit, or works from a queue).
  useEffect(() => {
    if (!isCreationActive(creation) || create.status !== 'idle') return;
    const timer = window.setTimeout(() => void continueCreation(), timing.creationPollMs);
    return () => window.clearTimeout(timer);
  }, [creation, create.status, timing.creationPollMs, continueCreation]);

  /** "Retry failed" (partial) and "Try again" (after a failed continue): the backend retries only what is left. */
  const retryCreation = useCallback(async (): Promise<void> => {
    setCreate({ status: 'continuing' });
    await continueCreation();
  }, [continueCreation]);

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
    const seq = epoch.current;
    setCreate({ status: 'submitting', items: pendingItemsOf(input, generation.proposals) });
    const result = await callResolver<CreationDto>(RESOLVERS.createGeneratedTests, input);
    if (!mounted.current || seq !== epoch.current) return false;
    if (!result.ok) {
      if (result.error.code === 'VALIDATION') {
        const mapped = mapCreateFieldErrors(result.error.fieldErrors, input);
        setDestinationErrors(mapped.destination);
        setTitleErrors(mapped.titles);
        const shown = hasErrors(mapped.destination) || hasErrors(mapped.titles);
        setCreateMessages(
          mapped.other.length > 0 || shown
            ? mapped.other
            : [`${result.error.message} ${result.error.remedy}`],
        );
        setCreate({ status: 'idle' });
      } else {
        setCreate({ status: 'failed', error: result.error, during: 'create' });
      }
      return false;
    }
    setCreate({ status: 'idle' });
    setCreation(result.data);
    return true;
  }, [generation, review, created, destination]);

  const panel = load.status === 'ready' ? load.panel : null;
  const creating =
    create.status === 'submitting' || create.status === 'continuing' || isCreationActive(creation);

  return {
    load,
    panel,
    generation,
    start,
    pollError,
    creation,
    create,
    createMessages,
    creating,
    created,
    review,
    titleErrors,
    destination,
    destinationErrors,
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
