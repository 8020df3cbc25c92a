/**
 * The Criteria view's query key, apart from the view itself (a lazily loaded chunk) so that other
 * parts of the panel can mark it stale — a send to SQAI re-reads the criteria, created tests may
 * prove some — without loading the view. Each scope (the latest run, a Test Plan or a Test
 * Execution) is read and cached on its own, under the issue's key.
 */
export const CRITERIA_KEY = ['criteria'] as const;

/** Every scope of one issue's view. */
export const criteriaIssueKey = (issueKey: string) => [...CRITERIA_KEY, issueKey] as const;

/**
 * One scope of one issue's view: its scope value (./scope.ts: a Test Plan's key, or `execution:`
 * and a Test Execution's), or `latest` for the latest run overall.
 */
export const criteriaKey = (issueKey: string, scope?: string) =>
  [...criteriaIssueKey(issueKey), scope || 'latest'] as const;
