/**
 * The issue panel's server state: the IssuePanelView (load / refresh), sending to SQAI (with the
 * "already up to date → send anyway" round trip), the on-demand context preview, and the Forge
 * context bits the settings link needs. Reads are react-query queries, actions mutations; every
 * resolver call goes through fetchResolver, so a failure is always a ResolverError carrying its ErrorDto.
 */
import { showFlag, view as forgeView } from '@forge/bridge';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RESOLVERS } from '../../../src/api';
import type { ContextPreviewDto, ErrorDto, IssuePanelView, SendToSqaiResult } from '../../../src/api';
import { updateCachedQuery } from '../../common/src/data/cache';
import { loadOf, type Load } from '../../common/src/data/load';
import { fetchResolver } from '../../common/src/resolver';
import { errorDtoOf } from '../../common/src/result';
import { CRITERIA_KEY } from './criteria/keys';
import { sentDescription } from './format';
import { settingsUrlOf } from './links';

export type PanelLoad = Load<IssuePanelView>;

export type SendState =
  | { status: 'idle' }
  | { status: 'sending'; force: boolean }
  | { status: 'done'; result: SendToSqaiResult }
  | { status: 'failed'; error: ErrorDto };

export type PreviewState =
  | { status: 'closed' }
  | { status: 'loading' }
  | { status: 'open'; preview: ContextPreviewDto; json: string }
  | { status: 'failed'; error: ErrorDto };

interface FrameContext {
  localId?: string;
  projectKey?: string;
}

async function readFrameContext(): Promise<FrameContext> {
  try {
    const context = await forgeView.getContext();
    const project: unknown = context.extension.project;
    const projectKey =
      typeof project === 'object' && project !== null && 'key' in project && typeof project.key === 'string'
        ? project.key
        : undefined;
    return { localId: context.localId, ...(projectKey ? { projectKey } : {}) };
  } catch (error) {
    console.warn('Could not read the Forge context', error);
    return {};
  }
}

function notify(result: SendToSqaiResult): void {
  try {
    showFlag({
      id: `sqai-sent-${Date.now()}`,
      title: 'Sent to SQAI',
      description: sentDescription(result.summary),
      type: 'success',
      isAutoDismiss: true,
    });
  } catch (error) {
    // The inline outcome already says so; a host without flags is not an error for the user.
    console.warn('Could not show the "Sent to SQAI" flag', error);
  }
}

/** The IssuePanelView query; invalidate it when the issue's testing context changed (e.g. tests created). */
export const PANEL_KEY = ['issuePanel'] as const;
const PREVIEW_KEY = ['contextPreview'] as const;
const FRAME_KEY = ['frameContext'] as const;

/** Pretty-printed once per answer (a stable `select`, so react-query memoises it). */
const withJson = (preview: ContextPreviewDto) => ({
  preview,
  json: JSON.stringify(preview.document, null, 2),
});

export function useIssuePanel() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: PANEL_KEY,
    queryFn: () => fetchResolver<IssuePanelView>(RESOLVERS.getIssuePanel),
  });
  const frame = useQuery({ queryKey: FRAME_KEY, queryFn: readFrameContext }).data ?? {};
  const [previewOpen, setPreviewOpen] = useState(false);
  const previewQuery = useQuery({
    queryKey: PREVIEW_KEY,
    queryFn: () => fetchResolver<ContextPreviewDto>(RESOLVERS.previewContext),
    enabled: previewOpen,
    select: withJson,
  });
  const sending = useMutation({
    mutationFn: (force: boolean) =>
      fetchResolver<SendToSqaiResult>(RESOLVERS.sendToSqai, force ? { force: true } : {}),
    onSuccess: async (sent) => {
      // SQAI now holds exactly this content (pushed, or already had it).
      await updateCachedQuery<IssuePanelView>(client, PANEL_KEY, (view) => ({
        ...view,
        state: sent.state,
        summary: sent.summary,
        upToDate: true,
      }));
      if (sent.outcome === 'pushed') notify(sent);
      // A send reads the requirement's criteria again (docs/criteria.md "How the sync keeps it current").
      void client.invalidateQueries({ queryKey: CRITERIA_KEY });
    },
  });

  /** Closed (or refreshed) while loading: the answer is dropped, and opening again reads afresh. */
  const closePreview = () => {
    setPreviewOpen(false);
    client.removeQueries({ queryKey: PREVIEW_KEY });
  };

  const send: SendState = sending.isPending
    ? { status: 'sending', force: sending.variables }
    : sending.isError
      ? { status: 'failed', error: errorDtoOf(sending.error) }
      : sending.isSuccess
        ? { status: 'done', result: sending.data }
        : { status: 'idle' };

  const preview: PreviewState = !previewOpen
    ? { status: 'closed' }
    : previewQuery.isPending
      ? { status: 'loading' }
      : previewQuery.isError
        ? { status: 'failed', error: errorDtoOf(previewQuery.error) }
        : { status: 'open', ...previewQuery.data };

  const load = loadOf(query);
  const projectKey = load.status === 'ready' ? load.data.project.key : frame.projectKey;
  const settingsUrl = projectKey ? settingsUrlOf(projectKey, { localId: frame.localId }) : undefined;

  return {
    load,
    /** Re-gathering the context: what was shown stays up (dimmed actions) until the answer arrives. */
    refreshing: query.isRefetching,
    send,
    preview,
    settingsUrl,
    refresh: async (): Promise<void> => {
      sending.reset();
      closePreview();
      void client.invalidateQueries({ queryKey: CRITERIA_KEY });
      await query.refetch();
    },
    /** After a failed load: show the full loading state again. */
    retry: () => client.resetQueries({ queryKey: PANEL_KEY }),
    sendToSqai: (force = false) => sending.mutate(force),
    togglePreview: () => (previewOpen ? closePreview() : setPreviewOpen(true)),
  };
}

export type IssuePanelController = ReturnType<typeof useIssuePanel>;
