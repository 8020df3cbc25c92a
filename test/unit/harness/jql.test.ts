import { evaluateJql, isBoundedJql, JqlError, parseJql } from '../../harness/jira-sim/jql';
import { parseJqlDate, toJiraTimestamp } from '../../harness/jira-sim/jira-time';
import { SMALL, smallJiraStore } from '../../harness/jira-sim/fixtures';

const store = smallJiraStore();
const NOW = new Date('2026-11-25T10:10:00.000Z');
const keys = (jql: string, actor?: Parameters<typeof evaluateJql>[2]) =>
  evaluateJql(store, jql, { now: () => NOW, ...actor }).map((issue) => issue.key);
const errorOf = (jql: string, options: Parameters<typeof evaluateJql>[2] = {}): string => {
  try {
    evaluateJql(store, jql, options);
  } catch (error) {
    if (error instanceof JqlError) return error.message;
    throw error;
  }
  throw new Error(`expected "${jql}" to fail`);
};
const demo = (...numbers: number[]) => numbers.map((n) => `DEMO-${n}`);
const ALL_DEMO = demo(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
const asUser = { actor: { as: 'user' as const, accountId: SMALL.user } };

describe('JQL: fields and values', () => {
  it('project by key, id, name, any case, and lists', () => {
    expect(keys('project = DEMO')).toEqual(ALL_DEMO);
    expect(keys('project = 10000')).toEqual(ALL_DEMO);
    expect(keys('project = "Demo"')).toEqual(ALL_DEMO);
    expect(keys('PROJECT = demo')).toEqual(ALL_DEMO);
    expect(keys('project in (DEMO, OTHER)')).toEqual([...ALL_DEMO, 'OTHER-1']);
    expect(keys('project != DEMO')).toEqual(['OTHER-1']);
    expect(keys('project not in (OTHER)')).toEqual(ALL_DEMO);
  });

  it('issuetype by name or id, quoted or not, with the alias type', () => {
    expect(keys('issuetype = Story AND project = DEMO')).toEqual(demo(1, 2, 6, 7, 8, 9, 10, 11, 12));
    expect(keys('issuetype in (Bug, "Epic")')).toEqual(demo(3, 4));
    expect(keys(`issuetype = ${SMALL.types.test}`)).toEqual(demo(5));
    expect(keys('type = "Test Execution"')).toEqual([]);
    expect(keys("issuetype = 'test'")).toEqual(demo(5));
  });

  it('key, issue and id: equality, lists, relational within a project', () => {
    expect(keys('key = DEMO-2')).toEqual(demo(2));
    expect(keys('key = demo-2')).toEqual(demo(2));
    expect(keys('key in (DEMO-10, DEMO-1)')).toEqual(demo(1, 10));
    expect(keys('issue in (10100, DEMO-3)')).toEqual(demo(1, 3));
    expect(keys('id = 10101')).toEqual(demo(2));
    expect(keys('id in (10101, 10102)')).toEqual(demo(2, 3));
    expect(keys('issuekey > DEMO-9')).toEqual(demo(10, 11, 12));
    expect(keys('key <= DEMO-2')).toEqual(demo(1, 2));
    expect(keys('key != DEMO-1 AND key < DEMO-4')).toEqual(demo(2, 3));
  });

  it('dates: absolute (UTC) in both formats, date-only, and relative periods', () => {
    expect(keys('updated >= "2026-11-25 10:00"')).toEqual(demo(1));
    expect(keys('updated > "2026/11/24 23:59"')).toEqual(demo(1));
    expect(keys('updated >= -15m')).toEqual(demo(1));
    expect(keys('updated >= -5m')).toEqual([]);
    expect(keys('created >= "2026-11-23"')).toEqual(demo(5, 6));
    expect(keys('created < 2026-11-18')).toEqual(demo(7));
    expect(keys('createdDate >= -2d AND created < -1d')).toEqual(demo(6));
    expect(keys('created >= -1w AND project = OTHER')).toEqual(['OTHER-1']);
    expect(keys('created >= -5d AND project = OTHER')).toEqual([]);
    expect(keys('updated >= "-1d 2h"')).toEqual(demo(1, 6));
  });

  it('labels: equality is case-insensitive; != and NOT IN skip issues without labels', () => {
    expect(keys('labels = auth')).toEqual(demo(1, 2));
    expect(keys('labels = SSO')).toEqual(demo(1));
    expect(keys('labels in (sso, nothing)')).toEqual(demo(1));
    expect(keys('labels != sso')).toEqual(demo(2));
    expect(keys('labels not in (sso)')).toEqual(demo(2));
    expect(keys('project = DEMO AND NOT labels = sso')).toEqual(demo(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    expect(keys('labels is EMPTY AND key <= DEMO-4')).toEqual(demo(3, 4));
    expect(keys('labels IS NOT EMPTY')).toEqual(demo(1, 2));
  });

  it('status, statusCategory and priority', () => {
    expect(keys('status = "In Progress"')).toEqual(demo(1));
    expect(keys('status in ("In Progress", Done)')).toEqual(demo(1, 4));
    expect(keys('status = 10002')).toEqual(demo(4));
    expect(keys('statusCategory = Done')).toEqual(demo(4));
    expect(keys('statusCategory = "In Progress"')).toEqual(demo(1));
    expect(keys('statusCategory in (indeterminate, 3)')).toEqual(demo(1, 4));
    expect(keys('priority = Highest')).toEqual(demo(4));
    expect(keys('priority is EMPTY')).toEqual(demo(12));
    expect(keys('priority != Low AND project = DEMO')).toEqual(demo(1, 2, 3, 4, 5, 6));
  });

  it('text, summary and description: case-insensitive contains', () => {
    expect(keys('text ~ "sso"')).toEqual(demo(1, 5));
    expect(keys('text ~ CONFIDENTIAL')).toEqual(demo(6));
    expect(keys('summary ~ "login"')).toEqual(demo(1, 5));
    // A plain "contains" (Jira matches words and stems): "log" is inside "Backlog" too.
    expect(keys('summary ~ "log*"')).toEqual(demo(1, 4, 5, 7, 8, 9, 10, 11, 12));
    expect(keys('description ~ "e-mail"')).toEqual(demo(2));
    expect(keys('summary !~ backlog AND project = DEMO')).toEqual(demo(1, 2, 3, 4, 5, 6));
    expect(keys('description is EMPTY')).toEqual(demo(3));
  });
});

describe('JQL: logic', () => {
  it('AND binds tighter than OR; parentheses regroup', () => {
    expect(keys('issuetype = Bug OR labels = sso AND status = Done')).toEqual(demo(4));
    expect(keys('(issuetype = Bug OR labels = sso) AND project = DEMO')).toEqual(demo(1, 4));
    expect(keys('project = DEMO && (issuetype = Bug || issuetype = Epic)')).toEqual(demo(3, 4));
  });

  it('NOT, !, != and NOT IN', () => {
    expect(keys('project = DEMO AND NOT issuetype = Story')).toEqual(demo(3, 4, 5));
    expect(keys('project = DEMO AND !(issuetype = Story)')).toEqual(demo(3, 4, 5));
    expect(keys('project = DEMO AND issuetype != Story')).toEqual(demo(3, 4, 5));
    expect(keys('project = DEMO AND issuetype not in (Story, Bug)')).toEqual(demo(3, 5));
    expect(keys('NOT NOT key = DEMO-1')).toEqual(demo(1));
  });

  it('filters by what the actor can see', () => {
    expect(keys('project = DEMO', asUser)).toEqual(demo(1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12));
    expect(keys('project = DEMO', { actor: { as: 'app' } })).toEqual(ALL_DEMO);
    expect(keys('project = DEMO', { actor: { as: 'user', accountId: SMALL.admin } })).toEqual(ALL_DEMO);
  });
});

describe('JQL: ORDER BY', () => {
  it('defaults to key ASC, numeric-aware', () => {
    expect(keys('key in (DEMO-10, DEMO-2, DEMO-1)')).toEqual(demo(1, 2, 10));
  });

  it('orders by key, id, dates, priority and summary, with ties by key', () => {
    expect(keys('project = DEMO AND key <= DEMO-3 ORDER BY key DESC')).toEqual(demo(3, 2, 1));
    expect(keys('key in (DEMO-2, DEMO-10) order by id desc')).toEqual(demo(10, 2));
    expect(keys('project = DEMO AND issuetype != Story ORDER BY created ASC')).toEqual(demo(3, 4, 5));
    expect(keys('project = DEMO ORDER BY updated DESC').slice(0, 2)).toEqual(demo(1, 6));
    expect(keys('key <= DEMO-4 OR key = DEMO-12 ORDER BY priority DESC')).toEqual(demo(12, 4, 1, 2, 3));
    expect(keys('key <= DEMO-4 OR key = DEMO-12 OR key = DEMO-7 ORDER BY priority ASC')).toEqual(
      demo(7, 2, 3, 1, 4, 12),
    );
    expect(keys('key <= DEMO-4 ORDER BY summary')).toEqual(demo(3, 4, 1, 2));
    expect(keys('project = DEMO AND key >= DEMO-6 ORDER BY priority DESC, key DESC')).toEqual(
      demo(12, 6, 11, 10, 9, 8, 7),
    );
  });
});

describe('JQL: errors say what Jira says', () => {
  it.each([
    [
      'summary ~ 50%',
      "Error in the JQL Query: The character '%' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0025' instead. (line 1, character 13)",
    ],
    ['foo = bar', "Field 'foo' does not exist or you do not have permission to view it."],
    ['project = NOPE', "The value 'NOPE' does not exist for the field 'project'."],
    ['issuetype = Feature', "The value 'Feature' does not exist for the field 'issuetype'."],
    ['status = Blocked', "The value 'Blocked' does not exist for the field 'status'."],
    ['key = DEMO-99', "An issue with key 'DEMO-99' does not exist for field 'key'."],
    ['key = foo', "The issue key 'foo' for field 'key' is invalid."],
    [
      'updated >= "2026-13-45"',
      "Date value '2026-13-45' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    ],
    ['project ~ DEMO', "The operator '~' is not supported by the 'project' field."],
    ['text = sso', "The operator '=' is not supported by the 'text' field."],
    [
      'project = ',
      'Error in the JQL Query: Expecting either a value, list or function before the end of the query.',
    ],
    [
      'project DEMO',
      "Error in the JQL Query: Expecting operator but got 'DEMO'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)",
    ],
    [
      'project = DEMO issuetype = Bug',
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'issuetype'. (line 1, character 16)",
    ],
    ['(project = DEMO', "Error in the JQL Query: Expecting ')' before the end of the query."],
    [
      'summary ~ "open',
      "Error in the JQL Query: The quoted string 'open' has not been completed. (line 1, character 11)",
    ],
    ['project = DEMO ORDER BY text', "Not able to sort using field 'text'."],
    ['project = DEMO ORDER BY nope', "Field 'nope' does not exist or you do not have permission to view it."],
    ['project = EMPTY', "The field 'project' does not support searching for EMPTY values."],
  ])('%s', (jql, message) => {
    expect(errorOf(jql)).toBe(message);
  });

  it('treats projects and issues the actor cannot see as non-existent', () => {
    expect(errorOf('project = OTHER', asUser)).toBe(
      "The value 'OTHER' does not exist for the field 'project'.",
    );
    expect(errorOf('key = DEMO-6', asUser)).toBe(
      "An issue with key 'DEMO-6' does not exist for field 'key'.",
    );
  });

  it.each([
    ['assignee = currentUser()', "the field 'assignee'"],
    ['issue in linkedIssues(DEMO-1)', "JQL functions ('linkedIssues()')"],
    ['status WAS Done', "the operator 'WAS' on the field 'status'"],
    ['priority > Low', "the operator '>' on the field 'priority'"],
    ['project = DEMO ORDER BY labels', "ORDER BY 'labels'"],
  ])('says plainly what the simulator does not support: %s', (jql, what) => {
    expect(errorOf(jql)).toBe(`Error in the JQL Query: the Jira simulator does not support ${what}.`);
  });
});

describe('JQL: parsing', () => {
  it('knows bounded from unbounded queries', () => {
    expect(isBoundedJql(parseJql('ORDER BY key DESC'))).toBe(false);
    expect(isBoundedJql(parseJql(''))).toBe(false);
    expect(isBoundedJql(parseJql('project = DEMO order by key'))).toBe(true);
  });

  it('reads escapes in quoted strings and keywords in any case', () => {
    const query = parseJql('summary ~ "say \\"hi\\"" Order By key desc, created');
    expect(query.where).toMatchObject({
      kind: 'term',
      field: 'summary',
      operator: '~',
      operand: { text: 'say "hi"' },
    });
    expect(query.orderBy.map((o) => [o.field, o.direction])).toEqual([
      ['key', 'desc'],
      ['created', 'asc'],
    ]);
  });
});

describe('Jira time formats', () => {
  it('formats timestamps like Jira', () => {
    expect(toJiraTimestamp('2026-11-25T10:00:00Z')).toBe('2026-11-25T10:00:00.000+0000');
  });

  it('parses JQL dates in UTC and periods relative to now', () => {
    expect(parseJqlDate('2026/11/25 10:00', NOW)).toBe(Date.UTC(2026, 10, 25, 10, 0));
    expect(parseJqlDate('2026-11-25', NOW)).toBe(Date.UTC(2026, 10, 25));
    expect(parseJqlDate('-15m', NOW)).toBe(NOW.getTime() - 15 * 60_000);
    expect(parseJqlDate('2h', NOW)).toBe(NOW.getTime() + 2 * 3_600_000);
    expect(parseJqlDate('-1w', NOW)).toBe(NOW.getTime() - 7 * 86_400_000);
    expect(parseJqlDate('tomorrow', NOW)).toBeUndefined();
    expect(parseJqlDate('2026-02-30', NOW)).toBeUndefined();
  });
});
