/**
 * The settings page's project view of acceptance criteria (issue 18 item 6;
 * src/criteria/project-view.ts): totals across the project, the requirements with the most unproven
 * criteria first, paged by the store's cursor — and only what the calling project admin can see in
 * Jira, with a cursor that never points into hidden entries.
 */
import { getProjectCriteria, MAX_STORE_PAGES } from '../../../src/criteria/project-view';
import {
  dirtyKey,
  placeInRanking,
  RANK_QUERY_LIMIT,
  totalsKey,
  type RankEntry,
} from '../../../src/criteria/project-index';
import type { CriteriaSummary } from '../../../src/criteria/state';
import { isAppError } from '../../../src/errors';
import type { GetProjectCriteriaInput, ProjectCriteriaDto } from '../../../src/api';
import { invocationScope } from '../../harness/local-platform';
import { createWorld, DEMO, type World } from '../../harness/world';

const NOW = new Date('2026-12-04T10:00:00.000Z');

const counts = (criteria: number, proven: number, failing = 0): CriteriaSummary => ({
  criteria,
  proven,
  failing,
  stale: 0,
  changed: 0,
  notRun: 0,
  noTest: criteria - proven - failing,
  unproven: criteria - proven,
  staleTests: 0,
});

interface Seeded {
  world: World;
  /** Visible requirement keys in rank order. */
  visible: string[];
  hiddenIds: string[];
}

/**
 * `n` stories in DEMO with criteria (requirement i has i unproven), every third one restricted to
 * the plain user (the admin cannot see it), and one entry of an issue that moved to OTHER.
 */
async function seed(n: number): Promise<Seeded> {
  const world = createWorld({ now: () => NOW });
  const made: { entry: RankEntry; hidden: boolean }[] = [];
  for (let i = 1; i <= n; i += 1) {
    const hidden = i % 3 === 0;
    const issue = world.jiraStore.createIssue({
      projectIdOrKey: DEMO.project.key,
      issueTypeIdOrName: 'Story',
      summary: `Requirement ${i}`,
      ...(hidden ? { restrictedTo: [DEMO.user] } : {}),
    });
    const entry = { issueId: issue.id, issueKey: issue.key, counts: counts(i + 1, 1, i % 2) };
    made.push({ entry, hidden });
    await placeInRanking(world.platform.kvs, DEMO.project.id, entry, NOW);
  }
  const moved = world.jiraStore.issue('OTHER-1');
  if (!moved) throw new Error('no OTHER-1');
  // Ranked under DEMO, but Jira says it is OTHER's now: never shown on DEMO's page.
  await placeInRanking(
    world.platform.kvs,
    DEMO.project.id,
    { issueId: moved.id, issueKey: 'DEMO-999', counts: counts(50, 0) },
    NOW,
  );
  const visible = made
    .filter(({ hidden }) => !hidden)
    .sort((a, b) => b.entry.counts.unproven - a.entry.counts.unproven)
    .map(({ entry }) => entry.issueKey);
  return {
    world,
    visible,
    hiddenIds: [...made.filter(({ hidden }) => hidden).map(({ entry }) => entry.issueId), moved.id],
  };
}

const caller = { accountId: DEMO.admin, cloudId: DEMO.cloudId, project: DEMO.project };

function view(
  world: World,
  input: GetProjectCriteriaInput,
  as: string = DEMO.admin,
): Promise<ProjectCriteriaDto> {
  return invocationScope.run({ accountId: as }, () =>
    getProjectCriteria(world.platform, { ...caller, accountId: as }, input),
  );
}

async function allPages(world: World, limit: number) {
  const pages: ProjectCriteriaDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await view(world, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('getProjectCriteria', () => {
  it('pages the visible requirements, most unproven first, each exactly once, with Jira’s summary', async () => {
    const { world, visible, hiddenIds } = await seed(14);
    const pages = await allPages(world, 4);
    const keys = pages.flatMap((page) => page.requirements.map((row) => row.key));
    expect(keys).toEqual(visible);
    expect(pages.at(-1)?.nextCursor).toBeUndefined();
    const first = pages[0]?.requirements[0];
    expect(first).toEqual({
      key: visible[0],
      summary: 'Requirement 14',
      summaryCounts: counts(15, 1, 0),
    });
    // The cursor never points just after a hidden (or moved) entry: it reveals nothing about them.
    for (const page of pages) {
      for (const id of hiddenIds) expect(page.nextCursor ?? '').not.toContain(`:${id}`);
    }
    // Requests: a page is one store query and one Jira bulk read when nothing on it is hidden.
    expect(pages[0]?.requirements).toHaveLength(4);
  });

  it('a hidden requirement never appears, whatever the page size', async () => {
    const { world, hiddenIds } = await seed(9);
    const hiddenKeys = hiddenIds.map(
      (id) => [...world.jiraStore.issues.values()].find((i) => i.id === id)?.key,
    );
    for (const limit of [1, 2, 3, 50]) {
      const shown = (await allPages(world, limit)).flatMap((page) => page.requirements.map((row) => row.key));
      expect(shown).toHaveLength(6);
      for (const key of hiddenKeys) expect(shown).not.toContain(key);
    }
    // The plain user they are restricted to sees them (visibility is the caller's, not the app's).
    const asUser = await view(world, { limit: 50 }, DEMO.user);
    const restricted = hiddenKeys.filter((key) => key?.startsWith('DEMO-'));
    expect(asUser.requirements.map((row) => row.key)).toEqual(expect.arrayContaining(restricted));
    // …but never the one that moved to OTHER: not this project's any more.
    expect(asUser.requirements.map((row) => row.key)).not.toContain('OTHER-1');
  });

  it('counts the totals on demand when none are stored, stores them, then answers them as of then', async () => {
    const { world } = await seed(6);
    const first = await view(world, {});
    // 7 entries: 6 requirements (i + 1 criteria, 1 proven) and the moved one (50, none proven).
    expect(first.totals).toEqual({
      requirements: 7,
      criteria: 2 + 3 + 4 + 5 + 6 + 7 + 50,
      proven: 6,
      failing: 3,
      stale: 0,
      changed: 0,
      notRun: 0,
      noTest: 1 + 2 + 3 + 4 + 5 + 6 - 3 + 50,
      unproven: 1 + 2 + 3 + 4 + 5 + 6 + 50,
      staleTests: 0,
    });
    expect(first.computedAt).toBe(NOW.toISOString());
    expect(await world.platform.kvs.get(totalsKey(DEMO.project.id))).toEqual({
      totals: first.totals,
      computedAt: NOW.toISOString(),
    });
    // Stored totals are answered as they are (the end of the next sync run recomputes them).
    await world.platform.kvs.set(totalsKey(DEMO.project.id), {
      totals: { ...first.totals, requirements: 99 },
      computedAt: '2026-12-04T09:00:00.000Z',
    });
    const second = await view(world, {});
    expect(second.totals.requirements).toBe(99);
    expect(second.computedAt).toBe('2026-12-04T09:00:00.000Z');

    // An entry changed since: totals under an hour old are still shown as they are…
    await world.platform.kvs.set(dirtyKey(DEMO.project.id), { at: NOW.toISOString(), n: 'x' });
    await world.platform.kvs.set(totalsKey(DEMO.project.id), {
      totals: { ...first.totals, requirements: 99 },
      computedAt: '2026-12-04T09:30:00.000Z',
    });
    expect((await view(world, {})).totals.requirements).toBe(99);
    // …older ones (no sync run has ended since: the hourly sync may be off) are counted again.
    await world.platform.kvs.set(totalsKey(DEMO.project.id), {
      totals: { ...first.totals, requirements: 99 },
      computedAt: '2026-12-04T08:59:00.000Z',
    });
    const third = await view(world, {});
    expect(third.totals).toEqual(first.totals);
    expect(third.computedAt).toBe(NOW.toISOString());
    expect(await world.platform.kvs.get(dirtyKey(DEMO.project.id))).toBeUndefined();
  });

  it('answers an empty project with zero totals and no page', async () => {
    const world = createWorld({ now: () => NOW });
    const page = await view(world, {});
    expect(page.requirements).toEqual([]);
    expect(page.nextCursor).toBeUndefined();
    expect(page.totals.requirements).toBe(0);
  });

  it('ends the list rather than hand out a cursor inside a long run of hidden entries', async () => {
    const world = createWorld({ now: () => NOW });
    // More than one call scans: the first read takes the page's 2, the others 100 each.
    const hidden = 2 + (MAX_STORE_PAGES - 1) * RANK_QUERY_LIMIT + 5;
    for (let i = 0; i < hidden + 1; i += 1) {
      const issue = world.jiraStore.createIssue({
        projectIdOrKey: DEMO.project.key,
        issueTypeIdOrName: 'Story',
        summary: `R${i}`,
        ...(i < hidden ? { restrictedTo: [DEMO.user] } : {}),
      });
      // The hidden ones rank first (more unproven).
      await placeInRanking(
        world.platform.kvs,
        DEMO.project.id,
        { issueId: issue.id, issueKey: issue.key, counts: counts(i < hidden ? 20 : 2, 0) },
        NOW,
      );
    }
    const page = await view(world, { limit: 2 });
    expect(page.requirements).toEqual([]);
    expect(page.nextCursor).toBeUndefined();
    // The visible one is there (the totals count it), past more hidden ones than one call scans.
    expect(page.totals.requirements).toBe(hidden + 1);
  });

  it('refuses a page size outside 1–50 or an unknown field', async () => {
    const world = createWorld({ now: () => NOW });
    for (const input of [{ limit: 0 }, { limit: 51 }, { limit: 2.5 }, { cursor: '' }, { other: 1 }]) {
      const error: unknown = await view(world, input as GetProjectCriteriaInput).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('VALIDATION');
    }
  });
});

describe('getProjectCriteria past hidden entries', () => {
  /** Ranks `pattern` (V visible to the admin, H restricted to the plain user) in that order. */
  async function ranked(pattern: string) {
    const world = createWorld({ now: () => NOW });
    const keys: string[] = [];
    for (const [index, kind] of [...pattern].entries()) {
      const issue = world.jiraStore.createIssue({
        projectIdOrKey: DEMO.project.key,
        issueTypeIdOrName: 'Story',
        summary: `${kind}${index}`,
        ...(kind === 'H' ? { restrictedTo: [DEMO.user] } : {}),
      });
      keys.push(issue.key);
      await placeInRanking(
        world.platform.kvs,
        DEMO.project.id,
        { issueId: issue.id, issueKey: issue.key, counts: counts(90 - index, 0) },
        NOW,
      );
    }
    const visible = keys.filter((_, index) => pattern[index] === 'V');
    return { world, visible };
  }

  it.each([
    ['VHHHHHHHV', 1],
    ['VHHVHHVHH', 2],
    ['HHVVHVHHH', 2],
    ['VVVVVV', 4],
    ['HHHHHHV', 3],
  ])(
    '%s in pages of %d: every visible one once, in order, and no page after the last',
    async (pattern, limit) => {
      const { world, visible } = await ranked(pattern);
      const pages = await allPages(world, limit);
      expect(pages.flatMap((page) => page.requirements.map((row) => row.key))).toEqual(visible);
      // Every page but the last is full, and the last one is not empty (unless nothing is visible).
      for (const page of pages.slice(0, -1)) expect(page.requirements).toHaveLength(limit);
      expect(pages.at(-1)?.requirements.length).toBeGreaterThan(0);
    },
  );
});
