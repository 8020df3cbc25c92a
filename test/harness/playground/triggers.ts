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
