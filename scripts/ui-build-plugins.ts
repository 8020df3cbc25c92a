/**
 * The Vite plugins of the Custom UI build (scripts/build-ui.ts). Plain transforms, kept apart from the
 * build so unit tests can run them without loading Vite.
 */
import { transformAsync } from '@babel/core';
import type { Plugin } from 'vite';

/**
 * Swaps `@forge/bridge` for the local shim. A resolveId hook rather than `resolve.alias`: Vite 8's
 * native alias plugin left this bare import unresolved-to-shim in testing.
 */
export function bridgeShimPlugin(bridgeShim: string): Plugin {
  return {
    name: 'sqai:forge-bridge-shim',
    enforce: 'pre',
    resolveId(id) {
      return id === '@forge/bridge' ? bridgeShim : null;
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
