/**
 * "Acceptance criteria" (issue 18 item 6): across the project's requirements, how many criteria are
 * proven by a passing test, failing, or have no test at all, and the requirements with the most
 * unproven criteria first — only those the admin can see, 20 at a time with "Show more".
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import { router } from '@forge/bridge';
import type { CSSProperties } from 'react';
import type { ProjectCriteriaRequirementDto } from '../../../../src/api';
import { formatDateTime } from '../../../common/src/datetime';
import { Loaded } from '../../../common/src/Loaded';
import { RelativeTime } from '../../../common/src/RelativeTime';
import { Section } from '../../../common/src/Section';
import { TryAgainBox } from '../../../common/src/TryAgainBox';
import {
  useProjectCriteria,
  type ProjectCriteriaController,
  type ProjectCriteriaView,
} from './useProjectCriteria';

const figuresStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fit, minmax(7rem, 1fr))',
  gap: token('space.100'),
  margin: 0,
};
const figureStyle: CSSProperties = {
  margin: 0,
  padding: token('space.100'),
  borderRadius: token('radius.small'),
  backgroundColor: token('color.background.neutral.subtle.hovered'),
};
const figureValueStyle: CSSProperties = { margin: 0, font: token('font.heading.medium') };
const tableStyle: CSSProperties = { width: '100%', borderCollapse: 'collapse', font: token('font.body') };
const cellStyle: CSSProperties = {
  padding: `${token('space.075')} ${token('space.100')} ${token('space.075')} 0`,
  borderBlockEnd: `${token('border.width')} solid ${token('color.border')}`,
  textAlign: 'start',
  verticalAlign: 'top',
};
const numberStyle: CSSProperties = { ...cellStyle, textAlign: 'end', whiteSpace: 'nowrap' };
const headStyle: CSSProperties = { ...cellStyle, color: token('color.text.subtle'), fontWeight: 600 };
const headNumberStyle: CSSProperties = { ...headStyle, textAlign: 'end', whiteSpace: 'nowrap' };
const summaryStyle: CSSProperties = { ...cellStyle, overflowWrap: 'anywhere' };
const linkStyle: CSSProperties = { color: token('color.link'), fontWeight: token('font.weight.medium') };

/** "1 criterion", "1,367 criteria": counts in the reader's locale, as the figures show them. */
const many = (count: number, singular: string, pluralForm = `${singular}s`) =>
  `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`;

const issuePath = (issueKey: string) => `/browse/${encodeURIComponent(issueKey)}`;

function IssueKeyLink({ issueKey }: { issueKey: string }) {
  return (
    <a
      href={issuePath(issueKey)}
      style={linkStyle}
      onClick={(event) => {
        event.preventDefault();
        router
          .open(issuePath(issueKey))
          .catch((error: unknown) => console.error(`Could not open ${issueKey}`, error));
      }}
    >
      {issueKey}
    </a>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div style={figureStyle} data-testid={testId}>
      <dt>
        <Text size="small" color="color.text.subtle">
          {label}
        </Text>
      </dt>
      <dd style={figureValueStyle}>{value.toLocaleString()}</dd>
    </div>
  );
}

function Totals({ view }: { view: ProjectCriteriaView }) {
  const { totals, computedAt } = view;
  return (
    <Stack space="space.100">
      <Text as="p" testId="project-criteria-overview">
        {many(totals.criteria, 'criterion', 'criteria')} across {many(totals.requirements, 'requirement')}
        {computedAt ? (
          <>
            {' '}
            — counted <RelativeTime iso={computedAt} />{' '}
            <Text size="small" color="color.text.subtlest">
              ({formatDateTime(computedAt)}; each sync run that changes them counts again)
            </Text>
          </>
        ) : (
          <> — counted so far; the next sync run completes the count</>
        )}
      </Text>
      <dl style={figuresStyle} aria-label="Acceptance criteria across the project">
        <Figure label="Proven" value={totals.proven} testId="total-proven" />
        <Figure label="Failing" value={totals.failing} testId="total-failing" />
        <Figure label="No test" value={totals.noTest} testId="total-no-test" />
        <Figure label="Not proven" value={totals.unproven} testId="total-unproven" />
        {/* Issue 19: tests written against another wording of their requirement (absent before it). */}
        <Figure label="Possibly stale tests" value={totals.staleTests ?? 0} testId="total-stale-tests" />
      </dl>
    </Stack>
  );
}

function Row({ row }: { row: ProjectCriteriaRequirementDto }) {
  const { summaryCounts: counts } = row;
  return (
    <tr data-testid="project-criteria-row" data-key={row.key}>
      <th scope="row" style={cellStyle}>
        <IssueKeyLink issueKey={row.key} />
      </th>
      <td style={summaryStyle}>{row.summary ?? ''}</td>
      <td style={numberStyle}>
        {counts.unproven} of {counts.criteria}
      </td>
      <td style={numberStyle}>{counts.failing}</td>
      <td style={numberStyle}>{counts.noTest}</td>
      <td style={numberStyle} data-testid="project-criteria-stale-tests">
        {counts.staleTests ?? 0}
      </td>
    </tr>
  );
}

function Requirements({
  view,
  controller,
}: {
  view: ProjectCriteriaView;
  controller: ProjectCriteriaController;
}) {
  return (
    <Stack space="space.100">
      <table style={tableStyle} data-testid="project-criteria-table">
        <caption style={{ textAlign: 'start', paddingBlockEnd: token('space.050') }}>
          <Text weight="semibold">Requirements with the most unproven criteria</Text>
        </caption>
        <thead>
          <tr>
            <th scope="col" style={{ ...headStyle, width: '7rem' }}>
              Requirement
            </th>
            <th scope="col" style={headStyle}>
              Summary
            </th>
            <th scope="col" style={headNumberStyle}>
              Not proven
            </th>
            <th scope="col" style={headNumberStyle}>
              Failing
            </th>
            <th scope="col" style={headNumberStyle}>
              No test
            </th>
            <th scope="col" style={headNumberStyle}>
              Possibly stale tests
            </th>
          </tr>
        </thead>
        <tbody>
          {view.requirements.map((row) => (
            <Row key={row.key} row={row} />
          ))}
        </tbody>
      </table>
      {controller.moreError ? (
        <TryAgainBox
          error={controller.moreError}
          onTryAgain={controller.showMore}
          testId="project-criteria-more-error"
        />
      ) : null}
      <Inline space="space.100" alignBlock="center">
        {view.hasMore ? (
          <Button
            onClick={controller.showMore}
            isLoading={controller.loadingMore}
            testId="project-criteria-show-more"
          >
            Show more
          </Button>
        ) : null}
        <Text size="small" color="color.text.subtlest" testId="project-criteria-shown">
          {many(view.requirements.length, 'requirement')} shown. Only requirements you can see in Jira are
          listed.
        </Text>
      </Inline>
    </Stack>
  );
}

function Content({ view, controller }: { view: ProjectCriteriaView; controller: ProjectCriteriaController }) {
  if (view.totals.requirements === 0 && view.requirements.length === 0) {
    return (
      <Text as="p" color="color.text.subtle" testId="project-criteria-empty">
        No requirement in this project has acceptance criteria the app knows of yet. The sync reads them from
        each requirement’s description; their tests and results then show here.
      </Text>
    );
  }
  return (
    <Stack space="space.200">
      <Totals view={view} />
      {view.requirements.length > 0 ? (
        <Requirements view={view} controller={controller} />
      ) : (
        <Text as="p" color="color.text.subtle" testId="project-criteria-none-visible">
          None of the requirements with criteria is one you can see in Jira.
        </Text>
      )}
    </Stack>
  );
}

export interface ProjectCriteriaSectionProps {
  /** Re-reads when it changes (the settings' `updatedAt` after a save). */
  reloadKey?: string;
}

export function ProjectCriteriaSection({ reloadKey }: ProjectCriteriaSectionProps) {
  const controller = useProjectCriteria(reloadKey);
  return (
    <Section title="Acceptance criteria" testId="project-criteria-section">
      <Text as="p" size="small" color="color.text.subtle">
        How many of the acceptance criteria in this project’s requirements a passing test proves, and which
        requirements have the most criteria not proven yet.
      </Text>
      <Loaded
        load={controller.load}
        loadingText="Loading the acceptance criteria…"
        onTryAgain={() => void controller.reload()}
        loadingTestId="project-criteria-loading"
        errorTestId="project-criteria-error"
      >
        {(view) => <Content view={view} controller={controller} />}
      </Loaded>
    </Section>
  );
}
