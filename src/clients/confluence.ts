/**
 * Confluence Cloud REST v2 over Forge native auth (`requestConfluence`): the one read the context
 * document needs, a page's body as ADF. As the user, Confluence's own permissions decide: a page the
 * user may not read answers 404, exactly like a page that does not exist (the v2 spec's `getPageById`:
 * "Returned if the calling user does not have permission to view the requested page or the page was
 * not found"). A page is never a reason for the whole read to fail: anything but a readable page is
 * answered as the reason it is listed as a link only (docs/confluence-fidelity.md).
 *
 * Contract: ../shared/contracts/confluence/confluence-v2.json, operation `getPageById`
 * (`GET /wiki/api/v2/pages/{id}?body-format=atlas_doc_format`, scope `read:page:confluence`).
 */
import { z } from 'zod';
import { passConsentThrough } from '../platform/forge-errors';
import type { ConfluenceTransport, JiraActor } from '../platform/ports';
import { safeParse } from './safe-parse';
import { type Deadline, requestUpstream } from './upstream';

/** Every Confluence operation the app calls (the manifest's scopes are checked against these). */
export const CONFLUENCE_OPERATIONS = {
  getPageById: { method: 'GET', path: '/pages/{id}' },
} as const;

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

export type PageRead = { ok: true; page: ConfluencePage } | { ok: false; reason: PageUnreadable };

function parseAdf(value: string | undefined): unknown {
  if (value === undefined || value === '') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
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
    answer = await requestUpstream(
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
  if (value !== undefined && value.length > MAX_PAGE_BODY_CHARS) return { ok: false, reason: 'tooLarge' };
  return {
    ok: true,
    page: {
      id: parsed.data.id,
      title: parsed.data.title ?? '',
      spaceId: parsed.data.spaceId ?? null,
      updated: parsed.data.version?.createdAt ?? null,
      adf: parseAdf(value),
    },
  };
}
