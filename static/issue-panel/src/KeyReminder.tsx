/**
 * The Xray key-expiry reminder at the top of the panel (the backend sends it to project admins only),
 * with "Update the key" leading to the app's settings page.
 */
import Button from '@atlaskit/button/new';
import type { KeyReminderDto } from '../../../src/api';
import { KeyReminderBanner } from '../../common/src/KeyReminderBanner';
import { openSettings } from './openSettings';

export interface KeyReminderProps {
  reminder: KeyReminderDto;
  /** The app's project settings page; undefined when the project key is unknown. */
  settingsUrl: string | undefined;
}

export function KeyReminder({ reminder, settingsUrl }: KeyReminderProps) {
  return (
    <KeyReminderBanner
      reminder={reminder}
      place="panel"
      action={
        settingsUrl ? (
          <Button onClick={() => openSettings(settingsUrl)} testId="update-key">
            Update the key
          </Button>
        ) : null
      }
    />
  );
}
