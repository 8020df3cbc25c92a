/**
 * "What leaves Jira" (issue 20 item 4): per project, which sources of a requirement's context may be
 * sent to SQAI, which of its fields, which values are redacted first (built-in detectors and the
 * admin's own patterns, each with "Try it"), and how long the audit trail keeps entries. Part of the
 * settings form (saved with Save); loaded after the form's first paint.
 */
import Button from '@atlaskit/button/new';
import AkCheckbox from '@atlaskit/checkbox';
import { ErrorMessage, HelperMessage } from '@atlaskit/form';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import { CONTEXT_SOURCES, REDACTION_KINDS, REQUIREMENT_FIELDS } from '../../../../src/api';
import { FormField, fieldId } from '../../../common/src/FormField';
import { Section } from '../../../common/src/Section';
import {
  DC,
  MAX_CUSTOM_PATTERNS,
  MAX_SAMPLE_LENGTH,
  dataControlsModelOf,
  newRowKey,
  patternField,
  patternRowErrorKeys,
  withoutRow,
  type DataControlsModel,
  type PatternRow,
} from './model';
import { DATA_CONTROLS_HELP, DETECTOR_TEXT, FIELD_LABELS, SOURCE_TEXT } from './labels';
import { PatternTry } from './PatternTry';

export interface DataControlsSectionProps {
  /** Absent: the defaults (nothing stored yet). */
  value: DataControlsModel | undefined;
  onChange: (next: DataControlsModel) => void;
  /** The form's errors; the data controls' are keyed by their server paths (model.ts `DC`). */
  errors: Partial<Record<string, string>>;
  /** Clears errors the edit made stale (a pattern row's, or all rows' when rows move). */
  onClearErrors: (keys: string[]) => void;
  isDisabled: boolean;
  /** The sample "Try it" runs on (page state: never saved). */
  sample: string;
  onSampleChange: (sample: string) => void;
}

const fieldsetStyle: CSSProperties = { border: 'none', margin: 0, padding: 0, minInlineSize: 0 };
const legendStyle: CSSProperties = {
  font: token('font.heading.xxsmall'),
  color: token('color.text'),
  padding: 0,
  marginBlockEnd: token('space.100'),
};
const rowStyle: CSSProperties = {
  border: `${token('border.width')} solid ${token('color.border')}`,
  borderRadius: token('radius.small'),
  padding: token('space.150'),
  margin: 0,
  minInlineSize: 0,
};
const toggleLabelStyle: CSSProperties = {
  color: token('color.text'),
  font: token('font.body'),
  cursor: 'pointer',
};

/** A group of controls: a real fieldset and legend, its error and helper tied to it. */
function Group(props: {
  name: string;
  legend: string;
  helper?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  const id = fieldId(props.name);
  const describedBy = [props.error ? `${id}-error` : '', props.helper ? `${id}-helper` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      style={fieldsetStyle}
      aria-describedby={describedBy || undefined}
      aria-invalid={props.error ? true : undefined}
    >
      <legend style={legendStyle}>{props.legend}</legend>
      <Stack space="space.100">
        {props.helper ? (
          <div id={`${id}-helper`}>
            <HelperMessage>{props.helper}</HelperMessage>
          </div>
        ) : null}
        {props.children}
        {props.error ? (
          <div id={`${id}-error`}>
            <ErrorMessage>{props.error}</ErrorMessage>
          </div>
        ) : null}
      </Stack>
    </fieldset>
  );
}

export function DataControlsSection(props: DataControlsSectionProps) {
  const { errors, isDisabled } = props;
  const model = props.value ?? dataControlsModelOf(undefined);
  const change = (patch: Partial<DataControlsModel>) => props.onChange({ ...model, ...patch });
  const setRow = (index: number, patch: Partial<PatternRow>, part: 'name' | 'pattern') => {
    props.onClearErrors([patternField(index, part), DC.customPatterns]);
    change({
      customPatterns: model.customPatterns.map((row, at) => (at === index ? { ...row, ...patch } : row)),
    });
  };
  const full = model.customPatterns.length >= MAX_CUSTOM_PATTERNS;

  return (
    <Section title="What leaves Jira" testId="data-controls">
      <Text as="p" color="color.text.subtle">
        {DATA_CONTROLS_HELP.intro}
      </Text>

      <Group
        name={DC.sources}
        legend="Sources"
        helper={DATA_CONTROLS_HELP.sources}
        error={errors[DC.sources]}
      >
        {CONTEXT_SOURCES.map((source) => {
          const id = fieldId(`source-${source}`);
          return (
            <Stack space="space.025" key={source}>
              <Inline space="space.100" alignBlock="center">
                <Toggle
                  id={id}
                  testId={`source-${source}`}
                  isChecked={model.sources[source]}
                  isDisabled={isDisabled}
                  descriptionId={`${id}-helper`}
                  onChange={(event) => {
                    props.onClearErrors([DC.sources]);
                    change({ sources: { ...model.sources, [source]: event.currentTarget.checked } });
                  }}
                />
                <label htmlFor={id} style={toggleLabelStyle}>
                  {SOURCE_TEXT[source].label}
                </label>
              </Inline>
              <Text as="p" size="small" color="color.text.subtle" id={`${id}-helper`}>
                {SOURCE_TEXT[source].helper}
              </Text>
            </Stack>
          );
        })}
      </Group>

      <Group
        name={DC.fields}
        legend="Requirement fields"
        helper={DATA_CONTROLS_HELP.fields}
        error={errors[DC.fields]}
      >
        {REQUIREMENT_FIELDS.map((field) => (
          <AkCheckbox
            key={field}
            id={fieldId(`field-${field}`)}
            testId={`field-${field}`}
            label={FIELD_LABELS[field]}
            isChecked={model.fields.includes(field)}
            isDisabled={isDisabled}
            onChange={(event) => {
              props.onClearErrors([DC.fields]);
              const checked = event.currentTarget.checked;
              change({
                fields: REQUIREMENT_FIELDS.filter((each) =>
                  each === field ? checked : model.fields.includes(each),
                ),
              });
            }}
          />
        ))}
      </Group>

      <Group
        name={DC.detectors}
        legend="Redact before sending"
        helper={DATA_CONTROLS_HELP.detectors}
        error={errors[DC.detectors]}
      >
        {REDACTION_KINDS.map((kind) => (
          <AkCheckbox
            key={kind}
            id={fieldId(`detector-${kind}`)}
            testId={`detector-${kind}`}
            label={`${DETECTOR_TEXT[kind].label} — e.g. ${DETECTOR_TEXT[kind].example}`}
            isChecked={model.detectors[kind]}
            isDisabled={isDisabled}
            onChange={(event) => {
              props.onClearErrors([DC.detectors]);
              change({ detectors: { ...model.detectors, [kind]: event.currentTarget.checked } });
            }}
          />
        ))}
      </Group>

      <Group
        name={DC.customPatterns}
        legend="Custom patterns"
        helper={DATA_CONTROLS_HELP.customPatterns}
        error={errors[DC.customPatterns]}
      >
        <FormField
          id={fieldId('pattern-sample')}
          label="Sample text for “Try it”"
          helper={DATA_CONTROLS_HELP.sample}
        >
          {(control) => (
            <TextArea
              id={control.id}
              aria-describedby={control['aria-describedby']}
              minimumRows={2}
              resize="vertical"
              maxLength={MAX_SAMPLE_LENGTH}
              value={props.sample}
              isDisabled={isDisabled}
              spellCheck={false}
              testId="pattern-sample"
              onChange={(event) => props.onSampleChange(event.currentTarget.value)}
            />
          )}
        </FormField>
        {model.customPatterns.length === 0 ? (
          <Text as="p" color="color.text.subtlest" testId="no-custom-patterns">
            No custom patterns.
          </Text>
        ) : null}
        {model.customPatterns.map((row, index) => {
          const number = index + 1;
          return (
            <fieldset key={row.key} style={rowStyle} data-testid={`custom-pattern-${index}`}>
              <legend style={legendStyle}>Custom pattern {number}</legend>
              <Stack space="space.100">
                <FormField
                  id={fieldId(patternField(index, 'name'))}
                  label="Name"
                  error={errors[patternField(index, 'name')]}
                  helper="Lower-case letters, digits and dashes, e.g. customer-id."
                  isRequired
                >
                  {(control) => (
                    <Textfield
                      {...control}
                      name={`pattern-name-${index}`}
                      value={row.name}
                      isDisabled={isDisabled}
                      spellCheck={false}
                      autoComplete="off"
                      maxLength={30}
                      testId={`pattern-name-${index}`}
                      onChange={(event) => setRow(index, { name: event.currentTarget.value }, 'name')}
                    />
                  )}
                </FormField>
                <FormField
                  id={fieldId(patternField(index, 'pattern'))}
                  label="Pattern"
                  error={errors[patternField(index, 'pattern')]}
                  isRequired
                >
                  {(control) => (
                    <Textfield
                      {...control}
                      name={`pattern-source-${index}`}
                      value={row.pattern}
                      isDisabled={isDisabled}
                      spellCheck={false}
                      autoComplete="off"
                      isMonospaced
                      testId={`pattern-source-${index}`}
                      onChange={(event) => setRow(index, { pattern: event.currentTarget.value }, 'pattern')}
                    />
                  )}
                </FormField>
                <PatternTry
                  index={index}
                  name={row.name.trim()}
                  pattern={row.pattern}
                  sample={props.sample}
                  isDisabled={isDisabled}
                  onRemove={() => {
                    props.onClearErrors([...patternRowErrorKeys(errors), DC.customPatterns]);
                    change({ customPatterns: withoutRow(model.customPatterns, index) });
                  }}
                />
              </Stack>
            </fieldset>
          );
        })}
        <Inline space="space.100" alignBlock="center">
          <Button
            isDisabled={isDisabled || full}
            testId="add-custom-pattern"
            onClick={() => {
              props.onClearErrors([DC.customPatterns]);
              change({
                customPatterns: [...model.customPatterns, { key: newRowKey(), name: '', pattern: '' }],
              });
              const added = model.customPatterns.length;
              // The new row's name field, once it is rendered.
              requestAnimationFrame(() =>
                document.getElementById(fieldId(patternField(added, 'name')))?.focus(),
              );
            }}
          >
            Add a pattern
          </Button>
          {full ? (
            <Text size="small" color="color.text.subtle">
              {MAX_CUSTOM_PATTERNS} patterns is the most a project can have.
            </Text>
          ) : null}
        </Inline>
      </Group>

      <FormField
        id={fieldId(DC.auditRetentionDays)}
        label="Keep the audit trail for (days)"
        helper={DATA_CONTROLS_HELP.retention}
        error={errors[DC.auditRetentionDays]}
        isRequired
      >
        {(control) => (
          <Textfield
            {...control}
            name="auditRetentionDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            width="small"
            value={model.auditRetentionDays}
            isDisabled={isDisabled}
            testId="audit-retention-days"
            onChange={(event) => {
              props.onClearErrors([DC.auditRetentionDays]);
              change({ auditRetentionDays: event.currentTarget.value });
            }}
          />
        )}
      </FormField>
    </Section>
  );
}
