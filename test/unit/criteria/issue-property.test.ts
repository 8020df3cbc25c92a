/**
 * The `sqaiCriteria` issue property (issue 18, item 5; docs/criteria.md "Searching in JQL"): counts
 * only, written as the app through the Jira client, only when they changed, and shaped for the
 * `jira:entityProperty` index the manifest declares.
 */
import {
  CRITERIA_PROPERTY_INDEX,
  CRITERIA_PROPERTY_KEY,
  criteriaPropertyOf,
  criteriaPropertySchema,
  writeCriteriaProperty,
} from '../../../src/criteria/issue-property';
import { summarizeStates } from '../../../src/criteria/state';
import { createWorld, DEMO } from '../../harness/world';
import { invocationScope } from '../../harness/local-platform';
import { TEST_REVIEW_PROPERTY_INDEX } from '../../../src/living/stale';

const summary = summarizeStates([{ state: 'proven' }, { state: 'failing' }, { state: 'noTest' }]);

describe('the criteria issue property', () => {
  it('holds the counts per state and nothing else', () => {
    expect(criteriaPropertyOf(summary)).toEqual({
      v: 1,
      criteria: 3,
      proven: 1,
      failing: 1,
      stale: 0,
      changed: 0,
      notRun: 0,
      noTest: 1,
      unproven: 2,
      staleTests: 0,
    });
    expect(criteriaPropertySchema.safeParse({ ...criteriaPropertyOf(summary), text: 'x' }).success).toBe(
      false,
    );
  });

  it('is written as the app, only when it changed, and reads back as Jira keeps it', async () => {
    const world = createWorld();
    const requirement = world.jiraStore.issue('DEMO-1');
    if (!requirement) throw new Error('no DEMO-1');
    const jiraCalls: string[] = [];
    const jira = {
      request: (path: string, init: { method?: string }, options: { as: 'user' | 'app' }) => {
        jiraCalls.push(`${init.method ?? 'GET'} ${path} as ${options.as}`);
        return world.platform.jira.request(path, init, options);
      },
    };
    const first = criteriaPropertyOf(summary);
    expect(await writeCriteriaProperty(jira, requirement.id, first, undefined)).toBe(true);
    expect(jiraCalls).toEqual([`PUT /rest/api/3/issue/${requirement.id}/properties/sqaiCriteria as app`]);
    expect(requirement.properties.get(CRITERIA_PROPERTY_KEY)).toEqual(first);

    expect(await writeCriteriaProperty(jira, requirement.id, { ...first }, first)).toBe(false);
    expect(jiraCalls).toHaveLength(1);

    const next = criteriaPropertyOf(
      summarizeStates([{ state: 'proven' }, { state: 'proven' }, { state: 'noTest' }]),
    );
    expect(await writeCriteriaProperty(jira, requirement.id, next, first)).toBe(true);
    expect(jiraCalls).toHaveLength(2);

    // Anyone who can see the issue can read it (Jira's rule): counts only, so nothing more is learnt.
    const read = await invocationScope.run({ accountId: DEMO.user }, () =>
      world.platform.jira.request(
        `/rest/api/3/issue/DEMO-1/properties/${CRITERIA_PROPERTY_KEY}`,
        {},
        { as: 'user' },
      ),
    );
    expect(read.status).toBe(200);
    expect(JSON.parse(await read.text())).toEqual({ key: CRITERIA_PROPERTY_KEY, value: next });
  });

  it("the index names each count as a number, within Jira's limits", () => {
    const value = criteriaPropertyOf(summary);
    const counted = Object.keys(value).filter((key) => key !== 'v');
    expect(CRITERIA_PROPERTY_INDEX.map(({ path }) => path).sort()).toEqual(counted.sort());
    for (const { type, searchAlias } of CRITERIA_PROPERTY_INDEX) {
      expect(type).toBe('number');
      expect(searchAlias).toMatch(/^sqai[A-Z][A-Za-z]+$/);
    }
    // All jira:entityProperty modules together may index at most 30 values (Forge manifest reference,
    // "jira entity property"); the value is ≤ 32,768 characters.
    expect(CRITERIA_PROPERTY_INDEX.length + TEST_REVIEW_PROPERTY_INDEX.length).toBeLessThanOrEqual(30);
    expect(
      JSON.stringify(criteriaPropertyOf({ ...summary, criteria: 100, unproven: 100 })).length,
    ).toBeLessThan(200);
  });
});
