/**
 * One labelled form control: a real `<label for>` (so `getByLabel` and screen readers find the
 * input), the helper text, and the field's error, both linked with `aria-describedby`.
 */
import { ErrorMessage, HelperMessage, Label, RequiredAsterisk } from '@atlaskit/form';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import type { ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-describedby': string;
  'aria-invalid': boolean;
  isInvalid: boolean;
}

export interface FormFieldProps {
  id: string;
  label: string;
  helper?: ReactNode;
  error?: string | undefined;
  isRequired?: boolean;
  children: (control: ControlProps) => ReactNode;
}

export const fieldId = (name: string) => `sqai-field-${name}`;

export function FormField({ id, label, helper, error, isRequired = false, children }: FormFieldProps) {
  const helperId = `${id}-helper`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : undefined, helper ? helperId : undefined].filter(Boolean).join(' ');
  return (
    <div>
      {/* The asterisk sits beside the <label>, not in it, so the label text is exactly `label`. */}
      <Inline alignBlock="baseline">
        <Label htmlFor={id}>{label}</Label>
        {isRequired ? <RequiredAsterisk /> : null}
      </Inline>
      {children({
        id,
        'aria-describedby': describedBy,
        'aria-invalid': Boolean(error),
        isInvalid: Boolean(error),
      })}
      {error ? (
        <div id={errorId}>
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      ) : null}
      {helper ? (
        <div id={helperId}>
          <HelperMessage>{helper}</HelperMessage>
        </div>
      ) : null}
    </div>
  );
}
