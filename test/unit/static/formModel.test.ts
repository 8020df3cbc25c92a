import type { SettingsDto } from '../../../src/api';
import {
  emptyForm,
  endpointProblem,
  firstInvalidField,
  formFromSettings,
  formatIssueTypes,
  hasUnsavedEdits,
  isIsoDate,
  mapServerFieldErrors,
  parseIssueTypes,
  toSaveInput,
  typedToIso,
  validateForm,
  withoutSecrets,
  type FormModel,
} from '../../../static/settings/src/formModel';

const stored: SettingsDto = {
  xray: { clientId: 'DEMO-CLIENT-ID', region: 'eu', tier: 'enterprise' },
  sqai: { endpoint: 'https://api.sqai-suite.com' },
  keyExpiresOn: '2026-12-31',
  sync: {
    enabled: false,
    requirementIssueTypes: ['Story', 'Epic'],
    includeRemoteLinks: true,
    includeTestRuns: false,
    criteriaField: 'customfield_10042',
    criteriaTitles: ['Done when', 'Akzeptanzkriterien'],
  },
};

const unset = { xrayClientSecret: 'unset', sqaiToken: 'unset' } as const;
const set = { xrayClientSecret: 'set', sqaiToken: 'set' } as const;

function filled(overrides: Partial<FormModel> = {}): FormModel {
  return {
    ...emptyForm(),
    clientId: 'DEMO-CLIENT-ID',
    clientSecret: 'demo-client-secret-value',
    sqaiEndpoint: 'https://api.sqai-suite.com',
    sqaiToken: 'sqai-demo-token',
    ...overrides,
  };
}

describe('parseIssueTypes / formatIssueTypes', () => {
  it('trims, drops empties and de-duplicates case-insensitively, keeping the first spelling', () => {
    expect(parseIssueTypes(' Story, Epic ,, story,  User   Story ,\nBug')).toEqual([
      'Story',
      'Epic',
      'User Story',
      'Bug',
    ]);
  });
  it('treats blank input as "no types" (Xray decides)', () => {
    expect(parseIssueTypes('  ,  ')).toEqual([]);
    expect(parseIssueTypes('')).toEqual([]);
  });
  it('round-trips through the text field', () => {
    expect(parseIssueTypes(formatIssueTypes(['Story', 'Epic']))).toEqual(['Story', 'Epic']);
  });
});

describe('formFromSettings', () => {
  it('starts a new configuration with the documented defaults', () => {
    expect(formFromSettings(null)).toEqual(emptyForm());
    expect(emptyForm()).toMatchObject({
      region: 'global',
      tier: 'standard',
      syncEnabled: true,
      keyExpiresOn: '',
    });
  });
  it('fills every field from stored settings, never a secret', () => {
    expect(formFromSettings(stored)).toEqual({
      clientId: 'DEMO-CLIENT-ID',
      clientSecret: '',
      region: 'eu',
      tier: 'enterprise',
      sqaiEndpoint: 'https://api.sqai-suite.com',
      sqaiToken: '',
      keyExpiresOn: '2026-12-31',
      syncEnabled: false,
      requirementIssueTypes: 'Story, Epic',
      includeRemoteLinks: true,
      includeTestRuns: false,
      criteriaField: 'customfield_10042',
      criteriaTitles: 'Done when, Akzeptanzkriterien',
    });
  });
});

describe('toSaveInput', () => {
  it('builds the saveSettings payload with trimmed values and both secrets', () => {
    const input = toSaveInput(
      filled({
        clientId: '  ID-1 ',
        sqaiEndpoint: ' https://x.sqai-suite.com ',
        requirementIssueTypes: 'Story, Epic',
      }),
    );
    expect(input).toEqual({
      xray: { clientId: 'ID-1', region: 'global', tier: 'standard' },
      sqai: { endpoint: 'https://x.sqai-suite.com' },
      sync: {
        enabled: true,
        requirementIssueTypes: ['Story', 'Epic'],
        includeRemoteLinks: true,
        includeTestRuns: true,
        criteriaField: '',
        criteriaTitles: [],
      },
      secrets: { xrayClientSecret: 'demo-client-secret-value', sqaiToken: 'sqai-demo-token' },
    });
  });
  it('leaves out empty secrets (= keep the stored ones) and an empty expiry date', () => {
    const input = toSaveInput({ ...formFromSettings(stored), keyExpiresOn: '' });
    expect(input).not.toHaveProperty('secrets');
    expect(input).not.toHaveProperty('keyExpiresOn');
    expect(toSaveInput({ ...formFromSettings(stored), sqaiToken: ' t ' }).secrets).toEqual({
      sqaiToken: 't',
    });
  });
  it('round-trips stored settings unchanged', () => {
    expect(toSaveInput(formFromSettings(stored))).toEqual(stored);
  });
  it('reads settings saved before the criteria options as "none" and saves them spelled out', () => {
    const { criteriaField: _field, criteriaTitles: _titles, ...older } = stored.sync;
    expect(toSaveInput(formFromSettings({ ...stored, sync: older })).sync).toEqual({
      ...older,
      criteriaField: '',
      criteriaTitles: [],
    });
  });
  it('withoutSecrets empties only the secret inputs', () => {
    expect(withoutSecrets(filled())).toEqual(filled({ clientSecret: '', sqaiToken: '' }));
  });
});

describe('validateForm', () => {
  it('accepts a complete form', () => {
    expect(validateForm(filled(), unset)).toEqual({});
  });
  it('checks the criteria field id and headings as the server does', () => {
    expect(
      validateForm(filled({ criteriaField: 'Acceptance Criteria', criteriaTitles: 'x'.repeat(61) }), unset),
    ).toEqual({
      criteriaField: 'Enter a custom field id such as customfield_10042, or leave it empty.',
      criteriaTitles: 'Section names are at most 60 characters.',
    });
    expect(
      validateForm(filled({ criteriaField: ' customfield_10042 ', criteriaTitles: 'Done when' }), unset),
    ).toEqual({});
  });
  it('requires the secrets only while none is stored', () => {
    const noSecrets = filled({ clientSecret: '', sqaiToken: '' });
    expect(validateForm(noSecrets, unset)).toEqual({
      clientSecret: 'Enter the Xray Client Secret.',
      sqaiToken: 'Enter the SQAI API token.',
    });
    expect(validateForm(noSecrets, set)).toEqual({});
  });
  it('mirrors the obvious server rules', () => {
    const errors = validateForm(
      filled({
        clientId: 'has space',
        sqaiEndpoint: 'http://api.sqai-suite.com',
        keyExpiresOn: '2026-02-30',
      }),
      set,
    );
    expect(errors).toEqual({
      clientId: 'A Client ID has no spaces.',
      sqaiEndpoint: 'The SQAI endpoint must use https://',
      keyExpiresOn: 'Enter a real date as YYYY-MM-DD.',
    });
    expect(firstInvalidField(errors)).toBe('clientId');
  });
  it('limits the requirement issue types', () => {
    const many = Array.from({ length: 31 }, (_, i) => `Type ${i}`).join(',');
    expect(validateForm(filled({ requirementIssueTypes: many }), set).requirementIssueTypes).toMatch(
      /at most 30/,
    );
    expect(
      validateForm(filled({ requirementIssueTypes: 'x'.repeat(61) }), set).requirementIssueTypes,
    ).toMatch(/at most 60 characters/);
  });
});

describe('endpointProblem', () => {
  it.each([
    ['', 'Enter the SQAI endpoint URL.'],
    ['api.sqai-suite.com', 'Enter a full URL, e.g. https://api.sqai-suite.com'],
    ['http://api.sqai-suite.com', 'The SQAI endpoint must use https://'],
    ['https://user:pw@api.sqai-suite.com', expect.stringMatching(/user name or password/)],
    ['https://api.sqai-suite.com/?a=1', 'Remove the query string or fragment from the URL.'],
  ])('%s → %s', (value, message) => {
    expect(endpointProblem(value)).toEqual(message);
  });
  it('accepts an https base URL with a path', () => {
    expect(endpointProblem('https://sqai.example.com/api')).toBeUndefined();
  });
});

describe('mapServerFieldErrors', () => {
  it('maps payload paths (including array items) onto fields and keeps the rest for the form', () => {
    expect(
      mapServerFieldErrors({
        'sqai.endpoint': 'Use a host name, not an IP address.',
        'sync.requirementIssueTypes.3': 'Issue type names cannot be empty.',
        'secrets.xrayClientSecret': 'Enter the Xray Client Secret.',
        keyExpiresOn: 'Enter a real calendar date.',
        _form: 'Unknown field(s): extra',
        secrets: 'Unknown field(s): other',
      }),
    ).toEqual({
      fields: {
        sqaiEndpoint: 'Use a host name, not an IP address.',
        requirementIssueTypes: 'Issue type names cannot be empty.',
        clientSecret: 'Enter the Xray Client Secret.',
        keyExpiresOn: 'Enter a real calendar date.',
      },
      form: ['Unknown field(s): extra', 'secrets: Unknown field(s): other'],
    });
  });
  it('copes with no field errors at all', () => {
    expect(mapServerFieldErrors(undefined)).toEqual({ fields: {}, form: [] });
  });
});

describe('dates', () => {
  it('isIsoDate accepts real calendar dates only', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-2-1')).toBe(false);
  });
  it('typedToIso reads what people type into the date picker', () => {
    expect(typedToIso('2026-12-01')).toBe('2026-12-01');
    expect(typedToIso(' 2026-3-7 ')).toBe('2026-03-07');
    expect(typedToIso('next tuesday')).toBeUndefined();
  });
  it('typedToIso takes only the exact date typed: no roll-over, no guessing (issue 16 item 12)', () => {
    expect(typedToIso('2026-02-31')).toBeUndefined(); // the browser would make it 2026-03-03
    expect(typedToIso('2027-02-29')).toBeUndefined();
    expect(typedToIso('2028-02-29')).toBe('2028-02-29');
    expect(typedToIso('1')).toBeUndefined(); // the browser would make it 2001-01-01
    expect(typedToIso('Dec 1 2026')).toBeUndefined(); // one format: YYYY-MM-DD, as the field says
    expect(typedToIso('2026-13-01')).toBeUndefined();
    expect(typedToIso('2026-00-10')).toBeUndefined();
  });
});

describe('hasUnsavedEdits', () => {
  const form = (overrides: Partial<FormModel> = {}): FormModel => ({
    ...formFromSettings(stored),
    ...overrides,
  });

  it('is false without stored settings, even for a filled-in form (nothing to differ from)', () => {
    expect(hasUnsavedEdits(filled(), null)).toBe(false);
    expect(hasUnsavedEdits(emptyForm(), null)).toBe(false);
  });

  it('is false for the form built from the stored settings', () => {
    expect(hasUnsavedEdits(formFromSettings(stored), stored)).toBe(false);
  });

  it('is false for stored settings without an expiry date and the empty date field', () => {
    const { keyExpiresOn: _omitted, ...withoutExpiry } = stored;
    expect(hasUnsavedEdits(formFromSettings(withoutExpiry), withoutExpiry)).toBe(false);
  });

  it.each<[string, Partial<FormModel>]>([
    ['clientId', { clientId: 'OTHER-CLIENT-ID' }],
    ['region', { region: 'us' }],
    ['tier', { tier: 'standard' }],
    ['sqaiEndpoint', { sqaiEndpoint: 'https://eu.sqai-suite.com' }],
    ['keyExpiresOn (changed)', { keyExpiresOn: '2027-01-31' }],
    ['keyExpiresOn (cleared)', { keyExpiresOn: '' }],
    ['syncEnabled', { syncEnabled: true }],
    ['requirementIssueTypes (added)', { requirementIssueTypes: 'Story, Epic, Bug' }],
    ['requirementIssueTypes (reordered)', { requirementIssueTypes: 'Epic, Story' }],
    ['includeRemoteLinks', { includeRemoteLinks: false }],
    ['includeTestRuns', { includeTestRuns: true }],
  ])('is true when %s changed', (_field, overrides) => {
    expect(hasUnsavedEdits(form(overrides), stored)).toBe(true);
  });

  it('is true when a secret is typed (toSaveInput sends it, so it is an edit)', () => {
    expect(hasUnsavedEdits(form({ clientSecret: 'new-client-secret' }), stored)).toBe(true);
    expect(hasUnsavedEdits(form({ sqaiToken: 'new-sqai-token' }), stored)).toBe(true);
  });

  it('is false again once the typed secrets are emptied after a save', () => {
    expect(hasUnsavedEdits(withoutSecrets(form({ clientSecret: 'x', sqaiToken: 'y' })), stored)).toBe(false);
  });

  it('is false for changes the save would not send: blank secrets, padding, retyped issue types', () => {
    expect(hasUnsavedEdits(form({ clientSecret: '   ', sqaiToken: ' ' }), stored)).toBe(false);
    expect(
      hasUnsavedEdits(
        form({
          clientId: '  DEMO-CLIENT-ID ',
          sqaiEndpoint: ' https://api.sqai-suite.com ',
          keyExpiresOn: ' 2026-12-31 ',
        }),
        stored,
      ),
    ).toBe(false);
    expect(hasUnsavedEdits(form({ requirementIssueTypes: 'Story,Epic,, story' }), stored)).toBe(false);
  });
});
