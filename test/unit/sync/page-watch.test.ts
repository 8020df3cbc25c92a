/**
 * The hourly sync notices Confluence page edits (issue 20, "Confluence page content"): editing a
 * linked page changes nothing in Jira, so the JQL pass cannot find it; the run looks at the pages the
 * documents include with one `getPages` request (src/sync/watched-pages.ts) and re-sends exactly the
 * requirements whose pages moved or went — through the REAL handlers (scheduled trigger → queue →
 * consumer) against the simulators.
 */
import { z } from 'zod';
import type { SyncStatusDto } from '../../../src/api';
import { watchKey, watchRecordSchema } from '../../../src/sync/watched-pages';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { doc, h, p } from '../../harness/fixtures/adf';
import { DEMO_PAGES } from '../../harness/fixtures/demo-confluence';
import { DEMO_MENTION } from '../../harness/fixtures/demo-jira';
import { movableClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';

type Clock = ReturnType<typeof movableClock>;

const linkedPagesSchema = z
  .object({
    linkedPages: z.array(
      z
        .object({ id: z.string().nullable(), content: z.string().nullable(), reason: z.string().nullable() })
        .loose(),
    ),
  })
  .loose();

async function hourly(world: World, clock: Clock): Promise<void> {
  clock.advance(60 * 60_000);
  expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
  await world.platform.queue.drain();
}

const idOf = (world: World, ref: string): string => {
  const issue = world.requirements.get(ref);
  if (!issue) throw new Error(`no ${ref}`);
  return issue.id;
};

/** Requirements whose SQAI copy is at version 2 or more (re-sent since the backfill). */
function resent(world: World): string[] {
  return [...world.sqai.contexts.values()]
    .filter((stored) => stored.version > 1)
    .map((stored) => stored.issueId)
    .sort();
}

function pageIn(world: World, issueId: string, pageId: string) {
  const stored = world.sqai.contexts.get(`${DEMO.cloudId}/${issueId}`);
  return linkedPagesSchema.parse(stored?.document).linkedPages.find((page) => page.id === pageId);
}

/** Confluence requests of the run(s) since `from`, by operation. */
function confluenceSince(world: World, from: number): string[] {
  return world.confluence.requests.slice(from).map((request) => request.operationId ?? request.path);
}

async function lastRun(world: World): Promise<SyncStatusDto['lastRun']> {
  return data(await world.invoke<SyncStatusDto>('getSyncStatus', {})).lastRun;
}

describeWithContracts('the hourly sync notices Confluence page edits', () => {
  let world: World;
  let clock: Clock;

  beforeEach(async () => {
    clock = movableClock();
    world = createWorld({ now: clock.now });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain(); // the first backfill: every requirement at version 1
    await hourly(world, clock); // sets the cursor
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
    expect(world.confluence.violations).toEqual([]);
    expect(world.xray.documentErrors).toEqual([]);
    expect(world.platform.queue.failures).toEqual([]);
  });

  it('the backfill recorded each linked page at the version its documents include', async () => {
    const record = watchRecordSchema.parse(await world.platform.kvs.get(watchKey(DEMO.project.id)));
    const guest = idOf(world, 'guest-checkout');
    expect(record.requirements[guest]).toEqual([
      [DEMO_PAGES.checkoutSpec, 14],
      [DEMO_PAGES.decisionLog, 9],
    ]);
    // The restricted page is read as the app; the tiny link (no page id) is not watched.
    expect(record.requirements[idOf(world, 'saved-card')]).toEqual([[DEMO_PAGES.paymentNotes, 6]]);
    expect(record.requirements[idOf(world, 'two-factor')]).toBeUndefined();
    // The page that mentions a requirement ("mentioned in") is watched for it too.
    expect(record.requirements[idOf(world, DEMO_MENTION.requirementRef)]).toEqual([[DEMO_MENTION.pageId, 9]]);
    expect(record.refused).toBe(0);
  });

  it('a page that mentions a requirement (Jira’s "mentioned in" link) is read into its linkedPages', async () => {
    const confirmation = idOf(world, DEMO_MENTION.requirementRef);
    const [mention, ...others] = world.jiraStore.remoteLinksOf(confirmation);
    expect(others).toEqual([]);
    expect(mention).toMatchObject({
      relationship: 'mentioned in',
      globalId: `appId=demo-confluence&pageId=${DEMO_MENTION.pageId}`,
      application: { type: 'com.atlassian.confluence' },
    });
    expect(pageIn(world, confirmation, DEMO_MENTION.pageId)).toMatchObject({
      title: DEMO_MENTION.title,
      url: `${DEMO.siteUrl}/wiki/spaces/SHOP/pages/${DEMO_MENTION.pageId}/Checkout+decision+log`,
      reason: null,
    });
    expect(pageIn(world, confirmation, DEMO_MENTION.pageId)?.content).toContain(
      'Guest receipts are sent by the order service',
    );
  });

  it('nothing changed: one getPages request for every watched page, no page read, nothing pushed', async () => {
    const confluenceBefore = world.confluence.requests.length;
    const sqaiBefore = world.sqai.log.entries.length;
    await hourly(world, clock);
    expect(confluenceSince(world, confluenceBefore)).toEqual(['getPages']);
    const [look] = world.confluence.requests.slice(confluenceBefore);
    expect(look).toMatchObject({ actor: 'app', status: 200 });
    // Every distinct watched page in the one request (5 demo pages, 250 at most per request).
    expect(
      look?.path
        .match(/id=([\d,]+)/)?.[1]
        ?.split(',')
        .sort(),
    ).toEqual(Object.values(DEMO_PAGES).sort());
    expect(world.sqai.log.entries.length - sqaiBefore).toBe(0);
    expect(await lastRun(world)).toMatchObject({ status: 'done', total: 0 });
    expect(resent(world)).toEqual([]);
  });

  it('a page edit (no Jira change) is picked up by the next run: exactly the requirements linking it are re-sent, with the new content', async () => {
    const linking = [idOf(world, 'guest-checkout'), idOf(world, DEMO_MENTION.requirementRef)].sort();
    const updatedBefore = linking.map((id) => world.jiraStore.issues.get(id)?.updated);
    world.confluenceStore.editPage(DEMO_PAGES.decisionLog, {
      adf: doc(
        h(1, 'Checkout decision log'),
        p('2026-12-01: Apple Pay for guests is decided, for release 2027.01.'),
      ),
      at: clock.now(),
    });
    const confluenceBefore = world.confluence.requests.length;
    await hourly(world, clock);
    // Jira never heard of it.
    expect(linking.map((id) => world.jiraStore.issues.get(id)?.updated)).toEqual(updatedBefore);
    expect(resent(world)).toEqual(linking);
    for (const id of linking) {
      expect(world.sqai.contexts.get(`${DEMO.cloudId}/${id}`)?.version).toBe(2);
      expect(pageIn(world, id, DEMO_PAGES.decisionLog)?.content).toContain('Apple Pay for guests is decided');
    }
    expect(await lastRun(world)).toMatchObject({ status: 'done', total: 2, pushed: 2, failed: 0 });
    // One look, then the two documents' pages read again (the spec page for guest checkout too).
    expect(confluenceSince(world, confluenceBefore)).toEqual([
      'getPages',
      'getPageById',
      'getPageById',
      'getPageById',
    ]);
    // The record holds the new version: the run after that re-sends nothing.
    const record = watchRecordSchema.parse(await world.platform.kvs.get(watchKey(DEMO.project.id)));
    expect(record.requirements[idOf(world, DEMO_MENTION.requirementRef)]).toEqual([
      [DEMO_PAGES.decisionLog, 10],
    ]);
    const sqaiBefore = world.sqai.log.entries.length;
    await hourly(world, clock);
    expect(world.sqai.log.entries.length).toBe(sqaiBefore);
  });

  it('a deleted page: the requirement linking it is re-sent, the page listed with its reason, once', async () => {
    const deleteAccount = idOf(world, 'delete-account');
    expect(pageIn(world, deleteAccount, DEMO_PAGES.gdprDataMap)).toMatchObject({ reason: null });
    world.confluenceStore.deletePage(DEMO_PAGES.gdprDataMap);
    await hourly(world, clock);
    expect(resent(world)).toEqual([deleteAccount]);
    expect(pageIn(world, deleteAccount, DEMO_PAGES.gdprDataMap)).toMatchObject({
      content: null,
      reason: 'notFoundOrRestricted',
    });
    // Recorded as not readable: still gone next hour is no change.
    const sqaiBefore = world.sqai.log.entries.length;
    await hourly(world, clock);
    expect(world.sqai.log.entries.length).toBe(sqaiBefore);
  });

  it('a requirement whose page is no longer linked drops out: editing that page re-sends nothing', async () => {
    const deleteAccount = idOf(world, 'delete-account');
    for (const [id, link] of world.jiraStore.remoteLinks) {
      if (link.issueId === deleteAccount) world.jiraStore.remoteLinks.delete(id);
    }
    world.jiraStore.updateIssue(deleteAccount, { labels: ['gdpr', 'unlinked'] });
    await hourly(world, clock);
    const record = watchRecordSchema.parse(await world.platform.kvs.get(watchKey(DEMO.project.id)));
    expect(record.requirements[deleteAccount]).toBeUndefined();
    world.confluenceStore.editPage(DEMO_PAGES.gdprDataMap, { adf: doc(p('Edited.')), at: clock.now() });
    const sqaiBefore = world.sqai.log.entries.length;
    const confluenceBefore = world.confluence.requests.length;
    await hourly(world, clock);
    expect(world.sqai.log.entries.length).toBe(sqaiBefore);
    // The page is not asked about any more.
    const [look] = world.confluence.requests.slice(confluenceBefore);
    expect(look?.path).not.toContain(DEMO_PAGES.gdprDataMap);
  });

  it('Confluence failing the look: the run goes on with Jira’s and Xray’s changes; the next run finds the edit', async () => {
    world.confluenceStore.editPage(DEMO_PAGES.gdprDataMap, {
      adf: doc(p('Retention: 1 year.')),
      at: clock.now(),
    });
    world.confluence.failNext({ status: 503, count: 2 });
    await hourly(world, clock);
    expect(await lastRun(world)).toMatchObject({ status: 'done', total: 0 });
    expect(resent(world)).toEqual([]);
    await hourly(world, clock);
    expect(resent(world)).toEqual([idOf(world, 'delete-account')]);
    expect(pageIn(world, idOf(world, 'delete-account'), DEMO_PAGES.gdprDataMap)?.content).toContain(
      'Retention: 1 year.',
    );
  });
});
