/**
 * The Confluence side of the demo site: spaces and pages (with their bodies as ADF) and page read
 * restrictions. Only what the app reads is modelled: a page's current version, as `getPageById`
 * answers it (../../../../shared/contracts/confluence/confluence-v2.json, `PageSingle`).
 */

export interface SimSpace {
  id: string;
  key: string;
  name: string;
}

export interface SimPage {
  id: string;
  spaceId: string;
  title: string;
  /** The page body as an ADF document. */
  adf: unknown;
  authorId: string;
  createdAt: string;
  /** The current version: its number and when it was made. */
  version: { number: number; createdAt: string; authorId: string };
  parentId?: string;
  /**
   * A read restriction (Confluence "Restrictions → Only specific people can view"): only these
   * account ids (and the app) may read the page. Absent: everyone who may use Confluence.
   */
  readers?: string[];
}

/**
 * Confluence's tiny link code of a page id (`/wiki/x/<code>`): the id's little-endian bytes in Base64
 * with `+` → `_` and `/` → `-` (not RFC 4648's URL-safe alphabet, which maps them the other way) and
 * trailing `A`s and `=`s trimmed — Confluence's `TinyUrl` (docs/confluence-fidelity.md).
 */
export function tinyCodeOf(pageId: string): string {
  let value = BigInt(pageId);
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.push(Number(value & 0xffn));
    value >>= 8n;
  }
  while (bytes.length < 4) bytes.push(0);
  return Buffer.from(bytes)
    .toString('base64')
    .replace(/\+/g, '_')
    .replace(/\//g, '-')
    .replace(/[A=]+$/, '');
}

export class ConfluenceStore {
  readonly spaces = new Map<string, SimSpace>();
  readonly pages = new Map<string, SimPage>();

  constructor(
    /** The site's URL (`https://demo-site.atlassian.net`); Confluence lives under `/wiki`. */
    readonly siteUrl: string,
    /** Whether an account id is a user of the site (an unknown one is answered 401). */
    readonly isKnownUser: (accountId: string | undefined) => boolean = (id) => id !== undefined,
  ) {}

  addSpace(space: SimSpace): SimSpace {
    this.spaces.set(space.id, space);
    return space;
  }

  addPage(page: SimPage): SimPage {
    if (!this.spaces.has(page.spaceId)) throw new Error(`No space ${page.spaceId} for page ${page.id}`);
    this.pages.set(page.id, page);
    return page;
  }

  /**
   * An edit of the page, as Confluence makes one: a new current version (number + 1, made `at` by
   * `authorId`), with a new body and/or title. Nothing in Jira changes (the issue's `updated` stays).
   */
  editPage(id: string, change: { adf?: unknown; title?: string; at: Date; authorId?: string }): SimPage {
    const page = this.pages.get(id);
    if (!page) throw new Error(`No page ${id}`);
    if (change.adf !== undefined) page.adf = change.adf;
    if (change.title !== undefined) page.title = change.title;
    page.version = {
      number: page.version.number + 1,
      createdAt: change.at.toISOString(),
      authorId: change.authorId ?? page.version.authorId,
    };
    return page;
  }

  /** The page deleted (purged from the trash): neither `getPageById` nor `getPages` finds it any more. */
  deletePage(id: string): void {
    if (!this.pages.delete(id)) throw new Error(`No page ${id}`);
  }

  /** Whether `actor` may read the page (the app reads every page). */
  canRead(page: SimPage, actor: { as: 'user' | 'app'; accountId?: string }): boolean {
    if (actor.as === 'app') return true;
    return (
      page.readers === undefined || (actor.accountId !== undefined && page.readers.includes(actor.accountId))
    );
  }

  /** The page's web UI path below `/wiki` (`/spaces/KEY/pages/<id>/<Title>`). */
  webuiOf(page: SimPage): string {
    const key = this.spaces.get(page.spaceId)?.key ?? 'UNKNOWN';
    return `/spaces/${key}/pages/${page.id}/${page.title.split(/\s+/).map(encodeURIComponent).join('+')}`;
  }
}
