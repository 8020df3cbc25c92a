/**
 * The Confluence client (src/clients/confluence.ts): one page body as ADF, as the user, against the
 * Confluence simulator (validated against the v2 spec); and the manifest's scopes against the spec's
 * per-operation scopes for every Confluence operation the app calls.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  CONFLUENCE_OPERATIONS,
  GET_PAGES_MAX_IDS,
  MAX_PAGE_BODY_CHARS,
  pageBodyPath,
  pagesPath,
  readPage,
  readPageVersions,
} from '../../../src/clients/confluence';
import type { ConfluenceTransport } from '../../../src/platform/ports';
import { repoRoot } from '../../harness/contracts';
import {
  confluenceSpecPath,
  createConfluenceSimulator,
  loadConfluenceSpec,
  type ConfluenceSimulator,
} from '../../harness/confluence-sim/simulator';
import { ConfluenceStore } from '../../harness/confluence-sim/store';
import { DEMO_PAGES, seedDemoConfluence } from '../../harness/fixtures/demo-confluence';
import { doc, p } from '../../harness/fixtures/adf';
import { toHttpResponse } from '../../harness/local-platform';
import { DEMO } from '../../harness/world';

const haveSpec = existsSync(confluenceSpecPath);
if (!haveSpec && process.env.CI === 'true') throw new Error(`CI=true and ${confluenceSpecPath} is missing`);
const describeWithSpec = haveSpec ? describe : describe.skip;

function setUp(accountId: string | undefined = DEMO.user) {
  const store = new ConfluenceStore(DEMO.siteUrl, (id) => id === DEMO.user || id === DEMO.admin);
  seedDemoConfluence(store, new Date('2026-11-25T09:00:00Z'));
  const sim = createConfluenceSimulator({ store });
  const transport: ConfluenceTransport = {
    async request(requestPath, init, { as }) {
      return toHttpResponse(
        await sim.handle({
          method: init.method ?? 'GET',
          path: requestPath,
          headers: init.headers ?? {},
          actor: as === 'app' ? { as: 'app' } : { as: 'user', ...(accountId ? { accountId } : {}) },
        }),
      );
    },
  };
  return { sim, store, transport };
}

const expectClean = (sim: ConfluenceSimulator) => expect(sim.violations).toEqual([]);

describeWithSpec('readPage', () => {
  it('reads a page the user may read: title, space, version time and the body as ADF', async () => {
    const { sim, transport } = setUp();
    const read = await readPage(transport, DEMO_PAGES.checkoutSpec, { as: 'user' });
    if (!read.ok) throw new Error(read.reason);
    expect(read.page).toMatchObject({ id: '98305', title: 'Checkout flow — product spec', spaceId: '32770' });
    expect(read.page.updated).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(read.page.version).toBe(14);
    expect(read.page.adf).toMatchObject({ type: 'doc', version: 1 });
    expect(sim.requests.map((request) => request.path)).toEqual([
      '/wiki/api/v2/pages/98305?body-format=atlas_doc_format',
    ]);
    expectClean(sim);
  });

  it('a restricted page: notFoundOrRestricted for the plain user, read for the admin', async () => {
    const user = setUp(DEMO.user);
    expect(await readPage(user.transport, DEMO_PAGES.paymentNotes, { as: 'user' })).toEqual({
      ok: false,
      reason: 'notFoundOrRestricted',
    });
    const admin = setUp(DEMO.admin);
    expect((await readPage(admin.transport, DEMO_PAGES.paymentNotes, { as: 'user' })).ok).toBe(true);
    expectClean(user.sim);
    expectClean(admin.sim);
  });

  it('no user: noAccess; Confluence failing twice: unavailable; a page that is not there: notFoundOrRestricted', async () => {
    const anonymous = setUp('stranger');
    expect(await readPage(anonymous.transport, DEMO_PAGES.checkoutSpec, { as: 'user' })).toEqual({
      ok: false,
      reason: 'noAccess',
    });
    const { sim, transport } = setUp();
    sim.failNext({ status: 503, count: 2 });
    expect(await readPage(transport, DEMO_PAGES.checkoutSpec, { as: 'user' })).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    expect(await readPage(transport, '777', { as: 'user' })).toEqual({
      ok: false,
      reason: 'notFoundOrRestricted',
    });
    expectClean(sim);
  });

  it('a body over the read cap is tooLarge (not converted)', async () => {
    const { sim, store, transport } = setUp();
    const huge = doc(p('x'.repeat(MAX_PAGE_BODY_CHARS)));
    store.addPage({
      id: '99999',
      spaceId: '32770',
      title: 'Huge',
      adf: huge,
      authorId: DEMO.admin,
      createdAt: '2026-01-01T00:00:00.000Z',
      version: { number: 1, createdAt: '2026-01-01T00:00:00.000Z', authorId: DEMO.admin },
    });
    // Read far enough to know its version (what the hourly sync's page watch compares).
    expect(await readPage(transport, '99999', { as: 'user' })).toEqual({
      ok: false,
      reason: 'tooLarge',
      version: 1,
    });
    expectClean(sim);
  });

  it('Forge’s consent prompt goes through; any other thrown error lists the page as unavailable', async () => {
    const consent = Object.assign(new Error('needs consent'), { name: 'NEEDS_AUTHENTICATION_ERR' });
    const asking: ConfluenceTransport = { request: () => Promise.reject(consent) };
    await expect(readPage(asking, '1', { as: 'user' })).rejects.toBe(consent);
    const broken: ConfluenceTransport = { request: () => Promise.reject(new TypeError('fetch failed')) };
    expect(await readPage(broken, '1', { as: 'user' })).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('builds only page-id paths', () => {
    expect(pageBodyPath('98305')).toBe('/wiki/api/v2/pages/98305?body-format=atlas_doc_format');
    for (const bad of ['', '0', 'abc', '1/../2', '12345678901234567890']) {
      expect(() => pageBodyPath(bad)).toThrow(/Not a Confluence page id/);
    }
  });
});

const ALL_DEMO_PAGES = Object.values(DEMO_PAGES);

function addPages(store: ConfluenceStore, count: number, firstId = 200_001): string[] {
  return Array.from({ length: count }, (_, index) => {
    const id = String(firstId + index);
    store.addPage({
      id,
      spaceId: '32770',
      title: `Page ${id}`,
      adf: doc(p(id)),
      authorId: DEMO.admin,
      createdAt: '2026-01-01T00:00:00.000Z',
      version: { number: (index % 7) + 1, createdAt: '2026-01-01T00:00:00.000Z', authorId: DEMO.admin },
    });
    return id;
  });
}

describeWithSpec('readPageVersions (getPages)', () => {
  it('one request for up to 250 pages, no bodies: each page’s version number; a missing page is absent', async () => {
    const { sim, store, transport } = setUp();
    const { versions, requests } = await readPageVersions(transport, [...ALL_DEMO_PAGES, '777'], {
      as: 'app',
    });
    expect(requests).toBe(1);
    expect(Object.fromEntries(versions)).toEqual(
      Object.fromEntries(ALL_DEMO_PAGES.map((id) => [id, store.pages.get(id)?.version.number])),
    );
    expect(versions.get(DEMO_PAGES.checkoutSpec)).toBe(14);
    expect(sim.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/wiki/api/v2/pages?id=${[...ALL_DEMO_PAGES, '777'].join(',')}&limit=250`,
        operationId: 'getPages',
        status: 200,
        actor: 'app',
      }),
    ]);
    expectClean(sim);
  });

  it('only pages the actor may view: a restricted page is absent for the plain user, present for the app', async () => {
    const { sim, transport } = setUp(DEMO.user);
    const asUser = await readPageVersions(transport, ALL_DEMO_PAGES, { as: 'user' });
    expect(asUser.versions.has(DEMO_PAGES.paymentNotes)).toBe(false);
    expect(asUser.versions.size).toBe(ALL_DEMO_PAGES.length - 1);
    const asApp = await readPageVersions(transport, ALL_DEMO_PAGES, { as: 'app' });
    expect(asApp.versions.get(DEMO_PAGES.paymentNotes)).toBe(6);
    expectClean(sim);
  });

  it('an edit moves the version by one; a deleted page is no longer answered (getPageById: 404)', async () => {
    const { sim, store, transport } = setUp();
    store.editPage(DEMO_PAGES.passwordPolicy, {
      adf: doc(p('At least 14 characters.')),
      at: new Date('2026-11-26T10:00:00Z'),
    });
    store.deletePage(DEMO_PAGES.gdprDataMap);
    const { versions } = await readPageVersions(transport, ALL_DEMO_PAGES, { as: 'app' });
    expect(versions.get(DEMO_PAGES.passwordPolicy)).toBe(23);
    expect(versions.has(DEMO_PAGES.gdprDataMap)).toBe(false);
    const read = await readPage(transport, DEMO_PAGES.passwordPolicy, { as: 'app' });
    expect(read.ok && read.page.version).toBe(23);
    expect(read.ok && read.page.updated).toBe('2026-11-26T10:00:00.000Z');
    expect(await readPage(transport, DEMO_PAGES.gdprDataMap, { as: 'app' })).toEqual({
      ok: false,
      reason: 'notFoundOrRestricted',
    });
    expectClean(sim);
  });

  it('600 pages: 3 requests of at most 250 ids (the spec’s maxItems and limit maximum)', async () => {
    const { sim, store, transport } = setUp();
    const ids = addPages(store, 600);
    const { versions, requests } = await readPageVersions(transport, [...ids, ...ids.slice(0, 10)], {
      as: 'app',
    });
    expect(requests).toBe(3);
    expect(versions.size).toBe(600);
    expect(versions.get('200008')).toBe(1);
    expect(sim.requests.map((request) => request.path.split('&')[0]?.split(',').length)).toEqual([
      250, 250, 100,
    ]);
    expectClean(sim);
  });

  it('the simulator pages by limit and cursor: _links.next and the Link header, followed by the client', async () => {
    const { sim, store } = setUp();
    addPages(store, 3);
    const first = await sim.handle({
      method: 'GET',
      path: '/wiki/api/v2/pages?limit=4',
      actor: { as: 'app' },
    });
    const body = z
      .object({
        results: z.array(z.object({ id: z.string(), version: z.object({ number: z.number() }) }).loose()),
        _links: z.object({ next: z.string(), base: z.string() }),
      })
      .parse(JSON.parse(first.body));
    expect(body.results.map((page) => page.id)).toEqual(['98305', '98311', '98320', '98330']);
    expect(body.results[0]).not.toHaveProperty('body');
    expect(body._links.next).toMatch(/^\/wiki\/api\/v2\/pages\?limit=4&cursor=[A-Za-z0-9_-]+$/);
    expect(first.headers.Link).toBe(`<${body._links.next}>; rel="next", <${body._links.base}>; rel="base"`);
    const second = JSON.parse(
      (await sim.handle({ method: 'GET', path: body._links.next, actor: { as: 'app' } })).body,
    ) as { results: { id: string }[]; _links: { next?: string } };
    expect(second.results.map((page) => page.id)).toEqual(['98340', '200001', '200002', '200003']);
    expect(second._links.next).toBeUndefined();
    // A next link is followed (a server may page below the asked limit).
    const paging = setUp();
    const pagingTransport: ConfluenceTransport = {
      request: (requestPath, init, options) =>
        paging.transport.request(requestPath.replace('limit=250', 'limit=2'), init, options),
    };
    const read = await readPageVersions(pagingTransport, ALL_DEMO_PAGES, { as: 'app' });
    expect(read.requests).toBe(3);
    expect(read.versions.size).toBe(5);
    expectClean(sim);
    expectClean(paging.sim);
  });

  it('the checks bite: 251 ids, a non-numeric id or a limit over 250 are 400s and violations', async () => {
    const { sim } = setUp();
    const ids = Array.from({ length: 251 }, (_, index) => String(index + 1));
    for (const query of [`id=${ids.join(',')}`, 'id=abc', 'limit=251']) {
      const answer = await sim.handle({
        method: 'GET',
        path: `/wiki/api/v2/pages?${query}`,
        actor: { as: 'app' },
      });
      expect(answer.status).toBe(400);
    }
    expect(sim.violations).toHaveLength(3);
    expect(sim.violations.join('\n')).toMatch(/getPages/);
  });

  it('Confluence failing twice throws (the caller decides); consent goes through', async () => {
    const { sim, transport } = setUp();
    sim.failNext({ status: 503, count: 2 });
    await expect(readPageVersions(transport, ALL_DEMO_PAGES, { as: 'app' })).rejects.toThrow(/503/);
    const consent = Object.assign(new Error('needs consent'), { name: 'NEEDS_AUTHENTICATION_ERR' });
    const asking: ConfluenceTransport = { request: () => Promise.reject(consent) };
    await expect(readPageVersions(asking, ['1'], { as: 'user' })).rejects.toBe(consent);
    expect(await readPageVersions(transport, [], { as: 'app' })).toEqual({
      versions: new Map(),
      requests: 0,
    });
  });

  it('builds only page-id lists of 1–250 ids', () => {
    expect(pagesPath(['1', '2'])).toBe('/wiki/api/v2/pages?id=1,2&limit=250');
    expect(() => pagesPath([])).toThrow(/1–250/);
    expect(() => pagesPath(Array.from({ length: GET_PAGES_MAX_IDS + 1 }, (_, i) => String(i + 1)))).toThrow(
      /1–250/,
    );
    expect(() => pagesPath(['1', '1/../2'])).toThrow(/Not a Confluence page id/);
  });
});

const scopeEntry = z.object({ scopes: z.array(z.string()), state: z.string().optional() }).loose();

describeWithSpec('manifest scopes cover every Confluence operation the app calls', () => {
  const manifest = z
    .object({ permissions: z.object({ scopes: z.array(z.string()) }) })
    .loose()
    .parse(parseYaml(readFileSync(path.join(repoRoot, 'manifest.yml'), 'utf8')));
  const granted = new Set(manifest.permissions.scopes);
  const spec = loadConfluenceSpec();

  it.each(Object.entries(CONFLUENCE_OPERATIONS))('%s', (name, operation) => {
    const op = z
      .object({ operationId: z.string(), 'x-atlassian-oauth2-scopes': z.array(scopeEntry) })
      .loose()
      .parse(spec?.paths[operation.path]?.[operation.method.toLowerCase()]);
    expect(op.operationId).toBe(name);
    const covered = op['x-atlassian-oauth2-scopes'].some((entry) =>
      entry.scopes.every((scope) => granted.has(scope)),
    );
    expect({ operation: name, covered }).toEqual({ operation: name, covered: true });
  });

  it('the check bites: writing a page needs a scope the manifest does not grant', () => {
    const op = z
      .object({ 'x-atlassian-oauth2-scopes': z.array(scopeEntry) })
      .loose()
      .parse(spec?.paths['/pages/{id}']?.put);
    expect(op['x-atlassian-oauth2-scopes'].some((e) => e.scopes.every((s) => granted.has(s)))).toBe(false);
  });
});
