import { parseGeneratedTests } from '../../../src/clients/sqai-schemas';
import { gherkinProblems } from '../../../src/generate/gherkin';
import { reviewProposals } from '../../../src/generate/proposals';
import { similarity } from '../../../src/generate/similarity';

const TYPES = [
  { name: 'Manual', kind: 'Steps' },
  { name: 'Cucumber', kind: 'Gherkin' },
  { name: 'Generic', kind: 'Unstructured' },
];

const manual = (id: string, title: string, steps = [{ action: 'Open the basket', result: 'It opens' }]) => ({
  id,
  title,
  testType: 'Manual',
  steps,
});

describe('reviewProposals', () => {
  it('maps test types case-insensitively and keeps each kind’s definition only', () => {
    const [steps, gherkin, generic] = reviewProposals({
      tests: [
        { ...manual('a', 'Apply a code'), gherkin: 'ignored' },
        {
          id: 'b',
          title: 'Scenario',
          testType: 'cucumber',
          gherkin: 'Scenario: x\n  Given a\n  When b\n  Then c',
        },
        { id: 'c', title: 'Load', testType: 'GENERIC', definition: 'k6 run' },
      ],
      projectTestTypes: TYPES,
      known: [],
    });
    expect(steps).toMatchObject({ testType: 'Manual', kind: 'Steps', problems: [], selectedByDefault: true });
    expect(steps?.gherkin).toBeUndefined();
    expect(gherkin).toMatchObject({ testType: 'Cucumber', kind: 'Gherkin', problems: [] });
    expect(generic).toMatchObject({ testType: 'Generic', definition: 'k6 run', problems: [] });
    expect(steps?.labels).toEqual(['sqai-generated']);
  });

  it('explains what makes a proposal impossible to create, and does not select it', () => {
    const proposals = reviewProposals({
      tests: [
        { id: 'a', title: 'No steps', testType: 'Manual', steps: [] },
        manual('b', 'Blank action', [
          { action: 'Open', result: 'ok' },
          { action: '  ', result: 'x' },
        ]),
        { id: 'c', title: 'Broken Gherkin', testType: 'Cucumber', gherkin: 'Scenario: x\n  Gvien a\n' },
        { id: 'd', title: 'Empty generic', testType: 'Generic', definition: '' },
        { id: 'e', title: 'Unknown type', testType: 'Robot', steps: [{ action: 'x' }] },
      ],
      projectTestTypes: TYPES,
      known: [],
    });
    expect(proposals.map((proposal) => proposal.problems[0])).toEqual([
      'Manual (Steps) tests need at least one step.',
      'Step 2 has no action.',
      'Scenario “x” has no steps.',
      'Generic (Unstructured) tests need a definition.',
      expect.stringMatching(
        /test type “Robot”, which this project does not have \(Manual, Cucumber, Generic\)/,
      ),
    ]);
    expect(proposals[2]?.problems[1]).toMatch(/not Given\/When\/Then steps: “Gvien a”/);
    expect(proposals.every((proposal) => !proposal.selectedByDefault)).toBe(true);
  });

  it('flags likely duplicates of existing tests and of each other, deselected by default', () => {
    const proposals = reviewProposals({
      tests: [
        manual('a', 'DEMO-3: verify an expired discount code is refused', [
          { action: 'Apply the code BF2025', result: 'This code has expired' },
        ]),
        manual('b', 'Free shipping code removes the shipping cost', [
          { action: 'Apply SHIP0', result: 'Shipping is free' },
        ]),
        manual('c', 'Free shipping code removes the shipping costs', [
          { action: 'Apply SHIP0', result: 'Shipping is free' },
        ]),
      ],
      projectTestTypes: TYPES,
      known: [
        {
          key: 'DEMO-42',
          summary: 'Expired discount code is refused',
          text: 'Apply the code BF2025 This code has expired',
        },
      ],
    });
    expect(proposals[0]?.duplicateOf).toMatchObject({ key: 'DEMO-42' });
    expect(proposals[0]?.selectedByDefault).toBe(false);
    expect(proposals[1]?.duplicateOf).toBeUndefined();
    expect(proposals[2]?.duplicateOf?.summary).toBe('Free shipping code removes the shipping cost');
  });

  it('keeps titles verbatim (markup is the UI’s job to show as text)', () => {
    const [proposal] = reviewProposals({
      tests: [manual('x', '<img src=x onerror=alert(1)> works')],
      projectTestTypes: TYPES,
      known: [],
    });
    expect(proposal?.title).toBe('<img src=x onerror=alert(1)> works');
  });
});

describe('gherkinProblems', () => {
  it('accepts a bare scenario, a feature, and an outline with examples', () => {
    expect(gherkinProblems('Scenario: a\n  Given x\n  When y\n  Then z')).toEqual([]);
    expect(gherkinProblems('Feature: f\n  Scenario: a\n    Given x\n    Then z')).toEqual([]);
    expect(
      gherkinProblems('Scenario Outline: a\n  Given <x>\n  Then ok\n  Examples:\n    | x |\n    | 1 |'),
    ).toEqual([]);
  });

  it('reports empty, step-less, unparseable and example-less Gherkin', () => {
    expect(gherkinProblems('   ')).toEqual(['Cucumber tests need Gherkin: the scenario is empty.']);
    expect(gherkinProblems('Scenario: a')).toEqual(['Scenario “a” has no steps.']);
    expect(gherkinProblems('Given x\nWhen y')[0]).toMatch(/does not parse|no Scenario/);
    expect(gherkinProblems('Scenario Outline: a\n  Given <x>')).toContain(
      'Scenario Outline “a” has no Examples.',
    );
  });
});

describe('parseGeneratedTests', () => {
  it('keeps valid tests and explains the rest, one by one', () => {
    const parsed = parseGeneratedTests([
      manual('a', 'Fine'),
      { id: 'b', title: '', testType: 'Manual' },
      { title: 'No id', testType: 'Manual' },
      manual('a', 'Same id again'),
      { id: 'c', title: 'Huge', testType: 'Manual', steps: [{ action: 'x'.repeat(5_000) }] },
      'not even an object',
    ]);
    expect(parsed.valid.map((test) => test.id)).toEqual(['a']);
    expect(parsed.invalid.map((entry) => entry.index)).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.invalid[2]?.reason).toMatch(/same id appears twice/);
  });
});

describe('similarity', () => {
  it('is 1 for the same test and low for unrelated ones', () => {
    expect(similarity({ title: 'Apply a code', body: 'x y' }, { title: 'Apply a code', body: 'x y' })).toBe(
      1,
    );
    expect(
      similarity({ title: 'Reset password by email', body: '' }, { title: 'Export orders to CSV', body: '' }),
    ).toBe(0);
  });
});
