/**
 * The requirement's attachments in the document (src/context/attachments.ts): which are read, how a
 * `.feature` file is read (Gherkin, scenario names), and what is only listed; and the Jira simulator's
 * `attachment` field and getAttachmentContent, validated against Jira's spec.
 */
import type { AttachmentRead, JiraAttachment } from '../../../src/clients/jira-issues';
import { isTextLike, planAttachments } from '../../../src/context/attachments';
import { buildContextDocument } from '../../../src/context/build-document';
import { CONTEXT_LIMITS } from '../../../src/context/limits';
import { contextDocumentSchema } from '../../../src/context/schema';
import { describeWithContracts } from '../../harness/contracts';
import { createWorld, DEMO } from '../../harness/world';
import { buildInput as input, issue } from './build-input';

const file = (id: string, filename: string, mimeType: string, size: number, day: number): JiraAttachment => ({
  id,
  filename,
  mimeType,
  size,
  created: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000+0000`,
});

const FEATURE = [
  'Feature: Receipts',
  '  Scenario: Guest gets a receipt',
  '    Given a paid guest order',
  '    Then a receipt is emailed',
  '  Scenario Outline: Totals',
  '    Given <items> items',
  '    Then the total is <total>',
  '    Examples:',
  '      | items | total |',
  '      | 1     | 10    |',
].join('\n');

describe('isTextLike', () => {
  it.each([
    ['spec.feature', 'application/octet-stream', true],
    ['notes.MD', undefined, true],
    ['data.csv', 'text/csv', true],
    ['config.yml', 'application/octet-stream', true],
    ['openapi.yaml', undefined, true],
    ['export', 'application/json; charset=utf-8', true],
    ['readme', 'text/plain', true],
    ['screen.png', 'image/png', false],
    ['report.pdf', 'application/pdf', false],
    ['page.html', 'text/html', false],
  ])('%s (%s) → %s', (filename, mimeType, expected) => {
    expect(isTextLike(filename, mimeType)).toBe(expected);
  });
});

describe('planAttachments', () => {
  it('newest first; reads the first attachmentsRead text-like ones within attachmentBytes; lists the rest with the reason', () => {
    const { plans, leftOut } = planAttachments(
      [
        file('1', 'old.txt', 'text/plain', 10, 1),
        file('2', 'big.json', 'application/json', CONTEXT_LIMITS.attachmentBytes + 1, 9),
        file('3', 'shot.png', 'image/png', 2_000, 8),
        file('4', 'a.md', 'text/markdown', 10, 7),
        file('5', 'b.csv', 'text/csv', 10, 6),
        file('6', 'c.feature', 'application/octet-stream', 10, 5),
      ],
      CONTEXT_LIMITS,
    );
    expect(leftOut).toBe(0);
    expect(plans.map((plan) => [plan.attachment.filename, plan.reason])).toEqual([
      ['big.json', 'tooLarge'],
      ['shot.png', 'binary'],
      ['a.md', null],
      ['b.csv', null],
      ['c.feature', null],
      ['old.txt', 'limit'],
    ]);
  });

  it('lists at most `attachments` (the rest counted)', () => {
    const many = Array.from({ length: 60 }, (_, index) =>
      file(String(index), `f${index}.png`, 'image/png', 1, 1),
    );
    const { plans, leftOut } = planAttachments(many, CONTEXT_LIMITS);
    expect(plans).toHaveLength(CONTEXT_LIMITS.attachments);
    expect(leftOut).toBe(60 - CONTEXT_LIMITS.attachments);
  });
});

describe('attachments in the document', () => {
  const attachments = [
    file('11', 'receipts.feature', 'application/octet-stream', FEATURE.length, 5),
    file('12', 'notes.md', 'text/markdown', 20, 4),
    file('13', 'mockup.png', 'image/png', 48_213, 3),
    file('14', 'dump.json', 'application/json', 900_000, 2),
    file('15', 'lost.txt', 'text/plain', 12, 1),
  ];
  const reads = new Map<string, AttachmentRead>([
    ['11', { ok: true, text: FEATURE }],
    ['12', { ok: true, text: '# Notes\n\n- one' }],
    ['15', { ok: false, reason: 'unavailable' }],
  ]);

  it('a .feature file is read as Gherkin (scenario names listed); text included; others listed by name, type and size with the reason', () => {
    const document = buildContextDocument(
      input({ issue: issue({ attachment: attachments }), attachmentReads: reads }),
    );
    expect(contextDocumentSchema.safeParse(document).success).toBe(true);
    expect(document.attachments).toEqual([
      {
        id: '11',
        filename: 'receipts.feature',
        mimeType: 'application/octet-stream',
        size: FEATURE.length,
        created: '2026-11-05T10:00:00.000Z',
        content: FEATURE,
        scenarios: ['Guest gets a receipt', 'Totals'],
        reason: null,
      },
      expect.objectContaining({ filename: 'notes.md', content: '# Notes\n\n- one', reason: null }),
      expect.objectContaining({
        filename: 'mockup.png',
        mimeType: 'image/png',
        size: 48_213,
        content: null,
        reason: 'binary',
      }),
      expect.objectContaining({ filename: 'dump.json', size: 900_000, content: null, reason: 'tooLarge' }),
      expect.objectContaining({ filename: 'lost.txt', content: null, reason: 'unavailable' }),
    ]);
    expect(document.attachments[1]).not.toHaveProperty('scenarios');
    expect(document.truncated).toEqual([]);
  });

  it('an issue without attachments has none', () => {
    expect(buildContextDocument(input()).attachments).toEqual([]);
  });
});

describeWithContracts('the Jira simulator’s attachments (spec-validated)', () => {
  it('getIssue answers the attachment field in the spec’s shape; getAttachmentContent redirects by default and answers the bytes with redirect=false', async () => {
    const world = createWorld();
    const signUp = world.requirements.get('sign-up');
    if (!signUp) throw new Error('no sign-up requirement');
    const get = (path: string, accountId: string = DEMO.user) =>
      world.jira.handle({ method: 'GET', path, actor: { as: 'user', accountId } });
    const answer = await get(`/rest/api/3/issue/${signUp.id}?fields=attachment`);
    const fields = (JSON.parse(answer.body) as { fields: { attachment: Record<string, unknown>[] } }).fields;
    expect(fields.attachment.map((entry) => entry.filename)).toEqual([
      'sign-up.feature',
      'password-rules.md',
      'breached-passwords-sample.csv',
      'signup-form.png',
      'load-test-results.json',
    ]);
    const feature = fields.attachment[0];
    expect(feature).toMatchObject({
      mimeType: 'application/octet-stream',
      author: { accountId: 'po-account-id' },
    });
    expect(feature?.content).toBe(`${DEMO.siteUrl}/rest/api/3/attachment/content/${String(feature?.id)}`);

    const id = String(feature?.id);
    const redirected = await get(`/rest/api/3/attachment/content/${id}`);
    expect(redirected.status).toBe(303);
    expect(redirected.headers.location).toMatch(/^https:\/\/api\.media\.atlassian\.com\/file\//);
    const direct = await get(`/rest/api/3/attachment/content/${id}?redirect=false`);
    expect(direct.status).toBe(200);
    expect(direct.body).toContain('Scenario Outline: Weak passwords are refused');
    expect((await get('/rest/api/3/attachment/content/999999?redirect=false')).status).toBe(404);
    expect(world.jira.violations).toEqual([]);
  });

  it('an attachment on an issue the caller cannot see is a 403', async () => {
    const world = createWorld();
    const restricted = [...world.requirements.values()].find((entry) => entry.restrictedTo);
    if (!restricted) throw new Error('no restricted requirement in the demo');
    world.jiraStore.addAttachment(restricted.id, {
      filename: 'secret.txt',
      mimeType: 'text/plain',
      content: 'x',
    });
    const [attachment] = world.jiraStore.attachmentsOf(restricted.id);
    const asUser = await world.jira.handle({
      method: 'GET',
      path: `/rest/api/3/attachment/content/${attachment?.id ?? ''}?redirect=false`,
      actor: { as: 'user', accountId: DEMO.user },
    });
    expect(asUser.status).toBe(403);
    expect(world.jira.violations).toEqual([]);
  });
});
