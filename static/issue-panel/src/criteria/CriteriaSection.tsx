/**
 * The issue panel's Criteria view (issue 18 item 3; docs/criteria.md): the requirement's acceptance
 * criteria, each with its state and the tests that prove it, and the actions — "Generate tests for N
 * uncovered criteria" (the issue's "Generate tests for uncovered criteria": hands the criteria to
 * the panel's "Generate tests" form), "Suggest mappings"
 * (SQAI classifies the covering tests), and per criterion "Map a test" / "Unmap" / "Confirm" /
 * "Reject" for users who may edit the requirement. Server state lives in useCriteria.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import VisuallyHidden from '@atlaskit/visually-hidden';
import { useState, type CSSProperties } from 'react';
import type { ChangeCriterionMappingInput, CriteriaViewDto } from '../../../../src/api';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { plural } from '../../../common/src/format';
import { Loaded } from '../../../common/src/Loaded';
import { RelativeTime } from '../../../common/src/RelativeTime';
import { Section } from '../../../common/src/Section';
import { CriterionItem } from './CriterionItem';
import {
  focusOfUncovered,
  generateUncoveredText,
  hiddenTestsText,
  mappableTests,
  STATE_BADGES,
  suggestOutcomeText,
  summaryText,
  type CriteriaFocus,
} from './model';
import { ScopeChoice } from './ScopeChoice';
import { StaleTests } from './StaleTests';
import { staleTestsText } from '../living/model';
import { useTestUpdates } from '../living/useTestUpdates';
import { scopeValueOf, showsScopeChoice } from './scope';
import { useCriteria, type CriteriaController } from './useCriteria';

const listStyle: CSSProperties = {
  listStyle: 'none',
  margin: 0,
  padding: 0,
  display: 'flex',
  flexDirection: 'column',
  gap: token('space.100'),
};

const exampleStyle: CSSProperties = {
  margin: 0,
  padding: `${token('space.075')} ${token('space.150')}`,
  borderInlineStart: `${token('border.width.selected', '2px')} solid ${token('color.border')}`,
  font: token('font.body.small'),
  color: token('color.text.subtle'),
};
const exampleHeadingStyle: CSSProperties = { margin: 0, fontWeight: token('font.weight.semibold') };
const exampleListStyle: CSSProperties = { margin: 0, paddingInlineStart: token('space.250') };

/** What an action changed, in words for the announcer (the view itself shows it too). */
function changeAnnouncement(
  input: ChangeCriterionMappingInput,
  view: CriteriaViewDto,
  withState: boolean,
): string {
  const criterion = withState ? view.criteria.find(({ id }) => id === input.criterionId) : undefined;
  const state = criterion ? ` The criterion is now ${STATE_BADGES[criterion.state].text.toLowerCase()}.` : '';
  const done = {
    map: `${input.testKey} mapped.`,
    unmap: `${input.testKey} unmapped.`,
    confirm: `${input.testKey} confirmed.`,
    reject: `Suggestion of ${input.testKey} rejected.`,
  }[input.action];
  return `${done}${state}`;
}

function NoCriteria() {
  return (
    <Stack space="space.100" testId="criteria-none">
      <Text as="p">The app found no acceptance criteria in this requirement.</Text>
      <Text as="p" size="small" color="color.text.subtle">
        Write them in the description under a heading named “Acceptance criteria” (or “Definition of done”),
        one per list item or table row, or as Given/When/Then scenarios — then send the requirement to SQAI
        again.
      </Text>
      <figure style={exampleStyle} aria-label="An example">
        <p style={exampleHeadingStyle}>Acceptance criteria</p>
        <ul style={exampleListStyle}>
          <li>A guest can check out with only an email address</li>
          <li>Given a declined card, when the guest pays, then the bank’s message is shown</li>
        </ul>
      </figure>
    </Stack>
  );
}

function Ready({
  issueKey,
  view,
  controller,
  onGenerate,
  onAnnounce,
  scope,
  onScope,
}: {
  issueKey: string;
  view: CriteriaViewDto;
  controller: CriteriaController;
  onGenerate: ((focus: CriteriaFocus) => void) | undefined;
  onAnnounce: (text: string) => void;
  /** The chosen scope (./scope.ts: a Test Plan or a Test Execution); absent: the latest run. */
  scope: string | undefined;
  onScope: (scope: string | undefined) => void;
}) {
  const [serial, setSerial] = useState(0);
  const uncovered = focusOfUncovered(view.criteria, serial + 1);
  const { suggest } = controller;
  const hidden = hiddenTestsText(view.hiddenTests);
  const updates = useTestUpdates(issueKey);
  const staleTests = view.staleTests ?? [];
  const staleCount = view.summary.staleTests ?? staleTests.length;

  const change = async (input: ChangeCriterionMappingInput): Promise<boolean> => {
    const next = await controller.changeMapping(input);
    // The answer is the latest run's view: its state is the criterion's in the scope shown only there.
    if (next) onAnnounce(changeAnnouncement(input, next, (scopeValueOf(next.scope) ?? '') === (scope ?? '')));
    return next !== null;
  };

  return (
    <Stack space="space.150">
      {showsScopeChoice(view, scope) ? (
        <ScopeChoice view={view} chosen={scope} switching={controller.switching} onChoose={onScope} />
      ) : null}
      <Stack space="space.050">
        <Inline space="space.100" rowSpace="space.025" shouldWrap alignBlock="baseline">
          <Text as="p" weight="semibold" testId="criteria-summary">
            {summaryText(view.summary)}
          </Text>
          {staleCount > 0 ? (
            <Text as="p" color="color.text.warning" testId="criteria-stale-count">
              {staleTestsText(staleCount)}
            </Text>
          ) : null}
        </Inline>
        {view.updatedAt ? (
          <Text as="p" size="small" color="color.text.subtle">
            Brought up to date <RelativeTime iso={view.updatedAt} />
          </Text>
        ) : null}
      </Stack>
      {(uncovered && onGenerate) || view.canEdit ? (
        <Inline space="space.100" rowSpace="space.100" shouldWrap>
          {uncovered && onGenerate ? (
            <Button
              appearance="primary"
              testId="generate-uncovered"
              onClick={() => {
                setSerial((current) => current + 1);
                onGenerate(uncovered);
              }}
            >
              {generateUncoveredText(uncovered.ids.length)}
            </Button>
          ) : null}
          {view.canEdit ? (
            <Button
              appearance="default"
              testId="suggest-mappings"
              isLoading={suggest.status === 'suggesting'}
              onClick={controller.suggestMappings}
            >
              Suggest mappings
            </Button>
          ) : null}
        </Inline>
      ) : null}
      <div role="status" data-testid="suggest-outcome">
        {suggest.status === 'done' ? (
          <Text as="p" size="small">
            {suggestOutcomeText(suggest)}
          </Text>
        ) : suggest.status === 'suggesting' ? (
          <Text as="p" size="small" color="color.text.subtle">
            Asking SQAI which criteria the tests prove…
          </Text>
        ) : null}
      </div>
      {view.canEdit && view.suggestedAt && suggest.status === 'idle' ? (
        <Text as="p" size="small" color="color.text.subtle" testId="suggested-at">
          SQAI last suggested mappings <RelativeTime iso={view.suggestedAt} />.
        </Text>
      ) : null}
      {suggest.status === 'failed' ? <ErrorMessageBox error={suggest.error} testId="suggest-error" /> : null}
      {staleTests.length > 0 ? (
        <StaleTests
          tests={staleTests}
          canEdit={view.canEdit}
          proposing={updates.proposing}
          proposeError={updates.proposeError}
          reviewing={controller.reviewing}
          reviewError={controller.reviewError}
          onMarkReviewed={(testKey) => controller.markReviewed([testKey])}
          onPropose={({ replace }) =>
            void updates.propose(replace ? { replace: true } : {}).then((generation) => {
              if (generation)
                onAnnounce(
                  `SQAI was asked to propose updates of ${plural(staleTests.length, 'test')}: they show under Tests from SQAI.`,
                );
            })
          }
        />
      ) : null}
      <ol style={listStyle} aria-label="Acceptance criteria" data-testid="criteria-list">
        {view.criteria.map((criterion) => (
          <CriterionItem
            key={criterion.id}
            criterion={criterion}
            canEdit={view.canEdit}
            mappable={mappableTests(view, criterion)}
            mapping={controller.mapping}
            onChange={change}
            onDismissError={controller.dismissMappingError}
          />
        ))}
      </ol>
      {hidden ? (
        <Text as="p" size="small" color="color.text.subtle" testId="criteria-hidden-tests">
          {hidden}
        </Text>
      ) : null}
      {view.canEdit ? null : (
        <Text as="p" size="small" color="color.text.subtle" testId="criteria-read-only">
          Only people who can edit this requirement can map tests to its criteria.
        </Text>
      )}
    </Stack>
  );
}

export interface CriteriaSectionProps {
  issueKey: string;
  /** "Generate tests for uncovered criteria": absent where the panel offers no generation. */
  onGenerate?: ((focus: CriteriaFocus) => void) | undefined;
}

export function CriteriaSection({ issueKey, onGenerate }: CriteriaSectionProps) {
  const [scope, setScope] = useState<string | undefined>(undefined);
  const controller = useCriteria(issueKey, scope);
  const [announcement, setAnnouncement] = useState('');
  return (
    <Section
      title="Acceptance criteria"
      headingId="sqai-criteria-heading"
      headingSize="xsmall"
      space="space.150"
      testId="criteria-section"
    >
      <Loaded
        load={controller.load}
        loadingText="Loading the acceptance criteria…"
        loadingTestId="criteria-loading"
        onTryAgain={() => void controller.retry()}
        errorTestId="criteria-load-error"
      >
        {(view) =>
          view.status === 'notSynced' ? (
            <Text as="p" color="color.text.subtle" testId="criteria-not-synced">
              Send to SQAI to find this requirement’s acceptance criteria.
            </Text>
          ) : view.status === 'noCriteria' ? (
            <NoCriteria />
          ) : (
            <Ready
              issueKey={issueKey}
              view={view}
              controller={controller}
              onGenerate={onGenerate}
              onAnnounce={setAnnouncement}
              scope={scope}
              onScope={setScope}
            />
          )
        }
      </Loaded>
      <VisuallyHidden>
        <div role="status" aria-live="polite" data-testid="criteria-announcer">
          {announcement}
        </div>
      </VisuallyHidden>
    </Section>
  );
}
