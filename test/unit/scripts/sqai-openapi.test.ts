/**
 * docs/sqai-openapi.yaml: generated from the zod schemas (stale-file check), valid OpenAPI 3.1 by
 * Redocly's linter, and stating the contract's limits and rules in the schema itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { OPENAPI_FILE, sqaiOpenApi } from '../../../scripts/export-sqai-openapi';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  SQAI_CONTRACT_LIMITS,
  SQAI_CONTRACT_VERSION,
  SQAI_LIMITS,
  UPDATE_LIMITS,
} from '../../../src/clients/sqai-schemas';
import { repoRoot } from '../../harness/contracts';

type Json = Record<string, unknown>;
const schemas = () => (sqaiOpenApi().components as { schemas: Record<string, Json> }).schemas;
const props = (id: string) => schemas()[id]?.properties as Record<string, Json>;

/** Runs a script of scripts/ in a process of its own (Prettier and Redocly are ESM inside). */
const run = (script: string, args: string[]): { ok: boolean; output: string } => {
  try {
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts', script), ...args],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { ok: true, output };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: unknown }).stdout ?? error) };
  }
};
const lint = (file?: string) => run('lint-sqai-openapi.ts', file ? [file] : []);

describe('docs/sqai-openapi.yaml', () => {
  it('is generated from the zod schemas and up to date (run `npm run docs:openapi`)', () => {
    const result = run('export-sqai-openapi.ts', ['--check']);
    expect(result.output).toContain('up to date');
    expect(result.ok).toBe(true);
    // What it holds is what the schemas make (before formatting).
    expect(parse(readFileSync(OPENAPI_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(sqaiOpenApi())));
  });

  it('passes the OpenAPI 3.1 linter (Redocly, recommended rules) with no problem at all', () => {
    const result = lint();
    expect(result.output).toContain('0 problem(s)');
    expect(result.ok).toBe(true);
  });

  it('the linter does fail a broken document (a $ref to nothing, an operation without responses)', () => {
    const broken = parse(readFileSync(OPENAPI_FILE, 'utf8')) as Json;
    const paths = broken.paths as Record<string, Record<string, Json>>;
    delete paths['/v1/health']?.get?.responses;
    (paths['/v1/generations']?.post as Json).requestBody = { $ref: '#/components/requestBodies/Nothing' };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sqai-openapi-')), 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const result = lint(file);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/no-unresolved-refs|struct/);
  });

  it('is OpenAPI 3.1 at the contract version, with bearer auth, every operation and the delivery webhook', () => {
    const doc = sqaiOpenApi();
    expect(doc.openapi).toBe('3.1.0');
    expect((doc.info as Json).version).toBe(SQAI_CONTRACT_VERSION);
    const operations = Object.values(doc.paths as Record<string, Record<string, Json>>).flatMap((item) =>
      Object.values(item)
        .map((operation) => operation.operationId)
        .filter(Boolean),
    );
    expect(operations.sort()).toEqual(
      [
        'classifyCoverage',
        'createGeneration',
        'deleteContext',
        'getGeneration',
        'getHealth',
        'purgeProject',
        'purgeTenant',
        'putContext',
        'putContextsBatch',
      ].sort(),
    );
    expect(Object.keys(doc.webhooks as Json)).toEqual(['sqaiDelivery']);
    // /v1/health requires the token like every other operation (no `security: []` override).
    const health = (doc.paths as Record<string, Record<string, Json>>)['/v1/health']?.get;
    expect(health?.security).toBeUndefined();
    expect(doc.security).toEqual([{ sqaiToken: [] }]);
  });

  it('states the limits of generated tests and the acceptance rules in the schema (item 2)', () => {
    const test = props('GeneratedTest');
    const nullableArray = (schema: Json | undefined) =>
      (schema?.anyOf as Json[] | undefined)?.find((option) => option.type === 'array');
    expect(nullableArray(test.steps)?.maxItems).toBe(SQAI_LIMITS.stepsPerTest);
    expect(nullableArray(test.labels)?.maxItems).toBe(SQAI_LIMITS.labels);
    expect(String(test.steps?.description)).toMatch(/at least one step/);
    expect(String(test.gherkin?.description)).toMatch(/parses as Gherkin/);
    expect(String(test.definition?.description)).toMatch(/not blank/);
    const step = props('GeneratedStep');
    expect(step.action?.maxLength).toBe(SQAI_LIMITS.stepFieldChars);
    const generation = props('Generation');
    expect(nullableArray(generation.tests)?.maxItems).toBe(SQAI_LIMITS.testsPerGeneration);
    expect(nullableArray(generation.tests)?.items).toEqual({ $ref: '#/components/schemas/GeneratedTest' });
    // Test types are {name, kind}: the project's own name and the shape SQAI must produce.
    const request = props('GenerationRequest');
    expect((request.testTypes?.items as Json).$ref).toBe('#/components/schemas/TestTypeRef');
    expect(props('TestTypeRef').kind?.enum).toEqual(['Steps', 'Gherkin', 'Unstructured']);
    expect(request.instructions?.maxLength).toBe(SQAI_CONTRACT_LIMITS.instructionsChars);
    // The context document's own limits and formats.
    const source = props('ContextDocument').source as Json;
    expect(((source.properties as Record<string, Json>).syncedAt as Json).format).toBe('date-time');
  });

  it('one batch size everywhere: 50 items, 4 MiB of body (item 7)', () => {
    const batch = props('ContextBatch');
    expect(batch.items?.maxItems).toBe(50);
    expect(SQAI_CONTRACT_LIMITS.requestBodyBytes).toBe(4 * 1024 * 1024);
    const description = String(
      ((sqaiOpenApi().paths as Record<string, Record<string, Json>>)['/v1/contexts:batch']?.post as Json)
        .description,
    );
    expect(description).toContain(`${4 * 1024 * 1024} bytes (4 MiB)`);
  });

  it('every error answer is an RFC 9457 problem (item 4)', () => {
    const doc = sqaiOpenApi();
    const responses = (doc.components as { responses: Record<string, Json> }).responses;
    for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
          if (Number(status) < 400) continue;
          const resolved =
            typeof response.$ref === 'string' ? responses[response.$ref.split('/').pop() ?? ''] : response;
          expect(Object.keys((resolved?.content as Json) ?? {})).toEqual(['application/problem+json']);
        }
      }
    }
  });

  it('describes update mode (1.3.0): the request, its rule, the verdicts, and examples that validate', () => {
    const request = props('GenerationRequest');
    expect(request.mode?.enum).toEqual(['tests', 'updates']);
    expect(request.updates).toEqual({ $ref: '#/components/schemas/TestUpdateRequest' });
    const toUpdate = props('TestToUpdate');
    expect(toUpdate.steps?.maxItems).toBe(UPDATE_LIMITS.stepsPerTest);
    expect(props('ChangedCriterion').before?.anyOf).toEqual([
      { type: 'string', minLength: 1, maxLength: UPDATE_LIMITS.criterionTextChars },
      { type: 'null' },
    ]);
    expect(props('TestUpdate').verdict?.enum).toEqual(['update', 'obsolete', 'valid']);
    const nullableArray = (schema: Json | undefined) =>
      (schema?.anyOf as Json[] | undefined)?.find((option) => option.type === 'array');
    expect(nullableArray(props('Generation').updates)).toEqual({
      maxItems: UPDATE_LIMITS.tests,
      type: 'array',
      items: { $ref: '#/components/schemas/TestUpdate' },
    });
    const succeeded = (schemas().Delivery?.oneOf as Json[])[0]?.properties as Record<string, Json>;
    const delivered = (succeeded.data?.properties as Record<string, Json>).updates;
    expect(nullableArray(delivered)?.items).toEqual({ $ref: '#/components/schemas/TestUpdate' });

    // The examples, and the rule "updates iff mode is updates", checked with JSON Schema 2020-12 itself.
    const doc = parse(readFileSync(OPENAPI_FILE, 'utf8')) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const keyword of ['example', 'x-extensible-enum']) ajv.addKeyword(keyword);
    ajv.addSchema({ ...doc, $id: 'sqai' });
    const valid = (id: string, value: unknown) => ajv.validate(`sqai#/components/schemas/${id}`, value);
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const media = (operation: Json | undefined) =>
      (operation?.content as Record<string, { examples: Record<string, { value: Json }> }>)[
        'application/json'
      ]?.examples ?? {};
    const requests = media(paths['/v1/generations']?.post?.requestBody as Json);
    expect(Object.keys(requests)).toEqual(['tests', 'updates']);
    const updateRequest = requests.updates?.value ?? {};
    expect(valid('GenerationRequest', requests.tests?.value)).toBe(true);
    expect(valid('GenerationRequest', updateRequest)).toBe(true);
    const { updates: _updates, ...withoutUpdates } = updateRequest;
    expect(valid('GenerationRequest', withoutUpdates)).toBe(false);
    const { mode: _mode, ...withoutMode } = updateRequest;
    expect(valid('GenerationRequest', withoutMode)).toBe(false);
    expect(valid('GenerationRequest', { ...withoutMode, mode: 'tests' })).toBe(false);
    const answers = media(
      (paths['/v1/generations/{id}']?.get?.responses as Record<string, Json>)['200'] ?? {},
    );
    expect(valid('Generation', answers.updates?.value)).toBe(true);
    const verdicts = (answers.updates?.value.updates as { verdict: string }[]).map((item) => item.verdict);
    expect(verdicts).toEqual(['update', 'obsolete', 'valid']);
  });
});
