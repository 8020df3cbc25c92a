/** Validates a document against the PUBLISHED JSON Schema (docs/sqai-context.schema.json) with ajv. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { repoRoot } from '../../harness/contracts';

let validator: (((value: unknown) => boolean) & { errors?: unknown }) | undefined;

export function validateAgainstPublishedSchema(document: unknown): void {
  if (!validator) {
    const schema = JSON.parse(
      readFileSync(path.join(repoRoot, 'docs', 'sqai-context.schema.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  if (!validator(document)) {
    throw new Error(
      `The document does not match docs/sqai-context.schema.json: ${JSON.stringify(validator.errors)}`,
    );
  }
}
