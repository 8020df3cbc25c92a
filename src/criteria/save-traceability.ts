/**
 * Saves a requirement's rebuilt traceability record — the one way every writer (the sync, the panel's
 * mapping changes) stores it: the `sqaiCriteria` issue property is written only when its counts
 * changed, the record only when its content (or the property) changed, then the key alias, and the
 * old alias goes when the issue's key changed (an issue moved to another project). The requirement's
 * place in its project's ranking (./project-index.ts, the settings page's project view) is kept here
 * too, before the record: when that fails, the record is not written and the next save tries again.
 */
import type { Deadline } from '../clients/upstream';
import type { Platform } from '../platform/ports';
import { criteriaPropertyOf, writeCriteriaProperty } from './issue-property';
import type { CriteriaRecord } from './schema';
import type { LivingRecord } from '../living/baselines';
import { traceRecordSchema, type CriteriaProperty, type TraceRecord } from './state';
import { placeInRanking } from './project-index';
import { issueKeyAlias, traceKey } from './store';
import { gateSummary } from './workflow-gate';

export interface SaveTraceabilityInput {
  issueId: string;
  /** The requirement's project now (Jira's numeric id): where it is ranked. */
  projectId: string;
  criteria: CriteriaRecord;
  /** The record as stored before (undefined: none). */
  previous: TraceRecord | undefined;
  /** The record to store (its `indexed` is set here when the property is written). */
  trace: TraceRecord;
  /**
   * What each test was written or last reviewed against (issue 19; src/living/stale.ts has settled
   * it): its possibly stale tests make criteria `stale` in the counts. Every writer passes what it
   * holds (undefined: none recorded).
   */
  living: LivingRecord | undefined;
  deadline?: Deadline;
}

export interface SaveTraceabilityResult {
  /** Anything was written. */
  written: boolean;
  /** The issue property was written (one Jira request). */
  propertyWritten: boolean;
  /** The counts the record now holds. */
  property: CriteriaProperty;
  /** Its entry in the project's ranking was written or moved (the totals are then out of date). */
  rankChanged: boolean;
}

/** Same content, whatever `updatedAt` and `indexed` say. */
export function sameTrace(a: TraceRecord | undefined, b: TraceRecord): boolean {
  if (a === undefined) return false;
  const strip = ({ updatedAt: _u, indexed: _i, ...rest }: TraceRecord) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

export async function saveTraceability(
  platform: Pick<Platform, 'kvs' | 'jira'>,
  input: SaveTraceabilityInput,
): Promise<SaveTraceabilityResult> {
  const { issueId, criteria, previous, trace } = input;
  const property = criteriaPropertyOf(gateSummary({ issueId, criteria, trace, living: input.living }, {}));
  const traceChanged = !sameTrace(previous, trace);
  // Written as the app (a requirement's watchers need not be able to edit it), only when changed —
  // and not at all for a requirement that has never had criteria: all-zero counts index nothing a
  // search needs (no property reads the same), and a backfill would spend one Jira write on each.
  const nothingToIndex = property.criteria === 0 && previous?.indexed === undefined;
  const propertyWritten =
    !nothingToIndex &&
    (await writeCriteriaProperty(platform.jira, issueId, property, previous?.indexed, input.deadline));
  if (propertyWritten) trace.indexed = property;
  if (!traceChanged && !propertyWritten)
    return { written: false, propertyWritten, property, rankChanged: false };
  const { v: _v, ...counts } = property;
  const rankChanged = await placeInRanking(
    platform.kvs,
    input.projectId,
    { issueId, issueKey: trace.issueKey, counts },
    new Date(trace.updatedAt),
  );
  await platform.kvs.set(traceKey(issueId), traceRecordSchema.parse(trace));
  await platform.kvs.set(issueKeyAlias(trace.issueKey), { issueId });
  if (previous !== undefined && previous.issueKey !== trace.issueKey) {
    await platform.kvs.delete(issueKeyAlias(previous.issueKey));
  }
  return { written: true, propertyWritten, property, rankChanged };
}
