/**
 * `npm run bench`: the performance figures the issues name, measured against the playground's
 * simulators with simulated latency. Prints tables and writes bench/results.json.
 *   npm run bench               everything (≈ 4 minutes)
 *   npm run bench -- --quick    without the 10,000-requirement backfill
 * The Forge bundle figures alone: npm run bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchJiraPoints, printJiraPoints } from './jira-points';
import { benchLiving, printLiving } from './living';
import { benchPanelSync, type PanelCaseFigures } from './panel-sync';
import { benchRedaction, printRedaction } from './redaction';
import { benchCriteriaSync, benchProjectView, printCriteriaFigures } from './project-criteria';
import { benchBackfill, benchIncremental, type SyncFigures } from './sync';
import { writeReliabilityReport } from './report';
import { INITIAL_LOAD_BUDGET_GZIP_BYTES, type SizeSummary } from '../scripts/ui-build-config';
import { measureBackendBundle } from '../scripts/forge-bundle';
import { measureResolversOnLargeProject } from '../test/harness/scenarios/large-project-resolvers';

function syncTable(rows: SyncFigures[]): void {
  console.table(
    Object.fromEntries(
      rows.map((row) => [
        row.scenario,
        {
          'Xray req': row.xrayRequests,
          'req/Xray (≥ 20)': row.requirementsPerXrayRequest,
          'SQAI req': row.sqaiRequests,
          'req/SQAI (≥ 25)': row.requirementsPerSqaiRequest,
          'Jira req': row.jiraRequests,
          'sim. s': row.simulatedSeconds,
          'Xray share of budget': row.xrayRateShareOfBudget,
          '429s (0)': row.status429,
          pushed: row.pushed,
          'peak RSS MB': row.peakRssMb,
          'live heap Δ MB': row.liveHeapGrowthMb,
        },
      ]),
    ),
  );
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const panel = await benchPanelSync();
  console.log(
    '\nIssue panel "Send to SQAI" (cached Xray token, %d ms latency per request, %d sends each)',
    panel.latencyMs,
    panel.runs,
  );
  const panelRows = (figures: PanelCaseFigures) => ({
    'round trips — Jira (goal ≤ 2)': figures.roundTrips.jira,
    'round trips — Xray (goal 1)': figures.roundTrips.xray,
    'round trips — SQAI (goal 1)': figures.roundTrips.sqai,
    'round trips — Confluence (one per linked page)': figures.roundTrips.confluence,
    'p50 wall time (ms)': figures.p50Ms,
    'p95 wall time (ms)': figures.p95Ms,
    'goal floor (ms)': `${figures.floorMs} (${figures.goalFloorRoundTrips} sequential round trips)`,
    'p50 / goal floor (goal ≤ 1.3)': figures.ratio,
    'sequential round trips waited for': `${figures.dependencyRoundTrips}: ${figures.dependencyChain.join(' → ')}`,
    'p50 / those round trips': figures.ratioToDependencyChain,
    'first send after a change: wall time (ms) / round trips waited for': `${figures.firstSendMs} / ${figures.firstSendDependencyRoundTrips}: ${figures.firstSendChain.join(' → ')}`,
  });
  console.table({
    [`${panel.issueKey} (no linked pages)`]: panelRows(panel),
    [`${panel.withConfluence.issueKey} (${panel.withConfluence.roundTrips.confluence} linked Confluence pages)`]:
      panelRows(panel.withConfluence),
  });
  console.log('SQAI requests for an unchanged re-sync (goal 0): %d', panel.unchangedResyncSqaiRequests);

  console.log(
    '\nScheduled sync and backfill (50 ms latency, Xray Standard budget enforced, time warped while waiting for it)',
  );
  const incremental = await benchIncremental(1_000);
  const backfills = [await benchBackfill(1_000)];
  if (!quick) backfills.push(await benchBackfill(4_000), await benchBackfill(10_000));
  syncTable([...incremental, ...backfills]);
  for (let i = 1; i < backfills.length; i += 1) {
    const [small, large] = [backfills[i - 1], backfills[i]];
    if (!small || !large) continue;
    console.log(
      'Growth %s → %s requirements (×%s): simulated time ×%s, simulated ms per requirement %s → %s, live heap growth %s MB → %s MB',
      small.requirements,
      large.requirements,
      (large.requirements / small.requirements).toFixed(1),
      (large.simulatedSeconds / small.simulatedSeconds).toFixed(1),
      Math.round((small.simulatedSeconds * 1000) / small.requirements),
      Math.round((large.simulatedSeconds * 1000) / large.requirements),
      small.liveHeapGrowthMb,
      large.liveHeapGrowthMb,
    );
  }
  console.log(
    'Below the Xray burst (~27 requests) a run is I/O-bound; above it the Standard budget (270 of 300 requests / 5 min for the app) sets the pace, linearly.',
  );
  const jiraPoints = await benchJiraPoints(quick);
  printJiraPoints(jiraPoints);

  console.log(
    '\nResolvers on a 10,000-requirement project (50 ms per upstream request, 10 ms per storage call; Forge: 25 s, ≤ 4,000 storage writes / min)',
  );
  const resolvers = await measureResolversOnLargeProject({
    requirements: 10_000,
    upstreamLatencyMs: 50,
    storageLatencyMs: 10,
  });
  console.table(
    Object.fromEntries(
      resolvers.map((call) => [
        call.resolver,
        {
          ok: call.ok,
          'wall ms (< 25,000)': call.ms,
          'storage reads': call.storageReads,
          'storage writes': call.storageWrites,
          'upstream requests': call.upstreamRequests,
          'answer bytes (< 5 MB)': call.answerBytes,
        },
      ]),
    ),
  );

  const criteriaRequirements = quick ? 1_000 : 10_000;
  const criteria = {
    sync: await benchCriteriaSync(500),
    view: await benchProjectView(criteriaRequirements),
  };
  printCriteriaFigures(criteria.sync, criteria.view, criteriaRequirements);

  const living = await benchLiving();
  printLiving(living);
  const redaction = benchRedaction();
  printRedaction(redaction);

  console.log("\nForge bundle (src/ bundled by Atlassian's bundler, as forge deploy builds it)");
  const forgeBundle = await measureBackendBundle(5);
  console.table({
    'bundle (bytes)': forgeBundle.bytes,
    'bundle gzipped (bytes)': forgeBundle.gzipBytes,
    'cold require in a fresh node, median of 5 (ms)': forgeBundle.coldRequireMs,
    'bundling time (s)': forgeBundle.bundleSeconds,
    'webpack warnings': forgeBundle.warnings,
  });
  console.log('\nCustom UI bundles (the Forge build, as forge deploy uploads it)');
  const built = buildForgeUi();
  const uiBundles = Object.entries(built).map(([app, sizes]) => ({
    app,
    gzipBytes: sizes.forge?.gzipBytes ?? 0,
    initialGzipBytes: sizes.forge?.entryGzipBytes ?? 0,
    initialBudgetGzipBytes: INITIAL_LOAD_BUDGET_GZIP_BYTES[app] ?? null,
  }));
  console.table(uiBundles);
  const file = path.join(__dirname, 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), panel, sync: [...incremental, ...backfills], jiraPoints, resolvers, criteria, living, redaction, forgeBundle, uiBundles }, null, 2)}\n`,
  );
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
  await writeReliabilityReport();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** The Forge build of the Custom UIs, by the ES module build script (as `npm run build:ui` runs it). */
function buildForgeUi(): Record<string, { forge?: SizeSummary }> {
  const sizesFile = path.join(mkdtempSync(path.join(tmpdir(), 'sqai-ui-')), 'sizes.json');
  const script = path.join(__dirname, '..', 'scripts', 'build-ui.mts');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--forge-only', '--sizes-json', sizesFile],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) throw new Error('The Custom UI build failed; see above.');
  return JSON.parse(readFileSync(sizesFile, 'utf8')) as Record<string, { forge?: SizeSummary }>;
}
