/**
 * Atlaskit's SectionMessage, loaded after the page's first paint. The package imports Atlaskit's
 * icon button (for its dismiss button, which the app never shows) and with it the tooltip, popper
 * and motion stack — about 27 KB gzipped that every view of the issue panel would otherwise load
 * up front (issue 16 item 14). The module starts loading as soon as the browser is idle; until it
 * is there, the same title and text show in a plain box. The only way the UIs show a section message.
 */
import type * as AtlaskitSectionMessageModule from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import { lazy, Suspense, type CSSProperties, type ReactNode } from 'react';

export type SectionMessageAppearance = 'information' | 'warning' | 'error' | 'success' | 'discovery';

export interface SectionMessageProps {
  appearance?: SectionMessageAppearance;
  title?: string;
  testId?: string;
  children?: ReactNode;
}

type SectionMessageModule = typeof AtlaskitSectionMessageModule;
let loading: Promise<SectionMessageModule> | undefined;
const load = () => (loading ??= import('@atlaskit/section-message'));
const AtlaskitSectionMessage = lazy(load);

if (typeof window !== 'undefined') {
  const preload = () => void load();
  if ('requestIdleCallback' in window) window.requestIdleCallback(preload);
  else setTimeout(preload, 1);
}

const fallbackStyle: CSSProperties = {
  padding: token('space.200'),
  borderRadius: token('radius.small', '3px'),
  backgroundColor: token('color.background.neutral'),
  color: token('color.text'),
};

export function SectionMessage({ appearance = 'information', title, testId, children }: SectionMessageProps) {
  return (
    <Suspense
      fallback={
        <section style={fallbackStyle} data-testid={testId}>
          {title ? <strong>{title}</strong> : null}
          {children}
        </section>
      }
    >
      <AtlaskitSectionMessage appearance={appearance} {...(title ? { title } : {})} testId={testId}>
        {children}
      </AtlaskitSectionMessage>
    </Suspense>
  );
}
