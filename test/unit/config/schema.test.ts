import type { z } from 'zod';
import type { SaveSettingsInput } from '../../../src/api';
import { fieldErrorsOf, saveSettingsInputSchema, storedSettingsSchema } from '../../../src/config/schema';

export function validInput(overrides: Partial<SaveSettingsInput> = {}): SaveSettingsInput {
  return {
    xray: { clientId: 'DEMO-CLIENT-ID', region: 'global', tier: 'standard' },
    sqai: { endpoint: 'https://api.sqai-suite.com/' },
    keyExpiresOn: '2027-06-30',
    sync: {
      enabled: true,
      requirementIssueTypes: ['Story', 'Story', 'Epic'],
      includeRemoteLinks: true,
      includeTestRuns: false,
    },
    secrets: { xrayClientSecret: 'xray-secret-value-1', sqaiToken: 'sqai-token-value-1' },
    ...overrides,
  };
}

const errorsOf = (input: unknown) => {
  const parsed = saveSettingsInputSchema.safeParse(input);
  if (parsed.success) throw new Error('expected a validation error');
  return fieldErrorsOf(parsed.error);
};

/** Type-checked: the schema's input accepts every DTO the UI may send (tsc fails here otherwise). */
const asSchemaInput = (input: SaveSettingsInput): z.input<typeof saveSettingsInputSchema> => input;

describe('saveSettingsInputSchema', () => {
  it('accepts the DTO the UI sends, by type as well as by value', () => {
    expect(saveSettingsInputSchema.safeParse(asSchemaInput(validInput())).success).toBe(true);
  });

  it('accepts a complete payload and normalizes it', () => {
    const parsed = saveSettingsInputSchema.parse(validInput());
    expect(parsed.sqai.endpoint).toBe('https://api.sqai-suite.com');
    expect(parsed.sync.requirementIssueTypes).toEqual(['Story', 'Epic']);
    expect(parsed.keyExpiresOn).toBe('2027-06-30');
  });

  it('treats empty secrets and an empty expiry date as absent', () => {
    const parsed = saveSettingsInputSchema.parse(
      validInput({ keyExpiresOn: '', secrets: { xrayClientSecret: '', sqaiToken: '   ' } }),
    );
    expect(parsed.keyExpiresOn).toBeUndefined();
    expect(parsed.secrets).toEqual({ xrayClientSecret: undefined, sqaiToken: undefined });
  });

  it('reports one message per bad field, keyed by its path', () => {
    const errors = errorsOf({
      ...validInput(),
      xray: { clientId: '', region: 'mars', tier: 'gold' },
      sqai: { endpoint: 'http://10.0.0.1' },
      keyExpiresOn: '2027-02-30',
      secrets: { xrayClientSecret: 'has spaces in it' },
    });
    expect(errors).toEqual({
      'xray.clientId': 'Enter the Xray Client ID.',
      'xray.region': 'Choose one of the Xray regions.',
      'xray.tier': 'Choose Standard or Enterprise.',
      'sqai.endpoint': 'The SQAI endpoint must use https://',
      keyExpiresOn: 'Enter a real calendar date.',
      'secrets.xrayClientSecret': 'The Client Secret has no spaces.',
    });
  });

  it('rejects unknown fields instead of storing them', () => {
    expect(errorsOf({ ...validInput(), projectId: '10001' })).toEqual({
      _form: 'Unknown field(s): projectId',
    });
    expect(errorsOf({ ...validInput(), secrets: { jiraApiToken: 'x' } })).toEqual({
      secrets: 'Unknown field(s): jiraApiToken',
    });
  });

  it('rejects a missing sync block and wrong types', () => {
    const { sync: _sync, ...withoutSync } = validInput();
    expect(errorsOf(withoutSync)).toHaveProperty('sync');
    expect(errorsOf({ ...validInput(), sync: { ...validInput().sync, enabled: 'yes' } })).toHaveProperty([
      'sync.enabled',
    ]);
    expect(errorsOf(null)).toHaveProperty('_form');
  });
});

describe('storedSettingsSchema', () => {
  it('never has a place for a secret', () => {
    const { secrets: _secrets, ...settings } = saveSettingsInputSchema.parse(validInput());
    const stored = storedSettingsSchema.parse({ version: 1, ...settings, updatedAt: 'x', updatedBy: 'y' });
    expect(JSON.stringify(stored)).not.toContain('secret-value');
    expect(JSON.stringify(stored)).not.toContain('token-value');
  });
});
