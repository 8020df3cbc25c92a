/**
 * Given/When/Then scenarios as acceptance criteria: each Scenario (or Scenario Outline / Example) is one
 * criterion. The text is read with the official Cucumber Gherkin parser (as src/generate/gherkin.ts
 * does), after `withScenarioLines` has made the way people write scenarios in Jira parseable: steps with
 * no `Scenario:` line, or several Given…Then groups one after another. When the parser still refuses the
 * text, the same grouping is read line by line instead, so a typo never hides a criterion.
 */
import { type Scenario, type Step, StepKeywordType, type TableRow } from '@cucumber/messages';
import { parseGherkin } from '../generate/gherkin';

const STEP = /^(Given|When|Then|And|But|\*)(?=\s|$)/i;
const SCENARIO = /^(Scenario Outline|Scenario Template|Scenario|Example)\s*:/i;
const CONTAINER = /^(Feature|Rule|Business Need|Ability)\s*:/i;
const BACKGROUND = /^Background\s*:/i;
const EXAMPLES = /^(Examples|Scenarios)\s*:/i;
/** A scenario line that `withScenarioLines` added (it has no name of its own). */
const ADDED_SCENARIO = 'Scenario:';

/** One scenario read from Gherkin text: its name and its steps (examples rows included, one line each). */
export interface ReadScenario {
  name: string;
  lines: string[];
  /** It has a Then step (or a step that says "then"): what makes prose read as a scenario. */
  hasOutcome: boolean;
}

/** Does this line start a scenario or a step (what a paragraph of Given/When/Then starts with)? */
export function startsGherkin(line: string): boolean {
  const trimmed = line.trim();
  return STEP.test(trimmed) || SCENARIO.test(trimmed);
}

/** Collapses whitespace (the text shown for a criterion keeps the author's words, on one line). */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * Inserts `Scenario:` where the author left it out: before the first step that follows no scenario (or
 * background) line, and before a Given that follows a When or Then of the same scenario — a second
 * Given…Then group is a second scenario.
 */
export function withScenarioLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let state: 'none' | 'background' | 'scenario' | 'examples' = 'none';
  let acted = false;
  for (const raw of lines) {
    const line = raw.trim();
    const step = STEP.exec(line)?.[1]?.toLowerCase();
    if (CONTAINER.test(line)) state = 'none';
    else if (BACKGROUND.test(line)) state = 'background';
    else if (SCENARIO.test(line)) {
      state = 'scenario';
      acted = false;
    } else if (EXAMPLES.test(line)) state = state === 'scenario' ? 'examples' : state;
    else if (step !== undefined) {
      if (state === 'none' || state === 'examples' || (state === 'scenario' && step === 'given' && acted)) {
        out.push(ADDED_SCENARIO);
        state = 'scenario';
        acted = false;
      }
      if (state === 'scenario' && (step === 'when' || step === 'then')) acted = true;
    }
    out.push(line);
  }
  return out;
}

function rowText(row: TableRow): string {
  return `| ${row.cells.map((cell) => cell.value).join(' | ')} |`;
}

function stepLines(step: Step): string[] {
  const lines = [`${step.keyword.trim()} ${step.text}`.trim()];
  if (step.docString !== undefined) lines.push(step.docString.content);
  if (step.dataTable !== undefined) lines.push(...step.dataTable.rows.map(rowText));
  return lines;
}

function fromScenario(scenario: Scenario): ReadScenario {
  const lines = scenario.steps.flatMap(stepLines);
  for (const examples of scenario.examples) {
    const rows = [
      ...(examples.tableHeader === undefined ? [] : [examples.tableHeader]),
      ...examples.tableBody,
    ];
    if (rows.length > 0) lines.push(`${examples.keyword.trim()}:`, ...rows.map(rowText));
  }
  const hasOutcome = scenario.steps.some(
    (step) => step.keywordType === StepKeywordType.OUTCOME || /\bthen\b/i.test(step.text),
  );
  return { name: oneLine(scenario.name), lines, hasOutcome };
}

/** The same grouping, read without the parser (for text it refuses). */
function readLoosely(lines: readonly string[]): ReadScenario[] {
  const scenarios: ReadScenario[] = [];
  let current: ReadScenario | undefined;
  for (const line of withScenarioLines(lines)) {
    const scenario = SCENARIO.exec(line);
    if (scenario !== null) {
      current = { name: oneLine(line.slice(scenario[0].length)), lines: [], hasOutcome: false };
      scenarios.push(current);
    } else if (current !== undefined && line !== '' && !line.startsWith('#') && !line.startsWith('@')) {
      current.lines.push(line);
      const step = STEP.exec(line)?.[1]?.toLowerCase();
      if (step === 'then' || (step !== undefined && /\bthen\b/i.test(line))) current.hasOutcome = true;
    }
  }
  return scenarios.filter((scenario) => scenario.lines.length > 0);
}

/**
 * The scenarios of a Gherkin text (a `gherkin` code block, or Given/When/Then paragraphs joined by
 * newlines). A text without a Feature line is read as the body of one. Scenarios without steps are
 * left out (there is nothing to prove).
 */
export function readScenarios(text: string): ReadScenario[] {
  const lines = text.split(/\r\n?|\n/);
  const prepared = withScenarioLines(lines);
  const hasFeature = prepared.some((line) => /^Feature\s*:/i.test(line));
  const source = `${hasFeature ? '' : 'Feature: Acceptance criteria\n'}${prepared.join('\n')}\n`;
  let children;
  try {
    children = parseGherkin(source).feature?.children ?? [];
  } catch {
    return readLoosely(lines);
  }
  const scenarios = children.flatMap((child) => [
    ...(child.scenario === undefined ? [] : [child.scenario]),
    ...(child.rule?.children ?? []).flatMap((inner) =>
      inner.scenario === undefined ? [] : [inner.scenario],
    ),
  ]);
  return scenarios.map(fromScenario).filter((scenario) => scenario.lines.length > 0);
}

/** A scenario as the criterion's one-line text: `name: Given … When … Then …` (steps alone if unnamed). */
export function scenarioText(scenario: ReadScenario): string {
  const steps = oneLine(scenario.lines.join(' '));
  return scenario.name === '' ? steps : `${scenario.name}: ${steps}`;
}
