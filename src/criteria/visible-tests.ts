/**
 * Which of a requirement's tests the calling user may see, with their summaries (the Criteria view
 * shows them): one bulk read as the user (Forge `asUser`) per 100 ids, through the one visibility read
 * in src/clients/jira-issues.ts (`visibleIssues`, which `visibleTo` in src/access/authorize.ts uses too).
 */
import { visibleIssues, type VisibleIssue } from '../clients/jira-issues';
import type { Deadline } from '../clients/upstream';
import type { Platform } from '../platform/ports';

export type VisibleTest = Pick<VisibleIssue, 'key' | 'summary'>;

/** id → key and summary of each of `issueIds` the user sees. No request when there is no id. */
export async function visibleTests(
  platform: Pick<Platform, 'jira'>,
  issueIds: readonly string[],
  deadline?: Deadline,
): Promise<Map<string, VisibleTest>> {
  const visible = await visibleIssues(platform.jira, issueIds, {
    as: 'user',
    ...(deadline ? { deadline } : {}),
  });
  return new Map(
    [...visible].map(([id, { key, summary }]) => [id, { key, ...(summary ? { summary } : {}) }]),
  );
}
