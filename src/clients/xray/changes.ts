/**
 * Which requirements changed in Xray since a time: tests edited, runs recorded, set and plan
 * membership changed — each mapped to the requirements the test covers. A Jira `updated` does not
 * move for any of these, so the scheduled sync asks Xray too. One request when little changed.
 */
import { z } from 'zod';
import type { XrayClient } from './client';

const coveredBySchema = z
  .object({
    issueId: z.string(),
    coverableIssues: z
      .object({
        total: z.number().nullish(),
        results: z.array(z.object({ issueId: z.string().nullish() }).loose().nullable()).nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

const testPage = z
  .object({ total: z.number().nullish(), results: z.array(coveredBySchema.nullable()).nullish() })
  .loose()
  .nullish();

const containerPage = <T extends z.ZodType>(item: T) =>
  z
    .object({ total: z.number().nullish(), results: z.array(item.nullable()).nullish() })
    .loose()
    .nullish();

const changesSchema = z.object({
  getProjectSettings: z
    .object({
      testCoverageSettings: z
        .object({ coverableIssueTypeIds: z.array(z.string().nullable()).nullish() })
        .loose()
        .nullish(),
    })
    .loose()
    .nullish(),
  getTests: testPage,
  getTestExecutions: containerPage(
    z
      .object({
        issueId: z.string().nullish(),
        testRuns: z
          .object({
            total: z.number().nullish(),
            results: z
              .array(
                z
                  .object({ lastModified: z.string().nullish(), test: coveredBySchema.nullish() })
                  .loose()
                  .nullable(),
              )
              .nullish(),
          })
          .loose()
          .nullish(),
      })
      .loose(),
  ),
  getTestSets: containerPage(z.object({ tests: testPage }).loose()),
  getTestPlans: containerPage(z.object({ tests: testPage }).loose()),
});

const coveredSchema = z.object({
  getTest: z
    .object({
      coverableIssues: z
        .object({
          results: z.array(z.object({ issueId: z.string().nullish() }).loose().nullable()).nullish(),
        })
        .loose()
        .nullish(),
    })
    .loose()
    .nullish(),
});

export interface XrayChanges {
  requirementIds: Set<string>;
  coverableIssueTypeIds: string[];
  requests: number;
  /**
   * False when a list was longer than the first 10,000 results this reads (a mass import or bulk
   * edit): `requirementIds` then misses the requirements of the changes past them, and the caller
   * must not treat the list as everything that changed (read the whole project instead).
   */
  complete: boolean;
}

type CoveredBy = z.infer<typeof coveredBySchema>;

export async function changedRequirementsSince(
  client: Pick<XrayClient, 'graphql'>,
  projectId: string,
  since: string,
): Promise<XrayChanges> {
  const purpose = `Failed to read what changed in Xray for project ${projectId}`;
  const requirementIds = new Set<string>();
  const needFullCoverage = new Set<string>();
  let coverableIssueTypeIds: string[] = [];
  let requests = 0;
  const collect = (test: CoveredBy | null | undefined) => {
    if (!test) return;
    const listed = test.coverableIssues?.results ?? [];
    for (const entry of listed) if (entry?.issueId) requirementIds.add(entry.issueId);
    if ((test.coverableIssues?.total ?? 0) > listed.length) needFullCoverage.add(test.issueId);
  };
  // Tests page by 100, containers by 5; a list that is complete is asked from past its end (empty).
  const DONE = 1_000_000;
  const XRAY_RESULT_WINDOW = 10_000;
  let testsStart = 0;
  let containersStart = 0;
  let complete = true;
  while (testsStart < DONE || containersStart < DONE) {
    const data: z.infer<typeof changesSchema> = await client.graphql(
      'changesSince',
      { projectId, since, testsStart, containersStart },
      changesSchema,
      purpose,
    );
    requests += 1;
    if (requests === 1) {
      coverableIssueTypeIds = (
        data.getProjectSettings?.testCoverageSettings?.coverableIssueTypeIds ?? []
      ).filter((id: string | null): id is string => typeof id === 'string');
    }
    for (const test of data.getTests?.results ?? []) collect(test);
    for (const execution of data.getTestExecutions?.results ?? []) {
      const runs = execution?.testRuns?.results ?? [];
      const truncated = (execution?.testRuns?.total ?? 0) > runs.length;
      // An execution with more runs than listed: count every listed test as changed to be safe.
      for (const run of runs) if (run && (truncated || (run.lastModified ?? '') >= since)) collect(run.test);
    }
    for (const container of [...(data.getTestSets?.results ?? []), ...(data.getTestPlans?.results ?? [])]) {
      for (const test of container?.tests?.results ?? []) collect(test);
    }
    // A list goes on while its page was full and its total says there is more — within Xray's window
    // of the first 10,000 results. Trusting `total` alone would let a wrong one (say 10^15) send this
    // loop through hundreds of thousands of requests.
    const more = (
      start: number,
      pageSize: number,
      lists: ({ total?: number | null; results?: unknown[] | null } | null | undefined)[],
    ) =>
      start < DONE &&
      lists.some(
        (list) =>
          (list?.results?.length ?? 0) >= pageSize &&
          start + pageSize < Math.min(list?.total ?? 0, XRAY_RESULT_WINDOW),
      );
    // A full page at the window's end with a total past it: the rest is not read.
    const cut = (
      start: number,
      pageSize: number,
      lists: ({ total?: number | null; results?: unknown[] | null } | null | undefined)[],
    ) =>
      start < DONE &&
      start + pageSize >= XRAY_RESULT_WINDOW &&
      lists.some((list) => (list?.results?.length ?? 0) >= pageSize && (list?.total ?? 0) > start + pageSize);
    const containers = [data.getTestExecutions, data.getTestSets, data.getTestPlans];
    if (cut(testsStart, 100, [data.getTests]) || cut(containersStart, 5, containers)) complete = false;
    testsStart = more(testsStart, 100, [data.getTests]) ? testsStart + 100 : DONE;
    containersStart = more(containersStart, 5, containers) ? containersStart + 5 : DONE;
  }
  for (const testId of needFullCoverage) {
    const data = await client.graphql('coveredByTest', { issueId: testId }, coveredSchema, purpose);
    requests += 1;
    for (const entry of data.getTest?.coverableIssues?.results ?? [])
      if (entry?.issueId) requirementIds.add(entry.issueId);
  }
  return { requirementIds, coverableIssueTypeIds, requests, complete };
}
