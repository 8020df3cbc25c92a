/**
 * Atlassian's own validator on manifest.yml, and the scope check: every Jira operation the code
 * calls (src/clients/jira-operations.ts — the only place Jira paths are built) must be covered by the
 * manifest's scopes according to the OpenAPI spec's `x-atlassian-oauth2-scopes`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { validate } from '@forge/manifest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { JIRA_OPERATIONS } from '../../src/clients/jira-operations';
import { describeWithContracts, loadJiraSpec, repoRoot } from '../harness/contracts';

const manifestPath = path.join(repoRoot, 'manifest.yml');
const manifest = z
  .object({
    app: z.object({ runtime: z.object({ name: z.string() }) }),
    permissions: z.object({ scopes: z.array(z.string()) }),
    resources: z.array(z.object({ key: z.string(), path: z.string() })),
  })
  .parse(parseYaml(readFileSync(manifestPath, 'utf8')));

describe('manifest.yml', () => {
  it('passes @forge/manifest validate() with no errors', async () => {
    for (const resource of manifest.resources) {
      if (!existsSync(path.join(repoRoot, resource.path, 'index.html'))) {
        throw new Error(`${resource.path} is not built: run "npm run build:ui" before the manifest check`);
      }
    }
    const result = await validate(false, manifestPath);
    const errors = (result.errors ?? []).filter((error) => error.level === 'error');
    expect(errors).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('runs on nodejs22.x', () => {
    expect(manifest.app.runtime.name).toBe('nodejs22.x');
  });
});

/** What Forge's manifest reference says that the schema of @forge/manifest 13 still lets through. */
describe('manifest.yml: Forge rules the schema does not check (docs/forge-fidelity.md)', () => {
  const modules = z
    .object({
      modules: z
        .object({
          'jira:projectSettingsPage': z.array(z.object({ key: z.string(), layout: z.string().optional() })),
          function: z.array(z.object({ key: z.string(), timeoutSeconds: z.number().optional() })),
          consumer: z.array(z.object({ function: z.string() })).optional(),
          scheduledTrigger: z.array(z.object({ function: z.string() })).optional(),
        })
        .loose(),
    })
    .parse(parseYaml(readFileSync(manifestPath, 'utf8'))).modules;

  it('no Custom UI page uses the deprecated `layout: basic`', () => {
    for (const page of modules['jira:projectSettingsPage'])
      expect({ page: page.key, layout: page.layout ?? 'native' }).toEqual({
        page: page.key,
        layout: 'native',
      });
  });

  it('only functions used by consumers or scheduled triggers alone ask for more than 55 s', () => {
    const background = new Set([
      ...(modules.consumer ?? []).map((module) => module.function),
      ...(modules.scheduledTrigger ?? []).map((module) => module.function),
    ]);
    const text = readFileSync(manifestPath, 'utf8');
    for (const fn of modules.function) {
      if ((fn.timeoutSeconds ?? 55) <= 55) continue;
      expect({ fn: fn.key, background: background.has(fn.key) }).toEqual({ fn: fn.key, background: true });
      // Referenced nowhere else (a resolver or web trigger would cap it at 25 s / 55 s).
      expect(text.match(new RegExp(`function: ${fn.key}\\b`, 'g'))).toHaveLength(1);
      expect(fn.timeoutSeconds).toBeLessThanOrEqual(900);
    }
  });
});

const scopeEntry = z.object({
  scheme: z.string().optional(),
  scopes: z.array(z.string()),
  state: z.string().optional(),
});

describeWithContracts('manifest scopes cover every Jira operation the app calls', () => {
  const spec = loadJiraSpec();

  it.each(Object.entries(JIRA_OPERATIONS))('%s', (_name, operation) => {
    const pathItem = spec.paths[operation.path];
    expect(pathItem).toBeDefined();
    const op = z
      .object({ 'x-atlassian-oauth2-scopes': z.array(scopeEntry) })
      .loose()
      .parse(pathItem?.[operation.method.toLowerCase()]);
    const granted = new Set(manifest.permissions.scopes);
    const alternatives = op['x-atlassian-oauth2-scopes'];
    const covered = alternatives.some((entry) => entry.scopes.every((scope) => granted.has(scope)));
    expect({ operation: `${operation.method} ${operation.path}`, covered, alternatives }).toMatchObject({
      covered: true,
    });
  });

  it('the check bites: an operation needing an undeclared scope is not covered', () => {
    const op = z
      .object({ 'x-atlassian-oauth2-scopes': z.array(scopeEntry) })
      .loose()
      .parse(spec.paths['/rest/api/3/project/{projectIdOrKey}']?.delete);
    const granted = new Set(manifest.permissions.scopes);
    expect(op['x-atlassian-oauth2-scopes'].some((e) => e.scopes.every((s) => granted.has(s)))).toBe(false);
  });
});

describe('Jira paths are built in one place', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });

  it('no module but jira-operations.ts names a /rest/api path', () => {
    const offenders = files(path.join(repoRoot, 'src'))
      .filter((file) => !file.endsWith(path.join('clients', 'jira-operations.ts')))
      .filter((file) => /\/rest\/(api|agile)\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
