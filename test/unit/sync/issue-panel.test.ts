/**
 * The issue panel through the REAL resolver handler, against the seeded simulators: what the panel
 * shows, the exact document, the push, the round trips, and every failure branch.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContextPreviewDto, IssuePanelView, SendToSqaiResult } from '../../../src/api';
import { contextDocumentSchema, type ContextDocument } from '../../../src/context/schema';
import { summarize } from '../../../src/sync/to-dto';
import { syncStateKey } from '../../../src/sync/state';
import { describeWithContracts } from '../../harness/contracts';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { validateAgainstPublishedSchema } from './published-schema';

async function configure(world: World): Promise<void> {
  data(await world.invoke('saveSettings', demoSettings()));
}

/** Requests each simulator received since `mark()`. */
function counter(world: World) {
  const start = {
    jira: world.jira.requests.length,
    xray: world.xray.requests.length,
    sqai: world.sqai.log.entries.length,
  };
  return () => ({
    jira: world.jira.requests.length - start.jira,
    xrayGraphql: world.xray.requests.slice(start.xray).filter((r) => r.path.endsWith('/graphql')).length,
    xrayAuth: world.xray.requests.slice(start.xray).filter((r) => r.path.endsWith('/authenticate')).length,
    sqai: world.sqai.log.entries.length - start.sqai,
  });
}

describeWithContracts('issue panel', () => {
  let world: World;

  beforeEach(() => {
    world = createWorld();
  });

  afterEach(() => expectWorldWithinContracts(world));

  describe('before the project is configured', () => {
    it('tells an admin to configure it (with a link) and a plain user to ask an admin', async () => {
      const asAdmin = data(
        await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.admin),
      );
      expect(asAdmin).toMatchObject({ configured: false, canConfigure: true, summary: null });
      const asUser = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.user));
      expect(asUser).toMatchObject({ configured: false, canConfigure: false });
      expect(failure(await world.invokeIssue('sendToSqai', {}, 'DEMO-1')).code).toBe('NOT_CONFIGURED');
      expect(world.sqai.log.entries).toHaveLength(0);
    });
  });

  describe('a configured project', () => {
    beforeEach(async () => {
      await configure(world);
    });

    it('shows what will be sent for DEMO-1', async () => {
      const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.user));
      expect(view.configured).toBe(true);
      expect(view.state.status).toBe('never');
      expect(view.upToDate).toBe(false);
      expect(view.summary).toMatchObject({
        issue: { key: 'DEMO-1', summary: 'Guest checkout with email receipt', type: 'Story' },
        isRequirement: true,
        linkedIssues: 5,
        remoteLinks: 2,
        confluencePages: 2,
        tests: { total: 5, byType: { Manual: 4, Cucumber: 1 } },
        testSets: 1,
        testExecutions: 2,
        testPlans: 1,
        truncated: [],
      });
      const results = view.summary?.latestResults;
      expect((results?.passed ?? 0) + (results?.failed ?? 0)).toBeGreaterThan(0);
    });

    it('reminds project admins (only) that the Xray key expires soon', async () => {
      const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      data(await world.invoke('saveSettings', { ...demoSettings(), keyExpiresOn: soon, secrets: {} }));
      const asAdmin = data(
        await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.admin),
      );
      expect(asAdmin.keyReminder).toEqual({ status: 'expiring', expiresOn: soon, days: 5 });
      const asUser = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1', DEMO.user));
      expect(asUser.keyReminder).toBeUndefined();
      const settings = data(await world.invoke<{ keyReminder?: unknown }>('getSettings', {}));
      expect(settings.keyReminder).toEqual({ status: 'expiring', expiresOn: soon, days: 5 });
    });

    it('previews the exact document: schema-valid, steps and Gherkin included, Markdown description', async () => {
      const preview = data(
        await world.invokeIssue<ContextPreviewDto>('previewContext', {}, 'DEMO-1', DEMO.user),
      );
      const document = contextDocumentSchema.parse(preview.document);
      validateAgainstPublishedSchema(document);
      expect(document.requirement.description).toContain('### Acceptance criteria');
      expect(document.requirement.description).toContain('@Priya Product');
      expect(document.requirement.description).toMatch(/\| Field +\| Required +\| Validation +\|/);
      const manual = document.xray.tests.find(
        (test) => test.summary === 'Guest can check out with only an email address',
      );
      expect(manual?.steps?.[1]).toEqual({
        action: 'Choose "Continue as guest" and enter the email',
        // The default data controls redact email addresses (docs/data-controls.md): the test's
        // sam@example.com leaves Jira as its placeholder.
        data: '[email-1]',
        result: 'The payment step opens',
      });
      const cucumber = document.xray.tests.find((test) => test.testType.kind === 'Gherkin');
      expect(cucumber?.gherkin).toContain('Scenario: Guest receives an email receipt');
      expect(manual?.preconditions[0]?.summary).toBe('Basket with two in-stock items');
      expect(document.remoteLinks.map((link) => link.title)).toContain('Checkout flow — product spec');
      expect(document.linkedIssues.map((link) => `${link.relation} ${link.key}`)).toContain('blocks DEMO-5');
      expect(document.xray.testExecutions.map((execution) => execution.summary)).toContain(
        'Sprint 47 regression — Chrome',
      );
      expect(JSON.stringify(document)).not.toMatch(/\[object Object\]|undefined/);
    });

    it('sends DEMO-1 in one round trip per service after the reads, then skips an unchanged re-send', async () => {
      data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-1')); // warms the Xray token
      const count = counter(world);
      const first = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', DEMO.user));
      expect(first.outcome).toBe('pushed');
      // Jira: the access check, the issue, its remote links, which of the issues Xray names the user
      // can see (one bulk read), and the `sqaiCriteria` property: the first sync gave DEMO-1 its
      // criterion counts (issue 18; written only when they change). Xray: the context, and its tests'
      // results in their Test Plan (read alongside the push, only when the content changed).
      expect(count()).toEqual({ jira: 5, xrayGraphql: 2, xrayAuth: 0, sqai: 1 });
      const stored = world.sqai.contexts.get(`${DEMO.cloudId}/${first.summary.issue.id}`);
      expect(stored?.contentHash).toBe(first.summary.contentHash);
      // A conditional write (RFC 9110): the app knew of no version in SQAI, so "create only".
      expect(world.sqai.received.at(-1)).toMatchObject({ method: 'PUT', ifNoneMatch: '*' });
      expect(world.sqai.received.at(-1)?.idempotencyKey).toBeUndefined();
      expect(first.state).toMatchObject({
        status: 'synced',
        syncedBy: DEMO.user,
        contentHash: first.summary.contentHash,
      });

      const again = counter(world);
      const second = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', DEMO.user));
      expect(second.outcome).toBe('unchanged');
      // Nothing changed: no push, no Test Plan read, and the criteria property is not written again.
      expect(again()).toEqual({ jira: 4, xrayGraphql: 1, xrayAuth: 0, sqai: 0 });
      const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1'));
      expect(view.upToDate).toBe(true);
      expect(view.state.history.map((entry) => entry.outcome)).toEqual(['unchanged', 'pushed']);

      const forced = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
      expect(forced.outcome).toBe('pushed'); // sent again, If-Match the version SQAI holds: 200 unchanged
      expect(world.sqai.received.at(-1)).toMatchObject({ ifMatch: `"${first.summary.contentHash}"` });
      expect(world.sqai.log.entries.filter((entry) => entry.path.startsWith('/v1/contexts/'))).toHaveLength(
        2,
      );
      expect(world.sqai.contexts.get(`${DEMO.cloudId}/${first.summary.issue.id}`)?.version).toBe(1);
    });

    it('never overwrites a version it did not expect: on 412 it reads the issue again and writes over exactly that version', async () => {
      const first = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1', DEMO.user));
      const key = `${DEMO.cloudId}/${first.summary.issue.id}`;
      // Another writer (a scheduled run that read DEMO-1 earlier) stored another version meanwhile.
      const held = world.sqai.contexts.get(key)?.document ?? {};
      const other = 'e'.repeat(64);
      world.sqai.store({ ...held, contentHash: other });
      const forced = data(
        await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1', DEMO.user),
      );
      expect(forced.outcome).toBe('pushed');
      const puts = world.sqai.received.filter((request) => request.method === 'PUT').slice(-2);
      expect(puts.map((request) => request.ifMatch)).toEqual([
        `"${first.summary.contentHash}"`, // what the app had sent: refused (412)
        `"${other}"`, // after reading the issue again: over exactly the version SQAI named
      ]);
      expect(world.sqai.contexts.get(key)?.contentHash).toBe(first.summary.contentHash);
    });

    it('notices a change: an edited test step makes the issue "changed since last sync"', async () => {
      data(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
      const demo1 = world.jiraStore.issue('DEMO-1');
      const testId = demo1 ? world.xrayStore.coveringTestIds(demo1.id)[0] : undefined;
      world.xrayStore.addTestStep(testId ?? '', { action: 'Check the receipt email', result: 'It arrived' });
      const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1'));
      expect(view.upToDate).toBe(false);
      const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
      expect(sent.outcome).toBe('pushed');
      expect(world.sqai.contexts.get(`${DEMO.cloudId}/${demo1?.id ?? ''}`)?.version).toBe(2);
    });

    it('handles an issue without tests', async () => {
      const epic = [...world.jiraStore.issues.values()].find(
        (issue) => issue.summary === 'Customer accounts',
      );
      const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, epic?.key ?? ''));
      expect(view.summary?.tests).toEqual({ total: 0, byType: {} });
      expect(data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, epic?.key ?? '')).outcome).toBe(
        'pushed',
      );
    });

    it('text with a lone UTF-16 surrogate (Jira or Xray) is sent with U+FFFD in its place', async () => {
      const issue = world.jiraStore.issue('DEMO-1');
      if (!issue) throw new Error('setup');
      issue.summary = 'Checkout \ud800 with a broken emoji';
      const testId = world.xrayStore.coveringTestIds(issue.id)[0] ?? '';
      world.xrayStore.addTestStep(testId, { action: 'Paste \udc00 into the field', result: 'ok' });
      expect(data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1')).outcome).toBe(
        'pushed',
      );
      const held = JSON.stringify(world.sqai.contexts.get(`${DEMO.cloudId}/${issue.id}`)?.document);
      expect(held).toContain('Checkout \ufffd with a broken emoji');
      expect(held).toContain('Paste \ufffd into the field');
    });

    it('pages past 100 tests and still sends a document within its limits', async () => {
      const requirement = world.jiraStore.issue('DEMO-2');
      const seeded = world.xrayStore.coveringTestIds(requirement?.id ?? '').length;
      for (let index = 0; index < 300; index += 1) {
        world.xrayStore.createTest({
          projectIdOrKey: 'DEMO',
          summary: `Generated regression ${index}`,
          testType: 'Manual',
          steps: [{ action: `Do step ${index}`, data: 'some data', result: 'It works' }],
          coversIssueIds: [requirement?.id ?? ''],
        });
      }
      data(await world.invokeIssue('getIssuePanel', {}, 'DEMO-2'));
      const count = counter(world);
      const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-2'));
      expect(sent.summary.tests.total).toBe(seeded + 300);
      // Four pages of tests, and one read of their results in the demo's Test Plan (≤ 100 per alias:
      // the 300 new tests are in no plan).
      expect(count().xrayGraphql).toBe(5);
      const document = world.sqai.contexts.get(`${DEMO.cloudId}/${requirement?.id ?? ''}`)
        ?.document as ContextDocument;
      expect(document.xray.tests).toHaveLength(seeded + 300);
      expect(sent.summary.sizeBytes).toBeLessThanOrEqual(256 * 1024);
    });

    it('a plain user cannot send (or even see) an issue-security-restricted issue; nothing reaches SQAI', async () => {
      const restricted = [...world.jiraStore.issues.values()].find((issue) => issue.restrictedTo);
      const error = failure(await world.invokeIssue('sendToSqai', {}, restricted?.key ?? '', DEMO.user));
      expect(error.code).toBe('ISSUE_NOT_FOUND');
      expect(
        failure(await world.invokeIssue('previewContext', {}, restricted?.key ?? '', DEMO.user)).code,
      ).toBe('ISSUE_NOT_FOUND');
      expect(world.sqai.contexts.size).toBe(0);
      // The admin, who may see it, can.
      expect(
        data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, restricted?.key ?? '', DEMO.admin))
          .outcome,
      ).toBe('pushed');
    });

    it('the payload cannot pick another issue', async () => {
      const error = failure(await world.invokeIssue('sendToSqai', { issueId: '10101' }, 'DEMO-1'));
      expect(error).toMatchObject({
        code: 'VALIDATION',
        fieldErrors: { _form: 'Unknown field(s): issueId' },
      });
      expect(world.sqai.contexts.size).toBe(0);
    });

    it('Xray down: XRAY_API_ERROR, nothing sent, the attempt recorded', async () => {
      world.xray.faults.add({ path: /graphql/, status: 503, count: 3 }); // every retry of one call
      const error = failure(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
      expect(error.code).toBe('XRAY_API_ERROR');
      expect(world.sqai.contexts.size).toBe(0);
      const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1'));
      expect(view.state).toMatchObject({ status: 'failed', error: { code: 'XRAY_API_ERROR' }, attempts: 1 });
    });

    it('SQAI 429 then OK: waits (Retry-After) and pushes', async () => {
      world.sqai.failNext({ path: /\/v1\/contexts\//, status: 429, headers: { 'retry-after': '1' } });
      const started = Date.now();
      const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
      expect(sent.outcome).toBe('pushed');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('SQAI 413: SQAI_REJECTED naming the size, state failed, no retry', async () => {
      world.sqai.failNext({
        path: /\/v1\/contexts\//,
        status: 413,
        body: { error: 'Request body exceeds 4 MB' },
      });
      const error = failure(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
      expect(error.code).toBe('SQAI_REJECTED');
      expect(error.message).toMatch(/too large/);
      expect(world.sqai.log.entries.filter((entry) => entry.path.startsWith('/v1/contexts/'))).toHaveLength(
        1,
      );
      const state = world.platform.kvs.data.get(
        syncStateKey(DEMO.project.id, world.jiraStore.issue('DEMO-1')?.id ?? ''),
      );
      expect(state).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('a malformed SQAI reply to the push is not mistaken for success', async () => {
      world.sqai.failNext({ path: /\/v1\/contexts\//, status: 302, body: '<html>moved</html>' });
      expect(failure(await world.invokeIssue('sendToSqai', {}, 'DEMO-1')).code).toBe('SQAI_REJECTED');
      world.sqai.failNext({ path: /\/v1\/contexts\//, status: 200, body: '<html>proxy page</html>' });
      expect(data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1')).outcome).toBe(
        'pushed',
      );
    });

    it('SQAI unreachable after retries: SQAI_UNREACHABLE and the previous sync is kept', async () => {
      const first = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', {}, 'DEMO-1'));
      world.jiraStore.updateIssue(world.jiraStore.issue('DEMO-1')?.id ?? '', {
        labels: ['checkout', 'changed'],
      });
      world.sqai.setMode('down');
      expect(failure(await world.invokeIssue('sendToSqai', {}, 'DEMO-1')).code).toBe('SQAI_UNREACHABLE');
      world.sqai.setMode('up');
      const view = data(await world.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1'));
      expect(view.state).toMatchObject({ status: 'failed', contentHash: first.summary.contentHash });
      expect(view.upToDate).toBe(false);
    });
  });
});

describe('issue panel summary', () => {
  // Found with the same seed as the document's status counts (855519275): counting into `{}` let a
  // test type named like an Object.prototype member corrupt the count or vanish.
  it('counts test types named like Object.prototype members as test types', () => {
    const example = contextDocumentSchema.parse(
      JSON.parse(readFileSync(path.join(__dirname, '../../../docs/sqai-context.example.json'), 'utf8')),
    );
    const [first] = example.xray.tests;
    if (!first) throw new Error('the example document has no tests');
    const tests = ['constructor', 'toString', 'constructor', 'Manual'].map((name) => ({
      ...first,
      testType: { ...first.testType, name },
    }));
    const summary = summarize({ ...example, xray: { ...example.xray, tests } });
    expect(Object.entries(summary.tests.byType).sort()).toEqual([
      ['Manual', 1],
      ['constructor', 2],
      ['toString', 1],
    ]);
  });
});
