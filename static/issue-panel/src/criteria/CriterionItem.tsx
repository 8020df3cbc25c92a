/**
 * One acceptance criterion: its words and state, the tests that prove it (key, summary, latest
 * result, how the mapping came to be; "Unmap"), SQAI's suggestions ("Confirm" / "Reject") and
 * "Map a test" — the actions only for users who may edit the requirement. Text from the issue and
 * from SQAI is rendered as text (React escapes it), never as HTML.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import type { ChangeCriterionMappingInput, CriterionDto } from '../../../../src/api';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { RelativeTime } from '../../../common/src/RelativeTime';
import { IssueKeyLink } from '../generate/controls';
import { MapTest } from './MapTest';
import { StaleReasons } from './StaleTests';
import { confidenceText, mappingFieldError, SOURCE_TEXT, STATE_BADGES, testResultBadge } from './model';
import type { MappingState } from './useCriteria';
import { cardStyle, listRowStyle, plainListStyle } from '../styles';

const headStyle: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'flex-start',
  justifyContent: 'space-between',
  gap: token('space.100'),
};

const criterionTextStyle: CSSProperties = {
  margin: 0,
  flex: '1 1 12rem',
  minWidth: 0,
  font: token('font.body'),
  color: token('color.text'),
  overflowWrap: 'anywhere',
  whiteSpace: 'pre-wrap',
};

/** Pushes the row's buttons to its end (and onto their own line when the panel is narrow). */
const rowActionsStyle: CSSProperties = {
  marginInlineStart: 'auto',
  display: 'flex',
  gap: token('space.050'),
};

const rowDetailStyle: CSSProperties = { flexBasis: '100%', minWidth: 0, overflowWrap: 'anywhere' };

const labelStyle: CSSProperties = {
  margin: 0,
  font: token('font.body.small'),
  fontWeight: token('font.weight.semibold'),
  color: token('color.text.subtle'),
};

/** A stable DOM id for a criterion's text (criterion ids are `ac-` and hex digits). */
export const criterionTextId = (id: string) => `sqai-criterion-${id}`;

function Row({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <li style={listRowStyle} data-testid={testId}>
      {children}
    </li>
  );
}

export interface CriterionItemProps {
  criterion: CriterionDto;
  canEdit: boolean;
  /** Tests "Map a test" offers (covering the requirement, not yet this criterion's). */
  mappable: { key: string; summary?: string }[];
  mapping: MappingState;
  onChange: (input: ChangeCriterionMappingInput) => Promise<boolean>;
  onDismissError: () => void;
}

export function CriterionItem({
  criterion,
  canEdit,
  mappable,
  mapping,
  onChange,
  onDismissError,
}: CriterionItemProps) {
  const badge = STATE_BADGES[criterion.state];
  const textId = criterionTextId(criterion.id);
  const busy = mapping.status === 'changing';
  const mine = mapping.status !== 'idle' && mapping.input.criterionId === criterion.id;
  const pending = (action: ChangeCriterionMappingInput['action'], testKey: string) =>
    mapping.status === 'changing' &&
    mine &&
    mapping.input.action === action &&
    mapping.input.testKey === testKey;
  const failed = mapping.status === 'failed' && mine ? mapping : null;
  const fieldMessage =
    failed?.error.code === 'VALIDATION' ? mappingFieldError(failed.error.fieldErrors) : undefined;
  const mapRefused =
    failed?.input.action === 'map' && failed.error.code === 'VALIDATION'
      ? (fieldMessage ?? failed.error.message)
      : undefined;

  /** An action that removes the focused button: focus goes to the criterion's text. */
  const act = (action: ChangeCriterionMappingInput['action'], testKey: string) =>
    void onChange({ action, testKey, criterionId: criterion.id }).then((ok) => {
      if (ok) document.getElementById(textId)?.focus();
    });

  return (
    <li style={cardStyle} data-testid={`criterion-${criterion.id}`} data-state={criterion.state}>
      <Stack space="space.100">
        <div style={headStyle}>
          <p id={textId} tabIndex={-1} style={criterionTextStyle} data-testid="criterion-text">
            {criterion.text}
          </p>
          <Lozenge appearance={badge.appearance} testId="criterion-state">
            {badge.text}
          </Lozenge>
        </div>
        {criterion.state === 'changed' || criterion.state === 'stale' || criterion.revision > 1 ? (
          <Text as="p" size="small" color="color.text.subtle" testId="criterion-reworded">
            Reworded <RelativeTime iso={criterion.since} />
            {criterion.state === 'changed'
              ? ': its tests passed before the change — run them again.'
              : criterion.state === 'stale'
                ? ': a test was written against the earlier wording — review it, or propose updates.'
                : '.'}
          </Text>
        ) : null}

        {criterion.tests.length > 0 ? (
          <div>
            <p style={labelStyle}>{criterion.tests.length === 1 ? 'Test' : 'Tests'}</p>
            <ul style={plainListStyle} aria-label="Tests proving this criterion">
              {criterion.tests.map((test) => {
                const result = testResultBadge(test);
                return (
                  <Row key={test.key} testId={`criterion-test-${test.key}`}>
                    <IssueKeyLink issueKey={test.key} />
                    <Lozenge appearance={result.appearance} testId="criterion-test-result">
                      {result.text}
                    </Lozenge>
                    {test.staleReasons && test.staleReasons.length > 0 ? (
                      <Lozenge appearance="new" testId="criterion-test-stale">
                        Possibly stale
                      </Lozenge>
                    ) : null}
                    {canEdit ? (
                      <span style={rowActionsStyle}>
                        <Button
                          appearance="subtle"
                          spacing="compact"
                          aria-label={`Unmap ${test.key}`}
                          isDisabled={busy}
                          isLoading={pending('unmap', test.key)}
                          testId="unmap-test"
                          onClick={() => act('unmap', test.key)}
                        >
                          Unmap
                        </Button>
                      </span>
                    ) : null}
                    <span style={rowDetailStyle}>
                      <Text size="small" color="color.text.subtle">
                        {[
                          test.summary,
                          SOURCE_TEXT[test.source],
                          test.stale ? 'passed before the criterion was reworded' : undefined,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                        {test.at ? (
                          <>
                            {' · ran '}
                            <RelativeTime iso={test.at} />
                          </>
                        ) : null}
                      </Text>
                    </span>
                    {test.staleReasons && test.staleReasons.length > 0 ? (
                      <StaleReasons testKey={test.key} reasons={test.staleReasons} />
                    ) : null}
                  </Row>
                );
              })}
            </ul>
          </div>
        ) : (
          <Text as="p" size="small" color="color.text.subtle">
            No test proves it yet.
          </Text>
        )}

        {criterion.suggested.length > 0 ? (
          <div>
            <p style={labelStyle}>Suggested by SQAI</p>
            <ul style={plainListStyle} aria-label="Tests SQAI suggests for this criterion">
              {criterion.suggested.map((test) => (
                <Row key={test.key} testId={`criterion-suggestion-${test.key}`}>
                  <IssueKeyLink issueKey={test.key} />
                  <Lozenge appearance="new">Suggested</Lozenge>
                  {canEdit ? (
                    <span style={rowActionsStyle}>
                      <Button
                        appearance="default"
                        spacing="compact"
                        aria-label={`Confirm ${test.key}`}
                        isDisabled={busy}
                        isLoading={pending('confirm', test.key)}
                        testId="confirm-suggestion"
                        onClick={() => act('confirm', test.key)}
                      >
                        Confirm
                      </Button>
                      <Button
                        appearance="subtle"
                        spacing="compact"
                        aria-label={`Reject ${test.key}`}
                        isDisabled={busy}
                        isLoading={pending('reject', test.key)}
                        testId="reject-suggestion"
                        onClick={() => act('reject', test.key)}
                      >
                        Reject
                      </Button>
                    </span>
                  ) : null}
                  <span style={rowDetailStyle}>
                    <Text size="small" color="color.text.subtle">
                      {[test.summary, confidenceText(test.confidence), 'counts once confirmed']
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </span>
                </Row>
              ))}
            </ul>
          </div>
        ) : null}

        {canEdit ? (
          <MapTest
            criterionText={criterion.text}
            tests={mappable}
            busy={busy}
            serverError={mapRefused}
            onMap={(testKey) => onChange({ action: 'map', testKey, criterionId: criterion.id })}
            onClose={onDismissError}
          />
        ) : null}
        {failed && !mapRefused ? (
          <ErrorMessageBox
            // A refused change says why in its field error ("… is not a test covering DEMO-1").
            error={fieldMessage ? { message: fieldMessage, remedy: failed.error.remedy } : failed.error}
            testId="mapping-error"
          >
            <p>
              <Button spacing="compact" onClick={onDismissError}>
                Dismiss
              </Button>
            </p>
          </ErrorMessageBox>
        ) : null}
      </Stack>
    </li>
  );
}
