/**
 * Living tests' server state (issue 19), on the panel's one data layer
 * (docs/decisions/0003-ui-data-layer.md): "Propose updates" (proposeTestUpdates answers an
 * update-mode generation, written into the generation's cached read so "Tests from SQAI" shows it and
 * polls it while SQAI writes), "Apply decisions" (decideTestUpdates; its proposals are written into
 * the cached generation) and, while the answer says work is left (a large apply moved on to the
 * queue), polling getGenerationPanel the way the generation is polled. Once decisions settle, the
 * Criteria view and the panel are read again (stale flags and states change).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { RESOLVERS } from '../../../../src/api';
import type {
  DecideTestUpdatesInput,
  DecideTestUpdatesResult,
  GenerationDto,
  GenerationPanelDto,
  ProposeTestUpdatesInput,
} from '../../../../src/api';
import { updateCachedQuery } from '../../../common/src/data/cache';
import { pollErrorOf, pollingQueryOptions } from '../../../common/src/data/polling';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';
import { CRITERIA_KEY } from '../criteria/keys';
import { generationKey, generationPanelKey } from '../generate/keys';
import { POLL_INTERVAL_MS } from '../generate/model';
import { PANEL_KEY } from '../useIssuePanel';
import { isApplying, updatesOf } from './model';

const applyPollKey = (issueKey: string) => ['testUpdatesApply', issueKey] as const;

/** The generation with a decide answer's proposals (unless another generation replaced it). */
function withUpdates(
  current: GenerationDto | null,
  generationId: string,
  result: DecideTestUpdatesResult,
): GenerationDto | null {
  return current?.id === generationId ? { ...current, updates: result.updates } : current;
}

const anyApplying = (generation: GenerationDto | null | undefined) => updatesOf(generation).some(isApplying);

export function useTestUpdates(issueKey: string, pollMs: number = POLL_INTERVAL_MS) {
  const client = useQueryClient();
  const genKey = generationKey(issueKey);
  const pollKey = applyPollKey(issueKey);
  /** A decide answer said work is left: the generation panel is polled until nothing is applying. */
  const [watching, setWatching] = useState(false);

  const refreshDependents = useCallback(() => {
    void client.invalidateQueries({ queryKey: CRITERIA_KEY });
    void client.invalidateQueries({ queryKey: PANEL_KEY });
  }, [client]);

  const proposing = useMutation({
    mutationFn: (input: ProposeTestUpdatesInput) =>
      fetchResolver<GenerationDto>(RESOLVERS.proposeTestUpdates, input),
    onSuccess: async (generation) => {
      await updateCachedQuery<GenerationDto | null>(client, genKey, () => generation);
      // The proposal is the requirement's newest generation: the "changed since" notice has done its job.
      client.setQueryData<GenerationPanelDto>(generationPanelKey(issueKey), (panel) =>
        panel ? { ...panel, contextChanged: false, generation } : panel,
      );
    },
  });

  const deciding = useMutation({
    mutationFn: (input: DecideTestUpdatesInput) =>
      fetchResolver<DecideTestUpdatesResult>(RESOLVERS.decideTestUpdates, input),
    onSuccess: async (result, input) => {
      await updateCachedQuery<GenerationDto | null>(client, genKey, (current) =>
        withUpdates(current, input.generationId, result),
      );
      if (result.running) {
        // Polling starts from this answer (its proposals are applying).
        const current = client.getQueryData<GenerationDto | null>(genKey) ?? null;
        client.setQueryData<GenerationDto | null>(pollKey, current);
        setWatching(true);
      } else {
        refreshDependents();
      }
    },
  });

  const applyPoll = useQuery({
    queryKey: pollKey,
    queryFn: async (): Promise<GenerationDto | null> => {
      const panel = await fetchResolver<GenerationPanelDto>(RESOLVERS.getGenerationPanel);
      await client.cancelQueries({ queryKey: genKey });
      client.setQueryData<GenerationDto | null>(genKey, panel.generation);
      return panel.generation;
    },
    enabled: watching,
    ...pollingQueryOptions<GenerationDto | null, typeof pollKey>(client, pollKey, {
      intervalMs: pollMs,
      isActive: (generation) => generation === undefined || anyApplying(generation),
    }),
  });

  // Polling stops once nothing is applying: the stale flags and states are read again.
  const polled = applyPoll.data;
  useEffect(() => {
    if (!watching || polled === undefined || anyApplying(polled)) return;
    setWatching(false);
    refreshDependents();
  }, [watching, polled, refreshDependents]);

  const { mutateAsync: proposeMutation, reset: resetPropose } = proposing;
  const { mutateAsync: decideMutation, reset: resetDecide } = deciding;
  const { refetch: refetchPoll } = applyPoll;

  return {
    proposing: proposing.isPending,
    proposeError: proposing.isError ? errorDtoOf(proposing.error) : null,
    /** The generation asked for (null when it failed: see `proposeError`). */
    propose: useCallback(
      async (input: ProposeTestUpdatesInput = {}): Promise<GenerationDto | null> => {
        try {
          return await proposeMutation(input);
        } catch {
          return null;
        }
      },
      [proposeMutation],
    ),
    dismissProposeError: resetPropose,
    deciding: deciding.isPending,
    /** The decisions on their way (their proposals show as being applied). */
    decidingInput: deciding.isPending ? deciding.variables : undefined,
    decideError: deciding.isError ? errorDtoOf(deciding.error) : null,
    /** Sends decisions (an empty list continues an apply that ran out of time). */
    decide: useCallback(
      async (input: DecideTestUpdatesInput): Promise<DecideTestUpdatesResult | null> => {
        try {
          return await decideMutation(input);
        } catch {
          return null;
        }
      },
      [decideMutation],
    ),
    dismissDecideError: resetDecide,
    /** The apply is being followed (polled). */
    watching,
    pollError: pollErrorOf(applyPoll),
    resumePolling: useCallback(() => void refetchPoll(), [refetchPoll]),
  };
}

export type TestUpdatesController = ReturnType<typeof useTestUpdates>;
