/**
 * Confluence Cloud REST v2 over Forge native auth (`requestConfluence`): the one read the context
 * document needs, a page's body as ADF. As the user, Confluence's own permissions decide: a page the
 * user may not read answers 404, exactly like a page that does not exist (the v2 spec's `getPageById`:
 * "Returned if the calling user does not have permission to view the requested page or the page was
 * not found"). A page is never a reason for the whole read to fail: anything but a readable page is
 * answered as the reason it is listed as a link only (docs/confluence-fidelity.md).
 *
 * Contract: ../shared/contracts/confluence/confluence-v2.json, operation `getPageById`
 * (`GET /wiki/api/v2/pages/{id}?body-format=atlas_doc_format`, scope `read:page:confluence`); and,
 * for the hourly sync's look at the pages documents include, `getPages`
 * (`GET /wiki/api/v2/pages?id=1,2,…&limit=250`, the same scope): up to 250 pages' current version
 * numbers in one request, without bodies (docs/confluence-fidelity.md C9).
 */
import { z } from 'zod';
import { passConsentThrough } from '../platform/forge-errors';
import type { ConfluenceTransport, JiraActor } from '../platform/ports';
import { safeParse } from './safe-parse';
import { type Deadline, requestUpstream, UpstreamError } from './upstream';

/** Every Confluence operation the app calls (the manifest's scopes are checked against these). */
export const CONFLUENCE_OPERATIONS = {
  getPageById: { method: 'GET', path: '/pages/{id}' },
  getPages: { method: 'GET', path: '/pages' },
} as const;

/** `getPages`: at most this many ids in its `id` filter, and at most this `limit` (the v2 spec's maxima). */
export const GET_PAGES_MAX_IDS = 250;

/** The v2 API's base path on the site (the spec's server `https://{your-domain}/wiki/api/v2`). */
export const CONFLUENCE_V2_BASE = '/wiki/api/v2';

const CONFLUENCE_TIMEOUT_MS = 8_000;

/**
 * A page body larger than this (the ADF JSON string, characters) is not converted: it is listed as a
 * link with the reason `tooLarge` (Confluence pages can hold megabytes of tables and macros).
 */
export const MAX_PAGE_BODY_CHARS = 2_000_000;

/** A page id as the v2 API takes it (`int64`). */
export const isPageId = (value: string): boolean => /^[1-9]\d{0,18}$/.test(value);

/** `/wiki/api/v2/pages/<id>?body-format=atlas_doc_format`. */
export function pageBodyPath(pageId: string): string {
  if (!isPageId(pageId)) throw new Error(`Not a Confluence page id: ${pageId}`);
  return `${CONFLUENCE_V2_BASE}/pages/${encodeURIComponent(pageId)}?body-format=atlas_doc_format`;
}

const pageSchema = z
  .object({
    id: z.string(),
    title: z.string().optional(),
    spaceId: z.string().optional(),
    status: z.string().optional(),
    version: z.object({ createdAt: z.string().optional(), number: z.number().optional() }).loose().optional(),
    body: z
      .object({
        atlas_doc_format: z.object({ value: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
    _links: z.object({ webui: z.string().optional(), base: z.string().optional() }).loose().optional(),
  })
  .loose();

/** A page the actor could read. */
export interface ConfluencePage {
  id: string;
  title: string;
  spaceId: string | null;
  /** When the current version was made (ISO 8601), if Confluence said. */
  updated: string | null;
  /** The current version's number, if Confluence said (what `getPages` is compared with). */
  version?: number;
  /** The body as ADF (`null` when it is empty or not ADF). */
  adf: unknown;
}

/**
 * Why a page could not be read: `notFoundOrRestricted` is Confluence's 404, which it answers alike for
 * a page that does not exist and one the user may not read (it does not say which); `noAccess` a 401
 * or 403 (the actor may not use Confluence at all); `tooLarge` a body over MAX_PAGE_BODY_CHARS;
 * `unavailable` anything else (a 5xx after the retry, no answer in time, an answer that is not a page).
 */
export type PageUnreadable = 'noAccess' | 'notFoundOrRestricted' | 'tooLarge' | 'unavailable';

export type PageRead =
  | { ok: true; page: ConfluencePage }
  | {
      ok: false;
      reason: PageUnreadable;
      /** A page too large to convert: its version number, when the answer was read far enough to say. */
      version?: number;
    };

function parseAdf(value: string | undefined): unknown {
  if (value === undefined || value === '') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}

/** One GET to Confluence as `as`: one retry of a 429/5xx within the deadline; Forge's consent error as thrown. */
function getFromConfluence(
  transport: ConfluenceTransport,
  path: string,
  options: { as: JiraActor; deadline?: Deadline },
) {
  return requestUpstream(
    (init) => transport.request(path, init, { as: options.as }),
    { method: 'GET' },
    {
      upstream: 'Confluence',
      timeoutMs: CONFLUENCE_TIMEOUT_MS,
      maxAttempts: 2,
      ...(options.deadline ? { deadline: options.deadline } : {}),
      onSendError: (error) => passConsentThrough(error),
    },
  );
}

/** Reads one page's body as ADF, as `as` (one request; one retry of a 429/5xx within the deadline). */
export async function readPage(
  transport: ConfluenceTransport,
  pageId: string,
  options: { as: JiraActor; deadline?: Deadline },
): Promise<PageRead> {
  const path = pageBodyPath(pageId);
  let answer;
  try {
    answer = await getFromConfluence(transport, path, options);
  } catch (error) {
    // Forge's consent prompt reaches the user (as for Jira); any other failure lists the page.
    passConsentThrough(error);
    return { ok: false, reason: 'unavailable' };
  }
  if (answer.status === 401 || answer.status === 403) return { ok: false, reason: 'noAccess' };
  if (answer.status === 404) return { ok: false, reason: 'notFoundOrRestricted' };
  if (answer.status !== 200) return { ok: false, reason: 'unavailable' };
  if (answer.text.length > MAX_PAGE_BODY_CHARS + 64 * 1024) return { ok: false, reason: 'tooLarge' };
  const parsed = safeParse(pageSchema, answer.json());
  if (!parsed.success || parsed.data.id !== pageId) return { ok: false, reason: 'unavailable' };
  const value = parsed.data.body?.atlas_doc_format?.value;
  const version = parsed.data.version?.number;
  if (value !== undefined && value.length > MAX_PAGE_BODY_CHARS)
    return { ok: false, reason: 'tooLarge', ...(version !== undefined ? { version } : {}) };
  return {
    ok: true,
    page: {
      id: parsed.data.id,
      title: parsed.data.title ?? '',
      spaceId: parsed.data.spaceId ?? null,
      updated: parsed.data.version?.createdAt ?? null,
      ...(version !== undefined ? { version } : {}),
      adf: parseAdf(value),
    },
  };
}

const pagesSchema = z
  .object({
    results: z.array(
      z
        .object({
          id: z.string(),
          status: z.string().optional(),
          version: z.object({ number: z.number().int().optional() }).loose().optional(),
        })
        .loose(),
    ),
    _links: z.object({ next: z.string().optional() }).loose().optional(),
  })
  .loose();

/** Pages a `getPages` chain may follow `_links.next` for one group of ids (each page of answers ≤ 250). */
const MAX_PAGES_FOLLOWED = 4;

/** `/wiki/api/v2/pages?id=1,2,3&limit=250`: the ids as the spec describes them, a comma-separated list. */
export function pagesPath(pageIds: readonly string[]): string {
  if (pageIds.length === 0 || pageIds.length > GET_PAGES_MAX_IDS)
    throw new Error(`getPages takes 1–${GET_PAGES_MAX_IDS} ids, not ${pageIds.length}`);
  for (const id of pageIds) if (!isPageId(id)) throw new Error(`Not a Confluence page id: ${id}`);
  return `${CONFLUENCE_V2_BASE}/pages?id=${pageIds.join(',')}&limit=${GET_PAGES_MAX_IDS}`;
}

/**
 * The current version number of each page in `pageIds` the actor may see, by `getPages` (no bodies):
 * one request per GET_PAGES_MAX_IDS ids (plus one per `_links.next`, which a filter of at most
 * `limit` ids does not need). A page missing from the map is not there for the actor: deleted,
 * trashed, or restricted — `getPages` "only returns pages that the user has permission to view", and
 * by default only `current` and `archived` ones. Throws an UpstreamError when Confluence cannot
 * answer (the caller decides what a failed look costs); consent goes through.
 */
export async function readPageVersions(
  transport: ConfluenceTransport,
  pageIds: readonly string[],
  options: { as: JiraActor; deadline?: Deadline },
): Promise<{ versions: Map<string, number>; requests: number }> {
  const ids = [...new Set(pageIds)].filter(isPageId);
  const versions = new Map<string, number>();
  let requests = 0;
  for (let start = 0; start < ids.length; start += GET_PAGES_MAX_IDS) {
    const group = ids.slice(start, start + GET_PAGES_MAX_IDS);
    const wanted = new Set(group);
    let path: string | undefined = pagesPath(group);
    for (let followed = 0; path && followed < MAX_PAGES_FOLLOWED; followed += 1) {
      const current: string = path;
      requests += 1;
      const answer = await getFromConfluence(transport, current, options);
      if (answer.status !== 200) {
        throw new UpstreamError(`Confluence answered ${answer.status}`, 'http', answer.status);
      }
      const parsed = safeParse(pagesSchema, answer.json());
      if (!parsed.success) {
        throw new UpstreamError('Confluence answered getPages with no page list', 'http', answer.status);
      }
      for (const page of parsed.data.results) {
        const number = page.version?.number;
        // Only what was asked for: an answer naming another page changes nothing.
        if (wanted.has(page.id) && number !== undefined) versions.set(page.id, number);
      }
      const next = parsed.data._links?.next;
      // `_links.next` is a site-relative URL of the same operation; anything else is not followed.
      path = next?.startsWith(`${CONFLUENCE_V2_BASE}/pages?`) ? next : undefined;
    }
  }
  return { versions, requests };
}
