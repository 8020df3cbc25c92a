/** A titled section of a page, set off by a rule above it (settings sections, the panel's "Tests from SQAI"). */
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { token } from '@atlaskit/tokens';
import type { ComponentProps, CSSProperties, ReactNode } from 'react';

const sectionStyle: CSSProperties = {
  borderBlockStart: `${token('border.width')} solid ${token('color.border')}`,
  paddingBlockStart: token('space.200'),
};

export interface SectionProps {
  title: string;
  /** The heading's id (the section's accessible name); by default `sqai-section-<title as a slug>`. */
  headingId?: string;
  headingSize?: 'small' | 'xsmall';
  space?: ComponentProps<typeof Stack>['space'];
  testId?: string;
  children: ReactNode;
}

export const sectionHeadingId = (title: string) => `sqai-section-${title.toLowerCase().replace(/\W+/g, '-')}`;

export function Section({
  title,
  headingId = sectionHeadingId(title),
  headingSize = 'small',
  space = 'space.200',
  testId,
  children,
}: SectionProps) {
  return (
    <section style={sectionStyle} aria-labelledby={headingId} data-testid={testId}>
      <Stack space={space}>
        <Heading size={headingSize} as="h2" id={headingId}>
          {title}
        </Heading>
        {children}
      </Stack>
    </section>
  );
}
