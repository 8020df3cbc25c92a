import { readFileSync } from 'node:fs';
import { renderContextSchema, SCHEMA_FILE } from '../../../scripts/export-context-schema';
import { CONTEXT_SCHEMA_ID, contextJsonSchema } from '../../../src/context/schema';

describe('docs/sqai-context.schema.json', () => {
  it('is generated from the zod schema and up to date (run `npm run docs:schema`)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderContextSchema());
  });

  it('is a draft 2020-12 schema that requires the core sections', () => {
    const schema = contextJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'schema',
        'contentHash',
        'source',
        'requirement',
        'linkedIssues',
        'remoteLinks',
        'xray',
        'truncated',
      ]),
    );
  });

  it('names its version, major and minor, in the schema id (docs/sqai-contract.md "Evolution rules")', () => {
    expect(CONTEXT_SCHEMA_ID).toMatch(/^sqai\.context\/v\d+\.\d+$/);
    const properties = contextJsonSchema().properties as Record<string, { const?: unknown }>;
    expect(properties.schema?.const).toBe(CONTEXT_SCHEMA_ID);
    expect(contextJsonSchema().$id).toContain(CONTEXT_SCHEMA_ID.replace('/', '.'));
  });

  it('states its limits: maxLength, maxItems and date-time (the contract’s units)', () => {
    const text = JSON.stringify(contextJsonSchema());
    expect(text).toContain('"maxLength":30000'); // the description
    expect(text).toContain('"maxItems":1000'); // the tests
    expect(text).toContain('"format":"date-time"'); // source.syncedAt
  });
});
