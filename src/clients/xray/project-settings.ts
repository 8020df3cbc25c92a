import { z } from 'zod';
import type { XrayClient } from './client';

const testTypeSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  kind: z.string().nullish(),
});

const projectSettingsSchema = z.object({
  getProjectSettings: z
    .object({
      projectId: z.string().nullish(),
      testTypeSettings: z
        .object({
          defaultTestTypeId: z.string().nullish(),
          testTypes: z.array(testTypeSchema.nullable()).nullish(),
        })
        .nullish(),
      testCoverageSettings: z
        .object({
          coverableIssueTypeIds: z.array(z.string().nullable()).nullish(),
          issueLinkTypeId: z.string().nullish(),
          issueLinkTypeDirection: z.string().nullish(),
        })
        .nullish(),
    })
    .nullable(),
});

export interface XrayProjectSettings {
  projectId: string;
  testTypes: { id: string; name: string; kind: string }[];
  coverableIssueTypeIds: string[];
  coverageLinkTypeId?: string;
}

/** Xray's settings for one project, or `null` when Xray has none (not enabled for it). */
export async function getXrayProjectSettings(
  client: XrayClient,
  projectIdOrKey: string,
): Promise<XrayProjectSettings | null> {
  const data = await client.graphql(
    'projectSettings',
    { projectIdOrKey },
    projectSettingsSchema,
    `Failed to read Xray settings of project ${projectIdOrKey}`,
  );
  const settings = data.getProjectSettings;
  if (!settings) return null;
  const testTypes = (settings.testTypeSettings?.testTypes ?? []).flatMap((type) =>
    type?.id && type.name ? [{ id: type.id, name: type.name, kind: type.kind ?? 'Steps' }] : [],
  );
  const linkTypeId = settings.testCoverageSettings?.issueLinkTypeId;
  return {
    projectId: settings.projectId ?? projectIdOrKey,
    testTypes,
    coverableIssueTypeIds: (settings.testCoverageSettings?.coverableIssueTypeIds ?? []).filter(
      (id): id is string => typeof id === 'string',
    ),
    ...(linkTypeId ? { coverageLinkTypeId: linkTypeId } : {}),
  };
}
