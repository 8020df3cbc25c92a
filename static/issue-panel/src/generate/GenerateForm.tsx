/**
 * The "Generate tests" form: which of the project's test types, how many tests at most, and optional
 * instructions for SQAI. Validates on submit; server field errors arrive through `errors`.
 */
import Button from '@atlaskit/button/new';
import { ErrorMessage, HelperMessage } from '@atlaskit/form';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../../common/src/SectionMessage';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { useEffect, useState, type CSSProperties, type FormEvent } from 'react';
import type { ErrorDto, ProjectTestTypeDto } from '../../../../src/api';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { withoutErrorsFor } from '../../../common/src/fieldErrors';
import { FormField } from '../../../common/src/FormField';
import type { CriteriaFocus } from '../criteria/model';
import { focusText } from '../criteria/model';
import { Checkbox } from './controls';
import { ContextChangedNotice } from './ContextChangedNotice';
import {
  hasErrors,
  INSTRUCTIONS_MAX,
  MAX_TESTS_MAX,
  MAX_TESTS_MIN,
  validateGenerateForm,
  withTestType,
  type GenerateErrors,
  type GenerateFormModel,
} from './model';

export const GENERATE_FIELD_IDS = {
  testTypes: 'sqai-generate-test-types',
  maxTests: 'sqai-generate-max-tests',
  instructions: 'sqai-generate-instructions',
  criteriaFocus: 'sqai-generate-criteria-focus',
} as const;

const fieldsetStyle: CSSProperties = { border: 0, margin: 0, padding: 0, minWidth: 0 };
const legendStyle: CSSProperties = {
  padding: 0,
  marginBlockEnd: token('space.050'),
  font: token('font.body.small'),
  fontWeight: token('font.weight.semibold'),
  color: token('color.text.subtle'),
};
const maxTestsStyle: CSSProperties = { maxWidth: 96 };
const focusStyle: CSSProperties = {
  padding: `${token('space.100')} ${token('space.150')}`,
  borderRadius: token('radius.medium', '6px'),
  backgroundColor: token('color.background.information'),
  color: token('color.text'),
};
const focusListStyle: CSSProperties = {
  margin: 0,
  paddingInlineStart: token('space.250'),
  font: token('font.body.small'),
  overflowWrap: 'anywhere',
};

export interface GenerateFormProps {
  testTypes: ProjectTestTypeDto[];
  initial: GenerateFormModel;
  contextChanged: boolean;
  starting: boolean;
  /** Server-side field errors and other messages from the last startGeneration. */
  serverErrors: GenerateErrors;
  serverError: ErrorDto | null;
  onSubmit: (model: GenerateFormModel, options: { replace: boolean }) => void;
  /** The server asks before replacing another user's proposals: this says whose and how many. */
  confirmReplace?: string | undefined;
  /** Shown when there is a generation to go back to. */
  onCancel?: (() => void) | undefined;
  /** The criteria the Criteria view asked tests for ("Generate tests for uncovered criteria"). */
  criteriaFocus?: CriteriaFocus | null | undefined;
  /** "Clear": generate for the whole requirement again. */
  onClearCriteriaFocus?: (() => void) | undefined;
}

/** The criteria this generation is limited to, and the way back to all of them. */
function CriteriaFocusNote({ focus, onClear }: { focus: CriteriaFocus; onClear: (() => void) | undefined }) {
  return (
    <div
      id={GENERATE_FIELD_IDS.criteriaFocus}
      tabIndex={-1}
      style={focusStyle}
      data-testid="generate-criteria-focus"
    >
      <Stack space="space.050">
        <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
          <Text weight="semibold">{focusText(focus)}</Text>
          {onClear ? (
            <Button appearance="subtle" spacing="compact" testId="clear-criteria-focus" onClick={onClear}>
              Clear focus
            </Button>
          ) : null}
        </Inline>
        <ul style={focusListStyle} aria-label="Criteria to generate tests for">
          {focus.texts.map((text, index) => (
            <li key={focus.ids[index] ?? index}>{text}</li>
          ))}
        </ul>
      </Stack>
    </div>
  );
}

export function GenerateForm(props: GenerateFormProps) {
  const { testTypes, starting } = props;
  const [model, setModel] = useState<GenerateFormModel>(props.initial);
  const [errors, setErrors] = useState<GenerateErrors>({});

  // Server errors replace the client's once they arrive.
  useEffect(() => {
    if (hasErrors(props.serverErrors)) setErrors(props.serverErrors);
  }, [props.serverErrors]);

  const update = (patch: Partial<GenerateFormModel>) => {
    setModel((current) => ({ ...current, ...patch }));
    setErrors((current) => withoutErrorsFor(current, Object.keys(patch) as (keyof GenerateErrors)[]));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (starting) return;
    const found = validateGenerateForm(model, testTypes);
    setErrors(found);
    if (hasErrors(found)) {
      const first = (['testTypes', 'maxTests', 'instructions'] as const).find((field) => found[field]);
      if (first === 'testTypes')
        document.querySelector<HTMLInputElement>(`#${GENERATE_FIELD_IDS.testTypes} input`)?.focus();
      else if (first) document.getElementById(GENERATE_FIELD_IDS[first])?.focus();
      return;
    }
    props.onSubmit(model, { replace: false });
  };

  const instructionsLength = model.instructions.trim().length;
  const typesErrorId = `${GENERATE_FIELD_IDS.testTypes}-error`;

  return (
    <form onSubmit={submit} noValidate aria-label="Generate tests with SQAI" data-testid="generate-form">
      <Stack space="space.150">
        <Text as="p" size="small" color="color.text.subtle">
          SQAI writes tests for this requirement from its context. You review them before anything is created
          in Xray.
        </Text>
        {props.criteriaFocus ? (
          <CriteriaFocusNote focus={props.criteriaFocus} onClear={props.onClearCriteriaFocus} />
        ) : null}
        {props.contextChanged ? <ContextChangedNotice /> : null}
        <fieldset
          id={GENERATE_FIELD_IDS.testTypes}
          style={fieldsetStyle}
          aria-describedby={errors.testTypes ? typesErrorId : undefined}
          disabled={starting}
        >
          <legend style={legendStyle}>Test types</legend>
          <Inline space="space.200" rowSpace="space.050" shouldWrap>
            {testTypes.map((type) => (
              <Checkbox
                key={type.name}
                label={type.name}
                checked={model.testTypes.includes(type.name)}
                disabled={starting}
                onChange={(checked) =>
                  update({ testTypes: withTestType(model, testTypes, type.name, checked).testTypes })
                }
              />
            ))}
          </Inline>
          {errors.testTypes ? (
            <div id={typesErrorId}>
              <ErrorMessage>{errors.testTypes}</ErrorMessage>
            </div>
          ) : null}
        </fieldset>
        <FormField
          id={GENERATE_FIELD_IDS.maxTests}
          label="Maximum tests"
          helper={`${MAX_TESTS_MIN}–${MAX_TESTS_MAX}`}
          error={errors.maxTests}
        >
          {(control) => (
            <div style={maxTestsStyle}>
              <Textfield
                {...control}
                type="number"
                inputMode="numeric"
                min={MAX_TESTS_MIN}
                max={MAX_TESTS_MAX}
                step={1}
                isCompact
                isDisabled={starting}
                value={model.maxTests}
                onChange={(event) => update({ maxTests: event.currentTarget.value })}
              />
            </div>
          )}
        </FormField>
        <FormField
          id={GENERATE_FIELD_IDS.instructions}
          label="Instructions (optional)"
          error={errors.instructions}
          helper={
            instructionsLength > INSTRUCTIONS_MAX * 0.75
              ? `${instructionsLength.toLocaleString('en')} of ${INSTRUCTIONS_MAX.toLocaleString('en')} characters`
              : `For example: focus on error handling; use the EU date format. Up to ${INSTRUCTIONS_MAX.toLocaleString('en')} characters.`
          }
        >
          {(control) => (
            <TextArea
              id={control.id}
              aria-describedby={control['aria-describedby']}
              aria-invalid={control['aria-invalid']}
              isInvalid={control.isInvalid}
              minimumRows={3}
              resize="vertical"
              isDisabled={starting}
              value={model.instructions}
              onChange={(event) => update({ instructions: event.currentTarget.value })}
            />
          )}
        </FormField>
        {props.confirmReplace ? (
          <SectionMessage
            appearance="warning"
            title="Replace another user's proposals?"
            testId="confirm-replace"
          >
            <p>{props.confirmReplace}</p>
            <p>
              <Button
                appearance="warning"
                isDisabled={starting}
                onClick={() => props.onSubmit(model, { replace: true })}
              >
                Replace them and generate
              </Button>
            </p>
          </SectionMessage>
        ) : props.serverError && !hasErrors(props.serverErrors) ? (
          <ErrorMessageBox error={props.serverError} testId="start-error" />
        ) : null}
        <Inline space="space.100" alignBlock="center">
          <Button type="submit" appearance="primary" isLoading={starting} testId="generate-tests">
            Generate tests
          </Button>
          {props.onCancel ? (
            <Button appearance="subtle" isDisabled={starting} onClick={props.onCancel}>
              Cancel
            </Button>
          ) : null}
          {starting ? (
            <Text size="small" color="color.text.subtle">
              Asking SQAI…
            </Text>
          ) : null}
        </Inline>
        {testTypes.length === 0 ? (
          <HelperMessage>
            Xray reports no test types for this project, so SQAI cannot be asked yet.
          </HelperMessage>
        ) : null}
      </Stack>
    </form>
  );
}
