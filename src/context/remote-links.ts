/**
 * An issue's web (remote) links as the context document lists them. Only absolute `http:`/`https:`
 * URLs are sent — `javascript:`, `data:`, `vbscript:`, `file:`, relative and unparsable URLs are left
 * out and counted (`omitted["remoteLinks.nonHttpUrl"]`) — and a link is a Confluence page only on the
 * Jira site's own host: a `/wiki/` path, or Confluence's application type, name or `appId=` global id,
 * on any other host says nothing about where the link leads.
 */
import type { JiraRemoteLink } from '../clients/jira-issues';
import { at, type ContextLimits, entry, type Entry, type TruncationLog } from './limits';
import type { RemoteLinkEntry } from './schema';

export const NON_HTTP_URL = 'remoteLinks.nonHttpUrl';

const CONFLUENCE_TYPE = 'com.atlassian.confluence';

/** The WHATWG parse of `value`, or `null` when it is not an absolute URL. */
function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The Jira site's origin from its URL (`null` when there is none or it is not an http(s) URL). */
export function siteOriginOf(value: string | null | undefined): string | null {
  const url = value ? parseUrl(value) : null;
  return url && (url.protocol === 'https:' || url.protocol === 'http:') ? url.origin : null;
}

/**
 * Could `value` parse as an http(s) URL? The parser skips leading C0 controls and spaces and drops
 * tabs and line breaks anywhere, and the scheme is case-insensitive: `" ht\ntps:"` is `https:`.
 * Anything else (`javascript:`, `data:`, a relative path) is not worth parsing.
 */
function mayBeHttp(value: string): boolean {
  let start = 0;
  while (start < value.length && value.charCodeAt(start) <= 0x20) start += 1;
  return /^https?:/i.test(value.slice(start, start + 64).replace(/[\t\n\r]/g, ''));
}

/** `url` when it is an absolute http(s) URL, without any user name or password; else `null`. */
export function httpUrlOf(value: string): URL | null {
  if (!mayBeHttp(value)) return null;
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') return null;
  url.username = '';
  url.password = '';
  return url;
}

function isConfluencePage(link: JiraRemoteLink, url: URL, siteHost: string | null): boolean {
  if (siteHost === null || url.hostname !== siteHost) return false;
  return (
    url.pathname === '/wiki' ||
    url.pathname.startsWith('/wiki/') ||
    link.application?.type === CONFLUENCE_TYPE ||
    /confluence/i.test(link.application?.name ?? '') ||
    /(?:^|&)appId=/.test(link.globalId ?? '')
  );
}

/**
 * The links to send, in Jira's order: at most `limits.remoteLinks` of the http(s) ones, each cut to
 * the field limits. `site` is the Jira site's URL (its host decides what is Confluence). Links left
 * out are counted in `log`; each entry carries its own cuts.
 */
export function remoteLinksOf(
  links: readonly JiraRemoteLink[],
  site: string | null,
  limits: ContextLimits,
  log: TruncationLog,
): Entry<RemoteLinkEntry>[] {
  const siteHost = site === null ? null : (parseUrl(site)?.hostname ?? null);
  const out: Entry<RemoteLinkEntry>[] = [];
  let nonHttp = 0;
  let leftOut = 0;
  for (const link of links) {
    const url = httpUrlOf(link.object.url);
    if (!url) {
      nonHttp += 1;
      continue;
    }
    const href = url.href;
    if (href.length > limits.urlChars || out.length >= limits.remoteLinks) {
      leftOut += 1;
      continue;
    }
    const index = out.length;
    out.push(
      entry(log, (own) => {
        const name = (field: string, value: string | null | undefined) =>
          own.nullableText(at(`remoteLinks.*.${field}`, index), value, limits.nameChars);
        return {
          title: name('title', link.object.title) ?? '',
          url: href,
          application: name('application', link.application?.name),
          relationship: name('relationship', link.relationship),
          isConfluence: isConfluencePage(link, url, siteHost),
        };
      }),
    );
  }
  log.count(NON_HTTP_URL, nonHttp);
  log.omit('remoteLinks', leftOut);
  return out;
}
