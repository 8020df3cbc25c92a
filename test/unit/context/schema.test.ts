import { readFileSync } from 'node:fs';
import { renderContextSchema, SCHEMA_FILE } from '../../../scripts/export-context-schema';
import { contextJsonSchema } from '../../../src/context/schema';

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
});
