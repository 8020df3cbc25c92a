/**
 * The Xray key-expiry reminder: a warning while the key expires within 14 days, an error once it has
 * expired. Shown to project admins at the top of the settings page and of the issue panel.
 */
import { SectionMessage } from './SectionMessage';
import type { ReactNode } from 'react';
import type { KeyReminderDto } from '../../../src/api';
import { keyReminderText, type KeyReminderPlace } from './keyReminder';

export interface KeyReminderBannerProps {
  reminder: KeyReminderDto;
  place: KeyReminderPlace;
  /** E.g. the panel's "Update the key" button. */
  action?: ReactNode;
}

export function KeyReminderBanner({ reminder, place, action }: KeyReminderBannerProps) {
  const text = keyReminderText(reminder, place);
  return (
    <div data-testid="key-reminder" data-status={reminder.status}>
      <SectionMessage appearance={text.appearance} title={text.title}>
        <p>
          {text.fact} {text.remedy}
        </p>
        {action ? <p>{action}</p> : null}
      </SectionMessage>
    </div>
  );
}
