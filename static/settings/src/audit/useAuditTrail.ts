/**
 * The "Audit trail" section's server state: the entries matching the filters, a page at a time
 * (getAuditTrail; "Show more" reads the next page with the cursor the last one gave), and exports
 * (exportAuditTrail) handed to the browser as a file.
 */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { RESOLVERS } from '../../../../src/api';
import type { AuditExportDto, AuditTrailDto, GetAuditTrailInput } from '../../../../src/api';
import type { Load } from '../../../common/src/data/load';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';

export const AUDIT_PAGE = 25;

export type AuditFilters = Pick<GetAuditTrailInput, 'direction' | 'issueKey' | 'from' | 'to'>;

export interface AuditView {
  entries: AuditTrailDto['entries'];
  retentionDays: number;
  hasMore: boolean;
}

/** Only the filters that are set (empty strings are no filter). */
export function filtersPayload(filters: AuditFilters): AuditFilters {
  const out: AuditFilters = {};
  if (filters.direction) out.direction = filters.direction;
  if (filters.issueKey?.trim()) out.issueKey = filters.issueKey.trim();
  if (filters.from) out.from = filters.from;
  if (filters.to) out.to = filters.to;
  return out;
}

/** Saves `content` as a file through a Blob link (the page's own origin; nothing leaves the browser). */
export function downloadFile(file: Pick<AuditExportDto, 'content' | 'filename' | 'mimeType'>): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function useAuditTrail(filters: AuditFilters, pageSize = AUDIT_PAGE) {
  const client = useQueryClient();
  const payload = filtersPayload(filters);
  const queryKey = ['auditTrail', payload] as const;
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) =>
      fetchResolver<AuditTrailDto>(RESOLVERS.getAuditTrail, {
        ...payload,
        limit: pageSize,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const exporter = useMutation({
    mutationFn: (format: 'csv' | 'json') =>
      fetchResolver<AuditExportDto>(RESOLVERS.exportAuditTrail, { ...payload, format }),
    onSuccess: (file) => downloadFile(file),
  });
  const load: Load<AuditView> =
    query.data !== undefined
      ? {
          status: 'ready',
          data: {
            entries: query.data.pages.flatMap((page) => page.entries),
            retentionDays: query.data.pages[0]?.retentionDays ?? 90,
            hasMore: query.data.pages.at(-1)?.nextCursor !== undefined,
          },
        }
      : query.isError
        ? { status: 'failed', error: errorDtoOf(query.error) }
        : { status: 'loading' };
  return {
    load,
    loadingMore: query.isFetchingNextPage,
    moreError: query.isFetchNextPageError ? errorDtoOf(query.error) : null,
    showMore: () => void query.fetchNextPage(),
    reload: () => client.resetQueries({ queryKey }),
    exportAs: (format: 'csv' | 'json') => exporter.mutate(format),
    exporting: exporter.isPending ? exporter.variables : undefined,
    exported: exporter.isSuccess ? exporter.data : undefined,
    exportError: exporter.isError ? errorDtoOf(exporter.error) : null,
  };
}

export type AuditTrailController = ReturnType<typeof useAuditTrail>;
