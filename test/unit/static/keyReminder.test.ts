import { keyReminderText } from '../../../static/common/src/keyReminder';

describe('keyReminderText', () => {
  it('warns while the key expires soon, with the days left and the date', () => {
    const text = keyReminderText({ status: 'expiring', expiresOn: '2026-03-19', days: 9 }, 'settings');
    expect(text.appearance).toBe('warning');
    expect(`${text.fact} ${text.remedy}`).toBe(
      'The Xray API key expires in 9 days (2026-03-19). Create a new key in Xray → Settings → API Keys and update it here.',
    );
  });

  it.each([
    [1, 'expires in 1 day (2026-03-11)'],
    [0, 'expires today (2026-03-11)'],
  ])('says %i day(s) naturally', (days, phrase) => {
    expect(keyReminderText({ status: 'expiring', expiresOn: '2026-03-11', days }, 'settings').fact).toContain(
      phrase,
    );
  });

  it('is an error once the key has expired (whatever sign the day count has)', () => {
    for (const days of [-3, 3]) {
      const text = keyReminderText({ status: 'expired', expiresOn: '2026-03-07', days }, 'settings');
      expect(text.appearance).toBe('error');
      expect(text.fact).toMatch(/^The Xray API key expired on 2026-03-07\./);
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
