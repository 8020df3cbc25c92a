/**
 * The criteria the context document carries (`requirement.criteria`, `sqai.context/v1.1`): ids kept
 * across syncs through the stored criteria record, and a document hash that does not move while the
 * requirement does not (issue 18 item 1).
 */
import { Deadline } from '../../../src/clients/upstream';
import { gatherForUser } from '../../../src/context/gather';
import {
  criteriaForDocument,
  criteriaInputHash,
  keepDocumentCriteria,
  readCriteriaRecord,
  saveDocumentCriteria,
} from '../../../src/criteria/document-criteria';
import { criterionIdFor } from '../../../src/criteria/ids';
import { criteriaKey } from '../../../src/criteria/store';
import { loadProjectClients } from '../../../src/sync/project-clients';
import { syncIssue, type SyncIssueInput } from '../../../src/sync/sync-issue';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

type Adf = { type: string; content?: Adf[]; text?: string; attrs?: Record<string, unknown> };

const text = (value: string): Adf => ({ type: 'text', text: value });
const paragraph = (value: string): Adf => ({ type: 'paragraph', content: [text(value)] });
const item = (value: string): Adf => ({ type: 'listItem', content: [paragraph(value)] });
const descriptionWith = (criteria: string[]): { version: 1; type: 'doc'; content: Adf[] } => ({
  version: 1,
  type: 'doc',
  content: [
    paragraph('As a shopper I can check out without an account.'),
    { type: 'heading', attrs: { level: 2 }, content: [text('Acceptance criteria')] },
    { type: 'bulletList', content: criteria.map(item) },
  ],
});

const CRITERIA = [
  'A guest can pay without signing in',
  'The receipt is sent to the email the guest entered',
  'A guest order can be found by its number and email',
];

const T1 = '2026-12-04T10:00:00.000Z';
const T2 = '2026-12-04T11:00:00.000Z';
const T3 = '2026-12-04T12:00:00.000Z';

describe('criteriaForDocument (pure)', () => {
  it('gives each criterion a content id at first, and keeps every id when the list is reordered', () => {
    const first = criteriaForDocument(undefined, { description: descriptionWith(CRITERIA) }, T1);
    expect(first.updated).toBe(true);
    expect(first.criteria.map((criterion) => criterion.id)).toEqual(CRITERIA.map(criterionIdFor));
    expect(first.criteria.every((criterion) => criterion.source === 'list' && !criterion.changed)).toBe(true);

    const reordered = [CRITERIA[2], CRITERIA[0], CRITERIA[1]] as string[];
    const second = criteriaForDocument(first.record, { description: descriptionWith(reordered) }, T2);
    expect(second.criteria.map((criterion) => criterion.text)).toEqual(reordered);
    const idOf = (value: string) => first.criteria.find((criterion) => criterion.text === value)?.id;
    expect(second.criteria.map((criterion) => criterion.id)).toEqual(reordered.map(idOf));
    expect(second.criteria.some((criterion) => criterion.changed)).toBe(false);
  });

  it('reads nothing new and writes nothing while the criteria found are the same', () => {
    const first = criteriaForDocument(undefined, { description: descriptionWith(CRITERIA) }, T1);
    // Another paragraph edited: the same criteria are found, the record stands.
    const edited = descriptionWith(CRITERIA);
    edited.content?.splice(0, 1, paragraph('As a shopper I want to check out quickly.'));
    const again = criteriaForDocument(first.record, { description: edited }, T2);
    expect(again.updated).toBe(false);
    expect(again.record).toBe(first.record);
    expect(again.criteria).toEqual(first.criteria);
  });

  it('an edited criterion keeps its id and stays `changed` until the criteria change again (no second hash change)', () => {
    const first = criteriaForDocument(undefined, { description: descriptionWith(CRITERIA) }, T1);
    const edited = [CRITERIA[0], 'The receipt is sent to the email address the guest entered', CRITERIA[2]];
    const second = criteriaForDocument(
      first.record,
      { description: descriptionWith(edited as string[]) },
      T2,
    );
    expect(second.criteria[1]).toEqual({
      id: first.criteria[1]?.id,
      text: edited[1],
      source: 'list',
      changed: true,
    });
    // The next sync, nothing edited: the same criteria, `changed` included — the document's hash holds.
    const third = criteriaForDocument(
      second.record,
      { description: descriptionWith(edited as string[]) },
      T3,
    );
    expect(third.updated).toBe(false);
    expect(third.criteria).toEqual(second.criteria);
    // A later change elsewhere in the criteria ends it; a new criterion gets a new id.
    const added = [...(edited as string[]), 'A guest can create an account after paying'];
    const fourth = criteriaForDocument(third.record, { description: descriptionWith(added) }, T3);
    expect(fourth.criteria[1]?.changed).toBeUndefined();
    expect(fourth.criteria[3]).toEqual({
      id: criterionIdFor(added[3] ?? ''),
      text: added[3],
      source: 'list',
    });
  });

  it('hashes what was found, not the raw description (deep ADF is never serialized)', () => {
    expect(criteriaInputHash([{ text: 'A', source: 'list' }])).toMatch(/^[0-9a-f]{64}$/);
    expect(criteriaInputHash([{ text: 'A', source: 'list' }])).not.toBe(
      criteriaInputHash([{ text: 'A', source: 'table' }]),
    );
    let deep: Adf = paragraph('x');
    for (let depth = 0; depth < 5_000; depth += 1) deep = { type: 'blockquote', content: [deep] };
    expect(() =>
      criteriaForDocument(undefined, { description: { type: 'doc', content: [deep] } }, T1),
    ).not.toThrow();
  });

  it('reads a stored record only when it parses; saves only an updated one', async () => {
    const data = new Map<string, unknown>();
    const kvs = {
      get: (key: string) => Promise.resolve(data.get(key)),
      set: (key: string, value: unknown) => {
        data.set(key, value);
        return Promise.resolve();
      },
    };
    const warnings: string[] = [];
    const log = { warn: (message: string) => void warnings.push(message) };
    const first = criteriaForDocument(undefined, { description: descriptionWith(CRITERIA) }, T1);
    expect(await saveDocumentCriteria(kvs, '10001', first)).toBe(true);
    expect(await readCriteriaRecord(kvs, log, '10001')).toEqual(first.record);
    const same = criteriaForDocument(first.record, { description: descriptionWith(CRITERIA) }, T2);
    expect(await saveDocumentCriteria(kvs, '10001', same)).toBe(false);
    // The scheduled sync's one call: read, make, write when changed.
    const kept = await keepDocumentCriteria(
      { kvs, log },
      '10001',
      { description: descriptionWith([CRITERIA[1] ?? '', CRITERIA[0] ?? '']) },
      T2,
    );
    expect(kept.criteria.map((criterion) => criterion.id)).toEqual([
      first.criteria[1]?.id,
      first.criteria[0]?.id,
    ]);
    expect(await readCriteriaRecord(kvs, log, '10001')).toEqual(kept.record);
    data.set(criteriaKey('10002'), { version: 99 });
    expect(await readCriteriaRecord(kvs, log, '10002')).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});

async function connected(): Promise<World> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  return world;
}

function syncInput(world: World, issueKey: string): SyncIssueInput {
  const issue = world.jiraStore.issue(issueKey);
  if (!issue) throw new Error(`no issue ${issueKey}`);
  return {
    cloudId: DEMO.cloudId,
    siteUrl: DEMO.siteUrl,
    project: DEMO.project,
    issueId: issue.id,
    actor: 'app',
    trigger: 'panel',
    by: DEMO.admin,
    deadline: new Deadline(20_000),
  };
}

describeWithContracts('the context document carries the criteria with stable ids (sync)', () => {
  it('two syncs with a reordered description: the same ids; the record is read and updated; SQAI gets v1.1', async () => {
    const world = await connected();
    const issue = world.jiraStore.issue('DEMO-1');
    if (!issue) throw new Error('no DEMO-1');
    issue.description = descriptionWith(CRITERIA);
    const clients = await loadProjectClients(world.platform, DEMO.project.id);

    const first = await syncIssue(world.platform, clients, syncInput(world, 'DEMO-1'));
    expect(first.outcome).toBe('pushed');
    expect(first.document.schema).toBe('sqai.context/v1.2');
    const ids = new Map(
      first.document.requirement.criteria?.map((criterion) => [criterion.text, criterion.id]),
    );
    expect([...ids.keys()]).toEqual(CRITERIA);
    expect(world.platform.kvs.data.has(criteriaKey(issue.id))).toBe(true);
    const held = world.sqai.contexts.get(`${DEMO.cloudId}/${issue.id}`);
    expect(held?.document).toMatchObject({ requirement: { criteria: first.document.requirement.criteria } });

    // Unchanged: the same hash, nothing pushed.
    const repeat = await syncIssue(world.platform, clients, syncInput(world, 'DEMO-1'));
    expect(repeat.outcome).toBe('unchanged');
    expect(repeat.document.contentHash).toBe(first.document.contentHash);

    // Reordered, and the first criterion reworded a little: every id kept.
    const edited = [
      'A guest order can be found by its number and email',
      'The receipt is sent to the email the guest entered',
      'A guest can pay without signing in first',
    ];
    issue.description = descriptionWith(edited);
    const second = await syncIssue(world.platform, clients, syncInput(world, 'DEMO-1'));
    expect(second.outcome).toBe('pushed');
    expect(second.document.requirement.criteria?.map((criterion) => criterion.id)).toEqual([
      ids.get(CRITERIA[2] ?? ''),
      ids.get(CRITERIA[1] ?? ''),
      ids.get(CRITERIA[0] ?? ''),
    ]);
    expect(second.document.requirement.criteria?.[2]?.changed).toBe(true);

    // The panel's read (no write) builds the very same document: the same hash, so no "changed" ping-pong.
    const record = world.platform.kvs.data.get(criteriaKey(issue.id));
    const view = await gatherForUser(
      world.platform,
      { cloudId: DEMO.cloudId, siteUrl: DEMO.siteUrl, project: DEMO.project, issue: { id: issue.id } },
      clients,
      new Deadline(20_000),
      'app',
    );
    expect(view.document.contentHash).toBe(second.document.contentHash);
    expect(world.platform.kvs.data.get(criteriaKey(issue.id))).toBe(record);
    const third = await syncIssue(world.platform, clients, syncInput(world, 'DEMO-1'));
    expect(third.outcome).toBe('unchanged');
  });
});
