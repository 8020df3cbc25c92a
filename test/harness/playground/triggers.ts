/**
 * Runs the app's scheduled-trigger and queue-consumer handlers the way Forge does: the manifest
 * names a function module, the function names `index.<export>`, and the export in src/index.ts is
 * called with a Forge-shaped event and context.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import * as handlers from '../../../src/index';
import { runInvocation } from '../../../src/platform/invocation';
import { installPlatform } from '../../../src/platform/runtime';
import type { LocalPlatform } from '../local-platform';
import { installContextOf } from '../local-forge';
import type { DeliveredEvent } from '../local-queue';

export interface TriggerModule {
  kind: 'scheduledTrigger' | 'consumer';
  key: string;
  handler: string;
  interval?: string;
  /** Consumers: the queue they read. */
  queue?: string;
}

const manifestSchema = z.object({
  modules: z
    .object({
      scheduledTrigger: z
        .array(z.object({ key: z.string(), function: z.string(), interval: z.string() }))
        .optional(),
      consumer: z
        .array(z.object({ key: z.string(), queue: z.string().optional(), function: z.string() }))
        .optional(),
      function: z.array(z.object({ key: z.string(), handler: z.string() })).optional(),
      webtrigger: z.array(z.object({ key: z.string(), function: z.string() })).optional(),
    })
    .loose(),
});

export function manifestTriggers(manifestPath: string): TriggerModule[] {
  const manifest = manifestSchema.parse(parseYaml(readFileSync(manifestPath, 'utf8')));
  const functions = new Map((manifest.modules.function ?? []).map((fn) => [fn.key, fn.handler]));
  const handlerOf = (key: string) => functions.get(key) ?? '';
  return [
    ...(manifest.modules.scheduledTrigger ?? []).map((module) => ({
      kind: 'scheduledTrigger' as const,
      key: module.key,
      handler: handlerOf(module.function),
      interval: module.interval,
    })),
    ...(manifest.modules.consumer ?? []).map((module) => ({
      kind: 'consumer' as const,
      key: module.key,
      handler: handlerOf(module.function),
      queue: module.queue,
    })),
  ];
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function exportOf(handler: string): Handler {
  const name = handler.replace(/^index\./, '');
  const candidate: unknown = (handlers as Record<string, unknown>)[name];
  if (typeof candidate !== 'function') throw new Error(`src/index.ts exports no handler "${name}"`);
  return candidate as Handler;
}

/** The export behind a web trigger module (`webtrigger` → function → `index.<export>`). */
export function webTriggerHandler(manifestPath: string, moduleKey: string): Handler | undefined {
  const manifest = manifestSchema.parse(parseYaml(readFileSync(manifestPath, 'utf8')));
  const module = (manifest.modules.webtrigger ?? []).find((candidate) => candidate.key === moduleKey);
  const handler = (manifest.modules.function ?? []).find((fn) => fn.key === module?.function)?.handler;
  return handler ? exportOf(handler) : undefined;
}

/**
 * Delivers a queued event to the consumer of its queue, as Forge does: the answer (an
 * InvocationError asks for a retry) goes back to the queue; a throw is an app-level error.
 */
export async function dispatchQueueEvent(
  platform: LocalPlatform,
  consumers: TriggerModule[],
  event: DeliveredEvent,
  cloudId: string,
): Promise<unknown> {
  const consumer = consumers.find((module) => module.kind === 'consumer' && module.queue === event.queueKey);
  if (!consumer) throw new Error(`No consumer module reads queue ${event.queueKey}`);
  installPlatform(platform);
  return runInvocation(
    () =>
      exportOf(consumer.handler)(
        {
          body: event.body,
          queueName: event.queueKey,
          jobId: event.jobId,
          eventId: event.eventId,
          ...(event.retryContext ? { retryContext: event.retryContext } : {}),
        },
        { installContext: installContextOf(cloudId) },
      ),
    platform,
  );
}

/**
 * What Forge accepts from a web trigger (docs/forge-fidelity.md, rule 9): `statusCode`, and
 * optionally a string `body`, `headers` of string lists and a `statusText`; anything else is sent
 * to the caller as a 500.
 */
export const webTriggerAnswerSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  statusText: z.string().optional(),
});

/**
 * How Forge reads a scheduled trigger's answer (docs/forge-fidelity.md): `statusCode` is required;
 * 2xx (204) is success, anything else a failure, and an answer without one is recorded as 424.
 */
export function scheduledTriggerOutcome(answer: unknown): {
  ok: boolean;
  statusCode: number;
  problem?: string;
} {
  const parsed = z.object({ statusCode: z.number().int() }).loose().safeParse(answer);
  if (!parsed.success)
    return {
      ok: false,
      statusCode: 424,
      problem: `a scheduled trigger must answer { statusCode }, got ${JSON.stringify(answer) ?? 'undefined'}`,
    };
  const { statusCode } = parsed.data;
  return statusCode >= 200 && statusCode < 300
    ? { ok: true, statusCode }
    : { ok: false, statusCode, problem: `the scheduled trigger answered ${statusCode}` };
}

/**
 * Runs a scheduled trigger or a consumer once, as Forge invokes it. A scheduled trigger's answer
 * is judged as Forge judges it; a throw is a failure (Forge does not retry either).
 */
export async function runTrigger(
  platform: LocalPlatform,
  trigger: TriggerModule,
  cloudId: string,
  body: unknown = {},
): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  installPlatform(platform);
  const context = { installContext: installContextOf(cloudId), principal: undefined };
  const event =
    trigger.kind === 'scheduledTrigger'
      ? {
          context: { cloudId, moduleKey: trigger.key },
          contextToken: 'local',
          userAccess: { enabled: false },
        }
      : // A first delivery carries no retryContext.
        { body, queueName: trigger.key, jobId: `local-${Date.now()}`, eventId: `local-${Date.now()}-1` };
  try {
    const result = await runInvocation(() => exportOf(trigger.handler)(event, context), platform);
    if (trigger.kind !== 'scheduledTrigger') return { ok: true, result };
    const outcome = scheduledTriggerOutcome(result);
    return outcome.ok ? { ok: true, result } : { ok: false, result, error: outcome.problem ?? 'failed' };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
