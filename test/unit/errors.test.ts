import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppError,
  defaultWording,
  hasCode,
  toErrorDto,
  wrongRegionError,
  withPurpose,
} from '../../src/errors';
import type { ErrorCode } from '../../src/api';
import { ERROR_CODES } from './trust/arbitraries';

/** Every code of the taxonomy (its list in ./trust/arbitraries.ts fails typecheck when a code is missing). */
const ALL_CODES = [...ERROR_CODES] as ErrorCode[];

describe('error taxonomy', () => {
  it('gives every code its own message and its own remedy, each a whole sentence', () => {
    const wordings = ALL_CODES.map((code) => defaultWording(code));
    expect(new Set(wordings.map((wording) => wording.message)).size).toBe(ALL_CODES.length);
    expect(new Set(wordings.map((wording) => wording.remedy)).size).toBe(ALL_CODES.length);
    for (const wording of wordings) {
      expect(wording.message).toMatch(/^[A-Z].*\.$/);
      expect(wording.remedy).toMatch(/^[A-Z].*\.$/);
      expect(wording.remedy).not.toContain(wording.message);
    }
  });

  it('answers with a status of the right class: 4xx for what the caller fixes, 5xx for an upstream or the app', () => {
    const upstreamOrApp: ErrorCode[] = ['XRAY_API_ERROR', 'SQAI_UNREACHABLE', 'SQAI_REJECTED', 'INTERNAL'];
    for (const code of ALL_CODES) {
      const { status } = defaultWording(code);
      if (code === 'KEY_EXPIRING')
        expect(status).toBe(200); // a warning: the key still works
      else if (upstreamOrApp.includes(code)) expect(status).toBeGreaterThanOrEqual(500);
      else expect(status >= 400 && status < 500).toBe(true);
    }
  });

  it('names every titled message in the README troubleshooting table, so an admin can look it up', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const troubleshooting = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Develop'));
    for (const code of ALL_CODES) {
      const title = defaultWording(code).message.split(' — ')[0] ?? '';
      if (title === defaultWording(code).message) continue; // untitled (VALIDATION, INTERNAL)
      expect({
        code,
        listed: troubleshooting.includes(`**${title}`) || troubleshooting.includes(`/ ${title}`),
      }).toEqual({
        code,
        listed: true,
      });
    }
  });

  it('uses the integration guide wording for the troubleshooting table', () => {
    expect(defaultWording('JIRA_UNAUTHORIZED').message).toMatch(/^Jira Unauthorized/);
    expect(defaultWording('PROJECT_NOT_FOUND').message).toMatch(/^Cannot Find Project/);
    expect(defaultWording('XRAY_AUTH_FAILED').message).toMatch(/^Xray API Error/);
    expect(defaultWording('KEY_EXPIRED').message).toMatch(/^Token Expired/);
  });

  it('maps unknown errors to INTERNAL without leaking their text', () => {
    const dto = toErrorDto(new Error('db password=hunter2 exploded'));
    expect(dto).toEqual({
      code: 'INTERNAL',
      message: defaultWording('INTERNAL').message,
      remedy: defaultWording('INTERNAL').remedy,
    });
  });

  it('never exposes the cause of an AppError', () => {
    const dto = toErrorDto(new AppError('XRAY_AUTH_FAILED', { cause: 'client_secret=abc' }));
    expect(JSON.stringify(dto)).not.toContain('abc');
  });

  it('names the working region for XRAY_WRONG_REGION', () => {
    const dto = toErrorDto(wrongRegionError('eu'));
    expect(dto.code).toBe('XRAY_WRONG_REGION');
    expect(dto.suggestedRegion).toBe('eu');
    expect(dto.message).toContain('European Union');
  });

  it('prefixes purposes and offers predicates', () => {
    const error = withPurpose('PROJECT_NOT_FOUND', 'Failed to read project DEMO');
    expect(error.message).toMatch(/^Failed to read project DEMO: Cannot Find Project/);
    expect(hasCode(error, 'PROJECT_NOT_FOUND', 'FORBIDDEN')).toBe(true);
    expect(hasCode(new Error('x'), 'INTERNAL')).toBe(false);
  });
});
