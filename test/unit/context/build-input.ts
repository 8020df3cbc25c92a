/**
 * Builders of `buildContextDocument` inputs shared by the context-document tests: a realistic
 * requirement (DEMO-1) with one covering test and one "blocks" link, and factories to vary it.
 */
import type { JiraIssue, JiraRemoteLink } from '../../../src/clients/jira-issues';
import type { XrayContextTest, XrayRequirementContext } from '../../../src/clients/xray/requirement-context';
import type { BuildContextInput } from '../../../src/context/build-document';
import { acceptanceCriteria, doc, p } from '../../harness/fixtures/adf';

export const SITE = 'https://demo-site.atlassian.net';

export const issueLink = (id: string, key: string, type: 'Test' | 'Blocks', outward = true) => ({
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

export function issue(overrides: Partial<JiraIssue['fields']> = {}): JiraIssue {
  return {
    id: '10101',
    key: 'DEMO-1',
    self: `${SITE}/rest/api/3/issue/10101`,
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
      issuelinks: [issueLink('201', 'DEMO-201', 'Test', false), issueLink('5', 'DEMO-5', 'Blocks')],
      ...overrides,
    },
  };
}

export function coveringTest(id: string, overrides: Partial<XrayContextTest> = {}): XrayContextTest {
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

export function xray(tests: XrayContextTest[], total = tests.length): XrayRequirementContext {
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

/** A web link as Jira's `GET /issue/{id}/remotelink` lists it. */
export function remoteLink(url: string, title: string, extra: Partial<JiraRemoteLink> = {}): JiraRemoteLink {
  return { object: { url, title }, ...extra };
}

export function buildInput(overrides: Partial<BuildContextInput> = {}): BuildContextInput {
  return {
    cloudId: 'cloud-1',
    siteUrl: null,
    project: { id: '10000', key: 'DEMO' },
    trigger: 'panel',
    appVersion: '1.0.0',
    now: new Date('2026-11-25T09:00:00Z'),
    issue: issue(),
    remoteLinks: [],
    xray: xray([coveringTest('201')]),
    requirementIssueTypes: [],
    actor: 'app',
    ...overrides,
  };
}
