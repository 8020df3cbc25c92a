/**
 * Theme bootstrapping shared by the Custom UIs: the Atlaskit CSS reset plus `view.theme.enable()`,
 * which makes the page follow Jira's light/dark theme through the design tokens (`token(…)`).
 */
import '@atlaskit/css-reset';
import './focus.css';
import { view } from '@forge/bridge';

export async function enableTheme(): Promise<void> {
  try {
    await view.theme.enable();
  } catch (error) {
    // Without theming the page still works, in the tokens' fallback (light) colours.
    console.warn('Could not enable Jira theming', error);
  }
}
