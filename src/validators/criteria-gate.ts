/**
 * Forge `jira:workflowValidator` "SQAI: acceptance criteria proven" (issue 18, item 4;
 * docs/forge-fidelity.md "Workflow validator"). Jira invokes the function on each transition the
 * validator is added to with `{ issue: { key }, configuration, transition: { from, to,
 * modifiedFields } }` and reads `{ result, errorMessage }` back: `result: false` stops the
 * transition and shows `errorMessage`.
 *
 * It answers from stored state only (src/criteria/store.ts: two storage round trips, no Jira, Xray or
 * SQAI request), so it is fast and the same for every user. Its configuration (saved by the
 * validator's create/edit page through `workflowRules.onConfigure`, a JSON string) is validated: a
 * malformed one refuses with a message for the admin, since a gate that cannot read its rules must
 * not guess them. A storage failure follows `whenUnknown`.
 */
import { z } from 'zod';
import { readTraceabilityByKey, type StoredTraceability } from '../criteria/store';
import { issueKeySchema } from '../criteria/state';
import { decideGate, GATE_SIGNATURE, gateOptionsSchema, type GateOptions } from '../criteria/workflow-gate';
import type { Platform } from '../platform/ports';
import { platform } from '../platform/runtime';

/** What Jira passes the validator function (Forge docs, jira-workflow-validator "Validating with lambda functions"). */
export const validatorEventSchema = z
  .object({
    issue: z.object({ key: z.string().min(1).max(255) }).loose(),
    configuration: z.unknown().optional(),
    transition: z
      .object({
        from: z.object({ id: z.string() }).loose().optional(),
        to: z.object({ id: z.string() }).loose().optional(),
        modifiedFields: z.record(z.string(), z.unknown()).nullish(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** What the validator answers: `errorMessage` is shown only when `result` is false. */
export const validatorAnswerSchema = z
  .object({ result: z.boolean(), errorMessage: z.string().min(1).optional() })
  .strict();
export type ValidatorAnswer = z.infer<typeof validatorAnswerSchema>;

export const MISCONFIGURED_MESSAGE = `This transition's acceptance-criteria validator is misconfigured: ask a Jira admin to edit it in the workflow ${GATE_SIGNATURE}`;
export const UNREADABLE_MESSAGE = `The acceptance criteria of this issue could not be checked just now; try again in a minute ${GATE_SIGNATURE}`;
export const NO_ISSUE_MESSAGE = `Jira did not say which issue is moving, so its acceptance criteria could not be checked ${GATE_SIGNATURE}`;

/**
 * The validator's options from its stored configuration: nothing (a validator added without the
 * configuration page) is the defaults; the configuration page saves a JSON string, which Jira may hand
 * over as that string or parsed.
 */
export function parseGateConfiguration(configuration: unknown): GateOptions | undefined {
  let value = configuration;
  if (value === undefined || value === null || value === '') value = {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  const parsed = gateOptionsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The validator's decision for one transition, from stored state only. */
export async function checkCriteriaGate(
  site: Pick<Platform, 'kvs' | 'log'>,
  event: unknown,
): Promise<ValidatorAnswer> {
  const parsedEvent = validatorEventSchema.safeParse(event);
  const issueKey = parsedEvent.success ? issueKeySchema.safeParse(parsedEvent.data.issue.key) : undefined;
  if (!parsedEvent.success || !issueKey?.success) {
    site.log.warn('Workflow validator: the event names no issue key', {});
    return { result: false, errorMessage: NO_ISSUE_MESSAGE };
  }
  const options = parseGateConfiguration(parsedEvent.data.configuration);
  if (options === undefined) {
    site.log.warn('Workflow validator: malformed configuration', { issueKey: issueKey.data });
    return { result: false, errorMessage: MISCONFIGURED_MESSAGE };
  }
  let stored: StoredTraceability | undefined;
  try {
    stored = await readTraceabilityByKey(site.kvs, site.log, issueKey.data);
  } catch (error) {
    site.log.warn('Workflow validator: storage unavailable', {
      issueKey: issueKey.data,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return options.whenUnknown === 'allow'
      ? { result: true }
      : { result: false, errorMessage: UNREADABLE_MESSAGE };
  }
  const decision = decideGate(stored, options);
  site.log.info('Workflow validator decided', {
    issueKey: issueKey.data,
    allow: decision.allow,
    reason: decision.reason,
    require: options.require,
    ...(decision.allow ? {} : { blocking: decision.blocking.length }),
  });
  return decision.allow ? { result: true } : { result: false, errorMessage: decision.message };
}

/** The Forge function (src/index.ts wraps it with `inInvocation`). */
export function handleWorkflowValidator(event: unknown): Promise<ValidatorAnswer> {
  return checkCriteriaGate(platform(), event);
}
