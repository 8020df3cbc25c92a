/**
 * The damage the trust properties apply (test/unit/trust/arbitraries.ts) stays the size it says:
 * regression cases for what fresh seeds of `npm run trust` found in the generators themselves.
 */
import fc from 'fast-check';
import { jsonText, mutate, mutations, answerDamage, pathsOf, type Mutation } from './arbitraries';

const ANSWER = { data: { addTestsToTestPlan: { addedTests: ['10190'], warning: null } } };

/** The index `mutate` picks for `path` among the paths of `value`. */
function at(value: unknown, path: (string | number)[]): number {
  const index = pathsOf(value).findIndex((candidate) => JSON.stringify(candidate) === JSON.stringify(path));
  if (index < 0) throw new Error(`no path ${JSON.stringify(path)}`);
  return index;
}

describe('trust generators: mutate', () => {
  // Seed 748308910 of "damaged Xray answers › mutations": `fc.constant([[]])` hands every case the
  // same array; damage that put it into an answer and then repeated its items grew that one shared
  // array from case to case (and each copy aliased the same inner array), until case 411 took the
  // jest process past 4 GB of heap.
  it('never changes a damage value it was given, so a shared constant stays as it was', () => {
    const shared: unknown[] = [[]];
    const put: Mutation = {
      at: at(ANSWER, ['data', 'addTestsToTestPlan', 'addedTests']),
      damage: { kind: 'replace', value: shared },
    };
    const once = mutate(ANSWER, [put]);
    const inner = ['data', 'addTestsToTestPlan', 'addedTests'];
    const repeat: Mutation = { at: at(once, inner), damage: { kind: 'repeat', times: 50 } };
    const damaged = mutate(ANSWER, [put, repeat]) as typeof ANSWER;
    expect(shared).toEqual([[]]);
    expect(damaged.data.addTestsToTestPlan.addedTests).toHaveLength(51);
    expect(ANSWER.data.addTestsToTestPlan.addedTests).toEqual(['10190']);
  });

  it('repeats an item as copies, so later damage to one copy leaves the others alone', () => {
    const value = { list: [{ steps: [1] }] };
    const repeated = mutate(value, [{ at: at(value, ['list']), damage: { kind: 'repeat', times: 3 } }]) as {
      list: { steps: number[] }[];
    };
    const grown = mutate(repeated, [
      { at: at(repeated, ['list', 0, 'steps']), damage: { kind: 'repeat', times: 100 } },
    ]) as { list: { steps: number[] }[] };
    expect(grown.list.map((item) => item.steps.length)).toEqual([101, 1, 1, 1]);
  });

  it('keeps a damaged answer within a bound that adds up: ≤ 4 damages of ≤ 120 repeats (seed printed)', () => {
    const answer = {
      data: { getTests: { results: [{ issueId: '1', steps: [{ action: 'a' }], jira: { key: 'K-1' } }] } },
    };
    const limit = jsonText(answer).length * (1 + 4 * 120) + 4 * 10_000;
    fc.assert(
      fc.property(mutations(answerDamage, 4), (changes) => {
        expect(jsonText(mutate(answer, changes)).length).toBeLessThan(limit);
      }),
      { numRuns: 2_000 },
    );
  });
});
