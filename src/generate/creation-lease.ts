/**
 * One runner per creation. A creation's tests are made by whoever holds its lease: the panel's
 * resolver for a small creation, the queue consumer for a large one. A second Create, a Continue
 * from a reloaded panel, or a second delivery of the same event finds the lease taken and attaches
 * to the creation instead of creating its tests a second time.
 */
import { takeLease, type LeaseAnswer, type LeaseDeps } from './lease';

export const leaseKey = (projectId: string, issueId: string) => `genlock:${projectId}:${issueId}`;

export function takeCreationLease(
  deps: LeaseDeps,
  projectId: string,
  issueId: string,
  durationMs: number,
): Promise<LeaseAnswer> {
  return takeLease(deps, leaseKey(projectId, issueId), durationMs);
}
