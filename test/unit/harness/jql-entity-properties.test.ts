/**
 * The Jira simulator's JQL over indexed entity properties (docs/jira-fidelity.md "Entity properties
 * in JQL"): the manifest's `jira:entityProperty` index, searched by path or alias, number comparisons,
 * emptiness and ORDER BY; a path nothing indexes matches nothing.
 */
import path from 'node:path';
import { TEST_REVIEW_PROPERTY_INDEX, TEST_REVIEW_PROPERTY_KEY } from '../../../src/living/stale';
import { repoRoot } from '../../harness/contracts';
import { indexedPropertiesOf, propertyFieldOf } from '../../harness/jira-sim/entity-properties';
import { evaluateJql, JqlError, parseJql } from '../../harness/jira-sim/jql';
import { smallJiraStore } from '../../harness/jira-sim/fixtures';
import { CRITERIA_PROPERTY_INDEX, CRITERIA_PROPERTY_KEY } from '../../../src/criteria/issue-property';

const index = indexedPropertiesOf(path.join(repoRoot, 'manifest.yml'));
const store = smallJiraStore();
store.indexedProperties = index;
const counts = (unproven: number, failing: number) => ({
  v: 1,
  criteria: 3,
  proven: 3 - unproven,
  failing,
  changed: 0,
  notRun: 0,
  noTest: unproven - failing,
  unproven,
});
const set = (key: string, value: unknown) => {
  const issue = store.issue(key);
  if (!issue) throw new Error(`no ${key}`);
  store.setProperty(issue.id, CRITERIA_PROPERTY_KEY, value);
};
set('DEMO-1', counts(2, 1));
set('DEMO-2', counts(0, 0));
set('DEMO-6', counts(3, 0));
set('DEMO-7', { v: 1, unproven: 'many' }); // not a number: not indexed as one
const keys = (jql: string) => evaluateJql(store, jql).map((issue) => issue.key);
const errorOf = (jql: string): string => {
  try {
    evaluateJql(store, jql);
  } catch (error) {
    if (error instanceof JqlError) return error.message;
    throw error;
  }
  throw new Error(`expected "${jql}" to fail`);
};

describe('JQL: indexed entity properties', () => {
  it("reads the manifest's jira:entityProperty modules: the requirements' nine counts and the tests' one", () => {
    expect(index).toEqual([
      ...CRITERIA_PROPERTY_INDEX.map((value) => ({
        entityType: 'issue',
        propertyKey: CRITERIA_PROPERTY_KEY,
        ...value,
      })),
      ...TEST_REVIEW_PROPERTY_INDEX.map((value) => ({
        entityType: 'issue',
        propertyKey: TEST_REVIEW_PROPERTY_KEY,
        ...value,
      })),
    ]);
    expect(propertyFieldOf('SQAIUNPROVEN', index)?.path).toBe('unproven');
    expect(propertyFieldOf('issue.property[sqaiCriteria].nope', index)).toBeNull();
    expect(propertyFieldOf('summary', index)).toBeUndefined();
  });

  it('parses issue.property[key].path with the key bare or quoted', () => {
    for (const jql of [
      'issue.property[sqaiCriteria].unproven > 0',
      "issue.property['sqaiCriteria'].unproven > 0",
      'issue.property["sqaiCriteria"].unproven > 0',
      'ISSUE.PROPERTY[ sqaiCriteria ].unproven > 0',
    ]) {
      const where = parseJql(jql).where;
      expect(where?.kind === 'term' ? where.field.replace(/^issue\.property/i, 'issue.property') : '').toBe(
        'issue.property[sqaiCriteria].unproven',
      );
      expect(keys(jql)).toEqual(['DEMO-1', 'DEMO-6']);
    }
    // Brackets elsewhere stay reserved, as in Jira.
    expect(errorOf('summary = a[1]')).toMatch(/reserved JQL character/);
  });

  it('compares numbers by alias or path: =, !=, >, >=, <, <=, IN, NOT IN', () => {
    expect(keys('sqaiUnproven > 0')).toEqual(['DEMO-1', 'DEMO-6']);
    expect(keys('sqaiUnproven >= 2')).toEqual(['DEMO-1', 'DEMO-6']);
    expect(keys('sqaiUnproven < 3')).toEqual(['DEMO-1', 'DEMO-2']);
    expect(keys('sqaiUnproven <= 0')).toEqual(['DEMO-2']);
    expect(keys('sqaiUnproven = 3')).toEqual(['DEMO-6']);
    expect(keys('sqaiFailing > 0')).toEqual(['DEMO-1']);
    expect(keys('issue.property[sqaiCriteria].failing = 1')).toEqual(['DEMO-1']);
    expect(keys('sqaiUnproven in (0, 3)')).toEqual(['DEMO-2', 'DEMO-6']);
    expect(keys('sqaiCriteria > 0 AND sqaiUnproven = 0')).toEqual(['DEMO-2']);
    // Negative operators never match an issue without the value (DEMO-7's is not a number).
    expect(keys('sqaiUnproven != 2')).toEqual(['DEMO-2', 'DEMO-6']);
    expect(keys('sqaiUnproven not in (2)')).toEqual(['DEMO-2', 'DEMO-6']);
    expect(keys('project = DEMO AND sqaiFailing > 0')).toEqual(['DEMO-1']);
  });

  it('IS [NOT] EMPTY, and ORDER BY the alias (empty values last in ASC, first in DESC)', () => {
    expect(keys('sqaiUnproven is not empty')).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-6']);
    expect(keys('project = DEMO AND sqaiUnproven is empty')).not.toContain('DEMO-1');
    expect(keys('sqaiUnproven >= 0 ORDER BY sqaiUnproven DESC')).toEqual(['DEMO-6', 'DEMO-1', 'DEMO-2']);
    expect(keys('sqaiUnproven >= 0 ORDER BY issue.property[sqaiCriteria].unproven ASC')).toEqual([
      'DEMO-2',
      'DEMO-1',
      'DEMO-6',
    ]);
    const ordered = keys('key in (DEMO-1, DEMO-3, DEMO-6) ORDER BY sqaiUnproven DESC');
    expect(ordered).toEqual(['DEMO-3', 'DEMO-6', 'DEMO-1']);
  });

  it('a path nothing indexes matches nothing, without an error; wrong values and operators are errors', () => {
    expect(keys('issue.property[sqaiCriteria].text = 2')).toEqual([]);
    expect(keys('issue.property[other].unproven > 0')).toEqual([]);
    expect(errorOf('sqaiUnproven > many')).toBe(
      "The value 'many' is not a valid number for the field 'sqaiUnproven'.",
    );
    expect(errorOf('sqaiUnproven ~ 2')).toBe(
      "The operator '~' is not supported by the 'sqaiUnproven' field.",
    );
    expect(errorOf('sqaiUnproven is 2')).toMatch(/can only be used with the value 'EMPTY'/);
    expect(errorOf('sqaiUnproven was 2')).toMatch(/does not support the operator 'WAS'/);
    expect(errorOf('issue.property[sqaiCriteria] is not empty')).toMatch(
      /does not support an entity property without a path/,
    );
  });

  it('without an index (another app, or none), the alias is no field at all', () => {
    const bare = smallJiraStore();
    expect(() => evaluateJql(bare, 'sqaiUnproven > 0')).toThrow(
      "Field 'sqaiUnproven' does not exist or you do not have permission to view it.",
    );
  });
});
