/**
 * Wording of the Xray key-expiry reminder (settings page and issue panel). Pure: unit-tested in node
 * (test/unit/static/keyReminder.test.ts).
 */
import type { KeyReminderDto } from '../../../src/api';
import { formatDate } from './datetime';

/** Where the banner is shown: the settings page ("update it here") or elsewhere (points to the settings). */
export type KeyReminderPlace = 'settings' | 'panel';

export interface KeyReminderText {
  appearance: 'warning' | 'error';
  title: string;
  /** What happened, e.g. "The Xray API key expires in 9 days (2026-03-19)." */
  fact: string;
  /** What to do about it. */
  remedy: string;
}

/** "today", "in 1 day", "in 9 days" (negative or fractional values are treated as their whole magnitude). */
function inDays(days: number): string {
  const count = Math.abs(Math.trunc(days));
  if (count === 0) return 'today';
  return `in ${count} ${count === 1 ? 'day' : 'days'}`;
}

export function keyReminderText(
  reminder: KeyReminderDto,
  place: KeyReminderPlace,
  locale?: string,
): KeyReminderText {
  const expiresOn = formatDate(reminder.expiresOn, locale);
  const where =
    place === 'settings' ? 'update it here' : 'update it on the SQAI Connector’s project settings page';
  const remedy = `Create a new key in Xray → Settings → API Keys and ${where}.`;
  if (reminder.status === 'expired') {
    return {
      // A warning, not an error: the date passed, but the key may well still authenticate.
      appearance: 'warning',
      title: 'Xray API key expiry date passed',
      // The date is the one the admin typed; only Xray knows whether it still accepts the key.
      fact: `The expiry date entered for the Xray API key, ${expiresOn}, has passed. Once Xray stops accepting the key, syncing and test generation stop.`,
      remedy,
    };
  }
  return {
    appearance: 'warning',
    title: 'Xray API key expiring soon',
    fact: `The Xray API key expires ${inDays(reminder.days)} (${expiresOn}).`,
    remedy,
  };
}
