/**
 * An update-mode generation's items as the panel receives them (src/api.ts TestUpdateProposalDto):
 * pure mapping. The caller has already left out the tests the reader may not see.
 */
import type { TestContentDto, TestUpdateProposalDto } from '../api';
import type { TestContent, UpdateItem } from './update-store';

export function toTestContentDto(content: TestContent): TestContentDto {
  switch (content.kind) {
    case 'Steps':
      return { kind: 'Steps', steps: content.steps.map((step) => ({ ...step })) };
    case 'Gherkin':
      return { kind: 'Gherkin', gherkin: content.gherkin };
    case 'Unstructured':
      return { kind: 'Unstructured', definition: content.definition };
  }
}

/** An item SQAI has not answered about reads as "still valid, no proposal" only once it answered. */
const statusOf = (item: UpdateItem): TestUpdateProposalDto['status'] =>
  item.status === 'asked' ? 'proposed' : item.status;

export function toUpdateProposalDto(item: UpdateItem): TestUpdateProposalDto {
  return {
    testKey: item.testKey,
    summary: item.summary,
    verdict: item.verdict ?? 'valid',
    reason:
      item.reason ??
      (item.verdict === undefined ? 'SQAI proposed nothing for this test; review it yourself.' : null),
    criterionIds: item.criterionIds,
    staleReasons: item.reasons,
    before: toTestContentDto(item.before),
    ...(item.after ? { after: toTestContentDto(item.after) } : {}),
    status: statusOf(item),
    ...(item.progress && item.status === 'applying' ? { progress: item.progress } : {}),
    ...(item.error ? { error: item.error } : {}),
    ...(item.decidedBy ? { decidedBy: item.decidedBy } : {}),
    ...(item.decidedAt ? { decidedAt: item.decidedAt } : {}),
    ...(item.unusable ? { unusable: item.unusable } : {}),
  };
}
