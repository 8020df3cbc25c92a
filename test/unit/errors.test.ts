import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppError,
  askAnAdmin,
  asksAnAdmin,
  defaultWording,
  errorFor,
  hasCode,
  toErrorDto,
  wrongRegionError,
  withPurpose,
} from '../../src/errors';
import { ERROR_CODES, type ErrorCode } from '../../src/api';

const ALL_CODES: readonly ErrorCode[] = ERROR_CODES;
const ADMIN = { projectAdmin: true };
const TESTER = { projectAdmin: false };

describe('error taxonomy', () => {
  it('gives every code its own message and its own remedy, each a whole sentence', () => {
    const wordings = ALL_CODES.map((code) => defaultWording(code));
    expect(new Set(wordings.map((wording) => wording.message)).size).toBe(ALL_CODES.length);
    expect(new Set(wordings.map((wording) => wording.remedy)).size).toBe(ALL_CODES.length);
    for (const wording of wordings) {
      expect(wording.message).toMatch(/^[A-Z].*\.$/);
      expect(wording.detail).toMatch(/^[A-Z].*\.$/);
      expect(wording.remedy).toMatch(/^[A-Z].*\.$/);
      expect(wording.remedy).not.toContain(wording.message);
    }
  });

  it('gives every code a short title (a few words, no sentence) that its message starts with', () => {
    for (const code of ALL_CODES) {
      const { title, message } = defaultWording(code);
      expect({ code, words: title.split(' ').length <= 4, sentence: /[.:—]/.test(title) }).toEqual({
        code,
        words: true,
        sentence: false,
      });
      if (code !== 'VALIDATION' && code !== 'INTERNAL') expect(message.startsWith(`${title} — `)).toBe(true);
    }
  });

  it('answers with a status of the right class: 4xx for what the caller fixes, 5xx for an upstream or the app', () => {
    const upstreamOrApp: ErrorCode[] = [
      'JIRA_UNAVAILABLE',
      'XRAY_API_ERROR',
      'SQAI_UNREACHABLE',
      'SQAI_REJECTED',
      'INTERNAL',
    ];
    for (const code of ALL_CODES) {
      const { status } = defaultWording(code);
      if (code === 'KEY_EXPIRING')
        expect(status).toBe(200); // a warning: the key still works
      else if (upstreamOrApp.includes(code)) expect(status).toBeGreaterThanOrEqual(500);
      else expect(status >= 400 && status < 500).toBe(true);
    }
  });

  it('names every title in the README troubleshooting table, so an admin can look it up', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const troubleshooting = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Develop'));
    for (const code of ALL_CODES) {
      if (code === 'VALIDATION' || code === 'INTERNAL') continue; // field errors; a bug
      const { title } = defaultWording(code);
      expect({
        code,
        listed: troubleshooting.includes(`**${title}`) || troubleshooting.includes(`/ ${title}`),
      }).toEqual({ code, listed: true });
    }
  });

  it('uses the integration guide wording for titles, and "Xray API key" for the key', () => {
    expect(defaultWording('JIRA_UNAUTHORIZED').title).toBe('Jira Unauthorized');
    expect(defaultWording('PROJECT_NOT_FOUND').title).toBe('Cannot Find Project');
    expect(defaultWording('XRAY_AUTH_FAILED').message).toMatch(/^Xray API Error — /);
    expect(defaultWording('KEY_EXPIRED').title).toBe('Xray API Key Expired');
    expect(defaultWording('KEY_EXPIRING').title).toBe('Xray API Key Expiring');
    for (const code of ALL_CODES) {
      const { message, remedy } = defaultWording(code);
      expect(`${message} ${remedy}`).not.toMatch(/\btoken expir|\bthe key\b/i);
      expect(`${message} ${remedy}`).not.toMatch(/(?<!Xray )\bAPI key/);
    }
  });

  it('says which party failed: Jira unavailable is not the app going wrong', () => {
    const jira = defaultWording('JIRA_UNAVAILABLE');
    expect(jira.title).toBe('Jira Unavailable');
    expect(`${jira.detail} ${jira.remedy}`).not.toMatch(/inside the app/);
    expect(jira.remedy).toMatch(/^Try again/);
  });

  it('maps unknown errors to INTERNAL without leaking their text', () => {
    const dto = toErrorDto(new Error('db password=hunter2 exploded'));
    expect(dto).toEqual({
      code: 'INTERNAL',
      title: 'Unexpected Error',
      detail: defaultWording('INTERNAL').detail,
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
    expect(dto.detail).toMatch(/^This site’s Xray data lives in European Union/);
  });

  it('prefixes purposes and offers predicates', () => {
    const error = withPurpose('PROJECT_NOT_FOUND', 'Failed to read project DEMO');
    expect(error.message).toMatch(/^Failed to read project DEMO: Cannot Find Project — jira does not/i);
    expect(error.detail).toBe(
      'Failed to read project DEMO: Jira does not know this project, or the app cannot see it.',
    );
    expect(error.title).toBe('Cannot Find Project');
    expect(hasCode(error, 'PROJECT_NOT_FOUND', 'FORBIDDEN')).toBe(true);
    expect(hasCode(new Error('x'), 'INTERNAL')).toBe(false);
  });

  it('puts a specific detail after the purpose', () => {
    const error = withPurpose('SQAI_REJECTED', 'Failed to ask SQAI for tests for DEMO-1', {
      detail: 'SQAI answered 404 Not Found for POST /v1/generations.',
    });
    const dto = toErrorDto(error);
    expect(dto.title).toBe('SQAI Rejected');
    expect(dto.detail).toBe(
      'Failed to ask SQAI for tests for DEMO-1: SQAI answered 404 Not Found for POST /v1/generations.',
    );
    expect(dto.message).toBe(
      'Failed to ask SQAI for tests for DEMO-1: SQAI Rejected — SQAI answered 404 Not Found for POST /v1/generations.',
    );
  });

  it('takes the detail of a "Title — detail" message without repeating the title', () => {
    const error = new AppError('FORBIDDEN', { message: 'Forbidden — the call carries no site.' });
    expect(toErrorDto(error)).toMatchObject({
      title: 'Forbidden',
      detail: 'The call carries no site.',
      message: 'Forbidden — the call carries no site.',
    });
    // A message without a known title is the detail as it is.
    const own = new AppError('VALIDATION', { message: 'Nothing is being created.' });
    expect(toErrorDto(own)).toMatchObject({ title: 'Needs Attention', detail: 'Nothing is being created.' });
  });
});

describe('remedies for the reader', () => {
  const CONFIGURATION: ErrorCode[] = [
    'XRAY_AUTH_FAILED',
    'XRAY_WRONG_REGION',
    'KEY_EXPIRED',
    'KEY_EXPIRING',
    'SQAI_UNREACHABLE',
    'SQAI_UNAUTHORIZED',
    'SQAI_REJECTED',
    'EGRESS_NOT_ALLOWED',
    'NOT_CONFIGURED',
  ];

  it.each(CONFIGURATION)(
    '%s: an admin is told what to change, anyone else to ask a project admin',
    (code) => {
      const error = new AppError(code);
      const forAdmin = toErrorDto(error, ADMIN).remedy;
      const forTester = toErrorDto(error, TESTER).remedy;
      expect(forAdmin).toBe(defaultWording(code).remedy);
      expect(forAdmin).not.toMatch(/ask a project admin/i);
      expect(forTester).toMatch(/ask a project admin to /i);
      expect(forTester).not.toMatch(/ here\b|paste/i);
    },
  );

  it('tells a tester whom to ask, not to check a URL they cannot see', () => {
    const error = withPurpose('SQAI_UNREACHABLE', 'Failed to send DEMO-1 to SQAI');
    expect(toErrorDto(error, TESTER).remedy).not.toMatch(/^Check the SQAI endpoint URL/);
    expect(toErrorDto(error, ADMIN).remedy).toMatch(/^Check the SQAI endpoint URL/);
  });

  it('words an error stored without a reader for the admin, and for whoever reads it later', () => {
    expect(toErrorDto(new AppError('SQAI_UNAUTHORIZED')).remedy).toBe(
      defaultWording('SQAI_UNAUTHORIZED').remedy,
    );
    const stored = {
      code: 'SQAI_UNAUTHORIZED' as const,
      message: 'm',
      remedy: defaultWording('SQAI_UNAUTHORIZED').remedy,
    };
    expect(errorFor(stored, TESTER).remedy).toMatch(/^Ask a project admin to /);
    expect(errorFor(stored, ADMIN)).toBe(stored);
    // A specific remedy (not the code's default) is the same for everyone.
    const specific = { ...stored, remedy: 'Press “Finish creating”.' };
    expect(errorFor(specific, TESTER)).toBe(specific);
  });

  it('keeps a remedy a caller chose for every reader', () => {
    const error = new AppError('SQAI_UNREACHABLE', { remedy: 'Try again in a few minutes.' });
    expect(toErrorDto(error, TESTER).remedy).toBe('Try again in a few minutes.');
    expect(toErrorDto(error, ADMIN).remedy).toBe('Try again in a few minutes.');
  });

  it('names the project lead to a tester when the reader knows who leads the project', () => {
    const tester = { projectAdmin: false, projectLead: 'Priya Product' };
    expect(askAnAdmin()).toBe('a project admin');
    expect(askAnAdmin(TESTER)).toBe('a project admin');
    expect(askAnAdmin(tester)).toBe('a project admin (the project lead is Priya Product)');
    expect(askAnAdmin({ projectAdmin: false, projectLead: '  ' })).toBe('a project admin');
    // Jira's display names are not bounded; a remedy is.
    expect(askAnAdmin({ projectAdmin: false, projectLead: 'P'.repeat(500) }).length).toBeLessThan(120);

    const thrown = new AppError('NOT_CONFIGURED');
    expect(toErrorDto(thrown, tester).remedy).toBe(
      'Ask a project admin (the project lead is Priya Product) to connect it under Project settings → Apps → SQAI Connector for Xray.',
    );
    // An admin reads their own remedy, whoever leads the project.
    expect(toErrorDto(thrown, { projectAdmin: true, projectLead: 'Priya Product' }).remedy).toBe(
      defaultWording('NOT_CONFIGURED').remedy,
    );
    const stored = {
      code: 'SQAI_UNREACHABLE' as const,
      message: 'm',
      remedy: defaultWording('SQAI_UNREACHABLE').remedy,
    };
    expect(errorFor(stored, tester).remedy).toBe(
      'Try again in a few minutes. If it keeps failing, ask a project admin (the project lead is Priya Product) to check the SQAI endpoint URL and that SQAI is up.',
    );
  });

  it('reads a remedy stored for a tester back as the admin’s for an admin', () => {
    const storedForTester = errorFor(
      { code: 'KEY_EXPIRED' as const, message: 'm', remedy: defaultWording('KEY_EXPIRED').remedy },
      TESTER,
    );
    expect(storedForTester.remedy).toMatch(/^Ask a project admin to create a new Xray API key/);
    expect(errorFor(storedForTester, ADMIN).remedy).toBe(defaultWording('KEY_EXPIRED').remedy);
  });

  it('says when a reader is sent to a project admin (only then is Jira asked who leads the project)', () => {
    const config = { code: 'SQAI_UNAUTHORIZED' as const, remedy: defaultWording('SQAI_UNAUTHORIZED').remedy };
    expect(asksAnAdmin(config, TESTER)).toBe(true);
    expect(asksAnAdmin(new AppError('SQAI_UNAUTHORIZED'), TESTER)).toBe(true);
    expect(asksAnAdmin(config, ADMIN)).toBe(false);
    expect(asksAnAdmin({ ...config, remedy: 'Press “Finish creating”.' }, TESTER)).toBe(false);
    expect(asksAnAdmin(new AppError('JIRA_UNAVAILABLE'), TESTER)).toBe(false);
    expect(asksAnAdmin(new AppError('FORBIDDEN'), TESTER)).toBe(false);
  });

  it('fixes an error’s remedy for its reader, keeping everything else', () => {
    const cause = new Error('upstream body');
    const error = withPurpose('SQAI_REJECTED', 'Failed to send DEMO-1 to SQAI', {
      detail: 'SQAI answered 404 Not Found for PUT /v1/contexts/x.',
      cause,
    });
    const worded = error.wordedFor({ projectAdmin: false, projectLead: 'Priya Product' });
    expect(worded).not.toBe(error);
    expect(worded).toMatchObject({
      code: error.code,
      title: error.title,
      detail: error.detail,
      message: error.message,
    });
    expect(worded.cause).toBe(cause);
    // Whoever reads it next (the resolver layer, with the plain reader) reads the named remedy.
    expect(toErrorDto(worded, TESTER).remedy).toMatch(
      /^Ask a project admin \(the project lead is Priya Product\) to check/,
    );
    expect(error.wordedFor(ADMIN)).toBe(error);
    expect(error.wordedFor(TESTER)).not.toBe(error);
  });

  it('gives the same remedy to everyone for what is not configuration', () => {
    for (const code of [
      'JIRA_UNAVAILABLE',
      'RATE_LIMITED',
      'ISSUE_NOT_FOUND',
      'FORBIDDEN',
      'INTERNAL',
    ] as const) {
      expect(toErrorDto(new AppError(code), TESTER).remedy).toBe(
        toErrorDto(new AppError(code), ADMIN).remedy,
      );
    }
  });
});
