/**
 * Where the created tests go: a Test Set and a Test Execution (none / existing / new), an existing
 * Test Plan, and an Xray repository folder. Each picker (Atlaskit select) lists the sets, executions and plans the
 * requirement's tests already use, and takes any other key typed in.
 */
import { ErrorMessage } from '@atlaskit/form';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import Select, { type GroupType } from '@atlaskit/select';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';
import type { GenerationPanelDto } from '../../../../src/api';
import {
  knownOf,
  pickerValueOf,
  withPickerValue,
  type DestinationErrors,
  type DestinationField,
  type DestinationForm,
} from './model';

/** DOM ids: the mode select (or the folder input) and the key / summary input beside it. */
export const destinationIds = (field: DestinationField) => ({
  control: `sqai-destination-${field}`,
  detail: `sqai-destination-${field}-detail`,
  error: `sqai-destination-${field}-error`,
});

const rowStyle: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(7rem, 9rem) minmax(0, 1fr)',
  columnGap: token('space.100'),
  alignItems: 'center',
};

const fullRowStyle: CSSProperties = { gridColumn: '1 / -1' };
/** A picked known destination ("DEMO-50 · Login regression") gets the whole row. */
const wideSelectStyle: CSSProperties = { gridColumn: '1 / -1', minWidth: 0 };

function Row(props: {
  field: DestinationField;
  label: string;
  error: string | undefined;
  children: ReactNode;
}) {
  const ids = destinationIds(props.field);
  return (
    <div>
      <Label htmlFor={ids.control}>{props.label}</Label>
      <div style={rowStyle}>{props.children}</div>
      {props.error ? (
        <div id={ids.error}>
          <ErrorMessage>{props.error}</ErrorMessage>
        </div>
      ) : null}
    </div>
  );
}

interface PickerOption {
  label: string;
  value: string;
}

/** The picker's options: None, New (sets and executions), the known destinations, any other key. */
function pickerOptions(
  known: { key: string; summary: string }[],
  allowNew: boolean,
): (PickerOption | GroupType<PickerOption>)[] {
  return [
    { label: 'None', value: 'none' },
    ...(allowNew ? [{ label: 'New', value: 'new' }] : []),
    ...(known.length > 0
      ? [
          {
            label: 'Used by this requirement’s tests',
            options: known.map((item) => ({ label: `${item.key} · ${item.summary}`, value: item.key })),
          },
        ]
      : []),
    { label: 'Other key…', value: 'existing' },
  ];
}

function optionOf(options: (PickerOption | GroupType<PickerOption>)[], value: string): PickerOption | null {
  for (const option of options) {
    if ('options' in option) {
      const found = option.options.find((inner) => inner.value === value);
      if (found) return found;
    } else if (option.value === value) return option;
  }
  return null;
}

/** Atlaskit's select over the picker's options (keyboard: type to filter, Enter picks). */
function Picker(props: {
  id: string;
  value: string;
  known: { key: string; summary: string }[];
  allowNew: boolean;
  wide: boolean;
  disabled: boolean;
  describedBy: string | undefined;
  onChange: (value: string) => void;
}) {
  const options = pickerOptions(props.known, props.allowNew);
  return (
    <div style={props.wide ? wideSelectStyle : undefined}>
      <Select<PickerOption>
        inputId={props.id}
        aria-describedby={props.describedBy}
        isDisabled={props.disabled}
        spacing="compact"
        options={options}
        value={optionOf(options, props.value)}
        menuPlacement="auto"
        onChange={(option) => option && props.onChange(option.value)}
      />
    </div>
  );
}

type ChoiceField = 'testSet' | 'testExecution';

const CHOICE_TEXT: Record<ChoiceField, { label: string; keyLabel: string; summaryLabel: string }> = {
  testSet: { label: 'Test Set', keyLabel: 'Set key', summaryLabel: 'New set summary' },
  testExecution: {
    label: 'Test Execution',
    keyLabel: 'Execution key',
    summaryLabel: 'New execution summary',
  },
};

export interface DestinationPickerProps {
  form: DestinationForm;
  errors: DestinationErrors;
  panel: GenerationPanelDto | null;
  disabled: boolean;
  onChange: (patch: Partial<DestinationForm>) => void;
}

export function DestinationPicker({ form, errors, panel, disabled, onChange }: DestinationPickerProps) {
  const choice = (field: ChoiceField) => {
    const value = form[field];
    const text = CHOICE_TEXT[field];
    const ids = destinationIds(field);
    const known = knownOf(panel, field);
    const describedBy = errors[field] ? ids.error : undefined;
    return (
      <Row field={field} label={text.label} error={errors[field]}>
        <Picker
          id={ids.control}
          value={pickerValueOf(value)}
          known={known}
          allowNew
          wide={value.mode === 'existing' && !value.keyTyped}
          disabled={disabled}
          describedBy={value.mode === 'none' ? describedBy : undefined}
          onChange={(picked) => onChange({ [field]: withPickerValue(value, picked) })}
        />
        {value.mode === 'existing' && value.keyTyped ? (
          <Textfield
            id={ids.detail}
            aria-label={text.keyLabel}
            aria-describedby={describedBy}
            isInvalid={Boolean(errors[field])}
            isCompact
            isDisabled={disabled}
            placeholder="e.g. DEMO-12"
            autoComplete="off"
            spellCheck={false}
            value={value.key}
            onChange={(event) => onChange({ [field]: { ...value, key: event.currentTarget.value } })}
          />
        ) : null}
        {value.mode === 'new' ? (
          <Textfield
            id={ids.detail}
            aria-label={text.summaryLabel}
            aria-describedby={describedBy}
            isInvalid={Boolean(errors[field])}
            isCompact
            isDisabled={disabled}
            value={value.summary}
            onChange={(event) => onChange({ [field]: { ...value, summary: event.currentTarget.value } })}
          />
        ) : null}
      </Row>
    );
  };

  const planIds = destinationIds('testPlan');
  const plans = knownOf(panel, 'testPlan');
  const folderIds = destinationIds('folder');

  return (
    <section aria-labelledby="sqai-destination-heading" data-testid="destination">
      <Stack space="space.100">
        <Heading size="xxsmall" as="h3" id="sqai-destination-heading">
          Where they go
        </Heading>
        {choice('testSet')}
        {choice('testExecution')}
        <Row field="testPlan" label="Test Plan" error={errors.testPlan}>
          <Picker
            id={planIds.control}
            value={pickerValueOf(form.testPlan)}
            known={plans}
            allowNew={false}
            wide={form.testPlan.mode === 'existing' && !form.testPlan.keyTyped}
            disabled={disabled}
            describedBy={form.testPlan.mode === 'none' && errors.testPlan ? planIds.error : undefined}
            onChange={(picked) => onChange({ testPlan: withPickerValue(form.testPlan, picked) })}
          />
          {form.testPlan.mode === 'existing' && form.testPlan.keyTyped ? (
            <Textfield
              id={planIds.detail}
              aria-label="Plan key"
              aria-describedby={errors.testPlan ? planIds.error : undefined}
              isInvalid={Boolean(errors.testPlan)}
              isCompact
              isDisabled={disabled}
              placeholder="e.g. DEMO-40"
              autoComplete="off"
              spellCheck={false}
              value={form.testPlan.key}
              onChange={(event) =>
                onChange({ testPlan: { ...form.testPlan, key: event.currentTarget.value } })
              }
            />
          ) : null}
        </Row>
        <Row field="folder" label="Folder" error={errors.folder}>
          <div style={fullRowStyle}>
            <Textfield
              id={folderIds.control}
              aria-describedby={[errors.folder ? folderIds.error : '', `${folderIds.control}-helper`]
                .filter(Boolean)
                .join(' ')}
              isInvalid={Boolean(errors.folder)}
              isCompact
              isDisabled={disabled}
              placeholder="/Checkout/Generated"
              autoComplete="off"
              spellCheck={false}
              value={form.folder}
              onChange={(event) => onChange({ folder: event.currentTarget.value })}
            />
          </div>
        </Row>
        <Text size="small" color="color.text.subtlest" id={`${folderIds.control}-helper`}>
          Optional: a folder of Xray’s test repository, starting with “/”.
        </Text>
      </Stack>
    </section>
  );
}
