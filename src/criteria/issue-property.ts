/**
 * The requirement's criterion counts as a Jira issue property, indexed by the app's
 * `jira:entityProperty` module so people can search in JQL (issue 18, item 5; docs/criteria.md
 * "Searching in JQL"):
 *
 *   issue.property[sqaiCriteria].unproven > 0      sqaiUnproven > 0
 *   issue.property[sqaiCriteria].failing > 0       sqaiFailing > 0
 *   issue.property[sqaiCriteria].staleTests > 0    sqaiStaleTests > 0   (issue 19)
 *
 * The value is counts only — Jira lets anyone who can see the issue read its properties, and
 * Atlassian advises never to keep private data there — and small (< 200 bytes; Jira keeps ≤ 32,768
 * characters). It is written as the app (a requirement's watchers need not be able to edit it), only
 * when it changed; writing a property does not change the issue's `updated`, so it starts no sync.
 */
import { setIssueProperty } from '../clients/jira-writes';
import type { Deadline } from '../clients/upstream';
import type { JiraTransport } from '../platform/ports';
import {
  CRITERIA_PROPERTY_VERSION,
  criteriaPropertySchema,
  type CriteriaProperty,
  type CriteriaSummary,
} from './state';

export { CRITERIA_PROPERTY_VERSION, criteriaPropertySchema, type CriteriaProperty } from './state';

export const CRITERIA_PROPERTY_KEY = 'sqaiCriteria';

/** The indexed fields, as the manifest's `jira:entityProperty` module declares them (see the test). */
export const CRITERIA_PROPERTY_INDEX = [
  { path: 'criteria', type: 'number', searchAlias: 'sqaiCriteria' },
  { path: 'proven', type: 'number', searchAlias: 'sqaiProven' },
  { path: 'failing', type: 'number', searchAlias: 'sqaiFailing' },
  { path: 'stale', type: 'number', searchAlias: 'sqaiStale' },
  { path: 'changed', type: 'number', searchAlias: 'sqaiChanged' },
  { path: 'notRun', type: 'number', searchAlias: 'sqaiNotRun' },
  { path: 'noTest', type: 'number', searchAlias: 'sqaiNoTest' },
  { path: 'unproven', type: 'number', searchAlias: 'sqaiUnproven' },
  { path: 'staleTests', type: 'number', searchAlias: 'sqaiStaleTests' },
] as const;

export function criteriaPropertyOf(summary: CriteriaSummary): CriteriaProperty {
  return criteriaPropertySchema.parse({
    v: CRITERIA_PROPERTY_VERSION,
    criteria: summary.criteria,
    proven: summary.proven,
    failing: summary.failing,
    stale: summary.stale,
    changed: summary.changed,
    notRun: summary.notRun,
    noTest: summary.noTest,
    unproven: summary.unproven,
    staleTests: summary.staleTests,
  });
}

export function samePropertyValue(a: CriteriaProperty | undefined, b: CriteriaProperty): boolean {
  return (
    a !== undefined && Object.entries(b).every(([key, value]) => a[key as keyof CriteriaProperty] === value)
  );
}

/** How the criteria property's write failure reads ("Failed to record … of DEMO-1"). */
export const CRITERIA_PROPERTY_PURPOSE = 'the acceptance-criteria counts';

/**
 * Writes the property on `issueId` as the app when `next` differs from `previous` (what the caller
 * last wrote, kept with its state); answers whether it wrote. One Jira request, or none.
 */
export async function writeCriteriaProperty(
  jira: JiraTransport,
  issueId: string,
  next: CriteriaProperty,
  previous: CriteriaProperty | undefined,
  deadline?: Deadline,
): Promise<boolean> {
  const value = criteriaPropertySchema.parse(next);
  if (samePropertyValue(previous, value)) return false;
  await setIssueProperty(
    jira,
    issueId,
    CRITERIA_PROPERTY_KEY,
    value,
    { as: 'app', ...(deadline ? { deadline } : {}) },
    CRITERIA_PROPERTY_PURPOSE,
  );
  return true;
}
