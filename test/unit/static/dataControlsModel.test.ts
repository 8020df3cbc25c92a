/**
 * The settings page's "What leaves Jira" as form data (static/settings/src/data-controls/model.ts and
 * its place in formModel.ts): stored controls ↔ form, what Save sends, the page's own checks, and the
 * server's field paths landing on the right control.
 */
import type { DataControlsDto, SettingsDto } from '../../../src/api';
import {
  dataControlsDtoOf,
  dataControlsErrorOrder,
  dataControlsFieldOf,
  dataControlsModelOf,
  defaultDataControlsDto,
  patternField,
  patternRowErrorKeys,
  validateDataControls,
  withoutRow,
  type DataControlsModel,
} from '../../../static/settings/src/data-controls/model';
import {
  firstInvalidField,
  formFromSettings,
  hasUnsavedEdits,
  mapServerFieldErrors,
  toSaveInput,
  validateForm,
} from '../../../static/settings/src/formModel';
import { defaultDataControls } from '../../../src/config/schema';

const settings: SettingsDto = {
  xray: { clientId: 'DEMO-CLIENT-ID', region: 'eu', tier: 'enterprise' },
  sqai: { endpoint: 'https://api.sqai-suite.com' },
  sync: { enabled: true, requirementIssueTypes: [], includeRemoteLinks: true, includeTestRuns: true },
};

const chosen = (): DataControlsDto => ({
  sources: { ...defaultDataControlsDto().sources, confluence: false },
  fields: ['status', 'url'],
  redaction: {
    detectors: { ...defaultDataControlsDto().redaction.detectors, ipAddress: false },
    customPatterns: [
      { name: 'customer-id', pattern: 'CUST-[0-9]{6}' },
      { name: 'order', pattern: 'ORD\\d{8}' },
    ],
  },
  auditRetentionDays: 45,
});

const model = (patch: Partial<DataControlsModel> = {}): DataControlsModel => ({
  ...dataControlsModelOf(chosen()),
  ...patch,
});
const set = { xrayClientSecret: 'set', sqaiToken: 'set' } as const;

describe('data controls ↔ form', () => {
  it('the page’s defaults are the server’s', () => {
    expect(defaultDataControlsDto()).toEqual(defaultDataControls());
    expect(dataControlsModelOf(undefined)).toEqual(dataControlsModelOf(defaultDataControls()));
  });

  it('fills the form from stored controls and sends them back unchanged', () => {
    const form = dataControlsModelOf(chosen());
    expect(form.auditRetentionDays).toBe('45');
    expect(form.customPatterns.map(({ name, pattern }) => ({ name, pattern }))).toEqual(
      chosen().redaction.customPatterns,
    );
    expect(new Set(form.customPatterns.map((row) => row.key)).size).toBe(2);
    expect(dataControlsDtoOf(form)).toEqual(chosen());
  });

  it('sends the fields in the list’s order, names trimmed, patterns exactly as typed', () => {
    const dto = dataControlsDtoOf(
      model({
        fields: ['url', 'status', 'labels'],
        customPatterns: [{ key: 'k', name: ' ticket ', pattern: ' T-\\d{1,9} ' }],
        auditRetentionDays: ' 7 ',
      }),
    );
    expect(dto.fields).toEqual(['status', 'labels', 'url']);
    expect(dto.redaction.customPatterns).toEqual([{ name: 'ticket', pattern: ' T-\\d{1,9} ' }]);
    expect(dto.auditRetentionDays).toBe(7);
  });

  it('formFromSettings / toSaveInput carry the controls; without them (settings saved before) none are sent', () => {
    const form = formFromSettings({ ...settings, dataControls: chosen() });
    expect(toSaveInput(form).dataControls).toEqual(chosen());
    expect(formFromSettings(settings).dataControls).toBeUndefined();
    expect(toSaveInput(formFromSettings(settings))).not.toHaveProperty('dataControls');
  });

  it('a changed control is an unsaved edit; the same controls are not', () => {
    const stored = { ...settings, dataControls: chosen() };
    const form = formFromSettings(stored);
    expect(hasUnsavedEdits(form, stored)).toBe(false);
    const off = { ...model(), sources: { ...model().sources, description: false } };
    expect(hasUnsavedEdits({ ...form, dataControls: off }, stored)).toBe(true);
  });

  it('withoutRow removes exactly one row', () => {
    const rows = model().customPatterns;
    expect(withoutRow(rows, 0)).toEqual([rows[1]]);
    expect(withoutRow(rows, 5)).toEqual(rows);
  });
});

describe('validateDataControls', () => {
  it('accepts stored controls and the defaults', () => {
    expect(validateDataControls(model())).toEqual({});
    expect(validateDataControls(dataControlsModelOf(undefined))).toEqual({});
  });

  it('names each bad row’s field, in the server’s paths', () => {
    const errors = validateDataControls(
      model({
        customPatterns: [
          { key: 'a', name: '', pattern: 'X' },
          { key: 'b', name: 'Customer', pattern: '' },
          { key: 'c', name: 'email', pattern: 'x'.repeat(501) },
          { key: 'd', name: 'dup', pattern: 'D' },
          { key: 'e', name: 'dup', pattern: 'E' },
          { key: 'f', name: 'payment-card', pattern: 'P' },
        ],
      }),
    );
    expect(errors).toEqual({
      [patternField(0, 'name')]: 'Enter a name.',
      [patternField(1, 'name')]: 'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.',
      [patternField(1, 'pattern')]: 'Enter a pattern.',
      [patternField(2, 'name')]: 'That is the name of a built-in detector; choose another.',
      [patternField(2, 'pattern')]: 'A pattern is at most 500 characters.',
      [patternField(4, 'name')]: 'Another pattern has this name; names must differ.',
      [patternField(5, 'name')]: 'That is the name of a built-in detector; choose another.',
    });
  });

  it('refuses more than 20 patterns', () => {
    const rows = Array.from({ length: 21 }, (_, index) => ({
      key: `${index}`,
      name: `p${index}`,
      pattern: 'X',
    }));
    expect(validateDataControls(model({ customPatterns: rows }))).toEqual({
      'dataControls.redaction.customPatterns': 'Add at most 20 patterns.',
    });
  });

  it.each(['', '0', '366', '1.5', 'abc', '-3'])('refuses an audit retention typed as %p', (typed) => {
    expect(validateDataControls(model({ auditRetentionDays: typed }))).toEqual({
      'dataControls.auditRetentionDays': 'Keep entries for 1 to 365 days (a whole number).',
    });
  });

  it('validateForm includes the data controls’ errors, and the first one gets the focus after the others', () => {
    const form = {
      ...formFromSettings({ ...settings, dataControls: chosen() }),
      dataControls: model({
        customPatterns: [
          { key: 'a', name: 'ok', pattern: 'X' },
          { key: 'b', name: 'Bad', pattern: '' },
        ],
        auditRetentionDays: '0',
      }),
    };
    const errors = validateForm(form, set);
    expect(Object.keys(errors).sort()).toEqual(
      ['dataControls.auditRetentionDays', patternField(1, 'name'), patternField(1, 'pattern')].sort(),
    );
    expect(firstInvalidField(errors)).toBe(patternField(1, 'name'));
    expect(firstInvalidField({ ...errors, clientId: 'Enter the Xray Client ID.' })).toBe('clientId');
  });
});

describe('server field errors → controls', () => {
  it('maps every data controls path onto its control', () => {
    expect(dataControlsFieldOf('dataControls.sources.linkedIssues')).toBe('dataControls.sources');
    expect(dataControlsFieldOf('dataControls.fields.2')).toBe('dataControls.fields');
    expect(dataControlsFieldOf('dataControls.redaction.detectors')).toBe('dataControls.redaction.detectors');
    expect(dataControlsFieldOf('dataControls.redaction.customPatterns.3.pattern')).toBe(
      patternField(3, 'pattern'),
    );
    expect(dataControlsFieldOf('dataControls.redaction.customPatterns.3')).toBe(
      'dataControls.redaction.customPatterns',
    );
    expect(dataControlsFieldOf('dataControls.redaction')).toBe('dataControls');
    expect(dataControlsFieldOf('dataControls.auditRetentionDays')).toBe('dataControls.auditRetentionDays');
    expect(dataControlsFieldOf('sync.enabled')).toBeUndefined();
    expect(dataControlsFieldOf('dataControlsX')).toBeUndefined();
  });

  it('mapServerFieldErrors puts them on the fields, beside the other settings’', () => {
    const mapped = mapServerFieldErrors({
      'sqai.endpoint': 'The SQAI endpoint must use https://',
      'dataControls.redaction.customPatterns.1.pattern': 'The pattern could backtrack catastrophically.',
      'dataControls.auditRetentionDays': 'Keep entries for 1 to 365 days.',
    });
    expect(mapped).toEqual({
      fields: {
        sqaiEndpoint: 'The SQAI endpoint must use https://',
        [patternField(1, 'pattern')]: 'The pattern could backtrack catastrophically.',
        'dataControls.auditRetentionDays': 'Keep entries for 1 to 365 days.',
      },
      form: [],
    });
    expect(firstInvalidField(mapped.fields)).toBe('sqaiEndpoint');
  });

  it('orders the controls’ errors as the page shows them (rows by number, name before pattern)', () => {
    expect(
      dataControlsErrorOrder([
        'dataControls.auditRetentionDays',
        patternField(10, 'name'),
        patternField(2, 'pattern'),
        patternField(2, 'name'),
        'dataControls.sources',
      ]),
    ).toEqual([
      'dataControls.sources',
      patternField(2, 'name'),
      patternField(2, 'pattern'),
      patternField(10, 'name'),
      'dataControls.auditRetentionDays',
    ]);
  });

  it('patternRowErrorKeys lists every row’s errors (cleared when rows move)', () => {
    expect(
      patternRowErrorKeys({
        [patternField(0, 'name')]: 'x',
        'dataControls.redaction.customPatterns': 'y',
        clientId: 'z',
      }),
    ).toEqual([patternField(0, 'name')]);
  });
});
