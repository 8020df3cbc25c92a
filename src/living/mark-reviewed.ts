/**
 * "Mark reviewed" (issue 19; docs/living-tests.md "Reviewing without SQAI"): a person who can edit the
 * requirement checked possibly stale tests against its current wording — or updated them in Xray
 * themselves — and says so. Each takes the current wording of its criteria and the requirement's
 * version as its baseline and leaves the stale state everywhere (`markTestsReviewed`). Only tests that
 * are possibly stale and that the caller may see can be named; any other key is one field error,
 * worded the same for a hidden test, and nothing is written. Answers the new Criteria view.
 */
import type { CriteriaViewDto } from '../api';
import { visibleTo } from '../access/authorize';
import type { Deadline } from '../clients/upstream';
import { getCriteriaView, readCriteriaState, type CriteriaCaller } from '../criteria/criteria-view';
import { AppError } from '../errors';
import type { Platform } from '../platform/ports';
import { markTestsReviewed, readLiving, staleTestsOf } from './baselines';

export async function markStaleTestsReviewed(
  platform: Platform,
  caller: CriteriaCaller,
  input: { testKeys: readonly string[] },
  deadline: Deadline,
): Promise<CriteriaViewDto> {
  const { criteria, trace } = await readCriteriaState(platform, caller.issue.id);
  const stale =
    criteria && trace ? staleTestsOf(criteria, trace, await readLiving(platform, caller.issue.id)) : [];
  const named = stale.filter((test) => input.testKeys.includes(test.testKey));
  const canSee = await visibleTo(
    platform,
    'user',
    named.map((test) => test.testIssueId),
    deadline,
  );
  const chosen = named.filter((test) => canSee(test.testIssueId));
  const unknown = input.testKeys.filter((key) => !chosen.some((test) => test.testKey === key));
  if (unknown.length > 0) {
    const one = unknown.length === 1;
    throw new AppError('VALIDATION', {
      fieldErrors: {
        testKeys: `${unknown.join(', ')} ${one ? 'is not a possibly stale test' : 'are not possibly stale tests'} of ${caller.issue.key}, or you cannot see ${one ? 'it' : 'them'}; reload the panel.`,
      },
    });
  }
  await markTestsReviewed(platform, {
    issueId: caller.issue.id,
    projectId: caller.project.id,
    testIssueIds: chosen.map((test) => test.testIssueId),
    by: 'reviewed',
    deadline,
  });
  return getCriteriaView(platform, caller, deadline);
}
