/** Opens the app's project settings page from the panel (Jira navigates the whole page). */
import { router } from '@forge/bridge';

export function openSettings(url: string): void {
  router.navigate(url).catch((error: unknown) => console.error('Could not open the SQAI settings', error));
}
