/**
 * The Criteria view's query key, apart from the view itself (a lazily loaded chunk) so that other
 * parts of the panel can mark it stale — a send to SQAI re-reads the criteria, created tests may
 * prove some — without loading the view.
 */
export const CRITERIA_KEY = ['criteria'] as const;

export const criteriaKey = (issueKey: string) => [...CRITERIA_KEY, issueKey] as const;
