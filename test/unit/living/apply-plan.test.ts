/**
 * The reconciliation of an accepted update with the test's current content (src/living/apply-plan.ts):
 * done / pending / conflict, and — as a property over random tests — that running the plan with any
 * prefix of its ops applied and any answers lost, then planning again, ends at the target without ever
 * adding a step twice; and that a person's edit made before the apply is a conflict with nothing written.
 */
import fc from 'fast-check';
import type { TestContentDto } from '../../../src/api';
import type { CurrentTest } from '../../../src/clients/xray/test-content';
import { chunksOf } from '../../../src/clients/xray/test-updates';
import {
  reconcileUpdate,
  rowsOf,
  type ApplyOp,
  type Reconciliation,
  type StepOp,
} from '../../../src/living/apply-plan';
import { baseOf, stepRowHash, textHash } from '../../../src/living/content-hash';
import { propertyConfig } from '../../harness/property-seed';

type Row = { action: string; data: string | null; result: string | null };

const row = (label: string): Row => ({ action: `Do ${label}`, data: null, result: `${label} happens` });
const stepsOf = (...labels: string[]): TestContentDto => ({ kind: 'Steps', steps: labels.map(row) });

/** A fake Xray test: steps with ids, and the ops applied to it the way Xray applies them. */
class FakeTest {
  private nextId = 1;
  steps: { id: string; action: string; data: string; result: string }[] = [];
  added = 0;
  writes = 0;

  constructor(content: TestContentDto) {
    for (const step of content.steps ?? []) this.append(step);
  }

  private append(step: Row) {
    this.steps.push({
      id: `s${this.nextId++}`,
      action: step.action,
      data: step.data ?? '',
      result: step.result ?? '',
    });
  }

  current(): CurrentTest {
    return {
      issueId: '10500',
      key: 'DEMO-50',
      kind: 'Steps',
      steps: this.steps.map((step) => ({ ...step })),
      gherkin: null,
      definition: null,
    };
  }

  apply(op: ApplyOp): void {
    this.writes += 1;
    if (op.op === 'add') {
      this.append(op.step);
      this.added += 1;
    } else if (op.op === 'update') {
      const step = this.steps.find((each) => each.id === op.stepId);
      if (!step) throw new Error(`no step ${op.stepId}`);
      Object.assign(step, op.step);
    } else if (op.op === 'remove') {
      const index = this.steps.findIndex((each) => each.id === op.stepId);
      if (index < 0) throw new Error(`no step ${op.stepId}`);
      this.steps.splice(index, 1);
    } else {
      throw new Error('text op on a steps test');
    }
  }

  rows(): string[] {
    return this.steps.map((step) => stepRowHash(step));
  }
}

/** A conflict whose reason says `words`. */
function expectConflict(result: Reconciliation, words: string): void {
  expect(result.state).toBe('conflict');
  expect(result.state === 'conflict' ? result.detail : '').toContain(words);
}

const plan = (before: TestContentDto, after: TestContentDto, test: FakeTest) =>
  reconcileUpdate(baseOf(before), after, test.current());

describe('reconcileUpdate: steps', () => {
  const before = stepsOf('a', 'b', 'c', 'd');

  it('plans updates in place, then adds at the end in order', () => {
    const test = new FakeTest(before);
    const result = plan(before, stepsOf('a', 'B', 'c', 'D', 'e', 'f'), test);
    expect(result.state).toBe('pending');
    if (result.state !== 'pending') return;
    expect(result.ops.map((op) => `${op.op}@${'position' in op ? op.position : ''}`)).toEqual([
      'update@1',
      'update@3',
      'add@4',
      'add@5',
    ]);
    expect(result).toMatchObject({ done: 0, total: 4 });
    const [first] = result.ops as StepOp[];
    expect(first).toMatchObject({
      op: 'update',
      stepId: test.steps[1]?.id,
      step: { action: 'Do B', data: '', result: 'B happens' },
    });
  });

  it('removes surplus rows by id', () => {
    const test = new FakeTest(before);
    const result = plan(before, stepsOf('a', 'b'), test);
    expect(result.state === 'pending' && result.ops).toEqual([
      { op: 'remove', position: 2, stepId: test.steps[2]?.id },
      { op: 'remove', position: 3, stepId: test.steps[3]?.id },
    ]);
  });

  it('is done when Xray already holds the target, and counts a half-applied plan', () => {
    const after = stepsOf('a', 'B', 'c', 'D', 'e');
    const test = new FakeTest(after);
    expect(plan(before, after, test)).toEqual({ state: 'done', done: 3, total: 3 });

    const half = new FakeTest(stepsOf('a', 'B', 'c', 'd'));
    const result = plan(before, after, half);
    expect(result).toMatchObject({ state: 'pending', done: 1, total: 3 });
    expect(result.state === 'pending' && result.ops.map((op) => op.op)).toEqual(['update', 'add']);
  });

  it('never adds a step again that Xray already shows (a lost answer to an add)', () => {
    const after = stepsOf('a', 'b', 'c', 'd', 'e', 'e', 'f');
    const test = new FakeTest(stepsOf('a', 'b', 'c', 'd', 'e'));
    const result = plan(before, after, test);
    expect(result.state === 'pending' && result.ops).toEqual([
      { op: 'add', position: 5, step: { action: 'Do e', data: '', result: 'e happens' } },
      { op: 'add', position: 6, step: { action: 'Do f', data: '', result: 'f happens' } },
    ]);
  });

  it('a person’s edit of a step the update does not touch is a conflict', () => {
    const test = new FakeTest(stepsOf('a', 'b', 'c-person', 'd'));
    expect(plan(before, stepsOf('A', 'b', 'c', 'd'), test)).toMatchObject({
      state: 'conflict',
      detail: 'Step 3 was edited in Xray since the proposal.',
    });
  });

  it('a person’s edit of a step the update changes is a conflict (never overwritten)', () => {
    const test = new FakeTest(stepsOf('a', 'b-person', 'c', 'd'));
    expect(plan(before, stepsOf('a', 'B', 'c', 'd'), test)).toMatchObject({
      state: 'conflict',
      detail: 'Step 2 was edited in Xray since the proposal.',
    });
  });

  it('a step a person added is a conflict, at the end or in the middle', () => {
    const atEnd = new FakeTest(stepsOf('a', 'b', 'c', 'd', 'x'));
    expectConflict(plan(before, stepsOf('a', 'B', 'c', 'd'), atEnd), 'Step 5 was added in Xray');
    const withAdds = new FakeTest(stepsOf('a', 'b', 'c', 'd', 'x'));
    expect(plan(before, stepsOf('a', 'b', 'c', 'd', 'e'), withAdds)).toMatchObject({
      state: 'conflict',
      detail: 'Step 5 was added or edited in Xray since the proposal.',
    });
    const inMiddle = new FakeTest(stepsOf('a', 'x', 'b', 'c', 'd'));
    expect(plan(before, stepsOf('a', 'b', 'c', 'd', 'e'), inMiddle).state).toBe('conflict');
    const whileRemoving = new FakeTest(stepsOf('a', 'b', 'c', 'd', 'x'));
    expect(plan(before, stepsOf('a', 'b'), whileRemoving)).toMatchObject({
      state: 'conflict',
      detail: 'Step 5 was added, edited or moved in Xray since the proposal.',
    });
  });

  it('a step a person removed is a conflict', () => {
    const test = new FakeTest(stepsOf('a', 'c', 'd'));
    expectConflict(
      plan(before, stepsOf('a', 'b', 'c', 'D'), test),
      'Steps were removed in Xray since the proposal',
    );
    const shorter = new FakeTest(stepsOf('a', 'c', 'd'));
    expectConflict(plan(before, stepsOf('a', 'B', 'c'), shorter), 'Step 2 in Xray is step 3 of the proposal');
  });

  it('steps a person reordered are a conflict', () => {
    const test = new FakeTest(stepsOf('a', 'c', 'b', 'd'));
    expectConflict(plan(before, stepsOf('a', 'b', 'c', 'D'), test), 'reordered');
  });

  it('a test whose type changed, or a call-test step, is a conflict', () => {
    const test = new FakeTest(before);
    expectConflict(
      reconcileUpdate(baseOf(before), stepsOf('a'), {
        ...test.current(),
        kind: 'Gherkin',
        steps: [],
        gherkin: 'x',
      }),
      'type was changed',
    );
    const calling = test.current();
    calling.steps[0] = { ...calling.steps[0]!, callTestIssueId: '10999' };
    expectConflict(reconcileUpdate(baseOf(before), stepsOf('a'), calling), 'calls another test');
  });

  it('data and result: missing, null and empty are the same row; CRLF is LF', () => {
    expect(stepRowHash({ action: 'x', data: null, result: undefined })).toBe(
      stepRowHash({ action: 'x', data: '', result: '' }),
    );
    expect(stepRowHash({ action: 'a\r\nb' })).toBe(stepRowHash({ action: 'a\nb' }));
    expect(stepRowHash({ action: 'x', data: 'y' })).not.toBe(stepRowHash({ action: 'x', result: 'y' }));
    expect(stepRowHash({ action: 'x' })).toMatch(/^[0-9a-f]{16}$/);
    expect(rowsOf(stepsOf('a', 'b'))).toEqual(baseOf(stepsOf('a', 'b')).rows);
  });
});

describe('reconcileUpdate: Gherkin and unstructured', () => {
  const current = (kind: 'Gherkin' | 'Unstructured', text: string): CurrentTest => ({
    issueId: '10501',
    key: 'DEMO-51',
    kind,
    steps: [],
    gherkin: kind === 'Gherkin' ? text : null,
    definition: kind === 'Unstructured' ? text : null,
  });

  it('base → one update; target → done; anything else → conflict', () => {
    const before: TestContentDto = { kind: 'Gherkin', gherkin: 'Given a\nThen b' };
    const after: TestContentDto = { kind: 'Gherkin', gherkin: 'Given a\nThen c' };
    expect(baseOf(before)).toEqual({ kind: 'Gherkin', text: textHash('Given a\nThen b') });
    expect(reconcileUpdate(baseOf(before), after, current('Gherkin', 'Given a\r\nThen b'))).toEqual({
      state: 'pending',
      ops: [{ op: 'gherkin', text: 'Given a\nThen c' }],
      done: 0,
      total: 1,
    });
    expect(reconcileUpdate(baseOf(before), after, current('Gherkin', 'Given a\nThen c'))).toEqual({
      state: 'done',
      done: 1,
      total: 1,
    });
    expect(reconcileUpdate(baseOf(before), after, current('Gherkin', 'Given a person'))).toMatchObject({
      state: 'conflict',
      detail: 'The Gherkin scenario was edited in Xray since the proposal.',
    });
    const definition: TestContentDto = { kind: 'Unstructured', definition: 'Explore' };
    expect(
      reconcileUpdate(
        baseOf(definition),
        { kind: 'Unstructured', definition: 'Explore more' },
        current('Unstructured', 'Explore'),
      ),
    ).toMatchObject({ state: 'pending', ops: [{ op: 'unstructured', text: 'Explore more' }] });
    expectConflict(
      reconcileUpdate(baseOf(definition), after, current('Unstructured', 'Explore')),
      'proposal was made on a unstructured',
    );
  });
});

// ---------- properties ----------

const LABELS = ['a', 'b', 'c', 'd', 'e'];
/** Rows from a small pool, so that repeated rows (the hard case for "added twice") are common. */
const contentArb = fc
  .array(fc.constantFrom(...LABELS), { minLength: 0, maxLength: 100 })
  .map((labels) => stepsOf(...labels));

/**
 * A random interruption of a run of the plan: it stops after `cutAt` ops (a refused op, a timeout, the
 * deadline), whatever answers came back — a lost answer is the same as a stop after its chunk, since
 * the next plan is made from what Xray holds, never from what the apply believes it wrote.
 */
const cutsArb = fc.array(fc.nat({ max: 60 }), { maxLength: 8 });

describe('reconcileUpdate: properties', () => {
  it('any prefix applied, any answers lost, applied again: ends at the target; no step added twice', () => {
    fc.assert(
      fc.property(contentArb, contentArb, cutsArb, (before, after, cuts) => {
        const test = new FakeTest(before);
        const needed = Math.max(0, (after.steps?.length ?? 0) - (before.steps?.length ?? 0));
        let rounds = 0;
        for (;;) {
          rounds += 1;
          expect(rounds).toBeLessThan(cuts.length + 3);
          const result = plan(before, after, test);
          expect(result.state).not.toBe('conflict');
          if (result.state !== 'pending') break;
          // Run the chunks as the apply does, up to the interruption of this round (if any).
          let budget = cuts[rounds - 1] ?? Number.POSITIVE_INFINITY;
          for (const chunk of chunksOf(result.ops)) {
            const applied = chunk.slice(0, Math.max(0, budget));
            applied.forEach((op) => test.apply(op));
            budget -= applied.length;
            if (applied.length < chunk.length) break;
          }
        }
        expect(test.rows()).toEqual(rowsOf(after));
        expect(test.added).toBe(needed);
      }),
      propertyConfig(process.env),
    );
  });

  type PersonEdit =
    | { kind: 'edit'; at: number }
    | { kind: 'add'; at: number }
    | { kind: 'remove'; at: number }
    | { kind: 'swap'; at: number };

  it('a person’s edit before the apply is a conflict, and nothing is written', () => {
    // Unique rows: an edit can then only coincide with the update by chance of content, which this
    // property excludes (docs: indistinguishable changes are treated as the update's own).
    const uniqueArb = fc
      .tuple(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }),
      )
      .map(([baseLength, targetLength, keep]) => {
        const before = stepsOf(...Array.from({ length: baseLength }, (_, i) => `base ${i}`));
        const after = stepsOf(
          ...Array.from({ length: targetLength }, (_, i) =>
            i < baseLength && keep[i] ? `base ${i}` : `new ${i}`,
          ),
        );
        return { before, after, baseLength, targetLength };
      });
    const editArb: fc.Arbitrary<PersonEdit> = fc.record({
      kind: fc.constantFrom('edit' as const, 'add' as const, 'remove' as const, 'swap' as const),
      at: fc.nat({ max: 99 }),
    });
    fc.assert(
      fc.property(uniqueArb, editArb, ({ before, after, baseLength, targetLength }, edit) => {
        const test = new FakeTest(before);
        const common = Math.min(baseLength, targetLength);
        const at = edit.at % baseLength;
        if (edit.kind === 'edit') {
          Object.assign(test.steps[at]!, { action: 'A person’s wording' });
        } else if (edit.kind === 'add') {
          test.steps.splice(edit.at % (baseLength + 1), 0, {
            id: 'p1',
            action: 'A person’s step',
            data: '',
            result: '',
          });
        } else if (edit.kind === 'remove') {
          // Removing a row the update removes anyway is the update's own change (not told apart).
          fc.pre(targetLength >= baseLength || at < common);
          test.steps.splice(at, 1);
        } else {
          fc.pre(common >= 2);
          const first = at % common;
          const second = (first + 1) % common;
          const [a, b] = [test.steps[first]!, test.steps[second]!];
          test.steps[first] = b;
          test.steps[second] = a;
        }
        const result = plan(before, after, test);
        expect(result.state).toBe('conflict');
        expect(test.writes).toBe(0);
      }),
      propertyConfig(process.env),
    );
  });
});
