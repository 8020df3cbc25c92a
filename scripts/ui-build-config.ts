/**
 * The Custom UI build's configuration, shared by the build script (scripts/build-ui.mts), `npm run bench`
 * and the unit tests: where each app builds to, its Vite configuration and plugins, the initial-load
 * budgets and how a build's sizes are measured. Nothing here loads Vite itself.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { transformAsync } from '@babel/core';
import type { InlineConfig, Plugin, PluginOption } from 'vite';

export const repoRoot = path.resolve(__dirname, '..');
const staticDir = path.join(repoRoot, 'static');
const localUiDir = path.join(repoRoot, '.playground', 'ui');

export type Target = 'forge' | 'local';

/** App directories under static/ that have an index.html (static/common is a library, not an app). */
export function discoverApps(root = staticDir): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .filter((name) => existsSync(path.join(root, name, 'index.html')))
    .sort();
}

export function outDirOf(app: string, target: Target): string {
  return target === 'forge' ? path.join(staticDir, app, 'build') : path.join(localUiDir, app);
}

/**
 * Swaps Atlassian's bridges for the local shims (`@forge/bridge`, `@forge/jira-bridge`). A resolveId
 * hook rather than `resolve.alias`: Vite 8's native alias plugin left these bare imports
 * unresolved-to-shim in testing.
 */
export function bridgeShimPlugin(shims: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'sqai:forge-bridge-shim',
    enforce: 'pre',
    resolveId(id) {
      return Object.hasOwn(shims, id) ? (shims[id] ?? null) : null;
    },
  };
}

const FEATURE_GATES_STUB = '\0sqai:feature-gates-stub';

/**
 * Atlaskit's platform flags fall back to Atlassian's Statsig client (~110 KB) when no flag resolver
 * is installed. static/common/src/feature-flags.ts installs one (every flag off) before any
 * component renders, so the client is dead weight in a Custom UI: replace it with a stub that
 * answers "off" / the default.
 */
export function featureGatesStubPlugin(): Plugin {
  return {
    name: 'sqai:feature-gates-stub',
    enforce: 'pre',
    resolveId(id) {
      return /^@atlaskit\/feature-gate-js-client(\/feature-gates)?$/.test(id) ? FEATURE_GATES_STUB : null;
    },
    load(id) {
      if (id !== FEATURE_GATES_STUB) return null;
      return [
        'const FeatureGates = {',
        '  initializeCompleted: () => false,',
        '  checkGate: () => false,',
        '  getExperimentValue: (_name, _param, defaultValue) => defaultValue,',
        '};',
        'export default FeatureGates;',
      ].join('\n');
    },
  };
}

/**
 * Runs Atlassian's own `@atlaskit/tokens/babel-plugin` over the app's sources: each `token('…')` call
 * becomes its CSS variable with the light-theme fallback at build time, so the runtime token-name map
 * (~7 KB gzipped) and the theme loader behind `@atlaskit/tokens`' index stay out of the bundles. Atlaskit's
 * own packages are published already transformed this way. Vite's React plugin no longer runs Babel.
 */
export function designTokensPlugin(): Plugin {
  return {
    name: 'sqai:design-tokens',
    enforce: 'pre',
    async transform(code, id) {
      if (id.includes('/node_modules/') || !/\.tsx?$/.test(id) || !code.includes('@atlaskit/tokens')) {
        return null;
      }
      const result = await transformAsync(code, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        parserOpts: { plugins: ['typescript', 'jsx'] },
        plugins: [['@atlaskit/tokens/babel-plugin', { shouldUseAutoFallback: true }]],
      });
      if (!result?.code) return null;
      return { code: result.code, map: result.map ?? null };
    },
  };
}

const PLATFORM_FLAG_IMPORT =
  /import\s*\{\s*fg\s*\}\s*from\s*['"]@atlaskit\/platform-feature-flags(?:\/fg)?['"];?/;
const PLATFORM_FLAG_CALL = /\bfg\(\s*(['"])[\w.-]+\1\s*\)/g;

/**
 * static/common/src/feature-flags.ts answers every Atlaskit platform flag "off" at run time; this
 * answers the same at build time, so each component's unreleased variant (behind `fg('…')`) and what
 * only it imports are dropped by tree-shaking instead of shipped dead. The run-time resolver stays for
 * flags read any other way.
 */
export function platformFlagsOffPlugin(): Plugin {
  return {
    name: 'sqai:platform-flags-off',
    transform(code, id) {
      if (!id.includes('/node_modules/@atlaskit/') || !PLATFORM_FLAG_IMPORT.test(code)) return null;
      return { code: code.replace(PLATFORM_FLAG_CALL, 'false'), map: null };
    },
  };
}

/**
 * The Vite configuration of one app and target. Vite's React plugin is passed in: it is an ES module,
 * loaded by the ESM build script (scripts/build-ui.mts), so this module stays loadable from CommonJS.
 */
export function configOf(app: string, target: Target, react: PluginOption): InlineConfig {
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
        ? [
            bridgeShimPlugin({
              '@forge/bridge': path.join(repoRoot, 'test', 'harness', 'bridge-shim.ts'),
              '@forge/jira-bridge': path.join(repoRoot, 'test', 'harness', 'jira-bridge-shim.ts'),
            }),
          ]
        : []),
      featureGatesStubPlugin(),
      platformFlagsOffPlugin(),
      designTokensPlugin(),
      react,
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
      // Every browser Jira supports has modulepreload: no polyfill.
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
  // The workflow gate's options page: opened by workflow admins in Jira's workflow editor.
  'criteria-gate': 100 * 1024,
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

export function summarize(outDir: string): SizeSummary {
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

/**
 * The style sheets no page will ever load: each emitted CSS file must be linked from index.html or
 * named by a JavaScript chunk (Vite's preload of a lazy chunk's CSS). A lazy component whose CSS is
 * never fetched renders Atlaskit controls as bare browser controls.
 */
export function unloadedStyleSheets(outDir: string): string[] {
  const files = walk(outDir);
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const scripts = files.filter((file) => file.endsWith('.js')).map((file) => readFileSync(file, 'utf8'));
  return files
    .filter((file) => file.endsWith('.css'))
    .map((file) => path.basename(file))
    .filter((name) => !html.includes(name) && !scripts.some((code) => code.includes(name)))
    .sort();
}

/**
 * The playground's build of `app` goes live at once: it is built beside the live one, then the
 * `.playground/ui/<app>` symlink is swapped to it (rename(2) replaces a symlink atomically), so a
 * playground serving the previous build never finds it half-written or gone — `npm start` rebuilds
 * while other playgrounds (the browser tests, on two workers) serve. The previous build is kept for
 * requests still reading it; older ones are removed.
 */
let publishes = 0;

/** A build's name: the app, when (ms, then this process's count: unique and ordered), the process. */
const buildName = (app: string) =>
  `${app}-${Date.now()}${String((publishes += 1) % 10_000).padStart(4, '0')}-${process.pid}`;

export function publishLocal(app: string, staging: string, outDir: string): void {
  const builds = path.join(path.dirname(outDir), '.builds');
  mkdirSync(builds, { recursive: true });
  const built = path.join(builds, buildName(app));
  renameSync(staging, built);
  const link = `${outDir}.link-${process.pid}`;
  rmSync(link, { force: true });
  symlinkSync(built, link, 'dir');
  // A checkout built before the swap existed has a real directory there: replaced once, not atomically.
  if (existsSync(outDir) && !lstatSync(outDir).isSymbolicLink())
    rmSync(outDir, { recursive: true, force: true });
  renameSync(link, outDir);
  // Oldest first (the stamps have the same length): keep the live build and the one before it.
  const whenOf = (name: string) => new RegExp(`^${app}-(\\d{17})-\\d+$`).exec(name)?.[1];
  const mine = readdirSync(builds)
    .filter((name) => whenOf(name) !== undefined)
    .sort((a, b) => (whenOf(a) ?? '').localeCompare(whenOf(b) ?? ''));
  for (const old of mine.slice(0, -2)) rmSync(path.join(builds, old), { recursive: true, force: true });
}
