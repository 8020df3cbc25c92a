/**
 * Many requirements' Xray context per request (scheduled sync): 25 requirements with up to 16 tests
 * each fit Xray's 10,000-item rule; a requirement with more tests is read on its own afterwards
 * (`getRequirementContext`, pages of 100), so nothing is cut.
 */
import { z } from 'zod';
import type { XrayClient } from './client';
import {
  assemble,
  contextSettingsSchema,
  coverableIssueSchema,
  getRequirementContext,
  type XrayContextTest,
  type XrayRequirementContext,
} from './requirement-context';

export const BATCH_REQUIREMENTS = 25;
export const BATCH_TESTS = 16;
export const BATCH_NESTED = 4;

const batchSchema = z.object({
  getProjectSettings: contextSettingsSchema,
  getCoverableIssues: z
    .object({ total: z.number().nullish(), results: z.array(coverableIssueSchema.nullable()).nullish() })
    .loose()
    .nullish(),
});

export interface BatchResult {
  contexts: Map<string, XrayRequirementContext>;
  requests: number;
}

/** Contexts for up to 25 requirement ids (ids Xray does not know as coverable get an empty context). */
export async function getRequirementsBatch(
  client: XrayClient,
  issueIds: string[],
  options: { projectId: string; includeRuns: boolean },
): Promise<BatchResult> {
  if (issueIds.length > BATCH_REQUIREMENTS)
    throw new Error(`At most ${BATCH_REQUIREMENTS} requirements per batch`);
  const data = await client.graphql(
    'requirementsBatch',
    {
      issueIds,
      projectId: options.projectId,
      limit: BATCH_REQUIREMENTS,
      testsLimit: BATCH_TESTS,
      includeRuns: options.includeRuns,
      nestedLimit: BATCH_NESTED,
    },
    batchSchema,
    `Failed to read the Xray coverage of ${issueIds.length} requirements`,
  );
  const settings = data.getProjectSettings;
  const contexts = new Map<string, XrayRequirementContext>();
  const heavy: string[] = [];
  for (const coverable of data.getCoverableIssues?.results ?? []) {
    if (!coverable?.issueId) continue;
    const tests = (coverable.tests?.results ?? []).filter((test): test is XrayContextTest => test !== null);
    const total = coverable.tests?.total ?? tests.length;
    if (total > tests.length) heavy.push(coverable.issueId);
    else contexts.set(coverable.issueId, assemble(settings, coverable, tests, total, 0));
  }
  for (const id of issueIds) {
    if (!contexts.has(id) && !heavy.includes(id)) contexts.set(id, assemble(settings, null, [], 0, 0));
  }
  let requests = 1;
  // Requirements with more tests than a batch carries: their own request(s), at full detail.
  for (const id of heavy) {
    const context = await getRequirementContext(client, id, options);
    contexts.set(id, context);
    requests += context.requests;
  }
  return { contexts, requests };
}
