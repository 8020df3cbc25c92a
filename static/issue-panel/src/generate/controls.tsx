/**
 * Small native controls styled with design tokens, for what the installed Atlaskit set lacks
 * (checkbox, native select, textarea), and the issue-key link every part of "Generate tests" uses.
 * Native elements keep the panel light and give tests and screen readers real labels and roles.
 */
import { token } from '@atlaskit/tokens';
import { router } from '@forge/bridge';
import type { CSSProperties, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

const checkboxStyle: CSSProperties = {
  width: 16,
  height: 16,
  margin: 0,
  flexShrink: 0,
  accentColor: token('color.background.selected.bold'),
  cursor: 'pointer',
};

const checkboxLabelStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: token('space.075'),
  font: token('font.body'),
  color: token('color.text'),
  cursor: 'pointer',
};

export interface CheckboxProps {
  id?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  /** Visible label text (the accessible name). */
  label?: ReactNode;
  /** Accessible name when there is no visible label. */
  ariaLabel?: string;
  testId?: string;
}

export function Checkbox({ id, checked, disabled, onChange, label, ariaLabel, testId }: CheckboxProps) {
  const input = (
    <input
      id={id}
      type="checkbox"
      style={{ ...checkboxStyle, cursor: disabled ? 'not-allowed' : 'pointer' }}
      checked={checked}
      disabled={disabled}
      aria-label={ariaLabel}
      data-testid={testId}
      onChange={(event) => onChange(event.currentTarget.checked)}
    />
  );
  if (label === undefined) return input;
  return (
    <label style={{ ...checkboxLabelStyle, ...(disabled ? { color: token('color.text.disabled') } : {}) }}>
      {input}
      {label}
    </label>
  );
}

const fieldBase: CSSProperties = {
  boxSizing: 'border-box',
  width: '100%',
  font: token('font.body'),
  color: token('color.text'),
  backgroundColor: token('color.background.input'),
  // Longhands only: the invalid style swaps the colour, and React cannot mix shorthand and longhand.
  borderWidth: token('border.width'),
  borderStyle: 'solid',
  borderColor: token('color.border.input'),
  borderRadius: token('radius.small', '3px'),
};

const selectStyle: CSSProperties = {
  ...fieldBase,
  height: 32,
  paddingInline: token('space.075'),
  cursor: 'pointer',
};

const invalidStyle: CSSProperties = { borderColor: token('color.border.danger') };

export function NativeSelect({
  isInvalid,
  style,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { isInvalid?: boolean }) {
  return <select {...props} style={{ ...selectStyle, ...(isInvalid ? invalidStyle : {}), ...style }} />;
}

const textAreaStyle: CSSProperties = {
  ...fieldBase,
  display: 'block',
  minHeight: 56,
  padding: `${token('space.075')} ${token('space.100')}`,
  resize: 'vertical',
  lineHeight: 1.4,
};

export function TextArea({
  isInvalid,
  style,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { isInvalid?: boolean }) {
  return <textarea {...props} style={{ ...textAreaStyle, ...(isInvalid ? invalidStyle : {}), ...style }} />;
}

const linkStyle: CSSProperties = { color: token('color.link'), fontWeight: token('font.weight.medium') };

/** An issue key that opens the issue in a new tab (Forge `router.open`); the text is the key. */
export function IssueKeyLink({ issueKey, testId }: { issueKey: string; testId?: string }) {
  const href = `/browse/${encodeURIComponent(issueKey)}`;
  return (
    <a
      href={href}
      style={linkStyle}
      data-testid={testId}
      onClick={(event) => {
        event.preventDefault();
        router.open(href).catch((error: unknown) => console.error(`Could not open ${issueKey}`, error));
      }}
    >
      {issueKey}
    </a>
  );
}
