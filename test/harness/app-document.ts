/**
 * A demo world set up for the sync's view of one requirement: settings saved (enterprise plan) and a
 * `read()` that gathers the requirement's context document as the hourly sync does (as the app,
 * trigger `scheduled`). For tests of what the sync derives from the document (criteria state,
 * living tests).
 */
import { Deadline } from '../../src/clients/upstream';
import { gatherContext } from '../../src/context/gather';
import type { ContextDocument } from '../../src/context/schema';
import type { SimIssue } from './jira-sim/store';
import { loadProjectClients } from '../../src/sync/project-clients';
import { data, demoSettings } from './demo-settings';
import { createWorld, DEMO, type World } from './world';

export interface AppDocumentWorld {
  world: World;
  requirement: SimIssue;
  read: () => Promise<ContextDocument>;
}

export async function worldWithAppDocument(issueKey = 'DEMO-1'): Promise<AppDocumentWorld> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  const clients = await loadProjectClients(world.platform, DEMO.project.id);
  const requirement = world.jiraStore.issue(issueKey);
  if (!requirement) throw new Error(`no ${issueKey}`);
  const read = async (): Promise<ContextDocument> =>
    (
      await gatherContext(
        { jira: world.platform.jira, xray: clients.xray },
        {
          cloudId: DEMO.cloudId,
          siteUrl: DEMO.siteUrl,
          project: DEMO.project,
          issueId: requirement.id,
          actor: 'app',
          trigger: 'scheduled',
          settings: clients.settings,
          now: world.platform.clock.now(),
          deadline: new Deadline(20_000),
        },
      )
    ).document;
  return { world, requirement, read };
}
