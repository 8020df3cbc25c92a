/**
 * Must hold (issue 20 "Redaction"), end to end: personal data planted in every source a requirement's
 * document draws on — its description (prose and a table), a linked issue's summary, a linked
 * Confluence page's table, a text attachment and a covering test's steps — never leaves through the
 * real handlers: not in the Preview, not in what the panel and the hourly sync send to SQAI, not in
 * any log line, not in any request to Jira, Confluence or Xray, not in the audit trail or its export.
 *
 * The planted values are registered with the suite-wide secret scan (`secretScan.addPlanted`), which
 * looks for them in everything collected during the test (responses, log lines, every request to
 * every simulator) and fails the test on a survivor. The property runs with the fixed seed of
 * `npm test` (test/harness/property-seed.ts); `npm run trust` explores others.
 */
import fc from 'fast-check';
import type {
  AuditExportDto,
  AuditTrailDto,
  ContextPreviewDto,
  RedactionKind,
  SendToSqaiResult,
} from '../../../src/api';
import type { ContextDocument } from '../../../src/context/schema';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { doc, h, p, table } from '../../harness/fixtures/adf';
import { propertyConfig } from '../../harness/property-seed';
import { secretScan } from '../../harness/secret-scan';
import { movableClock } from '../../harness/warp-clock';
import { createWorld, DEMO, type World } from '../../harness/world';
import { expectWorldWithinContracts } from '../../harness/world-checks';
import { ARBITRARY } from '../context/redaction/pii-fixtures';

/** The kinds planted in each source: every built-in detector, so each source carries each kind. */
const KINDS: readonly RedactionKind[] = ['email', 'phone', 'paymentCard', 'iban', 'ipAddress', 'token'];
const SOURCES = ['description', 'linkedIssue', 'confluence', 'attachment', 'testSteps'] as const;
type Source = (typeof SOURCES)[number];

type Plant = Record<Source, Record<RedactionKind, string>>;

const perKind: fc.Arbitrary<Record<RedactionKind, string>> = fc.record(
  Object.fromEntries(KINDS.map((kind) => [kind, ARBITRARY[kind]])) as Record<
    RedactionKind,
    fc.Arbitrary<string>
  >,
);
const plantArb: fc.Arbitrary<Plant> = fc.record(
  Object.fromEntries(SOURCES.map((source) => [source, perKind])) as Record<Source, typeof perKind>,
);

/** A value on a line of its own (tokens may span lines: a private key). */
const lines = (values: Record<RedactionKind, string>, label: string): string[] =>
  KINDS.map((kind) => `${label} ${kind}: ${values[kind]} (see above).`);

/**
 * A new requirement in DEMO, as the plain user's own story, with the planted values in every source;
 * returns its key.
 */
function plantRequirement(world: World, plant: Plant, now: Date): string {
  const user = DEMO.user;
  const requirement = world.jiraStore.createIssue({
    projectIdOrKey: DEMO.project.key,
    issueTypeIdOrName: 'Story',
    summary: 'Refund to the original payment method',
    description: doc(
      h(2, 'Context'),
      ...lines(plant.description, 'Support ticket quoted').map((line) => p(line)),
      h(2, 'Acceptance criteria'),
      p('Given a paid order, when support refunds it, then the shopper is refunded within 5 days.'),
      table(
        ['Field', 'Example'],
        ...KINDS.map((kind) => [kind, plant.description[kind].replace(/\n/g, ' ')]),
      ),
    ),
    reporterId: user,
  });
  const linked = world.jiraStore.createIssue({
    projectIdOrKey: DEMO.project.key,
    issueTypeIdOrName: 'Bug',
    summary: `Refund failed for ${plant.linkedIssue.email} on card ${plant.linkedIssue.paymentCard} from ${plant.linkedIssue.ipAddress}, call ${plant.linkedIssue.phone}, IBAN ${plant.linkedIssue.iban}`,
    reporterId: user,
  });
  world.jiraStore.link('Relates', requirement.id, linked.id);
  const pageId = String(900_000 + Number(requirement.id));
  const space = [...world.confluenceStore.spaces.values()][0];
  if (!space) throw new Error('the demo has no Confluence space');
  const at = now.toISOString();
  world.confluenceStore.addPage({
    id: pageId,
    spaceId: space.id,
    title: 'Refund runbook',
    adf: doc(
      h(1, 'Refund runbook'),
      table(
        ['Kind', 'Contact or value'],
        ...KINDS.map((kind) => [kind, plant.confluence[kind].replace(/\n/g, ' ')]),
      ),
    ),
    authorId: user,
    createdAt: at,
    version: { number: 1, createdAt: at, authorId: user },
  });
  world.jiraStore.addRemoteLink(requirement.id, {
    globalId: `appId=demo-confluence&pageId=${pageId}`,
    application: { type: 'com.atlassian.confluence', name: 'Confluence' },
    relationship: 'Wiki Page',
    object: {
      url: `${DEMO.siteUrl}/wiki/spaces/${space.key}/pages/${pageId}/Refund+runbook`,
      title: 'Refund runbook',
    },
  });
  world.jiraStore.addAttachment(requirement.id, {
    filename: 'support-export.txt',
    mimeType: 'text/plain',
    content: lines(plant.attachment, 'Exported').join('\n'),
    authorId: user,
  });
  world.xrayStore.createTest({
    projectIdOrKey: DEMO.project.key,
    summary: 'Refund lands on the original card',
    testType: 'Manual',
    steps: KINDS.map((kind) => ({
      action: `Refund the order paid with ${kind} ${plant.testSteps[kind]}`,
      data: plant.testSteps[kind],
      result: 'The refund is accepted',
    })),
    coversIssueIds: [requirement.id],
  });
  return requirement.key;
}

const plantedValues = (plant: Plant): string[] =>
  SOURCES.flatMap((source) => KINDS.map((kind) => plant[source][kind]));

/** Every placeholder kind found in a document's JSON (`[email-1]` → `email`). */
const placeholderKinds = (json: string): Set<string> =>
  new Set([...json.matchAll(/\[([a-zA-Z]+)-\d+\]/g)].map((match) => match[1] ?? ''));

describeWithContracts('planted personal data never leaves (world)', () => {
  let world: World | undefined;

  afterEach(() => {
    if (world) expectWorldWithinContracts(world);
    world = undefined;
  });

  test('every source, every detector: Preview, panel send, hourly sync, a failed send and the audit trail carry placeholders only', async () => {
    await fc.assert(
      fc.asyncProperty(plantArb, async (plant) => {
        const clock = movableClock();
        world = createWorld({ now: clock.now });
        data(await world.invoke('saveSettings', demoSettings('enterprise')));
        const key = plantRequirement(world, plant, clock.now());
        const planted = plantedValues(plant);
        secretScan.addPlanted(planted);

        // The hourly sync, as the app.
        clock.advance(60 * 60_000);
        expect(await world.runScheduledTrigger()).toEqual({ statusCode: 204 });
        await world.platform.queue.drain();
        const issueId = world.jiraStore.issue(key)?.id ?? '';
        const synced = world.sqai.contexts.get(`${DEMO.cloudId}/${issueId}`)?.document as unknown as
          ContextDocument | undefined;
        expect(synced?.linkedPages[0]?.reason).toBeNull();
        expect(synced?.attachments[0]?.content).not.toBeNull();
        expect(synced?.xray.tests).toHaveLength(1);

        // The Preview and a forced panel send, as the plain user: the same placeholders of every kind.
        const preview = data(
          await world.invokeIssue<ContextPreviewDto>('previewContext', {}, key, DEMO.user),
        );
        const shown = JSON.stringify(preview.document);
        for (const kind of KINDS) expect(placeholderKinds(shown)).toContain(kind);
        const sent = data(
          await world.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, key, DEMO.user),
        );
        expect(sent.summary.contentHash).toBe(preview.document.contentHash);
        for (const value of planted) {
          expect(shown.includes(value)).toBe(false);
          expect(JSON.stringify(synced).includes(value)).toBe(false);
        }

        // A send SQAI refuses: the error path logs and answers without the values either.
        // 422: not retried, so the error path is reached at once.
        world.sqai.failNext({
          path: /\/v1\/contexts\//,
          status: 422,
          body: { message: 'The document was refused' },
          count: 10,
        });
        const failed = await world.invokeIssue<SendToSqaiResult>(
          'sendToSqai',
          { force: true },
          key,
          DEMO.user,
        );
        world.sqai.faults.clear();
        expect(failed.ok ? failed.data.outcome : failed.error.code).not.toBe('pushed');

        // The audit trail names the redactions by kind, and neither it nor its export holds a value.
        const trail = data(await world.invoke<AuditTrailDto>('getAuditTrail', { issueKey: key }));
        const sends = trail.entries.filter((entry) => entry.direction === 'sent');
        expect(sends.length).toBeGreaterThanOrEqual(2);
        for (const entry of sends)
          for (const kind of KINDS) expect(entry.redactions[kind]).toBeGreaterThan(0);
        const exported = data(
          await world.invoke<AuditExportDto>('exportAuditTrail', { format: 'csv', issueKey: key }),
        );
        expect(exported.entries).toBe(trail.entries.length);
        expect(world.confluence.requests.length).toBeGreaterThan(0);
        // The secret scan checks every answer, log line and request of this run for the planted values.
      }),
      { ...propertyConfig(process.env), numRuns: 4 },
    );
    // Four whole worlds (about 2 s each on the 2-core CI machine): more than the default 20 s under load.
  }, 60_000);
});
