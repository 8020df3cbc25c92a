import {
  checkCustomPattern,
  createRedactor,
  customPatternNameProblem,
  defaultRedactionPolicy,
  MAX_SAMPLE_CHARS,
} from '../../../../src/context/redaction';
import { AppError } from '../../../../src/errors';

describe('checkCustomPattern', () => {
  test('a safe pattern is accepted, with the sample redacted and the matches counted', () => {
    expect(checkCustomPattern('CUST-\\d{6}', 'CUST-123456 and CUST-654321 and CUST-123456')).toEqual({
      ok: true,
      redactedSample: '[custom-1] and [custom-2] and [custom-1]',
      matches: 3,
    });
    expect(checkCustomPattern('EMP-[0-9]{4,8}')).toEqual({ ok: true });
    expect(checkCustomPattern('EMP-[0-9]{4,8}', 'no match')).toEqual({
      ok: true,
      redactedSample: 'no match',
      matches: 0,
    });
  });

  test('the placeholder takes the given name', () => {
    expect(checkCustomPattern('[A-Z]{2}\\d{6}', 'id AB123456', 'passport').redactedSample).toBe(
      'id [passport-1]',
    );
  });

  test.each([
    ['(', /not a valid regular expression/],
    ['[a-', /not a valid regular expression/],
    ['a{2,1}', /not a valid regular expression/],
    ['', /empty/],
    ['x'.repeat(501), /longer than 500 characters/],
    ['a*', /empty text/],
    ['(?:x|)', /empty text/],
    ['\\b', /empty text/],
    ['(?=a)', /empty text/],
    ['(a+)+$', /backtrack catastrophically/],
    ['(a|a)*b', /backtrack/],
    ['^(a|b|ab)*c$', /backtrack/],
    ['(\\w+\\s?)+$', /backtrack/],
    ['[a-z]+@corp\\.example', /backtrack/],
  ])('refuses %j with a reason', (pattern, reason) => {
    const result = checkCustomPattern(pattern, 'aaaa');
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(reason);
    expect(result.redactedSample).toBeUndefined();
  });

  test('a catastrophic pattern is refused quickly (bounded analysis)', () => {
    const started = performance.now();
    expect(checkCustomPattern('(x+x+)+y').ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('a catastrophic pattern is refused before it runs on the sample (the sample would hang it)', () => {
    const started = performance.now();
    const result = checkCustomPattern('(a+)+$', `${'a'.repeat(60)}!`);
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/backtrack/) as unknown });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('a sample over the limit is refused', () => {
    expect(checkCustomPattern('a', 'a'.repeat(MAX_SAMPLE_CHARS + 1))).toEqual({
      ok: false,
      problem: `The sample is longer than ${MAX_SAMPLE_CHARS} characters.`,
    });
  });

  test('a pattern matching emptily only in the sample is refused', () => {
    expect(checkCustomPattern('(?<=q)', 'q').ok).toBe(false);
  });

  test('names: lower-case letters, digits and dashes, 1–30 characters, no built-in kind', () => {
    expect(customPatternNameProblem('customer-id')).toBeUndefined();
    expect(customPatternNameProblem('x1')).toBeUndefined();
    for (const bad of ['', 'Customer', 'a_b', 'a b', 'x'.repeat(31), 'émail'])
      expect(customPatternNameProblem(bad)).toMatch(/1 to 30 lower-case/);
    expect(customPatternNameProblem('email')).toMatch(/built-in/);
    expect(customPatternNameProblem('paymentcard')).toMatch(/built-in/);
  });

  test('a redactor refuses a policy carrying a refused pattern (VALIDATION), never running it', () => {
    let thrown: unknown;
    try {
      createRedactor({ ...defaultRedactionPolicy, customPatterns: [{ name: 'bad', pattern: '(a+)+$' }] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('VALIDATION');
    expect((thrown as AppError).message).toMatch(/"bad" is refused: .*backtrack/);
  });
});
