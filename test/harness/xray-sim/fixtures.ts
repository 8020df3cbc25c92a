/**
 * A tiny, deterministic Jira site + Xray tenant for the Xray simulator's own tests (the playground's
 * demo seed lives in test/harness/fixtures/). Project DEMO (10000) with Story, Epic, Bug and Xray's
 * issue types; link type "Test" (10006, inward "is tested by", outward "tests"); one tenant
 * `demo-cloud-id` (global, licensed, standard) with the API key DEMO-CLIENT-ID.
 */
import { JiraStore, type AdfDoc, type SimIssue } from '../jira-sim/store';
import { XrayStore } from './store';
import { createXraySimulator, type XraySimulator, type XraySimulatorOptions } from './simulator';

export const FIX = {
  cloudId: 'demo-cloud-id',
  clientId: 'DEMO-CLIENT-ID',
  clientSecret: 'demo-client-secret-value',
  project: { id: '10000', key: 'DEMO' },
  admin: 'admin-account-id',
  start: new Date('2025-03-01T09:00:00.000Z'),
  types: {
    story: '10001',
    epic: '10002',
    bug: '10003',
    test: '10010',
    testSet: '10011',
    testExecution: '10012',
    testPlan: '10013',
    precondition: '10014',
  },
  linkTypes: { test: '10006', blocks: '10000' },
} as const;

/** A clock tests move by hand. */
export interface FakeClock {
  now: () => Date;
  advance(ms: number): void;
  set(at: Date): void;
}

export function fakeClock(start: Date = FIX.start): FakeClock {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance: (ms) => {
      at += ms;
    },
    set: (date) => {
      at = date.getTime();
    },
  };
}

export const adf = (...paragraphs: string[]): AdfDoc => ({
  type: 'doc',
  version: 1,
  content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});

export function fixtureJira(now: () => Date): JiraStore {
  const jira = new JiraStore('https://demo-site.atlassian.net', now);
  jira.addUser({ accountId: FIX.admin, displayName: 'Ada Admin' });
  const type = (id: string, name: string, hierarchyLevel = 0) =>
    jira.addIssueType({ id, name, description: name, subtask: false, hierarchyLevel });
  type(FIX.types.story, 'Story');
  type(FIX.types.epic, 'Epic', 1);
  type(FIX.types.bug, 'Bug');
  type(FIX.types.test, 'Test');
  type(FIX.types.testSet, 'Test Set');
  type(FIX.types.testExecution, 'Test Execution');
  type(FIX.types.testPlan, 'Test Plan');
  type(FIX.types.precondition, 'Precondition');
  jira.addLinkType({ id: FIX.linkTypes.test, name: 'Test', inward: 'is tested by', outward: 'tests' });
  jira.addLinkType({ id: FIX.linkTypes.blocks, name: 'Blocks', inward: 'is blocked by', outward: 'blocks' });
  jira.addProject({
    id: FIX.project.id,
    key: FIX.project.key,
    name: 'Demo',
    projectTypeKey: 'software',
    leadAccountId: FIX.admin,
    issueTypeIds: Object.values(FIX.types),
    admins: [FIX.admin],
  });
  return jira;
}

export interface Fixture {
  clock: FakeClock;
  jira: JiraStore;
  store: XrayStore;
  sim: XraySimulator;
}

/** Jira + Xray store + simulator with the demo tenant and project DEMO enabled for Xray. */
export function fixture(
  options: Partial<Pick<XraySimulatorOptions, 'rateWindowMs' | 'schema'>> = {},
): Fixture {
  const clock = fakeClock();
  const jira = fixtureJira(clock.now);
  const store = new XrayStore(jira, clock.now);
  store.addTenant({
    cloudId: FIX.cloudId,
    region: 'global',
    licensed: true,
    tier: 'standard',
    apiKeys: { [FIX.clientId]: FIX.clientSecret },
  });
  store.defineProject(FIX.project.id, { testEnvironments: ['chrome'] });
  const sim = createXraySimulator({ jira, store, now: clock.now, ...options });
  return { clock, jira, store, sim };
}

export interface CoverageSeed {
  requirement: SimIssue;
  uncovered: SimIssue;
  manual: SimIssue;
  cucumber: SimIssue;
  generic: SimIssue;
  precondition: SimIssue;
  testSet: SimIssue;
  execution: SimIssue;
  plan: SimIssue;
}

/**
 * One requirement (Story DEMO-1) covered by a Manual test (2 steps, PASSED), a Cucumber test
 * (FAILED) and a Generic test (never run); a precondition on the manual test; a test set with the
 * manual and cucumber tests; an execution of those two (in "chrome") inside a test plan.
 */
export function seedCoverage(store: XrayStore, clock: FakeClock): CoverageSeed {
  const jira = store.jira;
  const requirement = jira.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Story',
    summary: 'Login with SSO',
    description: adf('As a user I sign in with my company account.'),
  });
  const uncovered = jira.createIssue({
    projectIdOrKey: 'DEMO',
    issueTypeIdOrName: 'Story',
    summary: 'Password reset',
  });
  const precondition = store.createPrecondition({
    projectIdOrKey: 'DEMO',
    summary: 'An SSO-enabled account exists',
    preconditionType: 'Manual',
    definition: 'Create user sso@example.com in the IdP.',
  });
  const manual = store.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'Sign in through the IdP',
    testType: 'Manual',
    steps: [
      { action: 'Open the login page', result: 'The SSO button shows' },
      { action: 'Click "Sign in with SSO"', data: 'sso@example.com', result: 'The dashboard opens' },
    ],
    preconditionIssueIds: [precondition.id],
    coversIssueIds: [requirement.id],
    labels: ['sso'],
    folderPath: '/auth/sso',
  });
  const cucumber = store.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'SSO scenario',
    testType: 'Cucumber',
    gherkin: 'Given an SSO account\nWhen I sign in\nThen I see the dashboard',
    coversIssueIds: [requirement.id],
  });
  const generic = store.createTest({
    projectIdOrKey: 'DEMO',
    summary: 'Explore SSO edge cases',
    testType: 'Generic',
    unstructured: 'Try expired sessions and revoked accounts.',
    coversIssueIds: [requirement.id],
  });
  const testSet = store.createTestSet({
    projectIdOrKey: 'DEMO',
    summary: 'SSO regression',
    testIssueIds: [manual.id, cucumber.id],
  });
  const execution = store.createTestExecution({
    projectIdOrKey: 'DEMO',
    summary: 'Sprint 1 run',
    testIssueIds: [manual.id, cucumber.id],
    testEnvironments: ['chrome'],
  });
  const plan = store.createTestPlan({
    projectIdOrKey: 'DEMO',
    summary: 'Release 1.0',
    testIssueIds: [manual.id, cucumber.id, generic.id],
    testExecIssueIds: [execution.id],
  });
  clock.advance(60_000);
  store.setRunStatus(execution.id, manual.id, 'PASSED', { comment: 'All good' });
  store.setRunStatus(execution.id, cucumber.id, 'FAILED', { stepStatuses: [] });
  return { requirement, uncovered, manual, cucumber, generic, precondition, testSet, execution, plan };
}

// ---------- a minimal client for the tests ----------

export interface SimAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json(): unknown;
}

const answer = (response: { status: number; headers: Record<string, string>; body: string }): SimAnswer => ({
  ...response,
  json: () => JSON.parse(response.body) as unknown,
});

export const hostOf = (region: 'global' | 'us' | 'eu' | 'au' = 'global') =>
  region === 'global' ? 'https://xray.cloud.getxray.app' : `https://${region}.xray.cloud.getxray.app`;

export async function postAuthenticate(
  sim: XraySimulator,
  body: unknown = { client_id: FIX.clientId, client_secret: FIX.clientSecret },
  region: 'global' | 'us' | 'eu' | 'au' = 'global',
): Promise<SimAnswer> {
  return answer(
    await sim.handle({
      method: 'POST',
      url: `${hostOf(region)}/api/v2/authenticate`,
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** Authenticates with the fixture's API key and returns the bearer token. */
export async function tokenFor(
  sim: XraySimulator,
  region: 'global' | 'us' | 'eu' | 'au' = 'global',
): Promise<string> {
  const response = await postAuthenticate(sim, undefined, region);
  const token: unknown = response.json();
  if (response.status !== 200 || typeof token !== 'string') {
    throw new Error(`authenticate failed: ${response.status} ${response.body}`);
  }
  return token;
}

export async function postGraphql(
  sim: XraySimulator,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
  region: 'global' | 'us' | 'eu' | 'au' = 'global',
): Promise<SimAnswer> {
  return answer(
    await sim.handle({
      method: 'POST',
      url: `${hostOf(region)}/api/v2/graphql`,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    }),
  );
}

/** Walks into parsed JSON without `any`: at(body, 'data', 'getTests', 'results', 0, 'issueId'). */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current)
      ? current[Number(step)]
      : (current as Record<string, unknown>)[String(step)];
  }
  return current;
}
