/**
 * Jira users by account id: Jira's bulk user read (operation bulkGetUsers), as the caller says. Acting
 * as the user, Jira applies its privacy rules: each person's profile visibility decides what the
 * viewer gets (a hidden avatar is Jira's default one), and ids Jira does not know are simply absent.
 */
import { z } from 'zod';
import { withPurpose } from '../errors';
import type { JiraTransport } from '../platform/ports';
import { failFor, type JiraCallOptions, requestJson } from './jira';
import { jiraPath } from './jira-operations';
import { safeParse } from './safe-parse';

/**
 * Account ids per request. The spec documents no maximum for `accountId`; Jira pages the answer
 * (`maxResults`, default 10), and 100 keeps the query string short. A view names at most ~22 people.
 */
export const USER_BULK_LIMIT = 100;

const jiraUserSchema = z
  .object({
    accountId: z.string(),
    accountType: z.string().optional(),
    active: z.boolean().optional(),
    displayName: z.string().optional(),
    avatarUrls: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export type JiraUser = z.infer<typeof jiraUserSchema>;

const pageSchema = z.object({ values: z.array(z.unknown()).default([]) }).loose();

/**
 * Up to USER_BULK_LIMIT users in one request (more ids are refused by the caller's contract, not
 * split). Malformed entries are skipped: one bad record must not hide the others.
 */
export async function bulkGetUsers(
  transport: JiraTransport,
  accountIds: readonly string[],
  options: JiraCallOptions,
): Promise<JiraUser[]> {
  if (accountIds.length === 0) return [];
  if (accountIds.length > USER_BULK_LIMIT)
    throw new Error(`bulkGetUsers takes at most ${USER_BULK_LIMIT} account ids`);
  const purpose = `Failed to read ${accountIds.length === 1 ? 'a person' : `${accountIds.length} people`} in Jira`;
  const path = jiraPath(
    'bulkGetUsers',
    {},
    { accountId: { repeated: accountIds }, maxResults: accountIds.length },
  );
  const { status, json } = await requestJson(transport, purpose, 'bulkGetUsers', path, options);
  if (status !== 200) failFor(purpose, status, json);
  const page = safeParse(pageSchema, json);
  if (!page.success) throw withPurpose('INTERNAL', `${purpose} (unexpected answer from Jira)`);
  return page.data.values.flatMap((raw) => {
    const user = safeParse(jiraUserSchema, raw);
    return user.success ? [user.data] : [];
  });
}
