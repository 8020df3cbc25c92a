/**
 * The context document as a reader wants it: the requirement and its description (Markdown shown
 * as text sections), its links, then every covering test as a table row with its steps, Gherkin or
 * definition underneath; test sets, executions and plans; and what was cut to fit SQAI's limits.
 * Redaction placeholders (`[email-1]`) are highlighted wherever they appear (./Redacted.tsx).
 */
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import type { ContextDocument, ContextTest } from '../../../../src/context/schema';
import { cellStyle, DefinitionText, GherkinBlock, StepsTable, tableStyle } from '../TestBody';
import { MarkdownText } from './MarkdownText';
import { RedactedText } from './Redacted';

const headStyle: CSSProperties = { ...cellStyle, color: token('color.text.subtle') };
const listStyle: CSSProperties = { margin: 0, paddingInlineStart: token('space.250') };
const bodyCellStyle: CSSProperties = { ...cellStyle, paddingBlockEnd: token('space.150') };

function Part({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId}>
      <Stack space="space.075">
        <Heading size="xxsmall" as="h4">
          {title}
        </Heading>
        {children}
      </Stack>
    </section>
  );
}

function Facts({ facts }: { facts: [string, string | null][] }) {
  const shown = facts.filter((fact): fact is [string, string] => fact[1] !== null && fact[1] !== '');
  return (
    <Text as="p" size="small" color="color.text.subtle">
      <RedactedText text={shown.map(([label, value]) => `${label}: ${value}`).join(' · ')} />
    </Text>
  );
}

function TestDetails({ test }: { test: ContextTest }) {
  if (test.steps && test.steps.length > 0)
    return <StepsTable steps={test.steps} caption={`Steps of ${test.key}`} />;
  if (test.gherkin) return <GherkinBlock gherkin={test.gherkin} />;
  if (test.definition) return <DefinitionText definition={test.definition} />;
  return (
    <Text size="small" color="color.text.subtlest">
      {test.detailsOmitted ? 'Details left out to fit the size limit.' : 'No steps, scenario or definition.'}
    </Text>
  );
}

function TestsTable({ tests }: { tests: readonly ContextTest[] }) {
  return (
    <table style={tableStyle} data-testid="preview-tests">
      <thead>
        <tr>
          <th scope="col" style={{ ...headStyle, width: '24%' }}>
            Test
          </th>
          <th scope="col" style={headStyle}>
            Summary
          </th>
          <th scope="col" style={{ ...headStyle, width: '22%' }}>
            Latest run
          </th>
        </tr>
      </thead>
      {tests.map((test) => (
        <tbody key={test.id}>
          <tr>
            <th scope="row" style={cellStyle}>
              {test.key}
            </th>
            <td style={cellStyle}>
              <RedactedText text={test.summary} />
              <Text as="p" size="small" color="color.text.subtlest">
                {[test.testType.name, test.folder].filter(Boolean).join(' · ')}
              </Text>
            </td>
            <td style={cellStyle}>
              {test.latestRun ? <Lozenge>{test.latestRun.status}</Lozenge> : 'Not run'}
            </td>
          </tr>
          <tr>
            <td colSpan={3} style={bodyCellStyle}>
              <TestDetails test={test} />
            </td>
          </tr>
        </tbody>
      ))}
    </table>
  );
}

function KeyList({ items }: { items: readonly { key: string; summary: string; note?: string }[] }) {
  return (
    <ul style={listStyle}>
      {items.map((item) => (
        <li key={item.key}>
          <strong>{item.key}</strong> <RedactedText text={item.summary} />
          {item.note ? <Text color="color.text.subtlest">{` — ${item.note}`}</Text> : null}
        </li>
      ))}
    </ul>
  );
}

export function ReadableDocument({ document }: { document: ContextDocument }) {
  const { requirement, xray } = document;
  return (
    <div data-testid="preview-readable">
      <Stack space="space.200">
        <Part
          title={<RedactedText text={`${document.source.issueKey} ${requirement.summary}`} />}
          testId="preview-requirement"
        >
          <Facts
            facts={[
              ['Type', requirement.type],
              ['Status', requirement.status],
              ['Priority', requirement.priority],
              ['Labels', requirement.labels.join(', ')],
              ['Components', requirement.components.join(', ')],
              ['Fix versions', requirement.fixVersions.join(', ')],
              ['Assignee', requirement.assignee],
              ['Reporter', requirement.reporter],
            ]}
          />
        </Part>
        <Part title="Description">
          {requirement.description.trim() === '' ? (
            <Text color="color.text.subtlest">No description.</Text>
          ) : (
            <MarkdownText markdown={requirement.description} />
          )}
        </Part>
        {document.linkedIssues.length > 0 ? (
          <Part title={`Linked issues (${document.linkedIssues.length})`}>
            <KeyList
              items={document.linkedIssues.map((link) => ({
                key: link.key,
                summary: link.summary,
                note: [link.relation, link.status].filter(Boolean).join(', '),
              }))}
            />
          </Part>
        ) : null}
        {document.remoteLinks.length > 0 ? (
          <Part title={`Web links (${document.remoteLinks.length})`}>
            <ul style={listStyle}>
              {document.remoteLinks.map((link, index) => (
                <li key={index}>
                  <RedactedText text={link.title} />
                  <Text color="color.text.subtlest">{` — ${link.url}`}</Text>
                </li>
              ))}
            </ul>
          </Part>
        ) : null}
        {document.linkedPages && document.linkedPages.length > 0 ? (
          <Part title={`Confluence pages (${document.linkedPages.length})`} testId="preview-pages">
            {document.linkedPages.map((page, index) => (
              <section key={index} data-testid="preview-page">
                <Stack space="space.050">
                  <Text weight="semibold">
                    <RedactedText text={page.title} />
                  </Text>
                  {page.content !== null ? (
                    <MarkdownText markdown={page.content} testId="page-text" />
                  ) : (
                    <Text size="small" color="color.text.subtlest">
                      {`Listed without its content (${page.reason ?? 'not read'}) — ${page.url}`}
                    </Text>
                  )}
                </Stack>
              </section>
            ))}
          </Part>
        ) : null}
        {document.attachments && document.attachments.length > 0 ? (
          <Part title={`Attachments (${document.attachments.length})`} testId="preview-attachments">
            <ul style={listStyle}>
              {document.attachments.map((attachment, index) => (
                <li key={index} data-testid="preview-attachment">
                  <RedactedText text={attachment.filename} />
                  <Text color="color.text.subtlest">
                    {attachment.content !== null
                      ? ' — included'
                      : ` — listed (${attachment.reason ?? 'not read'})`}
                  </Text>
                </li>
              ))}
            </ul>
          </Part>
        ) : null}
        {document.controls && document.controls.excluded.length > 0 ? (
          <Text size="small" color="color.text.subtle" testId="preview-excluded">
            {`Kept in Jira by the project's data controls: ${document.controls.excluded.join(', ')}.`}
          </Text>
        ) : null}
        <Part title={`Tests (${xray.tests.length} of ${xray.testsTotal})`}>
          <Facts
            facts={[
              ['Coverage', xray.coverage.status],
              ['Requirement in Xray', xray.isRequirement ? 'yes' : 'no'],
            ]}
          />
          {xray.tests.length > 0 ? (
            <TestsTable tests={xray.tests} />
          ) : (
            <Text color="color.text.subtlest">No tests cover this issue yet.</Text>
          )}
        </Part>
        {xray.testSets.length + xray.testExecutions.length + xray.testPlans.length > 0 ? (
          <Part title="Test sets, executions and plans">
            <KeyList
              items={[
                ...xray.testSets.map((set) => ({ ...set, note: `Test Set, ${set.testKeys.length} tests` })),
                ...xray.testExecutions.map((execution) => ({
                  ...execution,
                  note: ['Test Execution', ...execution.environments].join(', '),
                })),
                ...xray.testPlans.map((plan) => ({ ...plan, note: 'Test Plan' })),
              ]}
            />
          </Part>
        ) : null}
        {document.truncated.length > 0 ? (
          <Part title="Cut to fit SQAI’s limits">
            <Text size="small" color="color.text.subtle">
              {document.truncated.join(', ')}
            </Text>
          </Part>
        ) : null}
      </Stack>
    </div>
  );
}
