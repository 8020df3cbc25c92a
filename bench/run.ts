/**
 * `npm run bench`: the performance figures the issues name, measured against the playground's
 * simulators with simulated latency. Prints a table and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchPanelSync } from './panel-sync';

async function main(): Promise<void> {
  const panel = await benchPanelSync();
  console.log(
    '\nIssue panel "Send to SQAI" (cached Xray token, %d ms latency per request, %d syncs)',
    panel.latencyMs,
    panel.runs,
  );
  console.table({
    'round trips — Jira (goal ≤ 2)': panel.roundTrips.jira,
    'round trips — Xray (goal 1)': panel.roundTrips.xray,
    'round trips — SQAI (goal 1)': panel.roundTrips.sqai,
    'p50 wall time (ms)': panel.p50Ms,
    'p95 wall time (ms)': panel.p95Ms,
    'floor: 2 sequential round trips (ms)': panel.floorMs,
    'p50 / floor (goal ≤ 1.3)': panel.ratio,
    'SQAI requests for an unchanged re-sync (goal 0)': panel.unchangedResyncSqaiRequests,
  });
  const file = path.join(__dirname, 'results.json');
  writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), panel }, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
