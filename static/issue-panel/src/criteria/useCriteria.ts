/**
 * The Criteria view's server state: the CriteriaViewDto in the chosen scope (a query per scope: the
 * latest run, a Test Plan's runs or a Test Execution's), changing one test's mapping to one criterion and asking SQAI to
 * suggest mappings (mutations whose answer is the new view in the latest run's scope, written into
 * that cached read; the other scopes of the issue are re-read, as their states may have changed too).
 * Every call goes through fetchResolver (docs/decisions/0003-ui-data-layer.md).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RESOLVERS } from '../../../../src/api';
import type {
  ChangeCriterionMappingInput,
  CriteriaViewDto,
  ErrorDto,
  MarkTestsReviewedInput,
  SuggestCriterionMappingsResult,
} from '../../../../src/api';
import { updateCachedQuery } from '../../../common/src/data/cache';
import { loadOf } from '../../../common/src/data/load';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';
import { criteriaIssueKey, criteriaKey } from './keys';
import { scopeInputOf, scopeValueOf } from './scope';

export type MappingState =
  | { status: 'idle' }
  | { status: 'changing'; input: ChangeCriterionMappingInput }
  | { status: 'failed'; input: ChangeCriterionMappingInput; error: ErrorDto };

export type SuggestState =
  | { status: 'idle' }
  | { status: 'suggesting' }
  | { status: 'done'; classified: number; suggestions: number }
  | { status: 'failed'; error: ErrorDto };

/**
 * `scopeValue`: the Test Plan or Test Execution whose results to show (./scope.ts); absent: each
 * test's latest run overall.
 */
export function useCriteria(issueKey: string, scopeValue?: string) {
  const client = useQueryClient();
  const queryKey = criteriaKey(issueKey, scopeValue);
  const scope = scopeInputOf(scopeValue);
  const query = useQuery({
    queryKey,
    queryFn: () => fetchResolver<CriteriaViewDto>(RESOLVERS.getCriteria, scope),
    // Switching scope keeps the last view on screen (marked as switching) until the new one is read.
    placeholderData: keepPreviousData,
  });
  const adopt = async (view: CriteriaViewDto) => {
    const answered = criteriaKey(issueKey, scopeValueOf(view.scope));
    await updateCachedQuery<CriteriaViewDto>(client, answered, () => view);
    await client.invalidateQueries({
      queryKey: criteriaIssueKey(issueKey),
      predicate: (cached) => cached.queryKey[2] !== answered[2],
    });
  };

  const changing = useMutation({
    mutationFn: (input: ChangeCriterionMappingInput) =>
      fetchResolver<CriteriaViewDto>(RESOLVERS.changeCriterionMapping, input),
    onSuccess: adopt,
  });
  const reviewing = useMutation({
    mutationFn: (input: MarkTestsReviewedInput) =>
      fetchResolver<CriteriaViewDto>(RESOLVERS.markTestsReviewed, input),
    onSuccess: adopt,
  });
  const suggesting = useMutation({
    mutationFn: () => fetchResolver<SuggestCriterionMappingsResult>(RESOLVERS.suggestCriterionMappings),
    onSuccess: (result) => adopt(result.view),
  });

  const mapping: MappingState = changing.isPending
    ? { status: 'changing', input: changing.variables }
    : changing.isError
      ? { status: 'failed', input: changing.variables, error: errorDtoOf(changing.error) }
      : { status: 'idle' };

  const suggest: SuggestState = suggesting.isPending
    ? { status: 'suggesting' }
    : suggesting.isError
      ? { status: 'failed', error: errorDtoOf(suggesting.error) }
      : suggesting.isSuccess
        ? {
            status: 'done',
            classified: suggesting.data.classified,
            suggestions: suggesting.data.suggestions,
          }
        : { status: 'idle' };

  return {
    load: loadOf(query),
    refreshing: query.isRefetching,
    /** The view shown is the previous scope's while the chosen one is read. */
    switching: query.isPlaceholderData,
    mapping,
    suggest,
    /** The new view once the change was made (the screen shows it); null when it failed (see `mapping`). */
    changeMapping: async (input: ChangeCriterionMappingInput): Promise<CriteriaViewDto | null> => {
      try {
        return await changing.mutateAsync(input);
      } catch {
        return null;
      }
    },
    dismissMappingError: () => changing.reset(),
    /** Possibly stale tests marked reviewed without SQAI (issue 19); the keys being marked, and why it failed. */
    reviewing: reviewing.isPending ? reviewing.variables.testKeys : [],
    reviewError: reviewing.isError ? errorDtoOf(reviewing.error) : null,
    markReviewed: (testKeys: string[]) => reviewing.mutate({ testKeys }),
    suggestMappings: () => suggesting.mutate(),
    retry: () => client.resetQueries({ queryKey: criteriaIssueKey(issueKey) }),
  };
}

export type CriteriaController = ReturnType<typeof useCriteria>;
