/**
 * Shared pieces of "Generate tests": Atlaskit's checkbox with the props the panel uses, and the
 * issue-key link every part of it shows.
 */
import AkCheckbox from '@atlaskit/checkbox';
import { token } from '@atlaskit/tokens';
import { router } from '@forge/bridge';
import type { CSSProperties, ReactNode } from 'react';

export interface CheckboxProps {
  id?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  /** Visible label text (the accessible name). */
  label?: string;
  /** Accessible name when there is no visible label. */
  ariaLabel?: string;
  testId?: string;
}

/** Atlaskit's checkbox (its focus ring, sizes and dark theme), controlled. */
export function Checkbox({ id, checked, disabled, onChange, label, ariaLabel, testId }: CheckboxProps) {
  return (
    <AkCheckbox
      {...(id ? { id } : {})}
      isChecked={checked}
      isDisabled={Boolean(disabled)}
      {...(label !== undefined ? { label } : {})}
      {...(ariaLabel !== undefined ? { 'aria-label': ariaLabel } : {})}
      {...(testId !== undefined ? { testId } : {})}
      onChange={(event) => onChange(event.currentTarget.checked)}
    />
  );
}

const linkStyle: CSSProperties = { color: token('color.link'), fontWeight: token('font.weight.medium') };

/** The site-relative address of an issue (what Jira links to and `router.open` takes). */
export const issuePath = (issueKey: string) => `/browse/${encodeURIComponent(issueKey)}`;

/** Opens an issue in a new tab (Forge `router.open`). */
export function openIssue(issueKey: string): void {
  router
    .open(issuePath(issueKey))
    .catch((error: unknown) => console.error(`Could not open ${issueKey}`, error));
}

/** An issue key that opens the issue in a new tab (Forge `router.open`); the text is the key. */
export function IssueKeyLink({ issueKey, testId }: { issueKey: string; testId?: string }) {
  return (
    <a
      href={issuePath(issueKey)}
      style={linkStyle}
      data-testid={testId}
      onClick={(event) => {
        event.preventDefault();
        openIssue(issueKey);
      }}
    >
      {issueKey}
    </a>
  );
}

const headingStyle: CSSProperties = {
  margin: 0,
  font: token('font.heading.xxsmall'),
  color: token('color.text'),
  overflowWrap: 'anywhere',
};

/**
 * A section heading the panel moves focus to when a result arrives there (programmatically only:
 * `tabIndex={-1}` keeps it out of the tab order).
 */
export function FocusHeading({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h3 id={id} tabIndex={-1} style={headingStyle}>
      {children}
    </h3>
  );
}
