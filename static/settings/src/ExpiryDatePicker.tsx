/**
 * The key-expiry date: an Atlaskit DatePicker that takes and gives ISO `YYYY-MM-DD`, accepts a
 * typed date, and also commits a typed date when focus simply leaves the field (the stock picker
 * only commits on Enter or a calendar click, which loses what people type before clicking Save).
 */
import { DatePicker } from '@atlaskit/datetime-picker';
import type { InputActionMeta } from '@atlaskit/select';
import { useRef } from 'react';
import { parseTypedDate, typedToIso } from './formModel';
import type { ControlProps } from '../../common/src/FormField';
import { formatDate } from '../../common/src/datetime';

export interface ExpiryDatePickerProps {
  control: ControlProps;
  value: string;
  onChange: (isoDate: string) => void;
  /** Called with what was typed when it is not a date. */
  onInvalid: (typed: string) => void;
}

export function ExpiryDatePicker({ control, value, onChange, onInvalid }: ExpiryDatePickerProps) {
  const typed = useRef('');
  return (
    <DatePicker
      id={control.id}
      aria-describedby={control['aria-describedby']}
      isInvalid={control.isInvalid}
      value={value}
      dateFormat="YYYY-MM-DD"
      // Typed as YYYY-MM-DD; shown, once taken, like every other date on the page (the user's locale).
      formatDisplayLabel={(iso: string) => formatDate(iso)}
      placeholder="YYYY-MM-DD"
      parseInputValue={(text) => parseTypedDate(text)}
      clearControlLabel="Clear the date"
      // A separate calendar button (named so it never matches the field's own label): keyboard
      // focus on the input then doesn't pop the calendar open and trap Tab inside it.
      shouldShowCalendarButton
      inputLabel="Expiry"
      openCalendarLabel="Open calendar"
      onChange={(iso) => {
        typed.current = '';
        onChange(iso);
      }}
      onBlur={() => {
        const text = typed.current.trim();
        typed.current = '';
        if (text === '') return;
        const iso = typedToIso(text);
        if (iso === undefined) onInvalid(text);
        else if (iso !== value) onChange(iso);
      }}
      selectProps={{
        onInputChange: (text: string, meta: InputActionMeta) => {
          if (meta.action === 'input-change') typed.current = text;
        },
      }}
    />
  );
}
