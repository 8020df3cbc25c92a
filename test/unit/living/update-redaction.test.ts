/**
 * The redaction round trip of "Propose updates" (issue 20 "Redaction" × issue 19;
 * src/living/update-redaction.ts, docs/data-controls.md "Updates and redaction"): a stale test
 * holding an e-mail address, a phone number, an IBAN (and DEMO-2's test card) is sent to SQAI with
 * placeholders only; SQAI's answer, worded with those placeholders, is restored and applied to Xray
 * with the real values; an answer naming a placeholder the app did not send is refused for that test.
 * The suite-wide secret scan (test/harness/secret-scan.ts) looks for the planted values in every
 * request, answer and log line: only the caller's own answers (which show the test as Jira holds it)
 * and the write to Xray may carry them.
 */
import type {
  DecideTestUpdatesResult,
  GenerationDto,
  RotatedDeliverySecretDto,
  TestUpdateProposalDto,
} from '../../../src/api';
import { defaultDataControls } from '../../../src/api';
import { generationRequestSchema } from '../../../src/clients/sqai-schemas';
import { PLACEHOLDER, defaultRedactionPolicy } from '../../../src/context/redaction';
import { Restorer, UpdateRedaction } from '../../../src/living/update-redaction';
import { updateItemSchema } from '../../../src/living/update-store';
import { deliveryWebtrigger } from '../../../src/index';
import { DEMO_INSTALL, deliveryRequest } from '../../harness/scenarios/delivery';
import { deliveryBody } from '../../harness/sqai-sim/deliveries';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { describeWithContracts } from '../../harness/contracts';
import {
  LIVING_DEMO_ISSUE,
  LIVING_REWORD,
  prepareLivingDemo,
  proposeUpdates,
  type LivingDemo,
} from '../../harness/scenarios/living-tests';
import { secretScan, type Finding } from '../../harness/secret-scan';
import { warpClock } from '../../harness/warp-clock';
import { createWorld, type World } from '../../harness/world';

const EMAIL = 'maria.lopez@example.com';
const PHONE = '+44 20 7946 0958';
const IBAN = 'DE89 3704 0044 0532 0130 00';
const CARD = '4000 0027 6000 3184';
const PLANTED = [EMAIL, PHONE, IBAN, CARD];

const placeholdersIn = (text: string) => [...text.matchAll(PLACEHOLDER)].map((match) => match[0]);
const channelsOf = (findings: Finding[]) => [...new Set(findings.map((finding) => finding.channel))].sort();

function updateOf(generation: GenerationDto, testKey: string): TestUpdateProposalDto {
  const found = generation.updates?.find((update) => update.testKey === testKey);
  if (!found) throw new Error(`No proposal for ${testKey}`);
  return found;
}

describeWithContracts('propose updates: the redaction round trip', () => {
  let world: World;
  let demo: LivingDemo;
  let testId: string;
  /** The bodies SQAI received, in order. */
  let sqaiBodies: string[];

  const gherkin = () => world.xrayStore.tests.get(testId)?.gherkin ?? '';
  const updateRequest = () => {
    const body = sqaiBodies.filter((text) => text.includes('"mode":"updates"')).at(-1);
    if (!body) throw new Error('SQAI received no update-mode request');
    return { body, request: generationRequestSchema.parse(JSON.parse(body)) };
  };
  const storedItems = () =>
    [...world.platform.kvs.data].filter(([key]) => key.startsWith('genu:')).map(([, value]) => value);

  beforeEach(async () => {
    const clock = warpClock(Infinity);
    world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain();
    demo = await prepareLivingDemo(world);
    testId = world.jiraStore.issue(demo.tests.declined)?.id ?? '';
    // A tester wrote personal data into the stale test, in Xray (DEMO-2's test card is there already).
    world.xrayStore.updateDefinition(testId, {
      gherkin: [
        gherkin(),
        `    And the receipt is sent to "${EMAIL}"`,
        `    And the shop's hotline "${PHONE}" is shown`,
        `    And refunds go to "${IBAN}"`,
      ].join('\n'),
    });
    // Setting up leaked nothing; from here on, the planted values are looked for everywhere.
    expect(secretScan.takeFindings()).toEqual([]);
    expect(secretScan.addPlanted(PLANTED)).toBe(PLANTED.length);
    sqaiBodies = [];
    const handle = world.sqai.handle.bind(world.sqai);
    jest.spyOn(world.sqai, 'handle').mockImplementation((request) => {
      if (request.body) sqaiBodies.push(request.body);
      return handle(request);
    });
  });

  afterEach(() => {
    expect(world.jira.violations).toEqual([]);
  });

  it('sends placeholders only, restores SQAI’s answer, and applies the real values to Xray', async () => {
    const generation = await proposeUpdates(world);
    expect(generation).toMatchObject({ status: 'succeeded', mode: 'updates' });

    // What SQAI received: every planted value as a placeholder, in the test and nowhere else.
    const { body, request } = updateRequest();
    for (const value of PLANTED) expect(body).not.toContain(value);
    const sent = request.updates?.tests.find((test) => test.key === demo.tests.declined)?.gherkin ?? '';
    const kinds = placeholdersIn(sent).map((token) => token.replace(/-\d+\]$/, ']'));
    expect(kinds.sort()).toEqual(['[email]', '[iban]', '[paymentCard]', '[phone]']);
    for (const text of sqaiBodies) for (const value of PLANTED) expect(text).not.toContain(value);

    // The reviewer's diff shows the real values: exactly what an apply writes.
    const proposal = updateOf(generation, demo.tests.declined);
    expect(proposal).toMatchObject({ verdict: 'update', status: 'proposed' });
    expect(proposal.unusable).toBeUndefined();
    const after = proposal.after?.gherkin ?? '';
    for (const value of PLANTED) expect(after).toContain(value);
    expect(after).toContain(LIVING_REWORD.to);
    expect(placeholdersIn(after)).toEqual([]);
    // The map stays in the app's storage: no answer carries it.
    expect(JSON.stringify(generation)).not.toContain('placeholders');

    // The stored items are valid records holding the map, placeholder → value.
    const items = storedItems().map((value) => updateItemSchema.parse(value));
    const item = items.find((candidate) => candidate.testKey === demo.tests.declined);
    expect(Object.values(item?.redaction?.placeholders ?? {}).sort()).toEqual([...PLANTED].sort());
    for (const token of Object.keys(item?.redaction?.placeholders ?? {})) expect(sent).toContain(token);

    // Until now the planted values reached only the caller's own answers (the test as Jira holds it).
    expect(channelsOf(secretScan.takeFindings())).toEqual(['response']);

    const result = data(
      await world.invokeIssue<DecideTestUpdatesResult>(
        'decideTestUpdates',
        { generationId: generation.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(result.updates.map((update) => [update.testKey, update.status])).toEqual([
      [demo.tests.declined, 'applied'],
    ]);
    // Read back from Xray: the real values, no placeholder.
    expect(gherkin()).toBe(after);
    expect(placeholdersIn(gherkin())).toEqual([]);
    // The apply wrote them to Xray (by design) and answered the caller; still nothing to SQAI or a log.
    expect(channelsOf(secretScan.takeFindings())).toEqual(['response', 'xray']);
  });

  it('refuses, for that test only, an answer naming a placeholder the app did not send', async () => {
    const before = gherkin();
    data(await world.invokeIssue<GenerationDto>('proposeTestUpdates', {}, LIVING_DEMO_ISSUE));
    const simulated = [...world.sqai.generations.values()].find((candidate) => candidate.mode === 'updates');
    const answer = simulated?.updates?.find((update) => update.testKey === demo.tests.declined);
    if (!answer?.gherkin) throw new Error('The simulator proposed no Gherkin update');
    // SQAI words the update with a placeholder it was never sent.
    answer.gherkin = `${answer.gherkin}\n    And a copy goes to "[email-99]"`;
    let polled = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, LIVING_DEMO_ISSUE));
    for (let poll = 0; poll < 10 && polled.status !== 'succeeded'; poll += 1)
      polled = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, LIVING_DEMO_ISSUE));
    expect(polled.status).toBe('succeeded');

    const proposal = updateOf(polled, demo.tests.declined);
    expect(proposal).toMatchObject({ verdict: 'valid', status: 'proposed', unusable: 'unknownPlaceholder' });
    expect(proposal.after).toBeUndefined();
    expect(proposal.reason).toContain('[email-99]');
    expect(polled.rejected).toEqual([
      expect.objectContaining({
        id: demo.tests.declined,
        reason: expect.stringContaining('[email-99]') as unknown,
      }),
    ]);
    const stored = storedItems().map((value) => updateItemSchema.parse(value));
    expect(stored.find((item) => item.testKey === demo.tests.declined)).toMatchObject({
      unusable: 'unknownPlaceholder',
      verdict: 'valid',
    });

    // Nothing of it can be applied; Xray keeps the test as it was.
    const refused = failure(
      await world.invokeIssue(
        'decideTestUpdates',
        { generationId: polled.id, decisions: [{ testKey: demo.tests.declined, action: 'apply' }] },
        LIVING_DEMO_ISSUE,
      ),
    );
    expect(refused.code).toBe('VALIDATION');
    expect(gherkin()).toBe(before);
    expect(channelsOf(secretScan.takeFindings())).toEqual(['response']);
  });

  it('restores an answer SQAI delivers to the web trigger the same way', async () => {
    const rotated = data(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
    const asked = data(await world.invokeIssue<GenerationDto>('proposeTestUpdates', {}, LIVING_DEMO_ISSUE));
    const remote = world.sqai.generations.get(asked.id);
    if (!remote) throw new Error('SQAI has no such generation');
    const body = deliveryBody('generation.succeeded', {
      id: remote.id,
      cloudId: remote.cloudId,
      issueId: remote.issueId,
      issueKey: remote.issueKey,
      status: 'succeeded',
      tests: remote.tests ?? [],
      updates: remote.updates ?? [],
    });
    expect(body).toMatch(/\[email-\d+\]/);
    const at = Math.floor(world.platform.clock.now().getTime() / 1000);
    const response = await deliveryWebtrigger(
      deliveryRequest(body, rotated.secret, { id: 'msg_update01', at }),
      DEMO_INSTALL,
    );
    expect(response.statusCode).toBe(202);
    const panel = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, LIVING_DEMO_ISSUE));
    expect(panel.status).toBe('succeeded');
    const after = updateOf(panel, demo.tests.declined).after?.gherkin ?? '';
    for (const value of PLANTED) expect(after).toContain(value);
    expect(placeholdersIn(after)).toEqual([]);
    expect(channelsOf(secretScan.takeFindings())).toEqual(['response']);
  });

  it('still refuses to send when the data controls keep test steps in Jira', async () => {
    const controls = defaultDataControls();
    controls.sources.testSteps = false;
    data(await world.invoke('saveSettings', { ...demoSettings('enterprise'), dataControls: controls }));
    await world.platform.queue.drain();
    const generations = world.sqai.generations.size;
    const refused = failure(await world.invokeIssue('proposeTestUpdates', {}, LIVING_DEMO_ISSUE));
    expect(refused.code).toBe('VALIDATION');
    expect(refused.message).toContain('data controls keep them in Jira');
    expect(world.sqai.generations.size).toBe(generations);
  });
});

describe('UpdateRedaction and Restorer', () => {
  const policy = {
    ...defaultRedactionPolicy,
    customPatterns: [{ name: 'customer-id', pattern: 'CUST-\\d{6}' }],
  };

  it('numbers its placeholders after the context document’s, so none means two values', () => {
    const redaction = new UpdateRedaction(policy, {
      document: JSON.stringify({ text: 'write to [email-1] or [email-3]; [DEMO-12] is a key' }),
      originals: ['a@example.com'],
    });
    expect(redaction.redact('mail a@example.com and b@example.com, then a@example.com')).toBe(
      'mail [email-4] and [email-5], then [email-4]',
    );
    expect(redaction.redact('customer CUST-123456')).toBe('customer [customer-id-1]');
    expect(redaction.storedFor(['[email-4] [customer-id-1] [email-1]']).placeholders).toEqual({
      '[email-4]': 'a@example.com',
      '[customer-id-1]': 'CUST-123456',
    });
  });

  it('keeps placeholder-shaped text people wrote, and numbers around it', () => {
    const redaction = new UpdateRedaction(policy, {
      document: '{}',
      originals: ['the template says [email-2]', 'c@example.com'],
    });
    expect(redaction.redact('c@example.com')).toBe('[email-3]');
    const restorer = new Restorer([redaction.storedFor(['[email-3]'])]);
    expect(
      restorer.restoreContent({ kind: 'Unstructured', definition: 'to [email-3], see [email-2]' }),
    ).toEqual({
      content: { kind: 'Unstructured', definition: 'to c@example.com, see [email-2]' },
    });
  });

  it('finds a placeholder it did not issue, of a built-in or custom kind, and ignores other bracketed text', () => {
    const restorer = new Restorer([
      {
        placeholders: { '[phone-2]': '+44 20 7946 0958' },
        kinds: ['email', 'phone', 'customer-id'],
        kept: [],
      },
    ]);
    expect(restorer.unknownIn(['call [phone-2] about [DEMO-12]'])).toBeUndefined();
    expect(restorer.unknownIn(['call [phone-3]'])).toBe('[phone-3]');
    expect(restorer.unknownIn(['id [customer-id-1]'])).toBe('[customer-id-1]');
    expect(
      restorer.restoreContent({
        kind: 'Steps',
        steps: [{ action: 'call [phone-2]', data: null, result: '[x-1]' }],
      }),
    ).toEqual({
      content: { kind: 'Steps', steps: [{ action: 'call +44 20 7946 0958', data: null, result: '[x-1]' }] },
    });
    expect(restorer.restoreContent({ kind: 'Gherkin', gherkin: 'Given [email-1]' })).toEqual({
      unknown: '[email-1]',
    });
  });

  it('restores nothing, and refuses nothing, for items stored before the round trip', () => {
    const restorer = new Restorer([undefined]);
    expect(restorer.restoreContent({ kind: 'Gherkin', gherkin: 'Given [email-1]' })).toEqual({
      content: { kind: 'Gherkin', gherkin: 'Given [email-1]' },
    });
  });
});
