/**
 * The SQAI simulator's update mode (contract 1.3.0, docs/sqai-contract.md "Update mode"): a verdict
 * per existing test after criteria changed. Real SQAI uses a language model; the simulator edits
 * words, deterministically (the same request always gets the same answer):
 *
 * - **obsolete** — every changed criterion the test maps to was removed and it maps to no other
 *   criterion (the reason names the removed wording);
 * - **update** — a criterion it maps to changed wording: the word-level replacements between before
 *   and after (`diffWords` of the `diff` package) are applied wherever the old words occur in the
 *   test (case-sensitive, whole words; the replaced words with one neighbouring word each side
 *   first, then the replaced words alone). When the test says none of the old words, a check of the
 *   new wording is added: a step `Check: <after>` (Steps), a line `And <after>` at the end of the
 *   scenario (Gherkin), a paragraph (Unstructured);
 * - **valid** — only the requirement changed (`requirementChanged`), or the wording of its criteria did
 *   not change in substance (case, punctuation, spacing).
 *
 * New criteria (`before: null`) get new tests from the generator, focused on them (./generator.ts).
 */
import { diffWords } from 'diff';
import {
  UPDATE_LIMITS,
  type ChangedCriterion,
  type TestToUpdate,
  type TestUpdateRequest,
} from '../../../src/clients/sqai-schemas';
import { gherkinProblems } from '../../../src/generate/gherkin';

/** One item of `Generation.updates` as the simulator answers it. */
export interface SimulatedTestUpdate {
  testKey: string;
  verdict: 'update' | 'obsolete' | 'valid';
  steps?: { action: string; data?: string | null; result?: string | null }[];
  gherkin?: string;
  definition?: string;
  reason: string;
  criterionIds?: string[];
}

/** One replaced run of words: with a neighbouring word each side (`wide`), and alone (`narrow`). */
export interface Replacement {
  wide: { from: string; to: string };
  narrow?: { from: string; to: string };
}

/** The words of a wording, for "did it change in substance": case, punctuation and spacing aside. */
const substance = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Whether a changed criterion's wording changed in substance (not just case, punctuation or spacing). */
export const reallyChanged = (criterion: ChangedCriterion): boolean =>
  criterion.before !== null &&
  criterion.after !== null &&
  substance(criterion.before) !== substance(criterion.after);

/**
 * The word-level replacements that turn `before` into `after`: each run of removed / added words
 * (whitespace between changes belongs to the run), with its neighbouring unchanged words.
 */
export function replacementsOf(before: string, after: string): Replacement[] {
  const parts = diffWords(before, after);
  const out: Replacement[] = [];
  let index = 0;
  while (index < parts.length) {
    const part = parts[index];
    if (!part || (!part.added && !part.removed)) {
      index += 1;
      continue;
    }
    let from = '';
    let to = '';
    let end = index;
    while (end < parts.length) {
      const current = parts[end];
      if (!current) break;
      if (current.removed) from += current.value;
      else if (current.added) to += current.value;
      else {
        // Unchanged whitespace between two changes stays in the run; an unchanged word ends it.
        const next = parts[end + 1];
        if (current.value.trim() !== '' || !next || (!next.added && !next.removed)) break;
        from += current.value;
        to += current.value;
      }
      end += 1;
    }
    const previous = parts[index - 1];
    const following = parts[end];
    const head =
      previous && !previous.added && !previous.removed ? (/\S+\s*$/.exec(previous.value)?.[0] ?? '') : '';
    const tail =
      following && !following.added && !following.removed ? (/^\s*\S+/.exec(following.value)?.[0] ?? '') : '';
    const wide = { from: `${head}${from}${tail}`.trim(), to: `${head}${to}${tail}`.trim() };
    const narrow = { from: from.trim(), to: to.trim() };
    out.push({
      wide,
      ...(narrow.from !== '' && narrow.to !== '' && narrow.from !== wide.from ? { narrow } : {}),
    });
    index = end;
  }
  return out.filter(
    (replacement) => replacement.wide.from !== '' && replacement.wide.from !== replacement.wide.to,
  );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `from` as whole words (no letter, digit or underscore right before or after), case-sensitive. */
const wholeWords = (from: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}_])${escape(from)}(?![\\p{L}\\p{N}_])`, 'gu');

/** The texts of a test that can be edited, by kind. */
type Content =
  | { kind: 'Steps'; steps: NonNullable<SimulatedTestUpdate['steps']> }
  | { kind: 'Gherkin'; gherkin: string }
  | { kind: 'Unstructured'; definition: string };

const contentOf = (test: TestToUpdate): Content =>
  test.testType.kind === 'Steps'
    ? { kind: 'Steps', steps: (test.steps ?? []).map((step) => ({ ...step })) }
    : test.testType.kind === 'Gherkin'
      ? { kind: 'Gherkin', gherkin: test.gherkin ?? '' }
      : { kind: 'Unstructured', definition: test.definition ?? '' };

/** Replaces `from` by `to` everywhere in the content; whether it occurred at all. */
function replaceIn(content: Content, from: string, to: string): boolean {
  const pattern = wholeWords(from);
  let found = false;
  const edit = (text: string): string =>
    text.replace(pattern, () => {
      found = true;
      return to;
    });
  if (content.kind === 'Steps') {
    for (const step of content.steps) {
      step.action = edit(step.action);
      if (typeof step.data === 'string') step.data = edit(step.data);
      if (typeof step.result === 'string') step.result = edit(step.result);
    }
  } else if (content.kind === 'Gherkin') content.gherkin = edit(content.gherkin);
  else content.definition = edit(content.definition);
  return found;
}

const STEP_LINE = /^(\s*)(Given|When|Then|And|But|\*)\s/;

/** `gherkin` with `And <text>` after the last step of its last scenario (and that step's table). */
export function appendGherkinStep(gherkin: string, text: string): string {
  const lines = gherkin.replace(/\s+$/, '').split('\n');
  let last = -1;
  let fence: string | undefined;
  for (const [index, line] of lines.entries()) {
    const opens = /^\s*("""|```)/.exec(line)?.[1];
    // Lines inside a doc string are its text, never steps.
    if (fence !== undefined) {
      if (opens === fence) fence = undefined;
    } else if (opens !== undefined) fence = opens;
    else if (STEP_LINE.test(line)) last = index;
  }
  if (last < 0) return `${lines.join('\n')}\n    And ${text}`;
  const indent = STEP_LINE.exec(lines[last] ?? '')?.[1] ?? '    ';
  let at = last + 1;
  // The step's own data table or doc string stays with it.
  if (/^\s*"""|^\s*```/.test(lines[at] ?? '')) {
    const fence = (lines[at] ?? '').trim().slice(0, 3);
    at += 1;
    while (at < lines.length && !(lines[at] ?? '').trim().startsWith(fence)) at += 1;
    at += 1;
  }
  while (at < lines.length && /^\s*\|/.test(lines[at] ?? '')) at += 1;
  return [...lines.slice(0, at), `${indent}And ${text}`, ...lines.slice(at)].join('\n');
}

/** A check of the new wording, added when the test says none of the old words. */
function appendCheck(content: Content, after: string): boolean {
  const text = after.replace(/\s+/g, ' ').trim();
  if (content.kind === 'Steps') {
    if (content.steps.length >= UPDATE_LIMITS.stepsPerTest) return false;
    content.steps.push({ action: `Check: ${text}`, data: null, result: `${text} holds` });
    return true;
  }
  if (content.kind === 'Gherkin') {
    const next = appendGherkinStep(content.gherkin, text);
    if (gherkinProblems(next).length > 0) return false;
    content.gherkin = next;
    return true;
  }
  content.definition = `${content.definition.replace(/\s+$/, '')}\n\nCheck: ${text}`.trim();
  return true;
}

const quoted = (text: string) => `"${text}"`;

/** The simulator's verdict on one test. */
export function proposeTestUpdate(
  test: TestToUpdate,
  changed: ReadonlyMap<string, ChangedCriterion>,
): SimulatedTestUpdate {
  const named = new Set([
    ...test.criterionIds,
    ...test.reasons.flatMap((reason) => (reason.criterionId ? [reason.criterionId] : [])),
  ]);
  const mapped = [...named].flatMap((id) => {
    const criterion = changed.get(id);
    return criterion ? [criterion] : [];
  });
  const removed = mapped.filter((criterion) => criterion.after === null);
  const kept = test.criterionIds.filter((id) => changed.get(id)?.after !== null);
  if (removed.length > 0 && kept.length === 0) {
    return {
      testKey: test.key,
      verdict: 'obsolete',
      reason: removed
        .map((criterion) => `Criterion removed: ${quoted(criterion.before ?? criterion.id)}`)
        .join('; '),
    };
  }
  const edited = mapped.filter(reallyChanged);
  if (edited.length === 0) {
    return {
      testKey: test.key,
      verdict: 'valid',
      reason:
        mapped.length > 0
          ? 'The criteria it proves did not change in substance.'
          : 'Only the requirement changed; what this test checks still holds.',
      ...(kept.length > 0 ? { criterionIds: kept } : {}),
    };
  }
  const content = contentOf(test);
  const said: string[] = [];
  for (const criterion of edited) {
    const before = criterion.before ?? '';
    const after = criterion.after ?? '';
    let applied = false;
    for (const replacement of replacementsOf(before, after)) {
      const used = replaceIn(content, replacement.wide.from, replacement.wide.to)
        ? replacement.wide
        : replacement.narrow && replaceIn(content, replacement.narrow.from, replacement.narrow.to)
          ? replacement.narrow
          : undefined;
      if (used) {
        applied = true;
        said.push(`Criterion changed: ${quoted(used.from)} → ${quoted(used.to)}`);
      }
    }
    if (!applied && appendCheck(content, after)) {
      said.push(`Criterion changed: ${quoted(before)} → ${quoted(after)}; added a check of the new wording`);
    }
  }
  if (said.length === 0) {
    return {
      testKey: test.key,
      verdict: 'valid',
      reason: 'The changed wording could not be worked into this test; review it by hand.',
      ...(kept.length > 0 ? { criterionIds: kept } : {}),
    };
  }
  return {
    testKey: test.key,
    verdict: 'update',
    ...(content.kind === 'Steps'
      ? { steps: content.steps }
      : content.kind === 'Gherkin'
        ? { gherkin: content.gherkin }
        : { definition: content.definition }),
    reason: said.join('; ').slice(0, UPDATE_LIMITS.reasonChars),
    ...(kept.length > 0 ? { criterionIds: kept } : {}),
  };
}

/** The verdicts of an update-mode request, one per test in the request's order. */
export function proposeTestUpdates(request: TestUpdateRequest): SimulatedTestUpdate[] {
  const changed = new Map(request.changedCriteria.map((criterion) => [criterion.id, criterion]));
  return request.tests.map((test) => proposeTestUpdate(test, changed));
}

/** The ids of the request's new criteria (`before: null`): SQAI proposes new tests for them. */
export const newCriterionIds = (request: TestUpdateRequest): string[] =>
  request.changedCriteria.flatMap((criterion) =>
    criterion.before === null && criterion.after !== null ? [criterion.id] : [],
  );
