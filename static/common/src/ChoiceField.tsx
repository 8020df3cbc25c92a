/**
 * One choice among a few options, all visible: Atlaskit radios in a `<fieldset>` whose legend is the
 * field's label (the native grouping screen readers announce), with the same helper and error
 * wording as FormField. For a handful of options this replaces a select menu (fewer keystrokes, and
 * the select's menu code stays out of the page's initial load).
 */
import { ErrorMessage, Fieldset, HelperMessage } from '@atlaskit/form';
import { RadioGroup } from '@atlaskit/radio';
import type { ReactNode } from 'react';

export interface Choice<V extends string> {
  value: V;
  label: string;
}

export interface ChoiceFieldProps<V extends string> {
  id: string;
  label: string;
  choices: readonly Choice<V>[];
  value: V;
  onChange: (value: V) => void;
  helper?: ReactNode;
  error?: string | undefined;
  isDisabled?: boolean;
}

export function ChoiceField<V extends string>(props: ChoiceFieldProps<V>) {
  const { id, label, choices, value, onChange, helper, error, isDisabled = false } = props;
  const chosen = (raw: string) => choices.find((choice) => choice.value === raw)?.value;
  return (
    <Fieldset legend={label}>
      <RadioGroup
        id={id}
        name={id}
        testId={id}
        options={choices.map((choice) => ({
          value: choice.value,
          label: choice.label,
          testId: `${id}-${choice.value}`,
        }))}
        value={value}
        isDisabled={isDisabled}
        isInvalid={Boolean(error)}
        onChange={(event) => {
          const next = chosen(event.currentTarget.value);
          if (next !== undefined) onChange(next);
        }}
      />
      {/* RadioGroup points aria-describedby at `${id}-error` when invalid. */}
      {error ? (
        <div id={`${id}-error`}>
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      ) : null}
      {helper ? (
        <div id={`${id}-helper`}>
          <HelperMessage>{helper}</HelperMessage>
        </div>
      ) : null}
    </Fieldset>
  );
}
