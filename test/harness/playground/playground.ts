/**
 * The local playground: one HTTP server with the mini Jira shell, the built Custom UIs, the
 * `/__invoke` bridge to the real handlers, the simulators' control endpoints and the trigger
 * endpoints. `npm start` runs it; the browser tests start it in-process.
 *
 *   GET  /                          page list and demo credentials
 *   GET  /projects/<key>/settings   the settings page in an iframe
 *   GET  /browse/<issueKey>         an issue view with the issue panel in an iframe
 *   POST /__invoke                  the real resolver handler (playground-server.ts)
 *   POST /__trigger/<moduleKey>     runs a scheduledTrigger / consumer handler from manifest.yml
 *   POST /__transition              {issueKey, as?, configuration?}: a transition to Done with the
 *                                   app's workflow validator on it (issue 18, docs/criteria.md); without
 *                                   `configuration`, the one saved on the workflow editor page
 *   GET  /workflow/validators/sqai-criteria-gate
 *                                   Jira's workflow editor, editing that validator's options in an iframe
 *   GET/POST /__gate-config         {configuration: string}: the validator's saved configuration
 *   GET  /__sim/info                the demo credentials that connect DEMO
 *   POST /__sim/faults              {service, status|timeout|reset, rate?, count?, path?}
 *   POST /__sim/latency             {service, ms}
 *   GET  /__sim/requests            request log per service
 *   GET  /__sim/sqai/contexts       what SQAI received
 *   POST /__sim/reset               a fresh seeded world (stores too, unless persisted)
 *   POST /__sim/xray/run            {test, execution?, status}: records a result of a test in an
 *                                   execution (default: its latest), as a tester would in Xray
 */
import { PEOPLE } from '../fixtures/demo-requirements';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../contracts';
import { createCapturingLog, createPersistentStores, type LocalPlatformOptions } from '../local-platform';
import { localUiDir, readBody, sendJson, startPlayground } from '../playground-server';
import { createWorld, DEMO, type World } from '../world';
import { installPlatform } from '../../../src/platform/runtime';
import { installContextOf, transitionWithValidator } from '../local-forge';
import { criteriaGateValidator } from '../../../src/index';
import { manifestTriggers, runTrigger, webTriggerAnswerSchema, webTriggerHandler } from './triggers';
import {
  actorOf,
  renderGateEditor,
  renderIndex,
  renderIssue,
  renderNotFound,
  renderSettings,
  type ShellOptions,
} from './shell';

export interface LocalPlaygroundOptions {
  port?: number;
  /** Persist the key-value and secret stores to this file (PLAYGROUND_PERSIST=1). */
  persistFile?: string;
  /** Echo every log line to the console. */
  verbose?: boolean;
}

export interface LocalPlayground {
  url: string;
  world(): World;
  close(): Promise<void>;
}

const serviceSchema = z.enum(['jira', 'xray', 'sqai']);

const faultSchema = z
  .object({
    service: serviceSchema,
    path: z.string().optional(),
    method: z.string().optional(),
    status: z.number().int().min(100).max(599).optional(),
    body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    contentType: z.string().optional(),
    timeout: z.boolean().optional(),
    reset: z.boolean().optional(),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
  })
  .refine((fault) => fault.status !== undefined || fault.timeout || fault.reset, {
    message: 'Give a status, timeout: true or reset: true',
  });

const transitionSchema = z.object({
  issueKey: z.string().min(1).max(50),
  as: z.string().max(40).optional(),
  /** The validator's configuration, as a workflow admin saved it (JSON string or object). */
  configuration: z.unknown().optional(),
});

/** What Jira keeps for a Forge workflow rule's configuration (new editor: ≤ 32 KB; docs/forge-fidelity.md 18a). */
const gateConfigSchema = z.object({ configuration: z.string().max(32 * 1024) });

const runSchema = z.object({
  test: z.string().min(1).max(50),
  execution: z.string().min(1).max(50).optional(),
  status: z.string().min(1).max(40),
});

/** The status a successful simulated transition moves the issue to. */
const TRANSITION_TO = 'Done';

const latencySchema = z.object({ service: serviceSchema, ms: z.number().int().min(0).max(60_000) });

export const ACTORS = [
  { id: 'admin', accountId: DEMO.admin, label: 'Alex Admin (project admin)' },
  { id: 'user', accountId: DEMO.user, label: 'Uma User (plain user: browse only)' },
  { id: 'member', accountId: PEOPLE.po.accountId, label: 'Priya Product (member: creates and edits)' },
  {
    id: 'contributor',
    accountId: PEOPLE.dev.accountId,
    label: 'Dan Developer (contributor: edits only what he reported)',
  },
] as const;

export async function startLocalPlayground(options: LocalPlaygroundOptions = {}): Promise<LocalPlayground> {
  const stores = options.persistFile ? createPersistentStores(options.persistFile) : undefined;
  const publicUrl = { value: '' };
  const makeWorld = (): World => {
    const worldOptions: {
      log: LocalPlatformOptions['log'];
      stores?: LocalPlatformOptions['stores'];
      autoQueue: boolean;
    } = { log: createCapturingLog(options.verbose ?? false), autoQueue: true };
    if (stores) worldOptions.stores = stores;
    const next = createWorld(worldOptions);
    if (publicUrl.value) next.platform.webTriggerBase.url = `${publicUrl.value}/x1`;
    return next;
  };
  let world = makeWorld();
  /** The workflow validator's options as the workflow editor page last saved them (a JSON string). */
  let gateConfiguration: string | undefined;
  const triggers = manifestTriggers(path.join(repoRoot, 'manifest.yml'));

  const shell = (): ShellOptions => ({
    jira: world.jiraStore,
    cloudId: DEMO.cloudId,
    uiDir: localUiDir,
    actors: [...ACTORS],
    demo: {
      clientId: DEMO.xrayClientId,
      clientSecret: DEMO.xrayClientSecret,
      endpoint: DEMO.sqaiEndpoint,
      token: DEMO.sqaiToken,
    },
    triggers: triggers.map((trigger) => trigger.key),
  });

  const html = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };

  const simulatorOf = (service: z.infer<typeof serviceSchema>) =>
    service === 'jira' ? world.jira : service === 'xray' ? world.xray : world.sqai;

  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') {
      html(res, 200, renderIndex(shell(), url));
      return true;
    }
    const settings = /^\/projects\/([^/]+)\/settings$/.exec(url.pathname);
    if (method === 'GET' && settings) {
      const project = world.jiraStore.project(decodeURIComponent(settings[1] ?? ''));
      if (!project) html(res, 404, renderNotFound(shell(), url, `No project ${settings[1] ?? ''}`));
      else html(res, 200, renderSettings(shell(), url, project));
      return true;
    }
    // Where Jira would host the settings page (the issue panel's "Open SQAI settings" link).
    const settingsLink =
      /^\/jira\/[a-z]+\/projects\/([^/]+)\/settings\/apps\//.exec(url.pathname) ??
      /^\/plugins\/servlet\/project-config\/([^/]+)\/apps/.exec(url.pathname);
    if (method === 'GET' && settingsLink) {
      const as = url.searchParams.get('as');
      res.writeHead(302, { location: `/projects/${settingsLink[1] ?? ''}/settings${as ? `?as=${as}` : ''}` });
      res.end();
      return true;
    }
    if (method === 'GET' && url.pathname === '/workflow/validators/sqai-criteria-gate') {
      html(res, 200, renderGateEditor(shell(), url, gateConfiguration));
      return true;
    }
    if (url.pathname === '/__gate-config') {
      if (method === 'GET') {
        sendJson(res, 200, gateConfiguration === undefined ? {} : { configuration: gateConfiguration });
        return true;
      }
      const parsed = gateConfigSchema.safeParse(JSON.parse((await readBody(req)) || '{}'));
      if (method !== 'POST' || !parsed.success) {
        sendJson(res, 400, { message: 'POST {configuration: string} (at most 32 KB)' });
        return true;
      }
      gateConfiguration = parsed.data.configuration;
      sendJson(res, 200, { ok: true });
      return true;
    }
    const browse = /^\/browse\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && browse) {
      const issue = world.jiraStore.issue(decodeURIComponent(browse[1] ?? ''));
      if (!issue) {
        html(res, 404, renderNotFound(shell(), url, `No issue ${browse[1] ?? ''}`));
      } else {
        const actor = actorOf(shell(), url);
        const visible = world.jiraStore.canSeeIssue({ as: 'user', accountId: actor.accountId }, issue);
        html(res, 200, renderIssue(shell(), url, issue, visible));
      }
      return true;
    }
    const webTrigger = /^\/x1\/([\w-]+)$/.exec(url.pathname);
    if (webTrigger) {
      const handler = webTriggerHandler(path.join(repoRoot, 'manifest.yml'), webTrigger[1] ?? '');
      if (!handler) {
        sendJson(res, 404, { message: 'No such web trigger' });
        return true;
      }
      installPlatform(world.platform);
      const headers: Record<string, string[]> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[key] = [value];
        else if (Array.isArray(value)) headers[key] = value;
      }
      const queryParameters: Record<string, string[]> = {};
      for (const [key, value] of url.searchParams)
        queryParameters[key] = [...(queryParameters[key] ?? []), value];
      const response = webTriggerAnswerSchema.parse(
        await handler(
          {
            method,
            path: url.pathname,
            body: await readBody(req, 2 * 1024 * 1024),
            headers,
            queryParameters,
          },
          { installContext: installContextOf(DEMO.cloudId) },
        ),
      );
      const flatHeaders = Object.fromEntries(
        Object.entries(response.headers ?? {}).map(([key, values]) => [key, values.join(', ')]),
      );
      res.writeHead(response.statusCode, flatHeaders);
      res.end(response.body ?? '');
      return true;
    }
    const trigger = /^\/__trigger\/([\w-]+)$/.exec(url.pathname);
    if (method === 'POST' && trigger) {
      const found = triggers.find((candidate) => candidate.key === trigger[1]);
      if (!found) {
        sendJson(res, 404, {
          message: `No scheduledTrigger or consumer module "${trigger[1] ?? ''}" in manifest.yml`,
        });
        return true;
      }
      sendJson(res, 200, await runTrigger(world.platform, found, DEMO.cloudId));
      return true;
    }
    if (method === 'POST' && url.pathname === '/__transition') {
      const parsed = transitionSchema.safeParse(JSON.parse((await readBody(req)) || '{}'));
      if (!parsed.success) {
        sendJson(res, 400, { message: parsed.error.issues.map((issue) => issue.message).join('; ') });
        return true;
      }
      const { issueKey, as } = parsed.data;
      const configuration = parsed.data.configuration ?? gateConfiguration;
      const actor = ACTORS.find((candidate) => candidate.id === as) ?? ACTORS[0];
      const issue = world.jiraStore.issue(issueKey);
      const target = world.jiraStore.status(TRANSITION_TO);
      const outcome = await transitionWithValidator(world.platform, criteriaGateValidator, {
        cloudId: DEMO.cloudId,
        issueKey,
        accountId: actor.accountId,
        ...(configuration !== undefined ? { configuration } : {}),
        ...(issue ? { from: issue.statusId } : {}),
        ...(target ? { to: target.id } : {}),
      });
      const moved = outcome.status === 'validated' && outcome.result && issue !== undefined;
      if (moved) world.jiraStore.updateIssue(issue.id, { statusName: TRANSITION_TO });
      sendJson(res, 200, { ...outcome, moved, ...(moved ? { to: TRANSITION_TO } : {}) });
      return true;
    }
    if (!url.pathname.startsWith('/__sim/')) return false;

    const route = url.pathname.slice('/__sim/'.length);
    if (method === 'GET' && route === 'info') {
      sendJson(res, 200, {
        cloudId: DEMO.cloudId,
        project: DEMO.project,
        xray: { clientId: DEMO.xrayClientId, clientSecret: DEMO.xrayClientSecret, region: 'global' },
        sqai: { endpoint: DEMO.sqaiEndpoint, token: DEMO.sqaiToken },
        users: ACTORS,
      });
      return true;
    }
    if (method === 'POST' && route === 'faults') {
      const parsed = faultSchema.safeParse(JSON.parse((await readBody(req)) || '{}'));
      if (!parsed.success) {
        sendJson(res, 400, { message: parsed.error.issues.map((issue) => issue.message).join('; ') });
        return true;
      }
      const { service, path: pathText, ...fault } = parsed.data;
      simulatorOf(service).faults.add({ ...fault, ...(pathText ? { path: pathText } : {}) });
      sendJson(res, 200, { ok: true, pending: simulatorOf(service).faults.pending });
      return true;
    }
    if (method === 'POST' && route === 'latency') {
      const parsed = latencySchema.safeParse(JSON.parse((await readBody(req)) || '{}'));
      if (!parsed.success) {
        sendJson(res, 400, { message: parsed.error.issues.map((issue) => issue.message).join('; ') });
        return true;
      }
      simulatorOf(parsed.data.service).latencyMs = parsed.data.ms;
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (method === 'GET' && route === 'requests') {
      sendJson(res, 200, {
        jira: world.jira.log.entries,
        xray: world.xray.log.entries,
        sqai: world.sqai.log.entries,
      });
      return true;
    }
    if (method === 'GET' && route === 'sqai/contexts') {
      sendJson(res, 200, {
        contexts: [...world.sqai.contexts.values()],
        received: world.sqai.received,
      });
      return true;
    }
    if (method === 'POST' && route === 'xray/run') {
      const parsed = runSchema.safeParse(JSON.parse((await readBody(req)) || '{}'));
      const test = parsed.success ? world.jiraStore.issue(parsed.data.test) : undefined;
      if (!parsed.success || !test) {
        sendJson(res, 400, {
          message: parsed.success
            ? `No test ${parsed.data.test}`
            : parsed.error.issues.map((issue) => issue.message).join('; '),
        });
        return true;
      }
      const runs = world.xrayStore.runsOfTest(test.id);
      const execution = parsed.data.execution
        ? world.jiraStore.issue(parsed.data.execution)?.id
        : runs.at(-1)?.testExecIssueId;
      try {
        if (!execution) throw new Error(`${parsed.data.test} is in no Test Execution`);
        const run = world.xrayStore.setRunStatus(execution, test.id, parsed.data.status);
        sendJson(res, 200, { ok: true, run: { id: run.id, status: run.status, finishedOn: run.finishedOn } });
      } catch (error) {
        sendJson(res, 400, { message: error instanceof Error ? error.message : String(error) });
      }
      return true;
    }
    if (method === 'POST' && route === 'reset') {
      if (stores) {
        stores.kvs.data.clear();
        stores.secrets.data.clear();
      }
      world = makeWorld();
      gateConfiguration = undefined;
      sendJson(res, 200, { ok: true });
      return true;
    }
    sendJson(res, 404, { message: `No simulator route ${method} ${url.pathname}` });
    return true;
  };

  const server = await startPlayground({
    platform: () => world.platform,
    cloudId: DEMO.cloudId,
    ...(options.port !== undefined ? { port: options.port } : {}),
    routes,
    canApproveEgress: (accountId) =>
      accountId !== undefined && world.jiraStore.users.get(accountId)?.siteAdmin === true,
  });
  publicUrl.value = server.url;
  world.platform.webTriggerBase.url = `${server.url}/x1`;
  return { url: server.url, world: () => world, close: server.close };
}
