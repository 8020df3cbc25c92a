import type { Plugin } from 'vite';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  configOf,
  designTokensPlugin,
  platformFlagsOffPlugin,
  publishLocal,
  unloadedStyleSheets,
} from '../../../scripts/ui-build-config';

type Transform = (code: string, id: string) => unknown;

function transformOf(plugin: Plugin): Transform {
  const hook = plugin.transform;
  if (typeof hook !== 'function') throw new Error(`${plugin.name} has no transform function`);
  return (code, id) => (hook as unknown as Transform).call({}, code, id);
}

const codeOf = (result: unknown): string | null =>
  result && typeof result === 'object' && 'code' in result ? String(result.code) : null;

describe('the Custom UI build', () => {
  it('ships production React whatever NODE_ENV the caller has (jest runs with NODE_ENV=test)', () => {
    expect(process.env.NODE_ENV).toBe('test');
    for (const target of ['forge', 'local'] as const) {
      expect(configOf('issue-panel', target, { name: 'vite:react' }).define).toEqual({
        'process.env.NODE_ENV': '"production"',
      });
    }
  });

  it("answers Atlaskit's platform flags off at build time, so their unreleased variants are dropped", async () => {
    const transform = transformOf(platformFlagsOffPlugin());
    const atlaskit = [
      "import { fg } from '@atlaskit/platform-feature-flags';",
      "const Lozenge = fg('platform-component-visual-refresh') ? NewLozenge : LegacyLozenge;",
      'const motion = fg("platform-dst-motion-uplift") && isInteractive;',
    ].join('\n');
    const out = codeOf(await transform(atlaskit, '/repo/node_modules/@atlaskit/lozenge/dist/esm/lozenge.js'));
    expect(out).toContain('const Lozenge = false ? NewLozenge : LegacyLozenge;');
    expect(out).toContain('const motion = false && isInteractive;');
    // Only Atlaskit modules that import `fg` are touched; the app's own code never is.
    expect(await transform(atlaskit, '/repo/static/issue-panel/src/App.tsx')).toBeNull();
    expect(
      await transform("const fg = (x) => x; fg('a');", '/repo/node_modules/@atlaskit/x/dist/esm/y.js'),
    ).toBeNull();
  });

  it("replaces token('…') with its CSS variable and fallback, dropping the run-time token map", async () => {
    const transform = transformOf(designTokensPlugin());
    const source = [
      "import { token } from '@atlaskit/tokens';",
      'import type { CSSProperties } from "react";',
      "const style: CSSProperties = { color: token('color.text.subtle'), gap: token('space.100') };",
      'export const X = () => <p style={style}>x</p>;',
    ].join('\n');
    const out = codeOf(await transform(source, '/repo/static/common/src/X.tsx')) ?? '';
    expect(out).not.toContain("from '@atlaskit/tokens'");
    expect(out).toMatch(/color: "var\(--ds-text-subtle, #[0-9A-Fa-f]{6}\)"/);
    expect(out).toMatch(/gap: "var\(--ds-space-100, 8px\)"/);
    // TypeScript and JSX are left for Vite's React plugin.
    expect(out).toContain('const style: CSSProperties');
    expect(out).toContain('<p style={style}>');
    expect(await transform(source, '/repo/node_modules/@atlaskit/x/index.tsx')).toBeNull();
  });

  it('names every style sheet no page loads (a lazy chunk whose CSS Vite did not preload)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sqai-ui-'));
    mkdirSync(path.join(out, 'assets'));
    writeFileSync(
      path.join(out, 'index.html'),
      '<script type="module" src="./assets/index-a1.js"></script><link rel="stylesheet" href="./assets/index-b2.css">',
    );
    writeFileSync(path.join(out, 'assets', 'index-b2.css'), '.a{}');
    writeFileSync(path.join(out, 'assets', 'Lazy-c3.css'), '.b{}');
    writeFileSync(path.join(out, 'assets', 'Other-d4.css'), '.c{}');
    writeFileSync(
      path.join(out, 'assets', 'index-a1.js'),
      'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./Lazy-e5.js","./Lazy-c3.css"])))=>i.map(i=>d[i]);',
    );
    expect(unloadedStyleSheets(out)).toEqual(['Other-d4.css']);
  });
});

describe('publishing a playground build (npm start rebuilds while other playgrounds serve)', () => {
  function staged(root: string, name: string, content: string): string {
    const dir = path.join(root, `${name}.staging`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), content);
    return dir;
  }

  it('swaps the live build at once and keeps the previous one for readers still on it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'sqai-ui-'));
    const live = path.join(root, 'issue-panel');
    // A checkout built before the swap existed: a real directory, replaced once.
    mkdirSync(live);
    writeFileSync(path.join(live, 'index.html'), 'v0');
    publishLocal('issue-panel', staged(root, 'a', 'v1'), live);
    expect(lstatSync(live).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(live, 'index.html'), 'utf8')).toBe('v1');
    // A reader that resolved the live build keeps reading it after the next publish.
    const previousFile = path.join(
      path.dirname(live),
      '.builds',
      readdirSync(path.join(root, '.builds'))[0] ?? '',
      'index.html',
    );
    publishLocal('issue-panel', staged(root, 'b', 'v2'), live);
    expect(readFileSync(path.join(live, 'index.html'), 'utf8')).toBe('v2');
    expect(readFileSync(previousFile, 'utf8')).toBe('v1');
    // Only the live build and the one before it are kept.
    publishLocal('issue-panel', staged(root, 'c', 'v3'), live);
    expect(readdirSync(path.join(root, '.builds'))).toHaveLength(2);
    expect(existsSync(previousFile)).toBe(false);
    expect(readFileSync(path.join(live, 'index.html'), 'utf8')).toBe('v3');
  });
});
