/**
 * Trust, bad input from SQAI: arbitrary and malicious answers to the app's SQAI requests — random
 * JSON, the simulator's real answer damaged at random places (nulls, wrong types, huge strings, deep
 * nesting, `__proto__` / `constructor` keys, markup in titles, more tests than allowed), bodies over
 * the size cap, raw text — go through the REAL code path: the resolvers (`pollGeneration`,
 * `startGeneration`) for generations, the real `SqaiClient` for the context pushes.
 *
 * Every case must end in data or a typed error (never INTERNAL, never a throw), and the outcome is
 * predicted independently of the app's own schemas: an answer the contract allows is accepted, any
 * other is refused. A refused answer writes nothing (the stored generation and its proposals stay
 * byte-identical); an accepted one stores exactly the tests that meet SQAI_LIMITS, each title as the
 * text SQAI sent (trimmed) — markup included, never interpreted — and the rest as rejected reasons.
 * Every stored value fits Forge's 240 KiB, and a token SQAI echoes back is neither stored nor shown.
 *
 * One world per generation property (the two context-push properties share one); each case
 * restores the key-value store to the state it started from.
 */
import fc from 'fast-check';
import type { GenerationDto, ResolverResult } from '../../../src/api';
import { SqaiClient } from '../../../src/clients/sqai';
import { problemSchema, SQAI_LIMITS } from '../../../src/clients/sqai-schemas';
import { XrayClient } from '../../../src/clients/xray/client';
import { resetBudgets } from '../../../src/clients/xray/rate-budget';
import { getRequirementContext } from '../../../src/clients/xray/requirement-context';
import { byteSize } from '../../../src/context/content-hash';
import { isAppError } from '../../../src/errors';
import { ORIGIN_LABEL } from '../../../src/generate/proposals';
import {
  generationKeys,
  generationSchema,
  proposalSchema,
  type StoredProposal,
} from '../../../src/generate/store';
import { toProposalDto } from '../../../src/generate/to-dto';
import { describeWithContracts } from '../../harness/contracts';
import { OutcomeTallies } from '../../harness/property-report';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';
import {
  answerDamage,
  answerProblems,
  capturingHttp,
  deepJsonText,
  DANGEROUS_KEYS,
  errorDtoProblems,
  HUGE_ASCII,
  HUGE_UNICODE,
  hostileAnswerValue,
  jsonText,
  markupString,
  mutate,
  mutations,
  oddScalar,
  oddString,
  pollutionObject,
  prototypeIsClean,
  type Damage,
} from './arbitraries';
import { casesOf } from '../../harness/property-seed';

const RUNS = casesOf(1_000);
const ISSUE = 'DEMO-1';
const SECRETS = [DEMO.xrayClientSecret, DEMO.sqaiToken] as const;
/** The contract's cap on a generation answer: 2 MiB of body (bytes of UTF-8, like every body limit). */
const MAX_GENERATION_BYTES = 2 * 1024 * 1024;
/** Forge's limits (DESIGN.md §7): a key-value store value, a resolver's answer. */
const KVS_VALUE_BYTES = 240 * 1024;
const INVOKE_PAYLOAD_BYTES = 500 * 1000;
const TEST_TYPES = ['Manual', 'Cucumber', 'Generic'];

type Json = Record<string, unknown>;

interface Answer {
  status: number;
  text: string;
}

// ---------- an independent reading of the contract (docs/sqai-contract.md, DESIGN.md §5) ----------

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const absentOr = (value: unknown, check: (present: unknown) => boolean) =>
  value === null || value === undefined || check(value);
/** A string's length as the contract counts it: UTF-16 code units (docs/sqai-contract.md "Units"). */
const chars = (value: string) => value.length;
const stringWithin = (max: number) => (value: unknown) => typeof value === 'string' && chars(value) <= max;
const trimmedWithin = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim().length >= 1 && chars(value.trim()) <= max;
/** A title as stored: trimmed, and a lone trailing backslash (a Markdown hard break) dropped. */
const titleAsStored = (value: unknown) =>
  String(value)
    .trim()
    .replace(/(?<!\\)\\$/, '')
    .trimEnd();
const titleWithin = (value: unknown, max: number) =>
  typeof value === 'string' && titleAsStored(value).length >= 1 && chars(titleAsStored(value)) <= max;

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether one generated test meets the contract and SQAI_LIMITS. */
function testAcceptable(test: unknown): test is Json {
  if (!isRecord(test)) return false;
  return (
    trimmedWithin(test.id, 100) &&
    titleWithin(test.title, SQAI_LIMITS.titleChars) &&
    trimmedWithin(test.testType, 60) &&
    absentOr(test.priority, stringWithin(40)) &&
    absentOr(
      test.labels,
      (labels) =>
        Array.isArray(labels) &&
        labels.length <= SQAI_LIMITS.labels &&
        labels.every((label) => trimmedWithin(label, 255) && /^\S+$/.test((label as string).trim())),
    ) &&
    absentOr(
      test.steps,
      (steps) =>
        Array.isArray(steps) &&
        steps.length <= SQAI_LIMITS.stepsPerTest &&
        steps.every(
          (step) =>
            isRecord(step) &&
            stringWithin(SQAI_LIMITS.stepFieldChars)(step.action) &&
            absentOr(step.data, stringWithin(SQAI_LIMITS.stepFieldChars)) &&
            absentOr(step.result, stringWithin(SQAI_LIMITS.stepFieldChars)),
        ),
    ) &&
    absentOr(test.gherkin, stringWithin(SQAI_LIMITS.definitionChars)) &&
    absentOr(test.definition, stringWithin(SQAI_LIMITS.definitionChars)) &&
    absentOr(test.rationale, stringWithin(SQAI_LIMITS.rationaleChars))
  );
}

/** The generation envelope the contract allows (its tests are judged one by one). */
function envelopeOf(answer: Answer): Json | undefined {
  if (answer.status !== 200 || Buffer.byteLength(answer.text, 'utf8') > MAX_GENERATION_BYTES)
    return undefined;
  const body = parsedJson(answer.text);
  if (!isRecord(body)) return undefined;
  const ok =
    trimmedWithin(body.id, 100) &&
    // Any status is read: an unknown one means "not finished" (the contract's evolution rules).
    typeof body.status === 'string' &&
    absentOr(body.tests, (tests) => Array.isArray(tests) && tests.length <= SQAI_LIMITS.testsPerGeneration) &&
    absentOr(body.error, stringWithin(1_000));
  return ok ? body : undefined;
}

/** The code a refused answer must be reported with (a 5xx other than 501/505 is retried first). */
const refusalCode = (status: number) =>
  status === 401 || status === 403
    ? 'SQAI_UNAUTHORIZED'
    : status >= 500
      ? 'SQAI_UNREACHABLE'
      : 'SQAI_REJECTED';

// ---------- the world ----------

interface Setup {
  world: World;
  issueId: string;
  generationId: string;
  /** The simulator's real answer for the finished generation. */
  realistic: Json;
  /** The key-value store with the generation requested and pending. */
  pending: [string, unknown][];
  /** … and with it finished: proposals stored. */
  succeeded: [string, unknown][];
  /** … or finished with six Cucumber / Generic tests at SQAI_LIMITS (each fits a KVS value). */
  succeededLarge: [string, unknown][];
  /** Xray's real answer to the requirement-context read of ISSUE. */
  xrayAnswer: string;
}

const copyOf = (kvs: Map<string, unknown>): [string, unknown][] =>
  [...kvs.entries()].map(([key, value]) => [key, structuredClone(value)]);

function restore(world: World, entries: [string, unknown][]): void {
  world.platform.kvs.data.clear();
  for (const [key, value] of entries) world.platform.kvs.data.set(key, structuredClone(value));
}

const kvsText = (world: World, prefix = '') =>
  JSON.stringify([...world.platform.kvs.data].filter(([key]) => key.startsWith(prefix)));

async function setUp(): Promise<Setup> {
  const world = createWorld({ validateContracts: false, xrayRateWindowMs: 1_000 });
  resetBudgets();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  const issueId = world.jiraStore.issue(ISSUE)?.id ?? '';
  const started = data(
    await world.invokeIssue<GenerationDto>('startGeneration', { testTypes: TEST_TYPES, maxTests: 10 }, ISSUE),
  );
  const simulated = world.sqai.generations.get(started.id);
  if (!simulated?.tests?.length) throw new Error('the SQAI simulator generated nothing');
  // Exactly what the simulator answers GET /v1/generations/{id} with once the generation is done.
  const { polls: _polls, ...visible } = simulated;
  const realistic = JSON.parse(JSON.stringify({ ...visible, status: 'succeeded' })) as Json;
  const pending = copyOf(world.platform.kvs.data);
  let generation = started;
  for (let poll = 0; poll < 5 && generation.status !== 'succeeded'; poll += 1) {
    resetBudgets();
    generation = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE));
  }
  if (generation.proposals.length === 0) throw new Error('the real generation proposed nothing');
  const succeeded = copyOf(world.platform.kvs.data);
  // Xray's real answer for the requirement (the same document and variables the app sends), captured
  // once and replayed per case: Xray is not under test here, and executing the GraphQL against the
  // SDL would be a third of each case.
  const seen: Parameters<typeof capturingHttp>[1] = [];
  const xray = new XrayClient(
    { http: capturingHttp(world.platform.http, seen), now: () => new Date() },
    { clientId: DEMO.xrayClientId, clientSecret: DEMO.xrayClientSecret, region: 'global' },
  );
  await getRequirementContext(xray, issueId, { projectId: DEMO.project.id, includeRuns: true });
  const xrayAnswer = seen.find((entry) => entry.url.endsWith('/graphql'))?.text;
  if (!xrayAnswer) throw new Error('no Xray answer captured');
  restore(world, pending);
  const large = structuredClone(realistic);
  const template = testsOf(large).filter((test) => test.testType !== 'Manual');
  large.tests = Array.from({ length: 6 }, (_, index) => {
    const test = { ...structuredClone(template[index % template.length]), id: `gt-large-${index}` };
    fillToLimits(test, '中');
    return test;
  });
  world.sqai.faults.add({
    path: `/v1/generations/${started.id}`,
    method: 'GET',
    status: 200,
    body: large,
    count: 1,
  });
  resetBudgets();
  const largeGeneration = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE));
  // Six tests at SQAI's limits in multi-byte text: more than one panel answer holds, so some are left out.
  if (
    largeGeneration.proposals.length === 0 ||
    largeGeneration.proposals.length + largeGeneration.rejected.length !== 6
  )
    throw new Error('the large generation was not stored as far as it fits');
  const succeededLarge = copyOf(world.platform.kvs.data);
  return {
    world,
    issueId,
    generationId: started.id,
    realistic,
    pending,
    succeeded,
    succeededLarge,
    xrayAnswer,
  };
}

/** Xray answers the next requirement-context read with its captured real answer. */
function replayXray(setup: Setup): void {
  setup.world.xray.faults.clear();
  setup.world.xray.faults.add({
    path: '/api/v2/graphql',
    bodyMatch: /query RequirementContext/,
    status: 200,
    body: setup.xrayAnswer,
    contentType: 'application/json',
    count: 1,
  });
}

// ---------- generators ----------

/** Damage for an SQAI answer: nulls, wrong types, hostile values, markup, dangerous keys, repeats. */
const sqaiDamage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: answerDamage, weight: 10 },
  { arbitrary: oddString.map<Damage>((value) => ({ kind: 'replace', value })), weight: 3 },
  { arbitrary: markupString.map<Damage>((value) => ({ kind: 'replace', value })), weight: 2 },
  { arbitrary: oddScalar.map<Damage>((value) => ({ kind: 'replace', value })), weight: 2 },
  { arbitrary: hostileAnswerValue.map<Damage>((value) => ({ kind: 'replace', value })), weight: 2 },
  { arbitrary: deepJsonText.map<Damage>((value) => ({ kind: 'replace', value })), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...DANGEROUS_KEYS), fc.oneof(pollutionObject, oddScalar))
      .map<Damage>(([key, value]) => ({ kind: 'addKey', key, value })),
    weight: 2,
  },
  {
    arbitrary: fc.integer({ min: 40, max: 120 }).map<Damage>((times) => ({ kind: 'repeat', times })),
    weight: 1,
  },
);

const statusArb = fc.oneof(
  { arbitrary: fc.constant(200), weight: 30 },
  // Not 429 / 5xx: those are retried with real backoff (upstream.test.ts covers them).
  { arbitrary: fc.constantFrom(201, 202, 204, 400, 401, 403, 404, 409, 413, 422, 501), weight: 1 },
);

/** Fills a test's fields to SQAI_LIMITS with `fill` (1 to 6 bytes each in stored JSON): still within the limits. */
function fillToLimits(test: Json, fill: string): void {
  const text = (length: number) => fill.repeat(length);
  test.title = text(SQAI_LIMITS.titleChars);
  test.priority = text(40);
  test.labels = Array.from(
    { length: SQAI_LIMITS.labels },
    (_, index) => `${index}${text(255 - String(index).length)}`,
  );
  test.rationale = text(SQAI_LIMITS.rationaleChars);
  if (Array.isArray(test.steps))
    test.steps = Array.from({ length: SQAI_LIMITS.stepsPerTest }, () => ({
      action: text(SQAI_LIMITS.stepFieldChars),
      data: text(SQAI_LIMITS.stepFieldChars),
      result: text(SQAI_LIMITS.stepFieldChars),
    }));
  if (typeof test.gherkin === 'string') test.gherkin = text(SQAI_LIMITS.definitionChars);
  if (typeof test.definition === 'string') test.definition = text(SQAI_LIMITS.definitionChars);
}

const testsOf = (realistic: Json): Json[] =>
  Array.isArray(realistic.tests) ? (realistic.tests as Json[]) : [];

/** Bodies for `GET /v1/generations/{id}`, mostly the real answer damaged. */
function generationBodies(realistic: Json): fc.Arbitrary<string> {
  const tests = testsOf(realistic);
  const damaged = mutations(sqaiDamage, 4).map((changes) => jsonText(mutate(realistic, changes)));
  const markupTitles = fc
    .array(fc.tuple(fc.nat({ max: tests.length - 1 }), markupString), { minLength: 1, maxLength: 4 })
    .map((titles) => {
      const copy = structuredClone(realistic);
      for (const [index, title] of titles) {
        const test = testsOf(copy)[index];
        if (test) test.title = title;
      }
      return jsonText(copy);
    });
  // Any envelope, biased toward the allowed ones (so pending / running / failed answers are seen too).
  const envelope = fc
    .record(
      {
        id: fc.oneof(
          { arbitrary: fc.constantFrom(String(realistic.id), ` ${String(realistic.id)} `), weight: 4 },
          { arbitrary: fc.oneof(fc.constant(''), oddScalar), weight: 1 },
        ),
        status: fc.oneof(
          { arbitrary: fc.constantFrom('pending', 'running', 'succeeded', 'failed'), weight: 4 },
          { arbitrary: fc.oneof(fc.constant('SUCCEEDED'), oddScalar), weight: 1 },
        ),
        tests: fc.oneof(
          fc.array(hostileAnswerValue, { maxLength: 6 }),
          fc.array(fc.constantFrom(...tests), { maxLength: 60 }),
          hostileAnswerValue,
        ),
        error: fc.oneof(
          oddString,
          markupString,
          fc.constantFrom(
            `upstream rejected Bearer ${DEMO.sqaiToken}`,
            `token ${DEMO.sqaiToken} is not allowed to generate`,
            'x'.repeat(1_001),
          ),
        ),
      },
      { requiredKeys: ['id', 'status'] },
    )
    .map(jsonText);
  const oversized = fc
    .tuple(
      fc.constantFrom('rationale', 'definition', 'gherkin', 'title'),
      fc.constantFrom(HUGE_ASCII, HUGE_UNICODE),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([field, huge, copies]) => {
      const copy = structuredClone(realistic);
      testsOf(copy)
        .slice(0, copies)
        .forEach((test) => {
          test[field] = huge;
        });
      return jsonText(copy);
    });
  const tooMany = fc.integer({ min: 51, max: 120 }).map((count) =>
    jsonText({
      ...realistic,
      tests: Array.from({ length: count }, (_, index) => ({
        ...tests[index % tests.length],
        id: `gt-${index}`,
      })),
    }),
  );
  // Tests at their limits in characters of every UTF-8 / JSON width: valid, and as big as valid gets.
  const atLimits = fc
    .tuple(fc.constantFrom('a', 'é', '中', '😀', '\u0001', '"'), fc.integer({ min: 1, max: 3 }))
    .map(([fill, count]) => {
      const copy = structuredClone(realistic);
      testsOf(copy)
        .slice(0, count)
        .forEach((test) => fillToLimits(test, fill));
      return jsonText(copy);
    });
  const rawText = fc.oneof(
    oddString,
    fc.constantFrom(
      '',
      'null',
      '[]',
      '{}',
      '{',
      '"succeeded"',
      '<html><body>502 Bad Gateway</body></html>',
      'undefined',
    ),
  );
  return fc.oneof(
    { arbitrary: damaged, weight: 14 },
    { arbitrary: markupTitles, weight: 3 },
    { arbitrary: envelope, weight: 4 },
    { arbitrary: hostileAnswerValue.map(jsonText), weight: 2 },
    { arbitrary: deepJsonText.map(jsonText), weight: 1 },
    { arbitrary: rawText, weight: 1 },
    { arbitrary: oversized, weight: 1 },
    { arbitrary: tooMany, weight: 1 },
    { arbitrary: atLimits, weight: 1 },
  );
}

// ---------- checks ----------

function storedProposals(world: World, issueId: string): StoredProposal[] {
  const prefix = generationKeys.proposals(DEMO.project.id, issueId);
  return [...world.platform.kvs.data.entries()]
    .filter(([key]) => key.startsWith(prefix))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, value]) => proposalSchema.parse(value));
}

/** What is wrong with one stored proposal given the test SQAI sent for it (empty = fine). */
function proposalProblems(proposal: StoredProposal, sent: Json): string[] {
  const problems: string[] = [];
  const trim = (value: unknown) => String(value).trim();
  if (proposal.id !== trim(sent.id)) problems.push(`id ${proposal.id} is not the id sent`);
  // Markup and all: the title is the text SQAI sent, trimmed (and a trailing hard break dropped).
  if (proposal.title !== titleAsStored(sent.title))
    problems.push(`title ${JSON.stringify(proposal.title)} is not the title sent`);
  if (proposal.title.length > SQAI_LIMITS.titleChars) problems.push('title over the limit');
  const labels = [...new Set([ORIGIN_LABEL, ...((sent.labels as string[] | null) ?? []).map(trim)])];
  if (JSON.stringify(proposal.labels) !== JSON.stringify(labels))
    problems.push('labels are not the labels sent');
  if (proposal.labels.length > SQAI_LIMITS.labels + 1) problems.push('too many labels');
  if (proposal.priority !== (sent.priority ?? null)) problems.push('priority is not the priority sent');
  if (proposal.rationale !== (sent.rationale ?? null)) problems.push('rationale is not the rationale sent');
  if ((proposal.rationale?.length ?? 0) > SQAI_LIMITS.rationaleChars)
    problems.push('rationale over the limit');
  if (proposal.steps) {
    const steps = ((sent.steps as Json[] | null) ?? []).map((step) => ({
      action: step.action,
      data: step.data ?? null,
      result: step.result ?? null,
    }));
    if (JSON.stringify(proposal.steps) !== JSON.stringify(steps))
      problems.push('steps are not the steps sent');
    if (proposal.steps.length > SQAI_LIMITS.stepsPerTest) problems.push('too many steps');
    for (const step of proposal.steps)
      for (const field of [step.action, step.data, step.result])
        if ((field?.length ?? 0) > SQAI_LIMITS.stepFieldChars) problems.push('a step field over the limit');
  }
  for (const field of ['gherkin', 'definition'] as const) {
    const value = proposal[field];
    if (value === undefined) continue;
    if (value !== ((sent[field] as string | null) ?? '')) problems.push(`${field} is not the ${field} sent`);
    if (value.length > SQAI_LIMITS.definitionChars) problems.push(`${field} over the limit`);
  }
  if (!['Steps', 'Gherkin', 'Unstructured', 'Unknown'].includes(proposal.kind))
    problems.push(`kind ${proposal.kind}`);
  if (proposal.selectedByDefault && proposal.problems.length > 0)
    problems.push('a proposal with problems is selected');
  return problems;
}

/** After an accepted poll answer: what the store and the answer hold, against what SQAI sent. */
function acceptedProblems(setup: Setup, envelope: Json, dto: GenerationDto): string[] {
  const { world, issueId } = setup;
  const problems: string[] = [];
  const stored = generationSchema.parse(
    world.platform.kvs.data.get(generationKeys.generation(DEMO.project.id, issueId)),
  );
  const proposals = storedProposals(world, issueId);
  // A status the app does not know means "not finished yet" (the contract's evolution rules).
  const known = ['pending', 'running', 'succeeded', 'failed'].includes(envelope.status as string);
  if (stored.status !== (known ? envelope.status : 'running'))
    problems.push(`stored status ${stored.status}, SQAI said ${String(envelope.status)}`);
  if (dto.status !== stored.status) problems.push('the answer and the store disagree on the status');
  if (proposals.length !== stored.proposalCount)
    problems.push('stored proposals ≠ proposalCount (stale or missing keys)');
  // As shown: the stored proposals through the one mapping the app answers with.
  const shown = proposals.map((proposal) => toProposalDto(proposal, stored.creation));
  if (JSON.stringify(dto.proposals) !== JSON.stringify(shown))
    problems.push('the answer’s proposals are not the stored ones');
  if (stored.status !== 'succeeded') {
    if (proposals.length > 0) problems.push(`proposals stored for a ${stored.status} generation`);
    if (stored.status === 'failed') {
      problems.push(...errorDtoProblems(stored.error).map((problem) => `stored error: ${problem}`));
      if (stored.error?.code !== 'SQAI_REJECTED') problems.push(`failed with ${String(stored.error?.code)}`);
    }
    return problems;
  }
  // Every test SQAI sent is a proposal or a rejected reason; the proposals are exactly the acceptable ones.
  const sent = Array.isArray(envelope.tests) ? (envelope.tests as unknown[]) : [];
  const expected: Json[] = [];
  const seen = new Set<string>();
  for (const test of sent) {
    if (!testAcceptable(test)) continue;
    const id = String(test.id).trim();
    if (seen.has(id)) continue;
    seen.add(id);
    expected.push(test);
  }
  // In order; an acceptable test is left out only as too large for a key-value store value, or when
  // the proposals together would not fit one panel answer.
  let next = 0;
  for (const test of expected) {
    const id = String(test.id).trim();
    const proposal = proposals[next];
    if (proposal?.id === id) {
      problems.push(...proposalProblems(proposal, test).map((problem) => `proposal ${next}: ${problem}`));
      next += 1;
    } else if (!stored.rejected.some((entry) => entry.id === id && /too large|left out/i.test(entry.reason)))
      problems.push(`the acceptable test ${id} was neither stored nor rejected as too large`);
  }
  if (next !== proposals.length) problems.push('proposals that are not the acceptable tests sent, in order');
  if (stored.rejected.length + proposals.length !== sent.length)
    problems.push(
      `${proposals.length} proposals + ${stored.rejected.length} rejected ≠ ${sent.length} tests sent`,
    );
  if (proposals.length > SQAI_LIMITS.testsPerGeneration) problems.push('more proposals than the limit');
  return problems;
}

/** Every value in the key-value store fits Forge's value limit. */
function oversizedValues(world: World): string[] {
  return [...world.platform.kvs.data]
    .filter(([, value]) => byteSize(value) > KVS_VALUE_BYTES)
    .map(
      ([key, value]) =>
        `${key} is ${Math.round(byteSize(value) / 1024)} KiB (a KVS value is at most 240 KiB)`,
    );
}

function fail(problems: string[], answer: Answer, result: unknown): void {
  if (problems.length === 0) return;
  throw new Error(
    `${problems.join('; ')}\n  SQAI answered ${answer.status}: ${answer.text.slice(0, 300)}\n  the resolver answered: ${JSON.stringify(result).slice(0, 400)}`,
  );
}

// ---------- the properties ----------

describeWithContracts('trust: arbitrary SQAI answers', () => {
  // Outcome counts per property (how much of each was exercised), for docs/reliability.md.
  const tallies = new OutcomeTallies();
  const count = (property: string, outcome: string) => tallies.count(property, outcome);

  afterAll(() => tallies.report(__filename, 'SQAI answers: '));

  it('pollGeneration: every answer ends in data or a typed error; a refused one writes nothing; accepted tests are stored as sent, within SQAI_LIMITS', async () => {
    const setup = await setUp();
    const { world, generationId } = setup;
    await fc.assert(
      fc.asyncProperty(statusArb, generationBodies(setup.realistic), async (status, text) => {
        resetBudgets();
        restore(world, setup.pending);
        replayXray(setup);
        world.sqai.faults.clear();
        world.sqai.faults.add({
          path: `/v1/generations/${generationId}`,
          method: 'GET',
          status,
          body: text,
          contentType: 'application/json',
          count: 1,
        });
        const answer = { status, text };
        const before = kvsText(world);
        let result: ResolverResult<GenerationDto>;
        try {
          result = await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE);
        } catch (error) {
          throw new Error(`the handler threw: ${String(error)}`, { cause: error });
        }
        const problems = answerProblems(result, SECRETS);
        if (world.sqai.faults.pending !== 0) problems.push('SQAI was never asked (the case tested nothing)');
        if (!prototypeIsClean()) problems.push('Object.prototype was polluted');
        const envelope = envelopeOf(answer);
        if (!result.ok) {
          count('poll', result.error.code);
          if (envelope) problems.push(`an answer the contract allows was refused (${result.error.code})`);
          else if (result.error.code !== refusalCode(status))
            problems.push(`refused with ${result.error.code}, expected ${refusalCode(status)}`);
          if (kvsText(world) !== before) problems.push('a refused answer wrote to the store');
        } else {
          count('poll', `ok:${result.data.status}`);
          if (byteSize(result) > INVOKE_PAYLOAD_BYTES) problems.push("the answer exceeds Forge's 500 KB");
          problems.push(...oversizedValues(world));
          if (!envelope) problems.push('an answer the contract does not allow was accepted');
          else problems.push(...acceptedProblems(setup, envelope, result.data));
          if (kvsText(world).includes(DEMO.sqaiToken)) problems.push('the SQAI token was stored');
        }
        fail(problems, answer, result);
      }),
      { numRuns: RUNS },
    );
  }, 90_000);

  it('startGeneration: every answer to POST /v1/generations ends in data or a typed error; a refused one leaves the earlier generation intact', async () => {
    const setup = await setUp();
    const { world, issueId } = setup;
    const body = fc.oneof(
      {
        arbitrary: mutations(sqaiDamage, 2).map((changes) => jsonText(mutate({ id: 'gen-99999' }, changes))),
        weight: 6,
      },
      {
        arbitrary: fc
          .record(
            { id: fc.oneof(oddString, markupString, oddScalar), extra: hostileAnswerValue },
            { requiredKeys: [] },
          )
          .map(jsonText),
        weight: 6,
      },
      { arbitrary: hostileAnswerValue.map(jsonText), weight: 3 },
      { arbitrary: deepJsonText.map(jsonText), weight: 1 },
      { arbitrary: oddString, weight: 1 },
    );
    const startStatus = fc.oneof(
      { arbitrary: fc.constant(202), weight: 20 },
      { arbitrary: fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 413, 422, 501), weight: 3 },
    );
    await fc.assert(
      fc.asyncProperty(startStatus, body, fc.boolean(), async (status, text, afterLarge) => {
        resetBudgets();
        // The earlier generation's proposals become fingerprints: realistic ones, or six at the limits.
        restore(world, afterLarge ? setup.succeededLarge : setup.succeeded);
        replayXray(setup);
        world.sqai.faults.clear();
        world.sqai.faults.add({
          path: '/v1/generations',
          method: 'POST',
          status,
          body: text,
          contentType: 'application/json',
          count: 1,
        });
        const answer = { status, text };
        const before = kvsText(world, 'gen');
        let result: ResolverResult<GenerationDto>;
        try {
          result = await world.invokeIssue<GenerationDto>(
            'startGeneration',
            { testTypes: ['Manual', 'Cucumber'], maxTests: 3 },
            ISSUE,
          );
        } catch (error) {
          throw new Error(`the handler threw: ${String(error)}`, { cause: error });
        }
        const problems = answerProblems(result, SECRETS);
        if (world.sqai.faults.pending !== 0) problems.push('SQAI was never asked (the case tested nothing)');
        if (!prototypeIsClean()) problems.push('Object.prototype was polluted');
        const parsed = parsedJson(text);
        // 202 is the one answer of a start (a replay of the same Idempotency-Key is 202 too).
        const allowed = status === 202 && isRecord(parsed) && trimmedWithin(parsed.id, 100);
        if (!result.ok) {
          count('start', result.error.code);
          if (allowed) problems.push(`an answer the contract allows was refused (${result.error.code})`);
          else if (result.error.code !== refusalCode(status))
            problems.push(`refused with ${result.error.code}, expected ${refusalCode(status)}`);
          // The earlier generation, its proposals and the duplicate history are untouched.
          if (kvsText(world, 'gen') !== before)
            problems.push('a refused answer changed the stored generation');
        } else {
          count('start', 'ok');
          problems.push(...oversizedValues(world));
          if (!allowed) problems.push('an answer the contract does not allow was accepted');
          const stored = generationSchema.parse(
            world.platform.kvs.data.get(generationKeys.generation(DEMO.project.id, issueId)),
          );
          const id = isRecord(parsed) ? String(parsed.id).trim() : '';
          if (stored.id !== id || result.data.id !== id)
            problems.push(`stored id ${stored.id}, SQAI said ${id}`);
          if (stored.status !== 'pending' || stored.proposalCount !== 0)
            problems.push('not stored as pending');
          if (storedProposals(world, issueId).length !== 0) problems.push('stale proposals left behind');
        }
        fail(problems, answer, result);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  describe('the context pushes (SqaiClient)', () => {
    let world: World;
    let client: SqaiClient;
    let documents: { contentHash: string; source: { issueId: string; issueKey: string } }[];
    let realisticBatch: Json;

    beforeAll(async () => {
      world = createWorld({ validateContracts: false, xrayRateWindowMs: 1_000 });
      data(await world.invoke('saveSettings', demoSettings('enterprise')));
      await world.platform.queue.drain();
      const stored = [...world.sqai.contexts.values()].slice(0, 3);
      documents = stored.map(
        (context) =>
          context.document as { contentHash: string; source: { issueId: string; issueKey: string } },
      );
      if (documents.length < 3) throw new Error('the backfill pushed fewer than 3 documents');
      // The simulator's real answer to a batch (captured on the wire).
      const seen: { url: string; body: string | undefined; status: number; text: string }[] = [];
      const capturing = new SqaiClient(
        { http: capturingHttp(world.platform.http, seen) },
        { endpoint: DEMO.sqaiEndpoint, token: DEMO.sqaiToken },
      );
      await capturing.pushBatch(documents.map((document) => ({ document, held: 'nothing' as const })));
      realisticBatch = JSON.parse(seen.at(-1)?.text ?? 'null') as Json;
      client = new SqaiClient(
        { http: world.platform.http },
        { endpoint: DEMO.sqaiEndpoint, token: DEMO.sqaiToken },
      );
    });

    // An entry names its issue (digits) and the content it refers to (a SHA-256); any status is read
    // (an unknown one as "failed"); a problem, when there is one, is an RFC 9457 problem.
    const batchEntryAcceptable = (entry: unknown) =>
      isRecord(entry) &&
      typeof entry.issueId === 'string' &&
      /^\d{1,18}$/.test(entry.issueId) &&
      typeof entry.contentHash === 'string' &&
      /^[0-9a-f]{64}$/.test(entry.contentHash) &&
      typeof entry.status === 'string' &&
      absentOr(entry.problem, (problem) => problemSchema.safeParse(problem).success);
    const statusRead = (status: unknown) =>
      ['created', 'updated', 'unchanged', 'failed'].includes(status as string) ? status : 'failed';

    it('pushBatch: every answer is a per-document result map or a typed SQAI error', async () => {
      const issueIds = documents.map((document) => document.source.issueId);
      const body = fc.oneof(
        {
          arbitrary: mutations(sqaiDamage, 4).map((changes) => jsonText(mutate(realisticBatch, changes))),
          weight: 10,
        },
        {
          arbitrary: fc
            .array(
              fc.record(
                {
                  issueId: fc.oneof(fc.constantFrom(...issueIds, '__proto__', 'constructor'), oddScalar),
                  contentHash: fc.oneof(
                    fc.constantFrom(...documents.map((document) => document.contentHash)),
                    oddScalar,
                  ),
                  status: fc.oneof(fc.constantFrom('created', 'updated', 'unchanged', 'failed'), oddScalar),
                  problem: fc.record({
                    type: fc.constantFrom(
                      'https://api.sqai-suite.com/problems/invalid-document',
                      'about:blank',
                    ),
                    detail: fc.oneof(
                      oddString,
                      markupString,
                      fc.constantFrom(`Bearer ${DEMO.sqaiToken} rejected`, `bad token ${DEMO.sqaiToken}`),
                    ),
                  }),
                },
                { requiredKeys: ['issueId', 'contentHash', 'status'] },
              ),
              { maxLength: 60 },
            )
            .map((results) => jsonText({ results })),
          weight: 6,
        },
        { arbitrary: hostileAnswerValue.map(jsonText), weight: 2 },
        { arbitrary: deepJsonText.map(jsonText), weight: 1 },
        { arbitrary: oddString, weight: 1 },
      );
      await fc.assert(
        fc.asyncProperty(statusArb, body, async (status, text) => {
          world.sqai.faults.clear();
          world.sqai.faults.add({ path: '/v1/contexts:batch', method: 'POST', status, body: text, count: 1 });
          const parsed = parsedJson(text);
          const allowed =
            status === 200 &&
            isRecord(parsed) &&
            Array.isArray(parsed.results) &&
            parsed.results.length <= 50 &&
            parsed.results.every(batchEntryAcceptable);
          const problems: string[] = [];
          try {
            const results = await client.pushBatch(
              documents.map((document) => ({ document, held: 'nothing' as const })),
            );
            count('pushBatch', 'ok');
            if (!allowed) problems.push('an answer the contract does not allow was accepted');
            const sent = isRecord(parsed) && Array.isArray(parsed.results) ? (parsed.results as Json[]) : [];
            const last = new Map(sent.map((entry) => [entry.issueId as string, entry]));
            if (results.size !== last.size)
              problems.push(`${results.size} results for ${last.size} issue ids`);
            for (const [issueId, result] of results) {
              const entry = last.get(issueId);
              if (!entry) problems.push(`a result for ${issueId}, which SQAI did not name`);
              else if (statusRead(entry.status) !== result.status)
                problems.push(`${issueId}: status ${result.status}`);
              if (
                result.error !== undefined &&
                (typeof result.error !== 'string' || result.error.length > 200)
              )
                problems.push(`${issueId}: error is not a short string`);
              if (result.error?.includes(DEMO.sqaiToken)) problems.push('the SQAI token in a result');
            }
          } catch (error) {
            if (!isAppError(error)) problems.push(`threw ${String(error)} (not an AppError)`);
            else {
              count('pushBatch', error.code);
              if (allowed) problems.push(`an answer the contract allows was refused (${error.code})`);
              else if (error.code !== refusalCode(status))
                problems.push(`refused with ${error.code}, expected ${refusalCode(status)}`);
              problems.push(
                ...errorDtoProblems({ code: error.code, message: error.message, remedy: error.remedy }),
              );
              if (error.message.includes(DEMO.sqaiToken)) problems.push('the SQAI token in the message');
            }
          }
          if (world.sqai.faults.pending !== 0) problems.push('SQAI was never asked');
          if (!prototypeIsClean()) problems.push('Object.prototype was polluted');
          fail(problems, { status, text }, null);
        }),
        { numRuns: RUNS },
      );
    }, 30_000);

    it('putContext: every answer is created / updated / unchanged or a typed SQAI error', async () => {
      const [document] = documents;
      if (!document) throw new Error('no document');
      const body = fc.oneof(
        {
          arbitrary: mutations(sqaiDamage, 3).map((changes) =>
            jsonText(mutate({ issueId: document.source.issueId, status: 'updated' }, changes)),
          ),
          weight: 6,
        },
        {
          arbitrary: fc
            .record(
              {
                issueId: oddScalar,
                status: fc.oneof(fc.constantFrom('created', 'updated', 'unchanged', 'failed'), oddScalar),
                error: oddString,
              },
              { requiredKeys: [] },
            )
            .map(jsonText),
          weight: 4,
        },
        { arbitrary: hostileAnswerValue.map(jsonText), weight: 2 },
        { arbitrary: oddString, weight: 1 },
      );
      const status = fc.oneof(
        { arbitrary: fc.constant(200), weight: 10 },
        { arbitrary: fc.constantFrom(201, 202, 204, 400, 401, 403, 404, 409, 413, 428, 501), weight: 3 },
      );
      await fc.assert(
        fc.asyncProperty(status, body, async (code, text) => {
          world.sqai.faults.clear();
          world.sqai.faults.add({ path: '/v1/contexts/', method: 'PUT', status: code, body: text, count: 1 });
          const parsed = parsedJson(text);
          const problems: string[] = [];
          // 200 and 201 are the contract's answers to a write (202 and 204 are not: refused).
          const expected =
            code === 201
              ? 'created'
              : code === 200
                ? isRecord(parsed) && ['created', 'updated', 'unchanged'].includes(parsed.status as string)
                  ? (parsed.status as string)
                  : 'updated'
                : refusalCode(code);
          try {
            const written = await client.putContext(
              DEMO.cloudId,
              document.source.issueId,
              document,
              'nothing',
            );
            const outcome = typeof written === 'string' ? written : 'conflict';
            count('putContext', outcome);
            if (outcome !== expected) problems.push(`${outcome}, expected ${expected}`);
          } catch (error) {
            if (!isAppError(error)) problems.push(`threw ${String(error)} (not an AppError)`);
            else {
              count('putContext', error.code);
              if (error.code !== expected) problems.push(`${error.code}, expected ${expected}`);
              problems.push(
                ...errorDtoProblems({ code: error.code, message: error.message, remedy: error.remedy }),
              );
            }
          }
          if (world.sqai.faults.pending !== 0) problems.push('SQAI was never asked');
          fail(problems, { status: code, text }, null);
        }),
        { numRuns: RUNS },
      );
    }, 30_000);
  });
});
