/** What the app keeps of SQAI's generated tests: the title of a test as Jira's summary. */
import { parseGeneratedTests } from '../../../src/clients/sqai-schemas';

const test = (id: string, title: string) => ({ id, title, testType: 'Cucumber' });

describe('generated test titles', () => {
  it('drops a Markdown hard-break marker (a lone trailing backslash) SQAI carried over from the description', () => {
    const { valid, invalid } = parseGeneratedTests([
      test('a', 'DEMO-1: scenario 1 — the shopper pays\\'),
      test('b', '  DEMO-1: the user logs in \\  '),
      test('c', 'Windows path C:\\\\'), // an escaped backslash is text, kept
      test('d', '\\'), // nothing left: refused, with the reason
    ]);
    expect(valid.map((generated) => generated.title)).toEqual([
      'DEMO-1: scenario 1 — the shopper pays',
      'DEMO-1: the user logs in',
      'Windows path C:\\\\',
    ]);
    expect(invalid).toEqual([{ index: 3, id: 'd', reason: expect.stringMatching(/^title: /) as unknown }]);
  });
});
