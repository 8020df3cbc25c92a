/**
 * The SQAI issue panel (jira:issuePanel): the issue's sync status, what its context document holds,
 * Send to SQAI / Preview / Refresh, the recent sync history, and "Generate tests" (generate/). For
 * project admins, a reminder when the Xray key expires soon or has expired.
 * Server state lives in useIssuePanel and generate/useGeneration.
 */
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import { TryAgainBox } from '../../common/src/TryAgainBox';
import { ContextSummary } from './ContextSummary';
import { GenerateSection } from './generate/GenerateSection';
import { HistoryList } from './HistoryList';
import { KeyReminder } from './KeyReminder';
import { NotConfigured } from './NotConfigured';
import { PreviewPanel } from './PreviewPanel';
import { SendActions, SendOutcome } from './SendActions';
import { SyncStatus } from './SyncStatus';
import { useIssuePanel } from './useIssuePanel';

// Room for focus rings at the iframe's edges; Jira's panel supplies the outer spacing.
const pageStyle: CSSProperties = { padding: token('space.050'), maxWidth: 760 };
const loadingStyle: CSSProperties = { paddingBlock: token('space.200') };

export function App() {
  const panel = useIssuePanel();
  const { load } = panel;

  if (load.status === 'loading') {
    return (
      <main style={pageStyle}>
        <div style={loadingStyle} role="status" data-testid="issue-panel-loading">
          <Inline space="space.100" alignBlock="center">
            <Spinner size="medium" label="" />
            <Text color="color.text.subtle">Gathering the testing context…</Text>
          </Inline>
        </div>
      </main>
    );
  }

  if (load.status === 'failed') {
    return (
      <main style={pageStyle}>
        {load.error.code === 'NOT_CONFIGURED' ? (
          <NotConfigured canConfigure={false} settingsUrl={panel.settingsUrl} />
        ) : (
          <TryAgainBox error={load.error} onTryAgain={() => void panel.retry()} testId="load-error" />
        )}
      </main>
    );
  }

  const view = load.data;
  if (!view.configured) {
    return (
      <main style={pageStyle}>
        <NotConfigured canConfigure={view.canConfigure} settingsUrl={panel.settingsUrl} />
      </main>
    );
  }

  return (
    <main style={pageStyle}>
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
        {panel.preview.status !== 'closed' ? <PreviewPanel preview={panel.preview} /> : null}
        <HistoryList history={view.state.history} />
        <GenerateSection issueKey={view.issue.key} />
      </Stack>
    </main>
  );
}
