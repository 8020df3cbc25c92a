/**
 * `forge deploy` can bundle the backend: Atlassian's own bundler (`@forge/bundler` 7.3.0, installed in
 * tools/forge-bundler) compiles src/ with the app's tsconfig.json as the CLI runs it
 * (scripts/forge-bundle.ts), and the bundle, loaded by a fresh `node` outside the repository,
 * exports every handler manifest.yml names as a function. A tsconfig.json with `"noEmit": true`
 * fails here ("TypeScript emitted no output for src/index.ts"), and so does a type error in a bundled
 * file (the bundler type-checks with its own TypeScript): docs/decisions/0002-forge-bundler-in-the-suite.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  APP_DIR,
  bundleBackend,
  requireInFreshNode,
  type BackendBundle,
} from '../../../scripts/forge-bundle';

const manifest = z
  .object({
    modules: z.object({ function: z.array(z.object({ key: z.string(), handler: z.string() })) }),
  })
  .parse(parseYaml(readFileSync(path.join(APP_DIR, 'manifest.yml'), 'utf8')));

/** manifest.yml's handlers by module: `index.resolverHandler` → index: [resolverHandler]. */
const handlersByModule = new Map<string, string[]>();
for (const { handler } of manifest.modules.function) {
  const [module, name, ...rest] = handler.split('.');
  if (!module || !name || rest.length > 0) throw new Error(`handler ${handler} is not <module>.<export>`);
  handlersByModule.set(module, [...(handlersByModule.get(module) ?? []), name]);
}

let outDir = '';
let bundle: BackendBundle | undefined;
let failure: unknown;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'forge-bundle-test-'));
  try {
    bundle = await bundleBackend(outDir);
  } catch (error) {
    failure = error;
  }
}, 180_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("Atlassian's Forge bundler on src/ (what forge deploy runs)", () => {
  it('bundles with no webpack or TypeScript errors', () => {
    expect(failure instanceof Error ? failure.message : failure).toBeUndefined();
    expect(bundle?.bytes).toBeGreaterThan(0);
  });

  it.each([...handlersByModule])(
    'the bundle of %s exports every handler manifest.yml names as a function, outside the repo',
    async (module, names) => {
      if (!bundle) throw new Error('no bundle (see the first test)');
      const loaded = await requireInFreshNode(path.join(path.dirname(bundle.file), `${module}.cjs`));
      expect(Object.fromEntries(names.map((name) => [name, loaded.exports[name]]))).toEqual(
        Object.fromEntries(names.map((name) => [name, 'function'])),
      );
    },
  );
});
