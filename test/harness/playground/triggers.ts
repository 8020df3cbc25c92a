/**
 * Runs the app's scheduled-trigger and queue-consumer handlers the way Forge does: the manifest
 * names a function module, the function names `index.<export>`, and the export in src/index.ts is
 * called with a Forge-shaped event and context.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import * as handlers from '../../../src/index';
import { installPlatform } from '../../../src/platform/runtime';
import type { LocalPlatform } from '../local-platform';
import { installContextOf } from '../local-forge';

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

/** Delivers a queued event to the consumer of its queue, as Forge does (throws when it fails). */
export async function dispatchQueueEvent(
  platform: LocalPlatform,
  consumers: TriggerModule[],
  event: { queueKey: string; jobId: string; eventId: string; body: Record<string, unknown> },
  cloudId: string,
): Promise<void> {
  const consumer = consumers.find((module) => module.kind === 'consumer' && module.queue === event.queueKey);
  if (!consumer) throw new Error(`No consumer module reads queue ${event.queueKey}`);
  installPlatform(platform);
  await exportOf(consumer.handler)(
    { body: event.body, queueName: event.queueKey, jobId: event.jobId, eventId: event.eventId },
    { installContext: installContextOf(cloudId) },
  );
}

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
      : {
          body,
          queueName: trigger.key,
          jobId: `local-${Date.now()}`,
          retryContext: { retryCount: 0, retryData: undefined },
        };
  try {
    return { ok: true, result: await exportOf(trigger.handler)(event, context) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
