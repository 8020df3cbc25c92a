/**
 * The settings page's "Acceptance criteria" section in real headless Chromium (issue 18 item 6;
 * docs/criteria.md "Project view"): the project's totals, the requirements with the most unproven
 * criteria first (20 a page, "Show more" for the rest), never one the admin cannot see; axe in
 * light and dark mode.
 */
import type { Locator } from 'playwright-core';
import {
  countProjectTotals,
  placeInRanking,
  rankEntrySchema,
  rankPrefix,
  refreshProjectTotals,
} from '../../src/criteria/project-index';
import type { CriteriaSummary } from '../../src/criteria/state';
import { DEMO } from '../harness/world';
import { accessibilityFindings } from './axe';
import { describeWithBrowser } from './browser';
import { openPage, usePlaygroundSession, type Session } from './playground';

const counts = (criteria: number, proven: number, failing: number): CriteriaSummary => ({
  criteria,
  proven,
  failing,
  stale: 0,
  staleTests: 0,
  changed: 0,
  notRun: 0,
  noTest: criteria - proven - failing,
  unproven: criteria - proven,
});

interface Prepared {
  /** The keys the admin should see, in rank order. */
  visible: string[];
  hidden: string[];
  totals: Awaited<ReturnType<typeof countProjectTotals>>['totals'];
}

/**
 * After the first backfill: 26 more DEMO requirements with criteria (each with more unproven than any
 * demo one, so they rank first), every fourth restricted to the plain user; the totals recomputed as
 * the end of a sync run would.
 */
async function prepare(session: Session): Promise<Prepared> {
  const world = session.playground.world();
  await world.platform.queue.drain();
  const kvs = world.platform.kvs;
  const hidden: string[] = [];
  for (let i = 1; i <= 26; i += 1) {
    const restricted = i % 4 === 0;
    const issue = world.jiraStore.createIssue({
      projectIdOrKey: DEMO.project.key,
      issueTypeIdOrName: 'Story',
      summary: `Checkout rule ${i}`,
      ...(restricted ? { restrictedTo: [DEMO.user] } : {}),
    });
    if (restricted) hidden.push(issue.key);
    await placeInRanking(
      kvs,
      DEMO.project.id,
      { issueId: issue.id, issueKey: issue.key, counts: counts(40 + i, 2, i % 3) },
      world.platform.clock.now(),
    );
  }
  expect((await refreshProjectTotals(world.platform, DEMO.project.id)).outcome).toBe('computed');
  const { totals } = await countProjectTotals(kvs, world.platform.log, DEMO.project.id);
  const visible: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kvs.query(rankPrefix(DEMO.project.id), { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const { value } of page.entries) {
      const entry = rankEntrySchema.parse(value);
      const issue = world.jiraStore.issue(entry.issueKey);
      const seen = issue && world.jiraStore.canSeeIssue({ as: 'user', accountId: DEMO.admin }, issue);
      if (seen && issue.projectId === DEMO.project.id) visible.push(entry.issueKey);
    }
    cursor = page.cursor;
  } while (cursor);
  return { visible, hidden, totals };
}

async function shownKeys(section: Locator): Promise<string[]> {
  const rows = section.getByTestId('project-criteria-row');
  const keys: string[] = [];
  for (let index = 0; index < (await rows.count()); index += 1) {
    keys.push((await rows.nth(index).getAttribute('data-key')) ?? '');
  }
  return keys;
}

describeWithBrowser('the project view of acceptance criteria (browser)', () => {
  const current = usePlaygroundSession({ configured: true });

  it('shows the totals and the most unproven requirements first; "Show more" pages the rest, none hidden', async () => {
    const prepared = await prepare(current());
    expect(prepared.visible.length).toBeGreaterThan(20);

    const { page, app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    const section = app.getByTestId('project-criteria-section');
    await section.getByTestId('project-criteria-table').waitFor({ timeout: 30_000 });

    // Numbers are shown in the browser's locale ("1,367"): compare their digits.
    const digits = async (testId: string) =>
      Number((await section.getByTestId(testId).innerText()).replace(/\D/g, ''));
    const overview = (await section.getByTestId('project-criteria-overview').innerText()).replace(
      /(\d),(\d)/g,
      '$1$2',
    );
    expect(overview).toContain(
      `${prepared.totals.criteria} criteria across ${prepared.totals.requirements} requirements`,
    );
    expect(overview).toContain('counted');
    expect(await digits('total-proven')).toBe(prepared.totals.proven);
    expect(await digits('total-failing')).toBe(prepared.totals.failing);
    expect(await digits('total-no-test')).toBe(prepared.totals.noTest);
    expect(await digits('total-unproven')).toBe(prepared.totals.unproven);

    // The first page: 20 rows, most unproven first, the key a link to the issue, with its summary.
    expect(await shownKeys(section)).toEqual(prepared.visible.slice(0, 20));
    const first = section.getByTestId('project-criteria-row').first();
    expect(await first.getByRole('link').getAttribute('href')).toBe(`/browse/${prepared.visible[0]}`);
    expect(await first.innerText()).toContain('Checkout rule 26');
    expect(await first.innerText()).toContain('64 of 66');

    expect(await accessibilityFindings(page, 'project criteria')).toEqual([]);

    await section.getByTestId('project-criteria-show-more').click();
    await section
      .getByTestId('project-criteria-row')
      .nth(prepared.visible.length - 1)
      .waitFor({ timeout: 20_000 });
    const all = await shownKeys(section);
    expect(all).toEqual(prepared.visible);
    for (const key of prepared.hidden) expect(all).not.toContain(key);
    expect(await section.getByTestId('project-criteria-show-more').count()).toBe(0);
    expect(await section.getByTestId('project-criteria-shown').innerText()).toContain(
      `${prepared.visible.length} requirements shown`,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so when no requirement of the project has criteria yet', async () => {
    const world = current().playground.world();
    await world.platform.queue.drain();
    for (const key of [...world.platform.kvs.data.keys()]) {
      if (key.startsWith('critrank') || key.startsWith('critsum:') || key.startsWith('critdirty:')) {
        world.platform.kvs.data.delete(key);
      }
    }
    const { app, errors, context } = await openPage(current(), '/projects/DEMO/settings?as=admin');
    const section = app.getByTestId('project-criteria-section');
    await section.getByTestId('project-criteria-empty').waitFor({ timeout: 30_000 });
    expect(await section.getByTestId('project-criteria-table').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
