/**
 * The one fast-check seed of a test run (test/harness/property-seed.ts): fixed unless FC_SEED says
 * otherwise, never silently random, and printed with the way to replay it.
 */
import fc from 'fast-check';
import { DEFAULT_SEED, describeSeed, propertyConfig, seedFrom } from '../../harness/property-seed';

describe('property seed', () => {
  it('is the fixed default unless FC_SEED names another', () => {
    expect(seedFrom({})).toEqual({ seed: DEFAULT_SEED });
    expect(seedFrom({ FC_SEED: '' })).toEqual({ seed: DEFAULT_SEED });
    expect(seedFrom({ FC_SEED: ' -42 ' })).toEqual({ seed: -42 });
    expect(seedFrom({ FC_SEED: '7', FC_PATH: '12:3' })).toEqual({ seed: 7, path: '12:3' });
  });

  it('refuses a seed that is not an integer instead of running with a random one', () => {
    expect(() => seedFrom({ FC_SEED: 'abc' })).toThrow('FC_SEED must be an integer, got "abc"');
    expect(() => seedFrom({ FC_SEED: '1.5' })).toThrow(/integer/);
  });

  it('is what every property of this run uses (set once by the jest setup)', () => {
    expect(fc.readConfigureGlobal().seed).toBe(seedFrom(process.env).seed);
    expect(propertyConfig({ FC_NO_SHRINK: '1' })).toMatchObject({ seed: DEFAULT_SEED, endOnFailure: true });
  });

  it('says how to replay a case', () => {
    expect(describeSeed({ seed: 5, path: '3:1' })).toBe(
      "fast-check seed 5, path 3:1 (replay: FC_SEED=5 FC_PATH=3:1 npx jest <file> -t '<property>')",
    );
  });
});
