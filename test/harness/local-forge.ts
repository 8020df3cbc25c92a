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

export async function invokeResolver(
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
