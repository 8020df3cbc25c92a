import { keyReminderText } from '../../../static/common/src/keyReminder';

describe('keyReminderText', () => {
  it('warns while the key expires soon, with the days left and the date', () => {
    const text = keyReminderText(
      { status: 'expiring', expiresOn: '2026-03-19', days: 9 },
      'settings',
      'en-US',
    );
    expect(text.appearance).toBe('warning');
    expect(`${text.fact} ${text.remedy}`).toBe(
      'The Xray API key expires in 9 days (Mar 19, 2026). Create a new key in Xray → Settings → API Keys and update it here.',
    );
    // The date in the user's locale, like every other date in the UIs.
    expect(
      keyReminderText({ status: 'expiring', expiresOn: '2026-03-19', days: 9 }, 'settings', 'en-GB').fact,
    ).toContain('(19 Mar 2026)');
  });

  it.each([
    [1, 'expires in 1 day (Mar 11, 2026)'],
    [0, 'expires today (Mar 11, 2026)'],
  ])('says %i day(s) naturally', (days, phrase) => {
    expect(
      keyReminderText({ status: 'expiring', expiresOn: '2026-03-11', days }, 'settings', 'en-US').fact,
    ).toContain(phrase);
  });

  it('once the date has passed, says just that — not that syncing fails (whatever sign the day count has)', () => {
    for (const days of [-3, 3]) {
      const text = keyReminderText({ status: 'expired', expiresOn: '2026-03-07', days }, 'settings', 'en-US');
      expect(text.appearance).toBe('warning');
      expect(text.fact).toMatch(/^The expiry date entered for the Xray API key, Mar 7, 2026, has passed\./);
      expect(text.fact).not.toMatch(/fail/);
    }
  });

  it('points to the settings page when shown elsewhere', () => {
    const text = keyReminderText({ status: 'expired', expiresOn: '2026-03-07', days: 3 }, 'panel');
    expect(text.remedy).toBe(
      'Create a new key in Xray → Settings → API Keys and update it on the SQAI Connector’s project settings page.',
    );
  });

  it('has titles that do not repeat the sentence (so the sentence is found once)', () => {
    for (const status of ['expiring', 'expired'] as const) {
      const text = keyReminderText({ status, expiresOn: '2026-03-07', days: 3 }, 'settings');
      expect(text.fact.toLowerCase()).not.toContain(text.title.toLowerCase());
    }
  });
});
