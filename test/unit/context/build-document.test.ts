/**
 * The pure document builder: what goes in, what is cut (visibly), who sees which tests, and a
 * content hash that ignores time and key order but not content.
 */
import { buildContextDocument, latestRunOf, normalizeJiraTime } from '../../../src/context/build-document';
import { byteSize, contentHashOf } from '../../../src/context/content-hash';
import { at, pathOf, truncateText } from '../../../src/context/limits';

/** RFC 6901 §4: evaluates a JSON Pointer (`~1` is "/", `~0` is "~"). */
function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => {
      if (Array.isArray(node)) return /^(0|[1-9]\d*)$/.test(token) ? node[Number(token)] : undefined;
      return typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined;
    }, document);
}
import { contextDocumentSchema } from '../../../src/context/schema';
import { doc, p } from '../../harness/fixtures/adf';
import {
  buildInput as input,
  coveringTest as test,
  issue,
  issueLink,
  remoteLink,
  SITE,
  xray,
} from './build-input';

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
    expect(document.truncated).toContain('/requirement/description');
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
    // Not a place in the document: each such test says so, and `omitted` counts them.
    expect(document.truncated).not.toContain('/xray/tests/details');
    expect(document.omitted?.['xray.tests.details']).toBeGreaterThan(0);
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

// Issue 13, item 12: remote links went to SQAI verbatim, `javascript:` URLs included, and any URL
// holding `/wiki/` (on any host) was called a Confluence page.
describe('remote links', () => {
  it('sends only http(s) links; javascript:, data:, vbscript:, file: and relative URLs are dropped and counted', () => {
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        remoteLinks: [
          remoteLink('https://docs.example.com/spec', 'Spec'),
          remoteLink('javascript:alert(document.cookie)', 'Click me'),
          remoteLink(' JaVaScRiPt:alert(1)', 'Mixed case, leading space'),
          remoteLink('java\nscript:alert(1)', 'Newline inside the scheme'),
          remoteLink('data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'Data'),
          remoteLink('vbscript:msgbox(1)', 'VB'),
          remoteLink('file:///etc/passwd', 'File'),
          remoteLink('/relative/path', 'Relative'),
          remoteLink('ftp://files.example.com/x', 'FTP'),
          remoteLink('http://intranet.example.com/page', 'Plain http'),
        ],
      }),
    );
    expect(document.remoteLinks.map((link) => link.url)).toEqual([
      'https://docs.example.com/spec',
      'http://intranet.example.com/page',
    ]);
    expect(document.omitted).toEqual({ 'remoteLinks.nonHttpUrl': 8 });
    expect(JSON.stringify(document)).not.toMatch(/javascript|vbscript|data:text|file:/i);
    expect(contextDocumentSchema.safeParse(document).success).toBe(true);
  });

  it('drops a URL’s user name and password, and leaves out URLs over 2,048 characters (counted)', () => {
    const document = buildContextDocument(
      input({
        remoteLinks: [
          remoteLink('https://user:s3cret@docs.example.com/spec', 'With credentials'),
          remoteLink(`https://docs.example.com/${'x'.repeat(3_000)}`, 'Too long'),
        ],
      }),
    );
    expect(document.remoteLinks.map((link) => link.url)).toEqual(['https://docs.example.com/spec']);
    expect(document.omitted).toEqual({ remoteLinks: 1 });
    expect(document.truncated).toEqual(['/remoteLinks']);
  });

  it('marks a link Confluence only on the Jira site’s own host', () => {
    const confluence = { type: 'com.atlassian.confluence', name: 'Confluence' };
    const cases: [string, Parameters<typeof remoteLink>[2], boolean][] = [
      [`${SITE}/wiki/spaces/SHOP/pages/98305`, {}, true],
      ['https://DEMO-SITE.atlassian.net/wiki/x', {}, true],
      [`${SITE}/pages/viewpage.action?pageId=1`, { globalId: 'appId=0a1b-2c&pageId=1' }, true],
      [`${SITE}/display/SHOP/Spec`, { application: confluence }, true],
      [`${SITE}/browse/DEMO-2`, {}, false],
      ['https://evil.example/wiki/x', {}, false],
      ['https://evil.example/pages/1', { application: confluence, globalId: 'appId=1&pageId=1' }, false],
      ['https://demo-site.atlassian.net.evil.example/wiki/x', {}, false],
      ['https://demo-site.atlassian.net@evil.example/wiki/x', {}, false],
      ['https://other-site.atlassian.net/wiki/x', {}, false],
    ];
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        remoteLinks: cases.map(([url, extra], index) => remoteLink(url, `Link ${index}`, extra)),
      }),
    );
    expect(document.remoteLinks.map((link) => [link.title, link.isConfluence])).toEqual(
      cases.map(([, , isConfluence], index) => [`Link ${index}`, isConfluence]),
    );
  });

  it('without a site URL, takes the site from the issue’s self link, and calls nothing Confluence if neither is known', () => {
    const fromSelf = buildContextDocument(
      input({ siteUrl: null, remoteLinks: [remoteLink(`${SITE}/wiki/x`, 'Page')] }),
    );
    expect(fromSelf.remoteLinks[0]?.isConfluence).toBe(true);
    const { self: _self, ...withoutSelf } = issue();
    const unknown = buildContextDocument(
      input({ siteUrl: null, issue: withoutSelf, remoteLinks: [remoteLink(`${SITE}/wiki/x`, 'Page')] }),
    );
    expect(unknown.remoteLinks[0]?.isConfluence).toBe(false);
    const badSelf = buildContextDocument(input({ siteUrl: null, issue: { ...issue(), self: 'not a url' } }));
    expect(badSelf.source.site).toBeNull();
  });
});

// Issue 13, item 6: 1,900 web links with 255-character titles made a 1,132 KiB document (the cap is
// 256 KB) and the cut dropped every test and linked issue while keeping the links.
describe('document size', () => {
  const LIMIT = 256 * 1024;
  const webLinks = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      remoteLink(
        `https://docs.example.com/${'section/'.repeat(30)}${String(index).padStart(5, '0')}`,
        `${'Design note '.repeat(21)}${String(index).padStart(4, '0')}`.slice(-255),
      ),
    );
  const manyLinked = Array.from({ length: 40 }, (_, index) =>
    issueLink(String(600 + index), `DEMO-${600 + index}`, 'Blocks'),
  );
  const tests = Array.from({ length: 30 }, (_, index) =>
    test(String(300 + index), {
      steps: Array.from({ length: 5 }, (_, step) => ({ action: `Step ${step}`, data: null, result: 'ok' })),
    }),
  );

  it('1,900 web links with 255-character titles: at most 256 KB, every test and linked issue kept', () => {
    const links = webLinks(1_900);
    expect(links[0]?.object.title).toHaveLength(255);
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        issue: issue({ issuelinks: manyLinked }),
        remoteLinks: links,
        xray: xray(tests),
      }),
    );
    expect(byteSize(document)).toBeLessThanOrEqual(LIMIT);
    // What the previewContext resolver answers (Forge: at most 500 KB).
    expect(
      byteSize({ document, contentHash: document.contentHash, sizeBytes: byteSize(document) }),
    ).toBeLessThan(500_000);
    expect(document.xray.tests).toHaveLength(30);
    expect(document.xray.tests.every((entry) => entry.steps?.length === 5)).toBe(true);
    expect(document.linkedIssues).toHaveLength(40);
    expect(document.remoteLinks.length).toBeGreaterThan(0);
    expect(document.truncated).toContain('/remoteLinks');
    expect(document.omitted?.remoteLinks).toBe(1_900 - document.remoteLinks.length);
  });

  it('without a count cap on links, the size cap alone drops links before tests and linked issues', () => {
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        issue: issue({ issuelinks: manyLinked }),
        remoteLinks: webLinks(1_900),
        xray: xray(tests),
        limits: { remoteLinks: 10_000 },
      }),
    );
    expect(byteSize(document)).toBeLessThanOrEqual(LIMIT);
    expect(byteSize(document)).toBeGreaterThan(LIMIT - 1_000);
    expect(document.xray.tests).toHaveLength(30);
    expect(document.linkedIssues).toHaveLength(40);
    expect(document.remoteLinks.length).toBeGreaterThan(100);
    expect(document.remoteLinks.length).toBeLessThan(1_900);
    expect(document.omitted?.remoteLinks).toBe(1_900 - document.remoteLinks.length);
  });

  it('caps every list from Jira and Xray and counts what it left out', () => {
    const many = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
    const ref = (id: string) => ({ issueId: id, jira: { key: `DEMO-${id}`, summary: `Issue ${id}` } });
    const document = buildContextDocument(
      input({
        issue: issue({
          labels: many(500, 'label'),
          components: many(500, 'component').map((name) => ({ name })),
          fixVersions: many(500, 'version').map((name) => ({ name })),
          issuelinks: Array.from({ length: 1_000 }, (_, index) =>
            issueLink(String(5_000 + index), `DEMO-${5_000 + index}`, 'Blocks'),
          ),
        }),
        xray: xray([
          test('201', {
            jira: { key: 'DEMO-201', summary: 'Test', labels: many(500, 'tl') },
            steps: Array.from({ length: 1_000 }, (_, step) => ({
              action: `Step ${step}`,
              data: null,
              result: null,
            })),
            preconditions: { results: Array.from({ length: 200 }, (_, index) => ref(String(7_000 + index))) },
            testSets: { results: Array.from({ length: 500 }, (_, index) => ref(String(8_000 + index))) },
            testPlans: { results: Array.from({ length: 500 }, (_, index) => ref(String(9_000 + index))) },
            testExecutions: {
              results: Array.from({ length: 500 }, (_, index) => ({
                ...ref(String(10_000 + index)),
                testEnvironments: many(100, 'env'),
              })),
            },
          }),
        ]),
      }),
    );
    expect(byteSize(document)).toBeLessThanOrEqual(LIMIT);
    const [covering] = document.xray.tests;
    expect({
      labels: document.requirement.labels.length,
      components: document.requirement.components.length,
      fixVersions: document.requirement.fixVersions.length,
      linkedIssues: document.linkedIssues.length,
      steps: covering?.steps?.length,
      preconditions: covering?.preconditions.length,
      testLabels: covering?.labels.length,
      testSets: document.xray.testSets.length,
      testExecutions: document.xray.testExecutions.length,
      environments: document.xray.testExecutions[0]?.environments.length,
      testPlans: document.xray.testPlans.length,
    }).toEqual({
      labels: 50,
      components: 50,
      fixVersions: 50,
      linkedIssues: 200,
      steps: 100,
      preconditions: 20,
      testLabels: 50,
      testSets: 100,
      testExecutions: 100,
      environments: 20,
      testPlans: 100,
    });
    expect(document.omitted).toEqual({
      'requirement.labels': 450,
      'requirement.components': 450,
      'requirement.fixVersions': 450,
      linkedIssues: 800,
      'xray.tests.*.steps': 900,
      'xray.tests.*.preconditions': 180,
      'xray.tests.*.labels': 450,
      'xray.testSets': 400,
      'xray.testExecutions': 400,
      'xray.testExecutions.*.environments': 8_000, // 80 of each of the 100 executions kept
      'xray.testPlans': 400,
    });
    // Over 25 cuts (100 executions' environments): named by pattern.
    expect(document.truncated).toEqual([
      '/linkedIssues',
      '/requirement/components',
      '/requirement/fixVersions',
      '/requirement/labels',
      '/xray/testExecutions',
      '/xray/testExecutions/*/environments',
      '/xray/testPlans',
      '/xray/testSets',
      '/xray/tests/*/labels',
      '/xray/tests/*/preconditions',
      '/xray/tests/*/steps',
    ]);
  });

  it('names at most 25 cut fields; beyond that it names their patterns', () => {
    const long = 'x'.repeat(3_000);
    const bulky = Array.from({ length: 4 }, (_, index) =>
      test(String(300 + index), {
        steps: Array.from({ length: 5 }, () => ({ action: long, data: long, result: long })),
      }),
    );
    const document = buildContextDocument(input({ xray: xray(bulky) }));
    expect(document.truncated).toEqual([
      '/xray/tests/*/steps/*/action',
      '/xray/tests/*/steps/*/data',
      '/xray/tests/*/steps/*/result',
    ]);
    const few = buildContextDocument(input({ xray: xray(bulky.slice(0, 1)) }));
    expect(few.truncated).toHaveLength(15);
    // RFC 6901 JSON Pointers into the document itself: the test by its index, not its key.
    expect(few.truncated).toContain('/xray/tests/0/steps/0/action');
    for (const pointer of few.truncated) expect(typeof resolvePointer(few, pointer)).toBe('string');
  });

  it('holds a small cap too: the requirement summary stays, links go before tests', () => {
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        issue: issue({
          description: doc(...Array.from({ length: 30 }, (_, i) => p(`Paragraph ${i} `.repeat(20)))),
          issuelinks: manyLinked,
        }),
        remoteLinks: webLinks(50),
        xray: xray(tests),
        limits: { documentBytes: 24 * 1024 },
      }),
    );
    expect(byteSize(document)).toBeLessThanOrEqual(24 * 1024);
    expect(document.requirement.summary).toBe('Guest checkout');
    expect(document.requirement.description).not.toContain('truncated');
    // Every test with its steps; then as many linked issues as fit; no room left for web links.
    expect(document.xray.tests).toHaveLength(30);
    expect(document.xray.tests.every((entry) => entry.steps?.length === 5)).toBe(true);
    expect(document.linkedIssues.length).toBeGreaterThan(0);
    expect(document.linkedIssues.length).toBeLessThan(40);
    expect(document.remoteLinks).toEqual([]);
    expect(document.truncated).toEqual(['/linkedIssues', '/remoteLinks']);
    expect(document.omitted).toEqual({ remoteLinks: 50, linkedIssues: 40 - document.linkedIssues.length });
  });

  it('shortens the description further only when the requirement alone is over the cap', () => {
    const document = buildContextDocument(
      input({
        issue: issue({
          summary: 'Guest checkout ✓',
          description: doc(...Array.from({ length: 300 }, (_, i) => p(`Paragraph ${i} `.repeat(20)))),
        }),
        limits: { documentBytes: 16 * 1024 },
      }),
    );
    expect(byteSize(document)).toBeLessThanOrEqual(16 * 1024);
    // Within 2 KiB of the cap: room kept for what web links and linked issues add to `truncated`.
    expect(byteSize(document)).toBeGreaterThan(13 * 1024);
    expect(document.requirement.summary).toBe('Guest checkout ✓');
    expect(document.requirement.description).toMatch(/^As a shopper|^Paragraph 0/);
    expect(document.requirement.description).toMatch(/truncated: \d+ more characters\]$/);
    expect(document.truncated).toContain('/requirement/description');
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
  it('cuts text without splitting an emoji, and names fields with keys of at most 64 characters', () => {
    for (let prefix = 50; prefix < 70; prefix += 1) {
      const { text, cut } = truncateText(`${'a'.repeat(prefix)}${'😀'.repeat(10)}${'b'.repeat(100)}`, 100);
      expect(cut).toBe(true);
      expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    expect(pathOf(at('xray.tests.*.steps.*.action', 'K'.repeat(63) + '😀', 2))).toBe(
      `/xray/tests/${'K'.repeat(63)}…/steps/2/action`,
    );
    // RFC 6901 §3: "~" and "/" in a key are escaped.
    expect(pathOf(at('xray.testExecutions.*.statusCounts', 'A/B~C'))).toBe(
      '/xray/testExecutions/A~1B~0C/statusCounts',
    );
  });

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
