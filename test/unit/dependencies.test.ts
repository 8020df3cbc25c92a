/**
 * Every installed package runs on every Node this project runs on: the oldest Node its `engines`
 * allows (this machine and CI have Node 20) and Forge's runtime (`nodejs22.x` in manifest.yml). A
 * dependency whose declared engines exclude one of them warns EBADENGINE on install and may break
 * there; it is replaced or pinned (docs/decisions/0001-json-canonicalization.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';
import { z } from 'zod';

const root = path.resolve(__dirname, '../..');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

const packageJson = z.object({ engines: z.object({ node: z.string() }) }).parse(read('package.json'));
const lock = z
  .object({
    packages: z.record(
      z.string(),
      z.object({ version: z.string().optional(), engines: z.unknown().optional() }).loose(),
    ),
  })
  .parse(read('package-lock.json'));
const manifest = z
  .object({ app: z.object({ runtime: z.object({ name: z.string() }) }) })
  .parse(parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8')));

/** The oldest release of `major` that `range` allows. */
function oldestOf(major: number, range: string): string | undefined {
  for (let minor = 0; minor <= 40; minor += 1) {
    const version = `${major}.${minor}.0`;
    if (semver.satisfies(version, range)) return version;
  }
  return undefined;
}

/**
 * The Node versions the project runs on: the oldest the engines allow on Node 20 (this machine,
 * CI) and on Forge's runtime major (nodejs22.x), and the Node running this test.
 */
function nodesWeRunOn(): string[] {
  const forge = Number(/^nodejs(\d+)\.x$/.exec(manifest.app.runtime.name)?.[1]);
  const versions = [oldestOf(20, packageJson.engines.node), oldestOf(forge, packageJson.engines.node)];
  if (versions.some((version) => version === undefined))
    throw new Error(
      `the engines (${packageJson.engines.node}) leave out Node 20 or Forge's nodejs${forge}.x`,
    );
  return [...(versions as string[]), process.versions.node];
}

describe('dependencies and Node versions', () => {
  it("the project's engines include Forge's runtime and the Node running this test", () => {
    for (const version of nodesWeRunOn())
      expect(semver.satisfies(version, packageJson.engines.node)).toBe(true);
  });

  it('no installed package declares engines that exclude a Node we run on', () => {
    const excluded: string[] = [];
    for (const [location, entry] of Object.entries(lock.packages)) {
      if (location === '') continue;
      const node =
        typeof entry.engines === 'object' && entry.engines !== null
          ? (entry.engines as Record<string, unknown>).node
          : undefined;
      if (typeof node !== 'string') continue;
      for (const version of nodesWeRunOn())
        if (!semver.satisfies(version, node, { includePrerelease: true }))
          excluded.push(
            `${location.replace(/^.*node_modules\//, '')}@${entry.version ?? '?'} wants node ${node}, not ${version}`,
          );
    }
    expect(excluded).toEqual([]);
  });
});
