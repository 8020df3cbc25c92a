/**
 * The generate panel as the calling user opens it: the project's test types, the issue's stored
 * generation, the destinations its tests could go to, and whether the issue changed since.
 */
import type { GenerationPanelDto } from '../api';
import { Deadline } from '../clients/upstream';
import { gatherForUser } from '../context/gather';
import { PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import type { IssueRef } from '../sync/issue-ref';
import { loadProjectClients } from '../sync/project-clients';
import { generationShownTo } from './shown-to';
import { GenerationStore } from './store';

export async function getGenerationPanel(platform: Platform, caller: IssueRef): Promise<GenerationPanelDto> {
  const deadline = new Deadline(PANEL_BUDGET_MS);
  const clients = await loadProjectClients(platform, caller.project.id, deadline);
  const [gathered, { generation, proposals }] = await Promise.all([
    gatherForUser(platform, caller, clients, deadline),
    new GenerationStore(platform.kvs).generationWithProposals(caller.project.id, caller.issue.id),
  ]);
  const { document } = gathered;
  return {
    testTypes: gathered.testTypes,
    generation: generation ? await generationShownTo(platform, generation, proposals, deadline) : null,
    knownDestinations: {
      testSets: document.xray.testSets.map(({ key, summary }) => ({ key, summary })),
      testExecutions: document.xray.testExecutions.map(({ key, summary }) => ({ key, summary })),
      testPlans: document.xray.testPlans.map(({ key, summary }) => ({ key, summary })),
    },
    contextChanged: generation !== null && generation.contentHash !== document.contentHash,
  };
}
