/**
 * The Confluence simulator against Atlassian's published v2 spec
 * (../shared/contracts/confluence/confluence-v2.json): every request and answer is validated, the
 * demo pages answer in `getPageById`'s shape, and a restricted page is Confluence's 404 for whoever
 * may not read it.
 */
import { existsSync } from 'node:fs';
import {
  confluenceSpecPath,
  createConfluenceSimulator,
  loadConfluenceSpec,
} from '../../harness/confluence-sim/simulator';
import { ConfluenceStore, tinyCodeOf } from '../../harness/confluence-sim/store';
import { DEMO_PAGES, seedDemoConfluence } from '../../harness/fixtures/demo-confluence';
import { specValidator } from '../../harness/jira-sim/spec-validator';
import { DEMO } from '../../harness/world';

const haveSpec = existsSync(confluenceSpecPath);
if (!haveSpec && process.env.CI === 'true') throw new Error(`CI=true and ${confluenceSpecPath} is missing`);
const describeWithSpec = haveSpec ? describe : describe.skip;

function demoConfluence() {
  const known = new Set<string>([DEMO.admin, DEMO.user]);
  const store = new ConfluenceStore(DEMO.siteUrl, (id) => id !== undefined && known.has(id));
  seedDemoConfluence(store, new Date('2026-11-25T09:00:00Z'));
  return createConfluenceSimulator({ store });
}

const pagePath = (id: string, format = 'atlas_doc_format') =>
  `/wiki/api/v2/pages/${id}?body-format=${format}`;

describeWithSpec('Confluence simulator (v2 spec)', () => {
  it('answers getPageById in the spec’s shape: the body as an ADF JSON string, version and links', async () => {
    const sim = demoConfluence();
    const response = await sim.handle({
      method: 'GET',
      path: pagePath(DEMO_PAGES.checkoutSpec),
      actor: { as: 'user', accountId: DEMO.user },
    });
    expect(response.status).toBe(200);
    const page = JSON.parse(response.body) as {
      id: string;
      title: string;
      body: { atlas_doc_format: { representation: string; value: string } };
      version: { number: number };
      _links: { webui: string; tinyui: string; base: string };
    };
    expect(page).toMatchObject({ id: '98305', title: 'Checkout flow — product spec', status: 'current' });
    expect(page.body.atlas_doc_format.representation).toBe('atlas_doc_format');
    const adf = JSON.parse(page.body.atlas_doc_format.value) as { type: string; content: { type: string }[] };
    expect(adf.type).toBe('doc');
    expect(adf.content.filter((node) => node.type === 'table')).toHaveLength(2);
    expect(page._links).toMatchObject({
      webui: '/spaces/SHOP/pages/98305/Checkout+flow+%E2%80%94+product+spec',
      tinyui: `/x/${tinyCodeOf('98305')}`,
      base: `${DEMO.siteUrl}/wiki`,
    });
    expect(sim.requests).toEqual([
      expect.objectContaining({ operationId: 'getPageById', status: 200, actor: 'user' }),
    ]);
    expect(sim.violations).toEqual([]);
  });

  it('without body-format answers an empty body; the storage format is answered as storage', async () => {
    const sim = demoConfluence();
    const bare = await sim.handle({
      method: 'GET',
      path: `/wiki/api/v2/pages/${DEMO_PAGES.decisionLog}`,
      actor: { as: 'app' },
    });
    expect(JSON.parse(bare.body)).toMatchObject({ body: {}, parentId: '98305', parentType: 'page' });
    const storage = await sim.handle({
      method: 'GET',
      path: pagePath(DEMO_PAGES.decisionLog, 'storage'),
      actor: { as: 'app' },
    });
    expect(JSON.parse(storage.body)).toMatchObject({ body: { storage: { representation: 'storage' } } });
    expect(sim.violations).toEqual([]);
  });

  it('a restricted page is a 404 for the plain user (the same answer as a missing page) and readable for the admin', async () => {
    const sim = demoConfluence();
    const asUser = await sim.handle({
      method: 'GET',
      path: pagePath(DEMO_PAGES.paymentNotes),
      actor: { as: 'user', accountId: DEMO.user },
    });
    const missing = await sim.handle({
      method: 'GET',
      path: pagePath('4242'),
      actor: { as: 'user', accountId: DEMO.user },
    });
    expect(asUser.status).toBe(404);
    expect(asUser.body).toBe(missing.body);
    expect(JSON.parse(asUser.body)).toEqual({
      errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }],
    });
    const asAdmin = await sim.handle({
      method: 'GET',
      path: pagePath(DEMO_PAGES.paymentNotes),
      actor: { as: 'user', accountId: DEMO.admin },
    });
    expect(asAdmin.status).toBe(200);
    expect(JSON.parse(asAdmin.body)).toMatchObject({ title: 'Payment provider integration notes' });
    const asApp = await sim.handle({
      method: 'GET',
      path: pagePath(DEMO_PAGES.paymentNotes),
      actor: { as: 'app' },
    });
    expect(asApp.status).toBe(200);
    expect(sim.violations).toEqual([]);
  });

  it('an unknown or anonymous user is answered 401', async () => {
    const sim = demoConfluence();
    for (const accountId of ['nobody', undefined]) {
      const response = await sim.handle({
        method: 'GET',
        path: pagePath(DEMO_PAGES.checkoutSpec),
        actor: { as: 'user', ...(accountId ? { accountId } : {}) },
      });
      expect(response.status).toBe(401);
    }
    expect(sim.violations).toEqual([]);
  });

  it('the checks bite: a request the spec refuses, a path no operation serves, an operation not implemented', async () => {
    const sim = demoConfluence();
    const bad = await sim.handle({
      method: 'GET',
      path: pagePath(DEMO_PAGES.checkoutSpec, 'markdown'),
      actor: { as: 'app' },
    });
    expect(bad.status).toBe(400);
    const notAnId = await sim.handle({ method: 'GET', path: pagePath('abc'), actor: { as: 'app' } });
    expect(notAnId.status).toBe(400);
    const nowhere = await sim.handle({ method: 'GET', path: '/wiki/api/v2/nope', actor: { as: 'app' } });
    expect(nowhere.status).toBe(404);
    const outside = await sim.handle({
      method: 'GET',
      path: '/wiki/rest/api/content/1',
      actor: { as: 'app' },
    });
    expect(outside.status).toBe(404);
    const spaces = await sim.handle({ method: 'GET', path: '/wiki/api/v2/spaces', actor: { as: 'app' } });
    expect(spaces.status).toBe(501);
    expect(sim.violations).toEqual([
      expect.stringMatching(/^request to getPageById .*body-format.* does not match the spec/),
      expect.stringMatching(/^request to getPageById .*pages\/abc.* does not match the spec/),
      'no such Confluence v2 operation: GET /wiki/api/v2/nope',
      'no such Confluence v2 operation: GET /wiki/rest/api/content/1',
      'not implemented by the Confluence simulator: getSpaces',
    ]);
  });

  it('the response check bites: a page that breaks PageSingle is a problem', async () => {
    const spec = loadConfluenceSpec();
    if (!spec) throw new Error('no spec');
    const validator = await specValidator(spec);
    const operation = validator.match('GET', '/pages/98305');
    if (!operation) throw new Error('getPageById not matched');
    expect(operation.operationId).toBe('getPageById');
    expect(validator.checkResponse(operation, 200, { id: '1', version: { number: 'two' } })).toEqual([
      expect.stringMatching(/\/version\/number must be integer/),
    ]);
    expect(
      validator.checkResponse(operation, 200, { id: '1', body: { atlas_doc_format: { value: {} } } }),
    ).toEqual([expect.stringMatching(/\/body\/atlas_doc_format\/value must be string/)]);
  });
});

describe('tiny links', () => {
  it('are the page id’s little-endian bytes in Base64 with + → _ and / → -, trailing A’s trimmed (Confluence’s TinyUrl)', () => {
    expect(tinyCodeOf('98305')).toBe('AYAB');
    // 0xfbff_0000 → bytes 00 00 ff fb → "AAD/+w==" → "AAD-_w"
    expect(tinyCodeOf(String(0xfbff0000))).toBe('AAD-_w');
    expect(new Set(Object.values(DEMO_PAGES).map(tinyCodeOf)).size).toBe(Object.values(DEMO_PAGES).length);
  });
});
