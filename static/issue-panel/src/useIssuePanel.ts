/**
 * The issue panel's server state: the IssuePanelView (load / refresh), sending to SQAI (with the
 * "already up to date → send anyway" round trip), the on-demand context preview, and the Forge
 * context bits the settings link needs. Every resolver call goes through callResolver, so failures
 * arrive as ErrorDto values, never as exceptions.
 */
import { showFlag, view as forgeView } from '@forge/bridge';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RESOLVERS } from '../../../src/api';
import type {
  ContextPreviewDto,
  ErrorDto,
  IssuePanelView,
  SendToSqaiInput,
  SendToSqaiResult,
} from '../../../src/api';
import { callResolver } from '../../common/src/resolver';
import { sentDescription } from './format';
import { settingsUrlOf } from './links';

export type PanelLoad =
  { status: 'loading' } | { status: 'ready'; view: IssuePanelView } | { status: 'failed'; error: ErrorDto };

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

export function useIssuePanel() {
  const [load, setLoad] = useState<PanelLoad>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [send, setSend] = useState<SendState>({ status: 'idle' });
  const [preview, setPreview] = useState<PreviewState>({ status: 'closed' });
  const [frame, setFrame] = useState<FrameContext>({});
  const mounted = useRef(true);
  /** Only the newest getIssuePanel answer counts. */
  const loadSeq = useRef(0);

  useEffect(() => {
    mounted.current = true;
    void readFrameContext().then((context) => {
      if (mounted.current) setFrame(context);
    });
    return () => {
      mounted.current = false;
    };
  }, []);

  const fetchView = useCallback(async (): Promise<void> => {
    const seq = ++loadSeq.current;
    const result = await callResolver<IssuePanelView>(RESOLVERS.getIssuePanel, {});
    if (!mounted.current || seq !== loadSeq.current) return;
    setLoad(result.ok ? { status: 'ready', view: result.data } : { status: 'failed', error: result.error });
  }, []);

  useEffect(() => {
    void fetchView();
  }, [fetchView]);

  /** Re-gathers the context. What was shown stays up (dimmed actions) until the answer arrives. */
  const refresh = useCallback(async (): Promise<void> => {
    setRefreshing(true);
    setSend({ status: 'idle' });
    setPreview({ status: 'closed' });
    try {
      await fetchView();
    } finally {
      if (mounted.current) setRefreshing(false);
    }
  }, [fetchView]);

  /** Initial load after a failure: show the full loading state again. */
  const retry = useCallback(async (): Promise<void> => {
    setLoad({ status: 'loading' });
    await fetchView();
  }, [fetchView]);

  const sendToSqai = useCallback(async (force = false): Promise<void> => {
    setSend({ status: 'sending', force });
    const input: SendToSqaiInput = force ? { force: true } : {};
    const result = await callResolver<SendToSqaiResult>(RESOLVERS.sendToSqai, input);
    if (!mounted.current) return;
    if (!result.ok) {
      setSend({ status: 'failed', error: result.error });
      return;
    }
    const sent = result.data;
    setSend({ status: 'done', result: sent });
    // SQAI now holds exactly this content (pushed, or already had it).
    setLoad((current) =>
      current.status === 'ready'
        ? {
            status: 'ready',
            view: { ...current.view, state: sent.state, summary: sent.summary, upToDate: true },
          }
        : current,
    );
    if (sent.outcome === 'pushed') notify(sent);
  }, []);

  const togglePreview = useCallback(async (): Promise<void> => {
    if (preview.status !== 'closed') {
      setPreview({ status: 'closed' });
      return;
    }
    setPreview({ status: 'loading' });
    const result = await callResolver<ContextPreviewDto>(RESOLVERS.previewContext, {});
    if (!mounted.current) return;
    // Closed (or refreshed) while loading: drop the answer.
    setPreview((current) => {
      if (current.status !== 'loading') return current;
      if (!result.ok) return { status: 'failed', error: result.error };
      return { status: 'open', preview: result.data, json: JSON.stringify(result.data.document, null, 2) };
    });
  }, [preview.status]);

  const projectKey = load.status === 'ready' ? load.view.project.key : frame.projectKey;
  const settingsUrl = projectKey ? settingsUrlOf(projectKey, { localId: frame.localId }) : undefined;

  return { load, refreshing, send, preview, settingsUrl, refresh, retry, sendToSqai, togglePreview };
}

export type IssuePanelController = ReturnType<typeof useIssuePanel>;
