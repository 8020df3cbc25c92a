/**
 * Which Confluence links become `linkedPages`, which pages are read, and how a page enters the
 * document (src/context/linked-pages.ts, build-document.ts).
 */
import type { PageRead } from '../../../src/clients/confluence';
import { buildContextDocument } from '../../../src/context/build-document';
import { CONTEXT_LIMITS } from '../../../src/context/limits';
import { isTinyLink, pageIdOf, pageLinksOf, readLinkedPages } from '../../../src/context/linked-pages';
import { contextDocumentSchema } from '../../../src/context/schema';
import type { ConfluenceTransport } from '../../../src/platform/ports';
import { doc, h, p, table } from '../../harness/fixtures/adf';
import { buildInput as input, remoteLink, SITE } from './build-input';

const page = (id: string, adf: unknown, title = `Page ${id}`): PageRead => ({
  ok: true,
  page: { id, title, spaceId: '32770', updated: '2026-11-20T10:00:00.000Z', adf },
});

describe('pageIdOf', () => {
  it.each([
    [`${SITE}/wiki/spaces/SHOP/pages/98305/Checkout+spec`, undefined, '98305'],
    [`${SITE}/wiki/spaces/SHOP/pages/98305`, undefined, '98305'],
    [`${SITE}/wiki/spaces/SHOP/pages/edit-v2/98305`, undefined, '98305'],
    [`${SITE}/wiki/pages/viewpage.action?pageId=98311`, undefined, '98311'],
    [`${SITE}/wiki/x/AYAB`, undefined, null],
    [`${SITE}/wiki/x/AYAB`, 'appId=abc&pageId=98305', '98305'],
    [`${SITE}/wiki/display/SHOP/Spec`, 'appId=abc&pageId=98320', '98320'],
    [`${SITE}/wiki/display/SHOP/Spec`, undefined, null],
    [`${SITE}/wiki/spaces/SHOP/overview`, undefined, null],
    [`${SITE}/wiki/pages/viewpage.action?pageId=../1`, undefined, null],
  ])('%s (globalId %s) → %s', (url, globalId, expected) => {
    expect(pageIdOf(new URL(url), globalId)).toBe(expected);
  });
});

it('isTinyLink', () => {
  expect(isTinyLink(new URL(`${SITE}/wiki/x/AYAB`))).toBe(true);
  expect(isTinyLink(new URL(`${SITE}/wiki/x/AYAB/more`))).toBe(false);
  expect(isTinyLink(new URL(`${SITE}/wiki/spaces/X/pages/1`))).toBe(false);
});

describe('pageLinksOf', () => {
  it('lists the Confluence links with why each will not be read; reads the same site’s pages by id, once each', () => {
    const links = [
      remoteLink(`${SITE}/wiki/spaces/SHOP/pages/98305/Spec`, 'Spec'),
      remoteLink(`${SITE}/wiki/pages/viewpage.action?pageId=98305`, 'Spec again'),
      remoteLink(`${SITE}/wiki/x/AYAB`, 'Short link'),
      remoteLink('https://other-site.atlassian.net/wiki/spaces/X/pages/1/Other', 'Other site'),
      remoteLink('https://confluence.example.com/display/SHOP/Filters', 'Server Confluence'),
      remoteLink(`${SITE}/wiki/spaces/SHOP/overview`, 'Space home'),
      remoteLink('https://docs.example.com/spec', 'Not Confluence'),
      remoteLink(`${SITE}/browse/DEMO-2`, 'A Jira issue'),
    ];
    const { links: pages, leftOut } = pageLinksOf(links, SITE, CONTEXT_LIMITS);
    expect(leftOut).toBe(0);
    expect(pages.map((entry) => [entry.title, entry.pageId, entry.reason])).toEqual([
      ['Spec', '98305', null],
      ['Short link', null, 'tinyLink'],
      ['Other site', null, 'otherSite'],
      ['Server Confluence', null, 'otherSite'],
      ['Space home', null, 'noPageId'],
    ]);
  });

  it('reads at most linkedPagesRead pages and lists at most linkedPages links (the rest counted)', () => {
    const links = Array.from({ length: 25 }, (_, index) =>
      remoteLink(`${SITE}/wiki/spaces/SHOP/pages/${1000 + index}/P`, `P${index}`),
    );
    const { links: pages, leftOut } = pageLinksOf(links, SITE, CONTEXT_LIMITS);
    expect(pages).toHaveLength(CONTEXT_LIMITS.linkedPages);
    expect(leftOut).toBe(25 - CONTEXT_LIMITS.linkedPages);
    expect(pages.filter((entry) => entry.reason === null)).toHaveLength(CONTEXT_LIMITS.linkedPagesRead);
    expect(pages.slice(CONTEXT_LIMITS.linkedPagesRead).every((entry) => entry.reason === 'limit')).toBe(true);
  });

  it('without a site URL nothing is read (no host to compare with)', () => {
    const { links } = pageLinksOf([remoteLink(`${SITE}/wiki/spaces/S/pages/1/P`, 'P')], null, CONTEXT_LIMITS);
    expect(links.map((entry) => entry.reason)).toEqual(['otherSite']);
  });
});

describe('readLinkedPages', () => {
  it('reads every page to read at once (all requests start before any answers)', async () => {
    let inFlight = 0;
    let most = 0;
    const paths: string[] = [];
    const confluence: ConfluenceTransport = {
      async request(path) {
        paths.push(path);
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return new Response(JSON.stringify({ id: /pages\/(\d+)/.exec(path)?.[1] ?? '', title: 'T' }), {
          status: 200,
        });
      },
    };
    const links = Array.from({ length: 12 }, (_, index) =>
      remoteLink(`${SITE}/wiki/spaces/SHOP/pages/${2000 + index}/P`, `P${index}`),
    );
    const reads = await readLinkedPages(confluence, pageLinksOf(links, SITE, CONTEXT_LIMITS).links, {
      as: 'user',
    });
    expect(reads.size).toBe(CONTEXT_LIMITS.linkedPagesRead);
    expect(paths).toHaveLength(CONTEXT_LIMITS.linkedPagesRead);
    expect(most).toBe(CONTEXT_LIMITS.linkedPagesRead);
  });

  it('without a Confluence transport, every page to read is unavailable (no request)', async () => {
    const reads = await readLinkedPages(
      undefined,
      pageLinksOf([remoteLink(`${SITE}/wiki/spaces/S/pages/5/P`, 'P')], SITE, CONTEXT_LIMITS).links,
      { as: 'user' },
    );
    expect([...reads]).toEqual([['5', { ok: false, reason: 'unavailable' }]]);
  });
});

describe('linkedPages in the document', () => {
  it('a page read is its content as Markdown (tables included); an unreadable one a link with the reason', () => {
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        remoteLinks: [
          remoteLink(`${SITE}/wiki/spaces/SHOP/pages/98305/Spec`, 'Link title'),
          remoteLink(`${SITE}/wiki/pages/viewpage.action?pageId=98311`, 'Restricted notes'),
          remoteLink(`${SITE}/wiki/x/AYAB`, 'Short'),
        ],
        pageReads: new Map<string, PageRead>([
          [
            '98305',
            page('98305', doc(h(2, 'Limits'), table(['Field', 'Max'], ['Email', '254'])), 'Checkout spec'),
          ],
          ['98311', { ok: false, reason: 'notFoundOrRestricted' }],
        ]),
      }),
    );
    expect(contextDocumentSchema.safeParse(document).success).toBe(true);
    expect(document.linkedPages).toEqual([
      {
        id: '98305',
        title: 'Checkout spec',
        url: `${SITE}/wiki/spaces/SHOP/pages/98305/Spec`,
        spaceId: '32770',
        updated: '2026-11-20T10:00:00.000Z',
        content: '## Limits\n\n| Field | Max |\n| - | - |\n| Email | 254 |',
        reason: null,
      },
      {
        id: '98311',
        title: 'Restricted notes',
        url: `${SITE}/wiki/pages/viewpage.action?pageId=98311`,
        spaceId: null,
        updated: null,
        content: null,
        reason: 'notFoundOrRestricted',
      },
      expect.objectContaining({ id: null, title: 'Short', content: null, reason: 'tinyLink' }),
    ]);
    // The web links stay as they were (additive).
    expect(document.remoteLinks).toHaveLength(3);
    expect(document.truncated).toEqual([]);
  });

  it('a page to read with no answer is unavailable; a page over linkedPageChars is cut with a marker and listed in truncated', () => {
    const long = doc(...Array.from({ length: 3_000 }, (_, index) => p(`Paragraph ${index} of the spec.`)));
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        remoteLinks: [
          remoteLink(`${SITE}/wiki/spaces/SHOP/pages/1/Long`, 'Long'),
          remoteLink(`${SITE}/wiki/spaces/SHOP/pages/2/Unanswered`, 'Unanswered'),
        ],
        pageReads: new Map([['1', page('1', long)]]),
      }),
    );
    const [cut, unanswered] = document.linkedPages;
    expect(cut?.content?.length).toBeLessThanOrEqual(CONTEXT_LIMITS.linkedPageChars);
    expect(cut?.content).toMatch(/\n\n\[… page truncated: \d+ more characters\]$/);
    expect(document.truncated).toEqual(['/linkedPages/0/content']);
    expect(unanswered).toMatchObject({ id: '2', content: null, reason: 'unavailable' });
  });

  it('with web links turned off there are no linked pages', () => {
    expect(buildContextDocument(input({ siteUrl: SITE, remoteLinks: null })).linkedPages).toEqual([]);
  });
});
