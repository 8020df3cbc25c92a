/**
 * Writes the ops of an accepted update to Xray (src/living/apply-plan.ts plans them): step updates,
 * adds and removals as aliased fields of ONE mutation request (≤ STEP_OPS_PER_REQUEST; Xray runs them
 * in document order), a Gherkin or unstructured definition as its own mutation.
 *
 * Every write is sent 'unsafe': after a timeout, a dropped connection or a 5xx the request is not
 * repeated blindly (an `addTestStep` that took effect would add its step twice). The caller reads the
 * test again and reconciles; the plan then contains only what is still to do.
 */
import { z } from 'zod';
import { withPurpose } from '../../errors';
import type { ApplyOp, StepOp, TextOp } from '../../living/apply-plan';
import type { XrayClient } from './client';
import { STEP_OPS_PER_REQUEST, testStepOpsDocument } from './documents';

const anyAnswer = z.record(z.string(), z.unknown());
const addedSchema = z.object({ id: z.string().min(1) }).loose();
const updatedSchema = z.object({ warnings: z.array(z.string().nullable()).nullish() }).loose();
const definitionSchema = z.object({ issueId: z.string().nullish() }).loose();

export interface WriteResult {
  /** Ops Xray confirmed. */
  written: number;
  /** Ids of the steps added, in order. */
  addedStepIds: string[];
  warnings: string[];
}

const isTextOp = (op: ApplyOp): op is TextOp => op.op === 'gherkin' || op.op === 'unstructured';

/** The ops in request-sized chunks, in order (a text op is a request of its own). */
export function chunksOf(ops: readonly ApplyOp[]): ApplyOp[][] {
  const chunks: ApplyOp[][] = [];
  let steps: StepOp[] = [];
  for (const op of ops) {
    if (isTextOp(op)) {
      if (steps.length > 0) chunks.push(steps);
      steps = [];
      chunks.push([op]);
      continue;
    }
    steps.push(op);
    if (steps.length === STEP_OPS_PER_REQUEST) {
      chunks.push(steps);
      steps = [];
    }
  }
  if (steps.length > 0) chunks.push(steps);
  return chunks;
}

async function writeText(client: XrayClient, issueId: string, key: string, op: TextOp): Promise<WriteResult> {
  const purpose = `Failed to update the ${op.op === 'gherkin' ? 'Gherkin scenario' : 'definition'} of ${key} in Xray`;
  const gherkin = op.op === 'gherkin';
  const field = gherkin ? 'updateGherkinTestDefinition' : 'updateUnstructuredTestDefinition';
  const data = await client.graphql(
    gherkin ? 'updateGherkinDefinition' : 'updateUnstructuredDefinition',
    gherkin ? { issueId, gherkin: op.text } : { issueId, unstructured: op.text },
    z.record(z.string(), definitionSchema.nullish()),
    purpose,
    'unsafe',
  );
  if (!data[field]) throw withPurpose('XRAY_API_ERROR', `${purpose} (Xray returned no test)`);
  return { written: 1, addedStepIds: [], warnings: [] };
}

async function writeSteps(
  client: XrayClient,
  issueId: string,
  key: string,
  ops: readonly StepOp[],
): Promise<WriteResult> {
  const purpose = `Failed to update the steps of ${key} in Xray`;
  const variables: Record<string, unknown> = {};
  ops.forEach((op, n) => {
    if (op.op === 'add') {
      variables.issueId = issueId;
      variables[`step${n}`] = op.step;
    } else if (op.op === 'update') {
      variables[`id${n}`] = op.stepId;
      variables[`step${n}`] = op.step;
    } else {
      variables[`id${n}`] = op.stepId;
    }
  });
  const data = await client.graphqlDocument(
    testStepOpsDocument(ops.map((op) => op.op)),
    variables,
    anyAnswer,
    purpose,
    'unsafe',
  );
  const result: WriteResult = { written: 0, addedStepIds: [], warnings: [] };
  ops.forEach((op, n) => {
    const answer = data[`o${n}`];
    if (op.op === 'add') {
      const added = addedSchema.safeParse(answer);
      if (!added.success) {
        throw withPurpose('XRAY_API_ERROR', `${purpose} (Xray returned no step for step ${op.position + 1})`);
      }
      result.addedStepIds.push(added.data.id);
    } else if (op.op === 'update') {
      const updated = updatedSchema.safeParse(answer);
      if (!updated.success) {
        throw withPurpose('XRAY_API_ERROR', `${purpose} (unexpected answer for step ${op.position + 1})`);
      }
      for (const warning of updated.data.warnings ?? []) if (warning) result.warnings.push(warning);
    }
    result.written += 1;
  });
  return result;
}

/**
 * Writes one chunk (from `chunksOf`) in one request. Throws XRAY_API_ERROR when Xray refused any op
 * or the answer did not come: what took effect is then unknown, and the caller reconciles.
 */
export async function writeOps(
  client: XrayClient,
  test: { issueId: string; key: string },
  chunk: readonly ApplyOp[],
): Promise<WriteResult> {
  const [first] = chunk;
  if (!first) return { written: 0, addedStepIds: [], warnings: [] };
  if (isTextOp(first)) {
    if (chunk.length > 1) throw new RangeError('a definition update is a request of its own');
    return writeText(client, test.issueId, test.key, first);
  }
  const steps = chunk.filter((op): op is StepOp => !isTextOp(op));
  if (steps.length !== chunk.length) throw new RangeError('a chunk holds step ops or one definition update');
  return writeSteps(client, test.issueId, test.key, steps);
}
