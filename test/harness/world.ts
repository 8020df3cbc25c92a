/**
 * One seeded "world": the Jira, Xray and SQAI simulators sharing the demo site's data, the local
 * platform wired to them, and an `invoke` that runs the real resolver handler as a given user.
 * The playground (`npm start`), the service tests and the browser tests all stand on it.
 */
import type { ResolverResult } from '../../src/api';
import { clearXrayTokenCache } from '../../src/clients/xray/client';
import { resetBudgets } from '../../src/clients/xray/rate-budget';
import { installPlatform } from '../../src/platform/runtime';
import { createConfluenceSimulator } from './confluence-sim/simulator';
import { ConfluenceStore } from './confluence-sim/store';
import { seedDemoConfluence } from './fixtures/demo-confluence';
import { seedDemoJira, DEMO_IDS } from './fixtures/demo-jira';
import { seedDemoXray } from './fixtures/demo-xray';
import { createJiraSimulator } from './jira-sim/simulator';
import { JiraStore } from './jira-sim/store';
import { invokeResolver, type InvocationContext } from './local-forge';
import {
  createCapturingLog,
  createLocalPlatform,
  type ConfluenceSimulatorLike,
  type JiraSimulatorLike,
  type LocalPlatform,
  type LocalPlatformOptions,
} from './local-platform';
import { createSqaiSimulator } from './sqai-sim/simulator';
import { createXraySimulator } from './xray-sim/simulator';
import { XrayStore } from './xray-sim/store';
import path from 'node:path';
import { repoRoot } from './contracts';
import { indexedPropertiesOf } from './jira-sim/entity-properties';
import { dispatchQueueEvent, manifestTriggers, runTrigger } from './playground/triggers';
import { secretScan, type Service } from './secret-scan';
import type { HttpSimulator, SimRequest, SimResponse } from './sim-kit';

export const DEMO = {
  ...DEMO_IDS,
  xrayClientId: 'DEMO-CLIENT-ID',
  xrayClientSecret: 'demo-client-secret-value',
  sqaiEndpoint: 'https://api.sqai-suite.com',
  sqaiToken: 'sqai-demo-token',
} as const;

export interface WorldOptions {
  log?: LocalPlatformOptions['log'];
  stores?: LocalPlatformOptions['stores'];
  /** Added to every upstream call by the local platform (benchmarks). */
  latencyMs?: number;
  now?: () => Date;
  /** Xray's rate window (default 5 minutes); tests shrink it. */
  xrayRateWindowMs?: number;
  /**
   * Validate every Jira and SQAI request and response against their OpenAPI documents (default
   * true). Benchmarks turn it off so they time the app, not the validator.
   */
  validateContracts?: boolean;
  /** Deliver queued events at once (the playground) instead of on `platform.queue.drain()` (tests). */
  autoQueue?: boolean;
  /** The SQAI simulator keeps whole documents (default) or only their identity (large benchmarks). */
  sqaiKeepsDocuments?: boolean;
  /** The platform clock's sleep (benchmarks warp time). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function createWorld(options: WorldOptions = {}) {
  clearXrayTokenCache();
  resetBudgets();
  const now = options.now ?? (() => new Date());
  const jiraStore = new JiraStore(DEMO.siteUrl, now);
  // The issue properties the app's manifest asks Jira to index for JQL (jira:entityProperty).
  jiraStore.indexedProperties = indexedPropertiesOf(path.join(repoRoot, 'manifest.yml'));
  const requirements = seedDemoJira(jiraStore, now());
  const xrayStore = new XrayStore(jiraStore, now);
  seedDemoXray(xrayStore, requirements, now(), {
    clientId: DEMO.xrayClientId,
    clientSecret: DEMO.xrayClientSecret,
  });

  const confluenceStore = new ConfluenceStore(DEMO.siteUrl, (accountId) => jiraStore.isKnownUser(accountId));
  seedDemoConfluence(confluenceStore, now());
  const confluence = createConfluenceSimulator({
    store: confluenceStore,
    ...(options.validateContracts === false ? { spec: null } : {}),
  });

  const jira = createJiraSimulator({
    store: jiraStore,
    now,
    ...(options.validateContracts === false ? { spec: null } : {}),
  });
  const xray = createXraySimulator({
    jira: jiraStore,
    store: xrayStore,
    now,
    ...(options.xrayRateWindowMs ? { rateWindowMs: options.xrayRateWindowMs } : {}),
  });
  const sqai = createSqaiSimulator({
    tokens: [DEMO.sqaiToken],
    now,
    ...(options.sqaiKeepsDocuments === false ? { keepDocuments: false } : {}),
    // The SQAI contract (docs/sqai-openapi.yaml) is checked with the Jira spec, unless turned off.
    ...(options.validateContracts === false ? { validateContract: false } : {}),
  });
  // The suite-wide secret scan (test/harness/secret-scan.ts) sees every request the app sends
  // upstream; off (the playground, benchmarks), the app talks to the simulators directly.
  const scanning = secretScan.active;
  /** `sim`, or (scanning) `sim` with each request recorded for the scan as `toScanned` shapes it. */
  function observed<Request, Simulator extends { handle(request: Request): Promise<SimResponse> }>(
    service: Service,
    sim: Simulator,
    toScanned: (request: Request) => SimRequest,
    onResponse?: (request: SimRequest, response: SimResponse) => void,
  ): Simulator | { handle(request: Request): Promise<SimResponse> } {
    if (!scanning) return sim;
    return {
      handle: async (request: Request) => {
        const scanned = toScanned(request);
        secretScan.recordRequest(service, scanned);
        const response = await sim.handle(request);
        onResponse?.(scanned, response);
        return response;
      },
    };
  }
  const withUrl = (request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
  }) => ({
    ...request,
    url: request.path,
  });
  const asIs = (request: SimRequest): SimRequest => request;
  const observedJira: JiraSimulatorLike = observed('jira', jira, withUrl);
  const observedConfluence: ConfluenceSimulatorLike = observed('confluence', confluence, withUrl);
  const observedXray: HttpSimulator = observed('xray', xray, asIs, (request, response) =>
    secretScan.recordXrayResponse(request, response),
  );
  const observedSqai: HttpSimulator = observed('sqai', sqai, asIs);
  const platform: LocalPlatform = createLocalPlatform({
    jira: observedJira,
    confluence: observedConfluence,
    xray: observedXray,
    sqai: observedSqai,
    log: options.log ?? createCapturingLog(),
    ...(options.stores ? { stores: options.stores } : {}),
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    now,
  });
  installPlatform(platform);
  if (scanning) {
    secretScan.addSecret('Xray client secret', DEMO.xrayClientSecret);
    secretScan.addSecret('SQAI token', DEMO.sqaiToken);
    secretScan.registerWorld({ log: platform.log, secrets: platform.secrets });
  }
  const triggers = manifestTriggers(path.join(repoRoot, 'manifest.yml'));
  platform.queue.setDispatcher((event) => dispatchQueueEvent(platform, triggers, event, DEMO.cloudId));
  platform.queue.autoDeliver = options.autoQueue ?? false;

  /** Every resolver response of this world, for the secret scan. */
  const responses: unknown[] = [];

  async function invokeAs<T>(
    functionKey: string,
    payload: unknown,
    context: Omit<InvocationContext, 'cloudId'>,
  ): Promise<ResolverResult<T>> {
    const result = await invokeResolver(platform, functionKey, payload, {
      cloudId: DEMO.cloudId,
      ...context,
    });
    responses.push(result);
    return result as ResolverResult<T>;
  }

  /** A settings-page call (project context) as `as`. */
  function invoke<T>(
    functionKey: string,
    payload: unknown,
    as: string = DEMO.admin,
    project: { id: string; key: string } = DEMO.project,
  ): Promise<ResolverResult<T>> {
    return invokeAs<T>(functionKey, payload, {
      ...(as ? { accountId: as } : {}),
      moduleKey: 'sqai-settings',
      project,
    });
  }

  /** An issue-panel call on `issueKey` (issue + project context, as Forge builds it) as `as`. */
  function invokeIssue<T>(
    functionKey: string,
    payload: unknown,
    issueKey: string,
    as: string = DEMO.admin,
  ): Promise<ResolverResult<T>> {
    const issue = jiraStore.issue(issueKey);
    if (!issue) throw new Error(`No issue ${issueKey} in the demo world`);
    const project = jiraStore.projects.get(issue.projectId);
    return invokeAs<T>(functionKey, payload, {
      ...(as ? { accountId: as } : {}),
      moduleKey: 'sqai-issue-panel',
      siteUrl: DEMO.siteUrl,
      issue: { id: issue.id, key: issue.key },
      ...(project ? { project: { id: project.id, key: project.key } } : {}),
    });
  }

  /**
   * Runs the manifest's scheduled trigger `key` as Forge does; fails when Forge would record the
   * invocation as failed (it threw, or its answer is not a 2xx `{ statusCode }`).
   */
  async function runScheduledTrigger(key = 'hourly-sync'): Promise<unknown> {
    const trigger = triggers.find((module) => module.kind === 'scheduledTrigger' && module.key === key);
    if (!trigger) throw new Error(`manifest.yml has no scheduled trigger ${key}`);
    const outcome = await runTrigger(platform, trigger, DEMO.cloudId);
    if (!outcome.ok) throw new Error(`Forge records scheduled trigger ${key} as failed: ${outcome.error}`);
    return outcome.result;
  }

  return {
    jira,
    confluence,
    confluenceStore,
    xray,
    sqai,
    jiraStore,
    xrayStore,
    requirements,
    platform,
    invoke,
    invokeAs,
    invokeIssue,
    runScheduledTrigger,
    responses,
  };
}

export type World = ReturnType<typeof createWorld>;
