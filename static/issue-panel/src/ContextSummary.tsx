/**
 * "What will be sent": counts of what the issue's context document holds — linked issues, remote
 * links, Xray tests by type, sets / executions / plans, latest results, coverage — its size, and
 * warnings for truncated fields and for issues Xray does not treat as requirements.
 */
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../common/src/SectionMessage';
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import type { ContextSummaryDto } from '../../../src/api';
import {
  coverageBadge,
  formatSize,
  latestResultParts,
  remoteLinksText,
  testsByTypeText,
  type ResultKey,
  type ResultPart,
} from './format';

const gridStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(7.5rem, max-content) 1fr',
  columnGap: token('space.200'),
  rowGap: token('space.075'),
  margin: 0,
  padding: 0,
  alignItems: 'baseline',
};

const termStyle: CSSProperties = { margin: 0, color: token('color.text.subtle'), font: token('font.body') };
const valueStyle: CSSProperties = { margin: 0, minWidth: 0, font: token('font.body') };
const listStyle: CSSProperties = { margin: 0, paddingInlineStart: token('space.250') };
const codeStyle: CSSProperties = { font: token('font.code'), fontSize: '0.875em' };

const BAR_COLOURS: Record<ResultKey, string> = {
  passed: token('color.background.success.bold'),
  failed: token('color.background.danger.bold'),
  executing: token('color.background.information.bold'),
  todo: token('color.background.discovery.bold'),
  other: token('color.background.warning.bold'),
  notRun: token('color.background.accent.gray.subtler'),
};

function Row({ term, testId, children }: { term: string; testId: string; children: ReactNode }) {
  return (
    <>
      <dt style={termStyle}>{term}</dt>
      <dd style={valueStyle} data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

/** A thin stacked bar of the latest results (decorative: the lozenges carry the numbers). */
function ResultsBar({ parts }: { parts: ResultPart[] }) {
  const total = parts.reduce((sum, part) => sum + part.count, 0);
  if (total === 0) return null;
  return (
    <div
      aria-hidden
      style={{
        display: 'flex',
        height: 6,
        borderRadius: token('radius.small'),
        overflow: 'hidden',
        gap: 1,
        maxWidth: 240,
        marginBlockStart: token('space.075'),
      }}
    >
      {parts.map((part) => (
        <span key={part.key} style={{ flexGrow: part.count, backgroundColor: BAR_COLOURS[part.key] }} />
      ))}
    </div>
  );
}

function LatestResults({ results }: { results: ContextSummaryDto['latestResults'] }) {
  const parts = latestResultParts(results);
  return (
    <>
      <Inline space="space.050" shouldWrap>
        {parts.map((part) => (
          <Lozenge key={part.key} appearance={part.appearance}>
            {part.text}
          </Lozenge>
        ))}
      </Inline>
      <ResultsBar parts={parts} />
    </>
  );
}

function Tests({ tests }: { tests: ContextSummaryDto['tests'] }) {
  if (tests.total === 0) return <Text color="color.text.subtle">No Xray tests cover this issue yet</Text>;
  const byType = testsByTypeText(tests.byType);
  return (
    <Text>
      <Text weight="semibold">{tests.total}</Text>
      {byType ? <Text color="color.text.subtle">{` — ${byType}`}</Text> : null}
    </Text>
  );
}

export function ContextSummary({ summary }: { summary: ContextSummaryDto }) {
  const coverage = coverageBadge(summary.coverage);
  const hasTests = summary.tests.total > 0;
  return (
    <section aria-labelledby="context-summary-heading" data-testid="context-summary">
      <Stack space="space.150">
        <Inline space="space.100" alignBlock="baseline" spread="space-between" shouldWrap>
          <Heading size="xsmall" as="h2" id="context-summary-heading">
            What will be sent
          </Heading>
          <Text size="small" color="color.text.subtlest" testId="document-size">
            {`${formatSize(summary.sizeBytes)} document`}
          </Text>
        </Inline>
        {!summary.isRequirement ? (
          <SectionMessage appearance="information" testId="not-requirement">
            <p>
              Xray doesn't treat {summary.issue.type} issues as requirements in this project; you can still
              send it.
            </p>
          </SectionMessage>
        ) : null}
        <dl style={gridStyle}>
          <Row term="Linked issues" testId="summary-linked-issues">
            {summary.linkedIssues}
          </Row>
          <Row term="Remote links" testId="summary-remote-links">
            {remoteLinksText(summary)}
          </Row>
          <Row term="Tests" testId="summary-tests">
            <Tests tests={summary.tests} />
          </Row>
          {hasTests ? (
            <Row term="Latest results" testId="summary-latest-results">
              <LatestResults results={summary.latestResults} />
            </Row>
          ) : null}
          <Row term="Test sets" testId="summary-test-sets">
            {summary.testSets}
          </Row>
          <Row term="Test executions" testId="summary-test-executions">
            {summary.testExecutions}
          </Row>
          <Row term="Test plans" testId="summary-test-plans">
            {summary.testPlans}
          </Row>
          <Row term="Coverage" testId="coverage-status">
            {coverage ? (
              <Lozenge appearance={coverage.appearance}>{coverage.text}</Lozenge>
            ) : (
              <Text color="color.text.subtlest">Not reported by Xray</Text>
            )}
          </Row>
        </dl>
        {summary.truncated.length > 0 ? (
          <SectionMessage
            appearance="warning"
            title="Some content was shortened to fit"
            testId="truncated-warning"
          >
            <p>
              These fields were cut to fit SQAI’s and Forge’s size limits (each is marked in the document):
            </p>
            <ul style={listStyle}>
              {summary.truncated.map((field) => (
                <li key={field}>
                  <span style={codeStyle}>{field}</span>
                </li>
              ))}
            </ul>
          </SectionMessage>
        ) : null}
      </Stack>
    </section>
  );
}
