/**
 * The settings that connect the demo project, and the small helpers every service and browser test
 * uses to unwrap resolver results.
 */
import type { ErrorDto, ResolverResult, SaveSettingsInput, XrayTier } from '../../src/api';
import { DEMO_IDS } from './fixtures/demo-jira';

export const DEMO_CONNECTION = {
  xrayClientId: 'DEMO-CLIENT-ID',
  xrayClientSecret: 'demo-client-secret-value',
  sqaiEndpoint: 'https://api.sqai-suite.com',
  sqaiToken: 'sqai-demo-token',
} as const;

export function demoSettings(tier: XrayTier = 'standard'): SaveSettingsInput {
  return {
    xray: { clientId: DEMO_CONNECTION.xrayClientId, region: 'global', tier },
    sqai: { endpoint: DEMO_CONNECTION.sqaiEndpoint },
    sync: { enabled: true, requirementIssueTypes: [], includeRemoteLinks: true, includeTestRuns: true },
    secrets: { xrayClientSecret: DEMO_CONNECTION.xrayClientSecret, sqaiToken: DEMO_CONNECTION.sqaiToken },
  };
}

export function data<T>(result: ResolverResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.data;
}

export function failure<T>(result: ResolverResult<T>): ErrorDto {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

/** Connects DEMO through a running playground's `/__invoke`, as its project admin. */
export async function configureThroughPlayground(
  baseUrl: string,
  tier: XrayTier = 'standard',
): Promise<unknown> {
  const response = await fetch(`${baseUrl}/__invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      functionKey: 'saveSettings',
      payload: demoSettings(tier),
      context: {
        accountId: DEMO_IDS.admin,
        projectId: DEMO_IDS.project.id,
        projectKey: DEMO_IDS.project.key,
      },
    }),
  });
  return response.json();
}
