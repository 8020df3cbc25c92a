/**
 * What Xray holds of tests now: kind, steps (with the ids the step mutations address), Gherkin,
 * definition — read for the apply of accepted updates (src/living/apply-update.ts), which reconciles
 * against it before writing anything. One request per 100 tests (`getTests(issueIds:, limit: 100)`;
 * `Test.steps` is a plain list, so a request asks for 100 items of the node limit's 10,000).
 * Each test's default version is read (docs/upstream-fidelity.md, X10).
 */
import { z } from 'zod';
import { withPurpose } from '../../errors';
import type { Deadline } from '../upstream';
import type { XrayClient } from './client';

/** Tests per `testContents` request (Xray's limit on a list: 1–100). */
export const TEST_CONTENTS_PER_REQUEST = 100;

export interface CurrentStep {
  id: string;
  action: string;
  data: string;
  result: string;
  /** A step that calls another test (Xray's "call test" step): the apply leaves such tests alone. */
  callTestIssueId?: string;
}

export interface CurrentTest {
  issueId: string;
  key: string;
  kind: 'Steps' | 'Gherkin' | 'Unstructured';
  steps: CurrentStep[];
  gherkin: string | null;
  definition: string | null;
}

const stepSchema = z
  .object({
    id: z.string().min(1),
    action: z.string().nullish(),
    data: z.string().nullish(),
    result: z.string().nullish(),
    callTestIssueId: z.string().nullish(),
  })
  .loose();

const testSchema = z
  .object({
    issueId: z.string().min(1),
    jira: z.object({ key: z.string() }).loose().nullish(),
    testType: z.object({ kind: z.string().nullish() }).loose().nullish(),
    steps: z.array(stepSchema.nullable()).nullish(),
    gherkin: z.string().nullish(),
    unstructured: z.string().nullish(),
  })
  .loose();

const answerSchema = z.object({
  getTests: z
    .object({ results: z.array(testSchema.nullable()).nullish() })
    .loose()
    .nullish(),
});

const KINDS = ['Steps', 'Gherkin', 'Unstructured'] as const;

/** Xray's kind names, read leniently ("steps", "Manual" types have kind "Steps"). */
function kindOf(kind: string | null | undefined): CurrentTest['kind'] | undefined {
  return KINDS.find((each) => each.toLowerCase() === (kind ?? '').trim().toLowerCase());
}

function currentTest(raw: z.infer<typeof testSchema>, purpose: string): CurrentTest {
  const kind = kindOf(raw.testType?.kind);
  if (!kind) {
    throw withPurpose('XRAY_API_ERROR', `${purpose} (Xray sent no test kind for the test ${raw.issueId})`);
  }
  return {
    issueId: raw.issueId,
    key: raw.jira?.key ?? raw.issueId,
    kind,
    steps: (raw.steps ?? []).flatMap((step) =>
      step
        ? [
            {
              id: step.id,
              action: step.action ?? '',
              data: step.data ?? '',
              result: step.result ?? '',
              ...(step.callTestIssueId ? { callTestIssueId: step.callTestIssueId } : {}),
            },
          ]
        : [],
    ),
    gherkin: raw.gherkin ?? null,
    definition: raw.unstructured ?? null,
  };
}

/**
 * The current content of the tests, by issue id. A test Xray does not return (deleted, not a test,
 * not visible) is absent from the map. Requests of a batch run in parallel; the deadline is the
 * client's (a client built with one gives up when it passes).
 */
export async function readTestContents(
  client: XrayClient,
  issueIds: readonly string[],
  deadline?: Deadline,
): Promise<Map<string, CurrentTest>> {
  const unique = [...new Set(issueIds)];
  const batches: string[][] = [];
  for (let start = 0; start < unique.length; start += TEST_CONTENTS_PER_REQUEST) {
    batches.push(unique.slice(start, start + TEST_CONTENTS_PER_REQUEST));
  }
  const purpose = 'Failed to read the tests’ steps and definitions from Xray';
  const answers = await Promise.all(
    batches.map(async (batch) => {
      if (deadline && deadline.remainingMs() <= 0) {
        throw withPurpose('XRAY_API_ERROR', `${purpose} (out of time)`);
      }
      const data = await client.graphql(
        'testContents',
        { issueIds: batch, limit: TEST_CONTENTS_PER_REQUEST },
        answerSchema,
        purpose,
      );
      return data.getTests?.results ?? [];
    }),
  );
  const wanted = new Set(unique);
  const tests = new Map<string, CurrentTest>();
  for (const raw of answers.flat()) {
    if (raw && wanted.has(raw.issueId)) tests.set(raw.issueId, currentTest(raw, purpose));
  }
  return tests;
}
