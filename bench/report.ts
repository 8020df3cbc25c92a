/**
 * docs/reliability.md, rendered from what the measuring commands wrote:
 *   bench/chaos.json       ← npm run chaos
 *   bench/results.json     ← npm run bench
 *   bench/properties.json  ← npm run trust (the property tests, with their outcome counts)
 *   bench/secret-scan.json ← npm run trust (the suite-wide secret scan totals)
 * Each of those commands ends by calling `writeReliabilityReport()`; `npm run report` re-renders.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { z } from 'zod';

const benchDir = __dirname;
export const REPORT_FILE = path.resolve(benchDir, '../docs/reliability.md');

const perService = z.object({ jira: z.number(), xray: z.number(), sqai: z.number() });

const chaosSchema = z.object({
  measuredAt: z.string(),
  figures: z.object({
    requirements: z.number(),
    faultRate: z.number(),
    faultyRuns: z.number(),
    searchLagSeconds: z.number().optional(),
    requirementsEditedUnderFaults: z.number(),
    deliveredToSqai: z.number(),
    deliveredTwiceSameHash: z.number(),
    repeatedSendsAbsorbedByIdempotency: z.number(),
    lost: z.number(),
    pushedByVerificationBackfill: z.number(),
    sqaiRequestsOfVerificationBackfill: z.number(),
    generatedTestsProposed: z.number(),
    generatedTestsCreated: z.number(),
    generatedTestsCreatedTwice: z.number(),
    creationFinishedUnderFaults: z.boolean(),
    creationStatusAfterHealing: z.string(),
    resolverCallsFailedUnderFaults: z.number(),
    requestsUnderFaults: perService,
    failedRequestsUnderFaults: perService,
    hourlyRunsToConvergeAfterHealing: z.number(),
    secondsUnderFaults: z.number(),
    secondsToConvergeAfterHealing: z.number(),
    syncRunRetries: z.number(),
    backfillsResumed: z.number(),
    queueFailures: z.number(),
    /** The living-tests phase (bench/chaos-living.ts); absent in figures measured before it. */
    living: z
      .object({
        requirements: z.number(),
        tests: z.number(),
        staleTestsFlagged: z.number(),
        proposals: z.object({ update: z.number(), valid: z.number(), obsolete: z.number() }),
        personEdited: z.number(),
        reviewerEdited: z.number(),
        faultRate: z.number(),
        applied: z.number(),
        conflicts: z.number(),
        confirmed: z.number(),
        notFinal: z.number(),
        stepsAddedTwice: z.number(),
        personEditsOverwritten: z.number(),
        halfUpdated: z.number(),
        notAsDecided: z.number(),
        stillStaleAfterApply: z.number(),
        resolverCalls: z.number(),
        resolverCallsFailedUnderFaults: z.number(),
        decisionsFinalUnderFaults: z.number(),
        requestsOfApply: perService,
        failedRequestsOfApply: perService,
        lostAnswersOfApply: perService.optional(),
        xrayWritesWithLostAnswers: z.number().optional(),
        xrayRequestsPerAppliedTest: z.number(),
        secondsUnderFaults: z.number(),
        secondsAfterHealing: z.number(),
      })
      .optional(),
  }),
});

/** One requirement's panel send (bench/panel-sync.ts); the floors and chains since issue 20. */
const panelCase = z.object({
  issueKey: z.string().optional(),
  roundTrips: perService.extend({ confluence: z.number().optional() }),
  p50Ms: z.number(),
  p95Ms: z.number(),
  floorMs: z.number().optional(),
  ratio: z.number(),
  dependencyRoundTrips: z.number().optional(),
  dependencyChain: z.array(z.string()).optional(),
  ratioToDependencyChain: z.number().optional(),
  firstSendMs: z.number().optional(),
  firstSendDependencyRoundTrips: z.number().optional(),
});

const benchSchema = z.object({
  measuredAt: z.string(),
  panel: panelCase.extend({
    latencyMs: z.number(),
    unchangedResyncSqaiRequests: z.number(),
    withConfluence: panelCase.optional(),
  }),
  jiraPoints: z
    .array(
      z.object({
        scenario: z.string(),
        requirements: z.number(),
        jiraRequests: z.number(),
        points: z.number(),
        pointsPerRequirement: z.number(),
        pointsIfPostReadsCostBase: z.number(),
        simulatedMinutes: z.number(),
        shareOfGlobalPool: z.number(),
        status429: z.number(),
        byOperation: z.record(z.string(), z.object({ requests: z.number(), points: z.number() })),
      }),
    )
    .optional(),
  sync: z.array(
    z.object({
      scenario: z.string(),
      requirements: z.number(),
      requirementsPerXrayRequest: z.number(),
      requirementsPerSqaiRequest: z.number(),
      jiraRequests: z.number(),
      xrayRequests: z.number(),
      sqaiRequests: z.number(),
      simulatedSeconds: z.number(),
      xrayRateShareOfBudget: z.number(),
      status429: z.number(),
      liveHeapGrowthMb: z.number(),
    }),
  ),
  /** Living tests (bench/living.ts); absent in results written before it was measured. */
  living: z
    .object({
      measuredAt: z.string().optional(),
      latencyMs: z.number(),
      propose: perService.extend({ polls: z.number() }),
      apply: perService,
      large: z.object({
        steps: z.number(),
        changedRows: z.number(),
        removedRows: z.number(),
        addedRows: z.number(),
        rowsWritten: z.number(),
        wallMs: z.number(),
        xrayRequests: z.number(),
        finishedInOneCall: z.boolean(),
        callsToFinish: z.number(),
        budgetMs: z.number(),
        status: z.string(),
      }),
    })
    .optional(),
  /** Absent in results written before the bundle was measured. */
  forgeBundle: z.object({ bytes: z.number(), gzipBytes: z.number(), coldRequireMs: z.number() }).optional(),
  /** Absent in results written before the Custom UI bundles were measured. */
  uiBundles: z
    .array(
      z.object({
        app: z.string(),
        gzipBytes: z.number(),
        initialGzipBytes: z.number(),
        initialBudgetGzipBytes: z.number().nullable(),
      }),
    )
    .optional(),
});

export const propertiesSchema = z.object({
  measuredAt: z.string(),
  /** The fresh seeds `npm run trust` ran (the first with the whole suite); absent in older files. */
  seedsTried: z.array(z.number()).optional(),
  properties: z.array(
    z.object({
      file: z.string(),
      name: z.string(),
      cases: z.number(),
      outcomes: z.record(z.string(), z.number()),
    }),
  ),
});

export const secretScanSchema = z.object({
  measuredAt: z.string(),
  files: z.number(),
  tests: z.number(),
  leaks: z.number(),
  totals: z.record(z.string(), z.number()),
});

function read<T>(file: string, schema: z.ZodType<T>): T | undefined {
  const full = path.join(benchDir, file);
  if (!existsSync(full)) return undefined;
  return schema.parse(JSON.parse(readFileSync(full, 'utf8')));
}

const n = (value: number) => value.toLocaleString('en-US');
const verdict = (value: number, goal: number) => (value <= goal ? `${n(value)} ✅` : `${n(value)} ❌`);
const day = (iso: string) => iso.slice(0, 10);

function chaosSection(chaos: z.infer<typeof chaosSchema> | undefined): string[] {
  if (!chaos) return ['## Fault tolerance', '', 'Not measured yet: run `npm run chaos`.', ''];
  const f = chaos.figures;
  const share = (service: 'jira' | 'xray' | 'sqai') =>
    `${n(f.failedRequestsUnderFaults[service])} of ${n(f.requestsUnderFaults[service])} (${Math.round(
      (100 * f.failedRequestsUnderFaults[service]) / Math.max(1, f.requestsUnderFaults[service]),
    )} %)`;
  return [
    '## Fault tolerance (`npm run chaos`)',
    '',
    `Measured ${day(chaos.measuredAt)}. The seeded DEMO project and a generated project (${n(f.requirements)} requirements`,
    'in all, 3 tests each) are configured; then Jira, Xray and SQAI fail ' +
      `${Math.round(f.faultRate * 100)} % of requests (8 % HTTP 503, 5 % 429, 3 % dropped connections, 2 % answers lost after the`,
    `service did the work, 2 % requests that never answer until the 8-second timeout) through the first-configuration backfills and ${f.faultyRuns} hourly runs, with`,
    'requirements and their tests edited before each run and a generation created from the issue panel meanwhile.' +
      (f.searchLagSeconds
        ? ` Jira's search shows every write ${n(f.searchLagSeconds)} s late throughout (it is eventually consistent).`
        : ''),
    'Then the faults stop and hourly runs continue until one pushes nothing and no retry is pending. A final',
    'backfill with no faults checks that SQAI holds the current content of every requirement.',
    '',
    '| Figure | Value | Goal |',
    '|---|---|---|',
    `| Requirements (all new to SQAI when the faults start) | ${n(f.requirements)} | |`,
    `| Requirements edited while the faults lasted | ${n(f.requirementsEditedUnderFaults)} | |`,
    `| Requirements SQAI holds | ${n(f.deliveredToSqai)} | ${n(f.requirements)} |`,
    `| **Delivered twice with the same content hash** | ${verdict(f.deliveredTwiceSameHash, 0)} | 0 |`,
    `| **Lost** (SQAI does not hold the current content) | ${verdict(f.lost, 0)} | 0 |`,
    `| Pushed by the verification backfill (would be lost otherwise) | ${verdict(f.pushedByVerificationBackfill, 0)} | 0 |`,
    `| Same content sent again after a lost answer, stored once by SQAI | ${n(f.repeatedSendsAbsorbedByIdempotency)} | |`,
    `| Generated tests proposed / created | ${n(f.generatedTestsProposed)} / ${n(f.generatedTestsCreated)} | equal |`,
    `| **Generated tests created twice** | ${verdict(f.generatedTestsCreatedTwice, 0)} | 0 |`,
    `| Creation finished while the faults lasted | ${f.creationFinishedUnderFaults ? 'yes' : `no (${f.creationStatusAfterHealing} after healing)`} | |`,
    `| Panel actions that failed and were pressed again | ${n(f.resolverCallsFailedUnderFaults)} | |`,
    `| Failed requests (each retried): Jira | ${share('jira')} | |`,
    `| Failed requests (each retried): Xray | ${share('xray')} | |`,
    `| Failed requests (each retried): SQAI | ${share('sqai')} | |`,
    `| Sync invocations that failed and were retried a minute later | ${n(f.syncRunRetries)} | |`,
    `| Backfills given up and resumed by the hourly trigger | ${n(f.backfillsResumed)} | |`,
    `| Queue events that failed outright | ${verdict(f.queueFailures, 0)} | 0 |`,
    `| Hourly runs to converge after healing | ${n(f.hourlyRunsToConvergeAfterHealing)} (${n(f.secondsToConvergeAfterHealing)} s of wall time) | 1 (earlier runs measured 2, with the search lag on and the creation finishing after healing) |`,
    `| Wall time under faults (timeouts are real 8 s waits) | ${n(f.secondsUnderFaults)} s | |`,
    '',
    '"Lost" compares, for every requirement, the content hash the app recorded with the hash SQAI holds;',
    'the verification backfill then recomputes every document from Jira and Xray, so a change the app',
    'never noticed would be pushed there and counted.',
    '',
  ];
}

function livingSection(chaos: z.infer<typeof chaosSchema> | undefined): string[] {
  const l = chaos?.figures.living;
  if (!chaos || !l) return [];
  const share = (service: 'jira' | 'xray' | 'sqai') =>
    `${n(l.failedRequestsOfApply[service])} of ${n(l.requestsOfApply[service])}`;
  return [
    '## Living tests under faults (`npm run chaos`)',
    '',
    `Measured ${day(chaos.measuredAt)}, in a world of its own (issue 19, "Must hold"). ${n(l.requirements)} requirements, each with`,
    `three acceptance criteria and two or three covering tests (${n(l.tests)} in all: Manual with 3–12 steps, Cucumber, Generic)`,
    'mapped to them in the Criteria view, have one criterion reworded (e.g. "within 30 days" → "within 14 days") and are sent',
    'again; "Propose updates" asks SQAI for each. Then a person edits one proposed test of',
    `${n(l.personEdited)} requirements in Xray, a reviewer edits ${n(l.reviewerEdited)} proposals (steps added and removed), and every`,
    `accepted update is applied while Jira, Xray and SQAI fail ${Math.round(l.faultRate * 100)} % of requests (the same mix as above, lost answers included),`,
    'the panel pressing "Apply" again after each failed call and while the answer says it is still running. The',
    'faults then stop and the panel presses again until every decision is final.',
    '',
    "Asserted against what the Xray simulator holds, not the app's records: each test equals, row by row, the",
    "accepted content (applied), the person's edit (conflict), or its content before (everything else). A row of",
    'the accepted content that Xray holds more often than the content has it is a step added twice; a test equal',
    "to none of its content before, the accepted content or the person's edit is half-updated.",
    '',
    '| Figure | Value | Goal |',
    '|---|---|---|',
    `| Tests flagged possibly stale / proposals (update, still valid, obsolete) | ${n(l.staleTestsFlagged)} / ${n(l.proposals.update)}, ${n(l.proposals.valid)}, ${n(l.proposals.obsolete)} | |`,
    `| Updates applied / conflicts (a person's edit) / confirmed | ${n(l.applied)} / ${n(l.conflicts)} / ${n(l.confirmed)} | conflicts = ${n(l.personEdited)} |`,
    `| **Steps added twice** | ${verdict(l.stepsAddedTwice, 0)} | 0 |`,
    `| **Person-made edits overwritten** | ${verdict(l.personEditsOverwritten, 0)} | 0 |`,
    `| **Tests left half-updated** | ${verdict(l.halfUpdated, 0)} | 0 |`,
    `| Tests not as decided (any other difference) | ${verdict(l.notAsDecided, 0)} | 0 |`,
    `| Decisions not final after healing | ${verdict(l.notFinal, 0)} | 0 |`,
    `| Requirements with every update applied that still show a stale test | ${verdict(l.stillStaleAfterApply, 0)} | 0 |`,
    `| Decisions final while the faults lasted | ${n(l.decisionsFinalUnderFaults)} of ${n(l.applied + l.conflicts + l.confirmed)} | |`,
    `| Panel calls (Apply presses and reloads) / failed under faults | ${n(l.resolverCalls)} / ${n(l.resolverCallsFailedUnderFaults)} | |`,
    `| Failed requests of the apply (each retried): Jira | ${share('jira')} | |`,
    `| Failed requests of the apply (each retried): Xray | ${share('xray')} | |`,
    ...(l.lostAnswersOfApply
      ? [
          `| Answers lost after the work was done: Jira / Xray / SQAI | ${n(l.lostAnswersOfApply.jira)} / ${n(l.lostAnswersOfApply.xray)} / ${n(l.lostAnswersOfApply.sqai)} | |`,
          `| Xray writes that took effect with their answer lost (re-read and reconciled, never resent) | ${n(l.xrayWritesWithLostAnswers ?? 0)} | |`,
        ]
      : []),
    `| Xray requests per applied test | ${l.xrayRequestsPerAppliedTest} | |`,
    `| Wall time under faults / after healing | ${n(l.secondsUnderFaults)} s / ${n(l.secondsAfterHealing)} s | |`,
    '',
  ];
}

function livingBench(l: NonNullable<z.infer<typeof benchSchema>['living']>): string[] {
  const g = l.large;
  return [
    `- Living tests, DEMO-2 with one criterion reworded (${l.latencyMs} ms latency): "Propose updates" costs ${l.propose.jira} Jira, ${l.propose.xray} Xray and`,
    `  ${l.propose.sqai} SQAI requests (the start and ${l.propose.polls} polls until SQAI answered); applying its one update ${l.apply.jira} Jira, ${l.apply.xray} Xray and ${l.apply.sqai} SQAI.`,
    `- A ${g.steps}-step Manual test whose accepted update changes ${g.changedRows} rows, removes ${g.removedRows} and adds ${g.addedRows} (${g.steps + g.addedRows - g.removedRows} steps after it,`,
    `  the contract's cap per test in update mode; ${g.rowsWritten} rows written, by position): applied in ${n(g.wallMs)} ms with ${g.xrayRequests} Xray requests,`,
    g.finishedInOneCall
      ? `  within one call (the resolver's budget is ${n(g.budgetMs)} ms).`
      : `  in ${g.callsToFinish} calls (it moved on with its progress; the resolver's budget is ${n(g.budgetMs)} ms).`,
  ];
}

function panelSend(p: z.infer<typeof panelCase>): string[] {
  const on = p.issueKey ? ` on ${p.issueKey}` : '';
  const pages = p.roundTrips.confluence ? `, ${p.roundTrips.confluence} Confluence` : '';
  const floor = p.floorMs
    ? ` (p50 is ${p.ratio} × the goal floor of ${p.floorMs} ms)`
    : ` (p50 is ${p.ratio} × the latency floor)`;
  const chain =
    p.dependencyRoundTrips && p.dependencyChain
      ? [
          `  It waits for ${p.dependencyRoundTrips} sequential round trips (${p.dependencyChain.join(' → ')}); p50 is ${p.ratioToDependencyChain ?? '?'} × those.`,
        ]
      : [];
  const first =
    p.firstSendMs !== undefined && p.firstSendDependencyRoundTrips !== undefined
      ? [
          `  The first send after a change (criterion state kept alongside the push) takes ${p.firstSendMs} ms: ${p.firstSendDependencyRoundTrips} sequential round trips.`,
        ]
      : [];
  return [
    `- Issue panel send${on}: ${p.roundTrips.jira} Jira, ${p.roundTrips.xray} Xray${pages} and ${p.roundTrips.sqai} SQAI round trips;`,
    `  p50 ${p.p50Ms} ms, p95 ${p.p95Ms} ms${floor}.`,
    ...chain,
    ...first,
  ];
}

function benchSection(bench: z.infer<typeof benchSchema> | undefined): string[] {
  if (!bench) return ['## Performance', '', 'Not measured yet: run `npm run bench`.', ''];
  const p = bench.panel;
  return [
    '## Performance (`npm run bench`)',
    '',
    `Measured ${day(bench.measuredAt)}, ${p.latencyMs} ms simulated latency per upstream request.`,
    '',
    ...panelSend(p),
    ...(p.withConfluence ? panelSend(p.withConfluence) : []),
    `  An unchanged re-send costs ${p.unchangedResyncSqaiRequests} SQAI requests.`,
    ...(bench.living ? livingBench(bench.living) : []),
    ...(bench.forgeBundle
      ? [
          `- Backend bundle (Atlassian's Forge bundler, as \`forge deploy\` builds it): ${n(bench.forgeBundle.bytes)} bytes,`,
          `  ${n(bench.forgeBundle.gzipBytes)} gzipped; cold \`require\` in a fresh \`node\`: ${bench.forgeBundle.coldRequireMs} ms (median of 5).`,
        ]
      : []),
    ...(bench.uiBundles ?? []).map((ui) => {
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      const budget =
        ui.initialBudgetGzipBytes === null
          ? ''
          : ui.initialGzipBytes <= ui.initialBudgetGzipBytes
            ? ` (budget ${kb(ui.initialBudgetGzipBytes)}: within)`
            : ` (budget ${kb(ui.initialBudgetGzipBytes)}: **over**)`;
      return `- Custom UI \`${ui.app}\` (Forge build): initial load ${kb(ui.initialGzipBytes)} gzipped${budget}; everything ${kb(ui.gzipBytes)} gzipped.`;
    }),
    '',
    '| Scenario | Requirements | per Xray request | per SQAI request | Jira / Xray / SQAI requests | Simulated time | Share of Xray budget | 429s | Live heap growth |',
    '|---|---|---|---|---|---|---|---|---|',
    ...bench.sync.map(
      (s) =>
        `| ${s.scenario} | ${n(s.requirements)} | ${s.requirementsPerXrayRequest} | ${s.requirementsPerSqaiRequest} | ${n(s.jiraRequests)} / ${n(s.xrayRequests)} / ${n(s.sqaiRequests)} | ${s.simulatedSeconds} s | ${s.xrayRateShareOfBudget} | ${s.status429} | ${s.liveHeapGrowthMb} MB |`,
    ),
    '',
  ];
}

function jiraPointsSection(bench: z.infer<typeof benchSchema> | undefined): string[] {
  const rows = bench?.jiraPoints;
  if (!rows) return [];
  const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;
  return [
    '## Jira points (`npm run bench`)',
    '',
    "With the Jira simulator enforcing Jira's rate limits for apps (65,000 points per hour, burst per endpoint and",
    'method, per-issue writes; docs/jira-fidelity.md J7–J10) and the app pacing itself (`src/clients/jira-pacing.ts`).',
    "The simulator charges reads sent as POST (JQL search, bulk fetch) per issue, the dearer reading of Atlassian's",
    'page ("additional points … for each object involved" / "Write requests are charged only the base cost"); the',
    'column "if POST reads cost 1" gives the other.',
    '',
    '| Scenario | Jira requests | Points | Points per requirement | Points if POST reads cost 1 | Simulated time | Share of the 65,000 / h Tier 1 pool | Jira 429s |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${n(row.jiraRequests)} | ${n(row.points)} | ${row.requirements > 0 ? row.pointsPerRequirement : '—'} | ${n(row.pointsIfPostReadsCostBase)} | ${row.simulatedMinutes} min | ${percent(row.shareOfGlobalPool)} | ${row.status429} |`,
    ),
    '',
    'Where the points go:',
    '',
    ...rows.map(
      (row) =>
        `- ${row.scenario}: ${Object.entries(row.byOperation)
          .map(
            ([operation, { requests, points }]) =>
              `${operation} ${n(requests)} requests / ${n(points)} points`,
          )
          .join('; ')}`,
    ),
    '',
    'A site whose runs meet the hourly quota is not failed: the run pauses until the reset and resumes by itself',
    '(`test/unit/sync/sync-rate-limits.test.ts`). Jira has no bulk read of remote links, so those stay one request',
    'per requirement.',
    '',
  ];
}

function propertiesSection(
  properties: z.infer<typeof propertiesSchema> | undefined,
  scan: z.infer<typeof secretScanSchema> | undefined,
): string[] {
  const lines = ['## Bad input (`npm run trust`)', ''];
  if (!properties) return [...lines, 'Not measured yet: run `npm run trust`.', ''];
  const total = properties.properties.reduce((sum, property) => sum + property.cases, 0);
  lines.push(
    `Measured ${day(properties.measuredAt)}: ${n(properties.properties.length)} fast-check properties, ${n(total)} generated cases.`,
    'Every case ends in a valid result or a typed error — never an unhandled exception, never INTERNAL,',
    'never a partial write. These properties run in every `npm test` too, with one fixed, printed seed;',
    `\`npm run trust\` explores fresh ones${properties.seedsTried ? ` (last run: ${n(properties.seedsTried.length)} seeds, ${properties.seedsTried.join(', ')}, all passed)` : ''}.`,
    '',
    '| Property | Cases | Outcomes |',
    '|---|---|---|',
    ...properties.properties.map((property) => {
      const outcomes = Object.entries(property.outcomes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([outcome, count]) => `${outcome} ${n(count)}`)
        .join(', ');
      return `| ${property.name} (\`${property.file}\`) | ${n(property.cases)} | ${outcomes || '—'} |`;
    }),
    '',
  );
  if (scan) {
    const totals = Object.entries(scan.totals)
      .map(([kind, count]) => `${n(count)} ${kind}`)
      .join(', ');
    lines.push(
      '## Secrets (suite-wide scan)',
      '',
      `Measured ${day(scan.measuredAt)}: after each of ${n(scan.tests)} tests in ${n(scan.files)} test files, everything the test's`,
      `worlds produced was searched for every configured secret, rotated delivery secret and issued Xray token`,
      `(raw, JSON-escaped, URL-encoded, base64): ${totals}. Leaks found: ${n(scan.leaks)} (a leak fails the test).`,
      '',
    );
  }
  return lines;
}

export function renderReliabilityReport(): string {
  const chaos = read('chaos.json', chaosSchema);
  const bench = read('results.json', benchSchema);
  const properties = read('properties.json', propertiesSchema);
  const scan = read('secret-scan.json', secretScanSchema);
  return [
    '# Reliability: figures',
    '',
    '<!-- Generated by bench/report.ts from bench/*.json. Do not edit: run the commands below. -->',
    '',
    'How SQAI Connector for Xray behaves when Jira, Xray or SQAI fail, how it takes bad input, and what',
    'it costs — measured against the embedded simulators. Regenerate with `npm run chaos`, `npm run bench`',
    'and `npm run trust` (each rewrites its own figures and this page), or `npm run report` to',
    're-render. The threat model and the security controls are in [security.md](security.md).',
    '',
    ...chaosSection(chaos),
    ...livingSection(chaos),
    ...propertiesSection(properties, scan),
    ...benchSection(bench),
    ...jiraPointsSection(bench),
  ].join('\n');
}

/** Writes the report, formatted as `npm run lint` expects (Prettier with the project's settings). */
export async function writeReliabilityReport(): Promise<void> {
  const options = (await prettier.resolveConfig(REPORT_FILE)) ?? {};
  const text = await prettier.format(renderReliabilityReport(), { ...options, filepath: REPORT_FILE });
  writeFileSync(REPORT_FILE, text);
  console.log(`Wrote ${path.relative(process.cwd(), REPORT_FILE)}`);
}

if (require.main === module) {
  writeReliabilityReport().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
