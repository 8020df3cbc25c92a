/**
 * The "Acceptance criteria" section's server state: the project's totals and its requirements with
 * the most unproven criteria, a page at a time (getProjectCriteria; "Show more" reads the next page
 * with the cursor the last one gave). Totals come with the first page.
 */
import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { emptyProjectTotals, RESOLVERS } from '../../../../src/api';
import type { ProjectCriteriaDto } from '../../../../src/api';
import type { Load } from '../../../common/src/data/load';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';

export const PROJECT_CRITERIA_PAGE = 20;

/** Keyed by the settings' `updatedAt`: a save reads it again. */
const projectCriteriaKey = (reloadKey: string | undefined) => ['projectCriteria', reloadKey ?? null] as const;

export interface ProjectCriteriaView {
  totals: ProjectCriteriaDto['totals'];
  computedAt?: string;
  requirements: ProjectCriteriaDto['requirements'];
  hasMore: boolean;
}

/** The pages read so far as one list (a requirement a later page repeats is shown once). */
export function viewOf(data: InfiniteData<ProjectCriteriaDto, unknown>): ProjectCriteriaView {
  const [first] = data.pages;
  const seen = new Set<string>();
  const requirements = data.pages
    .flatMap((page) => page.requirements)
    .filter((row) => (seen.has(row.key) ? false : (seen.add(row.key), true)));
  return {
    totals: first?.totals ?? emptyProjectTotals(),
    ...(first?.computedAt ? { computedAt: first.computedAt } : {}),
    requirements,
    hasMore: data.pages.at(-1)?.nextCursor !== undefined,
  };
}

export function useProjectCriteria(reloadKey?: string, pageSize = PROJECT_CRITERIA_PAGE) {
  const client = useQueryClient();
  const queryKey = projectCriteriaKey(reloadKey);
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) =>
      fetchResolver<ProjectCriteriaDto>(RESOLVERS.getProjectCriteria, {
        limit: pageSize,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const load: Load<ProjectCriteriaView> =
    query.data !== undefined
      ? { status: 'ready', data: viewOf(query.data) }
      : query.isError
        ? { status: 'failed', error: errorDtoOf(query.error) }
        : { status: 'loading' };
  return {
    load,
    loadingMore: query.isFetchingNextPage,
    moreError: query.isFetchNextPageError ? errorDtoOf(query.error) : null,
    showMore: () => void query.fetchNextPage(),
    reload: () => client.resetQueries({ queryKey }),
  };
}

export type ProjectCriteriaController = ReturnType<typeof useProjectCriteria>;
