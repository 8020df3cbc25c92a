/**
 * The pure document builder: what goes in, what is cut (visibly), who sees which tests, and a
 * content hash that ignores time and key order but not content.
 */
import type { JiraIssue } from '../../../src/clients/jira-issues';
import type { XrayContextTest, XrayRequirementContext } from '../../../src/clients/xray/requirement-context';
import {
  buildContextDocument,
  latestRunOf,
  normalizeJiraTime,
  type BuildContextInput,
} from '../../../src/context/build-document';
import { contentHashOf } from '../../../src/context/content-hash';
import { contextDocumentSchema } from '../../../src/context/schema';
import { acceptanceCriteria, doc, p } from '../../harness/fixtures/adf';

const link = (id: string, key: string, type: 'Test' | 'Blocks', outward = true) => ({
  id: `l-${id}`,
  type:
    type === 'Test'
      ? { id: '10006', name: 'Test', inward: 'is tested by', outward: 'tests' }
      : { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  [outward ? 'outwardIssue' : 'inwardIssue']: {
    id,
    key,
    fields: {
      summary: `Issue ${key}`,
      status: { name: 'To Do' },
      issuetype: { name: type === 'Test' ? 'Test' : 'Story' },
    },
  },
});

function issue(overrides: Partial<JiraIssue['fields']> = {}): JiraIssue {
  return {
    id: '10101',
    key: 'DEMO-1',
    self: 'https://demo-site.atlassian.net/rest/api/3/issue/10101',
    fields: {
      summary: 'Guest checkout',
      description: doc(
        p('As a shopper I check out as a guest.'),
        ...acceptanceCriteria('A receipt is emailed'),
      ),
      issuetype: { id: '10001', name: 'Story' },
      status: { name: 'In Progress', statusCategory: { key: 'indeterminate', name: 'In Progress' } },
      priority: { name: 'High' },
      labels: ['checkout'],
      components: [{ name: 'Checkout' }],
      fixVersions: [{ name: '2026.12' }],
      reporter: { accountId: 'po', displayName: 'Priya Product' },
      assignee: null,
      created: '2026-11-01T10:00:00.000+0000',
      updated: '2026-11-20T08:30:00.000+0100',
      project: { id: '10000', key: 'DEMO' },
      issuelinks: [link('201', 'DEMO-201', 'Test', false), link('5', 'DEMO-5', 'Blocks')],
      ...overrides,
    },
  };
}

function test(id: string, overrides: Partial<XrayContextTest> = {}): XrayContextTest {
  return {
    issueId: id,
    jira: { key: `DEMO-${id}`, summary: `Test ${id}`, status: { name: 'To Do' }, labels: [] },
    testType: { name: 'Manual', kind: 'Steps' },
    steps: [{ action: 'Open the basket', data: null, result: 'It opens' }],
    gherkin: null,
    unstructured: null,
    folder: { path: '/Checkout' },
    preconditions: { total: 0, results: [] },
    testRuns: { total: 0, results: [] },
    testSets: { results: [] },
    testExecutions: { results: [] },
    testPlans: { results: [] },
    ...overrides,
  };
}

function xray(tests: XrayContextTest[], total = tests.length): XrayRequirementContext {
  return {
    projectEnabled: true,
    testTypes: [{ name: 'Manual', kind: 'Steps' }],
    coverableIssueTypeIds: ['10001'],
    coverageLinkTypeId: '10006',
    coverage: { status: 'NOTRUN', description: 'Not run' },
    testsTotal: total,
    tests,
    requests: 1,
  };
}

function input(overrides: Partial<BuildContextInput> = {}): BuildContextInput {
  return {
    cloudId: 'cloud-1',
    siteUrl: null,
    project: { id: '10000', key: 'DEMO' },
    trigger: 'panel',
    appVersion: '1.0.0',
    now: new Date('2026-11-25T09:00:00Z'),
    issue: issue(),
    remoteLinks: [],
    xray: xray([test('201')]),
    requirementIssueTypes: [],
    actor: 'app',
    ...overrides,
  };
}

describe('buildContextDocument', () => {
  it('builds a schema-valid document; links to covering tests are listed as tests, not as linked issues', () => {
    const document = buildContextDocument(input());
    expect(contextDocumentSchema.safeParse(document).success).toBe(true);
    expect(document.linkedIssues.map((entry) => `${entry.relation} ${entry.key}`)).toEqual(['blocks DEMO-5']);
    expect(document.xray.tests.map((entry) => entry.key)).toEqual(['DEMO-201']);
    expect(document.requirement).toMatchObject({
      url: 'https://demo-site.atlassian.net/browse/DEMO-1',
      updated: '2026-11-20T07:30:00.000Z',
      reporter: 'Priya Product',
      assignee: null,
    });
    expect(document.requirement.description).toContain('### Acceptance criteria');
    expect(document.truncated).toEqual([]);
  });

  it('for a user, keeps only the covering tests Jira showed that user', () => {
    const document = buildContextDocument(
      input({ actor: 'user', xray: xray([test('201'), test('202')], 2) }),
    );
    expect(document.xray.tests.map((entry) => entry.id)).toEqual(['201']);
    expect(document.xray.testsTotal).toBe(1);
    const asApp = buildContextDocument(input({ xray: xray([test('201'), test('202')], 2) }));
    expect(asApp.xray.tests).toHaveLength(2);
  });

  it('cuts a long description visibly and lists it', () => {
    const long = doc(...Array.from({ length: 400 }, (_, i) => p(`Paragraph ${i} `.repeat(20))));
    const document = buildContextDocument(
      input({ issue: issue({ description: long }), limits: { descriptionChars: 5_000 } }),
    );
    expect(document.requirement.description.length).toBeLessThanOrEqual(5_000);
    expect(document.requirement.description).toMatch(/truncated: \d+ more characters\]$/);
    expect(document.truncated).toContain('requirement.description');
  });

  it('leaves out test details (never the tests) to stay under the size limit', () => {
    const bulky = Array.from({ length: 60 }, (_, i) =>
      test(String(300 + i), {
        steps: Array.from({ length: 20 }, () => ({
          action: 'x'.repeat(500),
          data: null,
          result: 'y'.repeat(500),
        })),
      }),
    );
    const document = buildContextDocument(input({ xray: xray(bulky), limits: { documentBytes: 200_000 } }));
    expect(JSON.stringify(document).length).toBeLessThanOrEqual(200_000);
    expect(document.xray.tests).toHaveLength(60);
    expect(document.xray.tests[0]?.steps).toHaveLength(20);
    expect(document.xray.tests.at(-1)).toMatchObject({ detailsOmitted: true });
    expect(document.xray.tests.at(-1)?.steps).toBeUndefined();
    expect(document.truncated).toContain('xray.tests.details');
  });

  it('summarises executions with the latest status of each covering test', () => {
    const run = (status: string, finishedOn: string | null, execution: string) => ({
      status: { name: status },
      startedOn: finishedOn,
      finishedOn,
      testExecution: { issueId: execution, jira: { key: `DEMO-${execution}` } },
    });
    const executions = {
      results: [
        { issueId: '900', jira: { key: 'DEMO-900', summary: 'Sprint 1' }, testEnvironments: ['Chrome'] },
      ],
    };
    const document = buildContextDocument(
      input({
        xray: xray([
          test('201', {
            testRuns: {
              results: [
                run('FAILED', '2026-11-01T10:00:00Z', '900'),
                run('PASSED', '2026-11-02T10:00:00Z', '900'),
              ],
            },
            testExecutions: executions,
          }),
          test('202', {
            testRuns: { results: [run('FAILED', '2026-11-03T10:00:00Z', '900')] },
            testExecutions: executions,
          }),
        ]),
      }),
    );
    expect(document.xray.testExecutions).toEqual([
      {
        id: '900',
        key: 'DEMO-900',
        summary: 'Sprint 1',
        environments: ['Chrome'],
        statusCounts: { PASSED: 1, FAILED: 1 },
      },
    ]);
    expect(document.xray.tests[0]?.latestRun).toMatchObject({
      status: 'PASSED',
      execution: { key: 'DEMO-900' },
    });
  });

  // `npm run trust`, seed 855519275, "damaged Xray answers › requirements batch" (path 211:13:9): a run
  // whose status Xray names `constructor` was counted on Object.prototype.constructor, so the count
  // became a string and the document failed its own schema (INTERNAL).
  it('seed 855519275: counts statuses named like Object.prototype members as statuses', () => {
    const run = (status: string, execution: string) => ({
      status: { name: status },
      startedOn: '2026-11-01T10:00:00Z',
      finishedOn: '2026-11-01T10:00:00Z',
      testExecution: { issueId: execution, jira: { key: `DEMO-${execution}` } },
    });
    const executions = { results: [{ issueId: '900', jira: { key: 'DEMO-900', summary: 'Sprint 1' } }] };
    const document = buildContextDocument(
      input({
        xray: xray(
          ['constructor', '__proto__', 'toString', 'constructor'].map((status, index) =>
            test(`20${index}`, { testRuns: { results: [run(status, '900')] }, testExecutions: executions }),
          ),
        ),
      }),
    );
    expect(contextDocumentSchema.safeParse(document).success).toBe(true);
    const counts = document.xray.testExecutions[0]?.statusCounts ?? {};
    // `__proto__` cannot survive zod's record parsing (it assigns keys to a plain object); it is left
    // out without touching the object's prototype, and every other status is counted.
    expect(Object.entries(counts).sort()).toEqual([
      ['constructor', 2],
      ['toString', 1],
    ]);
    expect(Object.getPrototypeOf(counts)).toBe(Object.prototype);
  });

  it('decides "requirement" by the admin’s types when given, else by Xray', () => {
    expect(buildContextDocument(input()).xray.isRequirement).toBe(true);
    expect(buildContextDocument(input({ requirementIssueTypes: ['Epic'] })).xray.isRequirement).toBe(false);
    expect(
      buildContextDocument(input({ xray: { ...xray([]), coverage: null, coverableIssueTypeIds: [] } })).xray
        .isRequirement,
    ).toBe(false);
  });
});

describe('content hash', () => {
  it('ignores when and why a document was built, and key order', () => {
    const a = buildContextDocument(input());
    const b = buildContextDocument(
      input({ now: new Date('2027-01-01T00:00:00Z'), trigger: 'scheduled', appVersion: '9.9.9' }),
    );
    expect(b.contentHash).toBe(a.contentHash);
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const reordered = reverseKeys(a) as typeof a;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(contentHashOf(reordered)).toBe(a.contentHash);
  });

  it('changes with any content: a label, a step, a run result', () => {
    const base = buildContextDocument(input()).contentHash;
    expect(
      buildContextDocument(input({ issue: issue({ labels: ['checkout', 'new'] }) })).contentHash,
    ).not.toBe(base);
    expect(
      buildContextDocument(
        input({
          xray: xray([test('201', { steps: [{ action: 'Open the cart', data: null, result: 'It opens' }] })]),
        }),
      ).contentHash,
    ).not.toBe(base);
  });
});

describe('helpers', () => {
  it('normalizes Jira timestamps and keeps what it cannot read', () => {
    expect(normalizeJiraTime('2026-11-25T10:00:00.000+0000')).toBe('2026-11-25T10:00:00.000Z');
    expect(normalizeJiraTime('not a date')).toBe('not a date');
    expect(normalizeJiraTime(null)).toBeNull();
  });

  it('picks the most recent run; never-run runs only when nothing ran', () => {
    const todo = { status: { name: 'TODO' }, startedOn: null, finishedOn: null };
    const old = { status: { name: 'FAILED' }, startedOn: null, finishedOn: '2026-01-01T00:00:00Z' };
    const recent = { status: { name: 'PASSED' }, startedOn: '2026-02-01T00:00:00Z', finishedOn: null };
    expect(latestRunOf([todo, old, recent])?.status?.name).toBe('PASSED');
    expect(latestRunOf([todo])?.status?.name).toBe('TODO');
    expect(latestRunOf([])).toBeNull();
  });
});
