/**
 * The Criteria view's server state: the CriteriaViewDto (a query), changing one test's mapping to
 * one criterion and asking SQAI to suggest mappings (mutations whose answer is the new view, written
 * into the cached read). Every call goes through fetchResolver (docs/decisions/0003-ui-data-layer.md).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RESOLVERS } from '../../../../src/api';
import type {
  ChangeCriterionMappingInput,
  CriteriaViewDto,
  ErrorDto,
  SuggestCriterionMappingsResult,
} from '../../../../src/api';
import { updateCachedQuery } from '../../../common/src/data/cache';
import { loadOf } from '../../../common/src/data/load';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';
import { criteriaKey } from './keys';

export type MappingState =
  | { status: 'idle' }
  | { status: 'changing'; input: ChangeCriterionMappingInput }
  | { status: 'failed'; input: ChangeCriterionMappingInput; error: ErrorDto };

export type SuggestState =
  | { status: 'idle' }
  | { status: 'suggesting' }
  | { status: 'done'; classified: number; suggestions: number }
  | { status: 'failed'; error: ErrorDto };

export function useCriteria(issueKey: string) {
  const client = useQueryClient();
  const queryKey = criteriaKey(issueKey);
  const query = useQuery({
    queryKey,
    queryFn: () => fetchResolver<CriteriaViewDto>(RESOLVERS.getCriteria),
  });
  const adopt = (view: CriteriaViewDto) => updateCachedQuery<CriteriaViewDto>(client, queryKey, () => view);

  const changing = useMutation({
    mutationFn: (input: ChangeCriterionMappingInput) =>
      fetchResolver<CriteriaViewDto>(RESOLVERS.changeCriterionMapping, input),
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
    suggestMappings: () => suggesting.mutate(),
    retry: () => client.resetQueries({ queryKey }),
  };
}

export type CriteriaController = ReturnType<typeof useCriteria>;
