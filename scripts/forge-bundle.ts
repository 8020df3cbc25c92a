/**
 * `npm run bundle [outDir]`: the backend bundle `forge deploy` builds, made by Atlassian's own bundler
 * (`@forge/bundler`, installed apart in tools/forge-bundler), with its size and the time a fresh
 * `node` takes to `require` it. `bundleBackend()` is what test/unit/build/forge-bundle.test.ts and
 * `npm run bench` use.
 *
 * The bundler runs as the Forge CLI (13.x, deploy/packager/runtime-bundler.js) runs it: the handlers
 * come from manifest.yml through `@forge/cli-shared`'s `ConfigFile.getAppHandlers()`, the entry
 * points from `getEntryPoints()` (`index.<export>` → src/index), and `getNodeBundler(...).bundle()`
 * with `appDirectory` the current directory builds its own webpack configuration
 * (`getCommonWebpackConfig` plus what its NodeBundler adds: target node18, `[name].cjs`) and compiles
 * src/ with ts-loader and the app's tsconfig.json. Nothing of that configuration is copied here. Two
 * things differ from `forge deploy`, neither in the bundle: the Forge runtime's loader and wrapper
 * scripts, which the CLI downloads from Atlassian's CDN and zips beside the bundle, are stubs; and
 * the bundle is copied from the bundler's temporary directory to `outDir`.
 *
 * `@forge/cli-shared` depends on `keytar` (a native module for the CLI's credential store), whose
 * build cannot download its binary here, so tools/forge-bundler is installed with scripts ignored
 * and keytar is never built. Nothing on this path loads it: cli-shared requires it lazily, only when
 * the CLI stores a token (auth/personal/credential-store.js, in a try/catch).
 *
 * The bundler runs in a child process: it resolves src/ and manifest.yml against the working
 * directory (the CLI's app directory), its webpack and TypeScript program take ~700 MB that a jest
 * worker should not keep, and jest's module sandbox would load its ~500 modules slowly.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const APP_DIR = path.resolve(__dirname, '..');
export const BUNDLER_DIR = path.join(APP_DIR, 'tools/forge-bundler');
const CHILD_FLAG = '--bundle-in-this-process';
const RESULT_MARK = 'forge-bundle-result:';

export interface BackendBundle {
  /** The bundle of the manifest's handler module (`index.<export>` → index.cjs). */
  file: string;
  bytes: number;
  /** Webpack's warnings (the bundler fails on any webpack error). */
  warnings: string[];
}

/** The parts of @forge/bundler 7.3.0 and @forge/cli-shared 9.8.0 used here (their own typings are in tools/). */
interface Handler {
  module: string;
  func: string;
}
interface EntryPoint {
  name: string;
  path: string;
}
interface Logger {
  traceEnabled: boolean;
  debugEnabled: boolean;
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(error: Error): void;
}
interface RuntimeScript {
  script: string;
  source: string;
  version: string;
}
interface WrapperProvider {
  getNodeRuntimeWrapper(): Promise<RuntimeScript>;
  getNodeRuntimeLoader(): Promise<RuntimeScript>;
}
interface ConfigFile {
  getAppHandlers(): Promise<Handler[]>;
}
interface ForgeBundler {
  getEntryPoints(handlers: Handler[]): EntryPoint[];
  getNodeBundler(
    logger: Logger,
    wrapperProvider: WrapperProvider,
    configReader: ConfigFile,
  ): {
    bundle(args: { appDirectory: string; entryPoints: EntryPoint[] }): Promise<{ outputDir: string }>;
  };
}
interface CliShared {
  ConfigFile: new (reader: unknown, writer: unknown) => ConfigFile;
  FileSystemReader: new () => unknown;
  FileSystemWriter: new () => unknown;
}

function loadBundler(): { bundler: ForgeBundler; shared: CliShared } {
  const manifest = path.join(BUNDLER_DIR, 'node_modules/@forge/bundler/package.json');
  if (!existsSync(manifest))
    throw new Error(
      "Atlassian's Forge bundler is not installed: run `npm ci --prefix tools/forge-bundler --ignore-scripts` " +
        '(the root `npm install` / `npm ci` does it in postinstall)',
    );
  const requireTool = createRequire(path.join(BUNDLER_DIR, 'package.json'));
  return {
    bundler: requireTool('@forge/bundler') as ForgeBundler,
    shared: requireTool('@forge/cli-shared') as CliShared,
  };
}

/** The child's work: `forge deploy`'s backend bundling, its output copied to `outDir`. */
async function bundleInThisProcess(outDir: string): Promise<BackendBundle> {
  const { bundler, shared } = loadBundler();
  const configFile = new shared.ConfigFile(new shared.FileSystemReader(), new shared.FileSystemWriter());
  const entryPoints = bundler.getEntryPoints(await configFile.getAppHandlers());
  const warnings: string[] = [];
  const logger: Logger = {
    traceEnabled: false,
    debugEnabled: false,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: (error) => console.error(error),
  };
  // The runtime's loader and wrapper (downloaded by the CLI from Atlassian's CDN): not part of the bundle.
  const stub = async (): Promise<RuntimeScript> => ({ script: '', source: 'stub', version: 'stub' });
  const runtime: WrapperProvider = { getNodeRuntimeWrapper: stub, getNodeRuntimeLoader: stub };
  const output = await bundler
    .getNodeBundler(logger, runtime, configFile)
    .bundle({ appDirectory: process.cwd(), entryPoints });
  cpSync(output.outputDir, outDir, { recursive: true });
  const entry = entryPoints.find((point) => point.name === 'index') ?? entryPoints[0];
  if (!entry) throw new Error('manifest.yml names no function handler');
  const file = path.join(outDir, `${entry.name}.cjs`);
  return { file, bytes: statSync(file).size, warnings };
}

function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, stderr })
        : reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr.trim() || stdout.trim()}`)),
    );
  });
}

/**
 * Bundles src/ with Atlassian's bundler, as `forge deploy` does, into `outDir`. Rejects with the
 * bundler's own message on any webpack or TypeScript error.
 */
export async function bundleBackend(outDir: string): Promise<BackendBundle> {
  const dir = path.resolve(outDir);
  // The bundler writes to a temporary directory it leaves behind (the CLI zips it): one inside outDir.
  const tmp = path.join(dir, '.tmp');
  mkdirSync(tmp, { recursive: true });
  const env = { ...process.env, TMPDIR: tmp };
  const { stdout } = await run(['--import', 'tsx', __filename, CHILD_FLAG, dir], APP_DIR, env).finally(() =>
    rmSync(tmp, { recursive: true, force: true }),
  );
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARK));
  if (!line) throw new Error(`the bundler gave no result:\n${stdout}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as BackendBundle;
}

/**
 * `require`s a bundle in a fresh `node` run in the system's temporary directory with no NODE_PATH:
 * the bundle finds nothing of the repository's node_modules. Returns the type of each export and how
 * long the `require` took (module evaluation included, Node's own start-up not).
 */
export async function requireInFreshNode(
  file: string,
): Promise<{ exports: Record<string, string>; requireMs: number }> {
  const script = [
    'const started = process.hrtime.bigint();',
    'const loaded = require(process.argv[1]);',
    'const requireMs = Number(process.hrtime.bigint() - started) / 1e6;',
    'const exports = Object.fromEntries(Object.keys(loaded).map((key) => [key, typeof loaded[key]]));',
    'process.stdout.write(JSON.stringify({ requireMs, exports }), () => process.exit(0));',
  ].join('\n');
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  const { stdout } = await run(['-e', script, path.resolve(file)], os.tmpdir(), env);
  return JSON.parse(stdout) as { exports: Record<string, string>; requireMs: number };
}

export interface BundleFigures {
  bytes: number;
  gzipBytes: number;
  /** Median of `runs` cold `require`s, each in a fresh `node`. */
  coldRequireMs: number;
  coldRequireRunsMs: number[];
  bundleSeconds: number;
  warnings: number;
}

/** Bundles into a temporary directory and measures the bundle (npm run bundle, npm run bench). */
export async function measureBackendBundle(runs = 5, outDir?: string): Promise<BundleFigures> {
  const dir = outDir ?? mkdtempSync(path.join(os.tmpdir(), 'forge-bundle-'));
  try {
    const started = performance.now();
    const bundle = await bundleBackend(dir);
    const bundleSeconds = Math.round((performance.now() - started) / 100) / 10;
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) times.push((await requireInFreshNode(bundle.file)).requireMs);
    const sorted = [...times].sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      bytes: bundle.bytes,
      gzipBytes: gzipSync(readFileSync(bundle.file)).length,
      coldRequireMs: round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN),
      coldRequireRunsMs: times.map(round),
      bundleSeconds,
      warnings: bundle.warnings.length,
    };
  } finally {
    if (!outDir) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === CHILD_FLAG) {
    const outDir = process.argv[3];
    if (!outDir) throw new Error(`${CHILD_FLAG} needs an output directory`);
    console.log(`${RESULT_MARK}${JSON.stringify(await bundleInThisProcess(outDir))}`);
    return;
  }
  const outDir = process.argv[2];
  const figures = await measureBackendBundle(5, outDir);
  console.log(
    `Backend bundle (Atlassian's Forge bundler, as forge deploy builds it): ${figures.bytes.toLocaleString('en-US')} bytes, ` +
      `${figures.gzipBytes.toLocaleString('en-US')} gzipped, bundled in ${figures.bundleSeconds} s, ${figures.warnings} webpack warnings; ` +
      `cold require in a fresh node ${figures.coldRequireMs} ms (median of ${figures.coldRequireRunsMs.length}: ${figures.coldRequireRunsMs.join(', ')})` +
      (outDir ? `; written to ${outDir}` : ''),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
