/**
 * Builds every Custom UI app (`static/<name>/` with an `index.html`) twice with Vite:
 *   forge  → static/<name>/build/      real `@forge/bridge` (what `forge deploy` uploads)
 *   local  → .playground/ui/<name>/    `@forge/bridge` swapped for test/harness/bridge-shim.ts
 *                                      (served by the local playground at /ui/<name>/)
 *
 * Usage: tsx scripts/build-ui.mts [--local-only | --forge-only] [--check-budgets] [--sizes-json <file>] [app …]
 *
 * An ES module on purpose: loaded through tsx's CommonJS path, Vite 8 silently leaves out the preload
 * of lazy chunks' CSS (their Atlaskit styles were never fetched).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import {
  configOf,
  publishLocal,
  discoverApps,
  INITIAL_LOAD_BUDGET_GZIP_BYTES,
  outDirOf,
  repoRoot,
  summarize,
  unloadedStyleSheets,
  type SizeSummary,
  type Target,
} from './ui-build-config';

// Vite decides production from NODE_ENV, not from `mode`: under jest (NODE_ENV=test, e.g. the playground
// started by a browser test) the React plugin would emit development JSX calls that React's production
// build cannot run, and every page would stay blank. This script only ever makes production builds.
process.env.NODE_ENV = 'production';

export interface Args {
  targets: Target[];
  apps: string[];
  /** Fail when a Forge build's initial load is over its budget (`npm test` builds with this). */
  checkBudgets: boolean;
  /** Write the sizes as JSON here (`npm run bench` reads them). */
  sizesJson?: string | undefined;
}

export type Sizes = Record<string, Partial<Record<Target, SizeSummary>>>;

function parseArgs(argv: string[]): Args {
  const rest = [...argv];
  const sizesAt = rest.indexOf('--sizes-json');
  const sizesJson = sizesAt >= 0 ? rest.splice(sizesAt, 2)[1] : undefined;
  if (sizesAt >= 0 && !sizesJson) throw new Error('--sizes-json needs a file name.');
  const flags = rest.filter((arg) => arg.startsWith('--'));
  const names = rest.filter((arg) => !arg.startsWith('--'));
  const known = ['--local-only', '--forge-only', '--check-budgets'];
  const unknown = flags.filter((flag) => !known.includes(flag));
  if (unknown.length > 0) throw new Error(`Unknown option(s): ${unknown.join(', ')}`);
  const localOnly = flags.includes('--local-only');
  const forgeOnly = flags.includes('--forge-only');
  if (localOnly && forgeOnly) throw new Error('Use at most one of --local-only and --forge-only.');
  const targets: Target[] = localOnly ? ['local'] : forgeOnly ? ['forge'] : ['forge', 'local'];
  return { targets, apps: names, checkBudgets: flags.includes('--check-budgets'), sizesJson };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function buildOne(app: string, target: Target): Promise<SizeSummary> {
  const started = Date.now();
  const outDir = outDirOf(app, target);
  if (target === 'local') {
    const staging = `${outDir}.staging-${process.pid}`;
    const config = configOf(app, target, react());
    await build({ ...config, build: { ...config.build, outDir: staging, emptyOutDir: true } });
    publishLocal(app, staging, outDir);
  } else {
    await build(configOf(app, target, react()));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const unloaded = unloadedStyleSheets(outDir);
  if (unloaded.length > 0) {
    throw new Error(`${app} (${target}): no page ever loads ${unloaded.join(', ')} (a lazy chunk's CSS).`);
  }
  const size = summarize(outDir);
  const budget = INITIAL_LOAD_BUDGET_GZIP_BYTES[app];
  const verdict =
    target === 'forge' && budget !== undefined
      ? size.entryGzipBytes <= budget
        ? ` (budget ${kb(budget)})`
        : ` — OVER the ${kb(budget)} budget`
      : '';
  console.log(
    `${app} (${target}) → ${path.relative(repoRoot, outDir)}: ${size.files} files, ${kb(size.bytes)} ` +
      `(${kb(size.gzipBytes)} gzipped; initial load ${kb(size.entryGzipBytes)} gzipped${verdict}) in ${seconds}s`,
  );
  return size;
}

function assertWithinBudgets(sizes: Sizes): void {
  const over = Object.entries(sizes).flatMap(([app, perTarget]) => {
    const budget = INITIAL_LOAD_BUDGET_GZIP_BYTES[app];
    const size = perTarget.forge?.entryGzipBytes;
    return budget !== undefined && size !== undefined && size > budget
      ? [`${app} loads ${kb(size)} gzipped up front, over its ${kb(budget)} budget`]
      : [];
  });
  if (over.length > 0) {
    throw new Error(
      `${over.join('; ')}. Load what only some states need lazily; ` +
        'SQAI_UI_SOURCEMAP=1 npm run build:ui writes source maps to see what the entry holds.',
    );
  }
}

async function buildUi(args: Args): Promise<Sizes> {
  const available = discoverApps();
  const missing = args.apps.filter((app) => !available.includes(app));
  if (missing.length > 0) {
    throw new Error(
      `No Custom UI app named ${missing.join(', ')} (apps: ${available.join(', ') || 'none'}).`,
    );
  }
  const apps = args.apps.length > 0 ? args.apps : available;
  if (apps.length === 0) throw new Error('No Custom UI apps found under static/*/index.html.');
  const sizes: Sizes = {};
  for (const app of apps) {
    const perTarget: Partial<Record<Target, SizeSummary>> = {};
    for (const target of args.targets) perTarget[target] = await buildOne(app, target);
    sizes[app] = perTarget;
  }
  if (args.checkBudgets) assertWithinBudgets(sizes);
  if (args.sizesJson) writeFileSync(args.sizesJson, `${JSON.stringify(sizes, null, 2)}\n`);
  return sizes;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildUi(parseArgs(process.argv.slice(2))).catch((error: unknown) => {
    console.error(`build:ui failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
