import {
  changeCount,
  diffGherkin,
  diffSteps,
  diffWordsOf,
  sameContent,
  sameStep,
  sideOf,
  type Step,
} from '../../../static/issue-panel/src/living/diff';

const step = (action: string, data: string | null = null, result: string | null = null): Step => ({
  action,
  data,
  result,
});

const steps = (count: number, prefix = 'Step'): Step[] =>
  Array.from({ length: count }, (_, index) =>
    step(`${prefix} ${index + 1}`, `data ${index + 1}`, `ok ${index + 1}`),
  );

describe('diffSteps', () => {
  it('marks every row the same when nothing changed', () => {
    const before = steps(4);
    const rows = diffSteps(
      before,
      before.map((row) => ({ ...row })),
    );
    expect(rows.map((row) => row.change)).toEqual(['same', 'same', 'same', 'same']);
    expect(rows.map((row) => [row.before?.number, row.after?.number])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(changeCount(rows)).toBe(0);
  });

  it('pairs a removed row directly followed by an added one into a changed row, with the fields that differ', () => {
    const before = [
      step('Open the cart'),
      step('Pay', 'card 4242', 'Receipt within 30 days'),
      step('Log out'),
    ];
    const after = [
      step('Open the cart'),
      step('Pay', 'card 4242', 'Receipt within 14 days'),
      step('Log out'),
    ];
    const rows = diffSteps(before, after);
    expect(rows.map((row) => row.change)).toEqual(['same', 'changed', 'same']);
    const changed = rows[1];
    expect(changed?.before?.step.result).toBe('Receipt within 30 days');
    expect(changed?.after?.step.result).toBe('Receipt within 14 days');
    expect(changed?.fields).toEqual({ action: false, data: false, result: true });
  });

  it('keeps unpaired rows of a change as added or removed', () => {
    const before = [step('A'), step('B'), step('C')];
    const after = [step('A'), step('B2'), step('B3'), step('C')];
    const rows = diffSteps(before, after);
    expect(rows.map((row) => row.change)).toEqual(['same', 'changed', 'added', 'same']);
    expect(rows[1]?.fields).toEqual({ action: true, data: false, result: false });
    expect(rows[2]?.after).toEqual({ number: 3, step: step('B3') });
    expect(rows[3]?.before?.number).toBe(3);
    expect(rows[3]?.after?.number).toBe(4);
  });

  it('shows rows only added or only removed', () => {
    expect(diffSteps([step('A')], [step('A'), step('B')]).map((row) => row.change)).toEqual([
      'same',
      'added',
    ]);
    const removed = diffSteps([step('A'), step('B'), step('C')], [step('A'), step('C')]);
    expect(removed.map((row) => row.change)).toEqual(['same', 'removed', 'same']);
    expect(removed[1]?.before).toEqual({ number: 2, step: step('B') });
    expect(removed[1]?.after).toBeUndefined();
    expect(diffSteps([], [step('A')]).map((row) => row.change)).toEqual(['added']);
    expect(diffSteps([step('A')], []).map((row) => row.change)).toEqual(['removed']);
  });

  it('treats absent and empty data / expected result as the same', () => {
    expect(sameStep(step('A', null, null), step('A', '', ''))).toBe(true);
    expect(diffSteps([step('A', null)], [step('A', '')]).map((row) => row.change)).toEqual(['same']);
  });

  it('accounts for every row of both sides, in order', () => {
    const before = steps(30);
    const after = [
      ...before.slice(0, 10),
      step('new'),
      ...before.slice(12, 25).map((row) => ({ ...row, result: 'x' })),
      ...before.slice(25),
    ];
    const rows = diffSteps(before, after);
    const olds = rows.flatMap((row) => (row.before ? [row.before.number] : []));
    const news = rows.flatMap((row) => (row.after ? [row.after.number] : []));
    expect(olds).toEqual(before.map((_, index) => index + 1));
    expect(news).toEqual(after.map((_, index) => index + 1));
  });

  it('diffs 100 steps, a third of them changed, in well under a resolver budget', () => {
    const before = steps(100);
    const after = before.map((row, index) =>
      index % 3 === 0 ? { ...row, result: `${row.result} (now)` } : row,
    );
    const started = performance.now();
    const rows = diffSteps(before, after);
    const took = performance.now() - started;
    expect(rows).toHaveLength(100);
    expect(rows.filter((row) => row.change === 'changed')).toHaveLength(34);
    expect(took).toBeLessThan(500);
  });
});

describe('diffGherkin', () => {
  it('diffs line by line, numbering each side', () => {
    const before = 'Scenario: receipt\n  Given a paid order\n  Then a receipt is sent within 30 days\n';
    const after =
      'Scenario: receipt\n  Given a paid order\n  Then a receipt is sent within 14 days\n  And it lists every item\n';
    const rows = diffGherkin(before, after);
    expect(rows).toEqual([
      { change: 'same', text: 'Scenario: receipt', beforeLine: 1, afterLine: 1 },
      { change: 'same', text: '  Given a paid order', beforeLine: 2, afterLine: 2 },
      { change: 'removed', text: '  Then a receipt is sent within 30 days', beforeLine: 3 },
      { change: 'added', text: '  Then a receipt is sent within 14 days', afterLine: 3 },
      { change: 'added', text: '  And it lists every item', afterLine: 4 },
    ]);
  });

  it('finds nothing changed in identical texts (whatever the line endings)', () => {
    const rows = diffGherkin('Given a\r\nThen b', 'Given a\nThen b');
    expect(rows.map((row) => row.change)).toEqual(['same', 'same']);
    expect(changeCount(rows)).toBe(0);
  });
});

describe('diffWordsOf', () => {
  it('marks the changed words; each side puts its text back together', () => {
    const segments = diffWordsOf('within 30 days', 'within 14 days');
    expect(
      segments
        .filter((segment) => segment.change !== 'same')
        .map((segment) => [segment.change, segment.text]),
    ).toEqual([
      ['removed', '30'],
      ['added', '14'],
    ]);
    expect(
      sideOf(segments, 'before')
        .map((segment) => segment.text)
        .join(''),
    ).toBe('within 30 days');
    expect(
      sideOf(segments, 'after')
        .map((segment) => segment.text)
        .join(''),
    ).toBe('within 14 days');
  });

  it('finds identical texts the same', () => {
    expect(diffWordsOf('same words', 'same words').every((segment) => segment.change === 'same')).toBe(true);
  });
});

describe('sameContent', () => {
  it('compares by kind', () => {
    expect(
      sameContent({ kind: 'Steps', steps: [step('A')] }, { kind: 'Steps', steps: [step('A', '')] }),
    ).toBe(true);
    expect(sameContent({ kind: 'Steps', steps: [step('A')] }, { kind: 'Steps', steps: [step('B')] })).toBe(
      false,
    );
    expect(sameContent({ kind: 'Gherkin', gherkin: 'x' }, { kind: 'Gherkin', gherkin: 'x' })).toBe(true);
    expect(
      sameContent({ kind: 'Unstructured', definition: 'x' }, { kind: 'Unstructured', definition: 'y' }),
    ).toBe(false);
    expect(sameContent({ kind: 'Gherkin', gherkin: 'x' }, { kind: 'Unstructured', definition: 'x' })).toBe(
      false,
    );
  });
});
