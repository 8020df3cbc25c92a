/**
 * "What leaves Jira" (issue 20 item 4) as the settings store it: the defaults, settings saved before
 * the controls existed, and every refusal with the field path the settings page shows it on.
 */
import {
  CONTEXT_SOURCES,
  REDACTION_KINDS,
  REQUIREMENT_FIELDS,
  type DataControlsDto,
  type SaveSettingsInput,
} from '../../../src/api';
import {
  checkRedactionPatternInputSchema,
  dataControlsSchema,
  defaultDataControls,
  fieldErrorsOf,
  RESERVED_PATTERN_NAMES,
  saveSettingsInputSchema,
  storedDataControlsSchema,
  storedSettingsSchema,
} from '../../../src/config/schema';

/** A complete `saveSettings` payload without data controls (as saved before they existed). */
const validInput = (): SaveSettingsInput => ({
  xray: { clientId: 'DEMO-CLIENT-ID', region: 'global', tier: 'standard' },
  sqai: { endpoint: 'https://api.sqai-suite.com/' },
  sync: { enabled: true, requirementIssueTypes: [], includeRemoteLinks: true, includeTestRuns: false },
  secrets: { xrayClientSecret: 'xray-secret-value-1', sqaiToken: 'sqai-token-value-1' },
});

const controls = (patch: Partial<DataControlsDto> = {}): DataControlsDto => ({
  ...defaultDataControls(),
  ...patch,
});
const withPatterns = (customPatterns: DataControlsDto['redaction']['customPatterns']): DataControlsDto =>
  controls({ redaction: { ...defaultDataControls().redaction, customPatterns } });

/** The field errors of a save carrying `dataControls`, as the resolver answers them. */
function saveErrors(dataControls: unknown): Record<string, string> {
  const parsed = saveSettingsInputSchema.safeParse({ ...validInput(), dataControls });
  if (parsed.success) throw new Error('expected a validation error');
  return fieldErrorsOf(parsed.error);
}

describe('defaultDataControls', () => {
  it('lets everything leave: every source, every field, every detector on, no patterns, 90 days', () => {
    const defaults = defaultDataControls();
    expect(Object.entries(defaults.sources)).toEqual(CONTEXT_SOURCES.map((source) => [source, true]));
    expect(defaults.fields).toEqual([...REQUIREMENT_FIELDS]);
    expect(Object.entries(defaults.redaction.detectors)).toEqual(REDACTION_KINDS.map((kind) => [kind, true]));
    expect(defaults.redaction.customPatterns).toEqual([]);
    expect(defaults.auditRetentionDays).toBe(90);
    expect(dataControlsSchema.parse(defaults)).toEqual(defaults);
  });

  it('is a fresh value each time (no caller can change another’s defaults)', () => {
    const first = defaultDataControls();
    first.sources.description = false;
    first.fields.pop();
    expect(defaultDataControls().sources.description).toBe(true);
    expect(defaultDataControls().fields).toHaveLength(REQUIREMENT_FIELDS.length);
  });
});

describe('stored settings and data controls', () => {
  const storedBase = () => {
    const {
      secrets: _secrets,
      dataControls: _controls,
      ...settings
    } = saveSettingsInputSchema.parse(validInput());
    return { version: 1, ...settings, updatedAt: '2026-12-01T00:00:00.000Z', updatedBy: 'admin' };
  };

  it('reads settings saved before the controls existed as the defaults', () => {
    expect(storedSettingsSchema.parse(storedBase()).dataControls).toEqual(defaultDataControls());
  });

  it('reads a part missing from stored controls as its default, and keeps what was chosen', () => {
    const stored = storedSettingsSchema.parse({
      ...storedBase(),
      dataControls: { sources: { confluence: false }, redaction: { detectors: { email: false } } },
    });
    expect(stored.dataControls.sources).toEqual({ ...defaultDataControls().sources, confluence: false });
    expect(stored.dataControls.redaction.detectors).toEqual({
      ...defaultDataControls().redaction.detectors,
      email: false,
    });
    expect(stored.dataControls.fields).toEqual([...REQUIREMENT_FIELDS]);
    expect(stored.dataControls.redaction.customPatterns).toEqual([]);
    expect(stored.dataControls.auditRetentionDays).toBe(90);
  });

  it('round-trips chosen controls unchanged', () => {
    const chosen = controls({
      sources: { ...defaultDataControls().sources, attachments: false, peopleNames: false },
      fields: ['status', 'labels'],
      redaction: {
        detectors: { ...defaultDataControls().redaction.detectors, phone: false },
        customPatterns: [{ name: 'customer-id', pattern: 'CUST-[0-9]{6}' }],
      },
      auditRetentionDays: 30,
    });
    const saved = dataControlsSchema.parse(chosen);
    expect(storedDataControlsSchema.parse(JSON.parse(JSON.stringify(saved)))).toEqual(chosen);
  });

  it('reads stored patterns by shape only: a record stays readable whatever the pattern check says later', () => {
    const stored = storedDataControlsSchema.parse({
      ...defaultDataControls(),
      redaction: {
        ...defaultDataControls().redaction,
        customPatterns: [{ name: 'legacy', pattern: '(a+)+$' }],
      },
    });
    expect(stored.redaction.customPatterns).toEqual([{ name: 'legacy', pattern: '(a+)+$' }]);
  });
});

describe('saveSettingsInputSchema with data controls', () => {
  it('accepts a save without data controls (absent: keep what is stored)', () => {
    expect(saveSettingsInputSchema.parse(validInput()).dataControls).toBeUndefined();
  });

  it('accepts the DTO the page sends, by type as well as by value', () => {
    const input: SaveSettingsInput = {
      ...validInput(),
      dataControls: withPatterns([{ name: 'order-no', pattern: 'ORD\\d{8}' }]),
    };
    expect(saveSettingsInputSchema.parse(input).dataControls).toEqual(input.dataControls);
  });

  it('keeps each field once, in the list’s order', () => {
    const parsed = dataControlsSchema.parse(controls({ fields: ['url', 'status', 'url', 'labels'] }));
    expect(parsed.fields).toEqual(['status', 'labels', 'url']);
    expect(dataControlsSchema.parse(controls({ fields: [] })).fields).toEqual([]);
  });

  it('trims a pattern’s name but never its pattern', () => {
    const parsed = dataControlsSchema.parse(withPatterns([{ name: ' ticket ', pattern: ' T-\\d{1,9} ' }]));
    expect(parsed.redaction.customPatterns).toEqual([{ name: 'ticket', pattern: ' T-\\d{1,9} ' }]);
  });

  it('refuses every part that is missing, with its path', () => {
    const { sources: _s, fields: _f, redaction: _r, auditRetentionDays: _d, ...none } = defaultDataControls();
    expect(Object.keys(saveErrors(none)).sort()).toEqual([
      'dataControls.auditRetentionDays',
      'dataControls.fields',
      'dataControls.redaction',
      'dataControls.sources',
    ]);
    const { linkedIssues: _l, ...sources } = defaultDataControls().sources;
    expect(saveErrors(controls({ sources: sources as DataControlsDto['sources'] }))).toEqual({
      'dataControls.sources.linkedIssues': 'Choose on or off.',
    });
  });

  it('refuses unknown sources, detectors and keys instead of storing them', () => {
    expect(saveErrors({ ...controls(), sources: { ...controls().sources, comments: true } })).toEqual({
      'dataControls.sources': 'Unknown field(s): comments',
    });
    expect(
      saveErrors({
        ...controls(),
        redaction: { ...controls().redaction, detectors: { ...controls().redaction.detectors, ssn: true } },
      }),
    ).toEqual({ 'dataControls.redaction.detectors': 'Unknown field(s): ssn' });
    expect(saveErrors({ ...controls(), extra: 1 })).toEqual({ dataControls: 'Unknown field(s): extra' });
    expect(saveErrors(withPatterns([{ name: 'a', pattern: 'x', flags: 'i' } as never]))).toEqual({
      'dataControls.redaction.customPatterns.0': 'Unknown field(s): flags',
    });
  });

  it('refuses wrong types field by field', () => {
    expect(saveErrors({ ...controls(), sources: { ...controls().sources, description: 'off' } })).toEqual({
      'dataControls.sources.description': 'Choose on or off.',
    });
    expect(saveErrors({ ...controls(), fields: ['status', 'summary'] })).toEqual({
      'dataControls.fields.1': 'Choose fields from the list.',
    });
    expect(saveErrors({ ...controls(), fields: 'status' })).toEqual({
      'dataControls.fields': 'Send the fields as a list.',
    });
    expect(saveErrors({ ...controls(), redaction: { ...controls().redaction, customPatterns: {} } })).toEqual(
      {
        'dataControls.redaction.customPatterns': 'Send the patterns as a list.',
      },
    );
  });

  it.each([
    [0, 'Keep entries for 1 to 365 days.'],
    [366, 'Keep entries for 1 to 365 days.'],
    [-5, 'Keep entries for 1 to 365 days.'],
    [30.5, 'Enter a whole number of days.'],
    ['90', 'Enter a number of days.'],
    [null, 'Enter a number of days.'],
  ])('refuses an audit retention of %p days', (days, message) => {
    expect(saveErrors({ ...controls(), auditRetentionDays: days })).toEqual({
      'dataControls.auditRetentionDays': message,
    });
  });

  it.each([1, 365])('accepts an audit retention of %p days', (days) => {
    expect(dataControlsSchema.parse(controls({ auditRetentionDays: days })).auditRetentionDays).toBe(days);
  });

  it('refuses more than 20 custom patterns', () => {
    const patterns = Array.from({ length: 21 }, (_, index) => ({
      name: `p${index}`,
      pattern: `X${index}-\\d+`,
    }));
    expect(saveErrors(withPatterns(patterns))).toEqual({
      'dataControls.redaction.customPatterns': 'Add at most 20 patterns.',
    });
    expect(dataControlsSchema.safeParse(withPatterns(patterns.slice(0, 20))).success).toBe(true);
  });

  it.each([
    ['', 'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.'],
    ['Customer', 'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.'],
    ['customer_id', 'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.'],
    ['a'.repeat(31), 'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.'],
    ['email', 'That is the name of a built-in detector; choose another.'],
    ['paymentcard', 'That is the name of a built-in detector; choose another.'],
    ['ip-address', 'That is the name of a built-in detector; choose another.'],
  ])('refuses the pattern name %p', (name, message) => {
    expect(saveErrors(withPatterns([{ name, pattern: 'X-\\d+' }]))).toEqual({
      'dataControls.redaction.customPatterns.0.name': message,
    });
  });

  it('reserves every built-in detector’s name, as written and with dashes', () => {
    expect([...RESERVED_PATTERN_NAMES].sort()).toEqual(
      ['email', 'phone', 'paymentcard', 'payment-card', 'iban', 'ipaddress', 'ip-address', 'token'].sort(),
    );
  });

  it('refuses two patterns with one name, on the second', () => {
    expect(
      saveErrors(
        withPatterns([
          { name: 'ticket', pattern: 'T-\\d+' },
          { name: 'other', pattern: 'O-\\d+' },
          { name: 'ticket', pattern: 'U-\\d+' },
        ]),
      ),
    ).toEqual({
      'dataControls.redaction.customPatterns.2.name': 'Another pattern has this name; names must differ.',
    });
  });

  it.each([
    ['(a+)+$', /backtrack|hang/i],
    ['(x|x)*y', /backtrack|hang/i],
    ['[', /./],
    ['a*', /empty/i],
  ])('refuses the pattern %p with the checker’s reason', (pattern, reason) => {
    const errors = saveErrors(withPatterns([{ name: 'bad', pattern }]));
    expect(Object.keys(errors)).toEqual(['dataControls.redaction.customPatterns.0.pattern']);
    expect(errors['dataControls.redaction.customPatterns.0.pattern']).toMatch(reason);
  });

  it('refuses an empty pattern and one over 500 characters', () => {
    expect(saveErrors(withPatterns([{ name: 'empty', pattern: '' }]))).toEqual({
      'dataControls.redaction.customPatterns.0.pattern': 'Enter a pattern.',
    });
    expect(saveErrors(withPatterns([{ name: 'long', pattern: 'x'.repeat(501) }]))).toEqual({
      'dataControls.redaction.customPatterns.0.pattern': 'A pattern is at most 500 characters.',
    });
  });
});

describe('checkRedactionPatternInputSchema', () => {
  const errorsOf = (payload: unknown) => {
    const parsed = checkRedactionPatternInputSchema.safeParse(payload);
    if (parsed.success) throw new Error('expected a validation error');
    return fieldErrorsOf(parsed.error);
  };

  it('accepts a pattern with or without a sample', () => {
    expect(checkRedactionPatternInputSchema.parse({ pattern: 'X' })).toEqual({ pattern: 'X' });
    expect(checkRedactionPatternInputSchema.parse({ pattern: 'X', sample: 'a X' })).toEqual({
      pattern: 'X',
      sample: 'a X',
    });
  });

  it('refuses a pattern over 500 characters, a sample over 2,000, and anything else', () => {
    expect(errorsOf({ pattern: 'x'.repeat(501) })).toEqual({
      pattern: 'A pattern is at most 500 characters.',
    });
    expect(errorsOf({ pattern: 'x', sample: 'a'.repeat(2_001) })).toEqual({
      sample: 'A sample is at most 2,000 characters.',
    });
    expect(errorsOf({})).toEqual({ pattern: 'Enter a pattern.' });
    expect(errorsOf({ pattern: 'x', flags: 'g' })).toEqual({ _form: 'Unknown field(s): flags' });
  });
});
