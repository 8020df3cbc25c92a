/**
 * Filling the size budget by priority (issue 20, item 3): the requirement, its criteria and the tests
 * first; then linked Confluence pages (whole, else cut to what is left, else listed without content),
 * then attachments (whole, else listed), then linked issues and web links — and the document says
 * what was cut (`truncated`) and what was left out (`omitted`).
 */
import type { PageRead } from '../../../src/clients/confluence';
import type { AttachmentRead, JiraAttachment } from '../../../src/clients/jira-issues';
import { buildContextDocument } from '../../../src/context/build-document';
import { byteSize } from '../../../src/context/content-hash';
import { CONTEXT_LIMITS } from '../../../src/context/limits';
import { contextDocumentSchemaFor } from '../../../src/context/schema';
import { acceptanceCriteria, doc, h, p, table } from '../../harness/fixtures/adf';
import { buildInput as input, coveringTest, issue, issueLink, remoteLink, SITE, xray } from './build-input';

/** A page of `paragraphs` paragraphs and a table, with multi-byte text (escapes and emoji weigh more). */
const bigPage = (id: string, paragraphs: number): PageRead => ({
  ok: true,
  page: {
    id,
    title: `Spec ${id}`,
    spaceId: '1',
    updated: null,
    adf: doc(
      h(2, `Spec ${id}`),
      table(['Rule', 'Value'], ['Max items', '100'], ['Währung', '€ — “EUR”']),
      ...Array.from({ length: paragraphs }, (_, index) =>
        p(`Rule ${index}: the “basket” keeps ✓ items — ${'ü'.repeat(40)}`),
      ),
    ),
  },
});

const PAGES = 10;
const pageLinks = Array.from({ length: PAGES }, (_, index) =>
  remoteLink(`${SITE}/wiki/spaces/SHOP/pages/${500 + index}/Spec`, `Spec ${500 + index}`),
);
const pageReads = new Map(
  pageLinks.map((_, index) => [String(500 + index), bigPage(String(500 + index), 250)]),
);

const attachment = (id: string, size: number): JiraAttachment => ({
  id,
  filename: `notes-${id}.md`,
  mimeType: 'text/markdown',
  size,
  created: '2026-11-01T10:00:00.000+0000',
});
const attachments = ['a1', 'a2', 'a3'].map((id) => attachment(id, 40_000));
const attachmentReads = new Map<string, AttachmentRead>(
  attachments.map((entry) => [
    entry.id,
    { ok: true, text: `# ${entry.id}\n\n${'Text line.\n'.repeat(3_600)}` },
  ]),
);

const tests = Array.from({ length: 30 }, (_, index) =>
  coveringTest(String(300 + index), {
    steps: Array.from({ length: 8 }, (__, step) => ({
      action: `Step ${step} of test ${index}: ${'do the thing '.repeat(8)}`,
      data: 'sam@example.com',
      result: 'It works',
    })),
  }),
);
const requirement = issue({
  description: doc(
    p('As a shopper I check out as a guest. '.repeat(40)),
    ...acceptanceCriteria('A receipt is emailed', 'Totals include taxes', 'Guests can create an account'),
  ),
  issuelinks: [
    ...tests.map((test) => issueLink(test.issueId, `DEMO-${test.issueId}`, 'Test', false)),
    ...Array.from({ length: 20 }, (_, index) =>
      issueLink(String(900 + index), `DEMO-${900 + index}`, 'Blocks'),
    ),
  ],
  attachment: attachments,
});

describe('the size budget, by priority', () => {
  const documentBytes = 160 * 1024;
  const limits = { documentBytes };
  const full = buildContextDocument(
    input({
      siteUrl: SITE,
      issue: requirement,
      xray: xray(tests),
      remoteLinks: pageLinks,
      pageReads,
      attachmentReads,
      limits,
    }),
  );
  const bare = buildContextDocument(
    input({
      siteUrl: SITE,
      issue: issue({
        ...requirement.fields,
        issuelinks: requirement.fields.issuelinks?.slice(0, 30),
        attachment: [],
      }),
      xray: xray(tests),
      remoteLinks: [],
      limits,
    }),
  );

  it('stays within the cap and its schema', () => {
    expect(byteSize(full)).toBeLessThanOrEqual(documentBytes);
    expect(
      contextDocumentSchemaFor({ ...CONTEXT_LIMITS, documentBytes }).document.safeParse(full).success,
    ).toBe(true);
  });

  it('never cuts the requirement, its criteria or the tests for pages, attachments or links', () => {
    expect(full.requirement).toEqual(bare.requirement);
    expect(full.requirement.criteria?.map((criterion) => criterion.text)).toEqual([
      'A receipt is emailed',
      'Totals include taxes',
      'Guests can create an account',
    ]);
    expect(full.xray.tests).toEqual(bare.xray.tests);
    expect(full.xray.tests.every((test) => test.detailsOmitted !== true)).toBe(true);
  });

  it('fills pages in order: whole while they fit, the next one cut to what is left, the rest listed (reason budget)', () => {
    const forms = full.linkedPages.map((page) =>
      page.content === null
        ? `listed:${page.reason}`
        : page.content.includes('[… page truncated')
          ? 'cut'
          : 'whole',
    );
    expect(forms).toHaveLength(PAGES);
    expect(forms[0]).toBe('whole');
    // Never a whole page after a cut or listed one (order is priority).
    const firstNotWhole = forms.findIndex((form) => form !== 'whole');
    expect(firstNotWhole).toBeGreaterThan(0);
    expect(forms.slice(firstNotWhole).includes('whole')).toBe(false);
    expect(forms).toContain('listed:budget');
    const listed = forms.filter((form) => form === 'listed:budget').length;
    const cut = forms.filter((form) => form === 'cut').length;
    expect(full.omitted?.['linkedPages.content']).toBe(listed);
    // Each page not whole is named in `truncated` (or, past 25 paths, its pattern is).
    if (full.truncated.length <= CONTEXT_LIMITS.truncatedPaths) {
      const named = full.truncated.filter((path) => /^\/linkedPages\/\d+\/content$/.test(path));
      expect(named).toHaveLength(listed + cut);
    } else expect(full.truncated).toContain('/linkedPages/*/content');
  });

  it('attachments and linked issues come after the pages: with no room left they lose their content, then go (counted)', () => {
    expect(full.attachments.every((entry) => entry.content === null && entry.reason === 'budget')).toBe(true);
    expect(full.omitted?.['attachments.content'] ?? 0).toBe(full.attachments.length);
    expect(full.attachments.length + (full.omitted?.attachments ?? 0)).toBe(3);
    expect(full.linkedIssues.length + (full.omitted?.linkedIssues ?? 0)).toBe(20);
    // Each later list only when the ones before it are whole.
    if (full.attachments.length < 3) expect(full.linkedIssues).toEqual([]);
  });

  it('with room, everything is whole and nothing is said to be cut', () => {
    const roomy = buildContextDocument(
      input({
        siteUrl: SITE,
        issue: issue({ attachment: attachments.slice(0, 1) }),
        remoteLinks: pageLinks.slice(0, 2),
        pageReads,
        attachmentReads,
      }),
    );
    expect(
      roomy.linkedPages.every((page) => page.content !== null && !page.content.includes('truncated')),
    ).toBe(true);
    expect(roomy.attachments[0]?.content).toContain('# a1');
    expect(roomy.truncated).toEqual([]);
    expect(roomy.omitted).toBeUndefined();
  });

  it('a page bigger than everything left is cut to fit rather than dropped', () => {
    const small = 24 * 1024;
    const document = buildContextDocument(
      input({
        siteUrl: SITE,
        remoteLinks: pageLinks.slice(0, 1),
        pageReads,
        limits: { documentBytes: small },
      }),
    );
    const [page] = document.linkedPages;
    expect(/\[… page truncated: \d+ more characters\]$/.test(page?.content ?? '')).toBe(true);
    expect(byteSize(document)).toBeLessThanOrEqual(small);
    expect(byteSize(document)).toBeGreaterThan(small - 6 * 1024);
    expect(document.truncated).toEqual(['/linkedPages/0/content']);
  });
});
