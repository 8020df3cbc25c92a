/**
 * The Criteria view's possibly stale tests (issue 19 item 1): each with why (the criterion's wording
 * then and now, the words that changed marked) and since when, and "Propose updates" — SQAI is sent
 * the changed criteria and these tests' content, and its proposals show in "Tests from SQAI"
 * (../living/UpdatesSection.tsx) — for users who may edit the requirement.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import type { ErrorDto, StaleTestDto } from '../../../../src/api';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { RelativeTime } from '../../../common/src/RelativeTime';
import { IssueKeyLink } from '../generate/controls';
import { staleTestsText } from '../living/model';
import { StaleReason } from '../living/StaleReason';
import { cardStyle, listRowStyle, plainListStyle } from '../styles';

const reasonsStyle: CSSProperties = {
  flexBasis: '100%',
  margin: 0,
  paddingInlineStart: token('space.250'),
  font: token('font.body.small'),
  color: token('color.text.subtle'),
  overflowWrap: 'anywhere',
};
const headingStyle: CSSProperties = {
  margin: 0,
  font: token('font.heading.xxsmall'),
  color: token('color.text'),
};

/** A test's stale reasons as a list (the criteria list and the stale tests list show them alike). */
export function StaleReasons({ testKey, reasons }: { testKey: string; reasons: StaleTestDto['reasons'] }) {
  return (
    <ul style={reasonsStyle} aria-label={`Why ${testKey} is possibly stale`}>
      {reasons.map((reason, index) => (
        <li key={index} data-testid="stale-reason">
          <StaleReason reason={reason} />
        </li>
      ))}
    </ul>
  );
}

export interface StaleTestsProps {
  tests: StaleTestDto[];
  canEdit: boolean;
  proposing: boolean;
  proposeError: ErrorDto | null;
  /** `replace`: the user confirmed replacing another user's undecided proposals. */
  onPropose: (options: { replace: boolean }) => void;
  /** The tests being marked reviewed, and why the last marking failed. */
  reviewing: readonly string[];
  reviewError: ErrorDto | null;
  /** The person checked the test against the current wording (or updated it in Xray themselves). */
  onMarkReviewed: (testKey: string) => void;
}

export function StaleTests({
  tests,
  canEdit,
  proposing,
  proposeError,
  onPropose,
  reviewing,
  reviewError,
  onMarkReviewed,
}: StaleTestsProps) {
  // Another user's proposals nobody decided yet: replaced only when the user says so.
  const replaceQuestion = proposeError?.fieldErrors?.replace;
  return (
    <section style={cardStyle} aria-labelledby="sqai-stale-tests-heading" data-testid="stale-tests">
      <Stack space="space.100">
        <h3 id="sqai-stale-tests-heading" style={headingStyle}>
          {staleTestsText(tests.length)}
        </h3>
        <Text as="p" size="small" color="color.text.subtle">
          They were written or last reviewed against another wording of this requirement.
        </Text>
        <ul style={plainListStyle} aria-label="Possibly stale tests">
          {tests.map((test) => (
            <li key={test.key} style={listRowStyle} data-testid={`stale-test-${test.key}`}>
              <IssueKeyLink issueKey={test.key} />
              <Lozenge appearance="new">Possibly stale</Lozenge>
              <Text size="small" color="color.text.subtle">
                {test.summary ? `${test.summary} · ` : ''}since <RelativeTime iso={test.since} />
              </Text>
              <StaleReasons testKey={test.key} reasons={test.reasons} />
              {canEdit ? (
                <Button
                  appearance="subtle"
                  spacing="compact"
                  isLoading={reviewing.includes(test.key)}
                  isDisabled={reviewing.length > 0 && !reviewing.includes(test.key)}
                  aria-label={`Mark reviewed: ${test.key}`}
                  onClick={() => onMarkReviewed(test.key)}
                >
                  Mark reviewed
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        {canEdit ? (
          <div>
            <Button
              appearance="primary"
              testId="propose-updates"
              isLoading={proposing}
              onClick={() => onPropose({ replace: false })}
            >
              Propose updates
            </Button>
          </div>
        ) : (
          <Text as="p" size="small" color="color.text.subtle">
            People who can edit this requirement can ask SQAI to propose updates of these tests.
          </Text>
        )}
        {reviewError ? <ErrorMessageBox error={reviewError} testId="review-error" /> : null}
        {replaceQuestion ? (
          <Stack space="space.100" testId="confirm-replace-updates">
            <Text as="p" size="small">
              {replaceQuestion}
            </Text>
            <div>
              <Button
                appearance="warning"
                isDisabled={proposing}
                onClick={() => onPropose({ replace: true })}
              >
                Replace them and propose updates
              </Button>
            </div>
          </Stack>
        ) : proposeError ? (
          <ErrorMessageBox error={proposeError} testId="propose-error" />
        ) : null}
      </Stack>
    </section>
  );
}
