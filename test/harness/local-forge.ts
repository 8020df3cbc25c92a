/**
 * Invokes the REAL handlers from src/index.ts the way Forge does: the resolver handler receives
 * `{ call: { functionKey, payload }, context }` and, as its second argument, the backend runtime
 * payload carrying the principal's accountId and the installContext.
 */
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
