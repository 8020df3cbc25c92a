/**
 * Checks a proposed Cucumber test with the official Cucumber Gherkin parser. Xray keeps a Cucumber
 * test's scenario (with or without a Feature line); SQAI may send either, so a bare scenario is
 * wrapped in a Feature before parsing. Returns the problems found (empty = valid).
 */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';

const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());

/** The official parser's document of `source` (throws on Gherkin it cannot parse). */
export const parseGherkin = (source: string) => parser.parse(source);

export function gherkinProblems(text: string): string[] {
  const source = text.trim();
  if (source === '') return ['Cucumber tests need Gherkin: the scenario is empty.'];
  const hasFeature = /^\s*(#.*\n\s*)*(@\S+\s+)*Feature:/m.test(source);
  const wrapped = hasFeature ? source : `Feature: Generated\n${source}`;
  let document;
  try {
    document = parseGherkin(`${wrapped}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The parser numbers lines of the wrapped text; report them as the author wrote them.
    const shifted = hasFeature
      ? message
      : message.replace(
          /\((\d+):(\d+)\)/g,
          (_, line: string, column: string) => `(${Number(line) - 1}:${column})`,
        );
    return [`The Gherkin does not parse: ${shifted.split('\n').slice(0, 3).join(' ')}`];
  }
  const scenarios = (document.feature?.children ?? []).flatMap((child) =>
    child.scenario ? [child.scenario] : [],
  );
  if (scenarios.length === 0) return ['The Gherkin has no Scenario.'];
  const problems: string[] = [];
  for (const scenario of scenarios) {
    const name = scenario.name || '(unnamed)';
    if (scenario.steps.length === 0) problems.push(`Scenario “${name}” has no steps.`);
    if (scenario.description.trim() !== '') {
      problems.push(
        `Scenario “${name}” has lines that are not Given/When/Then steps: “${scenario.description.trim().split('\n')[0] ?? ''}”.`,
      );
    }
    if (scenario.keyword.trim().startsWith('Scenario Outline') && scenario.examples.length === 0) {
      problems.push(`Scenario Outline “${name}” has no Examples.`);
    }
  }
  return problems;
}
