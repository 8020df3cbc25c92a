/**
 * The diffs an update proposal is reviewed as (issue 19 item 3), kept free of React and Atlaskit so
 * they unit-test in Node (test/unit/static/livingDiff.test.ts):
 * - steps row by row (`diffArrays` with a row comparator): a removed row directly followed by an
 *   added one is one *changed* row, with which of action / data / expected result changed;
 * - Gherkin line by line (`diffLines`);
 * - a definition, and any one text, word by word (`diffWordsWithSpace`).
 */
import { diffArrays, diffLines, diffWordsWithSpace } from 'diff';
import type { ProposedStepDto, TestContentDto } from '../../../../src/api';

export type RowChange = 'same' | 'added' | 'removed' | 'changed';

/** One step of a test (Xray's action, data, expected result). */
export type Step = Pick<ProposedStepDto, 'action' | 'data' | 'result'>;

export type StepField = 'action' | 'data' | 'result';
export const STEP_FIELDS: readonly StepField[] = ['action', 'data', 'result'];

/** A step with its 1-based position in its own list. */
export interface NumberedStep {
  number: number;
  step: Step;
}

/** One row of the steps diff. `before` is absent for an added row, `after` for a removed one. */
export interface StepDiffRow {
  change: RowChange;
  before?: NumberedStep;
  after?: NumberedStep;
  /** A changed row: which fields differ. */
  fields?: Record<StepField, boolean>;
}

/** A field's text as compared: an absent data or expected result is the empty text. */
const fieldText = (step: Step, field: StepField): string =>
  field === 'action' ? step.action : (step[field] ?? '');

/** Two steps say the same (absent and empty data / result are the same). */
export function sameStep(a: Step, b: Step): boolean {
  return STEP_FIELDS.every((field) => fieldText(a, field) === fieldText(b, field));
}

function changedFields(before: Step, after: Step): Record<StepField, boolean> {
  return {
    action: fieldText(before, 'action') !== fieldText(after, 'action'),
    data: fieldText(before, 'data') !== fieldText(after, 'data'),
    result: fieldText(before, 'result') !== fieldText(after, 'result'),
  };
}

/** The steps diff, in the order a reader follows it (the proposal's order, removed rows where they were). */
export function diffSteps(before: readonly Step[], after: readonly Step[]): StepDiffRow[] {
  const parts = diffArrays<Step>([...before], [...after], { comparator: sameStep });
  const rows: StepDiffRow[] = [];
  let oldIndex = 0;
  let newIndex = 0;
  const takeOld = (): NumberedStep => {
    const step = before[oldIndex] as Step;
    oldIndex += 1;
    return { number: oldIndex, step };
  };
  const takeNew = (): NumberedStep => {
    const step = after[newIndex] as Step;
    newIndex += 1;
    return { number: newIndex, step };
  };
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index];
    if (!part) continue;
    const count = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      for (let n = 0; n < count; n += 1) rows.push({ change: 'same', before: takeOld(), after: takeNew() });
      continue;
    }
    // A removal next to an addition (either order) is a change of the rows they share.
    const next = parts[index + 1];
    const paired = next && (next.added || next.removed) && next.added !== part.added ? next : undefined;
    const removed = part.removed ? count : paired ? (paired.count ?? paired.value.length) : 0;
    const added = part.added ? count : paired ? (paired.count ?? paired.value.length) : 0;
    if (paired) index += 1;
    const changed = Math.min(removed, added);
    for (let n = 0; n < changed; n += 1) {
      const old = takeOld();
      const now = takeNew();
      rows.push({ change: 'changed', before: old, after: now, fields: changedFields(old.step, now.step) });
    }
    for (let n = changed; n < removed; n += 1) rows.push({ change: 'removed', before: takeOld() });
    for (let n = changed; n < added; n += 1) rows.push({ change: 'added', after: takeNew() });
  }
  return rows;
}

/** A piece of a word or line diff. */
export interface Segment {
  change: 'same' | 'added' | 'removed';
  text: string;
}

/** A text word by word (whitespace kept, so the pieces put together give both texts back). */
export function diffWordsOf(before: string, after: string): Segment[] {
  return diffWordsWithSpace(before, after).map((part) => ({
    change: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}

/** The pieces one side shows: the common ones and its own (removed for before, added for after). */
export function sideOf(segments: readonly Segment[], side: 'before' | 'after'): Segment[] {
  const own = side === 'before' ? 'removed' : 'added';
  return segments.filter((segment) => segment.change === 'same' || segment.change === own);
}

/** One line of a Gherkin diff, with its number in the text(s) it is in. */
export interface LineDiffRow {
  change: 'same' | 'added' | 'removed';
  text: string;
  beforeLine?: number;
  afterLine?: number;
}

const linesOf = (value: string): string[] => {
  const lines = value.split('\n');
  // diffLines keeps each line's newline: the last, empty piece after a final newline is no line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** Gherkin (or any text) line by line. Line endings are normalised (`\r\n` → `\n`). */
export function diffGherkin(before: string, after: string): LineDiffRow[] {
  const normalise = (text: string) => text.replace(/\r\n?/g, '\n');
  const rows: LineDiffRow[] = [];
  let beforeLine = 0;
  let afterLine = 0;
  for (const part of diffLines(normalise(before), normalise(after))) {
    for (const text of linesOf(part.value)) {
      if (part.added) rows.push({ change: 'added', text, afterLine: (afterLine += 1) });
      else if (part.removed) rows.push({ change: 'removed', text, beforeLine: (beforeLine += 1) });
      else rows.push({ change: 'same', text, beforeLine: (beforeLine += 1), afterLine: (afterLine += 1) });
    }
  }
  return rows;
}

/** How many rows / lines changed (anything but `same`). */
export function changeCount(rows: readonly { change: string }[]): number {
  return rows.filter((row) => row.change !== 'same').length;
}

/** The kind both contents are compared as: the proposal's (it is the test's own kind). */
export type ContentKind = TestContentDto['kind'];

/** What a content holds by its kind (steps, Gherkin text or definition text). */
export function stepsOf(content: TestContentDto | undefined): Step[] {
  return (content?.steps ?? []).map(({ action, data, result }) => ({ action, data, result }));
}

export function textOf(content: TestContentDto | undefined): string {
  if (!content) return '';
  return (content.kind === 'Gherkin' ? content.gherkin : content.definition) ?? '';
}

/** The two contents are the same (nothing to review). */
export function sameContent(before: TestContentDto, after: TestContentDto): boolean {
  if (before.kind !== after.kind) return false;
  if (after.kind === 'Steps') {
    const a = stepsOf(before);
    const b = stepsOf(after);
    return a.length === b.length && a.every((step, index) => sameStep(step, b[index] as Step));
  }
  return textOf(before) === textOf(after);
}
