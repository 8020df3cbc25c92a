/**
 * A person as Jira shows one: a small avatar and the display name (never the raw account id). The
 * avatar is decoration beside the name, so screen readers read the name once. Inline-level: it sits
 * in a sentence ("Synced 5 minutes ago by [avatar] Priya Raman").
 */
import { token } from '@atlaskit/tokens';
import { lazy, Suspense, type CSSProperties } from 'react';
import type { PersonDto } from '../../../src/api';

export interface PersonProps {
  person: PersonDto;
  /** Atlaskit's `xxsmall` (16 px) inline in text; `small` (24 px) on its own line. */
  size?: 'xxsmall' | 'small';
  testId?: string;
}

const personStyle: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: token('space.050'),
  maxWidth: '100%',
  verticalAlign: 'middle',
};

const avatarStyle: CSSProperties = { display: 'inline-flex', flexShrink: 0 };

// The avatar is decoration: loaded after the first paint, so it is not in every page's initial JS
// (issue 16 item 14). Until then an empty box of the same size keeps the line from shifting. `as="span"`:
// a person sits in sentences (`<p>`), where Atlaskit's default `<div>` is invalid HTML.
const Avatar = lazy(() => import('@atlaskit/avatar'));
const AVATAR_PX = { xxsmall: 16, small: 24 } as const;

const nameStyle: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' };

export function Person({ person, size = 'xxsmall', testId }: PersonProps) {
  return (
    <span style={personStyle} data-testid={testId}>
      <span aria-hidden="true" style={avatarStyle}>
        <Suspense fallback={<span style={{ width: AVATAR_PX[size], height: AVATAR_PX[size] }} />}>
          <Avatar as="span" size={size} {...(person.avatarUrl ? { src: person.avatarUrl } : {})} />
        </Suspense>
      </span>
      <span style={nameStyle} title={person.displayName}>
        {person.displayName}
      </span>
    </span>
  );
}
