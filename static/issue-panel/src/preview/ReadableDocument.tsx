/**
 * The context document as a reader wants it: the requirement and its description (Markdown shown
 * as text sections), its links, then every covering test as a table row with its steps, Gherkin or
 * definition underneath; test sets, executions and plans; and what was cut to fit SQAI's limits.
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

const headStyle: CSSProperties = { ...cellStyle, color: token('color.text.subtle') };
const listStyle: CSSProperties = { margin: 0, paddingInlineStart: token('space.250') };
const bodyCellStyle: CSSProperties = { ...cellStyle, paddingBlockEnd: token('space.150') };

function Part({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
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
      {shown.map(([label, value]) => `${label}: ${value}`).join(' · ')}
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
              {test.summary}
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
          <strong>{item.key}</strong> {item.summary}
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
        <Part title={`${document.source.issueKey} ${requirement.summary}`} testId="preview-requirement">
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
                  {link.title}
                  <Text color="color.text.subtlest">{` — ${link.url}`}</Text>
                </li>
              ))}
            </ul>
          </Part>
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
