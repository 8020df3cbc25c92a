/** The exact context document the app would send SQAI for the caller's issue, as Jira lets them see it. */
import type { ContextPreviewDto } from '../api';
import { Deadline } from '../clients/upstream';
import { byteSize } from '../context/content-hash';
import { gatherForUser } from '../context/gather';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from './issue-ref';
import { loadProjectClients } from './project-clients';

export async function previewContext(platform: Platform, caller: IssueRef): Promise<ContextPreviewDto> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const { document } = await gatherForUser(platform, caller, clients, deadline);
  return { document, contentHash: document.contentHash, sizeBytes: byteSize(document) };
}
