/**
 * Context depth through the real resolvers and the seeded simulators (issue 20, items 1–3): linked
 * Confluence pages read as the user (a restricted page listed with the reason for the plain user and
 * included for the admin), sent to SQAI in the document, read in parallel with each other and beside
 * the Xray read; attachments listed with their reasons.
 */
import type { ContextPreviewDto, SendToSqaiResult } from '../../../src/api';
import type { ContextDocument } from '../../../src/context/schema';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { DEMO_PAGES } from '../../harness/fixtures/demo-confluence';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';

async function preview(world: World, key: string, as: string): Promise<ContextDocument> {
  const answer = data(await world.invokeIssue<ContextPreviewDto>('previewContext', {}, key, as));
  return answer.document;
}

const keyOf = (world: World, ref: string): string => {
  const issue = world.requirements.get(ref);
  if (!issue) throw new Error(`no ${ref}`);
  return issue.key;
};

describeWithContracts('context depth (world)', () => {
  let world: World;

  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
  });

  afterEach(() => {
    expectWorldWithinContracts(world);
    expect(world.confluence.violations).toEqual([]);
  });

  it('DEMO-1: the spec page’s tables and the decision log (linked by its /wiki/spaces/ URL), read as the user', async () => {
    const asUser = await preview(world, 'DEMO-1', DEMO.user);
    expect(asUser.schema).toBe('sqai.context/v1.2');
    const [spec, decisions] = asUser.linkedPages;
    expect(spec).toMatchObject({
      id: DEMO_PAGES.checkoutSpec,
      title: 'Checkout flow — product spec',
      reason: null,
    });
    expect(spec?.content).toContain('| FR-1 | Guest shoppers enter an email address before payment | Must |');
    expect(decisions).toMatchObject({
      id: DEMO_PAGES.decisionLog,
      url: `${DEMO.siteUrl}/wiki/spaces/SHOP/pages/${DEMO_PAGES.decisionLog}/Checkout+decision+log`,
      reason: null,
    });
    expect(decisions?.content).toContain('| 2026-10-21 | No CAPTCHA on guest checkout');
    // The same document for the admin: nothing on DEMO-1 is restricted.
    expect((await preview(world, 'DEMO-1', DEMO.admin)).contentHash).toBe(asUser.contentHash);
    expect(
      world.confluence.requests.map((request) => [request.path, request.accountId, request.status]),
    ).toEqual([
      [`/wiki/api/v2/pages/${DEMO_PAGES.checkoutSpec}?body-format=atlas_doc_format`, DEMO.user, 200],
      [`/wiki/api/v2/pages/${DEMO_PAGES.decisionLog}?body-format=atlas_doc_format`, DEMO.user, 200],
      [`/wiki/api/v2/pages/${DEMO_PAGES.checkoutSpec}?body-format=atlas_doc_format`, DEMO.admin, 200],
      [`/wiki/api/v2/pages/${DEMO_PAGES.decisionLog}?body-format=atlas_doc_format`, DEMO.admin, 200],
    ]);
  });

  it('saved-card: the restricted payment notes are listed with the reason for the plain user and included for the admin', async () => {
    const key = keyOf(world, 'saved-card');
    const asUser = await preview(world, key, DEMO.user);
    expect(asUser.linkedPages).toEqual([
      {
        id: DEMO_PAGES.paymentNotes,
        title: 'Payment provider integration notes',
        url: `${DEMO.siteUrl}/wiki/pages/viewpage.action?pageId=${DEMO_PAGES.paymentNotes}`,
        spaceId: null,
        updated: null,
        content: null,
        reason: 'notFoundOrRestricted',
      },
    ]);
    expect(JSON.stringify(asUser)).not.toContain('payment.succeeded');
    const asAdmin = await preview(world, key, DEMO.admin);
    expect(asAdmin.linkedPages[0]).toMatchObject({ id: DEMO_PAGES.paymentNotes, reason: null });
    expect(asAdmin.linkedPages[0]?.content).toContain(
      '| payment.succeeded | Mark the order paid, send the receipt |',
    );
    expect(asAdmin.contentHash).not.toBe(asUser.contentHash);
  });

  it('a panel send carries the pages to SQAI exactly as the preview shows them; the restricted one never leaves for the plain user', async () => {
    const key = keyOf(world, 'saved-card');
    const shown = await preview(world, key, DEMO.user);
    const first = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, key, DEMO.user));
    expect(first.outcome).toBe('pushed');
    expect(first.summary.contentHash).toBe(shown.contentHash);
    const stored = world.sqai.contexts.get(`${DEMO.cloudId}/${first.summary.issue.id}`);
    const document = stored?.document as unknown as ContextDocument | undefined;
    expect(document?.linkedPages).toEqual(shown.linkedPages);
    expect(JSON.stringify(document)).not.toContain('payment.succeeded');

    const demo1 = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', DEMO.user));
    const sent = world.sqai.contexts.get(`${DEMO.cloudId}/${demo1.summary.issue.id}`)?.document as unknown as
      ContextDocument | undefined;
    expect(sent?.linkedPages[0]?.content).toContain('## Functional requirements');
    // An unchanged re-send reads the pages again (2 requests) and sends nothing.
    const reads = world.confluence.requests.length;
    const again = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', DEMO.user));
    expect(again.outcome).toBe('unchanged');
    expect(world.confluence.requests.length - reads).toBe(2);
  });

  it('the Confluence reads run at once, beside the Xray read (not after it)', async () => {
    data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-1', DEMO.user)); // warms the Xray token
    world.confluence.clearRecords();
    world.xray.log.clear();
    world.confluence.latencyMs = 150;
    world.xray.latencyMs = 150;
    await preview(world, 'DEMO-1', DEMO.user);
    const span = (entry: { at: string; durationMs: number }) => {
      const start = Date.parse(entry.at);
      return { start, end: start + entry.durationMs };
    };
    const pages = world.confluence.log.entries.map(span);
    const graphql = world.xray.log.entries.filter((entry) => entry.path.endsWith('/graphql')).map(span);
    expect(pages).toHaveLength(2);
    expect(graphql.length).toBeGreaterThan(0);
    const [a, b] = pages;
    const [context] = graphql;
    if (!a || !b || !context) throw new Error('missing spans');
    // Both page reads overlap each other and the Xray context read.
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));
    expect(Math.max(a.start, context.start)).toBeLessThan(Math.min(a.end, context.end));
  });

  it('a /wiki/x/ short link pasted as a web link is listed as tinyLink (not read)', async () => {
    const reads = world.confluence.requests.length;
    const twoFactor = await preview(world, keyOf(world, 'two-factor'), DEMO.user);
    expect(twoFactor.linkedPages).toEqual([
      expect.objectContaining({
        id: null,
        title: 'Identity and password policy',
        content: null,
        reason: 'tinyLink',
      }),
    ]);
    expect(world.confluence.requests.length).toBe(reads);
  });

  it('sign-up’s attachments are listed newest first: the screenshot as binary, the 60 KB report as too large, each with type and size', async () => {
    const document = await preview(world, keyOf(world, 'sign-up'), DEMO.user);
    expect(document.attachments.map((entry) => entry.filename)).toEqual([
      'load-test-results.json',
      'signup-form.png',
      'breached-passwords-sample.csv',
      'password-rules.md',
      'sign-up.feature',
    ]);
    expect(document.attachments[0]).toMatchObject({
      mimeType: 'application/json',
      content: null,
      reason: 'tooLarge',
    });
    expect(document.attachments[0]?.size).toBeGreaterThan(50 * 1024);
    expect(document.attachments[1]).toMatchObject({
      mimeType: 'image/png',
      size: 33,
      content: null,
      reason: 'binary',
    });
  });
});
