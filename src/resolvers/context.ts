/**
 * The Forge resolver request context, validated. Authorization reads ONLY this (filled in by Forge
 * from the page the user opened), never anything from the payload.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import type { IssueRef } from '../sync/issue-ref';

const contextSchema = z.object({
  accountId: z.string().min(1),
  cloudId: z.string().optional(),
  siteUrl: z.string().optional(),
  installContext: z.string().optional(),
  moduleKey: z.string().optional(),
  extension: z
    .object({
      project: z
        .object({ id: z.union([z.string(), z.number()]).transform(String), key: z.string() })
        .loose()
        .optional(),
      issue: z
        .object({ id: z.union([z.string(), z.number()]).transform(String), key: z.string() })
        .loose()
        .optional(),
    })
    .loose(),
});

export type ResolverContext = z.infer<typeof contextSchema>;

export interface ProjectContext {
  accountId: string;
  cloudId?: string;
  project: { id: string; key: string };
}

/** The calling user and the project whose page made the call; FORBIDDEN if either is missing. */
export function projectContextOf(rawContext: unknown): ProjectContext {
  const parsed = contextSchema.safeParse(rawContext);
  if (!parsed.success || !parsed.data.extension.project) {
    throw new AppError('FORBIDDEN', {
      message: 'Forbidden — this action must be started from a Jira project page.',
    });
  }
  const { accountId, cloudId, extension } = parsed.data;
  const project = extension.project;
  if (!project) throw new AppError('FORBIDDEN');
  return { accountId, ...(cloudId ? { cloudId } : {}), project: { id: project.id, key: project.key } };
}

/** The site the call was made on; FORBIDDEN when Forge sent none. */
export function requireSite(cloudId: string | undefined): string {
  if (!cloudId) throw new AppError('FORBIDDEN', { message: 'Forbidden — the call carries no site.' });
  return cloudId;
}

/** The calling user, the issue whose panel made the call and its project; FORBIDDEN otherwise. */
export function issueContextOf(rawContext: unknown): IssueRef {
  const parsed = contextSchema.safeParse(rawContext);
  const extension = parsed.success ? parsed.data.extension : undefined;
  if (!parsed.success || !extension?.issue || !extension.project) {
    throw new AppError('FORBIDDEN', {
      message: 'Forbidden — this action must be started from a Jira issue.',
    });
  }
  const { accountId, cloudId, siteUrl } = parsed.data;
  return {
    accountId,
    cloudId: requireSite(cloudId),
    siteUrl: siteUrl && /^https:\/\//.test(siteUrl) ? siteUrl.replace(/\/+$/, '') : null,
    project: { id: extension.project.id, key: extension.project.key },
    issue: { id: extension.issue.id, key: extension.issue.key },
  };
}
