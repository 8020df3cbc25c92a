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
  MAX_PAGE_BODY_CHARS,
  pageBodyPath,
  readPage,
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
    expect(await readPage(transport, '99999', { as: 'user' })).toEqual({ ok: false, reason: 'tooLarge' });
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
