/**
 * Confluence pages linked from the requirement (its web links), as the document's `linkedPages`.
 *
 * Which links: a web link whose URL is a Confluence URL (a `/wiki/` path, Confluence's application
 * type or name, or a Confluence host name). Which pages are read: only those on the Jira site's own
 * host (the app's `requestConfluence` reaches that site only), named by their id in the URL —
 * `/wiki/spaces/KEY/pages/<id>/…`, `/wiki/pages/viewpage.action?pageId=<id>` — or by the link's
 * `globalId` (`appId=…&pageId=<id>`, as Jira's Confluence integration writes it). A `/wiki/x/<code>`
 * short link without such a `globalId` names no id without another call (it is listed with reason
 * `tinyLink`; docs/confluence-fidelity.md C7), pages of other
 * sites with `otherSite`. At most `limits.linkedPagesRead` distinct pages are read, in the links'
 * order (later ones: `limit`); the same page linked twice is listed once.
 *
 * Reading (I/O) is `readLinkedPages`; building the entries (pure) is `linkedPageEntries`.
 */
import { type ConfluencePage, isPageId, type PageRead, readPage } from '../clients/confluence';
import type { JiraRemoteLink } from '../clients/jira-issues';
import type { Deadline } from '../clients/upstream';
import type { ConfluenceTransport, JiraActor } from '../platform/ports';
import { adfToMarkdown, truncateMarkdown } from './adf-markdown';
import { at, type ContextLimits, entry, type Entry, type TruncationLog } from './limits';
import { httpUrlOf } from './remote-links';
import type { LinkedPage, LinkedPageReason } from './schema';

/** A Confluence link of the requirement, before anything is read. */
export interface PageLink {
  title: string;
  /** The link's URL (http(s), without user name or password). */
  url: string;
  /** The page id the link names (only for the site's own pages). */
  pageId: string | null;
  /** Why it will not be read, or `null` when it will be. */
  reason: LinkedPageReason | null;
}

/** A Confluence link and, when it was read, what Confluence answered. */
export interface LinkedPageInput {
  link: PageLink;
  read: PageRead | null;
}

const CONFLUENCE_TYPE = 'com.atlassian.confluence';

function looksLikeConfluence(link: JiraRemoteLink, url: URL): boolean {
  return (
    url.pathname === '/wiki' ||
    url.pathname.startsWith('/wiki/') ||
    link.application?.type === CONFLUENCE_TYPE ||
    /confluence/i.test(link.application?.name ?? '') ||
    /(^|\.)confluence\./i.test(url.hostname)
  );
}

/** Whether a Confluence URL is a short link (`/wiki/x/<code>`), which names no page id without a call. */
export const isTinyLink = (url: URL): boolean => /^\/wiki\/x\/[^/]+\/?$/.test(url.pathname);

/** The page id a same-site Confluence URL names (in its path or query, else in the link's `globalId`). */
export function pageIdOf(url: URL, globalId: string | undefined): string | null {
  const path = url.pathname;
  const inPath = /^\/wiki\/spaces\/[^/]+\/pages\/(?:edit-v2\/)?(\d+)(?:\/|$)/.exec(path)?.[1];
  if (inPath && isPageId(inPath)) return inPath;
  if (/^\/wiki\/pages\/viewpage\.action$/.test(path)) {
    const id = url.searchParams.get('pageId');
    if (id && isPageId(id)) return id;
  }
  const fromGlobal = /(?:^|&)pageId=(\d+)(?:&|$)/.exec(globalId ?? '')?.[1];
  return fromGlobal && isPageId(fromGlobal) ? fromGlobal : null;
}

const hostOf = (site: string | null): string | null => {
  if (!site) return null;
  try {
    return new URL(site).hostname;
  } catch {
    return null;
  }
};

/**
 * The requirement's Confluence links in Jira's order, at most `limits.linkedPages`, each with the page
 * it names and why it will not be read (if so). `site` is the Jira site's URL. The first
 * `limits.linkedPagesRead` distinct pages are read; a page linked again is listed once.
 */
export function pageLinksOf(
  links: readonly JiraRemoteLink[],
  site: string | null,
  limits: ContextLimits,
): { links: PageLink[]; leftOut: number } {
  const siteHost = hostOf(site);
  const out: PageLink[] = [];
  const seen = new Set<string>();
  let toRead = 0;
  let leftOut = 0;
  for (const link of links) {
    const url = httpUrlOf(link.object.url);
    if (!url || url.href.length > limits.urlChars || !looksLikeConfluence(link, url)) continue;
    const sameSite = siteHost !== null && url.hostname === siteHost;
    const tiny = sameSite && isTinyLink(url);
    const pageId = sameSite ? pageIdOf(url, link.globalId) : null;
    if (pageId !== null && seen.has(pageId)) continue;
    if (out.length >= limits.linkedPages) {
      leftOut += 1;
      continue;
    }
    let reason: LinkedPageReason | null = null;
    if (!sameSite) reason = 'otherSite';
    else if (pageId === null) reason = tiny ? 'tinyLink' : 'noPageId';
    else if (toRead >= limits.linkedPagesRead) reason = 'limit';
    else toRead += 1;
    if (pageId !== null) seen.add(pageId);
    out.push({ title: link.object.title, url: url.href, pageId, reason });
  }
  return { links: out, leftOut };
}

/** Reads every page `links` says to read, all at once, as `as`: page id → answer. Never fails for a page. */
export async function readLinkedPages(
  confluence: ConfluenceTransport | undefined,
  links: readonly PageLink[],
  options: { as: JiraActor; deadline?: Deadline },
): Promise<Map<string, PageRead>> {
  const ids = links.flatMap((link) => (link.reason === null && link.pageId !== null ? [link.pageId] : []));
  const reads = await Promise.all(
    ids.map(async (id): Promise<[string, PageRead]> => [
      id,
      confluence ? await readPage(confluence, id, options) : { ok: false, reason: 'unavailable' },
    ]),
  );
  return new Map(reads);
}

/** Each link with what was read of its page (a page to read that has no answer: `unavailable`). */
export function withPageReads(
  links: readonly PageLink[],
  reads: ReadonlyMap<string, PageRead> | undefined,
): LinkedPageInput[] {
  return links.map((link) => ({
    link,
    read:
      link.reason !== null || link.pageId === null
        ? null
        : (reads?.get(link.pageId) ?? { ok: false, reason: 'unavailable' }),
  }));
}

/** One page of the document: whole, and the ways it may be made smaller to fit. */
export interface PageCandidate {
  full: Entry<LinkedPage>;
  /** The page with its content cut to about `chars` characters (`null` when it has no content). */
  cut: ((chars: number) => Entry<LinkedPage>) | null;
  /** The page listed without its content (reason `budget`). */
  listed: () => Entry<LinkedPage>;
  /** The whole content's length (characters). */
  contentChars: number;
}

/** The document's `linkedPages`, each page as a candidate for the size budget (./fit.ts). */
export function linkedPageEntries(
  pages: readonly LinkedPageInput[],
  limits: ContextLimits,
  log: TruncationLog,
): PageCandidate[] {
  return pages.map(({ link, read }, index) => {
    const key = link.pageId ?? `link-${index}`;
    const page: ConfluencePage | null = read?.ok ? read.page : null;
    const reason: LinkedPageReason | null = read && !read.ok ? read.reason : link.reason;
    const markdown = page ? adfToMarkdown(page.adf) : null;
    const build = (
      content: string | null,
      listedReason: LinkedPageReason | null,
      maxChars: number = limits.linkedPageChars,
    ) =>
      entry(log, (own) => {
        const name = (field: string, value: string | null) =>
          own.nullableText(at(`linkedPages.*.${field}`, key), value, limits.nameChars);
        let text = content;
        if (text !== null && text.length > maxChars) {
          text = truncateMarkdown(text, maxChars, 'page');
          own.add(at('linkedPages.*.content', key));
        }
        if (content === null && listedReason === 'budget') {
          own.add(at('linkedPages.*.content', key));
          own.count('linkedPages.content', 1);
        }
        return {
          id: name('id', link.pageId),
          title: name('title', page && page.title !== '' ? page.title : link.title) ?? '',
          url: link.url,
          spaceId: name('spaceId', page?.spaceId ?? null),
          updated: name('updated', page?.updated ?? null),
          content: text,
          reason: listedReason,
        };
      });
    return {
      full: build(markdown, markdown === null ? reason : null),
      cut:
        markdown === null
          ? null
          : (chars: number) => build(markdown, null, Math.min(chars, limits.linkedPageChars)),
      listed: () => build(null, 'budget'),
      contentChars: markdown?.length ?? 0,
    };
  });
}
