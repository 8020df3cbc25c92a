/**
 * Invokes the REAL handlers from src/index.ts the way Forge does: the resolver handler receives
 * `{ call: { functionKey, payload }, context }` and, as its second argument, the backend runtime
 * payload carrying the principal's accountId and the installContext.
 */
import { z } from 'zod';
import { resolverHandler } from '../../src/index';
import { runInvocation } from '../../src/platform/invocation';
import { installPlatform } from '../../src/platform/runtime';
import type { Platform } from '../../src/platform/ports';
import { invocationScope } from './local-platform';

export interface InvocationContext {
  accountId?: string;
  cloudId: string;
  moduleKey: string;
  siteUrl?: string;
  project?: { id: string; key: string; type?: string };
  issue?: { id: string; key: string; type?: string; typeId?: string };
}

export const installContextOf = (cloudId: string) => `ari:cloud:jira::site/${cloudId}`;

export function forgeContextOf(context: InvocationContext) {
  return {
    cloudId: context.cloudId,
    ...(context.siteUrl ? { siteUrl: context.siteUrl } : {}),
    localId: `ari:cloud:ecosystem::extension/local-app/local-env/static/${context.moduleKey}`,
    moduleKey: context.moduleKey,
    environmentId: 'local-environment',
    environmentType: 'DEVELOPMENT',
    extension: {
      type: context.issue ? 'jira:issuePanel' : 'jira:projectSettingsPage',
      ...(context.project ? { project: { type: 'software', ...context.project } } : {}),
      ...(context.issue ? { issue: { type: 'Story', ...context.issue } } : {}),
    },
  };
}

/**
 * What Forge allows a Custom UI resolver call (docs/forge-fidelity.md, rule 6 and 16): `invoke`
 * sends at most 500 KB and receives at most 5 MB; the function is ended after 25 s.
 */
export const FORGE_RESOLVER_LIMITS = {
  requestBytes: 500 * 1024,
  responseBytes: 5 * 1024 * 1024,
  timeoutMs: 25_000,
} as const;

/** A resolver call Forge would refuse or end: the test that made it fails. */
export class ForgeLimitError extends Error {
  override name = 'ForgeLimitError';
  constructor(
    readonly limit: 'request' | 'time' | 'response',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The payload reaches the function as JSON (Forge sends it over HTTP): what JSON cannot carry never
 * arrives (a BigInt is refused, an undefined field is dropped, a Date becomes a string).
 */
function wireOf(payload: unknown): string | undefined {
  try {
    return payload === undefined ? undefined : JSON.stringify(payload);
  } catch (error) {
    throw new ForgeLimitError('request', `Forge cannot send a payload that is not JSON (${String(error)})`);
  }
}

/** A payload as the resolver receives it. */
export function asDelivered(payload: unknown): unknown {
  const wire = wireOf(payload);
  return wire === undefined ? undefined : (JSON.parse(wire) as unknown);
}

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

export async function invokeResolver(
  platform: Platform,
  functionKey: string,
  payload: unknown,
  context: InvocationContext,
): Promise<unknown> {
  const wire = wireOf(payload);
  const requestBytes = wire === undefined ? 0 : Buffer.byteLength(wire, 'utf8');
  if (requestBytes > FORGE_RESOLVER_LIMITS.requestBytes) {
    throw new ForgeLimitError(
      'request',
      `Forge refuses a resolver call of ${requestBytes} bytes (${functionKey}; 500 KB at most)`,
    );
  }
  const started = performance.now();
  const answer = await runResolver(
    platform,
    functionKey,
    wire === undefined ? undefined : (JSON.parse(wire) as unknown),
    context,
  );
  const elapsedMs = performance.now() - started;
  if (elapsedMs > FORGE_RESOLVER_LIMITS.timeoutMs) {
    throw new ForgeLimitError(
      'time',
      `Forge ends a resolver after 25 s: ${functionKey} took ${(elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  const responseBytes = jsonBytes(answer);
  if (responseBytes > FORGE_RESOLVER_LIMITS.responseBytes) {
    throw new ForgeLimitError(
      'response',
      `Forge refuses a resolver answer of ${responseBytes} bytes (${functionKey}; 5 MB at most)`,
    );
  }
  return answer;
}

function runResolver(
  platform: Platform,
  functionKey: string,
  payload: unknown,
  context: InvocationContext,
): Promise<unknown> {
  installPlatform(platform);
  const scope = context.accountId ? { accountId: context.accountId } : {};
  // The site's platform travels with this invocation only, so two sites may run interleaved.
  return runInvocation(
    () =>
      invocationScope.run(scope, () =>
        resolverHandler(
          {
            call: { functionKey, payload: payload },
            context: forgeContextOf(context),
          },
          {
            installContext: installContextOf(context.cloudId),
            ...(context.accountId ? { principal: { accountId: context.accountId } } : {}),
          },
        ),
      ),
    platform,
  );
}

// ---------- workflow validators ----------

/**
 * What Forge allows a `jira:workflowValidator` function (docs/forge-fidelity.md, rule 18): the
 * function is an ordinary Forge function, ended after 25 s (`limits-invocation`: 55 s applies only to
 * web triggers, actions, and functions used by consumers or scheduled triggers alone), given at most
 * 5 MB of payload; it must answer `{ result: boolean, errorMessage?: string }`.
 */
export const FORGE_VALIDATOR_LIMITS = {
  payloadBytes: 5 * 1024 * 1024,
  timeoutMs: 25_000,
} as const;

/** The answer Jira reads from a validator function. */
const validatorAnswerShape = z.object({ result: z.boolean(), errorMessage: z.string().optional() }).strict();

export interface SimulatedTransition {
  cloudId: string;
  issueKey: string;
  /** Who moves the issue (Jira checks their permissions before any validator runs). */
  accountId: string;
  /** The validator's saved configuration (`workflowRules.onConfigure`'s JSON string, or parsed). */
  configuration?: unknown;
  from?: string;
  to?: string;
  modifiedFields?: Record<string, unknown>;
}

export type TransitionOutcome =
  /** Jira refused the transition itself (the user cannot see or move the issue): no validator ran. */
  | { status: 'refused-by-jira'; httpStatus: 404 | 403; errorMessages: string[] }
  /** The validator answered: `result: false` stops the transition and Jira shows `errorMessage`. */
  | { status: 'validated'; result: boolean; errorMessage?: string; elapsedMs: number };

/**
 * Performs a transition the way Jira does when a Forge validator is on it: Jira first checks, as the
 * user, that they may see the issue (`POST /issue/{key}/transitions` needs Browse projects and
 * Transition issues — the simulator models Browse) and answers 404 otherwise, without running any
 * validator; then it calls the validator function with the documented event
 * (`{ issue: { key }, configuration, transition: { from, to, modifiedFields } }`) and Forge's
 * context, and reads its answer, which must have the module's shape (a test fails otherwise).
 */
export async function transitionWithValidator(
  platform: Platform,
  handler: (event: unknown, context: unknown) => unknown,
  transition: SimulatedTransition,
): Promise<TransitionOutcome> {
  const permissions = await invocationScope.run({ accountId: transition.accountId }, () =>
    platform.jira.request(
      `/rest/api/3/mypermissions?issueKey=${encodeURIComponent(transition.issueKey)}&permissions=BROWSE_PROJECTS`,
      {},
      { as: 'user' },
    ),
  );
  const held =
    permissions.status === 200 &&
    z
      .object({ permissions: z.object({ BROWSE_PROJECTS: z.object({ havePermission: z.boolean() }) }) })
      .safeParse(JSON.parse(await permissions.text())).data?.permissions.BROWSE_PROJECTS.havePermission ===
      true;
  if (!held) {
    return {
      status: 'refused-by-jira',
      httpStatus: 404,
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
    };
  }
  const event = {
    issue: { key: transition.issueKey },
    configuration: transition.configuration ?? {},
    transition: {
      from: { id: transition.from ?? '10000' },
      to: { id: transition.to ?? '10001' },
      ...(transition.modifiedFields ? { modifiedFields: transition.modifiedFields } : {}),
    },
  };
  const wire = wireOf(event) ?? '{}';
  if (Buffer.byteLength(wire, 'utf8') > FORGE_VALIDATOR_LIMITS.payloadBytes) {
    throw new ForgeLimitError('request', 'Forge refuses a validator payload over 5 MB');
  }
  installPlatform(platform);
  const started = performance.now();
  // Jira runs the validator in the background of the user's request: no user principal is documented.
  const answer = await runInvocation(
    () => handler(JSON.parse(wire) as unknown, { installContext: installContextOf(transition.cloudId) }),
    platform,
  );
  const elapsedMs = performance.now() - started;
  if (elapsedMs > FORGE_VALIDATOR_LIMITS.timeoutMs) {
    throw new ForgeLimitError(
      'time',
      `Forge ends a validator function after 25 s: it took ${(elapsedMs / 1000).toFixed(1)} s`,
    );
  }
  const parsed = validatorAnswerShape.safeParse(asDelivered(answer));
  if (!parsed.success) {
    throw new ForgeLimitError(
      'response',
      `A workflow validator must answer { result: boolean, errorMessage?: string }, got ${JSON.stringify(answer)?.slice(0, 200)}`,
    );
  }
  return {
    status: 'validated',
    result: parsed.data.result,
    ...(parsed.data.errorMessage === undefined ? {} : { errorMessage: parsed.data.errorMessage }),
    elapsedMs,
  };
}
