/**
 * What leaves Jira, end to end through the real resolvers (issue 20 items 4–5): the project admin's
 * data controls shape the document the Preview shows and the one SQAI receives — the same document —
 * a source turned off is gone, a field off the allow-list is empty, planted personal data is replaced by
 * stable placeholders (also in Confluence content and test steps), and a new policy changes the hash so
 * the next send pushes again.
 */
import type { ContextPreviewDto, DataControlsDto, SendToSqaiResult } from '../../../src/api';
import { defaultDataControls } from '../../../src/config/schema';
import type { ContextDocument } from '../../../src/context/schema';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

const EMAIL = 'priya.product@shop.example.com';
const CARD = '4111 1111 1111 1111';

function plant(world: World, issueKey: string, text: string): void {
  const issue = world.jiraStore.issue(issueKey);
  if (!issue) throw new Error(`no ${issueKey}`);
  const description = issue.description as { type: 'doc'; version: 1; content: unknown[] } | null;
  world.jiraStore.updateIssue(issue.id, {
    description: {
      type: 'doc',
      version: 1,
      content: [...(description?.content ?? []), { type: 'paragraph', content: [{ type: 'text', text }] }],
    } as typeof issue.description,
  });
}

async function save(world: World, controls: DataControlsDto): Promise<void> {
  data(await world.invoke('saveSettings', { ...demoSettings('enterprise'), dataControls: controls }));
  await world.platform.queue.drain();
}

const preview = async (world: World, key = 'DEMO-1'): Promise<ContextDocument> =>
  data(await world.invokeIssue<ContextPreviewDto>('previewContext', {}, key)).document;

describeWithContracts('data controls applied to the context document', () => {
  let world: World;

  beforeEach(async () => {
    world = createWorld();
    await save(world, defaultDataControls());
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('redacts planted personal data with stable placeholders, in the preview and in what SQAI receives', async () => {
    plant(world, 'DEMO-1', `Ask ${EMAIL} before changing the flow; test card ${CARD}; again ${EMAIL}.`);
    const document = await preview(world);
    const json = JSON.stringify(document);
    expect(json).not.toContain(EMAIL);
    expect(json).not.toContain(CARD);
    expect(document.requirement.description).toMatch(/Ask \[email-(\d+)\] .* again \[email-\1\]/);
    // The demo's own test cards (Luhn-valid, e.g. in the 3-D Secure steps) are cards too.
    expect(document.redactions?.email).toBeGreaterThanOrEqual(2);
    expect(document.redactions?.paymentCard).toBeGreaterThanOrEqual(1);
    expect(document.controls).toMatchObject({ excluded: [] });

    const sent = data(await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-1'));
    expect(sent).toMatchObject({ outcome: 'pushed' });
    const held = world.sqai.contexts.get(`${DEMO.cloudId}/${document.source.issueId}`);
    expect(held?.contentHash).toBe(document.contentHash);
    expect(JSON.stringify(held?.document)).not.toContain(EMAIL);
  });

  it('a source turned off and a field off the allow-list never leave Jira; the policy is in the hash', async () => {
    const before = await preview(world);
    expect(before.linkedPages?.some((page) => page.content !== null)).toBe(true);
    const controls = defaultDataControls();
    controls.sources.confluence = false;
    controls.sources.peopleNames = false;
    controls.sources.testSteps = false;
    controls.fields = controls.fields.filter((field) => field !== 'labels');
    await save(world, controls);
    const after = await preview(world);
    expect(after.linkedPages).toEqual([]);
    expect(after.requirement.reporter).toBeNull();
    expect(after.requirement.labels).toEqual([]);
    expect(after.xray.tests.every((test) => test.steps === undefined && test.gherkin === undefined)).toBe(
      true,
    );
    expect(after.controls?.excluded).toEqual(['confluence', 'testSteps', 'peopleNames']);
    expect(after.contentHash).not.toBe(before.contentHash);
  });

  it('an admin pattern redacts its matches under its own name', async () => {
    plant(world, 'DEMO-1', 'Reported by customer CUST-123456 and CUST-654321.');
    const controls = defaultDataControls();
    controls.redaction.customPatterns = [{ name: 'customer-id', pattern: 'CUST-[0-9]{6}' }];
    await save(world, controls);
    const document = await preview(world);
    expect(document.requirement.description).toContain(
      'Reported by customer [customer-id-1] and [customer-id-2].',
    );
    expect(document.redactions).toMatchObject({ 'customer-id': 2 });
  });
});
