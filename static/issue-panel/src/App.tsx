/**
 * The SQAI issue panel (jira:issuePanel): the issue's sync status, what its context document holds,
 * Send to SQAI / Preview / Refresh, the recent sync history, the requirement's acceptance criteria
 * (criteria/) and "Generate tests" (generate/). For project admins, a reminder when the Xray key
 * expires soon or has expired.
 * Server state lives in useIssuePanel, criteria/useCriteria and generate/useGeneration; the one piece
 * of state the two sections share — the criteria "Generate tests" is asked to cover — lives here.
 */
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import VisuallyHidden from '@atlaskit/visually-hidden';
import { lazy, Suspense, useState, type CSSProperties, type ReactNode } from 'react';
import { LoadingLine } from '../../common/src/LoadingLine';
import { TryAgainBox } from '../../common/src/TryAgainBox';
import type { CriteriaFocus } from './criteria/model';
import { ContextSummary } from './ContextSummary';
import { HistoryList } from './HistoryList';
import { KeyReminder } from './KeyReminder';
import { NotConfigured } from './NotConfigured';
import { SendActions, SendOutcome } from './SendActions';
import { SyncStatus } from './SyncStatus';
import { useIssuePanel } from './useIssuePanel';
import { offersGeneration } from './xrayIssueTypes';

// Loaded after the panel's first paint: the panel opens on every issue view, the criteria,
// generation and the preview only on some (issue 16 item 14, initial JS budget). The criteria and
// generation sections are one chunk (criteria/sections.ts says why).
const GenerateSection = lazy(() =>
  import('./criteria/sections').then((module) => ({ default: module.GenerateSection })),
);
const CriteriaSection = lazy(() =>
  import('./criteria/sections').then((module) => ({ default: module.CriteriaSection })),
);
const PreviewPanel = lazy(() =>
  import('./PreviewPanel').then((module) => ({ default: module.PreviewPanel })),
);

// Room for focus rings at the iframe's edges; Jira's panel supplies the outer spacing.
const pageStyle: CSSProperties = { padding: token('space.050'), maxWidth: 760 };
const loadingStyle: CSSProperties = { paddingBlock: token('space.200') };

/** The panel's frame: Jira titles the panel; the iframe's own document gets a heading for screen readers. */
function PanelPage({ issueKey, children }: { issueKey: string | undefined; children: ReactNode }) {
  return (
    <main style={pageStyle}>
      <VisuallyHidden>
        <h1>{issueKey ? `SQAI testing context of ${issueKey}` : 'SQAI testing context'}</h1>
      </VisuallyHidden>
      {children}
    </main>
  );
}

export function App() {
  const panel = useIssuePanel();
  const { load } = panel;
  const [criteriaFocus, setCriteriaFocus] = useState<CriteriaFocus | null>(null);
  const issueKey = load.status === 'ready' ? load.data.issue.key : undefined;

  if (load.status === 'loading') {
    return (
      <PanelPage issueKey={issueKey}>
        <div style={loadingStyle} role="status" data-testid="issue-panel-loading">
          <Inline space="space.100" alignBlock="center">
            <Spinner size="medium" label="" />
            <Text color="color.text.subtle">Gathering the testing context…</Text>
          </Inline>
        </div>
      </PanelPage>
    );
  }

  if (load.status === 'failed') {
    return (
      <PanelPage issueKey={issueKey}>
        {load.error.code === 'NOT_CONFIGURED' ? (
          <NotConfigured canConfigure={false} settingsUrl={panel.settingsUrl} />
        ) : (
          <TryAgainBox error={load.error} onTryAgain={() => void panel.retry()} testId="load-error" />
        )}
      </PanelPage>
    );
  }

  const view = load.data;
  if (!view.configured) {
    return (
      <PanelPage issueKey={issueKey}>
        <NotConfigured canConfigure={view.canConfigure} settingsUrl={panel.settingsUrl} />
      </PanelPage>
    );
  }

  return (
    <PanelPage issueKey={issueKey}>
      <Stack space="space.200">
        {view.keyReminder ? (
          <KeyReminder reminder={view.keyReminder} settingsUrl={panel.settingsUrl} />
        ) : null}
        <SyncStatus view={view} refreshing={panel.refreshing} />
        {view.summary ? (
          <ContextSummary summary={view.summary} />
        ) : (
          <Text color="color.text.subtle">The app could not summarise this issue’s context.</Text>
        )}
        <SendActions
          send={panel.send}
          preview={panel.preview}
          busy={panel.refreshing}
          canSend={view.summary !== null}
          onSend={panel.sendToSqai}
          onPreview={panel.togglePreview}
          onRefresh={() => void panel.refresh()}
        />
        <SendOutcome send={panel.send} onSend={panel.sendToSqai} />
        {panel.preview.status !== 'closed' ? (
          <Suspense fallback={<LoadingLine text="Opening the preview…" />}>
            <PreviewPanel preview={panel.preview} />
          </Suspense>
        ) : null}
        <HistoryList history={view.state.history} people={view.people} />
        {view.summary === null || offersGeneration(view.summary.issue.type) ? (
          <>
            <Suspense fallback={<LoadingLine text="Loading the acceptance criteria…" />}>
              <CriteriaSection issueKey={view.issue.key} onGenerate={setCriteriaFocus} />
            </Suspense>
            <Suspense fallback={<LoadingLine text="Loading test generation…" />}>
              <GenerateSection
                issueKey={view.issue.key}
                criteriaFocus={criteriaFocus}
                onClearCriteriaFocus={() => setCriteriaFocus(null)}
              />
            </Suspense>
          </>
        ) : (
          <Text as="p" color="color.text.subtle" testId="generation-not-offered">
            {`Tests are generated for requirements, and ${view.issue.key} is a ${view.summary.issue.type}: open the requirement it covers to generate tests.`}
          </Text>
        )}
      </Stack>
    </PanelPage>
  );
}
