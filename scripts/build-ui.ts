/**
 * Builds every Custom UI app (`static/<name>/` with an `index.html`) twice with Vite:
 *   forge  → static/<name>/build/      real `@forge/bridge` (what `forge deploy` uploads)
 *   local  → .playground/ui/<name>/    `@forge/bridge` swapped for test/harness/bridge-shim.ts
 *                                      (served by the local playground at /ui/<name>/)
 *
 * Usage: tsx scripts/build-ui.ts [--local-only | --forge-only] [app …]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { build, type InlineConfig } from 'vite';
import {
  bridgeShimPlugin,
  designTokensPlugin,
  featureGatesStubPlugin,
  platformFlagsOffPlugin,
} from './ui-build-plugins';

const repoRoot = path.resolve(__dirname, '..');
const staticDir = path.join(repoRoot, 'static');
const localUiDir = path.join(repoRoot, '.playground', 'ui');

export type Target = 'forge' | 'local';

export interface Args {
  targets: Target[];
  /** Fail when a Forge build's initial load is over its budget (`npm test` builds with this). */
  checkBudgets?: boolean;
  apps: string[];
}

function parseArgs(argv: string[]): Args {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const known = ['--local-only', '--forge-only', '--check-budgets'];
  const unknown = flags.filter((flag) => !known.includes(flag));
  if (unknown.length > 0) throw new Error(`Unknown option(s): ${unknown.join(', ')}`);
  const localOnly = flags.includes('--local-only');
  const forgeOnly = flags.includes('--forge-only');
  if (localOnly && forgeOnly) throw new Error('Use at most one of --local-only and --forge-only.');
  const targets: Target[] = localOnly ? ['local'] : forgeOnly ? ['forge'] : ['forge', 'local'];
  return { targets, apps: names, checkBudgets: flags.includes('--check-budgets') };
}

/** App directories under static/ that have an index.html (static/common is a library, not an app). */
function discoverApps(root = staticDir): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .filter((name) => existsSync(path.join(root, name, 'index.html')))
    .sort();
}

function outDirOf(app: string, target: Target): string {
  return target === 'forge' ? path.join(staticDir, app, 'build') : path.join(localUiDir, app);
}

export function configOf(app: string, target: Target): InlineConfig {
  return {
    configFile: false,
    root: path.join(staticDir, app),
    base: './',
    mode: 'production',
    // Production React whatever NODE_ENV the caller has (jest sets `test`, which would make Vite ship
    // React's development build: slower, and its warnings differ from what Jira users get).
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'warn',
    clearScreen: false,
    plugins: [
      ...(target === 'local'
        ? [bridgeShimPlugin(path.join(repoRoot, 'test', 'harness', 'bridge-shim.ts'))]
        : []),
      featureGatesStubPlugin(),
      platformFlagsOffPlugin(),
      designTokensPlugin(),
      react(),
    ],
    build: {
      outDir: outDirOf(app, target),
      emptyOutDir: true,
      // SQAI_UI_SOURCEMAP=1 adds source maps to the Forge build too, to see what a chunk holds.
      sourcemap: target === 'local' || process.env.SQAI_UI_SOURCEMAP === '1',
      minify: true,
      reportCompressedSize: false,
      // Atlaskit is big: the settings page is one ~1 MB chunk (≈230–250 KB gzipped).
      chunkSizeWarningLimit: 2048,
      target: 'es2022',
      // Every browser Jira supports has modulepreload (and Vite 8's polyfill does not resolve here).
      modulePreload: { polyfill: false },
    },
  };
}

/**
 * Gzipped initial-load budgets (issue 16 item 14): the issue panel opens on every issue view. What
 * only some states need (generation, the preview) is code-split; `npm run bench` records the figures.
 */
export const INITIAL_LOAD_BUDGET_GZIP_BYTES: Readonly<Record<string, number>> = {
  'issue-panel': 120 * 1024,
  settings: 150 * 1024,
};

export interface SizeSummary {
  files: number;
  bytes: number;
  gzipBytes: number;
  /** Gzipped size of what the page loads up front (index.html's scripts + styles), excluding lazy chunks. */
  entryGzipBytes: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function summarize(outDir: string): SizeSummary {
  const files = walk(outDir).filter((file) => /\.(js|css|html)$/.test(file));
  let bytes = 0;
  let gzipBytes = 0;
  const gz = new Map<string, number>();
  for (const file of files) {
    const content = readFileSync(file);
    const zipped = gzipSync(content).length;
    bytes += content.length;
    gzipBytes += zipped;
    gz.set(path.relative(outDir, file), zipped);
  }
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => match[1] ?? '');
  const entryGzipBytes =
    (gz.get('index.html') ?? 0) + referenced.reduce((sum, file) => sum + (gz.get(file) ?? 0), 0);
  return { files: files.length, bytes, gzipBytes, entryGzipBytes };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function buildOne(app: string, target: Target): Promise<SizeSummary> {
  const started = Date.now();
  await build(configOf(app, target));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const outDir = outDirOf(app, target);
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

/** Builds the Custom UIs; the sizes of each app's build per target (`npm run bench` records the Forge ones). */
export async function buildUi(
  args: Args = { targets: ['forge', 'local'], apps: [] },
): Promise<Record<string, Partial<Record<Target, SizeSummary>>>> {
  const available = discoverApps();
  const missing = args.apps.filter((app) => !available.includes(app));
  if (missing.length > 0) {
    throw new Error(
      `No Custom UI app named ${missing.join(', ')} (apps: ${available.join(', ') || 'none'}).`,
    );
  }
  const apps = args.apps.length > 0 ? args.apps : available;
  if (apps.length === 0) throw new Error('No Custom UI apps found under static/*/index.html.');
  const sizes: Record<string, Partial<Record<Target, SizeSummary>>> = {};
  for (const app of apps) {
    const perTarget: Partial<Record<Target, SizeSummary>> = {};
    for (const target of args.targets) perTarget[target] = await buildOne(app, target);
    sizes[app] = perTarget;
  }
  if (args.checkBudgets) assertWithinBudgets(sizes);
  return sizes;
}

function assertWithinBudgets(sizes: Record<string, Partial<Record<Target, SizeSummary>>>): void {
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

if (require.main === module) {
  buildUi(parseArgs(process.argv.slice(2))).catch((error: unknown) => {
    console.error(`build:ui failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
