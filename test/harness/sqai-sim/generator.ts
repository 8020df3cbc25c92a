/**
 * The SQAI simulator's deterministic test generator. Real SQAI uses a language model; the simulator
 * derives tests from the requirement's own text so that a demo looks plausible and a test can
 * predict the output: one Manual test per acceptance criterion, a Cucumber scenario per
 * Given/When/Then block, and one Generic (unstructured) check for non-functional wording.
 */
import { createHash } from 'node:crypto';
import { CRITERION_SIMILARITY_THRESHOLD, criterionSimilarity } from '../../../src/criteria/ids';

export interface GeneratedStep {
  action: string;
  data?: string;
  result?: string;
}

export interface GeneratedTest {
  id: string;
  title: string;
  /** The name of one of the requested test types (the project's own name). */
  testType: string;
  priority?: string;
  labels?: string[];
  steps?: GeneratedStep[];
  gherkin?: string;
  definition?: string;
  rationale?: string;
  /** The document's criteria this test proves (`requirement.criteria[].id`, contract 1.1.0). */
  criterionIds?: string[];
}

/** A criterion as the context document (v1.1) lists it. */
export interface SourceCriterion {
  id: string;
  text: string;
}

export interface GenerationSource {
  issueKey: string;
  summary: string;
  /** The requirement description as Markdown (from the context document). */
  description: string;
  priority?: string;
  /** Titles of tests that already cover the requirement (the generator avoids repeating them). */
  existingTestTitles?: string[];
  /** The document's criteria with their ids (`requirement.criteria`, absent before v1.1). */
  criteria?: SourceCriterion[];
}

/**
 * The id of the document criterion `text` was derived from: the most similar one (src/criteria/ids.ts
 * `criterionSimilarity`, 1 for the same words) at or above the id-keeping threshold, the first of
 * equals; none below it. Deterministic.
 */
export function criterionIdFor(text: string, criteria: readonly SourceCriterion[]): string[] {
  let best: { id: string; score: number } | undefined;
  for (const criterion of criteria) {
    const score = criterionSimilarity(text, criterion.text);
    if (score >= CRITERION_SIMILARITY_THRESHOLD && (!best || score > best.score)) {
      best = { id: criterion.id, score };
    }
  }
  return best ? [best.id] : [];
}

const GWT = /^\s*(?:[-*]\s+)?(given|when|then|and|but)\b\s*(.*)$/i;
const NON_FUNCTIONAL =
  /\b(performance|latency|seconds?|ms\b|load|concurrent|secure|security|encrypt|audit|accessib|availability|uptime)/i;

/** The text's lines, each without a Markdown hard-break marker (a lone backslash at its end). */
const linesOf = (markdown: string) => markdown.split(/\r?\n/).map((line) => line.replace(/(?<!\\)\\$/, ''));

/** Lines under an "Acceptance criteria" heading (Markdown), as plain sentences. */
export function acceptanceCriteria(markdown: string): string[] {
  const lines = linesOf(markdown);
  const start = lines.findIndex((line) => /^\s*(#+\s*)?(\*\*)?acceptance criteria/i.test(line));
  const scope = start >= 0 ? lines.slice(start + 1) : lines;
  const out: string[] = [];
  for (const line of scope) {
    if (start >= 0 && /^\s*#+\s+/.test(line) && out.length > 0) break;
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ x]\]\s+)?(.+)$/.exec(line);
    if (item?.[1]) out.push(item[1].replace(/\*\*|__|`/g, '').trim());
  }
  return out;
}

/** Given/When/Then blocks found anywhere in the text. */
export function gherkinBlocks(markdown: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of linesOf(markdown)) {
    const match = GWT.exec(line.replace(/\*\*|__|`/g, ''));
    if (match?.[1] && match[2] !== undefined) {
      const keyword = match[1][0]?.toUpperCase() + match[1].slice(1).toLowerCase();
      if (keyword === 'Given' && current.some((step) => !step.startsWith('Given'))) {
        blocks.push(current);
        current = [];
      }
      current.push(`${keyword} ${match[2].trim()}`);
    } else if (current.length > 0 && line.trim() === '') {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks.filter(
    (block) => block.some((s) => s.startsWith('When')) && block.some((s) => s.startsWith('Then')),
  );
}

const idOf = (...parts: string[]) =>
  `gt-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)}`;

const sentence = (text: string) => text.replace(/[.;:]+$/, '');

/** A requested test type: the project's name for it and the shape it takes. */
export interface RequestedTestType {
  name: string;
  kind: 'Steps' | 'Gherkin' | 'Unstructured';
}

export function generateTests(
  source: GenerationSource,
  options: {
    testTypes: RequestedTestType[];
    maxTests: number;
    instructions?: string;
    /** Contract 1.2.0: only tests proving these criteria, each naming only them. */
    criterionIds?: readonly string[];
  },
): GeneratedTest[] {
  /** The name of the first requested type of each kind (the test takes that name). */
  const nameOf = (kind: RequestedTestType['kind']) =>
    options.testTypes.find((type) => type.kind === kind)?.name;
  const steps = nameOf('Steps');
  const gherkin = nameOf('Gherkin');
  const unstructured = nameOf('Unstructured');
  const existing = new Set((source.existingTestTitles ?? []).map((title) => title.toLowerCase()));
  const tests: GeneratedTest[] = [];
  const criteria = acceptanceCriteria(source.description);
  const labels = ['sqai-generated'];
  const priority = source.priority;
  const proves = (text: string) => {
    const ids = criterionIdFor(text, source.criteria ?? []);
    return ids.length > 0 ? { criterionIds: ids } : {};
  };

  if (steps) {
    const items = criteria.length > 0 ? criteria : [source.summary];
    items.forEach((criterion, index) => {
      const title = `${source.issueKey}: verify ${sentence(criterion).replace(/^./, (c) => c.toLowerCase())}`;
      if (existing.has(title.toLowerCase())) return;
      tests.push({
        id: idOf(source.issueKey, 'manual', criterion),
        title,
        testType: steps,
        ...(priority ? { priority } : {}),
        labels,
        steps: [
          { action: `Open the feature described in ${source.issueKey} (“${source.summary}”).` },
          { action: `Set up the situation the criterion describes.`, data: sentence(criterion) },
          { action: 'Perform the action under test.', result: `${sentence(criterion)}.` },
        ],
        rationale: `Covers acceptance criterion ${index + 1} of ${source.issueKey}.`,
        ...(criteria.length > 0 ? proves(criterion) : {}),
      });
    });
  }

  if (gherkin) {
    gherkinBlocks(source.description).forEach((block, index) => {
      const title = `${source.issueKey}: scenario ${index + 1} — ${sentence(block.find((s) => s.startsWith('When')) ?? source.summary).replace(/^When\s+/, '')}`;
      if (existing.has(title.toLowerCase())) return;
      tests.push({
        id: idOf(source.issueKey, 'cucumber', block.join('\n')),
        title,
        testType: gherkin,
        ...(priority ? { priority } : {}),
        labels,
        gherkin: `Scenario: ${title.replace(`${source.issueKey}: `, '')}\n${block.map((step) => `  ${step}`).join('\n')}`,
        rationale: `Turns the Given/When/Then example ${index + 1} of ${source.issueKey} into an executable scenario.`,
        ...proves(block.join(' ')),
      });
    });
  }

  if (unstructured) {
    const nonFunctional = criteria.filter((criterion) => NON_FUNCTIONAL.test(criterion));
    const subject = nonFunctional[0] ?? `${source.summary} behaves correctly under realistic load`;
    const title = `${source.issueKey}: non-functional check — ${sentence(subject).slice(0, 80)}`;
    if (!existing.has(title.toLowerCase())) {
      tests.push({
        id: idOf(source.issueKey, 'generic', subject),
        title,
        testType: unstructured,
        labels: [...labels, 'non-functional'],
        definition: `Automated check: ${sentence(subject)}. Run against a production-like environment and record the measured values.`,
        rationale: 'Non-functional expectations are best verified by an automated, unstructured test.',
        ...(nonFunctional[0] ? proves(nonFunctional[0]) : {}),
      });
    }
  }

  const focus = options.criterionIds;
  if (focus === undefined) return tests.slice(0, options.maxTests);
  // A focused generation (1.2.0): the tests that prove a focused criterion, naming only those.
  return tests
    .flatMap((test) => {
      const criterionIds = (test.criterionIds ?? []).filter((id) => focus.includes(id));
      return criterionIds.length > 0 ? [{ ...test, criterionIds }] : [];
    })
    .slice(0, options.maxTests);
}
