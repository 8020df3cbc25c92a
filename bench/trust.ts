/**
 * `npm run trust`: explores fresh fast-check seeds, then writes the figures.
 *
 * Round 1 runs the whole unit suite with a fresh seed, the property report and the secret-scan
 * report on; each further round runs only the test files with properties, with another fresh seed
 * (TRUST_ROUNDS rounds in all, default 4; TRUST_SEEDS=a,b,c runs exactly those seeds instead). A
 * round that fails prints its seed and, for each failing property, fast-check's seed and path, with
 * the command that replays it: such a counterexample becomes a named regression case in the unit
 * suite. `npm test` itself always runs the fixed seed of test/harness/property-seed.ts.
 *
 * Writes bench/properties.json (with the seeds tried), bench/secret-scan.json and
 * docs/reliability.md when every round passed.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { propertiesSchema, secretScanSchema, writeReliabilityReport } from './report';
import { counterexamplesIn, failingTestsIn, propertyTestFiles, type Counterexample } from './trust-output';

const root = path.resolve(__dirname, '..');

function jsonLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line): unknown => JSON.parse(line));
}

/** One line per test file, written by test/setup/secret-scan.ts. */
const scanLineSchema = z.object({
  file: z.string(),
  tests: z.number(),
  responses: z.number(),
  logLines: z.number(),
  sqaiRequests: z.number(),
  sqaiDocuments: z.number(),
  jiraRequests: z.number(),
  xrayRequests: z.number(),
  confluenceRequests: z.number(),
  leaks: z.number(),
});
type ScanLine = z.infer<typeof scanLineSchema>;
type Counted = Exclude<keyof ScanLine, 'file'>;

const SCANNED: Record<string, Counted> = {
  'handler answers': 'responses',
  'log lines': 'logLines',
  'requests to SQAI': 'sqaiRequests',
  'context documents': 'sqaiDocuments',
  'requests to Jira': 'jiraRequests',
  'requests to Xray': 'xrayRequests',
  'requests to Confluence': 'confluenceRequests',
};

function freshSeeds(): number[] {
  const listed = process.env.TRUST_SEEDS?.trim();
  if (listed) return listed.split(',').map((seed) => Number.parseInt(seed.trim(), 10) | 0);
  const rounds = Math.max(1, Number.parseInt(process.env.TRUST_ROUNDS ?? '4', 10) || 4);
  return Array.from({ length: rounds }, () => randomInt(1, 2 ** 31 - 1));
}

interface Round {
  seed: number;
  files: 'all' | number;
  passed: boolean;
  seconds: number;
  failing: string[];
  counterexamples: Counterexample[];
}

/** Runs jest with `seed`, its output shown as it comes and its last 4 MB kept for the summary. */
function runJest(
  seed: number,
  files: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['jest', '-c', 'jest.config.cjs', '--ci', ...files], {
      cwd: root,
      env: { ...process.env, ...env, FC_SEED: String(seed), FC_CASES: 'full' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      sink.write(chunk);
      output = (output + chunk.toString('utf8')).slice(-4_000_000);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqai-trust-'));
  const propertyFile = path.join(dir, 'properties.jsonl');
  const scanFile = path.join(dir, 'secret-scan.jsonl');
  const seeds = freshSeeds();
  const propertyFiles = propertyTestFiles().map((file) => path.relative(root, file));
  const rounds: Round[] = [];
  // The whole suite checks the manifest against the built Custom UIs: build them first (a fresh
  // clone or worktree has none, and that is not what a fresh seed should find).
  const built = await new Promise<number>((resolve) => {
    const child = spawn('npm', ['run', 'build:ui', '--', '--forge-only'], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
  if (built !== 0) {
    console.error('The Custom UI build failed: no seed tried.');
    return 1;
  }
  for (const [index, seed] of seeds.entries()) {
    const first = index === 0;
    console.log(
      `\n== trust round ${index + 1}/${seeds.length}: seed ${seed}, ${first ? 'the whole unit suite' : `${propertyFiles.length} property files`}`,
    );
    const started = Date.now();
    const { code, output } = await runJest(
      seed,
      first ? [] : propertyFiles,
      first ? { PROPERTY_REPORT: propertyFile, SECRET_SCAN_REPORT: scanFile } : {},
    );
    rounds.push({
      seed,
      files: first ? 'all' : propertyFiles.length,
      passed: code === 0,
      seconds: Math.round((Date.now() - started) / 1000),
      failing: code === 0 ? [] : failingTestsIn(output),
      counterexamples: code === 0 ? [] : counterexamplesIn(output),
    });
  }

  console.log(`\n== trust: ${seeds.length} fresh seed(s) tried`);
  for (const round of rounds) {
    console.log(
      `  seed ${round.seed} (${round.files === 'all' ? 'whole unit suite' : `${round.files} property files`}, ${round.seconds} s): ${round.passed ? 'passed' : 'FAILED'}`,
    );
    for (const name of round.failing) console.log(`    failing: ${name}`);
    for (const example of round.counterexamples)
      console.log(
        `    counterexample: seed ${example.seed}, path ${example.path} — replay: FC_SEED=${example.seed} FC_PATH=${example.path} npx jest <file> -t '<property>'`,
      );
    if (!round.passed && round.counterexamples.length === 0)
      console.log(
        `    no counterexample printed (a crash?) — replay the round: FC_SEED=${round.seed} npx jest`,
      );
  }
  if (rounds.some((round) => !round.passed)) {
    console.error(
      '\nA fresh seed found a failure: make it a named regression case in the unit suite. No figures written.',
    );
    return 1;
  }

  const measuredAt = new Date().toISOString();
  const properties = propertiesSchema.parse({
    measuredAt,
    seedsTried: rounds.map((round) => round.seed),
    properties: jsonLines(propertyFile).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  });
  const scans = jsonLines(scanFile).map((line) => scanLineSchema.parse(line));
  const sum = (field: Counted) => scans.reduce((total, scan) => total + scan[field], 0);
  const totals = Object.fromEntries(Object.entries(SCANNED).map(([label, field]) => [label, sum(field)]));
  const secretScan = secretScanSchema.parse({
    measuredAt,
    files: new Set(scans.map((scan) => scan.file)).size,
    tests: sum('tests'),
    leaks: sum('leaks'),
    totals,
  });
  writeFileSync(path.join(__dirname, 'properties.json'), `${JSON.stringify(properties, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'secret-scan.json'), `${JSON.stringify(secretScan, null, 2)}\n`);
  await writeReliabilityReport();
  return 0;
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
