/** The issue a call is about, on which site, and who made it. */

/** An issue-panel call's issue and caller, as its access rule vouched for them (`issueViewer`). */
export interface IssueRef {
  cloudId: string;
  siteUrl: string | null;
  accountId: string;
  project: { id: string; key: string };
  issue: { id: string; key: string };
}

/** The same issue without a caller: what the queue consumer and the web trigger act on, as the app. */
export type RequirementRef = Omit<IssueRef, 'accountId'>;
