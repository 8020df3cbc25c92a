/**
 * The settings form: Xray API key, SQAI, Sync, What leaves Jira, and the Save / Test connection /
 * Disconnect row.
 * Controlled: the model, errors and busy state come from App; this renders and reports changes.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../common/src/SectionMessage';
import Textfield, { type TextFieldProps } from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import { token } from '@atlaskit/tokens';
import CheckCircleIcon from '@atlaskit/icon/core/check-circle';
import StatusWarningIcon from '@atlaskit/icon/core/status-warning';
import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { XRAY_REGION_LABELS, XRAY_REGIONS, XRAY_TIER_LABELS, XRAY_TIERS } from '../../../src/api';
import type { ErrorDto, SettingsView, XrayRegion, XrayTier } from '../../../src/api';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { Section } from '../../common/src/Section';
import { FormField, fieldId, type ControlProps } from '../../common/src/FormField';
import { ChoiceField, type Choice } from '../../common/src/ChoiceField';
import { formatDateTime } from '../../common/src/datetime';
import { personOf } from '../../common/src/people';
import { Person } from '../../common/src/Person';
import type { PeopleDto } from '../../../src/api';
import { LoadingLine } from '../../common/src/LoadingLine';
import { DEFAULT_SQAI_ENDPOINT, type FieldErrors, type FieldName, type FormModel } from './formModel';
import type { ActionResult, Busy } from './useSettings';

// The date picker (calendar, date parsing) loads after the form's first paint (issue 16 item 14);
// until then the field shows the stored date, disabled, in the same place.
// Requested as soon as this module runs, so it is normally there before the settings have loaded.
const expiryDatePicker = import('./ExpiryDatePicker');
const ExpiryDatePicker = lazy(() =>
  expiryDatePicker.then((module) => ({ default: module.ExpiryDatePicker })),
);

// "What leaves Jira" (checkboxes, a text area, "Try it"): after the form's first paint, requested as
// soon as this module runs (the settings page's initial-load budget, decision 0006).
const dataControlsSection = import('./data-controls/DataControlsSection');
const DataControlsSection = lazy(() =>
  dataControlsSection.then((module) => ({ default: module.DataControlsSection })),
);

const regionChoices: Choice<XrayRegion>[] = XRAY_REGIONS.map((value) => ({
  value,
  label: XRAY_REGION_LABELS[value],
}));
const tierChoices: Choice<XrayTier>[] = XRAY_TIERS.map((value) => ({
  value,
  label: XRAY_TIER_LABELS[value],
}));

export const HELP = {
  clientId: 'In Jira: Apps → Xray → Settings → API Keys → Create API Key',
  region: 'Your site’s data residency (Atlassian Administration → Data residency). Most sites use Global.',
  tier: 'Sets the app’s request budget: Standard allows 300 Xray API requests per 5 minutes, Enterprise 1,000.',
  sqaiEndpoint: 'Your SQAI Suite API base URL (the address before /v1).',
  sqaiToken: 'SQAI Suite → Settings → Integrations → API',
  keyExpiresOn:
    'Optional. Type it as YYYY-MM-DD or pick it from the calendar. Xray API keys don’t expire on their own; enter your rotation date to get reminders 14 days ahead.',
  requirementIssueTypes:
    'Comma-separated issue type names, e.g. Story, Epic. Leave empty to use the types Xray treats as coverable.',
  syncEnabled: 'Keep SQAI up to date every hour with the requirements that changed.',
  includeRemoteLinks: 'Send the requirement’s remote links (e.g. Confluence pages) to SQAI.',
  includeTestRuns:
    'Send the latest test run results to SQAI. Needed to prove acceptance criteria: without results none is proven.',
  criteriaField:
    'Optional. The id of a text field your team writes acceptance criteria in, e.g. customfield_10042 (Jira: Settings → Work items → Fields → the field’s ⋯ menu shows its id). Leave empty to read them from the description.',
  criteriaTitles:
    'Optional. Comma-separated headings that introduce acceptance criteria in a description, e.g. Done when, Akzeptanzkriterien. Leave empty for “Acceptance criteria”, “AC” and “Definition of done”.',
  storedSecret: 'Stored. Leave empty to keep the current secret.',
  requiredSecret: 'Required',
} as const;

/** What Disconnect removes and keeps: asked before, confirmed after (the same words). */
export const DISCONNECT_REMOVES =
  'the project’s Xray and SQAI settings; the stored Xray API key (its Client Secret), SQAI API token and delivery signing secret; the last connection check; the sync runs; and, in the background, each requirement’s sync record. Scheduled sync stops for this project.';
export const DISCONNECT_KEEPS =
  'the Xray tests, test sets and links already created in Jira, and what SQAI already received (remove that in SQAI Suite if you need to).';

const resultFocusStyle = { outlineOffset: token('space.025') } as const;

const toggleLabelStyle = {
  color: token('color.text'),
  font: token('font.body'),
  cursor: 'pointer',
} as const;

export interface SettingsFormProps {
  model: FormModel;
  onChange: (patch: Partial<FormModel>) => void;
  errors: FieldErrors;
  formErrors: string[];
  onFieldError: (name: FieldName, message: string | undefined) => void;
  secrets: SettingsView['secrets'];
  configured: boolean;
  projectKey: string;
  busy: Busy;
  /** What Save / Test connection / Disconnect did, shown beside the buttons. */
  result: ActionResult | null;
  /** Changes when the result (or the action's error) should take the focus. */
  focusResult: number;
  actionError: ErrorDto | null;
  updatedAt?: string | undefined;
  updatedBy?: string | undefined;
  /** Who `updatedBy` is (SettingsView.people). */
  people?: PeopleDto | undefined;
  onSubmit: () => void;
  onTest: () => void;
  onDisconnect: () => void;
}

function ToggleField(props: {
  name: 'syncEnabled' | 'includeRemoteLinks' | 'includeTestRuns';
  label: string;
  helper: string;
  checked: boolean;
  isDisabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = fieldId(props.name);
  const helperId = `${id}-helper`;
  return (
    <Stack space="space.050">
      <Inline space="space.100" alignBlock="center">
        <Toggle
          id={id}
          isChecked={props.checked}
          isDisabled={props.isDisabled}
          descriptionId={helperId}
          onChange={(event) => props.onChange(event.currentTarget.checked)}
        />
        <label htmlFor={id} style={toggleLabelStyle}>
          {props.label}
        </label>
      </Inline>
      <Text as="p" size="small" color="color.text.subtle" id={helperId}>
        {props.helper}
      </Text>
    </Stack>
  );
}

/** "Stored. Leave empty to keep the current secret." / "Required", then where to find the value. */
function SecretHelp({ state, where }: { state: 'set' | 'unset'; where: string }) {
  return (
    <>
      <span data-testid="secret-state">{state === 'set' ? HELP.storedSecret : HELP.requiredSecret}</span>
      {state === 'set' ? ' ' : '. '}
      <span>{where}</span>
    </>
  );
}

export function SettingsForm(props: SettingsFormProps) {
  const { model, onChange, errors, secrets, busy } = props;
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  /** "Try it"'s sample text for the custom patterns: page state, never saved. */
  const [patternSample, setPatternSample] = useState('');
  const disconnectButton = useRef<HTMLButtonElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const saving = busy === 'saving';

  // After Save / Test connection / Disconnect the focus goes to what happened, beside the buttons the
  // user pressed (not to the top of the page, where a disabled button would drop it).
  // Once per request: a later change (an edit, an egress approval's error) does not move the focus.
  const { focusResult, result, actionError } = props;
  const focusHandled = useRef(0);
  useEffect(() => {
    if (focusResult === focusHandled.current) return;
    focusHandled.current = focusResult;
    const target = result ? resultRef.current : actionError ? errorRef.current : null;
    target?.focus();
  }, [focusResult, result, actionError]);
  const disabled = busy !== null;

  const text = (
    name: 'clientId' | 'sqaiEndpoint' | 'requirementIssueTypes' | 'criteriaField' | 'criteriaTitles',
    control: ControlProps,
    extra: Partial<TextFieldProps> = {},
  ) => (
    <Textfield
      {...control}
      {...extra}
      name={name}
      value={model[name]}
      isDisabled={disabled}
      onChange={(event) => onChange({ [name]: event.currentTarget.value })}
    />
  );

  const secret = (name: 'clientSecret' | 'sqaiToken', state: 'set' | 'unset', control: ControlProps) => (
    <Textfield
      {...control}
      name={name}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      value={model[name]}
      isRequired={state === 'unset'}
      isDisabled={disabled}
      onChange={(event) => onChange({ [name]: event.currentTarget.value })}
    />
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!disabled) props.onSubmit();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="SQAI Connector settings">
      <Stack space="space.300">
        {props.formErrors.length > 0 ? (
          <SectionMessage appearance="error" title="The settings could not be saved" testId="form-errors">
            {props.formErrors.map((message) => (
              <p key={message}>{message}</p>
            ))}
          </SectionMessage>
        ) : null}

        <Section title="Xray API key">
          <FormField
            id={fieldId('clientId')}
            label="Client ID"
            helper={HELP.clientId}
            error={errors.clientId}
            isRequired
          >
            {(control) => text('clientId', control, { autoComplete: 'off', spellCheck: false })}
          </FormField>
          <FormField
            id={fieldId('clientSecret')}
            label="Client Secret"
            helper={<SecretHelp state={secrets.xrayClientSecret} where={HELP.clientId} />}
            error={errors.clientSecret}
            isRequired={secrets.xrayClientSecret === 'unset'}
          >
            {(control) => secret('clientSecret', secrets.xrayClientSecret, control)}
          </FormField>
          <ChoiceField
            id={fieldId('region')}
            label="Region"
            choices={regionChoices}
            value={model.region}
            onChange={(region) => onChange({ region })}
            helper={HELP.region}
            error={errors.region}
            isDisabled={disabled}
          />
          <ChoiceField
            id={fieldId('tier')}
            label="Xray plan"
            choices={tierChoices}
            value={model.tier}
            onChange={(tier) => onChange({ tier })}
            helper={HELP.tier}
            error={errors.tier}
            isDisabled={disabled}
          />
          <FormField
            id={fieldId('keyExpiresOn')}
            label="Key expiry date"
            helper={HELP.keyExpiresOn}
            error={errors.keyExpiresOn}
          >
            {(control) => (
              <Suspense
                fallback={
                  <Textfield {...control} value={model.keyExpiresOn} isDisabled testId="expiry-loading" />
                }
              >
                <ExpiryDatePicker
                  control={control}
                  value={model.keyExpiresOn}
                  onChange={(iso) => {
                    props.onFieldError('keyExpiresOn', undefined);
                    onChange({ keyExpiresOn: iso });
                  }}
                  onInvalid={(typed) =>
                    props.onFieldError('keyExpiresOn', `“${typed}” is not a date. Use YYYY-MM-DD.`)
                  }
                />
              </Suspense>
            )}
          </FormField>
        </Section>

        <Section title="SQAI">
          <FormField
            id={fieldId('sqaiEndpoint')}
            label="SQAI endpoint"
            helper={HELP.sqaiEndpoint}
            error={errors.sqaiEndpoint}
            isRequired
          >
            {(control) =>
              text('sqaiEndpoint', control, {
                type: 'url',
                inputMode: 'url',
                autoComplete: 'url',
                spellCheck: false,
                placeholder: `e.g. ${DEFAULT_SQAI_ENDPOINT}`,
              })
            }
          </FormField>
          <FormField
            id={fieldId('sqaiToken')}
            label="SQAI API token"
            helper={<SecretHelp state={secrets.sqaiToken} where={HELP.sqaiToken} />}
            error={errors.sqaiToken}
            isRequired={secrets.sqaiToken === 'unset'}
          >
            {(control) => secret('sqaiToken', secrets.sqaiToken, control)}
          </FormField>
        </Section>

        <Section title="Sync">
          <ToggleField
            name="syncEnabled"
            label="Scheduled sync"
            helper={HELP.syncEnabled}
            checked={model.syncEnabled}
            isDisabled={disabled}
            onChange={(checked) => onChange({ syncEnabled: checked })}
          />
          <FormField
            id={fieldId('requirementIssueTypes')}
            label="Requirement issue types"
            helper={HELP.requirementIssueTypes}
            error={errors.requirementIssueTypes}
          >
            {(control) => text('requirementIssueTypes', control, { placeholder: 'e.g. Story, Epic' })}
          </FormField>
          <ToggleField
            name="includeRemoteLinks"
            label="Include remote links"
            helper={HELP.includeRemoteLinks}
            checked={model.includeRemoteLinks}
            isDisabled={disabled}
            onChange={(checked) => onChange({ includeRemoteLinks: checked })}
          />
          <ToggleField
            name="includeTestRuns"
            label="Include test runs"
            helper={HELP.includeTestRuns}
            checked={model.includeTestRuns}
            isDisabled={disabled}
            onChange={(checked) => onChange({ includeTestRuns: checked })}
          />
          <FormField
            id={fieldId('criteriaField')}
            label="Acceptance criteria field"
            helper={HELP.criteriaField}
            error={errors.criteriaField}
          >
            {(control) =>
              text('criteriaField', control, { placeholder: 'e.g. customfield_10042', spellCheck: false })
            }
          </FormField>
          <FormField
            id={fieldId('criteriaTitles')}
            label="Acceptance criteria headings"
            helper={HELP.criteriaTitles}
            error={errors.criteriaTitles}
          >
            {(control) => text('criteriaTitles', control, { placeholder: 'e.g. Done when' })}
          </FormField>
        </Section>

        <Suspense fallback={<LoadingLine text="Loading what leaves Jira…" testId="data-controls-loading" />}>
          <DataControlsSection
            value={model.dataControls}
            onChange={(dataControls) => onChange({ dataControls })}
            errors={errors}
            onClearErrors={(keys) => {
              for (const key of keys)
                if (errors[key as FieldName] !== undefined) props.onFieldError(key as FieldName, undefined);
            }}
            isDisabled={disabled}
            sample={patternSample}
            onSampleChange={setPatternSample}
          />
        </Suspense>

        {props.actionError ? (
          <div ref={errorRef} tabIndex={-1} style={resultFocusStyle}>
            <ErrorMessageBox error={props.actionError} testId="action-error" />
          </div>
        ) : null}

        {confirmingDisconnect ? (
          <DisconnectConfirm
            projectKey={props.projectKey}
            busy={busy === 'disconnecting'}
            onConfirm={() => {
              setConfirmingDisconnect(false);
              props.onDisconnect();
            }}
            onCancel={() => {
              setConfirmingDisconnect(false);
              // Back to where the keyboard user was once the button row is rendered again.
              requestAnimationFrame(() => disconnectButton.current?.focus());
            }}
          />
        ) : (
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Button type="submit" appearance="primary" isLoading={saving} isDisabled={disabled}>
              Save
            </Button>
            {props.configured ? (
              <>
                <Button isLoading={busy === 'testing'} isDisabled={disabled} onClick={props.onTest}>
                  Test connection
                </Button>
                <Button
                  ref={disconnectButton}
                  appearance="subtle"
                  isLoading={busy === 'disconnecting'}
                  isDisabled={disabled}
                  onClick={() => setConfirmingDisconnect(true)}
                >
                  Disconnect
                </Button>
              </>
            ) : null}
            {/* A live region that always exists beside the buttons, so the outcome is announced. */}
            <div role="status" data-testid="action-result-region">
              {result && result.kind !== 'disconnected' ? (
                <div ref={resultRef} tabIndex={-1} style={resultFocusStyle}>
                  <RowResult result={result} />
                </div>
              ) : null}
            </div>
          </Inline>
        )}

        <div role="status">
          {result?.kind === 'disconnected' ? (
            <div ref={resultRef} tabIndex={-1} style={resultFocusStyle}>
              <SectionMessage
                appearance="success"
                title={`Project ${result.projectKey} disconnected`}
                testId="disconnect-result"
              >
                <p>Removed: {DISCONNECT_REMOVES}</p>
                <p>Kept: {DISCONNECT_KEEPS}</p>
                <p>To connect again, fill in the form and save.</p>
              </SectionMessage>
            </div>
          ) : null}
        </div>

        {props.updatedAt ? (
          <Text as="p" size="small" color="color.text.subtlest" testId="last-saved">
            Last saved {formatDateTime(props.updatedAt)}
            {props.updatedBy ? (
              <>
                {' by '}
                <Person person={personOf(props.people, props.updatedBy)} testId="last-saved-by" />
              </>
            ) : null}
          </Text>
        ) : null}
      </Stack>
    </form>
  );
}

/** "Settings saved — connection OK", or that the check found problems (shown at the top). */
function RowResult({ result }: { result: Extract<ActionResult, { connectionOk: boolean }> }) {
  const what = result.kind === 'saved' ? 'Settings saved' : 'Connection checked';
  const text = result.connectionOk
    ? `${what} — every connection check passed.`
    : `${what} — the connection check found problems: see Connection at the top of the page.`;
  return (
    <Inline
      space="space.050"
      alignBlock="center"
      testId={result.kind === 'saved' ? 'save-success' : 'test-result'}
    >
      {result.connectionOk ? (
        <CheckCircleIcon label="" color={token('color.icon.success')} />
      ) : (
        <StatusWarningIcon label="" color={token('color.icon.warning')} />
      )}
      <Text color={result.connectionOk ? 'color.text.success' : 'color.text.warning'} weight="medium">
        {text}
      </Text>
    </Inline>
  );
}

function DisconnectConfirm(props: {
  projectKey: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <SectionMessage
      appearance="warning"
      title={`Disconnect project ${props.projectKey}?`}
      testId="disconnect-confirm"
    >
      <Stack space="space.150">
        <p>This removes {DISCONNECT_REMOVES}</p>
        <p>It keeps {DISCONNECT_KEEPS}</p>
        <Inline space="space.100">
          <Button appearance="danger" isLoading={props.busy} onClick={props.onConfirm}>
            Disconnect
          </Button>
          <Button appearance="subtle" autoFocus onClick={props.onCancel}>
            Cancel
          </Button>
        </Inline>
      </Stack>
    </SectionMessage>
  );
}
