/**
 * Turns SQAI's generated tests into proposals the user reviews: each is mapped to one of the
 * project's test types, checked for its kind (Steps need steps with an action, Gherkin must parse,
 * Unstructured needs a definition), and compared with the requirement's existing tests and earlier
 * proposals; likely duplicates are flagged and deselected by default.
 */
import type { GeneratedTest } from '../clients/sqai-schemas';
import { gherkinProblems } from './gherkin';
import { DUPLICATE_THRESHOLD, similarity, type Comparable } from './similarity';
import type { Fingerprint, StoredProposal } from './store';

export const ORIGIN_LABEL = 'sqai-generated';

export interface ProjectTestType {
  name: string;
  kind: string;
}

/** The text a duplicate check compares besides the title. */
export function bodyOf(test: {
  steps?: { action: string; result?: string | null }[] | null;
  gherkin?: string | null;
  definition?: string | null;
}): string {
  return [
    ...(test.steps ?? []).map((step) => `${step.action} ${step.result ?? ''}`),
    test.gherkin ?? '',
    test.definition ?? '',
  ].join('\n');
}

function kindProblems(kind: string, test: GeneratedTest): string[] {
  if (kind === 'Steps') {
    const steps = test.steps ?? [];
    if (steps.length === 0) return ['Manual (Steps) tests need at least one step.'];
    const blank = steps.findIndex((step) => step.action.trim() === '');
    return blank >= 0 ? [`Step ${blank + 1} has no action.`] : [];
  }
  if (kind === 'Gherkin') return gherkinProblems(test.gherkin ?? '');
  if (kind === 'Unstructured') {
    return (test.definition ?? '').trim() === '' ? ['Generic (Unstructured) tests need a definition.'] : [];
  }
  return [`The test type kind “${kind}” is not supported.`];
}

function closest(
  candidate: Comparable,
  known: Fingerprint[],
): { entry: Fingerprint; score: number } | undefined {
  let best: { entry: Fingerprint; score: number } | undefined;
  for (const entry of known) {
    const score = similarity(candidate, { title: entry.summary, body: entry.text });
    if (!best || score > best.score) best = { entry, score };
  }
  return best;
}

export function reviewProposals(input: {
  tests: GeneratedTest[];
  projectTestTypes: ProjectTestType[];
  /** The requirement's existing tests and earlier proposals. */
  known: Fingerprint[];
}): StoredProposal[] {
  const seen: Fingerprint[] = [...input.known];
  const typeNames = input.projectTestTypes.map((type) => type.name).join(', ') || 'none';
  return input.tests.map((test) => {
    const type = input.projectTestTypes.find(
      (candidate) => candidate.name.toLowerCase() === test.testType.toLowerCase(),
    );
    const kind = type?.kind ?? 'Unknown';
    const problems = type
      ? kindProblems(kind, test)
      : [`SQAI proposed the test type “${test.testType}”, which this project does not have (${typeNames}).`];
    const body = bodyOf(test);
    const match = closest({ title: test.title, body }, seen);
    const duplicateOf =
      match && match.score >= DUPLICATE_THRESHOLD
        ? {
            key: match.entry.key,
            summary: match.entry.summary,
            similarity: Math.round(match.score * 100) / 100,
          }
        : undefined;
    seen.push({ key: `proposal “${test.title.slice(0, 60)}”`, summary: test.title, text: body });
    const labels = [...new Set([ORIGIN_LABEL, ...(test.labels ?? [])])];
    return {
      id: test.id,
      title: test.title,
      testType: type?.name ?? test.testType,
      kind,
      priority: test.priority ?? null,
      labels,
      ...(kind === 'Steps'
        ? {
            steps: (test.steps ?? []).map((step) => ({
              action: step.action,
              data: step.data ?? null,
              result: step.result ?? null,
            })),
          }
        : {}),
      ...(kind === 'Gherkin' ? { gherkin: test.gherkin ?? '' } : {}),
      ...(kind === 'Unstructured' ? { definition: test.definition ?? '' } : {}),
      rationale: test.rationale ?? null,
      problems,
      ...(duplicateOf ? { duplicateOf } : {}),
      selectedByDefault: problems.length === 0 && !duplicateOf,
    };
  });
}
