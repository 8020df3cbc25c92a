/**
 * An error Xray itself would answer with. The GraphQL layer turns it into an entry of `errors`
 * (HTTP 200, like Xray Cloud does); the seeding API throws it for data Xray would refuse.
 */
export class XrayError extends Error {
  override readonly name = 'XrayError';
}

/** Ids in Xray's API are Jira numeric issue ids as strings, never keys. */
export function assertIssueId(id: string, what = 'issue'): void {
  if (!/^\d+$/.test(id)) {
    throw new XrayError(`Invalid ${what} id "${id}": use the Jira issue id (a number), not the issue key.`);
  }
}
