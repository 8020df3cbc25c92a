/** Mounts a Custom UI app once theming is on, so the first paint already has the right colours. */
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { enableTheme } from './theme';

export async function mountApp(app: ReactNode, rootId = 'root'): Promise<void> {
  const container = document.getElementById(rootId);
  if (!container) throw new Error(`No #${rootId} element to render into.`);
  await enableTheme();
  createRoot(container).render(<StrictMode>{app}</StrictMode>);
}
