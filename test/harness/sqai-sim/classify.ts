/**
 * The SQAI simulator's `POST /v1/coverage:classify` (contract 1.1.0, docs/sqai-contract.md "Coverage
 * classification"): which of the requirement's criteria each existing test likely proves. Real SQAI
 * uses a language model; the simulator compares words, deterministically: the Sørensen–Dice
 * coefficient of a criterion's words and the test's (summary, steps, Gherkin, definition — the
 * duplicate check's measure, src/generate/similarity.ts). A criterion at or above
 * CLASSIFY_THRESHOLD is suggested, its score (two decimals) the confidence; most confident first,
 * then in the criteria's order.
 */
import type { ClassifyRequest, ClassifyResponse } from '../../../src/clients/sqai-schemas';
import { CLASSIFY_LIMITS } from '../../../src/clients/sqai-schemas';
import { dice, words } from '../../../src/generate/similarity';

/** The least word overlap the simulator suggests a criterion at. */
export const CLASSIFY_THRESHOLD = 0.2;

type ClassifiedTest = ClassifyRequest['tests'][number];

/** Everything a test says it does, as one text. */
export function testText(test: ClassifiedTest): string {
  return [
    test.summary,
    ...(test.steps ?? []).flatMap((step) => [step.action, step.data ?? '', step.result ?? '']),
    test.gherkin ?? '',
    test.definition ?? '',
  ].join('\n');
}

export function classifyCoverage(request: ClassifyRequest): ClassifyResponse {
  const criteria = request.criteria.map((criterion, index) => ({
    id: criterion.id,
    index,
    words: words(criterion.text),
  }));
  return {
    results: request.tests.map((test) => {
      const said = words(testText(test));
      const suggestions = criteria
        .filter((criterion) => criterion.words.size > 0 && said.size > 0)
        .map((criterion) => ({ criterion, score: dice(criterion.words, said) }))
        .filter(({ score }) => score >= CLASSIFY_THRESHOLD)
        .sort((a, b) => b.score - a.score || a.criterion.index - b.criterion.index)
        .slice(0, CLASSIFY_LIMITS.suggestionsPerTest)
        .map(({ criterion, score }) => ({
          criterionId: criterion.id,
          confidence: Math.round(score * 100) / 100,
        }));
      return { testKey: test.key, suggestions };
    }),
  };
}
