/**
 * Lints docs/sqai-openapi.yaml (or the file named) with Redocly's OpenAPI linter
 * (@redocly/openapi-core, the `recommended` ruleset: structure against the OpenAPI 3.1 schema,
 * resolvable $refs, operation ids, unused components, examples…). Prints one line per problem and
 * exits 1 if there is any. The library is ESM-only, so it runs in a process of its own:
 * `node --import tsx scripts/lint-sqai-openapi.ts [file]` (test/unit/scripts/sqai-openapi.test.ts).
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
import path from 'node:path';

async function main(): Promise<number> {
  const file = process.argv[2] ?? path.join(__dirname, '..', 'docs', 'sqai-openapi.yaml');
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
  for (const problem of problems) {
    const where = problem.location[0]?.pointer ?? '';
    console.log(`${problem.severity} ${problem.ruleId} ${where}: ${problem.message}`);
  }
  console.log(`${problems.length} problem(s) in ${path.basename(file)}`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
