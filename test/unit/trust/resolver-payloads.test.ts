/**
 * Trust: every resolver, fed 1,000+ arbitrary payloads through the REAL handler (src/index.ts), ends
 * in `{ok: true, data}` or a typed `{ok: false, error}` — never a throw, never a stack, never an
 * INTERNAL (which would mean an unexpected exception inside) — and a VALIDATION answer leaves the
 * key-value store and the secret store byte-identical: nothing partial is written.
 *
 * One world per resolver, configured where the resolver needs a configured project. Payloads are
 * biased toward invalid input (so the thousands of cases stay fast) with a share of valid ones.
 * Jira contract validation is off here (the other resolver suites validate every request); the
 * Xray budget is reset per case, as each Forge invocation starts with a fresh bucket.
 */
import fc from 'fast-check';
import {
  CONTEXT_SOURCES,
  REDACTION_KINDS,
  REQUIREMENT_FIELDS,
  RESOLVERS,
  type GenerationDto,
  type ResolverName,
  type ResolverResult,
} from '../../../src/api';
import { resetBudgets } from '../../../src/clients/xray/rate-budget';
import { describeWithContracts } from '../../harness/contracts';
import { asDelivered, ForgeLimitError } from '../../harness/local-forge';
import { OutcomeTally } from '../../harness/property-report';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';
import {
  DANGEROUS_KEYS,
  errorDtoProblems,
  hostileValue,
  isEmptyPayload,
  mutate,
  mutations,
  oddNumber,
  oddScalar,
  oddString,
  pollutionObject,
  prototypeIsClean,
  type Damage,
} from './arbitraries';
import { casesOf } from '../../harness/property-seed';

const RUNS = casesOf(1_000);
const ISSUE = 'DEMO-1';

type Surface = 'settings' | 'issue';

interface Setup {
  world: World;
  proposalIds: string[];
}

interface Spec {
  surface: Surface;
  /** Save the demo settings first. */
  configure: boolean;
  /** Start (and finish) a generation on DEMO-1 first. */
  generate?: boolean;
  /** Then create one of its tests, so there is a creation to continue. */
  create?: boolean;
  /** The payload schema is `{}` (strict): anything with a key is VALIDATION. */
  empty: boolean;
  payloads: (setup: Setup) => fc.Arbitrary<unknown>;
}

// ---------- payload generators ----------

/** Damage for a payload: hostile values, deletions, extra (dangerous) keys, repeated array items. */
const payloadDamage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: oddScalar.map<Damage>((value) => ({ kind: 'replace', value })), weight: 5 },
  { arbitrary: hostileValue.map<Damage>((value) => ({ kind: 'replace', value })), weight: 2 },
  { arbitrary: fc.constant<Damage>({ kind: 'delete' }), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...DANGEROUS_KEYS, 'extra', 'secrets', 'force', 'id'), oddScalar)
      .map<Damage>(([key, value]) => ({ kind: 'addKey', key, value })),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 80 }).map<Damage>((times) => ({ kind: 'repeat', times })),
    weight: 1,
  },
);

/** `base` damaged at 1–4 random places (occasionally still valid, e.g. a replaced value of the right type). */
const damaged = (base: fc.Arbitrary<unknown>) =>
  fc.tuple(base, mutations(payloadDamage, 4)).map(([value, changes]) => mutate(value, changes));

/** Objects with random (often dangerous) keys: never valid for an empty schema. */
const keyedObject = fc.oneof(
  fc.dictionary(fc.constantFrom(...DANGEROUS_KEYS, 'force', 'payload'), oddScalar, {
    minKeys: 1,
    maxKeys: 4,
  }),
  pollutionObject,
);

const emptyPayloads = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom<unknown>({}, null, undefined), weight: 1 },
    { arbitrary: hostileValue, weight: 20 },
    { arbitrary: keyedObject, weight: 6 },
  );

const withField = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof(
    { arbitrary: valid, weight: 1 },
    { arbitrary: oddScalar, weight: 2 },
    { arbitrary: hostileValue, weight: 1 },
  );

/** "What leaves Jira": every part, some patterns refused (a bad name, one that could hang, bad syntax). */
const switches = (keys: readonly string[]) =>
  fc.record(Object.fromEntries(keys.map((key) => [key, fc.boolean()])));
const validControls = fc.record({
  sources: switches(CONTEXT_SOURCES),
  fields: fc.subarray([...REQUIREMENT_FIELDS]),
  redaction: fc.record({
    detectors: switches(REDACTION_KINDS),
    customPatterns: fc.array(
      fc.record({
        name: fc.constantFrom('customer-id', 'order', 'email', 'Bad Name'),
        pattern: fc.constantFrom('CUST-[0-9]{6}', 'ORD\\d{8}', '(a+)+$', '[', 'a*'),
      }),
      { maxLength: 3 },
    ),
  }),
  auditRetentionDays: fc.integer({ min: 0, max: 400 }),
});

const validSettings = fc
  .record({
    tier: fc.constantFrom('standard' as const, 'enterprise' as const),
    keepSecrets: fc.boolean(),
    controls: fc.option(validControls, { nil: undefined }),
  })
  .map(({ tier, keepSecrets, controls }) => ({
    ...demoSettings(tier),
    ...(keepSecrets ? { secrets: {} } : {}),
    ...(controls ? { dataControls: controls } : {}),
  }));

const saveSettingsPayloads = () =>
  fc.oneof(
    { arbitrary: validSettings, weight: 1 },
    { arbitrary: damaged(validSettings), weight: 40 },
    {
      arbitrary: fc.record(
        {
          xray: withField(fc.record({ clientId: oddString, region: oddString, tier: oddString })),
          sqai: withField(fc.record({ endpoint: oddString })),
          keyExpiresOn: withField(fc.constantFrom('2030-02-30', '2030-01-01', '', '1999-12-31')),
          sync: withField(
            fc.record({
              enabled: fc.boolean(),
              requirementIssueTypes: fc.array(oddString, { maxLength: 40 }),
              includeRemoteLinks: fc.boolean(),
              includeTestRuns: fc.boolean(),
            }),
          ),
          secrets: withField(
            fc.record({ xrayClientSecret: oddString, sqaiToken: oddString }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
      weight: 10,
    },
    { arbitrary: hostileValue, weight: 10 },
  );

const criterionIdish = fc.oneof(
  fc.constantFrom('ac-0123abcd', 'ac-0123abcd-2', 'AC-0123ABCD', 'ac-1'),
  oddString,
);

const validStart = fc.record(
  {
    testTypes: fc.subarray(['Manual', 'Cucumber', 'Generic'], { minLength: 1 }),
    maxTests: fc.integer({ min: 1, max: 50 }),
    instructions: fc.string({ maxLength: 100 }),
    criterionIds: fc.array(criterionIdish, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['testTypes', 'maxTests'] },
);

const startGenerationPayloads = () =>
  fc.oneof(
    { arbitrary: validStart, weight: 1 },
    { arbitrary: damaged(validStart), weight: 25 },
    {
      arbitrary: fc.record(
        {
          testTypes: withField(fc.array(oddString, { maxLength: 12 })),
          maxTests: withField(oddNumber),
          instructions: withField(oddString),
        },
        { requiredKeys: [] },
      ),
      weight: 15,
    },
    { arbitrary: hostileValue, weight: 10 },
  );

const issueKeyish = fc.oneof(fc.constantFrom('DEMO-1', 'DEMO-404', 'demo-2', 'OTHER-1', 'DEMO-'), oddString);
const choice = fc.oneof(
  fc.record({ mode: fc.constant('existing'), key: issueKeyish }),
  fc.record({ mode: fc.constant('new'), summary: oddString }),
  fc.record({ mode: oddString, key: issueKeyish, summary: oddString }, { requiredKeys: [] }),
);

const createPayloads = ({ proposalIds }: Setup) => {
  const id = fc.oneof(fc.constantFrom(...proposalIds), oddString);
  const base = fc.record({
    selections: fc.array(fc.record({ id, title: fc.string({ maxLength: 60 }) }, { requiredKeys: ['id'] }), {
      minLength: 1,
      maxLength: 3,
    }),
    destination: fc.record(
      {
        testSet: choice,
        testExecution: choice,
        testPlan: fc.record({ key: issueKeyish }),
        folder: fc.oneof(fc.constantFrom('/Checkout/Generated', '/', 'no-slash', '/a\\b'), oddString),
      },
      { requiredKeys: [] },
    ),
  });
  const valid = fc.record(
    {
      selections: fc
        .subarray(proposalIds, { minLength: 1, maxLength: 2 })
        .map((ids) => ids.map((selected) => ({ id: selected }))),
      destination: fc.record({ folder: fc.constant('/Checkout/Generated') }, { requiredKeys: [] }),
    },
    { requiredKeys: ['selections', 'destination'] },
  );
  return fc.oneof(
    { arbitrary: valid, weight: 1 },
    { arbitrary: base, weight: 3 },
    { arbitrary: damaged(base), weight: 25 },
    {
      arbitrary: fc.record(
        { selections: withField(fc.array(hostileValue, { maxLength: 60 })), destination: hostileValue },
        { requiredKeys: [] },
      ),
      weight: 10,
    },
    { arbitrary: hostileValue, weight: 10 },
  );
};

const reviewEditsPayloads = ({ proposalIds }: Setup) => {
  const id = fc.oneof(fc.constantFrom(...proposalIds), oddString);
  const base = fc.record(
    {
      generationId: oddString,
      selected: fc.dictionary(id, fc.oneof(fc.boolean(), oddScalar), { maxKeys: 4 }),
      titles: fc.dictionary(id, fc.oneof(fc.string({ maxLength: 300 }), oddScalar), { maxKeys: 4 }),
      destination: fc.oneof(
        fc.record(
          {
            testSet: choice,
            testExecution: choice,
            testPlan: fc.record(
              { mode: oddString, key: issueKeyish, keyTyped: oddScalar },
              { requiredKeys: [] },
            ),
            folder: oddString,
          },
          { requiredKeys: [] },
        ),
        hostileValue,
      ),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { arbitrary: base, weight: 3 },
    { arbitrary: damaged(base), weight: 20 },
    { arbitrary: hostileValue, weight: 10 },
  );
};

const sendPayloads = () =>
  fc.oneof(
    {
      arbitrary: fc.constantFrom<unknown>({}, { force: false }, { force: true }, null, undefined),
      weight: 1,
    },
    { arbitrary: fc.record({ force: oddScalar }), weight: 10 },
    { arbitrary: damaged(fc.constant({ force: true })), weight: 10 },
    { arbitrary: hostileValue, weight: 20 },
  );

const validMappingChange = fc.record({
  action: fc.constantFrom('map', 'unmap', 'confirm', 'reject'),
  testKey: issueKeyish,
  criterionId: criterionIdish,
});

const mappingChangePayloads = () =>
  fc.oneof(
    { arbitrary: validMappingChange, weight: 2 },
    { arbitrary: damaged(validMappingChange), weight: 25 },
    {
      arbitrary: fc.record(
        { action: withField(oddString), testKey: withField(oddString), criterionId: withField(oddString) },
        { requiredKeys: [] },
      ),
      weight: 10,
    },
    { arbitrary: hostileValue, weight: 10 },
  );

/** "Propose updates": all stale tests, or some by key (DEMO-1 has none stale: VALIDATION, nothing written). */
const validProposal = fc.record(
  { testKeys: fc.array(issueKeyish, { minLength: 1, maxLength: 4 }), replace: fc.boolean() },
  { requiredKeys: [] },
);

const proposeUpdatesPayloads = () =>
  fc.oneof(
    { arbitrary: validProposal, weight: 2 },
    { arbitrary: damaged(validProposal), weight: 20 },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

const editedContent = fc.oneof(
  fc.record({
    kind: fc.constant('Steps'),
    steps: fc.array(
      fc.record({ action: fc.string(), data: fc.option(fc.string()), result: fc.option(fc.string()) }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ kind: fc.constant('Gherkin'), gherkin: fc.string() }),
  fc.record({ kind: fc.constant('Unstructured'), definition: fc.string() }),
);

/** Decisions on an update-mode generation (DEMO-1's latest is not one: VALIDATION, nothing written). */
const validDecisions = fc.record({
  generationId: fc.string({ minLength: 1, maxLength: 40 }),
  decisions: fc.array(
    fc.record(
      {
        testKey: issueKeyish,
        action: fc.constantFrom('apply', 'reject', 'keep', 'unlink', 'confirm'),
        edited: editedContent,
      },
      { requiredKeys: ['testKey', 'action'] },
    ),
    { maxLength: 3 },
  ),
});

const decideUpdatesPayloads = () =>
  fc.oneof(
    { arbitrary: validDecisions, weight: 2 },
    { arbitrary: damaged(validDecisions), weight: 20 },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

/** "Mark reviewed": DEMO-1 has no possibly stale test in this set-up, so every key is a field error. */
const validReviewed = fc.record({ testKeys: fc.array(issueKeyish, { minLength: 1, maxLength: 4 }) });

const markReviewedPayloads = () =>
  fc.oneof(
    { arbitrary: validReviewed, weight: 2 },
    { arbitrary: damaged(validReviewed), weight: 20 },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

const validCriteriaScope = fc.oneof(
  fc.record(
    { testPlanKey: fc.constantFrom('DEMO-30', 'demo-31', ' DEMO-1 ', 'X_1-999') },
    { requiredKeys: [] },
  ),
  fc.record({ testExecutionKey: fc.constantFrom('DEMO-87', 'demo-88', ' X_1-2 ') }, { requiredKeys: [] }),
);

/**
 * The Criteria view's scope: `{}` (latest run), a Test Plan's key or a Test Execution's (not both);
 * anything else is VALIDATION.
 */
const criteriaViewPayloads = () =>
  fc.oneof(
    { arbitrary: validCriteriaScope, weight: 2 },
    { arbitrary: damaged(validCriteriaScope), weight: 20 },
    {
      arbitrary: fc.record(
        { testPlanKey: withField(oddString), testExecutionKey: withField(oddString) },
        { requiredKeys: [] },
      ),
      weight: 10,
    },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

const validProjectPage = fc.record(
  { cursor: fc.string({ minLength: 1, maxLength: 40 }), limit: fc.integer({ min: 1, max: 50 }) },
  { requiredKeys: [] },
);

const projectCriteriaPayloads = () =>
  fc.oneof(
    { arbitrary: validProjectPage, weight: 2 },
    { arbitrary: damaged(validProjectPage), weight: 20 },
    {
      arbitrary: fc.record(
        { cursor: withField(oddString), limit: withField(oddNumber) },
        { requiredKeys: [] },
      ),
      weight: 10,
    },
    { arbitrary: hostileValue, weight: 10 },
  );

/** "Try it" on a custom redaction pattern: real patterns (some refused: they could hang), and noise. */
const patternish = fc.oneof(
  fc.constantFrom(
    'CUST-[0-9]{6}',
    '(a+)+$',
    '(x|x)*y',
    '[',
    'a*',
    '',
    '\\d{3}-\\d{4}',
    '(?<id>[A-Z]{2}\\d+)',
    'x'.repeat(500),
    'x'.repeat(501),
  ),
  fc.string({ maxLength: 40 }),
  oddString,
);
const validPatternCheck = fc.record(
  { pattern: patternish, sample: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('a'.repeat(2_000))) },
  { requiredKeys: ['pattern'] },
);

const redactionPatternPayloads = () =>
  fc.oneof(
    { arbitrary: validPatternCheck, weight: 4 },
    { arbitrary: damaged(validPatternCheck), weight: 20 },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

/** The audit trail's filters (H22): real and nearly-real dates, keys, directions, and noise. */
const auditDate = fc.constantFrom('2026-01-01', '2026-12-31', '2026-02-30', '2026-1-1', '', '2999-01-01');
const validAuditFilters = fc.record(
  {
    direction: fc.constantFrom('sent', 'received', 'both'),
    issueKey: fc.constantFrom('DEMO-1', 'demo-2', ' DEMO-3 ', 'DEMO', '1-DEMO'),
    from: auditDate,
    to: auditDate,
  },
  { requiredKeys: [] },
);
const validAuditPage = fc
  .tuple(
    validAuditFilters,
    fc.record(
      { cursor: fc.string({ minLength: 1, maxLength: 40 }), limit: fc.integer({ min: 0, max: 101 }) },
      { requiredKeys: [] },
    ),
  )
  .map(([filters, page]) => ({ ...filters, ...page }));
const validAuditExport = fc
  .tuple(validAuditFilters, fc.constantFrom('csv', 'json', 'xml'))
  .map(([filters, format]) => ({ ...filters, format }));

const auditPagePayloads = () =>
  fc.oneof(
    { arbitrary: validAuditPage, weight: 3 },
    { arbitrary: damaged(validAuditPage), weight: 20 },
    {
      arbitrary: fc.record(
        { issueKey: withField(oddString), from: withField(oddString), limit: withField(oddNumber) },
        { requiredKeys: [] },
      ),
      weight: 6,
    },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

const auditExportPayloads = () =>
  fc.oneof(
    { arbitrary: validAuditExport, weight: 3 },
    { arbitrary: damaged(validAuditExport), weight: 20 },
    { arbitrary: hostileValue, weight: 10 },
    { arbitrary: keyedObject, weight: 4 },
  );

const settingsEmpty: Spec = { surface: 'settings', configure: true, empty: true, payloads: emptyPayloads };
const issueEmpty: Spec = { surface: 'issue', configure: true, empty: true, payloads: emptyPayloads };

/** Every resolver in RESOLVERS (a missing one is a compile error). */
const SPECS: Record<ResolverName, Spec> = {
  getSettings: settingsEmpty,
  saveSettings: { surface: 'settings', configure: true, empty: false, payloads: saveSettingsPayloads },
  testConnection: settingsEmpty,
  disconnect: settingsEmpty,
  getIssuePanel: issueEmpty,
  previewContext: issueEmpty,
  sendToSqai: { surface: 'issue', configure: true, empty: false, payloads: sendPayloads },
  getGenerationPanel: { ...issueEmpty, generate: true },
  startGeneration: { surface: 'issue', configure: true, empty: false, payloads: startGenerationPayloads },
  pollGeneration: { ...issueEmpty, generate: true },
  createGeneratedTests: {
    surface: 'issue',
    configure: true,
    generate: true,
    empty: false,
    payloads: createPayloads,
  },
  saveReviewEdits: {
    surface: 'issue',
    configure: true,
    generate: true,
    empty: false,
    payloads: reviewEditsPayloads,
  },
  continueCreation: { ...issueEmpty, generate: true, create: true },
  getDeliverySettings: settingsEmpty,
  rotateDeliverySecret: settingsEmpty,
  getSyncStatus: settingsEmpty,
  startBackfill: settingsEmpty,
  getCriteria: { surface: 'issue', configure: true, empty: false, payloads: criteriaViewPayloads },
  changeCriterionMapping: {
    surface: 'issue',
    configure: true,
    empty: false,
    payloads: mappingChangePayloads,
  },
  suggestCriterionMappings: issueEmpty,
  getProjectCriteria: {
    surface: 'settings',
    configure: true,
    empty: false,
    payloads: projectCriteriaPayloads,
  },
  proposeTestUpdates: { surface: 'issue', configure: true, empty: false, payloads: proposeUpdatesPayloads },
  markTestsReviewed: { surface: 'issue', configure: true, empty: false, payloads: markReviewedPayloads },
  getAuditTrail: { surface: 'settings', configure: true, empty: false, payloads: auditPagePayloads },
  exportAuditTrail: { surface: 'settings', configure: true, empty: false, payloads: auditExportPayloads },
  checkRedactionPattern: {
    surface: 'settings',
    configure: true,
    empty: false,
    payloads: redactionPatternPayloads,
  },
  decideTestUpdates: {
    surface: 'issue',
    configure: true,
    generate: true,
    empty: false,
    payloads: decideUpdatesPayloads,
  },
};

// ---------- the property ----------

/**
 * What a refused payload must leave as it was: stored records and secrets. Not the Xray usage ledger
 * (`xray-usage:<slot>`): a start whose test types only Xray can check spends a real Xray request before
 * it is refused, and the app's budget must count it (`npm run trust`, seed 956284294, found this).
 */
const isUsageLedger = (key: string) => key.startsWith('xray-usage:');
const snapshot = (world: World) =>
  JSON.stringify([
    [...world.platform.kvs.data].filter(([key]) => !isUsageLedger(key)),
    [...world.platform.secrets.data],
  ]);

/** Connects the project again (after a successful disconnect); the backfill it starts is dropped. */
async function configure(world: World): Promise<void> {
  resetBudgets();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  world.platform.queue.discardHeld();
}

async function setupFor(spec: Spec): Promise<Setup> {
  const world = createWorld({ validateContracts: false, xrayRateWindowMs: 1_000 });
  const proposalIds: string[] = [];
  if (spec.configure) {
    resetBudgets();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    // The initial backfill runs once, so later cases see a synced project and no running backfill.
    await world.platform.queue.drain();
  }
  if (spec.generate) {
    let generation = data(
      await world.invokeIssue<GenerationDto>(
        'startGeneration',
        { testTypes: ['Manual', 'Cucumber'], maxTests: 3 },
        ISSUE,
      ),
    );
    for (let poll = 0; poll < 5 && generation.status !== 'succeeded'; poll += 1)
      generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE));
    proposalIds.push(...generation.proposals.map((proposal) => proposal.id));
  }
  if (spec.create && proposalIds[0]) {
    data(
      await world.invokeIssue(
        'createGeneratedTests',
        { selections: [{ id: proposalIds[0] }], destination: {} },
        ISSUE,
      ),
    );
  }
  if (proposalIds.length === 0) proposalIds.push('gen-test-1');
  return { world, proposalIds };
}

function invoke(
  world: World,
  spec: Spec,
  name: ResolverName,
  payload: unknown,
): Promise<ResolverResult<unknown>> {
  return spec.surface === 'settings'
    ? world.invoke(name, payload, DEMO.admin)
    : world.invokeIssue(name, payload, ISSUE);
}

/** What is wrong with one answer (empty = the case holds). */
function problemsOf(result: unknown): string[] {
  if (typeof result !== 'object' || result === null) return ['the answer is not an object'];
  const answer = result as Record<string, unknown>;
  try {
    JSON.stringify(answer);
  } catch (error) {
    return [`the answer cannot be sent to the UI: ${String(error)}`];
  }
  if (answer.ok === true) return 'data' in answer ? [] : ['ok without data'];
  if (answer.ok !== false) return ['ok is neither true nor false'];
  const problems = errorDtoProblems(answer.error);
  const haystack = JSON.stringify(answer);
  for (const secret of [DEMO.xrayClientSecret, DEMO.sqaiToken]) {
    if (haystack.includes(secret)) problems.push('a secret in the answer');
  }
  return problems;
}

describeWithContracts('trust: arbitrary resolver payloads', () => {
  it('regression (trust seed 956284294): a start with a test type the project lacks is refused after one Xray read, and only the usage ledger records it', async () => {
    const { world } = await setupFor(SPECS.startGeneration);
    resetBudgets();
    const before = snapshot(world);
    const ledgerBefore = JSON.stringify([...world.platform.kvs.data].filter(([key]) => isUsageLedger(key)));
    const result = await world.invokeIssue('startGeneration', { testTypes: ['!'], maxTests: 1 }, ISSUE);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fieldErrors: { testTypes: 'This project has no test type !.' } },
    });
    expect(snapshot(world)).toBe(before);
    const ledgerAfter = JSON.stringify([...world.platform.kvs.data].filter(([key]) => isUsageLedger(key)));
    expect(ledgerAfter).not.toBe(ledgerBefore);
    expect(world.sqai.generations.size).toBe(0);
  });

  it('covers every resolver name', () => {
    expect(Object.keys(SPECS).sort()).toEqual(Object.values(RESOLVERS).sort());
  });

  it.each(Object.keys(SPECS) as ResolverName[])(
    '%s: every payload ends in data or a typed error; VALIDATION writes nothing',
    async (name) => {
      const spec = SPECS[name];
      const setup = await setupFor(spec);
      const { world } = setup;
      const tally = new OutcomeTally();
      await fc.assert(
        fc.asyncProperty(spec.payloads(setup), async (payload) => {
          resetBudgets();
          const before = snapshot(world);
          let result: ResolverResult<unknown>;
          try {
            result = await invoke(world, spec, name, payload);
          } catch (error) {
            // Over 500 KB, Forge's bridge refuses the call: the resolver never runs.
            if (error instanceof ForgeLimitError && error.limit === 'request') {
              tally.add('refused by Forge (over 500 KB)');
              expect(snapshot(world)).toBe(before);
              return;
            }
            throw new Error(`the handler threw: ${String(error)}`, { cause: error });
          }
          const problems = problemsOf(result);
          if (problems.length > 0) throw new Error(problems.join('; '));
          const outcome = result.ok ? 'ok' : result.error.code;
          tally.add(outcome);
          if (!result.ok && result.error.code === 'INTERNAL') {
            throw new Error(
              `INTERNAL (an unexpected exception inside): ${world.platform.log.lines.slice(-3).join(' | ')}`,
            );
          }
          if (!result.ok && result.error.code === 'VALIDATION' && snapshot(world) !== before) {
            throw new Error('a VALIDATION answer wrote to the stores');
          }
          if (
            spec.empty &&
            !isEmptyPayload(asDelivered(payload)) &&
            !(!result.ok && result.error.code === 'VALIDATION')
          ) {
            throw new Error(`a non-empty payload was not refused: ${JSON.stringify(result).slice(0, 200)}`);
          }
          if (!prototypeIsClean()) throw new Error('Object.prototype was polluted');
          // Work a success queued is not this property's business (a backfill is run to its end, so
          // the next valid case may start another); a disconnect is undone.
          if (result.ok && name === 'startBackfill') await world.platform.queue.drain();
          else world.platform.queue.discardHeld();
          if (result.ok && name === 'disconnect') await configure(world);
        }),
        { numRuns: RUNS },
      );
      tally.report(__filename, `Resolver ${name}: arbitrary payloads`);
    },
    60_000,
  );
});
