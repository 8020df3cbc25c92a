/**
 * Where a project's criteria are (issue 18 item 1; docs/criteria.md "A configured field"): a text
 * custom field the admin names, read by the panel and by the scheduled sync alike (one more field in
 * the reads they make anyway, no extra request), with the description as the fallback; and section
 * names the admin sets instead of "Acceptance criteria".
 */
import { Deadline } from '../../../src/clients/upstream';
import { criteriaInputOf } from '../../../src/criteria/document-criteria';
import { criteriaRecordSchema } from '../../../src/criteria/schema';
import { criteriaKey } from '../../../src/criteria/store';
import { syncOptionsSchema } from '../../../src/config/schema';
import { loadProjectClients } from '../../../src/sync/project-clients';
import { syncIssue } from '../../../src/sync/sync-issue';
import { describeWithContracts } from '../../harness/contracts';
import type { AdfDoc, AdfNode } from '../../harness/jira-sim/store';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

const FIELD = 'customfield_10042';

const text = (value: string) => ({ type: 'text', text: value });
const paragraph = (value: string) => ({ type: 'paragraph', content: [text(value)] });
const doc = (...content: unknown[]): AdfDoc => ({ version: 1, type: 'doc', content: content as AdfNode[] });
const list = (...items: string[]) => ({
  type: 'bulletList',
  content: items.map((item) => ({ type: 'listItem', content: [paragraph(item)] })),
});
const heading = (value: string) => ({ type: 'heading', attrs: { level: 3 }, content: [text(value)] });

async function connectedWith(sync: Record<string, unknown>): Promise<World> {
  const world = createWorld();
  const settings = demoSettings('enterprise');
  data(await world.invoke('saveSettings', { ...settings, sync: { ...settings.sync, ...sync } }));
  return world;
}

async function criteriaSentFor(world: World, issueKey: string): Promise<string[]> {
  const issue = world.jiraStore.issue(issueKey);
  if (!issue) throw new Error(`no ${issueKey}`);
  const clients = await loadProjectClients(world.platform, DEMO.project.id);
  const result = await syncIssue(world.platform, clients, {
    cloudId: DEMO.cloudId,
    siteUrl: DEMO.siteUrl,
    project: DEMO.project,
    issueId: issue.id,
    actor: 'app',
    trigger: 'panel',
    by: DEMO.admin,
    deadline: new Deadline(20_000),
  });
  return (result.document.requirement.criteria ?? []).map((criterion) => criterion.text);
}

describe('criteriaInputOf', () => {
  it('reads the configured field, else the description, with the configured section names', () => {
    const fields = { description: doc(paragraph('intro')), [FIELD]: '- One\n- Two' };
    expect(criteriaInputOf(fields, { criteriaField: FIELD, criteriaTitles: ['Done when'] })).toEqual({
      description: fields.description,
      field: '- One\n- Two',
      options: { titles: ['Done when'] },
    });
    expect(criteriaInputOf({ description: null, [FIELD]: null }, { criteriaField: FIELD })).toEqual({
      description: null,
    });
    expect(criteriaInputOf(fields, {})).toEqual({ description: fields.description });
  });

  it('settings saved before the options existed read as "no field, default names"', () => {
    const old = syncOptionsSchema.parse({
      enabled: true,
      requirementIssueTypes: [],
      includeRemoteLinks: true,
      includeTestRuns: true,
    });
    expect(old).toMatchObject({ criteriaField: '', criteriaTitles: [] });
  });
});

describeWithContracts('a project that keeps criteria in a custom field', () => {
  it('the field’s criteria are sent (its id is one more field in the same read); the description is the fallback', async () => {
    const world = await connectedWith({ criteriaField: FIELD });
    const issue = world.jiraStore.issue('DEMO-1');
    if (!issue) throw new Error('no DEMO-1');
    issue.description = doc(heading('Acceptance criteria'), list('From the description'));
    issue.customFields = new Map([[FIELD, '* Refunds go to the original card\n* The buyer gets an email']]);
    const before = world.jira.requests.length;
    expect(await criteriaSentFor(world, 'DEMO-1')).toEqual([
      'Refunds go to the original card',
      'The buyer gets an email',
    ]);
    const reads = world.jira.requests
      .slice(before)
      .filter((request) => request.operationId === 'getIssue' && request.path.includes(issue.id));
    expect(reads).toHaveLength(1);
    expect(decodeURIComponent(reads[0]?.path ?? '')).toContain(FIELD);

    // The field emptied: the description's criteria count again.
    issue.customFields = new Map([[FIELD, null]]);
    expect(await criteriaSentFor(world, 'DEMO-1')).toEqual(['From the description']);
  });

  it('the scheduled sync reads the field too, and keeps the same criteria record', async () => {
    const world = await connectedWith({ criteriaField: FIELD });
    const issue = world.jiraStore.issue('DEMO-2');
    if (!issue) throw new Error('no DEMO-2');
    issue.customFields = new Map([
      [
        FIELD,
        doc(list('Stock is reserved when the order is placed', 'A reservation expires after 15 minutes')),
      ],
    ]);
    world.jiraStore.touch(issue.id);
    await world.runScheduledTrigger();
    await world.platform.queue.drain();
    const record = criteriaRecordSchema.parse(world.platform.kvs.data.get(criteriaKey(issue.id)));
    expect(record.criteria.map((criterion) => [criterion.text, criterion.source])).toEqual([
      ['Stock is reserved when the order is placed', 'field'],
      ['A reservation expires after 15 minutes', 'field'],
    ]);
    // The panel's send builds the same criteria with the same ids.
    expect(await criteriaSentFor(world, 'DEMO-2')).toEqual(
      record.criteria.map((criterion) => criterion.text),
    );
    expect(criteriaRecordSchema.parse(world.platform.kvs.data.get(criteriaKey(issue.id))).criteria).toEqual(
      record.criteria,
    );
  });

  it('section names the admin set replace the defaults', async () => {
    const world = await connectedWith({ criteriaTitles: ['Done when'] });
    const issue = world.jiraStore.issue('DEMO-1');
    if (!issue) throw new Error('no DEMO-1');
    issue.description = doc(
      heading('Acceptance criteria'),
      list('Not read: the default name is replaced'),
      heading('Done when'),
      list('The export holds every order of the month'),
    );
    expect(await criteriaSentFor(world, 'DEMO-1')).toEqual(['The export holds every order of the month']);
  });

  it('a field id that is not a custom field id is refused, field by field', async () => {
    const world = createWorld();
    const settings = demoSettings('enterprise');
    const answer = await world.invoke('saveSettings', {
      ...settings,
      sync: { ...settings.sync, criteriaField: 'Acceptance Criteria', criteriaTitles: [''] },
    });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fieldErrors: {
          'sync.criteriaField': expect.stringMatching(/custom field id/) as unknown,
          'sync.criteriaTitles.0': expect.stringMatching(/cannot be empty/) as unknown,
        },
      },
    });
  });
});
