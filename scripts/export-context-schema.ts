/**
 * `npm run docs:schema`: writes docs/sqai-context.schema.json from the zod schema in
 * src/context/schema.ts (the single source; a unit test fails when the file is stale), and
 * docs/sqai-context.example.json: DEMO-1's document as the playground's simulators produce it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { contextJsonSchema } from '../src/context/schema';

export const SCHEMA_FILE = path.join(__dirname, '..', 'docs', 'sqai-context.schema.json');
export const EXAMPLE_FILE = path.join(__dirname, '..', 'docs', 'sqai-context.example.json');

export const renderContextSchema = (): string => `${JSON.stringify(contextJsonSchema(), null, 2)}\n`;

async function renderExample(): Promise<string> {
  // Loaded lazily: the harness is only needed for the example, not by the schema test.
  const { createWorld, DEMO } = await import('../test/harness/world');
  const { createCapturingLog } = await import('../test/harness/local-platform');
  const now = new Date('2026-11-25T09:00:00.000Z');
  const world = createWorld({ now: () => now, log: createCapturingLog(false) });
  const saved = await world.invoke('saveSettings', {
    xray: { clientId: DEMO.xrayClientId, region: 'global', tier: 'standard' },
    sqai: { endpoint: DEMO.sqaiEndpoint },
    sync: { enabled: true, requirementIssueTypes: [], includeRemoteLinks: true, includeTestRuns: true },
    secrets: { xrayClientSecret: DEMO.xrayClientSecret, sqaiToken: DEMO.sqaiToken },
  });
  if (!saved.ok) throw new Error(saved.error.message);
  const preview = await world.invokeIssue<{ document: unknown }>('previewContext', {}, 'DEMO-1');
  if (!preview.ok) throw new Error(preview.error.message);
  return `${JSON.stringify(preview.data.document, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, renderContextSchema());
  console.log(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  renderExample()
    .then((example) => {
      writeFileSync(EXAMPLE_FILE, example);
      console.log(`Wrote ${path.relative(process.cwd(), EXAMPLE_FILE)}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
