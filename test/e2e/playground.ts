/**
 * Browser-test helpers: the playground in-process, a page per test, and the app's iframe.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/contracts';
import { startLocalPlayground, type LocalPlayground } from '../harness/playground/playground';
import { configureThroughPlayground } from '../harness/demo-settings';
import { launchChromium } from './browser';

export interface Session {
  playground: LocalPlayground;
  browser: Browser;
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  const playground = await startLocalPlayground({ port: 0 });
  const browser = await launchChromium();
  return {
    playground,
    browser,
    async close() {
      await browser.close();
      await playground.close();
    },
  };
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  app: FrameLocator;
  /** Console errors and page errors seen so far (from the shell and the iframe). */
  errors: string[];
}

export async function openPage(session: Session, pathname: string): Promise<OpenedPage> {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 1100 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${session.playground.url}${pathname}`);
  return { context, page, app: page.frameLocator('iframe.app'), errors };
}

/** Saves a screenshot under docs/screenshots when UPDATE_SCREENSHOTS=1 (README images). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(repoRoot, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/**
 * Saves docs/screenshots/<name>.png of one part of the app (a section, a card) when UPDATE_SCREENSHOTS=1
 * (README images). The shell's iframe is 640 px high: it is made tall enough for the part meanwhile.
 */
export async function sectionScreenshot(page: Page, part: Locator, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await page.evaluate(() => {
    const iframe = document.querySelector<HTMLIFrameElement>('iframe.app');
    if (iframe) iframe.style.height = '2400px';
  });
  const dir = path.join(repoRoot, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await part.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled' });
  await page.evaluate(() => {
    const iframe = document.querySelector<HTMLIFrameElement>('iframe.app');
    if (iframe) iframe.style.height = '';
  });
}

/**
 * One playground + browser for a describe block, reset to the seeded world before each test (and,
 * with `configured`, DEMO connected). Returns a getter for the current session.
 */
export function usePlaygroundSession(options: { configured?: boolean } = {}): () => Session {
  let session: Session | undefined;
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session?.close();
  });
  beforeEach(async () => {
    if (!session) throw new Error('The playground did not start');
    await fetch(`${session.playground.url}/__sim/reset`, { method: 'POST' });
    if (options.configured) {
      expect(await configureThroughPlayground(session.playground.url)).toMatchObject({ ok: true });
    }
  });
  return () => {
    if (!session) throw new Error('The playground did not start');
    return session;
  };
}

/** Connects DEMO, lets the first-configuration backfill finish, then edits DEMO-1 so that it needs a sync. */
export async function connectAndChangeDemo1(session: Session): Promise<void> {
  expect(await configureThroughPlayground(session.playground.url)).toMatchObject({ ok: true });
  const world = session.playground.world();
  await world.platform.queue.drain();
  const demo1 = world.jiraStore.issue('DEMO-1');
  world.jiraStore.updateIssue(demo1?.id ?? '', { labels: ['checkout', 'conversion', 'reviewed'] });
}

/** Calls a resolver through the running playground as DEMO's admin, as the page would; its JSON answer. */
export async function invokeAsDemoAdmin(
  playgroundUrl: string,
  functionKey: string,
  payload: unknown = {},
): Promise<unknown> {
  const response = await fetch(`${playgroundUrl}/__invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      functionKey,
      payload,
      context: { accountId: 'admin-account-id', projectId: '10000', projectKey: 'DEMO' },
    }),
  });
  return (await response.json()) as unknown;
}
