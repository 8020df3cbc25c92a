/**
 * Hostile inputs for the context document builder (test/unit/context/document-size.test.ts): shapes
 * drawn by fast-check — counts and texts — turned into a whole `buildContextDocument` input. Long text
 * is one string repeated (shared by every entry that holds it), so a case with 1,200 tests of 150
 * steps costs the generator little.
 */
import fc from 'fast-check';
import type { JiraRemoteLink } from '../../../src/clients/jira-issues';
import type { XrayContextTest } from '../../../src/clients/xray/requirement-context';
import { CONTEXT_LIMITS } from '../../../src/context/limits';
import type { AdfNode } from '../../harness/jira-sim/store';
import { buildInput, coveringTest, issue, issueLink, remoteLink, SITE, xray } from './build-input';

/** Units repeated into long text: ASCII, 2-, 3- and 4-byte UTF-8, JSON-escaped control characters, a lone surrogate. */
const UNITS = ['a', 'word ', 'line\n', 'é', '漢', '😀', '\u0001', '"', '\\', '\ud800', '</script>'];

const hostileText = (maxRepeats: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...UNITS), fc.integer({ min: 0, max: maxRepeats }))
        .map(([unit, repeats]) => unit.repeat(repeats)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
          fc.integer({ min: 0, max: maxRepeats }),
        )
        .map(([unit, repeats]) => unit.repeat(repeats)),
    },
  );

type DescriptionShape = { kind: 'none' } | { kind: 'flat' | 'deep'; size: number; text: string };

function descriptionOf(shape: DescriptionShape): unknown {
  if (shape.kind === 'none') return null;
  const paragraph = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });
  if (shape.kind === 'flat') {
    return {
      type: 'doc',
      version: 1,
      content: Array.from({ length: shape.size }, () => paragraph(shape.text)),
    };
  }
  // Nested quotes and lists, `size` deep, text at every level.
  let node: AdfNode = paragraph(shape.text);
  for (let depth = 0; depth < shape.size; depth += 1) {
    node =
      depth % 2 === 0
        ? { type: 'blockquote', content: [paragraph(`level ${depth}`), node] }
        : { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(shape.text), node] }] };
  }
  return { type: 'doc', version: 1, content: [node] };
}

const URL_KINDS = ['web', 'confluence', 'javascript', 'data', 'file', 'relative', 'long'] as const;
type UrlKind = (typeof URL_KINDS)[number];
const NON_HTTP: ReadonlySet<UrlKind> = new Set(['javascript', 'data', 'file', 'relative']);

function urlOf(kind: UrlKind, index: number): string {
  switch (kind) {
    case 'web':
      return `https://docs.example.com/${'section/'.repeat(index % 30)}${index}`;
    case 'confluence':
      return `${SITE}/wiki/spaces/SHOP/pages/${index}`;
    case 'javascript':
      return `javascript:alert(${index})`;
    case 'data':
      return `data:text/html,<script>${index}</script>`;
    case 'file':
      return `file:///etc/${index}`;
    case 'relative':
      return `/relative/${index}`;
    case 'long':
      return `https://docs.example.com/${'x'.repeat(5_000)}`;
  }
}

export const shapes = fc.record({
  documentBytes: fc.constantFrom(CONTEXT_LIMITS.documentBytes, CONTEXT_LIMITS.documentBytes, 64 * 1024),
  actor: fc.constantFrom<'app' | 'user'>('app', 'app', 'user'),
  summary: hostileText(2_000),
  names: hostileText(600),
  description: fc.oneof(
    fc.constant<DescriptionShape>({ kind: 'none' }),
    fc.record({
      kind: fc.constant('flat' as const),
      size: fc.integer({ min: 0, max: 1_000 }),
      text: hostileText(200),
    }),
    fc.record({
      kind: fc.constant('deep' as const),
      size: fc.integer({ min: 1, max: 1_500 }),
      text: hostileText(40),
    }),
  ),
  labels: fc.integer({ min: 0, max: 400 }),
  label: hostileText(600),
  linkedIssues: fc.integer({ min: 0, max: 1_500 }),
  linkedSummary: hostileText(2_000),
  remoteLinks: fc.integer({ min: 0, max: 3_000 }),
  urlKinds: fc.array(fc.constantFrom(...URL_KINDS), { minLength: 1, maxLength: 4 }),
  linkTitle: hostileText(600),
  tests: fc.integer({ min: 0, max: 1_200 }),
  linkedTests: fc.double({ min: 0, max: 1, noNaN: true }),
  steps: fc.integer({ min: 0, max: 150 }),
  stepText: hostileText(12_000),
  kinds: fc.array(fc.constantFrom('Steps', 'Gherkin', 'Unstructured'), { minLength: 1, maxLength: 3 }),
  nested: fc.integer({ min: 0, max: 60 }),
});

export type Shape = typeof shapes extends fc.Arbitrary<infer T> ? T : never;

export function inputOf(shape: Shape) {
  const testCount = shape.tests;
  // Keep a case's input under ~60,000 steps (the builder reads only what can fit; the generator must
  // not spend the time budget making steps nobody reads).
  const stepCount = Math.min(shape.steps, Math.floor(60_000 / Math.max(1, testCount)));
  // One steps list shared by every test (the builder never changes its input).
  const step = { action: shape.stepText, data: shape.stepText, result: shape.stepText };
  const steps = Array.from({ length: stepCount }, () => step);
  const ref = (id: string) => ({ issueId: id, jira: { key: `SET-${id}`, summary: shape.names } });
  // Seven variants of each nested list, shared round-robin (sets, executions and plans overlap
  // between tests as they do in Xray).
  const variants = <T>(make: (variant: number) => T): T[] =>
    Array.from({ length: 7 }, (_, variant) => make(variant));
  const nested = (base: number) =>
    variants((variant) =>
      Array.from({ length: shape.nested }, (_, n) =>
        ref(String(base + ((variant * 5 + n) % (shape.nested * 3 + 1)))),
      ),
    );
  const preconditions = nested(1_000).map((list) => ({
    results: list.map((entry) => ({ ...entry, definition: shape.stepText })),
  }));
  const testSets = nested(2_000).map((results) => ({ results }));
  const testExecutions = nested(3_000).map((list) => ({
    results: list.map((entry) => ({ ...entry, testEnvironments: [shape.names, shape.label] })),
  }));
  const testPlans = nested(4_000).map((results) => ({ results }));
  const testRuns = variants((variant) => ({
    results: [
      {
        status: { name: shape.names },
        startedOn: null,
        finishedOn: '2026-11-01T10:00:00Z',
        testExecution: ref(String(3_000 + variant)),
      },
    ],
  }));
  const tests: XrayContextTest[] = Array.from({ length: testCount }, (_, index) => {
    const id = String(100_000 + index);
    const variant = index % 7;
    return coveringTest(id, {
      jira: {
        key: `DEMO-${id}`,
        summary: shape.summary,
        status: { name: shape.names },
        labels: [shape.label],
      },
      testType: { name: shape.names, kind: shape.kinds[index % shape.kinds.length] ?? 'Steps' },
      steps,
      gherkin: shape.stepText,
      unstructured: shape.stepText,
      folder: { path: shape.names },
      preconditions: preconditions[variant],
      testRuns: testRuns[variant],
      testSets: testSets[variant],
      testExecutions: testExecutions[variant],
      testPlans: testPlans[variant],
    });
  });
  const linkedTestCount = Math.round(testCount * shape.linkedTests);
  const issuelinks = [
    ...tests
      .slice(0, linkedTestCount)
      .map((test) => issueLink(test.issueId, test.jira?.key ?? '', 'Test', false)),
    ...Array.from({ length: shape.linkedIssues }, (_, index) => ({
      type: { name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
      outwardIssue: {
        id: String(500_000 + index),
        key: `DEMO-${500_000 + index}`,
        fields: { summary: shape.linkedSummary },
      },
    })),
  ];
  const urlKinds = Array.from(
    { length: shape.remoteLinks },
    (_, index) => shape.urlKinds[index % shape.urlKinds.length] ?? 'web',
  );
  const remoteLinks: JiraRemoteLink[] = urlKinds.map((kind, index) =>
    remoteLink(urlOf(kind, index), shape.linkTitle, {
      application: { name: shape.names, type: 'com.atlassian.confluence' },
      relationship: shape.names,
    }),
  );
  const names = Array.from({ length: shape.labels }, () => shape.label);
  const input = buildInput({
    siteUrl: SITE,
    actor: shape.actor,
    issue: issue({
      summary: shape.summary,
      description: descriptionOf(shape.description),
      labels: names,
      components: names.map((name) => ({ name })),
      fixVersions: names.map((name) => ({ name })),
      reporter: { displayName: shape.names },
      priority: { name: shape.names },
      issuelinks,
    }),
    remoteLinks,
    xray: xray(tests),
    limits: { documentBytes: shape.documentBytes },
  });
  // The same requirement without its web links and without its links to other issues than tests.
  const withoutLowerLists = {
    ...input,
    remoteLinks: [],
    issue: {
      ...input.issue,
      fields: { ...input.issue.fields, issuelinks: issuelinks.slice(0, linkedTestCount) },
    },
  };
  return {
    input,
    withoutLowerLists,
    visibleTests: shape.actor === 'user' ? linkedTestCount : testCount,
    nonHttpLinks: urlKinds.filter((kind) => NON_HTTP.has(kind)).length,
  };
}
